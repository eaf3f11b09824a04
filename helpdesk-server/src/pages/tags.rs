//! Tags on the agent's pages: the chips on a ticket with their add and remove forms, the
//! tags in use offered as the agent types, and tagging the tickets selected in the queue
//! (all of them or none). A refusal comes back beside the form, in the page's words.

use std::collections::{BTreeSet, HashMap};

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use helpdesk::domain::{Language, Tag, TagCount, Ticket, TicketKey, parse_tag_list};
use helpdesk::error::Error;
use helpdesk::service::Acting;
use maud::{Markup, html};

use super::layout::{csrf_input, t};
use super::{PageResult, see_other};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The most tags in use offered while typing.
const OFFERED: u32 = 50;

/// The tag routes of the pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tickets/{ticket}/tags", post(post_tags))
        .route("/console/tags", post(post_bulk_tags))
}

/// The page's words for a refusal, from the code a page was sent back with.
fn refusal_key(code: &str) -> &'static str {
    match code {
        "validation" => "tag_refused_validation",
        "forbidden" | "not_found" => "tag_refused_forbidden",
        "invalid_transition" => "tag_refused_status",
        "none_selected" => "bulk_none_selected",
        _ => "tag_refused_other",
    }
}

/// The code a refusal is sent back with (one of [`refusal_key`]'s).
fn refusal_code(error: &ApiError) -> &'static str {
    match error.code {
        "validation" => "validation",
        "forbidden" => "forbidden",
        "not_found" => "not_found",
        "invalid_transition" => "invalid_transition",
        _ => "other",
    }
}

/// A refusal shown beside the form, if the page was sent back with one.
pub fn refusal(lang: Language, code: Option<&str>, id: &str) -> Markup {
    html! {
        @if let Some(code) = code {
            p.error role="alert" id=(id) { (t(lang, "tag_refused")) " " (t(lang, refusal_key(code))) }
        }
    }
}

/// The tags in use the principal may see (none where the store counts no tags).
pub async fn offered(acting: &Acting) -> Result<Vec<TagCount>, ApiError> {
    match acting.tags_in_use("", OFFERED).await {
        Ok(found) => Ok(found),
        Err(Error::Unsupported { .. }) => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// The list of the tags in use, for the tag fields' `list` attribute.
pub fn datalist(offered: &[TagCount]) -> Markup {
    html! {
        datalist #tags-in-use {
            @for c in offered { option value=(c.tag) {} }
        }
    }
}

/// The staff's tag section of a ticket page: a chip per tag with its remove button, and
/// the form adding tags; `refused` the code the page was sent back with.
pub fn ticket_tags(
    user: &PageUser,
    ticket: &Ticket,
    offered: &[TagCount],
    refused: Option<&str>,
) -> Markup {
    let lang = user.language;
    let action = format!("/tickets/{}/tags", ticket.id);
    html! {
        section #tags {
            h2 { (t(lang, "tags")) }
            (refusal(lang, refused, "tag-error"))
            @if ticket.tags.is_empty() {
                p.meta { (t(lang, "tag_none")) }
            }
            ul.tags {
                @for tag in &ticket.tags {
                    li.tag-chip {
                        (tag)
                        form.inline method="post" action=(action) {
                            (csrf_input(user))
                            input type="hidden" name="action" value="remove";
                            input type="hidden" name="tags" value=(tag);
                            button.remove-tag type="submit" title=(t(lang, "tag_remove")) aria-label=(t(lang, "tag_remove")) { "×" }
                        }
                    }
                }
            }
            form #add-tags method="post" action=(action) {
                (csrf_input(user))
                input type="hidden" name="action" value="add";
                input type="text" name="tags" list="tags-in-use" maxlength="500" placeholder=(t(lang, "tag_placeholder")) required;
                (datalist(offered))
                button type="submit" { (t(lang, "tag_add")) }
            }
        }
    }
}

/// The tags typed in `form` and whether to add them (else remove).
fn change_of(form: &HashMap<String, String>) -> Result<(BTreeSet<Tag>, bool), ApiError> {
    let typed = form.get("tags").map(String::as_str).unwrap_or_default();
    let tags = parse_tag_list(typed)?;
    if tags.is_empty() {
        return Err(helpdesk::error::ValidationError::new("tags", "type a tag").into());
    }
    Ok((
        tags,
        form.get("action").map(String::as_str) != Some("remove"),
    ))
}

/// `POST /tickets/{ticket}/tags`: adds or removes the tags typed; back to the ticket, with
/// the refusal when the desk refused.
async fn post_tags(Path(key): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let acting = &user.acting;
    let ticket = acting.ticket(parse::<TicketKey>(&key)?).await?;
    let done = match change_of(&form) {
        Ok((tags, true)) => acting.tag_ticket(ticket.id, tags, BTreeSet::new()).await,
        Ok((tags, false)) => acting.tag_ticket(ticket.id, BTreeSet::new(), tags).await,
        Err(e) => return Ok(back(&ticket, refusal_code(&e))),
    };
    match done.map_err(ApiError::from) {
        Ok(_) => Ok(see_other(&format!("/tickets/{}#tags", ticket.id))),
        Err(e) if e.status.is_server_error() => Err(e.into()),
        Err(e) => Ok(back(&ticket, refusal_code(&e))),
    }
}

/// Back to `ticket`'s page with the refusal `code`.
fn back(ticket: &Ticket, code: &str) -> axum::response::Response {
    see_other(&format!("/tickets/{}?tag_refused={code}#tags", ticket.id))
}

/// `POST /console/tags`: tags the tickets ticked in the queue (`sel_ID` fields), all of
/// them or none; back to the queue, with the refusal when the desk refused.
async fn post_bulk_tags(Posted { user, form }: Posted) -> PageResult {
    let keys: Vec<TicketKey> = form
        .keys()
        .filter_map(|k| k.strip_prefix("sel_"))
        .map(parse::<TicketKey>)
        .collect::<Result<_, _>>()?;
    let code = if keys.is_empty() {
        Some("none_selected")
    } else {
        let done = match change_of(&form) {
            Ok((tags, true)) => user.acting.tag_tickets(&keys, tags, BTreeSet::new()).await,
            Ok((tags, false)) => user.acting.tag_tickets(&keys, BTreeSet::new(), tags).await,
            Err(e) => {
                return Ok(see_other(&format!(
                    "/console?bulk_refused={}#bulk",
                    refusal_code(&e)
                )));
            }
        };
        match done.map_err(ApiError::from) {
            Ok(_) => None,
            Err(e) if e.status.is_server_error() => return Err(e.into()),
            Err(e) => Some(refusal_code(&e)),
        }
    };
    Ok(match code {
        None => see_other("/console#bulk"),
        Some(code) => see_other(&format!("/console?bulk_refused={code}#bulk")),
    })
}
