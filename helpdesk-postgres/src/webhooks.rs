//! Webhook endpoints and deliveries (tables `webhook_endpoints`, `webhook_deliveries`,
//! migration 0041): [`WebhookStore`] for [`PostgresStore`], and [`enqueue`], which the
//! commits of ticket batches and chats call in their transaction (the outbox pattern).
//! Dispatchers in several processes lease due deliveries with `FOR UPDATE SKIP LOCKED`: each
//! delivery is held by one lease at a time.

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
use sqlx::PgConnection;
use sqlx::postgres::PgRow;

use crate::connection::PostgresStore;
use crate::error;
use crate::rows::{PgQuery, Reader, all, json, optional};

fn read_endpoint(row: &PgRow) -> Result<WebhookEndpoint> {
    Reader::new(row, "webhook_endpoints").json("endpoint")
}

fn read_delivery(row: &PgRow) -> Result<WebhookDelivery> {
    Reader::new(row, "webhook_deliveries").json("delivery")
}

/// `sql` with the columns of `deliveries` bound as arrays, in the order both inserts unnest
/// them: `$1` ids, `$2` endpoints, `$3` states, `$4` next attempts, `$5` creation times,
/// `$6` the deliveries as JSON.
fn with_columns(sql: &'static str, deliveries: &[WebhookDelivery]) -> Result<PgQuery<'static>> {
    let mut ids = Vec::new();
    let mut endpoints = Vec::new();
    let mut states = Vec::new();
    let mut due = Vec::new();
    let mut created = Vec::new();
    let mut bodies = Vec::new();
    for d in deliveries {
        ids.push(d.id.as_uuid());
        endpoints.push(d.endpoint.as_uuid());
        states.push(d.state.as_str().to_owned());
        due.push(d.next_attempt_at);
        created.push(d.created_at);
        bodies.push(json(d)?);
    }
    Ok(sqlx::query(sql)
        .bind(ids)
        .bind(endpoints)
        .bind(states)
        .bind(due)
        .bind(created)
        .bind(bodies))
}

/// Inserts `deliveries` (not leased) in one statement.
async fn insert_deliveries(tx: &mut PgConnection, deliveries: &[WebhookDelivery]) -> Result<()> {
    if deliveries.is_empty() {
        return Ok(());
    }
    with_columns(
        "INSERT INTO webhook_deliveries
             (id, endpoint_id, state, next_attempt_at, created_at, delivery)
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[],
                              $5::timestamptz[], $6::text[])",
        deliveries,
    )?
    .execute(&mut *tx)
    .await
    .map_err(error::db)
    .map(drop)
}

/// Writes, within the commit's transaction `tx`, the deliveries `changes` make for the
/// enabled endpoints at `at` (none when no endpoint is enabled: one indexed read).
pub(crate) async fn enqueue(
    tx: &mut PgConnection,
    changes: &[FeedChange],
    at: DateTime<Utc>,
) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    // FOR SHARE: an endpoint disabled or removed meanwhile waits for this commit.
    let rows =
        sqlx::query("SELECT endpoint FROM webhook_endpoints WHERE enabled ORDER BY id FOR SHARE")
            .fetch_all(&mut *tx)
            .await
            .map_err(error::db)?;
    if rows.is_empty() {
        return Ok(());
    }
    let endpoints = rows.iter().map(read_endpoint).collect::<Result<Vec<_>>>()?;
    insert_deliveries(tx, &deliveries_for(changes, &endpoints, at)).await
}

/// Writes, within the commit's transaction `tx`, the deliveries a batch's rules asked for,
/// in one statement, each only while its endpoint exists and is enabled (locked `FOR
/// SHARE`, as [`enqueue`] locks them).
pub(crate) async fn enqueue_rule_deliveries(
    tx: &mut PgConnection,
    deliveries: &[WebhookDelivery],
) -> Result<()> {
    if deliveries.is_empty() {
        return Ok(());
    }
    with_columns(
        "WITH wanted AS (
             SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[],
                                  $5::timestamptz[], $6::text[])
                 AS w(id, endpoint_id, state, next_attempt_at, created_at, delivery)
         ), open AS (
             SELECT e.id FROM webhook_endpoints e
             WHERE e.enabled AND e.id IN (SELECT endpoint_id FROM wanted)
             FOR SHARE
         )
         INSERT INTO webhook_deliveries
             (id, endpoint_id, state, next_attempt_at, created_at, delivery)
         SELECT w.id, w.endpoint_id, w.state, w.next_attempt_at, w.created_at, w.delivery
         FROM wanted w JOIN open o ON o.id = w.endpoint_id",
        deliveries,
    )?
    .execute(&mut *tx)
    .await
    .map_err(error::db)
    .map(drop)
}

/// Every endpoint, oldest first (by id): [`WebhookStore::webhooks`], and the part of a
/// request's reads that asks for them.
pub(crate) async fn webhooks_in(pool: &sqlx::PgPool) -> Result<Vec<WebhookEndpoint>> {
    let query = sqlx::query("SELECT endpoint FROM webhook_endpoints ORDER BY id");
    all(pool, query, read_endpoint).await
}

/// Appends `change` to the settings' audit trail within `tx`.
async fn audit(tx: &mut PgConnection, change: &SettingChange) -> Result<()> {
    sqlx::query("INSERT INTO settings_changes (name, change) VALUES ($1, $2)")
        .bind(change.key.as_str())
        .bind(json(change)?)
        .execute(&mut *tx)
        .await
        .map_err(error::db)
        .map(drop)
}

async fn put_endpoint(tx: &mut PgConnection, e: &WebhookEndpoint) -> Result<()> {
    sqlx::query(
        "INSERT INTO webhook_endpoints (id, enabled, endpoint) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET enabled = EXCLUDED.enabled, endpoint = EXCLUDED.endpoint",
    )
    .bind(e.id.as_uuid())
    .bind(e.enabled)
    .bind(json(e)?)
    .execute(&mut *tx)
    .await
    .map_err(error::db)
    .map(drop)
}

#[async_trait]
impl WebhookStore for PostgresStore {
    async fn put_webhook(&self, endpoint: &WebhookEndpoint, change: &SettingChange) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        put_endpoint(&mut tx, endpoint).await?;
        audit(&mut tx, change).await?;
        tx.commit().await.map_err(error::db)
    }

    async fn webhook(&self, id: WebhookId) -> Result<Option<WebhookEndpoint>> {
        let query =
            sqlx::query("SELECT endpoint FROM webhook_endpoints WHERE id = $1").bind(id.as_uuid());
        optional(&self.pool, query, read_endpoint).await
    }

    async fn webhooks(&self) -> Result<Vec<WebhookEndpoint>> {
        webhooks_in(&self.pool).await
    }

    async fn delete_webhook(&self, id: WebhookId, change: &SettingChange) -> Result<bool> {
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        // The deliveries go with it (ON DELETE CASCADE).
        let gone = sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1")
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::db)?
            .rows_affected()
            > 0;
        if gone {
            audit(&mut tx, change).await?;
        }
        tx.commit().await.map_err(error::db)?;
        Ok(gone)
    }

    async fn enqueue_webhook_delivery(&self, delivery: &WebhookDelivery) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        let found = sqlx::query("SELECT 1 FROM webhook_endpoints WHERE id = $1 FOR SHARE")
            .bind(delivery.endpoint.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(error::db)?;
        if found.is_none() {
            return Err(Error::not_found(Entity::Webhook, delivery.endpoint));
        }
        insert_deliveries(&mut tx, std::slice::from_ref(delivery)).await?;
        tx.commit().await.map_err(error::db)
    }

    async fn webhook_delivery(&self, id: WebhookDeliveryId) -> Result<Option<WebhookDelivery>> {
        let query =
            sqlx::query("SELECT delivery FROM webhook_deliveries WHERE id = $1").bind(id.as_uuid());
        optional(&self.pool, query, read_delivery).await
    }

    async fn webhook_deliveries(
        &self,
        endpoint: WebhookId,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>> {
        let query = sqlx::query(
            "SELECT delivery FROM webhook_deliveries WHERE endpoint_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(endpoint.as_uuid())
        .bind(i64::from(limit));
        all(&self.pool, query, read_delivery).await
    }

    async fn lease_due_webhook_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: &WebhookLease,
        limit: u32,
    ) -> Result<Vec<WebhookDelivery>> {
        // One statement: the due rows are locked (skipping those another process holds
        // locked this instant) and marked with the lease before the lock is released.
        let query = sqlx::query(
            "UPDATE webhook_deliveries d SET lease_token = $2, leased_until = $3 \
             FROM (SELECT d.id FROM webhook_deliveries d \
                   JOIN webhook_endpoints e ON e.id = d.endpoint_id \
                   WHERE d.state = 'pending' AND d.next_attempt_at <= $1 AND e.enabled \
                     AND (d.leased_until IS NULL OR d.leased_until <= $1) \
                   ORDER BY d.next_attempt_at, d.id LIMIT $4 \
                   FOR UPDATE OF d SKIP LOCKED) due \
             WHERE d.id = due.id \
             RETURNING d.delivery, d.next_attempt_at",
        )
        .bind(now)
        .bind(lease.token)
        .bind(lease.until)
        .bind(i64::from(limit));
        let rows = query.fetch_all(&self.pool).await.map_err(error::db)?;
        let mut due = rows.iter().map(read_delivery).collect::<Result<Vec<_>>>()?;
        due.sort_by_key(|d| (d.next_attempt_at, d.id));
        Ok(due)
    }

    async fn record_webhook_attempt(
        &self,
        lease: &WebhookLease,
        attempt: &WebhookAttempt,
        policy: &RetryPolicy,
        admins: &[AgentId],
    ) -> Result<Option<WebhookAttemptRecorded>> {
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        let row = sqlx::query(
            "SELECT delivery FROM webhook_deliveries \
             WHERE id = $1 AND lease_token = $2 AND state = 'pending' FOR UPDATE",
        )
        .bind(attempt.delivery.as_uuid())
        .bind(lease.token)
        .fetch_optional(&mut *tx)
        .await
        .map_err(error::db)?;
        let Some(delivery) = row.as_ref().map(read_delivery).transpose()? else {
            return Ok(None);
        };
        let row = sqlx::query("SELECT endpoint FROM webhook_endpoints WHERE id = $1 FOR UPDATE")
            .bind(delivery.endpoint.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(error::db)?;
        let Some(endpoint) = row.as_ref().map(read_endpoint).transpose()? else {
            return Ok(None);
        };
        let (d, e) = after_attempt(&delivery, &endpoint, attempt, policy);
        sqlx::query(
            "UPDATE webhook_deliveries SET state = $2, next_attempt_at = $3, \
             lease_token = NULL, leased_until = NULL, delivery = $4 WHERE id = $1",
        )
        .bind(d.id.as_uuid())
        .bind(d.state.as_str())
        .bind(d.next_attempt_at)
        .bind(json(&d)?)
        .execute(&mut *tx)
        .await
        .map_err(error::db)?;
        if e != endpoint {
            put_endpoint(&mut tx, &e).await?;
        }
        let disabled_now = endpoint.enabled && !e.enabled;
        if disabled_now {
            insert_notices(&mut tx, &webhook_disabled_notices(admins, &e, attempt.at)).await?;
        }
        tx.commit().await.map_err(error::db)?;
        Ok(Some(WebhookAttemptRecorded {
            disabled_now,
            delivery: d,
            endpoint: e,
        }))
    }

    async fn admin_notices(&self, recipient: AgentId, limit: u32) -> Result<Vec<AdminNotice>> {
        let query = sqlx::query(
            "SELECT notice, read_at FROM admin_notices WHERE recipient = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(recipient.as_uuid())
        .bind(i64::from(limit));
        all(&self.pool, query, read_notice).await
    }

    async fn mark_admin_notice_read(
        &self,
        id: AdminNoticeId,
        recipient: AgentId,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE admin_notices SET read_at = $3 \
             WHERE id = $1 AND recipient = $2 AND read_at IS NULL",
        )
        .bind(id.as_uuid())
        .bind(recipient.as_uuid())
        .bind(at)
        .execute(&self.pool)
        .await
        .map_err(error::db)?;
        Ok(done.rows_affected() == 1)
    }
}

/// Inserts admin notices within `tx`, in one statement.
async fn insert_notices(tx: &mut PgConnection, notices: &[AdminNotice]) -> Result<()> {
    if notices.is_empty() {
        return Ok(());
    }
    let mut ids = Vec::new();
    let mut recipients = Vec::new();
    let mut created = Vec::new();
    let mut bodies = Vec::new();
    for n in notices {
        ids.push(n.id.as_uuid());
        recipients.push(n.recipient.as_uuid());
        created.push(n.created_at);
        bodies.push(json(n)?);
    }
    sqlx::query(
        "INSERT INTO admin_notices (id, recipient, created_at, notice) \
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[])",
    )
    .bind(ids)
    .bind(recipients)
    .bind(created)
    .bind(bodies)
    .execute(&mut *tx)
    .await
    .map_err(error::db)
    .map(drop)
}

/// A notice as stored: its JSON, read when its `read_at` column says.
fn read_notice(row: &PgRow) -> Result<AdminNotice> {
    let r = Reader::new(row, "admin_notices");
    let mut notice: AdminNotice = r.json("notice")?;
    notice.read_at = r.get("read_at")?;
    Ok(notice)
}
