//! Attachment bytes in the database (table `blobs`, migration 0007): [`BlobStore`] for
//! [`SqliteStore`].
//!
//! A blob is written in one statement, so a reader sees all of it or nothing; a committed
//! write is as durable as any other commit (WAL, `synchronous=NORMAL`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::store::{BlobKey, BlobStore, check_blob};
use rusqlite::OptionalExtension;

use crate::rows::micros;
use crate::store::SqliteStore;

#[async_trait]
impl BlobStore for SqliteStore {
    async fn put_blob(&self, key: &BlobKey, bytes: &[u8], at: DateTime<Utc>) -> Result<()> {
        check_blob(key, bytes)?;
        let (key, bytes, at) = (key.as_str().to_owned(), bytes.to_vec(), micros(at));
        self.write(move |conn| {
            // Content-addressed: a blob already stored under the key holds the same bytes;
            // writing it again only moves its write instant.
            conn.prepare_cached(
                "INSERT INTO blobs (sha256, bytes, written_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (sha256) DO UPDATE SET written_at = excluded.written_at",
            )?
            .execute((key, bytes, at))?;
            Ok(())
        })
        .await
    }

    async fn blob(&self, key: &BlobKey) -> Result<Option<Vec<u8>>> {
        let key = key.as_str().to_owned();
        self.read(move |conn| {
            Ok(conn
                .prepare_cached("SELECT bytes FROM blobs WHERE sha256 = ?1")?
                .query_row([key], |row| row.get(0))
                .optional()?)
        })
        .await
    }

    async fn blobs_written_before(
        &self,
        before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<BlobKey>> {
        let (before, limit) = (micros(before), i64::from(limit));
        let keys: Vec<String> = self
            .read(move |conn| {
                let mut stmt = conn.prepare_cached(
                    "SELECT sha256 FROM blobs WHERE written_at < ?1
                     ORDER BY written_at, sha256 LIMIT ?2",
                )?;
                let keys = stmt
                    .query_map((before, limit), |row| row.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(keys)
            })
            .await?;
        keys.iter()
            .map(|k| {
                BlobKey::parse(k).map_err(|e| helpdesk_core::Error::corrupt("blobs", "sha256", e))
            })
            .collect()
    }

    async fn delete_blob_written_before(
        &self,
        key: &BlobKey,
        before: DateTime<Utc>,
    ) -> Result<bool> {
        let (key, before) = (key.as_str().to_owned(), micros(before));
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM blobs WHERE sha256 = ?1 AND written_at < ?2")?
                .execute((key, before))?;
            Ok(n > 0)
        })
        .await
    }
}
