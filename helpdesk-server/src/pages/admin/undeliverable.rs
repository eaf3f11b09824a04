//! `/admin/undeliverable`: the addresses a bounce marked undeliverable, by address, each with
//! until when, the status and the mail server's words, the ticket whose e-mail bounced, and
//! a button to clear the mark (the outbox sends there again).

use std::collections::HashMap;

use axum::Router;
use axum::routing::{get, post};
use helpdesk::Error;
use helpdesk::domain::Email;
use maud::html;

use super::super::layout::t;
use super::super::{PageResult, see_other, when};
use super::form::{admin_page, admins_only, field, post_form};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted};
use crate::state::AppState;

/// How many the page shows.
const SHOWN: u32 = 200;

/// The undeliverable-address routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/undeliverable", get(undeliverable))
        .route("/admin/undeliverable/clear", post(clear))
}

async fn undeliverable(user: PageUser) -> PageResult {
    admins_only(&user)?;
    let lang = user.language;
    let marks = match user.acting.undeliverable_addresses(None, SHOWN).await {
        Ok(marks) => Some(marks),
        Err(Error::Unsupported { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let body = html! {
        @match &marks {
            None => p.meta { (t(lang, "admin_no_undeliverable")) },
            Some(marks) => {
                p.meta { (t(lang, "admin_undeliverable_hint")) }
                @if marks.is_empty() {
                    p.meta { (t(lang, "admin_none_yet")) }
                }
                @for (n, m) in marks.iter().enumerate() {
                    section.card.undeliverable id=(format!("undeliverable-{n}")) {
                        h2 { (m.address) }
                        p.meta {
                            (t(lang, "admin_undeliverable_until")) " " (when(m.until))
                            " · " (t(lang, "admin_undeliverable_since")) " " (when(m.marked_at))
                        }
                        @if m.status.is_some() || m.diagnostic.is_some() {
                            p {
                                (t(lang, "admin_undeliverable_status")) " "
                                @if let Some(status) = &m.status { code { (status) } " " }
                                @if let Some(diagnostic) = &m.diagnostic { (diagnostic) }
                            }
                        }
                        @if let Some(ticket) = m.ticket_id {
                            p { a href=(format!("/tickets/{ticket}")) { (t(lang, "admin_undeliverable_ticket")) } }
                        }
                        (post_form(&user, &format!("clear-{n}"), "/admin/undeliverable/clear", html! {
                            input type="hidden" name="address" value=(m.address);
                            button { (t(lang, "admin_clear_mark")) }
                        }))
                    }
                }
            }
        }
    };
    admin_page(&user, "admin_undeliverable", None, body)
}

/// The address a posted form names.
fn address_of(form: &HashMap<String, String>) -> Result<Email, ApiError> {
    Ok(Email::parse(field(form, "address"))?)
}

/// Clears the mark of an address; back to the list.
async fn clear(Posted { user, form }: Posted) -> PageResult {
    let address = address_of(&form)?;
    user.acting.clear_undeliverable(&address).await?;
    Ok(see_other("/admin/undeliverable"))
}
