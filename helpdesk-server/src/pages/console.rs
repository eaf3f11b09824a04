//! The agent console: the queue (and the live chat's panel).

use std::collections::HashMap;

use axum::Router;
use axum::extract::Query;
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{DateTime, Utc};
use helpdesk::domain::Ticket;
use helpdesk::store::TicketOrder;
use maud::html;

use super::layout::{layout, status_badge, t};
use super::{PageResult, when};
use crate::api::tickets::ListQuery;
use crate::extract::PageUser;
use crate::state::AppState;

/// The console's route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/console", get(console))
}

/// How long a ticket has waited, as hours and minutes.
fn waited(since: Option<DateTime<Utc>>) -> String {
    match since {
        Some(since) => {
            let minutes = (Utc::now() - since).num_minutes().max(0);
            format!("{}h {:02}m", minutes / 60, minutes % 60)
        }
        None => "—".to_owned(),
    }
}

/// `/console`: the queue, waiting longest first, with search and a department filter.
async fn console(user: PageUser, Query(query): Query<HashMap<String, String>>) -> PageResult {
    let lang = user.language;
    let pick = |k: &str| query.get(k).filter(|v| !v.is_empty()).cloned();
    let list = ListQuery {
        q: pick("q"),
        status: pick("status")
            .or_else(|| Some("new,open,pending_customer,on_hold,resolved".to_owned())),
        department: pick("department"),
        order: if pick("q").is_some() {
            None
        } else {
            Some(TicketOrder::Waiting)
        },
        limit: Some(100),
        ..ListQuery::default()
    };
    let tickets = list.run(&user.acting).await?.items;
    let departments = user.acting.departments().await?;
    let dept_name = |t: &Ticket| {
        departments
            .iter()
            .find(|d| d.id == t.department)
            .map(|d| d.name.to_string())
            .unwrap_or_default()
    };
    let body = html! {
        (super::chat::console_panel(&user))
        h1 { "Queue" }
        form method="get" action="/console" {
            input type="text" name="q" value=(pick("q").unwrap_or_default())
                placeholder=(t(lang, "search_box_hint")) aria-label=(t(lang, "search"));
            select name="department" {
                option value="" { "All departments" }
                @for d in &departments {
                    option value=(d.id) selected[pick("department").as_deref() == Some(d.id.to_string().as_str())] { (d.name) }
                }
            }
            button { (t(lang, "search")) }
        }
        table #queue {
            tr { th { "Ticket" } th { "Subject" } th { "Department" } th { "Status" } th { "Priority" } th { "Waiting" } th { "SLA due" } }
            @for ticket in &tickets {
                tr {
                    td { a href={ "/tickets/" (ticket.id) } { (ticket.number.short()) } }
                    td { (ticket.subject) }
                    td { (dept_name(ticket)) }
                    td { (status_badge(lang, ticket.status)) }
                    td { (ticket.priority.as_str()) }
                    td { (waited(ticket.waiting_since)) }
                    td { (ticket.next_due_at.map(when).unwrap_or_else(|| "—".to_owned())) }
                }
            }
        }
    };
    Ok(layout("Queue", Some(&user), body).into_response())
}
