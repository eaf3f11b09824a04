//! The customer portal: their case history and notifications (see
//! [`portal_notices`](super::portal_notices)), and a new ticket. The knowledge base is in
//! [`portal_kb`](super::portal_kb), rating and priority requests in
//! [`portal_feedback`](super::portal_feedback).

use std::collections::{HashMap, HashSet};

use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use helpdesk::domain::{Priority, Resolution, Status, StatusLabels, TicketType};
use maud::html;

use super::layout::{csrf_input, layout, status_badge, t, t_args, ticket_type_word};
use super::notices::{self, priority_word};
use super::words::{number, text};
use super::{PageResult, see_other, when};
use crate::api::tickets::{CreateTicket, ListQuery, Listed};
use crate::error::ApiError;
use crate::extract::{PageSession, PageUser};
use crate::session::{CSRF_FIELD, csrf_refused};
use crate::state::AppState;
use crate::uploads::read_multipart_kept;

/// The portal's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", get(portal))
        .route("/portal/new", get(new_ticket_form))
        .route("/portal/tickets", post(create_ticket))
}

/// `/portal`: the customer's notifications and their case history, with filters: an empty
/// state with somewhere to go, and a clear message for a filter no ticket can match.
async fn portal(
    State(state): State<AppState>,
    session: PageSession,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let pick = |k: &str| query.get(k).filter(|v| !v.trim().is_empty()).cloned();
    let filtered = ["status", "type", "from", "to"]
        .iter()
        .any(|k| pick(k).is_some());
    let from = pick("from").map(|d| day(&d).ok_or(d));
    let to = pick("to").map(|d| day(&d).ok_or(d));
    // A filter that cannot match: a date that is none, or one range ending before it starts.
    let bad_date = match (&from, &to) {
        (Some(Err(typed)), _) | (_, Some(Err(typed))) => Some(Some(typed.clone())),
        (Some(Ok(from)), Some(Ok(to))) if from > to => Some(None),
        _ => None,
    };
    let list = ListQuery {
        status: pick("status"),
        ticket_type: pick("type"),
        created_from: from.and_then(Result::ok),
        created_to: to
            .and_then(Result::ok)
            .map(|d| d + chrono::Duration::days(1)),
        limit: Some(100),
        ..ListQuery::default()
    };
    // The case list with the principal in one store call; a filter that cannot match
    // reads nothing but the principal.
    let read = match (&bad_date, list.request()) {
        (None, Ok((None, filter, page))) => {
            let answer = (state.desk)
                .list_tickets_as(session.actor(), filter, page)
                .await;
            session
                .admitted(&state.desk, answer)
                .await
                .map(|(user, found)| (user, Some(found.map(Listed::from))))
        }
        _ => session
            .read_user(&state.desk)
            .await
            .map(|user| (user, None)),
    };
    let (user, listed) = match read {
        Ok(read) => read,
        Err(refusal) => return Ok(refusal.into_response()),
    };
    let lang = user.language;
    let mut impossible = bad_date.map(|typed| match typed {
        Some(typed) => t_args(lang, "history_bad_date", &[("date", text(typed.as_str()))]),
        None => t(lang, "history_impossible_dates").to_owned(),
    });
    let listed = match listed {
        Some(listed) => Some(listed),
        None if impossible.is_none() => Some(list.run(&user.acting).await),
        None => None,
    };
    let tickets = match listed {
        None => Vec::new(),
        Some(Ok(listed)) => listed.items,
        Some(Err(e)) if e.status.is_client_error() => {
            impossible = Some(t(lang, "history_bad_filter").to_owned());
            Vec::new()
        }
        Some(Err(e)) => return Err(e.into()),
    };
    let mut rateable = HashSet::new();
    for ticket in tickets
        .iter()
        .filter(|t| t.status == Status::Closed(Resolution::Solved) && t.satisfaction.is_none())
    {
        if user.acting.may_rate(ticket.id).await? {
            rateable.insert(ticket.id);
        }
    }
    let notes = user.acting.notifications(20).await?;
    let (snoozed_notes, snoozed_numbers) = super::snoozed_notices::load(&user).await;
    let now = Utc::now();
    let labels = StatusLabels::new(lang);
    let snoozed = pick("snoozed_until")
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|s| s.with_timezone(&Utc))
        .filter(|s| *s > now);
    let body = html! {
        (super::portal_notices::section(&user, &notes, &tickets, snoozed))
        (super::snoozed_notices::section(&user, &snoozed_notes, &snoozed_numbers, None))
        form method="get" action="/portal/kb" role="search" {
            input type="text" name="q" placeholder=(t(lang, "kb")) aria-label=(t(lang, "kb"));
            button { (t(lang, "search")) }
        }
        h1 { (t(lang, "my_tickets")) }
        form #history-filter method="get" action="/portal" {
            label { (t(lang, "status")) " " select name="status" {
                option value="" { "—" }
                @for s in Status::ALL {
                    option value=(s.as_str()) selected[pick("status").as_deref() == Some(s.as_str())] { (labels.label(s)) }
                }
            } }
            label { (t(lang, "ticket_type")) " " select name="type" {
                option value="" { "—" }
                @for ty in TicketType::BUILT_IN {
                    option value=(ty.as_str()) selected[pick("type").as_deref() == Some(ty.as_str())] { (ticket_type_word(lang, &ty)) }
                }
            } }
            label { (t(lang, "history_from")) " " input type="date" name="from" value=(pick("from").unwrap_or_default()); }
            label { (t(lang, "history_to")) " " input type="date" name="to" value=(pick("to").unwrap_or_default()); }
            button { (t(lang, "search")) }
            @if filtered { " " a #clear-filters href="/portal" { (t(lang, "history_clear")) } }
        }
        @if let Some(why) = &impossible {
            p.error #impossible-filter role="alert" { (why) " " a href="/portal" { (t(lang, "history_clear")) } }
        } @else if tickets.is_empty() && filtered {
            p #no-match { (t(lang, "history_no_match")) " " a href="/portal" { (t(lang, "history_clear")) } }
        } @else if tickets.is_empty() {
            div #no-tickets.card {
                p { (t(lang, "history_empty")) }
                p { a href="/portal/new" { (t(lang, "new_ticket")) } " · " a href="/portal/kb" { (t(lang, "kb")) } }
            }
        } @else {
            p.meta #history-count { (t_args(lang, "tickets_count", &[("count", number(u32::try_from(tickets.len()).unwrap_or(u32::MAX)))])) }
            div.scroll-x {
                table #tickets {
                    tr { th { (t(lang, "col_ticket")) } th { (t(lang, "topic")) } th { (t(lang, "status")) } th { (t(lang, "last_update")) } th {} }
                    @for ticket in &tickets {
                        tr {
                            td { a href={ "/tickets/" (ticket.id) } { "#" (ticket.number.short()) } }
                            td { a href={ "/tickets/" (ticket.id) } { bdi { (ticket.subject) } } }
                            td { (status_badge(lang, ticket.status)) }
                            td { (when(ticket.updated_at)) }
                            td {
                                @if rateable.contains(&ticket.id) {
                                    a.rate-link href={ "/portal/tickets/" (ticket.id) "/rating" } { (t(lang, "rating_give")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(t(lang, "my_tickets"), Some(&user), body).into_response())
}

fn day(raw: &str) -> Option<DateTime<Utc>> {
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

/// `/portal/new`: the customer's new-ticket form, with articles suggested as they type.
async fn new_ticket_form(user: PageUser) -> PageResult {
    ticket_form(&user, &HashMap::new(), None).await
}

/// The new-ticket form, holding `typed` (the fields posted) and the refusal beside it: it
/// offers only the departments the customer may choose and the importance levels that
/// apply as chosen.
async fn ticket_form(
    user: &PageUser,
    typed: &HashMap<String, String>,
    refused: Option<&ApiError>,
) -> PageResult {
    let lang = user.language;
    let departments = user.acting.departments().await?;
    // What applies as chosen (the same in every department for a customer).
    let priorities = match departments.first() {
        Some(d) => user.acting.new_ticket_priorities(d.id, None).await?,
        None => Vec::new(),
    };
    let typed_field = |k: &str| typed.get(k).map(String::as_str).unwrap_or_default();
    let chosen = match typed_field("priority").parse::<Priority>() {
        Ok(p) if priorities.contains(&p) => p,
        _ if priorities.contains(&Priority::Normal) => Priority::Normal,
        _ => priorities.first().copied().unwrap_or_default(),
    };
    let status = refused.map_or(axum::http::StatusCode::OK, |e| e.status);
    let body = html! {
        h1 { (t(lang, "new_ticket")) }
        @if let Some(e) = refused { (super::refusals::inline(lang, e)) }
        form #new-ticket method="post" action="/portal/tickets" enctype="multipart/form-data" {
            (csrf_input(user))
            label { (t(lang, "department")) " " select name="department" {
                @for d in &departments { option value=(d.id) selected[typed_field("department") == d.id.to_string()] { (d.name) } }
            } }
            label { (t(lang, "ticket_type")) " " select name="ticket_type" {
                @for ty in TicketType::BUILT_IN { option value=(ty.as_str()) selected[typed_field("ticket_type") == ty.as_str()] { (ticket_type_word(lang, &ty)) } }
            } }
            label { (t(lang, "subject")) " " input #subject type="text" name="subject" value=(typed_field("subject")) required; }
            label { (t(lang, "description")) " " textarea #body name="body" required { (typed_field("body")) } }
            @if priorities.len() > 1 {
                label { (t(lang, "importance")) " " select name="priority" {
                    @for p in &priorities { option value=(p.as_str()) selected[*p == chosen] { (priority_word(lang, *p)) } }
                } }
            } @else {
                input type="hidden" name="priority" value=(chosen.as_str());
            }
            label { (t(lang, "attach")) " " input type="file" name="files" multiple; }
            button type="submit" { (t(lang, "send")) }
        }
        h3 { (t(lang, "kb")) }
        div #suggestions {}
        script src="/assets/suggest.js" {}
    };
    Ok((status, layout(t(lang, "new_ticket"), Some(user), body)).into_response())
}

/// The new-ticket form posted (multipart, with files): the ticket, or the form again with
/// what was typed and the refusal beside it (a blank subject, a file too large, ...).
/// Without files, the principal is read with what opening decides on, in one store call
/// (`open_ticket_as`); a refusal is the principal's first, as for every page.
async fn create_ticket(
    State(state): State<AppState>,
    session: PageSession,
    multipart: Multipart,
) -> PageResult {
    let (fields, uploads, cut) = read_multipart_kept(multipart).await;
    let posted = match cut {
        _ if !session.csrf_matches(fields.get(CSRF_FIELD)) => None,
        Some(e) => Some(Err(e)),
        None => Some(CreateTicket::from_fields(&fields).map(CreateTicket::into_new_ticket)),
    };
    let (user, opened) = match posted {
        Some(Ok(new)) if uploads.is_empty() => {
            let answer = state.desk.open_ticket_as(session.actor(), new).await;
            match session.admitted(&state.desk, answer).await {
                Ok(admitted) => admitted,
                Err(refusal) => return Ok(refusal.into_response()),
            }
        }
        _ => {
            let user = match session.read_user(&state.desk).await {
                Ok(user) => user,
                Err(refusal) => return Ok(refusal.into_response()),
            };
            let opened = match posted {
                None => return Err(csrf_refused().into()),
                Some(Err(e)) => Err(e),
                Some(Ok(new)) => (user.acting)
                    .open_ticket_with_notices(new, uploads)
                    .await
                    .map_err(ApiError::from),
            };
            (user, opened)
        }
    };
    match opened {
        Ok(opened) => Ok(see_other(&format!(
            "/tickets/{}{}",
            opened.ticket.id,
            notices::query(&opened.notices)
        ))),
        Err(e) if e.status.is_server_error() => Err(e.into()),
        Err(e) => ticket_form(&user, &fields, Some(&e)).await,
    }
}
