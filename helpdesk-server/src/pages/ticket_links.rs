//! The agent's ticket page, linked tickets: a master ticket's linked tickets with their
//! states, where a message came from (a master, a merge, a split), and the merge and split
//! forms, each offered only when the agent may use it, whose refusals show inline (in the
//! reader's words) with what was typed kept.

use axum::extract::Path;
use axum::http::StatusCode;
use helpdesk::domain::{
    Language, Message, MessageId, Origin, OriginKind, Subject, Ticket, TicketKey,
};
use helpdesk::machine::{Command, SplitRequest};
use maud::{Markup, html};

use super::layout::{csrf_input, status_badge, t};
use super::ticket_actions::Offered;
use super::{PageResult, see_other};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};

/// What the merge and split forms hold when shown again after a refusal.
#[derive(Debug, Default, Clone)]
pub(crate) struct LinkDraft {
    /// The refusal, in the reader's words ([`refusals::inline`](super::refusals::inline)).
    pub error: Option<Markup>,
    /// Which form it is about: `merge` or `split`.
    pub form: Option<&'static str>,
    /// The merge target as typed.
    pub target: String,
    /// The split's subject as typed.
    pub subject: String,
    /// The messages ticked for the split.
    pub messages: Vec<String>,
}

/// The marker of a message that came from another ticket; staff see its number.
pub(crate) fn origin_marker(lang: Language, origin: &Option<Origin>, staff: bool) -> Markup {
    let Some(o) = origin else {
        return html! {};
    };
    let key = match o.kind {
        OriginKind::Master => "origin_master",
        OriginKind::Merge => "origin_merge",
        OriginKind::Split => "origin_split",
    };
    html! {
        " · " span.origin { (t(lang, key)) @if staff { " #" (o.number.short()) } }
    }
}

/// A master ticket's linked tickets with their states (nothing when it has none).
pub(crate) fn linked_section(lang: Language, linked: &[Ticket]) -> Markup {
    if linked.is_empty() {
        return html! {};
    }
    html! {
        h2 { (t(lang, "linked_tickets")) }
        table #linked-tickets {
            @for l in linked {
                tr {
                    td { a href={ "/tickets/" (l.id) } { "#" (l.number.short()) } }
                    td { bdi { (l.subject) } }
                    td { (status_badge(lang, l.status)) }
                }
            }
        }
    }
}

/// The merge and split forms of `ticket`, each when `offered`, its `thread` (the page
/// shown) to pick from.
pub(crate) fn forms(
    lang: Language,
    user: &PageUser,
    ticket: &Ticket,
    thread: &[Message],
    draft: &LinkDraft,
    offered: &Offered,
) -> Markup {
    let error_of = |form: &str| draft.error.as_ref().filter(|_| draft.form == Some(form));
    html! {
        @if offered.merge {
            h2 { (t(lang, "merge_into")) }
            form #merge-form method="post" action={ "/tickets/" (ticket.id) "/merge" } {
                (csrf_input(user))
                @if let Some(e) = error_of("merge") { div #merge-error { (e) } }
                label { (t(lang, "merge_target")) " " input type="text" name="target" value=(draft.target) required; }
                button { (t(lang, "merge_button")) }
            }
        }
        @if offered.split {
            h2 { (t(lang, "split_title")) }
            form #split-form method="post" action={ "/tickets/" (ticket.id) "/split" } {
                (csrf_input(user))
                @if let Some(e) = error_of("split") { div #split-error { (e) } }
                fieldset {
                    legend { (t(lang, "split_pick")) }
                    @for m in thread {
                        @let id = m.id.to_string();
                        label {
                            input type="checkbox" name={ "message-" (id) } value="on" checked[draft.messages.contains(&id)];
                            " " bdi { (excerpt(m)) }
                        }
                    }
                }
                label { (t(lang, "split_subject")) " " input type="text" name="subject" value=(draft.subject); }
                button { (t(lang, "split_button")) }
            }
        }
    }
}

/// The first words of a message, to pick it by.
fn excerpt(m: &Message) -> String {
    let text: String = m.body.as_str().chars().take(60).collect();
    text.replace('\n', " ")
}

/// Whether a refusal is shown inline (bad input, a state that forbids it) rather than as an
/// error page (forbidden, or the server's fault).
fn inline(e: &ApiError) -> bool {
    e.status != StatusCode::FORBIDDEN && !e.status.is_server_error()
}

/// The merge form posted: to the target's page, or this page again with the refusal.
pub(crate) async fn merge(Path(key): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let typed = form
        .get("target")
        .map(|v| v.trim().to_owned())
        .unwrap_or_default();
    let result: Result<Ticket, ApiError> = async {
        let source = user.acting.ticket(parse::<TicketKey>(&key)?).await?;
        let target = user.acting.ticket(parse::<TicketKey>(&typed)?).await?;
        user.acting
            .execute(source.id, Command::MergeInto { target: target.id })
            .await?;
        Ok(target)
    }
    .await;
    match result {
        Ok(target) => Ok(see_other(&format!("/tickets/{}", target.id))),
        Err(e) if !inline(&e) => Err(e.into()),
        Err(e) => {
            let status = e.status;
            let draft = LinkDraft {
                error: Some(super::refusals::inline(user.language, &e)),
                form: Some("merge"),
                target: typed,
                ..LinkDraft::default()
            };
            super::tickets::render(&user, &key, None, draft, status).await
        }
    }
}

/// The split form posted: to the new ticket's page, or this page again with the refusal.
pub(crate) async fn split(Path(key): Path<String>, Posted { user, form }: Posted) -> PageResult {
    // One check box per message, named `message-{id}` (the form's fields are a map).
    let mut ticked: Vec<String> = (form.keys())
        .filter_map(|k| k.strip_prefix("message-"))
        .map(str::to_owned)
        .collect();
    ticked.sort();
    let subject = form
        .get("subject")
        .map(|v| v.trim().to_owned())
        .unwrap_or_default();
    let result: Result<Ticket, ApiError> = async {
        let messages = ticked
            .iter()
            .map(|m| parse::<MessageId>(m))
            .collect::<Result<Vec<_>, _>>()?;
        let subject = Some(subject.as_str())
            .filter(|s| !s.is_empty())
            .map(Subject::parse)
            .transpose()?;
        let done = user
            .acting
            .split_ticket(
                parse::<TicketKey>(&key)?,
                SplitRequest { messages, subject },
            )
            .await?;
        Ok(done.split)
    }
    .await;
    match result {
        Ok(split) => Ok(see_other(&format!("/tickets/{}", split.id))),
        Err(e) if !inline(&e) => Err(e.into()),
        Err(e) => {
            let status = e.status;
            let draft = LinkDraft {
                error: Some(super::refusals::inline(user.language, &e)),
                form: Some("split"),
                subject,
                messages: ticked,
                ..LinkDraft::default()
            };
            super::tickets::render(&user, &key, None, draft, status).await
        }
    }
}
