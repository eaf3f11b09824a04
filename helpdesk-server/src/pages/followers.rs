//! Followers and CC on the ticket page: the CC addresses (the ticket's customer and staff
//! who may reply add and remove them) and, for staff, the agents following the ticket with
//! the follow/unfollow button. A refusal comes back beside the form, in the page's words.

use std::collections::HashMap;

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use helpdesk::domain::{Agent, AgentId, Email, Language, Ticket, TicketKey};
use helpdesk::error::Error;
use helpdesk::service::Acting;
use maud::{Markup, html};

use super::layout::{csrf_input, t};
use super::{PageResult, see_other};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The follower routes of the pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tickets/{ticket}/cc", post(post_cc))
        .route("/tickets/{ticket}/follow", post(post_follow))
}

/// Who follows a ticket, as its reader may see it; `None` where the store keeps no
/// followers.
pub struct Following {
    /// The CC addresses.
    pub cc: Vec<Email>,
    /// The following agents (empty for customers).
    pub agents: Vec<AgentId>,
}

/// What the ticket page shows of `ticket`'s followers to the principal of `acting`.
pub async fn following(
    acting: &Acting,
    ticket: &Ticket,
    staff: bool,
) -> Result<Option<Following>, ApiError> {
    let cc = match acting.ticket_cc(ticket.id).await {
        Ok(cc) => cc,
        Err(Error::Unsupported { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let agents = if staff {
        acting.ticket_followers(ticket.id).await?
    } else {
        Vec::new()
    };
    Ok(Some(Following { cc, agents }))
}

/// The page's words for a refusal, from the code a page was sent back with.
fn refusal_key(code: &str) -> &'static str {
    match code {
        "validation" => "cc_refused_validation",
        "forbidden" | "not_found" => "cc_refused_forbidden",
        _ => "cc_refused_other",
    }
}

/// The CC section of a ticket page (and, for staff, the followers), `refused` the code the
/// page was sent back with.
pub fn section(
    user: &PageUser,
    ticket: &Ticket,
    following: &Following,
    agents: &[Agent],
    refused: Option<&str>,
) -> Markup {
    let lang: Language = user.language;
    let staff = !user.is_customer();
    let cc_action = format!("/tickets/{}/cc", ticket.id);
    let follow_action = format!("/tickets/{}/follow", ticket.id);
    let me = user.acting.principal().agent().map(|a| a.id);
    let follows = me.is_some_and(|id| following.agents.contains(&id));
    html! {
        section #cc {
            h2 { (t(lang, "cc")) }
            @if let Some(code) = refused {
                p.error role="alert" #cc-error { (t(lang, "cc_refused")) " " (t(lang, refusal_key(code))) }
            }
            @if following.cc.is_empty() {
                p.meta { (t(lang, "cc_none")) }
            }
            ul.cc {
                @for a in &following.cc {
                    li.cc-address {
                        (a)
                        form.inline method="post" action=(cc_action) {
                            (csrf_input(user))
                            input type="hidden" name="action" value="remove";
                            input type="hidden" name="address" value=(a);
                            button.remove-cc type="submit" title=(t(lang, "cc_remove")) aria-label=(t(lang, "cc_remove")) { "×" }
                        }
                    }
                }
            }
            form #add-cc method="post" action=(cc_action) {
                (csrf_input(user))
                input type="hidden" name="action" value="add";
                input type="email" name="address" maxlength="254" placeholder=(t(lang, "cc_placeholder")) required;
                button type="submit" { (t(lang, "cc_add")) }
            }
        }
        @if staff {
            section #followers {
                h2 { (t(lang, "followers")) }
                @if following.agents.is_empty() {
                    p.meta { (t(lang, "followers_none")) }
                }
                ul.followers {
                    @for id in &following.agents {
                        li { (agents.iter().find(|a| a.id == *id).map_or_else(|| id.to_string(), |a| a.name.to_string())) }
                    }
                }
                @if me.is_some() {
                    form #follow method="post" action=(follow_action) {
                        (csrf_input(user))
                        @if follows {
                            input type="hidden" name="action" value="unfollow";
                            button type="submit" { (t(lang, "unfollow")) }
                        } @else {
                            input type="hidden" name="action" value="follow";
                            button type="submit" { (t(lang, "follow")) }
                        }
                    }
                }
            }
        }
    }
}

/// `POST /tickets/{ticket}/cc`: adds or removes the address typed; back to the ticket,
/// with the refusal when the desk refused.
async fn post_cc(Path(key): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let acting = &user.acting;
    let ticket = acting.ticket(parse::<TicketKey>(&key)?).await?;
    let address = field(&form, "address");
    let done = if field(&form, "action") == "remove" {
        acting.remove_cc(ticket.id, address).await
    } else {
        acting.add_cc(ticket.id, &[address]).await
    };
    match done.map_err(ApiError::from) {
        Ok(_) => Ok(see_other(&format!("/tickets/{}#cc", ticket.id))),
        Err(e) if e.status.is_server_error() => Err(e.into()),
        Err(e) => {
            let code = match e.code {
                "validation" => "validation",
                "forbidden" => "forbidden",
                "not_found" => "not_found",
                _ => "other",
            };
            Ok(see_other(&format!(
                "/tickets/{}?cc_refused={code}#cc",
                ticket.id
            )))
        }
    }
}

/// `POST /tickets/{ticket}/follow`: the agent follows or stops following the ticket.
async fn post_follow(Path(key): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let acting = &user.acting;
    let ticket = acting.ticket(parse::<TicketKey>(&key)?).await?;
    if field(&form, "action") == "unfollow" {
        acting.unfollow_ticket(ticket.id).await?;
    } else {
        acting.follow_ticket(ticket.id).await?;
    }
    Ok(see_other(&format!("/tickets/{}#followers", ticket.id)))
}

/// A form field, trimmed (empty when missing).
fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map_or("", |v| v.trim())
}
