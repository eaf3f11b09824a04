//! [`BlobStore`] for [`PostgresStore`]: attachment bytes in the `blobs` table, beside the
//! tickets, for deployments that keep everything in one database.
//!
//! A blob is one row (`bytea`, stored out of line by PostgreSQL), written in one statement,
//! so a reader sees all of it or none. Puts of the same blob are idempotent and may race:
//! `ON CONFLICT DO NOTHING` keeps the first, which holds the same bytes (the key is their
//! sha256, checked before anything is written).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::store::{BlobKey, BlobStore, check_blob};
use helpdesk_core::{Error, Result};

use crate::PostgresStore;
use crate::error;

#[async_trait]
impl BlobStore for PostgresStore {
    async fn put_blob(&self, key: &BlobKey, bytes: &[u8], at: DateTime<Utc>) -> Result<()> {
        check_blob(key, bytes)?;
        sqlx::query(
            "INSERT INTO blobs (sha256, bytes, written_at) VALUES ($1, $2, $3) \
             ON CONFLICT (sha256) DO UPDATE SET written_at = excluded.written_at",
        )
        .bind(key.as_str())
        .bind(bytes)
        .bind(at)
        .execute(&self.pool)
        .await
        .map_err(error::db)?;
        Ok(())
    }

    async fn blob(&self, key: &BlobKey) -> Result<Option<Vec<u8>>> {
        sqlx::query_scalar("SELECT bytes FROM blobs WHERE sha256 = $1")
            .bind(key.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(error::db)
    }

    async fn blobs_written_before(
        &self,
        before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<BlobKey>> {
        let keys: Vec<String> = sqlx::query_scalar(
            "SELECT sha256 FROM blobs WHERE written_at < $1 ORDER BY written_at, sha256 LIMIT $2",
        )
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(error::db)?;
        keys.iter()
            .map(|k| BlobKey::parse(k).map_err(|e| Error::corrupt("blobs", "sha256", e)))
            .collect()
    }

    async fn delete_blob_written_before(
        &self,
        key: &BlobKey,
        before: DateTime<Utc>,
    ) -> Result<bool> {
        let done = sqlx::query("DELETE FROM blobs WHERE sha256 = $1 AND written_at < $2")
            .bind(key.as_str())
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(error::db)?;
        Ok(done.rows_affected() > 0)
    }
}
