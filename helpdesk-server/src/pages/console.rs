//! The agent console: the queue (and the live chat's panel).

use std::collections::HashMap;

use axum::Router;
use axum::extract::Query;
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{DateTime, Utc};
use helpdesk::domain::{Language, Ticket};
use helpdesk::store::TicketOrder;
use maud::html;

use super::layout::{csrf_input, layout, status_badge, t, t_args};
use super::notices::priority_word;
use super::words::number;
use super::{PageResult, when};
use crate::api::tickets::ListQuery;
use crate::extract::PageUser;
use crate::state::AppState;

/// The console's route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/console", get(console))
}

/// How long a ticket has waited, as hours and minutes in `lang`.
fn waited(lang: Language, since: Option<DateTime<Utc>>) -> String {
    match since {
        Some(since) => {
            let minutes = (Utc::now() - since).num_minutes().max(0);
            #[allow(clippy::cast_precision_loss)]
            let (hours, minutes) = ((minutes / 60) as f64, (minutes % 60) as f64);
            t_args(
                lang,
                "waited_for",
                &[("hours", number(hours)), ("minutes", number(minutes))],
            )
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
        h1 { (t(lang, "queue")) }
        form method="get" action="/console" {
            input type="text" name="q" value=(pick("q").unwrap_or_default())
                placeholder=(t(lang, "search_box_hint")) aria-label=(t(lang, "search"));
            select name="department" {
                option value="" { (t(lang, "all_departments")) }
                @for d in &departments {
                    option value=(d.id) selected[pick("department").as_deref() == Some(d.id.to_string().as_str())] { (d.name) }
                }
            }
            input type="text" name="tag" value=(pick("tag").unwrap_or_default()) list="tags-in-use" placeholder=(t(lang, "tag_filter")) aria-label=(t(lang, "tag_filter"));
            (super::tags::datalist(&offered))
            button { (t(lang, "search")) }
        }
        p.meta #shown { (t_args(lang, "tickets_count", &[("count", number(u32::try_from(tickets.len()).unwrap_or(u32::MAX)))])) }
        form #bulk method="post" action="/console/tags" {
        (csrf_input(&user))
        (super::tags::refusal(lang, pick("bulk_refused").as_deref(), "bulk-error"))
        table #queue {
            tr { th { (t(lang, "bulk_select")) } th { (t(lang, "col_ticket")) } th { (t(lang, "subject")) } th { (t(lang, "department")) } th { (t(lang, "status")) } th { (t(lang, "priority")) } th { (t(lang, "waiting")) } th { (t(lang, "sla_due")) } }
            @for ticket in &tickets {
                tr {
                    td { input type="checkbox" name={ "sel_" (ticket.id) } value="on" aria-label=(t(lang, "bulk_select")); }
                    td { a href={ "/tickets/" (ticket.id) } { (ticket.number.short()) } }
                    td { bdi { (ticket.subject) } @for tag in &ticket.tags { " " span.tag-chip dir="auto" { (tag) } } }
                    td { bdi { (dept_name(ticket)) } }
                    td { (status_badge(lang, ticket.status)) }
                    td { (priority_word(lang, ticket.priority)) }
                    td { (waited(lang, ticket.waiting_since)) }
                    td { @if let Some(due) = ticket.next_due_at { (when(due)) } @else { "—" } }
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
    Ok(layout(t(lang, "queue"), Some(&user), body).into_response())
}
