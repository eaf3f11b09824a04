//! [`BlobStore`] for [`PostgresStore`]: attachment bytes in the `blobs` table, beside the
//! tickets, for deployments that keep everything in one database.
//!
//! A blob is one row (`bytea`, stored out of line by PostgreSQL), written in one statement,
//! so a reader sees all of it or none. Puts of the same blob are idempotent and may race:
//! the row keeps the bytes it has (the same: the key is their sha256, checked before anything
//! is written) and takes the put's write instant. The sweep finds blobs written before an
//! instant by a range scan of `blobs_written_at_idx` (migration 0011), oldest first, and
//! deletes one only while it is still that old, so a put in between keeps it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::clock::ceil_micros;
use helpdesk_core::store::{BlobKey, BlobStore, WrittenBlob, check_blob};
use helpdesk_core::{Error, Result};

use crate::connection::PostgresStore;
use crate::error;
use crate::rows::execute;

/// The blobs last written before `$1`, oldest first, at most `$2`: a range scan of
/// `blobs_written_at_idx`, in its order.
const WRITTEN_BEFORE: &str = "SELECT written_at, sha256 FROM blobs \
     WHERE written_at < $1 \
     AND (written_at, sha256) > (COALESCE($2, '-infinity'::timestamptz), COALESCE($3, '')) \
     ORDER BY written_at, sha256 LIMIT $4";

#[async_trait]
impl BlobStore for PostgresStore {
    async fn put_blob(&self, key: &BlobKey, bytes: &[u8], at: DateTime<Utc>) -> Result<()> {
        check_blob(key, bytes)?;
        let query = sqlx::query(
            "INSERT INTO blobs (sha256, bytes, written_at) VALUES ($1, $2, $3) \
             ON CONFLICT (sha256) DO UPDATE SET written_at = excluded.written_at",
        )
        .bind(key.as_str())
        .bind(bytes)
        .bind(at);
        execute(&self.pool, query).await.map(drop)
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
        after: Option<&WrittenBlob>,
        limit: u32,
    ) -> Result<Vec<WrittenBlob>> {
        // Stored instants are whole microseconds: `x < at` agrees with `x < ceil(at)`.
        let rows: Vec<(DateTime<Utc>, String)> = sqlx::query_as(WRITTEN_BEFORE)
            .bind(ceil_micros(before))
            .bind(after.map(|a| a.written_at))
            .bind(after.map(|a| a.key.as_str().to_owned()))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(error::db)?;
        rows.into_iter()
            .map(|(written_at, key)| {
                let key = BlobKey::parse(&key).map_err(|e| Error::corrupt("blobs", "sha256", e))?;
                Ok(WrittenBlob { written_at, key })
            })
            .collect()
    }

    async fn delete_blob_written_before(
        &self,
        key: &BlobKey,
        before: DateTime<Utc>,
    ) -> Result<bool> {
        let query = sqlx::query("DELETE FROM blobs WHERE sha256 = $1 AND written_at < $2")
            .bind(key.as_str())
            .bind(ceil_micros(before));
        Ok(execute(&self.pool, query).await? > 0)
    }
}

#[cfg(test)]
mod tests {
    use helpdesk_core::testkit::samples;

    use super::*;
    use crate::testing;

    /// The plan of the sweep's look-up on a real server with many blobs: an ordered scan of
    /// `blobs_written_at_idx`, with no sort and no table scan.
    #[tokio::test]
    async fn blobs_written_before_an_instant_are_an_ordered_index_scan() {
        let Some(store) = testing::fresh_store().await else {
            return;
        };
        for i in 0..3000_i64 {
            let bytes = i.to_le_bytes();
            store
                .put_blob(&BlobKey::of(&bytes), &bytes, samples::at(i))
                .await
                .unwrap();
        }
        sqlx::query("ANALYZE blobs")
            .execute(store.pool())
            .await
            .unwrap();
        let query = testing::explain(WRITTEN_BEFORE)
            .bind(samples::at(2000))
            .bind(None::<DateTime<Utc>>)
            .bind(None::<String>)
            .bind(10_i64);
        let plan = testing::plan(&store, query).await;
        // An index-only scan, in fact: the index holds the key.
        assert!(
            plan.contains("Index Scan using blobs_written_at_idx ")
                || plan.contains("Index Only Scan using blobs_written_at_idx "),
            "{plan}"
        );
        assert!(
            !plan.contains("Sort") && !plan.contains("Seq Scan"),
            "{plan}"
        );
        let oldest: Vec<BlobKey> = store
            .blobs_written_before(samples::at(2000), None, 3)
            .await
            .unwrap()
            .into_iter()
            .map(|w| w.key)
            .collect();
        let expected: Vec<BlobKey> = (0..3_i64).map(|i| BlobKey::of(&i.to_le_bytes())).collect();
        assert_eq!(oldest, expected);
        testing::discard(store).await.unwrap();
    }
}
