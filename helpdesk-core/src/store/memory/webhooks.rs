//! [`WebhookStore`] for the in-memory reference store: endpoints and deliveries under the
//! store's one lock, so a commit's deliveries are written with it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{Inner, MemoryStore};
use crate::domain::{AdminNoticeId, AgentId, WebhookDeliveryId, WebhookId};
use crate::error::{Entity, Error, Result};
use crate::feed::FeedChange;
use crate::store::{SettingChange, WebhookAttemptRecorded, WebhookLease, WebhookStore};
use crate::webhooks::{
    AdminNotice, RetryPolicy, WebhookAttempt, WebhookDelivery, WebhookDeliveryState,
    WebhookEndpoint, after_attempt, deliveries_for, webhook_disabled_notices,
};

/// A delivery and the lease holding it, if any.
#[derive(Debug, Clone)]
pub(super) struct Held {
    delivery: WebhookDelivery,
    lease: Option<WebhookLease>,
}

impl Inner {
    /// Writes the deliveries a batch's rules asked for, each while its endpoint exists and
    /// is enabled.
    pub(super) fn enqueue_rule_deliveries(&mut self, deliveries: &[WebhookDelivery]) {
        for delivery in deliveries {
            if (self.webhooks.get(&delivery.endpoint)).is_some_and(|e| e.enabled) {
                let held = Held {
                    delivery: delivery.clone(),
                    lease: None,
                };
                self.webhook_deliveries.insert(held.delivery.id, held);
            }
        }
    }

    /// Writes the deliveries `changes` make for the enabled endpoints, at `at`.
    pub(super) fn enqueue_webhooks(&mut self, changes: &[FeedChange], at: DateTime<Utc>) {
        if self.webhooks.is_empty() || changes.is_empty() {
            return;
        }
        let endpoints: Vec<WebhookEndpoint> = self.webhooks.values().cloned().collect();
        for delivery in deliveries_for(changes, &endpoints, at) {
            let held = Held {
                delivery,
                lease: None,
            };
            self.webhook_deliveries.insert(held.delivery.id, held);
        }
    }
}

#[async_trait]
impl WebhookStore for MemoryStore {
    async fn put_webhook(&self, endpoint: &WebhookEndpoint, change: &SettingChange) -> Result<()> {
        let mut state = self.lock();
        state.webhooks.insert(endpoint.id, endpoint.clone());
        state.setting_changes.push(change.clone());
        Ok(())
    }

    async fn webhook(&self, id: WebhookId) -> Result<Option<WebhookEndpoint>> {
        Ok(self.lock().webhooks.get(&id).cloned())
    }

    async fn webhooks(&self) -> Result<Vec<WebhookEndpoint>> {
        Ok(self.lock().webhooks.values().cloned().collect())
    }

    async fn delete_webhook(&self, id: WebhookId, change: &SettingChange) -> Result<bool> {
        let mut state = self.lock();
        if state.webhooks.remove(&id).is_none() {
            return Ok(false);
        }
        state
            .webhook_deliveries
            .retain(|_, h| h.delivery.endpoint != id);
        state.setting_changes.push(change.clone());
        Ok(true)
    }

    async fn enqueue_webhook_delivery(&self, delivery: &WebhookDelivery) -> Result<()> {
        let mut state = self.lock();
        if !state.webhooks.contains_key(&delivery.endpoint) {
            return Err(Error::not_found(Entity::Webhook, delivery.endpoint));
        }
        let held = Held {
            delivery: delivery.clone(),
            lease: None,
        };
        state.webhook_deliveries.insert(delivery.id, held);
        Ok(())
    }

    async fn webhook_delivery(&self, id: WebhookDeliveryId) -> Result<Option<WebhookDelivery>> {
        Ok((self.lock().webhook_deliveries.get(&id)).map(|h| h.delivery.clone()))
    }

    async fn webhook_deliveries(
        &self,
        endpoint: WebhookId,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>> {
        let state = self.lock();
        let mut found: Vec<WebhookDelivery> = (state.webhook_deliveries.values())
            .filter(|h| h.delivery.endpoint == endpoint)
            .map(|h| h.delivery.clone())
            .collect();
        found.sort_by_key(|d| std::cmp::Reverse((d.created_at, d.id)));
        found.truncate(limit as usize);
        Ok(found)
    }

    async fn lease_due_webhook_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: &WebhookLease,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>> {
        let mut state = self.lock();
        let enabled: Vec<WebhookId> = (state.webhooks.values())
            .filter(|e| e.enabled)
            .map(|e| e.id)
            .collect();
        let mut due: Vec<(DateTime<Utc>, WebhookDeliveryId)> = (state.webhook_deliveries.values())
            .filter(|h| {
                h.delivery.state == WebhookDeliveryState::Pending
                    && h.delivery.next_attempt_at <= now
                    && h.lease.is_none_or(|l| l.until <= now)
                    && enabled.contains(&h.delivery.endpoint)
            })
            .map(|h| (h.delivery.next_attempt_at, h.delivery.id))
            .collect();
        due.sort();
        due.truncate(limit as usize);
        let mut leased = Vec::with_capacity(due.len());
        for (_, id) in due {
            if let Some(held) = state.webhook_deliveries.get_mut(&id) {
                held.lease = Some(*lease);
                leased.push(held.delivery.clone());
            }
        }
        Ok(leased)
    }

    async fn record_webhook_attempt(
        &self,
        lease: &WebhookLease,
        attempt: &WebhookAttempt,
        policy: &RetryPolicy,
        admins: &[AgentId],
    ) -> Result<Option<WebhookAttemptRecorded>> {
        let mut state = self.lock();
        let Some(held) = state.webhook_deliveries.get(&attempt.delivery) else {
            return Ok(None);
        };
        let ours = held.lease.is_some_and(|l| l.token == lease.token);
        if !ours || held.delivery.state != WebhookDeliveryState::Pending {
            return Ok(None);
        }
        let Some(endpoint) = state.webhooks.get(&held.delivery.endpoint) else {
            return Ok(None);
        };
        let (delivery, endpoint_after) = after_attempt(&held.delivery, endpoint, attempt, policy);
        let disabled_now = endpoint.enabled && !endpoint_after.enabled;
        state
            .webhooks
            .insert(endpoint_after.id, endpoint_after.clone());
        state.webhook_deliveries.insert(
            delivery.id,
            Held {
                delivery: delivery.clone(),
                lease: None,
            },
        );
        if disabled_now {
            let notices = webhook_disabled_notices(admins, &endpoint_after, attempt.at);
            state.admin_notices.extend(notices);
        }
        Ok(Some(WebhookAttemptRecorded {
            delivery,
            endpoint: endpoint_after,
            disabled_now,
        }))
    }

    async fn admin_notices(&self, recipient: AgentId, limit: u32) -> Result<Vec<AdminNotice>> {
        let state = self.lock();
        let mut mine: Vec<AdminNotice> = (state.admin_notices.iter())
            .filter(|n| n.recipient == recipient)
            .cloned()
            .collect();
        mine.sort_by_key(|n| std::cmp::Reverse((n.created_at, n.id)));
        mine.truncate(limit as usize);
        Ok(mine)
    }

    async fn mark_admin_notice_read(
        &self,
        id: AdminNoticeId,
        recipient: AgentId,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let mut state = self.lock();
        let found = (state.admin_notices.iter_mut())
            .find(|n| n.id == id && n.recipient == recipient && n.read_at.is_none());
        match found {
            Some(notice) => {
                notice.read_at = Some(at);
                Ok(true)
            }
            None => Ok(false),
        }
    }
}
