//! [`BlobStore`] for [`PostgresStore`]: attachment bytes in the `blobs` table, beside the
//! tickets, for deployments that keep everything in one database.
//!
//! A blob is one row (`bytea`, stored out of line by PostgreSQL), written in one statement,
//! so a reader sees all of it or none. Puts of the same blob are idempotent and may race:
//! `ON CONFLICT DO NOTHING` keeps the first, which holds the same bytes (the key is their
//! sha256, checked before anything is written).

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::store::{BlobKey, BlobStore, check_blob};

use crate::PostgresStore;
use crate::error;

#[async_trait]
impl BlobStore for PostgresStore {
    async fn put_blob(&self, key: &BlobKey, bytes: &[u8]) -> Result<()> {
        check_blob(key, bytes)?;
        sqlx::query(
            "INSERT INTO blobs (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(key.as_str())
        .bind(bytes)
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

    async fn delete_blob(&self, key: &BlobKey) -> Result<bool> {
        let done = sqlx::query("DELETE FROM blobs WHERE sha256 = $1")
            .bind(key.as_str())
            .execute(&self.pool)
            .await
            .map_err(error::db)?;
        Ok(done.rows_affected() > 0)
    }
}
