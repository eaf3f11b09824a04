//! The agent's actions on the ticket page (issue 21, problem 5): assign or unassign, the
//! priority, ask the customer (pending), the status changes, link to a master ticket and log
//! time. Each is offered only when the library would allow it: the agent holds the
//! permission the command needs in the ticket's department
//! ([`required_permission`]) and the status table has the step from the ticket's status
//! ([`next_status`]). A refusal is shown inline on the form that caused it, with what was
//! typed kept.

use std::collections::HashMap;

use axum::extract::{FromRequest, Path, Request, State};
use axum::response::IntoResponse;
use chrono::{NaiveDateTime, TimeZone, Utc};
use helpdesk::domain::{
    Agent, MessageBody, Minutes, Permission, Priority, Resolution, ShortNote, Status, StatusLabels,
    Ticket, TicketKey,
};
use helpdesk::machine::{Command, CommandKind, Step, next_status, required_permission};
use helpdesk::service::ExecOptions;
use maud::{Markup, html};

use super::layout::{csrf_input, t};
use super::notices::priority_word;
use super::refusals;
use super::{PageResult, see_other};
use crate::error::ApiError;
use crate::extract::{PageSession, PageUser, parse};
use crate::forms::StrictForm;
use crate::session::CSRF_FIELD;
use crate::state::AppState;

/// What the action forms hold when shown again after a refusal: which form, the refusal
/// (in the reader's words) and the fields as typed.
#[derive(Default)]
pub(crate) struct ActionDraft {
    /// The form refused (the posted `action`, or `transition` for a status change).
    pub form: Option<String>,
    /// The refusal, rendered.
    pub error: Option<Markup>,
    /// The fields as posted.
    pub fields: HashMap<String, String>,
}

impl ActionDraft {
    /// The refusal, when it is about `form`.
    pub(crate) fn error_of(&self, form: &str) -> Option<&Markup> {
        self.error
            .as_ref()
            .filter(|_| self.form.as_deref() == Some(form))
    }

    /// A field as typed into `form` when it was refused, else empty.
    fn typed(&self, form: &str, field: &str) -> &str {
        match self.form.as_deref() {
            Some(f) if f == form => self.fields.get(field).map_or("", String::as_str),
            _ => "",
        }
    }
}

/// The status changes, as the form names them: each with the command kind and the step the
/// library checks, and the status it leads to (for its label).
const TRANSITIONS: [(&str, CommandKind, Step, Status); 6] = [
    (
        "resolve",
        CommandKind::Resolve,
        Step::Resolve,
        Status::Resolved,
    ),
    ("hold", CommandKind::PutOnHold, Step::Hold, Status::OnHold),
    (
        "close",
        CommandKind::Close,
        Step::Close(Resolution::Solved),
        Status::Closed(Resolution::Solved),
    ),
    (
        "close_unsolved",
        CommandKind::Close,
        Step::Close(Resolution::Unsolved),
        Status::Closed(Resolution::Unsolved),
    ),
    (
        "close_duplicate",
        CommandKind::Close,
        Step::Close(Resolution::Duplicate),
        Status::Closed(Resolution::Duplicate),
    ),
    ("reopen", CommandKind::Reopen, Step::Reopen, Status::Open),
];

/// Which actions the signed-in agent is offered on a ticket.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Offered {
    /// Assign or unassign.
    pub assign: bool,
    /// Ask the customer (→ pending).
    pub ask: bool,
    /// The status changes, by their form value.
    pub transitions: Vec<&'static str>,
    /// Link to (or unlink from) a master ticket.
    pub link: bool,
    /// Merge into another ticket.
    pub merge: bool,
    /// Split messages off into a new ticket.
    pub split: bool,
    /// Internal notes and time logged.
    pub note: bool,
    /// Public replies.
    pub reply: bool,
}

/// What `agent` (none for a customer) may do to `ticket`, by the library's rules.
pub(crate) fn offered(agent: Option<&Agent>, ticket: &Ticket) -> Offered {
    let Some(agent) = agent else {
        return Offered::default();
    };
    let may = |kind: CommandKind, step: Step| {
        agent.can(required_permission(kind), ticket.department)
            && next_status(ticket.status, step).is_some()
    };
    Offered {
        assign: may(CommandKind::Assign, Step::Edit),
        ask: may(CommandKind::AskCustomer, Step::AskCustomer) && ticket.customer.is_some(),
        transitions: TRANSITIONS
            .iter()
            .filter(|(_, kind, step, _)| may(*kind, *step))
            .map(|(value, ..)| *value)
            .collect(),
        link: may(CommandKind::LinkToMaster, Step::Edit),
        merge: may(CommandKind::MergeInto, Step::Merge),
        split: may(CommandKind::Split, Step::Edit),
        note: may(CommandKind::AddNote, Step::Note),
        reply: may(CommandKind::Reply, Step::AgentReply),
    }
}

/// The agents a ticket may be assigned to: the active ones who work in its department.
pub(crate) fn assignable<'a>(agents: &'a [Agent], ticket: &Ticket) -> Vec<&'a Agent> {
    agents
        .iter()
        .filter(|a| a.active && a.can(Permission::Read, ticket.department))
        .collect()
}

/// What the action forms need besides the ticket.
pub(crate) struct ActionsInput<'a> {
    /// Every agent (the assignee's name, who can be assigned).
    pub agents: &'a [Agent],
    /// The priorities the agent may set (none: no priority form).
    pub priorities: &'a [Priority],
    /// What is offered.
    pub offered: &'a Offered,
    /// The forms as last posted.
    pub draft: &'a ActionDraft,
}

/// The action forms the agent is offered (nothing for what is not).
pub(crate) fn section(user: &PageUser, ticket: &Ticket, input: &ActionsInput<'_>) -> Markup {
    let lang = user.language;
    let ActionsInput {
        agents,
        priorities,
        offered,
        draft,
    } = input;
    let action = format!("/tickets/{}/action", ticket.id);
    let labels = StatusLabels::new(lang);
    let nothing = !offered.assign
        && priorities.is_empty()
        && !offered.ask
        && offered.transitions.is_empty()
        && !offered.link
        && !offered.note;
    html! {
        h2 #actions { (t(lang, "actions")) }
        @if nothing { p.meta #no-actions { (t(lang, "no_actions")) } }
        @if offered.assign {
            form #assign-form method="post" action=(action) {
                (csrf_input(user))
                @if let Some(e) = draft.error_of("assign") { (e) }
                input type="hidden" name="action" value="assign";
                label { (t(lang, "assignee")) " " select name="agent" {
                    option value="" { (t(lang, "unassigned")) }
                    @for a in assignable(agents, ticket) { option value=(a.id) selected[ticket.assignee == Some(a.id)] { (a.name) } }
                } }
                button { (t(lang, "assign")) }
            }
        }
        @if !priorities.is_empty() {
            form #priority-form method="post" action=(action) {
                (csrf_input(user))
                @if let Some(e) = draft.error_of("priority") { (e) }
                input type="hidden" name="action" value="priority";
                label { (t(lang, "priority")) " " select name="priority" {
                    @for p in priorities.iter() { option value=(p.as_str()) selected[*p == ticket.priority] { (priority_word(lang, *p)) } }
                } }
                button { (t(lang, "set_priority")) }
            }
        }
        @if offered.ask {
            form #ask-form method="post" action=(action) {
                (csrf_input(user))
                @if let Some(e) = draft.error_of("ask") { (e) }
                input type="hidden" name="action" value="ask";
                label { (t(lang, "ask_question")) " " textarea name="body" dir="auto" required { (draft.typed("ask", "body")) } }
                label { (t(lang, "ask_until")) " " input type="datetime-local" name="until" value=(draft.typed("ask", "until")); }
                button { (t(lang, "ask_customer")) }
            }
        }
        @if !offered.transitions.is_empty() {
            form #transition-form method="post" action=(action) {
                (csrf_input(user))
                @if let Some(e) = draft.error_of("transition") { (e) }
                label { (t(lang, "new_status")) " " select name="action" {
                    @for (value, _, _, to) in TRANSITIONS.iter().filter(|(v, ..)| offered.transitions.contains(v)) {
                        option value=(value) selected[draft.typed("transition", "action") == *value] { (labels.label(*to)) }
                    }
                } }
                button { (t(lang, "change_status")) }
            }
        }
        @if offered.link {
            form #link-form method="post" action=(action) {
                (csrf_input(user))
                @if let Some(e) = draft.error_of("link") { (e) }
                input type="hidden" name="action" value="link";
                @if let Some(master) = ticket.master {
                    p { (t(lang, "linked_to_master")) " " a href={ "/tickets/" (master) } { (t(lang, "master_ticket")) } }
                }
                label { (t(lang, "master_placeholder")) " " input type="text" name="master" value=(draft.typed("link", "master")); }
                button { (t(lang, "link_to_master")) }
            }
        }
        @if offered.note {
            form #log-time-form method="post" action=(action) {
                (csrf_input(user))
                @if let Some(e) = draft.error_of("log_time") { (e) }
                input type="hidden" name="action" value="log_time";
                label { (t(lang, "minutes")) " " input type="number" name="minutes" min="1" value=(draft.typed("log_time", "minutes")) required; }
                label { input type="checkbox" name="billable" value="true" checked[!draft.typed("log_time", "billable").is_empty()]; " " (t(lang, "billable")) }
                label { input #note-visible type="checkbox" name="note_visible_to_customer" value="true" checked[!draft.typed("log_time", "note_visible_to_customer").is_empty()]; " " (t(lang, "note_to_customer")) }
                label { (t(lang, "note")) " " input type="text" name="note" value=(draft.typed("log_time", "note")); }
                button { (t(lang, "log_time")) }
            }
        }
    }
}

/// The forms that show their refusal inline.
const INLINE_FORMS: [&str; 7] = [
    "assign",
    "priority",
    "ask",
    "transition",
    "link",
    "log_time",
    "decide_priority",
];

/// The posted `action`.
fn action(form: &HashMap<String, String>) -> &str {
    form.get("action").map_or("", |a| a.trim())
}

/// The form a posted `action` belongs to (the status changes share one).
fn form_of(action: &str) -> &str {
    if TRANSITIONS.iter().any(|(v, ..)| *v == action) {
        "transition"
    } else {
        action
    }
}

/// A `datetime-local` field's value (`2026-12-07T14:30`), taken as UTC.
fn until(raw: &str) -> Result<chrono::DateTime<Utc>, ApiError> {
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .map(|at| Utc.from_utc_datetime(&at))
        .map_err(|_| {
            ApiError::from(helpdesk::Error::validation(
                "until",
                "give a date and time such as 2026-12-07T14:30",
            ))
        })
}

/// The command a posted action form asks for on `ticket`.
async fn command(user: &PageUser, form: &HashMap<String, String>) -> Result<Command, ApiError> {
    let acting = &user.acting;
    let field = |k: &str| form.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    if let Some(command) = status_change(action(form)) {
        return Ok(command);
    }
    let command = match field("action").unwrap_or_default() {
        "decide_priority" => Command::DecidePriorityRequest {
            approve: field("approve") == Some("true"),
        },
        "ask" => Command::AskCustomer {
            body: MessageBody::parse(field("body").unwrap_or_default())?,
            until: field("until").map(until).transpose()?,
        },
        "link" => {
            let master = match field("master") {
                Some(typed) => Some(acting.ticket(parse::<TicketKey>(typed)?).await?.id),
                None => None,
            };
            Command::LinkToMaster { master }
        }
        "log_time" => Command::LogTime {
            minutes: Minutes::new(field("minutes").and_then(|m| m.parse().ok()).ok_or_else(
                || {
                    ApiError::from(helpdesk::Error::validation(
                        "minutes",
                        "give a whole number of minutes",
                    ))
                },
            )?)?,
            billable: field("billable").is_some(),
            note: ShortNote::parse(field("note").unwrap_or_default())?,
            note_visible_to_customer: field("note_visible_to_customer").is_some(),
        },
        "assign" => Command::Assign {
            agent: field("agent").map(str::parse).transpose()?,
        },
        "priority" => Command::ChangePriority {
            priority: Priority::ALL
                .into_iter()
                .find(|p| Some(p.as_str()) == field("priority"))
                .ok_or_else(|| ApiError::bad_request("unknown priority"))?,
        },
        other => return Err(ApiError::bad_request(format!("unknown action {other:?}"))),
    };
    Ok(command)
}

/// The status change a posted `action` asks for, which needs nothing read to be made;
/// `None` for the other actions.
fn status_change(action: &str) -> Option<Command> {
    Some(match action {
        "confirm" => Command::ConfirmResolution,
        "resolve" => Command::Resolve { body: None },
        "hold" => Command::PutOnHold {
            reason: None,
            until: None,
        },
        "close" => Command::Close {
            resolution: Resolution::Solved,
        },
        "close_unsolved" => Command::Close {
            resolution: Resolution::Unsolved,
        },
        "close_duplicate" => Command::Close {
            resolution: Resolution::Duplicate,
        },
        "reopen" => Command::Reopen,
        _ => return None,
    })
}

/// A staff action (or the customer's confirmation) posted from the ticket page: back to the
/// page, or the page again with the refusal beside the form and what was typed. A status
/// change reads its principal with what it decides on, in one store call
/// (`execute_as_with`); a refusal is the principal's first, as for every page.
pub(crate) async fn ticket_action(
    State(state): State<AppState>,
    Path(key): Path<String>,
    session: PageSession,
    req: Request,
) -> PageResult {
    let form = match StrictForm::from_request(req, &state).await {
        Ok(StrictForm(form)) => form,
        Err(e) => return Ok(session.refused(&state.desk, e).await.into_response()),
    };
    if session.csrf_matches(form.get(CSRF_FIELD))
        && let (Some(command), Ok(typed)) = (status_change(action(&form)), parse::<TicketKey>(&key))
    {
        let options = ExecOptions::default();
        let done = (state.desk)
            .execute_as_with(session.actor(), typed, command, options)
            .await;
        return match done {
            Ok(outcome) => Ok(see_other(&format!("/tickets/{}", outcome.ticket().id))),
            Err(e) => match session.read_user(&state.desk).await {
                Ok(user) => refused(&user, &key, form, e.into()).await,
                Err(refusal) => Ok(refusal.into_response()),
            },
        };
    }
    let user = match session.read_user(&state.desk).await {
        Ok(user) => user,
        Err(refusal) => return Ok(refusal.into_response()),
    };
    user.check_csrf(form.get(CSRF_FIELD))?;
    let ticket = user.acting.ticket(parse::<TicketKey>(&key)?).await?;
    let done: Result<(), ApiError> = async {
        let command = command(&user, &form).await?;
        user.acting.execute(ticket.id, command).await?;
        Ok(())
    }
    .await;
    match done {
        Ok(()) => Ok(see_other(&format!("/tickets/{}", ticket.id))),
        Err(e) => refused(&user, &key, form, e).await,
    }
}

/// The answer to an action refused with `e`: the error page for a failure, a customer's
/// refusal or a form with no place for it; else the ticket page with the refusal beside
/// the form and what was typed.
async fn refused(
    user: &PageUser,
    key: &str,
    form: HashMap<String, String>,
    e: ApiError,
) -> PageResult {
    match e {
        e if e.status.is_server_error() => Err(e.into()),
        // Only staff pages have forms with a place for the refusal; a customer's
        // confirmation refused (a stale page) is an error page with the way back.
        e if user.is_customer() || !INLINE_FORMS.contains(&form_of(action(&form))) => Err(e.into()),
        e => {
            let action = action(&form).to_owned();
            let draft = ActionDraft {
                form: Some(form_of(&action).to_owned()),
                error: Some(refusals::inline(user.language, &e)),
                fields: form,
            };
            super::tickets::render_action(user, key, draft, e.status).await
        }
    }
}
