//! Webhooks: admins register, change, list and remove endpoints (audited like other
//! settings), read their deliveries and send test pings; the server's dispatcher leases due
//! deliveries and records their attempts ([`Helpdesk::lease_webhook_deliveries`],
//! [`Helpdesk::record_webhook_attempt`]).

use serde::Serialize;

use super::{Acting, Helpdesk};
use crate::domain::{WebhookDeliveryId, WebhookId};
use crate::error::{Ability, Entity, Error, Result};
use crate::store::{
    ChangedSetting, SettingChange, WebhookAttemptRecorded, WebhookLease, WebhookStore,
};
use crate::webhooks::{
    RetryPolicy, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvents, WebhookSecret,
    WebhookUrl, check_description, ping_delivery,
};

/// The most deliveries one call lists.
pub const MAX_WEBHOOK_DELIVERIES: u32 = 200;

/// The most webhook endpoints a desk keeps.
pub const MAX_WEBHOOKS: usize = 50;

/// An endpoint as an admin writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDraft {
    /// Where deliveries go.
    pub url: WebhookUrl,
    /// A note about it (may be empty).
    pub description: String,
    /// The event kinds it wants.
    pub events: WebhookEvents,
    /// Whether deliveries are sent to it; enabling a disabled endpoint clears its failures.
    pub enabled: bool,
}

/// A new endpoint with its secret: the only time the secret is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedWebhook {
    /// The endpoint.
    pub endpoint: WebhookEndpoint,
    /// Its signing secret.
    pub secret: WebhookSecret,
}

/// An endpoint as the settings' audit trail keeps it: no secret.
#[derive(Serialize)]
struct Audited<'a> {
    id: WebhookId,
    url: &'a WebhookUrl,
    description: &'a str,
    events: &'a WebhookEvents,
    enabled: bool,
}

fn audited(e: &WebhookEndpoint) -> Result<String> {
    let entry = Audited {
        id: e.id,
        url: &e.url,
        description: &e.description,
        events: &e.events,
        enabled: e.enabled,
    };
    serde_json::to_string(&entry).map_err(Error::backend)
}

impl Helpdesk {
    /// The store's webhooks, or [`Error::Unsupported`].
    pub fn webhook_store(&self) -> Result<&dyn WebhookStore> {
        self.store
            .as_webhook_store()
            .ok_or(Error::unsupported(Ability::Webhooks))
    }

    /// The retry policy of deliveries.
    pub fn webhook_policy(&self) -> RetryPolicy {
        RetryPolicy::default()
    }

    /// Leases at most `limit` due deliveries for `lease_seconds` (the process sending them,
    /// not a person: no authorization), each with its endpoint. Empty when the store keeps
    /// no webhooks.
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails.
    pub async fn lease_webhook_deliveries(
        &self,
        limit: u32,
        lease_seconds: u32,
    ) -> Result<(WebhookLease, Vec<(WebhookDelivery, WebhookEndpoint)>)> {
        let now = self.now();
        let lease = WebhookLease::new(now + chrono::Duration::seconds(i64::from(lease_seconds)));
        let Some(store) = self.store.as_webhook_store() else {
            return Ok((lease, Vec::new()));
        };
        let due = store
            .lease_due_webhook_deliveries(now, &lease, limit)
            .await?;
        let mut out = Vec::with_capacity(due.len());
        for delivery in due {
            if let Some(endpoint) = store.webhook(delivery.endpoint).await? {
                out.push((delivery, endpoint));
            }
        }
        Ok((lease, out))
    }

    /// Records an attempt of a delivery held by `lease` (see
    /// [`WebhookStore::record_webhook_attempt`]), with [`webhook_policy`](Self::webhook_policy);
    /// when it disables the endpoint, every active admin gets a notice in the same
    /// transaction ([`Acting::admin_notices`]).
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails, [`Error::Unsupported`] without webhooks.
    pub async fn record_webhook_attempt(
        &self,
        lease: &WebhookLease,
        attempt: &WebhookAttempt,
    ) -> Result<Option<WebhookAttemptRecorded>> {
        let policy = self.webhook_policy();
        let store = self.webhook_store()?;
        // Only a failure may disable the endpoint: the admins to tell are read for it alone.
        let admins = if attempt.succeeded() {
            Vec::new()
        } else {
            self.active_admins().await?
        };
        store
            .record_webhook_attempt(lease, attempt, &policy, &admins)
            .await
    }
}

impl Acting {
    fn webhook_change(
        &self,
        id: WebhookId,
        before: Option<String>,
        after: Option<String>,
    ) -> SettingChange {
        SettingChange {
            key: ChangedSetting::Webhook,
            item: Some(id.to_string()),
            actor: self.actor(),
            at: self.desk.now(),
            before,
            after,
        }
    }

    /// Every endpoint, oldest first (admins).
    pub async fn webhooks(&self) -> Result<Vec<WebhookEndpoint>> {
        self.require_admin()?;
        self.desk.webhook_store()?.webhooks().await
    }

    /// The endpoint `id` (admins).
    pub async fn webhook(&self, id: WebhookId) -> Result<WebhookEndpoint> {
        self.require_admin()?;
        (self.desk.webhook_store()?.webhook(id).await?)
            .ok_or_else(|| Error::not_found(Entity::Webhook, id))
    }

    /// Registers an endpoint (admins), audited; the secret is made here and returned once.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] on `description` or on `endpoints` past [`MAX_WEBHOOKS`],
    /// [`Error::Forbidden`] for non-admins, [`Error::Unsupported`] without webhooks.
    pub async fn create_webhook(&self, draft: WebhookDraft) -> Result<CreatedWebhook> {
        self.require_admin()?;
        check_description(&draft.description)?;
        let store = self.desk.webhook_store()?;
        if store.webhooks().await?.len() >= MAX_WEBHOOKS {
            return Err(Error::validation(
                "endpoints",
                format!("at most {MAX_WEBHOOKS} webhook endpoints"),
            ));
        }
        let now = self.desk.now();
        let secret = WebhookSecret::generate();
        let endpoint = WebhookEndpoint {
            id: WebhookId::new(),
            url: draft.url,
            description: draft.description,
            events: draft.events,
            secret: secret.clone(),
            enabled: draft.enabled,
            disabled_reason: None,
            consecutive_failures: 0,
            created_at: now,
            updated_at: now,
        };
        let change = self.webhook_change(endpoint.id, None, Some(audited(&endpoint)?));
        store.put_webhook(&endpoint, &change).await?;
        Ok(CreatedWebhook { endpoint, secret })
    }

    /// Changes an endpoint (admins), audited; its secret stays. Enabling it clears its
    /// failures and the reason it was disabled. A change that changes nothing writes
    /// nothing.
    ///
    /// # Errors
    ///
    /// As [`create_webhook`](Self::create_webhook), and [`Error::NotFound`].
    pub async fn update_webhook(
        &self,
        id: WebhookId,
        draft: WebhookDraft,
    ) -> Result<WebhookEndpoint> {
        let before = self.webhook(id).await?;
        check_description(&draft.description)?;
        let mut after = WebhookEndpoint {
            url: draft.url,
            description: draft.description,
            events: draft.events,
            enabled: draft.enabled,
            ..before.clone()
        };
        if after.enabled && !before.enabled {
            after.consecutive_failures = 0;
            after.disabled_reason = None;
        }
        if after == before {
            return Ok(before);
        }
        after.updated_at = self.desk.now();
        let change = self.webhook_change(id, Some(audited(&before)?), Some(audited(&after)?));
        self.desk
            .webhook_store()?
            .put_webhook(&after, &change)
            .await?;
        Ok(after)
    }

    /// Removes an endpoint and its deliveries (admins), audited.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`], [`Error::Forbidden`] for non-admins, [`Error::Unsupported`].
    pub async fn delete_webhook(&self, id: WebhookId) -> Result<()> {
        let before = self.webhook(id).await?;
        let change = self.webhook_change(id, Some(audited(&before)?), None);
        if self
            .desk
            .webhook_store()?
            .delete_webhook(id, &change)
            .await?
        {
            Ok(())
        } else {
            Err(Error::not_found(Entity::Webhook, id))
        }
    }

    /// An endpoint's deliveries, newest first, at most `limit` (1 to
    /// [`MAX_WEBHOOK_DELIVERIES`]) (admins).
    pub async fn webhook_deliveries(
        &self,
        id: WebhookId,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>> {
        self.webhook(id).await?;
        self.desk
            .webhook_store()?
            .webhook_deliveries(id, limit.clamp(1, MAX_WEBHOOK_DELIVERIES))
            .await
    }

    /// The delivery `id` (admins).
    pub async fn webhook_delivery(&self, id: WebhookDeliveryId) -> Result<WebhookDelivery> {
        self.require_admin()?;
        (self.desk.webhook_store()?.webhook_delivery(id).await?)
            .ok_or_else(|| Error::not_found(Entity::WebhookDelivery, id))
    }

    /// Queues a test ping to an endpoint, due now (admins); the dispatcher sends it, enabled
    /// endpoints only.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`], [`Error::Forbidden`] for non-admins, [`Error::Unsupported`].
    pub async fn ping_webhook(&self, id: WebhookId) -> Result<WebhookDelivery> {
        self.webhook(id).await?;
        let delivery = ping_delivery(id, self.desk.now());
        self.desk
            .webhook_store()?
            .enqueue_webhook_delivery(&delivery)
            .await?;
        Ok(delivery)
    }
}
