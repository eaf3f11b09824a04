//! What the queue does to many tickets at once, and its saved views: the tickets ticked are
//! assigned, moved to a status, closed, merged or given a macro one by one (each ticket in
//! its own commit), and the page after tells, ticket by ticket, what was done and what the
//! desk refused (in the reader's language); the filters shown are saved as a view (the
//! library's saved searches), or a view deleted.

use std::collections::HashMap;

use axum::Router;
use axum::extract::Path;
use axum::response::IntoResponse;
use axum::routing::post;
use helpdesk::automation::Macro;
use helpdesk::domain::{
    Agent, AgentId, Language, MacroId, Name, Resolution, SavedSearchId, Ticket, TicketKey,
};
use helpdesk::machine::Command;
use helpdesk::service::MacroOutcome;
use maud::{Markup, html};

use super::console::{LIST_FIELDS, QueueQuery};
use super::layout::{layout, t};
use super::refusals::refusal_key;
use super::{PageResult, see_other};
use crate::error::ApiError;
use crate::extract::{Posted, parse};
use crate::state::AppState;

/// The routes of the queue's bulk actions and saved views.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/bulk", post(bulk))
        .route("/console/views", post(save_view))
        .route("/console/views/{id}/delete", post(delete_view))
}

/// The bulk controls under the queue (inside its form): assign, change status, close.
pub fn bulk_controls(lang: Language, agents: &[Agent]) -> Markup {
    html! {
        fieldset.bulk #bulk-actions {
            legend { (t(lang, "bulk_actions")) }
            label { (t(lang, "queue_assignee")) " "
                select #bulk-agent name="agent" {
                    option value="me" { (t(lang, "queue_me")) }
                    option value="none" { (t(lang, "queue_unassigned")) }
                    @for a in agents { option value=(a.id) { (a.name) } }
                }
            }
            button #bulk-assign type="submit" name="bulk" value="assign" formaction="/console/bulk" formnovalidate { (t(lang, "bulk_assign")) }
            " "
            label { (t(lang, "queue_status")) " "
                select name="transition" {
                    option value="resolve" { (t(lang, "bulk_resolve")) }
                    option value="hold" { (t(lang, "bulk_hold")) }
                    option value="reopen" { (t(lang, "bulk_reopen")) }
                }
            }
            button #bulk-transition type="submit" name="bulk" value="transition" formaction="/console/bulk" formnovalidate { (t(lang, "bulk_transition")) }
            " "
            label { (t(lang, "bulk_resolution")) " "
                select name="resolution" {
                    option value="solved" { (t(lang, "bulk_solved")) }
                    option value="unsolved" { (t(lang, "bulk_unsolved")) }
                }
            }
            button #bulk-close type="submit" name="bulk" value="close" formaction="/console/bulk" formnovalidate { (t(lang, "bulk_close")) }
            " "
            label { (t(lang, "bulk_merge_target")) " "
                input #bulk-merge-target type="text" name="merge_target" inputmode="numeric" size="10";
            }
            button #bulk-merge type="submit" name="bulk" value="merge" formaction="/console/bulk" formnovalidate { (t(lang, "bulk_merge")) }
        }
    }
}

/// The macro choice of the bulk controls (inside the queue's form); nothing when the desk
/// has no macro.
pub fn bulk_macro_controls(lang: Language, macros: &[Macro]) -> Markup {
    html! {
        @if !macros.is_empty() {
            fieldset.bulk #bulk-macro {
                legend { (t(lang, "automation_apply_macro")) }
                label { (t(lang, "automation_macro")) " "
                    select #bulk-macro-choice name="macro" {
                        @for m in macros { option value=(m.id) { (m.name.as_str()) } }
                    }
                }
                " "
                button #bulk-apply-macro type="submit" name="bulk" value="macro" formaction="/console/bulk" formnovalidate { (t(lang, "automation_apply")) }
            }
        }
    }
}

/// The command a bulk form asks for, the same for every ticket.
fn command_of(form: &HashMap<String, String>, me: Option<AgentId>) -> Result<Command, ApiError> {
    let field = |k: &str| form.get(k).map(|v| v.trim()).unwrap_or_default();
    Ok(match field("bulk") {
        "assign" => Command::Assign {
            agent: match field("agent") {
                "none" => None,
                "me" | "" => Some(me.ok_or_else(|| ApiError::bad_request("agent: choose one"))?),
                id => Some(parse::<AgentId>(id)?),
            },
        },
        "transition" => match field("transition") {
            "resolve" => Command::Resolve { body: None },
            "hold" => Command::PutOnHold {
                reason: None,
                until: None,
            },
            "reopen" => Command::Reopen,
            _ => return Err(ApiError::bad_request("transition: choose one")),
        },
        "close" => Command::Close {
            resolution: match field("resolution") {
                "unsolved" => Resolution::Unsolved,
                _ => Resolution::Solved,
            },
        },
        _ => return Err(ApiError::bad_request("bulk: choose an action")),
    })
}

/// The merge a bulk form asks for: into the ticket named (number or id), which must be
/// one the agent may see.
async fn merge_command(
    acting: &helpdesk::service::Acting,
    form: &HashMap<String, String>,
) -> Result<Command, ApiError> {
    let named = form
        .get("merge_target")
        .map(|v| v.trim())
        .unwrap_or_default();
    if named.is_empty() {
        return Err(ApiError::from(helpdesk::error::ValidationError::new(
            "merge_target",
            "name the ticket to merge into",
        )));
    }
    let key: TicketKey = parse(named)?;
    let target = acting.ticket(key).await?;
    Ok(Command::MergeInto { target: target.id })
}

/// What happened to one ticket of a bulk action.
struct Done {
    key: TicketKey,
    ticket: Option<Ticket>,
    refused: Option<ApiError>,
}

/// `POST /console/bulk`: the command for each ticket ticked, one by one; the page after
/// lists each ticket with what was done or why not.
async fn bulk(Posted { user, form }: Posted) -> PageResult {
    let lang = user.language;
    let mut ticked: Vec<&str> = form.keys().filter_map(|k| k.strip_prefix("sel_")).collect();
    // In one order, whatever order the form's fields came in.
    ticked.sort_unstable();
    let keys: Vec<TicketKey> = ticked
        .into_iter()
        .map(parse::<TicketKey>)
        .collect::<Result<_, _>>()?;
    let back = form
        .get("back")
        .filter(|b| b.starts_with("/console") && !b.contains(['\r', '\n']))
        .cloned()
        .unwrap_or_else(|| "/console".to_owned());
    let mut results = Vec::new();
    let command = match form.get("bulk").map(|b| b.trim()) {
        // Merging: every ticket ticked into the one named, found first.
        Some("merge") => merge_command(&user.acting, &form).await.map(Some),
        // A macro: applied by the library, each ticket in its own commit.
        Some("macro") => match macro_results(&user.acting, &form, keys.clone()).await {
            Ok(done) => {
                results = done;
                Ok(None)
            }
            Err(e) => Err(e),
        },
        _ => command_of(&form, user.acting.principal().agent().map(|a| a.id)).map(Some),
    };
    if let Ok(Some(command)) = &command {
        for key in keys {
            let done = match user.acting.ticket(key.clone()).await {
                Ok(ticket) => match user.acting.execute(ticket.id, command.clone()).await {
                    Ok(outcome) => Done {
                        key,
                        ticket: Some(outcome.ticket().clone()),
                        refused: None,
                    },
                    Err(e) => Done {
                        key,
                        ticket: Some(ticket),
                        refused: Some(e.into()),
                    },
                },
                Err(e) => Done {
                    key,
                    ticket: None,
                    refused: Some(e.into()),
                },
            };
            // A store that failed decides nothing: no page of results claims otherwise.
            if done
                .refused
                .as_ref()
                .is_some_and(|e| e.status.is_server_error())
                && let Some(e) = done.refused
            {
                return Err(e.into());
            }
            results.push(done);
        }
    }
    let done_count = results.iter().filter(|d| d.refused.is_none()).count();
    let body = html! {
        h1 { (t(lang, "bulk_results")) }
        @match &command {
            Err(e) => { (super::refusals::inline(lang, e)) }
            Ok(_) if results.is_empty() => { p.error #bulk-error role="alert" { (t(lang, "bulk_none_selected")) } }
            Ok(_) => {
                p #bulk-summary { (t(lang, "bulk_done_count")) " " strong { (done_count) } " / " (results.len()) }
                div.table-scroll {
                    table #bulk-results {
                        tr { th { (t(lang, "col_ticket")) } th { (t(lang, "bulk_result")) } }
                        @for d in &results {
                            tr data-done=(d.refused.is_none()) {
                                td { @match &d.ticket {
                                    Some(ticket) => { a href={ "/tickets/" (ticket.id) } { (ticket.number.short()) } " " span dir="auto" { (ticket.subject) } }
                                    None => { (d.key.to_string()) }
                                } }
                                td { @match &d.refused {
                                    None => { span.done { (t(lang, "bulk_done")) } }
                                    Some(e) => { span.error { (t(lang, refusal_key(e))) } }
                                } }
                            }
                        }
                    }
                }
            }
        }
        p { a #back href=(back) { (t(lang, "bulk_back_to_queue")) } }
    };
    Ok(layout(t(lang, "bulk_results"), Some(&user), body).into_response())
}

/// The macro the form names applied to the tickets `keys` name: one result per ticket, in
/// order (a ticket not found is refused on its own; a failed store fails the page).
async fn macro_results(
    acting: &helpdesk::service::Acting,
    form: &HashMap<String, String>,
    keys: Vec<TicketKey>,
) -> Result<Vec<Done>, ApiError> {
    let chosen: MacroId = parse(form.get("macro").map_or("", |v| v.trim()))?;
    let mut found = Vec::with_capacity(keys.len());
    for key in keys {
        match acting.ticket(key.clone()).await {
            Ok(ticket) => found.push((key, Ok(ticket))),
            Err(e) => found.push((key, Err(ApiError::from(e)))),
        }
    }
    let ids: Vec<_> = (found.iter())
        .filter_map(|(_, t)| t.as_ref().ok().map(|t| t.id))
        .collect();
    let mut outcomes: HashMap<_, _> = if ids.is_empty() {
        HashMap::new()
    } else {
        acting
            .apply_macro(chosen, &ids)
            .await?
            .into_iter()
            .collect()
    };
    let mut results = Vec::with_capacity(found.len());
    for (key, ticket) in found {
        let done = match ticket {
            Err(e) => Done {
                key,
                ticket: None,
                refused: Some(e),
            },
            Ok(ticket) => match outcomes.remove(&ticket.id) {
                Some(MacroOutcome::Changed(after)) => Done {
                    key,
                    ticket: Some(*after),
                    refused: None,
                },
                Some(MacroOutcome::Refused(e)) => Done {
                    key,
                    ticket: Some(ticket),
                    refused: Some(e.into()),
                },
                // Unchanged, or the same ticket named twice: nothing left to do.
                Some(MacroOutcome::Unchanged) | None => Done {
                    key,
                    ticket: Some(ticket),
                    refused: None,
                },
            },
        };
        if done
            .refused
            .as_ref()
            .is_some_and(|e| e.status.is_server_error())
            && let Some(e) = done.refused
        {
            return Err(e);
        }
        results.push(done);
    }
    Ok(results)
}

/// `POST /console/views`: the filters shown saved under the name typed; the queue with
/// the new view, or with the refusal.
async fn save_view(Posted { user, form }: Posted) -> PageResult {
    let query = QueueQuery(
        LIST_FIELDS
            .iter()
            .filter(|k| **k != "sla")
            .filter_map(|k| form.get(*k).map(|v| ((*k).to_owned(), v.clone())))
            .collect(),
    );
    let list = query.list(user.acting.principal().agent(), user.acting.desk().now());
    let name = Name::parse(form.get("name").map(String::as_str).unwrap_or_default())?;
    let filter = list.filter()?;
    let order = list.order.unwrap_or_default();
    let saved = user
        .acting
        .save_search(name, query.pick("q"), filter, order)
        .await?;
    Ok(see_other(&format!("/console?view={}", saved.id)))
}

/// `POST /console/views/{id}/delete`: one of the agent's views deleted; the queue.
async fn delete_view(Path(id): Path<String>, Posted { user, .. }: Posted) -> PageResult {
    let id: SavedSearchId = parse(&id)?;
    user.acting.delete_saved_search(id).await?;
    Ok(see_other("/console"))
}
