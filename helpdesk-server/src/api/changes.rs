//! The change feed (issue 23): `GET /changes?after=N&limit=&wait=S` answers the records after
//! position `N` the caller may see, and where to read on; with `wait`, a long poll that
//! answers as soon as there are some, or empty-handed after at most [`MAX_WAIT_SECONDS`].

#![allow(dead_code)] // The schema structs are read only by the derives.

use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::routing::get;
use chrono::{DateTime, Utc};
use helpdesk::feed::FeedPosition;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::openapi::answers::Unsupported;
use crate::api::openapi::model::Actor;
use crate::error::{ApiResult, Query};
use crate::extract::Caller;
use crate::state::AppState;

/// The longest a request waits, in seconds (below the usual proxy timeouts).
pub const MAX_WAIT_SECONDS: u64 = 25;

/// Records answered when no limit is given.
const DEFAULT_LIMIT: u32 = 100;

/// The change feed's route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/changes", get(changes))
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
