//! Attachment bytes in the database (table `blobs`, migration 0007): [`BlobStore`] for
//! [`SqliteStore`].
//!
//! A blob is written in one statement, so a reader sees all of it or nothing; a committed
//! write is as durable as any other commit (WAL, `synchronous=NORMAL`).

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::store::{BlobKey, BlobStore, check_blob};

use crate::store::SqliteStore;

#[async_trait]
impl BlobStore for SqliteStore {
    async fn put_blob(&self, key: &BlobKey, bytes: &[u8]) -> Result<()> {
        check_blob(key, bytes)?;
        let (key, bytes) = (key.as_str().to_owned(), bytes.to_vec());
        self.write(move |conn| {
            // Content-addressed: a blob already stored under the key holds the same bytes.
            conn.prepare_cached("INSERT OR IGNORE INTO blobs (sha256, bytes) VALUES (?1, ?2)")?
                .execute((key, bytes))?;
            Ok(())
        })
        .await
    }

    async fn blob(&self, key: &BlobKey) -> Result<Option<Vec<u8>>> {
        let key = key.as_str().to_owned();
        self.read(move |conn| {
            use rusqlite::OptionalExtension;
            Ok(conn
                .prepare_cached("SELECT bytes FROM blobs WHERE sha256 = ?1")?
                .query_row([key], |row| row.get(0))
                .optional()?)
        })
        .await
    }

    async fn delete_blob(&self, key: &BlobKey) -> Result<bool> {
        let key = key.as_str().to_owned();
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM blobs WHERE sha256 = ?1")?
                .execute([key])?;
            Ok(n > 0)
        })
        .await
    }
}
