//! Failed sign-ins counted (table `sign_in_attempts`, migration 0016): [`SignInThrottle`]
//! for [`PostgresStore`]. A record takes a transaction-scoped advisory lock on its key, then
//! counts and writes, so concurrent records for one key (from any process) take turns.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::store::{SignInAttempt, SignInThrottle, check_attempt_key};
use sqlx::Row;
use uuid::Uuid;

use crate::connection::PostgresStore;
use crate::error;
use crate::rows::execute;

#[async_trait]
impl SignInThrottle for PostgresStore {
    async fn record(
        &self,
        attempt: &SignInAttempt,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Option<DateTime<Utc>>> {
        check_attempt_key(&attempt.key)?;
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('sign_in:' || $1, 0))")
            .bind(&attempt.key)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        let row = sqlx::query(
            "SELECT count(*) AS n, min(at) AS earliest FROM sign_in_attempts \
             WHERE key = $1 AND at >= $2",
        )
        .bind(&attempt.key)
        .bind(since)
        .fetch_one(&mut *tx)
        .await
        .map_err(error::db)?;
        let count: i64 = row.try_get("n").map_err(error::db)?;
        if count >= i64::from(limit) {
            let earliest: Option<DateTime<Utc>> = row.try_get("earliest").map_err(error::db)?;
            tx.rollback().await.map_err(error::db)?;
            return Ok(earliest);
        }
        sqlx::query("INSERT INTO sign_in_attempts (id, key, at) VALUES ($1, $2, $3)")
            .bind(attempt.id)
            .bind(&attempt.key)
            .bind(attempt.at)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        tx.commit().await.map_err(error::db)?;
        Ok(None)
    }

    async fn forget(&self, id: Uuid) -> Result<bool> {
        let query = sqlx::query("DELETE FROM sign_in_attempts WHERE id = $1").bind(id);
        Ok(execute(&self.pool, query).await? > 0)
    }

    async fn clear(&self, key: &str) -> Result<u64> {
        let query = sqlx::query("DELETE FROM sign_in_attempts WHERE key = $1").bind(key);
        execute(&self.pool, query).await
    }

    async fn prune(&self, before: DateTime<Utc>) -> Result<u64> {
        let query = sqlx::query("DELETE FROM sign_in_attempts WHERE at < $1").bind(before);
        execute(&self.pool, query).await
    }
}
