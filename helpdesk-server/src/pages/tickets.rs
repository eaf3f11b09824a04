//! The ticket view, for customers and agents: the thread (each message labelled with its
//! author, [`message_authors`](super::message_authors)), replying (with files and canned
//! responses), the time billed (customers) or logged (agents, who choose whether a note
//! reaches the customer). For staff beside the thread the customer panel
//! ([`ticket_customer`](super::ticket_customer)), the assignee and the SLA clocks
//! ([`ticket_clocks`](super::ticket_clocks)); below it the actions the agent may take
//! ([`ticket_actions`](super::ticket_actions)), a master's linked tickets and the merge and
//! split forms ([`ticket_links`](super::ticket_links)).

use axum::Router;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use helpdesk::domain::{Actor, MessageBody, MessageId, Status, TicketKey, Visibility};
use helpdesk::service::ExecOptions;
use helpdesk::store::TicketThread;
use maud::html;

use axum::http::StatusCode;

use super::canned::{CannedAsk, canned};
use super::layout::{csrf_input, layout, num, status_badge, t, t_args, ticket_type_word};
use super::message_authors::Authors;
use super::notices::{self, Told, priority_word};
use super::ticket_actions::{self, ActionDraft, ActionsInput};
use super::ticket_links::{LinkDraft, forms, linked_section, origin_marker};
use super::words::number;
use super::{PageResult, see_other, when};
use crate::api::messages::{NewMessage, is_internal};
use crate::error::ApiError;
use crate::extract::{PageSession, PageUser, parse};
use crate::session::{CSRF_FIELD, csrf_refused};
use crate::state::AppState;
use crate::uploads::read_multipart;

/// The messages a page of the thread shows.
const THREAD_PAGE: u32 = 50;

/// Which page of the thread a ticket page shows: the newest messages, or those written
/// before the message `before`.
#[derive(Debug, Default, serde::Deserialize)]
struct ThreadAt {
    before: Option<String>,
    /// The code of a refused tag change, shown beside the tag forms.
    tag_refused: Option<String>,
    /// The code of a refused CC change, shown beside the CC form.
    cc_refused: Option<String>,
}

/// The ticket view's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tickets/{ticket}", get(ticket_page))
        .route("/tickets/{ticket}/message", post(post_message))
        .route(
            "/tickets/{ticket}/action",
            post(super::ticket_actions::ticket_action),
        )
        .route("/tickets/{ticket}/merge", post(super::ticket_links::merge))
        .route("/tickets/{ticket}/split", post(super::ticket_links::split))
}

/// `/tickets/{ticket}`: the thread (internal notes for staff), the reply form; for
/// customers the billable time (each note only when the agent made it visible); for staff
/// the actions, time logged and history.
/// A merged ticket's number leads to the page of the ticket it was merged into.
async fn ticket_page(
    State(state): State<AppState>,
    session: PageSession,
    Path(key): Path<String>,
    Query(at): Query<ThreadAt>,
    ask: CannedAsk,
    told: Told,
) -> PageResult {
    let newest = at.before.as_deref().is_none_or(str::is_empty);
    let shown = Shown {
        before: at.before,
        ask,
        told,
        draft: LinkDraft::default(),
        tag_refused: at.tag_refused,
        cc_refused: at.cc_refused,
        action: ActionDraft::default(),
    };
    // The newest page: the principal, the ticket and its thread's page in one store call.
    if let (true, Ok(typed)) = (newest, parse::<TicketKey>(&key)) {
        let answer = (state.desk)
            .ticket_with_thread_as(session.actor(), typed.clone(), THREAD_PAGE)
            .await;
        let (user, read) = match session.admitted(&state.desk, answer).await {
            Ok(admitted) => admitted,
            Err(refusal) => return Ok(refusal.into_response()),
        };
        let read = read?;
        if let TicketKey::Number(_) = typed
            && read.ticket.merged_into.is_some()
        {
            let target = user.acting.merge_target(read.ticket).await?;
            return Ok(see_other(&format!("/tickets/{}", target.id)));
        }
        return page(&user, &key, shown, StatusCode::OK, Some(read)).await;
    }
    let user = match session.read_user(&state.desk).await {
        Ok(user) => user,
        Err(refusal) => return Ok(refusal.into_response()),
    };
    let typed = parse::<TicketKey>(&key)?;
    if let TicketKey::Number(_) = typed {
        let ticket = user.acting.ticket(typed).await?;
        if ticket.merged_into.is_some() {
            let target = user.acting.merge_target(ticket).await?;
            return Ok(see_other(&format!("/tickets/{}", target.id)));
        }
    }
    page(&user, &key, shown, StatusCode::OK, None).await
}

/// What a ticket page shows besides the ticket: the thread's page, a canned response asked
/// for, notices, and the merge and split forms as last posted.
pub(crate) struct Shown {
    before: Option<String>,
    ask: CannedAsk,
    told: Told,
    draft: LinkDraft,
    /// The code of a refused tag change, shown beside the tag forms.
    tag_refused: Option<String>,
    /// The code of a refused CC change, shown beside the CC form.
    cc_refused: Option<String>,
    /// The action forms as last posted.
    action: ActionDraft,
}

/// The ticket page of `key` with the merge and split forms holding `draft` (a refusal shown
/// inline), answered with `status`.
pub(crate) async fn render(
    user: &PageUser,
    key: &str,
    before: Option<String>,
    draft: LinkDraft,
    status: StatusCode,
) -> PageResult {
    let shown = Shown {
        before,
        ask: CannedAsk { id: None },
        told: Told(Vec::new()),
        draft,
        tag_refused: None,
        cc_refused: None,
        action: ActionDraft::default(),
    };
    page(user, key, shown, status, None).await
}

/// The ticket page of `key` with the action forms holding `draft` (a refusal shown inline),
/// answered with `status`.
pub(crate) async fn render_action(
    user: &PageUser,
    key: &str,
    draft: ActionDraft,
    status: StatusCode,
) -> PageResult {
    let shown = Shown {
        before: None,
        ask: CannedAsk { id: None },
        told: Told(Vec::new()),
        draft: LinkDraft::default(),
        tag_refused: None,
        cc_refused: None,
        action: draft,
    };
    page(user, key, shown, status, None).await
}

/// The ticket page of `key`; `read` the ticket with its newest thread page when they were
/// read already (with the principal).
async fn page(
    user: &PageUser,
    key: &str,
    shown: Shown,
    status: StatusCode,
    read: Option<TicketThread>,
) -> PageResult {
    let Shown {
        before: at_before,
        ask,
        told,
        draft,
        tag_refused,
        cc_refused,
        action: action_draft,
    } = shown;
    let lang = user.language;
    let acting = &user.acting;
    let key = parse::<TicketKey>(key)?;
    let before = match at_before.as_deref().filter(|b| !b.is_empty()) {
        Some(b) => Some(parse::<MessageId>(b)?),
        None => None,
    };
    // The newest page comes with the ticket in one store call; an older one after it.
    let (ticket, page) = match (read, before) {
        (Some(read), _) => (read.ticket, read.thread),
        (None, None) => {
            let shown = acting.ticket_with_thread(key, THREAD_PAGE).await?;
            (shown.ticket, shown.thread)
        }
        (None, Some(before)) => {
            let ticket = acting.ticket(key).await?;
            let page = (acting.thread_page(ticket.id, Some(before), THREAD_PAGE)).await?;
            (ticket, page)
        }
    };
    let thread = page.items;
    let staff = !user.is_customer();
    let (agents, history, priorities, linked, panel) = if staff {
        (
            acting.agents().await?,
            Some(acting.history_text(ticket.id, lang).await?),
            acting.settable_priorities(ticket.id).await?,
            acting.linked_tickets(ticket.id).await?,
            super::ticket_customer::load(acting, &ticket).await?,
        )
    } else {
        (Vec::new(), None, Vec::new(), Vec::new(), None)
    };
    let offered = ticket_actions::offered(acting.principal().agent(), &ticket);
    let decide = super::ticket_feedback::may_decide(acting.principal().agent(), &ticket);
    let tags_offered = if staff {
        super::tags::offered(acting).await?
    } else {
        Vec::new()
    };
    let following = super::followers::following(acting, &ticket, staff).await?;
    let macros = if staff {
        super::ticket_macros::offered(acting).await?
    } else {
        Vec::new()
    };
    // Staff: every entry; customers: the billable ones, notes only where made visible.
    let time = acting.time_entries(ticket.id).await?;
    let authors = Authors {
        lang,
        agents: &agents,
        customer: match &panel {
            Some(p) => Some(&p.customer),
            None => acting.principal().customer(),
        },
    };
    let canned = canned(user, &ticket, &ask).await?;
    let feedback = super::portal_feedback::offers(acting, &ticket).await?;
    let action = format!("/tickets/{}/action", ticket.id);
    let actions = ActionsInput {
        agents: &agents,
        priorities: &priorities,
        offered: &offered,
        draft: &action_draft,
    };
    let body = html! {
        h1 { "#" (ticket.number.short()) " " bdi { (ticket.subject) } }
        p { (status_badge(lang, ticket.status)) " " span.meta { (priority_word(lang, ticket.priority)) " · " (ticket_type_word(lang, &ticket.ticket_type)) " · " (when(ticket.updated_at)) } }
        (notices::render(lang, &told, &ticket))
        div.ticket-layout {
            @if staff {
                aside.ticket-side {
                    @if let Some(panel) = &panel { (super::ticket_customer::panel(lang, panel)) }
                    (super::ticket_clocks::section(lang, &ticket, &agents, acting.desk().now()))
                }
            }
            div.ticket-main {
                (linked_section(lang, &linked))
                section #thread {
                    @if let Some(older) = page.older {
                        p { a #older-messages href={ "/tickets/" (ticket.id) "?before=" (older) "#thread" } { (t(lang, "older_messages")) } }
                    }
                    @for m in &thread {
                        @let internal = m.visibility == Visibility::Internal;
                        div.msg.internal[internal] data-author=(author_kind(m.author)) {
                            div.meta { bdi.author { (authors.label(m.author)) } " · " (when(m.created_at)) @if internal { " · " span.note-mark { (t(lang, "internal_note")) } } (origin_marker(lang, &m.origin, staff)) }
                            div.body dir="auto" { (m.body) }
                            @for a in &m.attachments {
                                div { a href={ "/api/v1/tickets/" (ticket.id) "/messages/" (m.id) "/attachments/" (a.sha256()) } { bdi { (a.display_name()) } } " (" (size_words(lang, a.size())) ")" }
                            }
                        }
                    }
                    @if before.is_some() {
                        p { a #newest-messages href={ "/tickets/" (ticket.id) "#reply" } { (t(lang, "newest_messages")) } }
                    }
                }
                @if !staff || offered.reply || offered.note {
                    h2 { (t(lang, "reply")) }
                    (canned.picker)
                    form #reply method="post" action={ "/tickets/" (ticket.id) "/message" } enctype="multipart/form-data" {
                        (csrf_input(user))
                        textarea name="body" aria-label=(t(lang, "reply")) required { (canned.text) }
                        label { (t(lang, "attach")) " " input type="file" name="files" multiple; }
                        @if offered.note { label { input type="checkbox" name="internal" value="true" checked[!offered.reply]; " " (t(lang, "internal_note_label")) } }
                        button type="submit" { (t(lang, "send")) }
                    }
                }
                @if !staff && !time.is_empty() {
                    h2 { (t(lang, "billed_time")) }
                    table #billed-time {
                        @for e in &time {
                            tr {
                                td { (when(e.created_at)) }
                                td { (num(lang, e.minutes.get())) " " (t(lang, "minutes_short")) }
                                td { bdi { (e.note) } }
                            }
                        }
                    }
                }
                @if let Some(following) = &following {
                    (super::followers::section(user, &ticket, following, &agents, cc_refused.as_deref()))
                }
                @if !staff { (super::portal_feedback::links(user, &ticket, &feedback)) }
                @if !staff && ticket.status == Status::Resolved {
                    form method="post" action=(action) {
                        (csrf_input(user))
                        input type="hidden" name="action" value="confirm";
                        button #confirm { (t(lang, "confirm")) }
                    }
                }
                @if staff {
                    (super::tags::ticket_tags(user, &ticket, &tags_offered, tag_refused.as_deref()))
                    (super::ticket_feedback::section(user, &ticket, decide, action_draft.error_of("decide_priority")))
                    (ticket_actions::section(user, &ticket, &actions))
                    (super::ticket_macros::section(user, &ticket, &macros, None, None))
                    (forms(lang, user, &ticket, &thread, &draft, &offered))
                    h2 { (t(lang, "time_logged")) }
                    table #time {
                        @for e in &time {
                            tr {
                                td { (when(e.created_at)) }
                                td { (num(lang, e.minutes.get())) " " (t(lang, "minutes_short")) }
                                td { @if e.billable { (t(lang, "billable")) } }
                                td { bdi { (e.note) } }
                                td.meta { @if e.billable && e.note_visible_to_customer { (t(lang, "note_shown")) } }
                            }
                        }
                    }
                    h2 { (t(lang, "history")) }
                    pre #history { (history.unwrap_or_default()) }
                }
            }
        }
    };
    Ok((status, layout(ticket.subject.as_str(), Some(user), body)).into_response())
}

/// What kind of author wrote a message, for the page's style and tests: `customer`,
/// `agent` or `system`.
fn author_kind(actor: Actor) -> &'static str {
    match actor {
        Actor::Customer(_) => "customer",
        Actor::Agent(_) => "agent",
        Actor::System => "system",
    }
}

/// An attachment's size in `lang`: `2,048 bytes`.
fn size_words(lang: helpdesk::domain::Language, bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let bytes = bytes as f64;
    t_args(lang, "size_bytes", &[("size", number(bytes))])
}

/// The reply form posted (multipart, with files): a reply, or an internal note. Without
/// files, the principal is read with what the reply decides on, in one store call
/// (`execute_as_with`); a refusal is the principal's first, as for every page.
async fn post_message(
    State(state): State<AppState>,
    session: PageSession,
    Path(key): Path<String>,
    req: Request,
) -> PageResult {
    let posted = async {
        let multipart = Multipart::from_request(req, &state)
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        let (fields, uploads) = read_multipart(multipart).await?;
        if !session.csrf_matches(fields.get(CSRF_FIELD)) {
            return Err(csrf_refused());
        }
        let body = MessageBody::parse(fields.get("body").map(String::as_str).unwrap_or_default())
            .map_err(ApiError::from)?;
        let message = NewMessage {
            body,
            internal: is_internal(fields.get("internal")),
        };
        Ok((parse::<TicketKey>(&key)?, message.into_command(), uploads))
    }
    .await;
    let outcome = match posted {
        Err(e) => Err(e),
        Ok((key, command, uploads)) if uploads.is_empty() => (state.desk)
            .execute_as_with(session.actor(), key, command, ExecOptions::default())
            .await
            .map_err(ApiError::from),
        Ok((key, command, uploads)) => match session.read_user(&state.desk).await {
            Ok(user) => user
                .acting
                .execute_with_uploads(key, command, uploads, ExecOptions::default())
                .await
                .map_err(ApiError::from),
            Err(refusal) => return Ok(refusal.into_response()),
        },
    };
    match outcome {
        Ok(outcome) => Ok(see_other(&format!("/tickets/{}", outcome.ticket().id))),
        Err(e) => Ok(session.refused(&state.desk, e).await.into_response()),
    }
}
