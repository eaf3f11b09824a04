//! The change feed (issue 23): `GET /changes?after=N&limit=&wait=S` answers the records after
//! position `N` the caller may see, and where to read on; with `wait`, a long poll that
//! answers as soon as there are some, or empty-handed after at most [`MAX_WAIT_SECONDS`].
//!
//! `GET /changes/stream` sends the same records as server-sent events, as they are committed
//! by any server process on the database: each record one event (`id`: its position,
//! `data`: the record as JSON), from the feed's head when the stream opens, or after the
//! position a reconnecting `EventSource` names in `Last-Event-ID`. The console's live queue
//! and notification badge read it.

#![allow(dead_code)] // The schema structs are read only by the derives.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use chrono::{DateTime, Utc};
use futures_util::Stream;
use helpdesk::Helpdesk;
use helpdesk::feed::FeedPosition;
use helpdesk::service::Acting;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::openapi::answers::Unsupported;
use crate::api::openapi::model::Actor;
use crate::error::{ApiError, ApiResult, Query};
use crate::extract::Caller;
use crate::state::AppState;

/// The longest a request waits, in seconds (below the usual proxy timeouts).
pub const MAX_WAIT_SECONDS: u64 = 25;

/// Records answered when no limit is given.
const DEFAULT_LIMIT: u32 = 100;

/// The change feed's route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/changes", get(changes))
        .route("/changes/stream", get(stream))
}

/// The query of `GET /changes`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ChangesQuery {
    /// Read the records after this position (default 0: from the oldest kept).
    after: Option<u64>,
    /// At most this many records (1–1000, default 100).
    limit: Option<u32>,
    /// Wait up to this many seconds for a record (capped at 25; default 0: answer at once).
    wait: Option<u64>,
}

/// The records after a position the caller may see, by position; with `wait`, as soon as
/// there are some.
#[utoipa::path(get, path = "/api/v1/changes", tag = "changes",
    summary = "The change feed: what changed after a position, as the caller may see it (a long poll with `wait`)",
    params(ChangesQuery),
    responses((status = 200, description = "the records and where to read on", body = ChangesPage), Unsupported))]
pub(crate) async fn changes(
    Caller { acting, .. }: Caller,
    Query(q): Query<ChangesQuery>,
) -> ApiResult<Json<helpdesk::service::ChangesPage>> {
    let after = FeedPosition::new(q.after.unwrap_or(0));
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let wait = Duration::from_secs(q.wait.unwrap_or(0).min(MAX_WAIT_SECONDS));
    // The limit is checked before any wait.
    let mut page = acting.changes_after(after, limit).await?;
    if page.changes.is_empty() && !wait.is_zero() {
        page = acting.wait_for_changes(page.next, wait).await?;
        page.changes.truncate(limit as usize);
        if let Some(last) = page.changes.last() {
            page.next = last.position;
        }
    }
    Ok(Json(page))
}

/// How long a stream waits for records before it checks its reader may still read.
const STREAM_WAIT: Duration = Duration::from_secs(15);

/// The query of `GET /changes/stream`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StreamQuery {
    /// Send the records after this position (default: from now on; a `Last-Event-ID`
    /// header, sent by a reconnecting `EventSource`, wins).
    after: Option<u64>,
}

/// The records the caller may see as server-sent events, as they are committed.
#[utoipa::path(get, path = "/api/v1/changes/stream", tag = "changes",
    summary = "The change feed as server-sent events: each record the caller may see, as it is committed (`id`: its position, `data`: the record as JSON); resumes after `Last-Event-ID`",
    params(StreamQuery,
        ("Last-Event-ID" = Option<u64>, Header, description = "resume after this position (sent by a reconnecting EventSource)")),
    responses(
        (status = 200, description = "a stream of `text/event-stream` events, each `data` a FeedEntry; an `error` event (`{code, message}`) ends it when the reader may no longer read", content_type = "text/event-stream", body = FeedEntry),
        Unsupported))]
pub(crate) async fn stream(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
    headers: HeaderMap,
    Query(q): Query<StreamQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let resume = match headers.get("last-event-id") {
        None => None,
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .ok_or_else(|| ApiError::bad_request("Last-Event-ID must be a feed position"))?,
        ),
    };
    // The head is read even when a position is given: a store without a feed answers 501
    // before the stream opens.
    let head = crate::feed_follower::head(&state.desk).await?;
    let next = resume.or(q.after).map_or(head, FeedPosition::new);
    let reader = Reader {
        desk: state.desk.clone(),
        acting,
        next,
        queued: VecDeque::new(),
        done: false,
    };
    let events = futures_util::stream::unfold(reader, |mut reader| async move {
        let event = reader.next_event().await?;
        Some((Ok(event), reader))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

/// One open stream.
struct Reader {
    desk: Helpdesk,
    /// The desk acting as the stream's reader, made again before every wait.
    acting: Acting,
    /// The position read after next.
    next: FeedPosition,
    /// Records read and not yet sent.
    queued: VecDeque<helpdesk::store::FeedEntry>,
    /// Whether the stream ends once `queued` is sent.
    done: bool,
}

impl Reader {
    /// The next event to send; `None` ends the stream.
    async fn next_event(&mut self) -> Option<Event> {
        loop {
            if let Some(entry) = self.queued.pop_front() {
                let event = Event::default().id(entry.position.to_string());
                return Some(match event.json_data(&entry) {
                    Ok(event) => event,
                    Err(_) => continue,
                });
            }
            if self.done {
                return None;
            }
            // A reader deactivated or disabled meanwhile reads no more.
            let waited = match self.desk.acting_as(self.acting.actor()).await {
                Ok(acting) => {
                    self.acting = acting;
                    self.acting.wait_for_changes(self.next, STREAM_WAIT).await
                }
                Err(e) => Err(e),
            };
            match waited {
                Ok(page) => {
                    self.next = page.next;
                    self.queued.extend(page.changes);
                }
                Err(e) => {
                    self.done = true;
                    let e = ApiError::from(e);
                    let data = serde_json::json!({"code": e.code, "message": e.message});
                    return Some(Event::default().event("error").data(data.to_string()));
                }
            }
        }
    }
}

/// The records after a position, and where to read on.
#[derive(ToSchema)]
pub struct ChangesPage {
    /// The records the caller may see, by position.
    pub changes: Vec<FeedEntry>,
    /// The position to read after next time (records the caller may not see are skipped).
    pub next: u64,
}

/// One record of the feed.
#[derive(ToSchema)]
pub struct FeedEntry {
    /// Its position: grows with every record.
    pub position: u64,
    /// When its change was committed.
    pub at: DateTime<Utc>,
    /// What changed.
    pub change: FeedChange,
}

/// Who may see a message.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum MessageScope {
    /// The customer and the agents.
    Public,
    /// Agents only (an internal note).
    Internal,
}

/// What changed, told apart by `kind`.
#[derive(ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeedChange {
    /// A ticket was opened.
    TicketCreated {
        /// The ticket.
        ticket: Uuid,
        /// Its customer.
        customer: Option<Uuid>,
        /// Its department.
        department: Uuid,
        /// Whether it is internal.
        internal: bool,
    },
    /// A ticket changed.
    TicketChanged {
        /// The ticket.
        ticket: Uuid,
        /// Its customer.
        customer: Option<Uuid>,
        /// Its department after the change.
        department: Uuid,
        /// Whether it is internal.
        internal: bool,
        /// The kinds of its new history entries (`status_changed`, ...), each once.
        events: Vec<String>,
        /// The kinds among `events` customers see.
        public_events: Vec<String>,
    },
    /// A message was added to a ticket.
    MessageAdded {
        /// The ticket.
        ticket: Uuid,
        /// The message.
        message: Uuid,
        /// The ticket's customer.
        customer: Option<Uuid>,
        /// The ticket's department.
        department: Uuid,
        /// Whether the ticket is internal.
        internal: bool,
        /// Who may see the message.
        scope: MessageScope,
    },
    /// A notification was made.
    NotificationCreated {
        /// The notification.
        notification: Uuid,
        /// Whom it is for.
        recipient: Actor,
        /// The ticket it is about.
        ticket: Uuid,
    },
    /// A live chat started, was taken, moved or ended.
    ChatChanged {
        /// The chat.
        chat: Uuid,
        /// Its ticket.
        ticket: Uuid,
        /// Its customer.
        customer: Uuid,
        /// Its department.
        department: Uuid,
        /// The agent talking in it.
        agent: Option<Uuid>,
    },
    /// An agent's availability for chats changed.
    AvailabilityChanged {
        /// The agent.
        agent: Uuid,
    },
}
