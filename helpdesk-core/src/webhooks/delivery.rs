//! Webhook deliveries: what is written with a committed change for every endpoint that wants
//! it ([`deliveries_for`], the outbox pattern), and how an attempt's result changes a
//! delivery and its endpoint ([`after_attempt`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{PING_EVENT, RetryPolicy, WebhookEndpoint};
use crate::domain::{WebhookDeliveryId, WebhookId};
use crate::feed::FeedChange;

/// The most bytes of a response body a delivery keeps.
pub const MAX_KEPT_BODY: usize = 4096;

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookDeliveryState {
    /// Waiting for its (next) attempt.
    Pending,
    /// A 2xx response came back.
    Delivered,
    /// Every attempt the retry policy allows failed.
    Failed,
}

crate::domain::stable_text!(WebhookDeliveryState, "webhook_delivery_state" {
    Pending => "pending",
    Delivered => "delivered",
    Failed => "failed",
});

/// One event to send to one endpoint, and how its attempts went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    /// Its id, also in the payload and the `Helpdesk-Delivery` header.
    pub id: WebhookDeliveryId,
    /// The endpoint it goes to.
    pub endpoint: WebhookId,
    /// The event kind ([`FeedChange::kind`], or [`PING_EVENT`]).
    pub event: String,
    /// The request body: JSON text, sent byte for byte as signed.
    pub payload: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// When the next attempt is due (while pending).
    pub next_attempt_at: DateTime<Utc>,
    /// Where it stands.
    pub state: WebhookDeliveryState,
    /// The HTTP status of the last attempt, when a response came.
    pub last_status: Option<u16>,
    /// The start of the last response's body (at most [`MAX_KEPT_BODY`] bytes), or why the
    /// last attempt got no response.
    pub last_response: Option<String>,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// The payload of a delivery: its id, event kind, time and the change itself.
#[derive(Serialize)]
struct Payload<'a, T: Serialize> {
    id: WebhookDeliveryId,
    event: &'a str,
    created_at: DateTime<Utc>,
    data: &'a T,
}

/// A pending delivery of `data` as `event` to `endpoint`, due at `at`.
pub(super) fn delivery<T: Serialize>(
    endpoint: WebhookId,
    event: &str,
    data: &T,
    at: DateTime<Utc>,
) -> WebhookDelivery {
    let id = WebhookDeliveryId::new();
    let payload = Payload {
        id,
        event,
        created_at: at,
        data,
    };
    WebhookDelivery {
        id,
        endpoint,
        event: event.to_owned(),
        // Serialising plain data to a string cannot fail.
        payload: serde_json::to_string(&payload).unwrap_or_default(),
        attempts: 0,
        next_attempt_at: at,
        state: WebhookDeliveryState::Pending,
        last_status: None,
        last_response: None,
        created_at: at,
        updated_at: at,
    }
}

/// The deliveries a committed change writes: for each change, in order, one per enabled
/// endpoint (in the order given) that wants its kind; due at `at`. Every store writes them
/// in the transaction of the change, so they exist if and only if the change committed.
pub fn deliveries_for(
    changes: &[FeedChange],
    endpoints: &[WebhookEndpoint],
    at: DateTime<Utc>,
) -> Vec<WebhookDelivery> {
    let mut out = Vec::new();
    for change in changes {
        for endpoint in endpoints {
            if endpoint.enabled && endpoint.events.wants(change.kind()) {
                out.push(delivery(endpoint.id, change.kind(), change, at));
            }
        }
    }
    out
}

/// A test ping to `endpoint`, due at `at`.
pub fn ping_delivery(endpoint: WebhookId, at: DateTime<Utc>) -> WebhookDelivery {
    let data = serde_json::json!({ "endpoint": endpoint });
    delivery(endpoint, PING_EVENT, &data, at)
}

/// The time a batch's deliveries are written at: the latest change time of its tickets and
/// notifications (the desk's clock), or `fallback` when it has none.
pub fn batch_time(batch: &crate::store::WriteBatch, fallback: DateTime<Utc>) -> DateTime<Utc> {
    (batch.writes.iter().map(|w| w.ticket.updated_at))
        .chain(batch.notifications.iter().map(|n| n.created_at))
        .max()
        .unwrap_or(fallback)
}

/// What one attempt to send a delivery got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookAttempt {
    /// The delivery.
    pub delivery: WebhookDeliveryId,
    /// When the attempt ended.
    pub at: DateTime<Utc>,
    /// The response's status, if one came.
    pub status: Option<u16>,
    /// The start of the response body (what was read of it), or why no response came
    /// (refused, timed out, a TLS failure ...).
    pub response: String,
}

impl WebhookAttempt {
    /// Whether it succeeded: a 2xx status.
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Cuts `text` to at most [`MAX_KEPT_BODY`] bytes, on a character boundary.
pub fn truncate_body(text: &str) -> String {
    let mut end = text.len().min(MAX_KEPT_BODY);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// The delivery and endpoint after `attempt`: a success delivers it and clears the
/// endpoint's failures; a failure counts one more failure on both, schedules the next
/// attempt after [`RetryPolicy::backoff`] or fails the delivery when the policy allows no
/// more, and disables the endpoint when its failures in a row reach
/// [`RetryPolicy::disable_after`] (with the reason).
pub fn after_attempt(
    delivery: &WebhookDelivery,
    endpoint: &WebhookEndpoint,
    attempt: &WebhookAttempt,
    policy: &RetryPolicy,
) -> (WebhookDelivery, WebhookEndpoint) {
    let mut d = delivery.clone();
    let mut e = endpoint.clone();
    d.attempts = d.attempts.saturating_add(1);
    d.last_status = attempt.status;
    d.last_response = Some(truncate_body(&attempt.response));
    d.updated_at = attempt.at;
    if attempt.succeeded() {
        d.state = WebhookDeliveryState::Delivered;
        if e.consecutive_failures != 0 {
            e.consecutive_failures = 0;
            e.updated_at = attempt.at;
        }
        return (d, e);
    }
    match policy.backoff(d.attempts) {
        Some(wait) => d.next_attempt_at = attempt.at + wait,
        None => d.state = WebhookDeliveryState::Failed,
    }
    e.consecutive_failures = e.consecutive_failures.saturating_add(1);
    e.updated_at = attempt.at;
    if e.enabled && e.consecutive_failures >= policy.disable_after {
        e.enabled = false;
        let what = match attempt.status {
            Some(status) => format!("HTTP status {status}"),
            None => truncate_body(&attempt.response).chars().take(200).collect(),
        };
        e.disabled_reason = Some(format!(
            "{} failed deliveries in a row; the last: {what}",
            e.consecutive_failures
        ));
    }
    (d, e)
}
