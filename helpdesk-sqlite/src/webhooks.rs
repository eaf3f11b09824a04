//! Webhook endpoints and deliveries (tables `webhook_endpoints`, `webhook_deliveries`,
//! migration 0041): [`WebhookStore`] for [`SqliteStore`], and [`enqueue`], which the commits
//! of ticket batches and chats call in their transaction (the outbox pattern).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{AdminNoticeId, AgentId, WebhookDeliveryId, WebhookId};
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::feed::FeedChange;
use helpdesk_core::store::{SettingChange, WebhookAttemptRecorded, WebhookLease, WebhookStore};
use helpdesk_core::webhooks::{
    AdminNotice, RetryPolicy, WebhookAttempt, WebhookDelivery, WebhookEndpoint, after_attempt,
    deliveries_for, webhook_disabled_notices,
};
use rusqlite::{Connection, Row, Transaction, TransactionBehavior};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::{Reader, all, blob, first, json, micros};

fn read_endpoint(row: &Row<'_>) -> Outcome<WebhookEndpoint> {
    Reader::new(row, "webhook_endpoints").json("endpoint")
}

fn read_delivery(row: &Row<'_>) -> Outcome<WebhookDelivery> {
    Reader::new(row, "webhook_deliveries").json("delivery")
}

/// Inserts `d` (not leased).
fn insert_delivery(conn: &Connection, d: &WebhookDelivery) -> Outcome<()> {
    conn.prepare_cached(
        "INSERT INTO webhook_deliveries
             (id, endpoint_id, state, next_attempt_at, created_at, delivery)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute((
        blob(d.id.as_uuid()),
        blob(d.endpoint.as_uuid()),
        d.state.as_str(),
        micros(d.next_attempt_at),
        micros(d.created_at),
        json(d)?,
    ))?;
    Ok(())
}

/// Writes, within the commit's transaction `conn`, the deliveries `changes` make for the
/// enabled endpoints at `at` (none when no endpoint is enabled: one indexed read).
pub(crate) fn enqueue(conn: &Connection, changes: &[FeedChange], at: DateTime<Utc>) -> Outcome<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let sql = "SELECT endpoint FROM webhook_endpoints WHERE enabled = 1 ORDER BY id";
    let endpoints = all(conn, sql, [], read_endpoint)?;
    if endpoints.is_empty() {
        return Ok(());
    }
    for d in deliveries_for(changes, &endpoints, at) {
        insert_delivery(conn, &d)?;
    }
    Ok(())
}

/// Writes, within the commit's transaction `conn`, the deliveries a batch's rules asked for,
/// each only while its endpoint exists and is enabled.
pub(crate) fn enqueue_rule_deliveries(
    conn: &Connection,
    deliveries: &[WebhookDelivery],
) -> Outcome<()> {
    for d in deliveries {
        conn.prepare_cached(
            "INSERT INTO webhook_deliveries
                 (id, endpoint_id, state, next_attempt_at, created_at, delivery)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6
             WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = ?2 AND enabled = 1)",
        )?
        .execute((
            blob(d.id.as_uuid()),
            blob(d.endpoint.as_uuid()),
            d.state.as_str(),
            micros(d.next_attempt_at),
            micros(d.created_at),
            json(d)?,
        ))?;
    }
    Ok(())
}

/// Every endpoint, oldest first (by id): [`WebhookStore::webhooks`], and the part of a
/// request's reads that asks for them.
pub(crate) fn webhooks_in(conn: &Connection) -> Outcome<Vec<WebhookEndpoint>> {
    let sql = "SELECT endpoint FROM webhook_endpoints ORDER BY id";
    all(conn, sql, [], read_endpoint)
}

/// Appends `change` to the settings' audit trail within `tx`.
fn audit(tx: &Transaction<'_>, change: &SettingChange) -> Outcome<()> {
    tx.prepare_cached("INSERT INTO settings_changes (name, change) VALUES (?1, ?2)")?
        .execute((change.key.as_str(), json(change)?))?;
    Ok(())
}

fn put_endpoint(conn: &Connection, e: &WebhookEndpoint) -> Outcome<()> {
    conn.prepare_cached(
        "INSERT INTO webhook_endpoints (id, enabled, endpoint) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, endpoint = excluded.endpoint",
    )?
    .execute((blob(e.id.as_uuid()), e.enabled, json(e)?))?;
    Ok(())
}

#[async_trait]
impl WebhookStore for SqliteStore {
    async fn put_webhook(&self, endpoint: &WebhookEndpoint, change: &SettingChange) -> Result<()> {
        let (endpoint, change) = (endpoint.clone(), change.clone());
        self.write(move |conn| {
            let tx = conn.transaction()?;
            put_endpoint(&tx, &endpoint)?;
            audit(&tx, &change)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn webhook(&self, id: WebhookId) -> Result<Option<WebhookEndpoint>> {
        self.read(move |conn| {
            let sql = "SELECT endpoint FROM webhook_endpoints WHERE id = ?1";
            first(conn, sql, [blob(id.as_uuid())], read_endpoint)
        })
        .await
    }

    async fn webhooks(&self) -> Result<Vec<WebhookEndpoint>> {
        self.read(|conn| webhooks_in(conn)).await
    }

    async fn delete_webhook(&self, id: WebhookId, change: &SettingChange) -> Result<bool> {
        let change = change.clone();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            tx.prepare_cached("DELETE FROM webhook_deliveries WHERE endpoint_id = ?1")?
                .execute([blob(id.as_uuid())])?;
            let gone = tx
                .prepare_cached("DELETE FROM webhook_endpoints WHERE id = ?1")?
                .execute([blob(id.as_uuid())])?
                > 0;
            if gone {
                audit(&tx, &change)?;
                tx.commit()?;
            }
            Ok(gone)
        })
        .await
    }

    async fn enqueue_webhook_delivery(&self, delivery: &WebhookDelivery) -> Result<()> {
        let delivery = delivery.clone();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let sql = "SELECT endpoint FROM webhook_endpoints WHERE id = ?1";
            let id = delivery.endpoint;
            if first(&tx, sql, [blob(id.as_uuid())], read_endpoint)?.is_none() {
                return Err(Error::not_found(Entity::Webhook, id).into());
            }
            insert_delivery(&tx, &delivery)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn webhook_delivery(&self, id: WebhookDeliveryId) -> Result<Option<WebhookDelivery>> {
        self.read(move |conn| {
            let sql = "SELECT delivery FROM webhook_deliveries WHERE id = ?1";
            first(conn, sql, [blob(id.as_uuid())], read_delivery)
        })
        .await
    }

    async fn webhook_deliveries(
        &self,
        endpoint: WebhookId,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>> {
        self.read(move |conn| {
            let sql = "SELECT delivery FROM webhook_deliveries WHERE endpoint_id = ?1
                       ORDER BY created_at DESC, id DESC LIMIT ?2";
            all(conn, sql, (blob(endpoint.as_uuid()), limit), read_delivery)
        })
        .await
    }

    async fn lease_due_webhook_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: &WebhookLease,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>> {
        let lease = *lease;
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let sql = "SELECT d.delivery FROM webhook_deliveries d
                       JOIN webhook_endpoints e ON e.id = d.endpoint_id
                       WHERE d.state = 'pending' AND d.next_attempt_at <= ?1 AND e.enabled = 1
                         AND (d.leased_until IS NULL OR d.leased_until <= ?1)
                       ORDER BY d.next_attempt_at, d.id LIMIT ?2";
            let due = all(&tx, sql, (micros(now), limit), read_delivery)?;
            {
                let mut hold = tx.prepare_cached(
                    "UPDATE webhook_deliveries SET lease_token = ?2, leased_until = ?3
                     WHERE id = ?1",
                )?;
                for d in &due {
                    hold.execute((blob(d.id.as_uuid()), blob(lease.token), micros(lease.until)))?;
                }
            }
            tx.commit()?;
            Ok(due)
        })
        .await
    }

    async fn record_webhook_attempt(
        &self,
        lease: &WebhookLease,
        attempt: &WebhookAttempt,
        policy: &RetryPolicy,
        admins: &[AgentId],
    ) -> Result<Option<WebhookAttemptRecorded>> {
        let (lease, attempt, policy) = (*lease, attempt.clone(), *policy);
        let admins = admins.to_vec();
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let sql = "SELECT delivery FROM webhook_deliveries
                       WHERE id = ?1 AND lease_token = ?2 AND state = 'pending'";
            let held = (blob(attempt.delivery.as_uuid()), blob(lease.token));
            let Some(delivery) = first(&tx, sql, held, read_delivery)? else {
                return Ok(None);
            };
            let sql = "SELECT endpoint FROM webhook_endpoints WHERE id = ?1";
            let id = blob(delivery.endpoint.as_uuid());
            let Some(endpoint) = first(&tx, sql, [id], read_endpoint)? else {
                return Ok(None);
            };
            let (d, e) = after_attempt(&delivery, &endpoint, &attempt, &policy);
            tx.prepare_cached(
                "UPDATE webhook_deliveries SET state = ?2, next_attempt_at = ?3,
                     lease_token = NULL, leased_until = NULL, delivery = ?4
                 WHERE id = ?1",
            )?
            .execute((
                blob(d.id.as_uuid()),
                d.state.as_str(),
                micros(d.next_attempt_at),
                json(&d)?,
            ))?;
            if e != endpoint {
                put_endpoint(&tx, &e)?;
            }
            let disabled_now = endpoint.enabled && !e.enabled;
            if disabled_now {
                for notice in webhook_disabled_notices(&admins, &e, attempt.at) {
                    insert_notice(&tx, &notice)?;
                }
            }
            tx.commit()?;
            Ok(Some(WebhookAttemptRecorded {
                disabled_now,
                delivery: d,
                endpoint: e,
            }))
        })
        .await
    }

    async fn admin_notices(&self, recipient: AgentId, limit: u32) -> Result<Vec<AdminNotice>> {
        self.read(move |conn| {
            let sql = "SELECT notice, read_at FROM admin_notices WHERE recipient = ?1
                       ORDER BY created_at DESC, id DESC LIMIT ?2";
            all(conn, sql, (blob(recipient.as_uuid()), limit), read_notice)
        })
        .await
    }

    async fn mark_admin_notice_read(
        &self,
        id: AdminNoticeId,
        recipient: AgentId,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        self.write(move |conn| {
            let changed = conn
                .prepare_cached(
                    "UPDATE admin_notices SET read_at = ?3
                     WHERE id = ?1 AND recipient = ?2 AND read_at IS NULL",
                )?
                .execute((blob(id.as_uuid()), blob(recipient.as_uuid()), micros(at)))?;
            Ok(changed == 1)
        })
        .await
    }
}

/// Inserts an admin notice within the transaction `conn`.
fn insert_notice(conn: &Connection, n: &AdminNotice) -> Outcome<()> {
    conn.prepare_cached(
        "INSERT INTO admin_notices (id, recipient, created_at, read_at, notice)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute((
        blob(n.id.as_uuid()),
        blob(n.recipient.as_uuid()),
        micros(n.created_at),
        n.read_at.map(micros),
        json(n)?,
    ))?;
    Ok(())
}

/// A notice as stored: its JSON, read when its `read_at` column says.
fn read_notice(row: &Row<'_>) -> Outcome<AdminNotice> {
    let r = Reader::new(row, "admin_notices");
    let mut notice: AdminNotice = r.json("notice")?;
    notice.read_at = r.instant_opt("read_at")?;
    Ok(notice)
}
