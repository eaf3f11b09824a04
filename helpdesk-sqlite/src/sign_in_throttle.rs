//! Failed sign-ins counted (table `sign_in_attempts`, migration 0016): [`SignInThrottle`]
//! for [`SqliteStore`]. A record counts and writes in one `BEGIN IMMEDIATE` transaction, so
//! processes sharing the file take turns.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::store::{SignInAttempt, SignInThrottle, check_attempt_key};
use rusqlite::TransactionBehavior;
use uuid::Uuid;

use crate::connection::SqliteStore;
use crate::rows::{blob, micros};

#[async_trait]
impl SignInThrottle for SqliteStore {
    async fn record(
        &self,
        attempt: &SignInAttempt,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Option<DateTime<Utc>>> {
        check_attempt_key(&attempt.key)?;
        let (id, key, at, since) = (
            blob(attempt.id),
            attempt.key.clone(),
            micros(attempt.at),
            micros(since),
        );
        let earliest = self
            .write(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let (count, earliest): (i64, Option<i64>) = tx
                    .prepare_cached(
                        "SELECT count(*), min(at) FROM sign_in_attempts WHERE key = ?1 AND at >= ?2",
                    )?
                    .query_row((&key, since), |row| Ok((row.get(0)?, row.get(1)?)))?;
                if count >= i64::from(limit) {
                    return Ok(earliest);
                }
                tx.prepare_cached("INSERT INTO sign_in_attempts (id, key, at) VALUES (?1, ?2, ?3)")?
                    .execute((id, &key, at))?;
                tx.commit()?;
                Ok(None)
            })
            .await?;
        Ok(earliest.and_then(DateTime::from_timestamp_micros))
    }

    async fn forget(&self, id: Uuid) -> Result<bool> {
        let id = blob(id);
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM sign_in_attempts WHERE id = ?1")?
                .execute([id])?;
            Ok(n > 0)
        })
        .await
    }

    async fn clear(&self, key: &str) -> Result<u64> {
        let key = key.to_owned();
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM sign_in_attempts WHERE key = ?1")?
                .execute([key])?;
            Ok(n as u64)
        })
        .await
    }

    async fn prune(&self, before: DateTime<Utc>) -> Result<u64> {
        let before = micros(before);
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM sign_in_attempts WHERE at < ?1")?
                .execute([before])?;
            Ok(n as u64)
        })
        .await
    }
}
