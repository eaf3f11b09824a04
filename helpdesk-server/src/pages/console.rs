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

use super::layout::{csrf_input, layout, status_badge, t};
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
        tag: pick("tag"),
        ..ListQuery::default()
    };
    let offered = super::tags::offered(&user.acting).await?;
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
            input type="text" name="tag" value=(pick("tag").unwrap_or_default()) list="tags-in-use" placeholder=(t(lang, "tag_filter")) aria-label=(t(lang, "tag_filter"));
            (super::tags::datalist(&offered))
            button { (t(lang, "search")) }
        }
        form #bulk method="post" action="/console/tags" {
        (csrf_input(&user))
        (super::tags::refusal(lang, pick("bulk_refused").as_deref(), "bulk-error"))
        table #queue {
            tr { th { (t(lang, "bulk_select")) } th { "Ticket" } th { "Subject" } th { "Department" } th { "Status" } th { "Priority" } th { "Waiting" } th { "SLA due" } }
            @for ticket in &tickets {
                tr {
                    td { input type="checkbox" name={ "sel_" (ticket.id) } value="on" aria-label=(t(lang, "bulk_select")); }
                    td { a href={ "/tickets/" (ticket.id) } { (ticket.number.short()) } }
                    td { (ticket.subject) @for tag in &ticket.tags { " " span.tag-chip { (tag) } } }
                    td { (dept_name(ticket)) }
                    td { (status_badge(lang, ticket.status)) }
                    td { (ticket.priority.as_str()) }
                    td { (waited(ticket.waiting_since)) }
                    td { (ticket.next_due_at.map(when).unwrap_or_else(|| "—".to_owned())) }
                }
            }
        }
        fieldset.bulk {
            legend { (t(lang, "bulk_tag")) }
            select name="action" {
                option value="add" { (t(lang, "bulk_add")) }
                option value="remove" { (t(lang, "bulk_remove")) }
            }
            " "
            input type="text" name="tags" list="tags-in-use" maxlength="500" placeholder=(t(lang, "tag_placeholder")) required;
            button type="submit" { (t(lang, "bulk_tag")) }
        }
        }
    };
    Ok(layout("Queue", Some(&user), body).into_response())
}
