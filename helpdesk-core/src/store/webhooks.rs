//! Webhook endpoints and their deliveries ([`WebhookStore`]).
//!
//! Deliveries are written by every store's commit of a ticket batch or a chat commit, in its
//! transaction, from [`deliveries_for`](crate::webhooks::deliveries_for) and the enabled
//! endpoints (the outbox pattern); this ability keeps the endpoints, leases due deliveries
//! to a dispatcher and records how their attempts went.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::SettingChange;
use crate::domain::{AdminNoticeId, AgentId, WebhookDeliveryId, WebhookId};
use crate::error::Result;
use crate::webhooks::{AdminNotice, RetryPolicy, WebhookAttempt, WebhookDelivery, WebhookEndpoint};

/// A dispatcher's hold on the deliveries it leased: only it records their attempts until
/// `until`; after that another may lease them again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookLease {
    /// Names the lease (a new one per call of [`WebhookStore::lease_due_deliveries`]).
    pub token: Uuid,
    /// When it runs out.
    pub until: DateTime<Utc>,
}

impl WebhookLease {
    /// A new lease running until `until`.
    pub fn new(until: DateTime<Utc>) -> Self {
        Self {
            token: Uuid::new_v4(),
            until,
        }
    }
}

/// What recording an attempt wrote: the delivery and its endpoint as they are now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookAttemptRecorded {
    /// The delivery.
    pub delivery: WebhookDelivery,
    /// Its endpoint.
    pub endpoint: WebhookEndpoint,
    /// Whether this attempt disabled the endpoint.
    pub disabled_now: bool,
}

/// An ability a store may offer
/// ([`Store::as_webhook_store`](super::Store::as_webhook_store)): webhook endpoints and
/// their deliveries.
#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Inserts or replaces an endpoint, appending `change` to the settings' audit trail in
    /// the same transaction.
    async fn put_webhook(&self, endpoint: &WebhookEndpoint, change: &SettingChange) -> Result<()>;
    /// The endpoint `id`.
    async fn webhook(&self, id: WebhookId) -> Result<Option<WebhookEndpoint>>;
    /// Every endpoint, oldest first (by id).
    async fn webhooks(&self) -> Result<Vec<WebhookEndpoint>>;
    /// Deletes an endpoint and its deliveries, appending `change` to the audit trail in the
    /// same transaction; whether it existed (nothing is written when not).
    async fn delete_webhook(&self, id: WebhookId, change: &SettingChange) -> Result<bool>;
    /// Writes a delivery made outside a commit (a test ping); its endpoint must exist
    /// ([`Error::NotFound`](crate::Error::NotFound) else).
    async fn enqueue_webhook_delivery(&self, delivery: &WebhookDelivery) -> Result<()>;
    /// The delivery `id`.
    async fn webhook_delivery(&self, id: WebhookDeliveryId) -> Result<Option<WebhookDelivery>>;
    /// An endpoint's deliveries, newest first (by creation, then id, descending), at most
    /// `limit`.
    async fn webhook_deliveries(
        &self,
        endpoint: WebhookId,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>>;
    /// Leases at most `limit` pending deliveries of enabled endpoints due at `now` (next
    /// attempt at or before it) and not leased by a lease still running at `now`, oldest due
    /// first, to `lease`. Several processes may call it at once: each delivery goes to one
    /// lease at a time (PostgreSQL: `FOR UPDATE SKIP LOCKED`).
    async fn lease_due_webhook_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: &WebhookLease,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>>;
    /// Records `attempt` of a delivery held by `lease`: in one transaction, reads the
    /// delivery and its endpoint (locked), applies
    /// [`after_attempt`](crate::webhooks::after_attempt) with `policy`, writes both and
    /// ends the lease. When the attempt disables the endpoint, writes in the same
    /// transaction an admin notice for each of `admins`
    /// ([`webhook_disabled_notices`](crate::webhooks::webhook_disabled_notices), at the
    /// attempt's time). `None` (nothing written) when the delivery is gone, not pending or
    /// no longer held by `lease`.
    async fn record_webhook_attempt(
        &self,
        lease: &WebhookLease,
        attempt: &WebhookAttempt,
        policy: &RetryPolicy,
        admins: &[AgentId],
    ) -> Result<Option<WebhookAttemptRecorded>>;
    /// The admin notices of `recipient`, newest first (by creation, then id, descending), at
    /// most `limit`.
    async fn admin_notices(&self, recipient: AgentId, limit: u32) -> Result<Vec<AdminNotice>>;
    /// Marks `recipient`'s notice `id` read at `at`; whether it was theirs and unread
    /// (nothing is written else).
    async fn mark_admin_notice_read(
        &self,
        id: AdminNoticeId,
        recipient: AgentId,
        at: DateTime<Utc>,
    ) -> Result<bool>;
}
