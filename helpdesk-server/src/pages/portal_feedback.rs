//! What a customer says about their ticket besides messages: a satisfaction rating once it
//! is solved (offered only when the desk would take it, once), and a request for a higher
//! priority with a reason (offering only the priorities they may ask for). A refusal is
//! shown beside the form with what was typed kept. The ticket page links here
//! ([`links`]); so does the case history, for a rating.

use std::collections::HashMap;

use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use helpdesk::domain::{Priority, Rating, ShortNote, Ticket, TicketKey};
use helpdesk::machine::Command;
use helpdesk::service::Acting;
use maud::{Markup, html};

use super::layout::{csrf_input, layout, t, t_args};
use super::notices::priority_word;
use super::words::{number, text};
use super::{PageResult, see_other, when};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The feedback pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/portal/tickets/{ticket}/rating",
            get(rating_page).post(rate),
        )
        .route(
            "/portal/tickets/{ticket}/priority",
            get(priority_page).post(request_priority),
        )
}

/// What the customer may do on a ticket now, for the ticket page's links.
#[derive(Debug, Clone, Default)]
pub struct Offers {
    /// Whether they may rate it.
    pub rate: bool,
    /// Whether they may ask for a higher priority.
    pub ask_priority: bool,
}

/// What `acting` (a customer) may do on `ticket`; nothing for staff.
pub async fn offers(acting: &Acting, ticket: &Ticket) -> Result<Offers, ApiError> {
    if acting.principal().customer().is_none() {
        return Ok(Offers::default());
    }
    Ok(Offers {
        rate: acting.may_rate(ticket.id).await?,
        ask_priority: !acting.requestable_priorities(ticket.id).await?.is_empty(),
    })
}

/// The links to the feedback pages a customer may use on `ticket`, with a pending priority
/// request and a rating given.
pub fn links(user: &PageUser, ticket: &Ticket, offers: &Offers) -> Markup {
    let lang = user.language;
    let base = format!("/portal/tickets/{}", ticket.id);
    html! {
        @if offers.rate || offers.ask_priority || ticket.satisfaction.is_some() || ticket.priority_request.is_some() {
            nav #ticket-feedback aria-label=(t(lang, "feedback")) {
                @if offers.rate { a #rate-link href={ (base) "/rating" } { (t(lang, "rating_give")) } " " }
                @if let Some(given) = &ticket.satisfaction {
                    a href={ (base) "/rating" } { (t_args(lang, "rating_given", &[("score", number(given.score.get()))])) } " "
                }
                @if offers.ask_priority { a #priority-link href={ (base) "/priority" } { (t(lang, "priority_request_ask")) } " " }
                @if let Some(asked) = &ticket.priority_request {
                    a href={ (base) "/priority" } { (t_args(lang, "priority_request_pending", &[("priority", text(priority_word(lang, asked.priority)))])) }
                }
            }
        }
    }
}

/// Only a customer has these pages (staff decide requests on the ticket page).
fn customers_only(user: &PageUser) -> Result<(), ApiError> {
    if user.is_customer() {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only the ticket's customer rates it or asks for a higher priority",
        ))
    }
}

/// The ticket's heading, linking back to it.
fn heading(ticket: &Ticket) -> Markup {
    html! {
        p { a #back-to-ticket href={ "/tickets/" (ticket.id) } { "#" (ticket.number.short()) " " bdi { (ticket.subject) } } }
    }
}

/// `GET /portal/tickets/{ticket}/rating`: the rating given, or the form when the desk takes
/// one, or why not yet.
async fn rating_page(user: PageUser, Path(key): Path<String>) -> PageResult {
    rating_form(&user, &key, &HashMap::new(), None).await
}

/// The rating page holding `typed`, with `refused` beside the form.
async fn rating_form(
    user: &PageUser,
    key: &str,
    typed: &HashMap<String, String>,
    refused: Option<&ApiError>,
) -> PageResult {
    customers_only(user)?;
    let lang = user.language;
    let ticket = user.acting.ticket(parse::<TicketKey>(key)?).await?;
    let may = user.acting.may_rate(ticket.id).await?;
    let typed_score = typed.get("score").map(String::as_str).unwrap_or_default();
    let body = html! {
        h1 { (t(lang, "rating_title")) }
        (heading(&ticket))
        @if let Some(given) = &ticket.satisfaction {
            p #rating-given role="status" {
                (t_args(lang, "rating_given", &[("score", number(given.score.get()))])) " " (when(given.at))
            }
            @if let Some(comment) = &given.comment { p.msg dir="auto" { (comment) } }
        } @else if may {
            @if let Some(e) = refused { (super::refusals::inline(lang, e)) }
            form #rating method="post" action={ "/portal/tickets/" (ticket.id) "/rating" } {
                (csrf_input(user))
                fieldset {
                    legend { (t(lang, "rating_question")) }
                    @for score in 1u8..=5 {
                        label.tick {
                            input type="radio" name="score" value=(score) required checked[typed_score == score.to_string()];
                            " " (t(lang, score_key(score)))
                        }
                    }
                }
                label { (t(lang, "rating_comment")) " "
                    textarea name="comment" dir="auto" maxlength="1000" { (typed.get("comment").map(String::as_str).unwrap_or_default()) }
                }
                button type="submit" { (t(lang, "rating_send")) }
            }
        } @else {
            p #rating-not-yet { (t(lang, "rating_not_yet")) }
        }
    };
    let status = refused.map_or(StatusCode::OK, |e| e.status);
    Ok((status, layout(t(lang, "rating_title"), Some(user), body)).into_response())
}

/// The word of a score (1–5).
fn score_key(score: u8) -> &'static str {
    match score {
        1 => "rating_1",
        2 => "rating_2",
        3 => "rating_3",
        4 => "rating_4",
        _ => "rating_5",
    }
}

/// `POST /portal/tickets/{ticket}/rating`: the rating given, then its page; a refusal shown
/// beside the form with what was typed.
async fn rate(Path(key): Path<String>, Posted { user, form }: Posted) -> PageResult {
    customers_only(&user)?;
    let ticket = user.acting.ticket(parse::<TicketKey>(&key)?).await?;
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let command = (|| -> Result<Command, ApiError> {
        let score = field("score")
            .trim()
            .parse::<u8>()
            .map_err(|_| helpdesk::Error::validation("score", "give a score from 1 to 5"))?;
        let score = Rating::new(score).map_err(helpdesk::Error::from)?;
        let comment = Some(field("comment").trim())
            .filter(|c| !c.is_empty())
            .map(ShortNote::parse)
            .transpose()
            .map_err(helpdesk::Error::from)?;
        Ok(Command::RateSatisfaction { score, comment })
    })();
    match run(&user, &ticket, command).await {
        Ok(()) => Ok(see_other(&format!(
            "/portal/tickets/{}/rating#rating-given",
            ticket.id
        ))),
        Err(e) if e.status.is_server_error() => Err(e.into()),
        Err(e) => rating_form(&user, &key, &form, Some(&e)).await,
    }
}

/// `GET /portal/tickets/{ticket}/priority`: the request waiting for an agent, and the form
/// with the priorities the customer may ask for (none: why not).
async fn priority_page(user: PageUser, Path(key): Path<String>) -> PageResult {
    priority_form(&user, &key, &HashMap::new(), None).await
}

/// The priority-request page holding `typed`, with `refused` beside the form.
async fn priority_form(
    user: &PageUser,
    key: &str,
    typed: &HashMap<String, String>,
    refused: Option<&ApiError>,
) -> PageResult {
    customers_only(user)?;
    let lang = user.language;
    let ticket = user.acting.ticket(parse::<TicketKey>(key)?).await?;
    let offered = user.acting.requestable_priorities(ticket.id).await?;
    let typed_field = |k: &str| typed.get(k).map(String::as_str).unwrap_or_default();
    let body = html! {
        h1 { (t(lang, "priority_request_title")) }
        (heading(&ticket))
        p { (t_args(lang, "priority_request_current", &[("priority", text(priority_word(lang, ticket.priority)))])) }
        @if let Some(asked) = &ticket.priority_request {
            p.notice #priority-requested role="status" {
                (t_args(lang, "priority_request_pending", &[("priority", text(priority_word(lang, asked.priority)))])) " " (when(asked.at))
            }
            p.msg dir="auto" { (asked.reason) }
        }
        @if offered.is_empty() {
            p #priority-none { (t(lang, "priority_request_none")) }
        } @else {
            @if let Some(e) = refused { (super::refusals::inline(lang, e)) }
            form #priority-request method="post" action={ "/portal/tickets/" (ticket.id) "/priority" } {
                (csrf_input(user))
                label { (t(lang, "priority_request_level")) " " select name="priority" {
                    @for p in &offered { option value=(p.as_str()) selected[typed_field("priority") == p.as_str()] { (priority_word(lang, *p)) } }
                } }
                label { (t(lang, "priority_request_reason")) " "
                    textarea name="reason" dir="auto" required maxlength="1000" { (typed_field("reason")) }
                }
                button type="submit" { (t(lang, "priority_request_send")) }
            }
        }
    };
    let status = refused.map_or(StatusCode::OK, |e| e.status);
    Ok((
        status,
        layout(t(lang, "priority_request_title"), Some(user), body),
    )
        .into_response())
}

/// `POST /portal/tickets/{ticket}/priority`: the request filed, then its page; a refusal
/// (a priority above the customer's cap, a blank reason, ...) beside the form with what was
/// typed.
async fn request_priority(Path(key): Path<String>, Posted { user, form }: Posted) -> PageResult {
    customers_only(&user)?;
    let ticket = user.acting.ticket(parse::<TicketKey>(&key)?).await?;
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let command = (|| -> Result<Command, ApiError> {
        let priority = parse::<Priority>(field("priority"))?;
        let reason = ShortNote::parse(field("reason").trim()).map_err(helpdesk::Error::from)?;
        Ok(Command::RequestPriority { priority, reason })
    })();
    match run(&user, &ticket, command).await {
        Ok(()) => Ok(see_other(&format!(
            "/portal/tickets/{}/priority#priority-requested",
            ticket.id
        ))),
        Err(e) if e.status.is_server_error() => Err(e.into()),
        Err(e) => priority_form(&user, &key, &form, Some(&e)).await,
    }
}

/// Runs a form's command on `ticket` as the customer: `command` is what reading the form
/// gave, the command or the refusal of a field.
async fn run(
    user: &PageUser,
    ticket: &Ticket,
    command: Result<Command, ApiError>,
) -> Result<(), ApiError> {
    let command = command?;
    let done = user.acting.execute(ticket.id, command).await;
    done.map(drop).map_err(ApiError::from)
}
