//! Notices to admins about the desk itself, with no ticket (issue 23, item 3): today, that
//! the desk disabled a webhook endpoint after repeated failures. The store writes them in
//! the transaction that disables the endpoint
//! ([`WebhookStore::record_webhook_attempt`](crate::store::WebhookStore::record_webhook_attempt)),
//! one per active admin the service names, from [`webhook_disabled_notices`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::WebhookEndpoint;
use crate::domain::{AdminNoticeId, AgentId, WebhookId};

/// What an admin notice is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AdminNoticeKind {
    /// The desk disabled a webhook endpoint after repeated failed deliveries.
    WebhookDisabled {
        /// The endpoint.
        endpoint: WebhookId,
        /// Its URL then.
        url: String,
        /// Why it was disabled ([`WebhookEndpoint::disabled_reason`]).
        reason: String,
    },
}

/// A notice to one admin, read in their notification centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminNotice {
    /// Its id.
    pub id: AdminNoticeId,
    /// The admin told.
    pub recipient: AgentId,
    /// What it is about (its fields inline, `kind` naming it).
    #[serde(flatten)]
    pub kind: AdminNoticeKind,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When the admin marked it read, if they did.
    pub read_at: Option<DateTime<Utc>>,
}

/// The notices telling each of `admins` (each once, in order) that `endpoint` (as the desk
/// just disabled it) was disabled, at `at`.
pub fn webhook_disabled_notices(
    admins: &[AgentId],
    endpoint: &WebhookEndpoint,
    at: DateTime<Utc>,
) -> Vec<AdminNotice> {
    let mut told: Vec<AgentId> = Vec::with_capacity(admins.len());
    for admin in admins {
        if !told.contains(admin) {
            told.push(*admin);
        }
    }
    (told.into_iter())
        .map(|recipient| AdminNotice {
            id: AdminNoticeId::new(),
            recipient,
            kind: AdminNoticeKind::WebhookDisabled {
                endpoint: endpoint.id,
                url: endpoint.url.as_str().to_owned(),
                reason: endpoint.disabled_reason.clone().unwrap_or_default(),
            },
            created_at: at,
            read_at: None,
        })
        .collect()
}
