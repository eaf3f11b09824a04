//! Attachment bytes in the database (table `blobs`, migration 0007): [`BlobStore`] for
//! [`SqliteStore`].
//!
//! A blob is written in one statement, so a reader sees all of it or nothing; a committed
//! write is as durable as any other commit (WAL, `synchronous=NORMAL`). Each blob keeps the
//! instant it was last written (migration 0011), and the sweep finds the old ones, oldest
//! first, on the index `blobs_by_written_at`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::store::{BlobKey, BlobStore, WrittenBlob, check_blob};
use rusqlite::{OptionalExtension, Row};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::{Reader, all, micros};

/// Up to `?2` blobs last written before `?1`, oldest first: a range of `blobs_by_written_at`,
/// in its order.
const WRITTEN_BEFORE: &str = "
    SELECT written_at, sha256 FROM blobs
    WHERE written_at < ?1 AND (written_at, sha256) > (?2, ?3)
    ORDER BY written_at, sha256 LIMIT ?4";

/// A blob's write instant and key.
fn read_written(row: &Row<'_>) -> Outcome<WrittenBlob> {
    let r = Reader::new(row, "blobs");
    Ok(WrittenBlob {
        written_at: r.instant("written_at")?,
        key: r.parse("sha256", |s| BlobKey::parse(&s))?,
    })
}

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
        after: Option<&WrittenBlob>,
        limit: u32,
    ) -> Result<Vec<WrittenBlob>> {
        // From the start: before every stored instant (none is negative) and every key.
        let (after_at, after_key) = after.map_or((-1, String::new()), |a| {
            (micros(a.written_at), a.key.as_str().to_owned())
        });
        let params = (micros(before), after_at, after_key, i64::from(limit));
        self.read(move |conn| all(conn, WRITTEN_BEFORE, params, read_written))
            .await
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The sweep's look-up reads a range of its index, from where the last one stopped to
    /// the old end, in order: no scan, no sort.
    #[test]
    fn old_blobs_are_a_range_of_their_index() {
        let plan = crate::schema::plan(WRITTEN_BEFORE);
        assert!(
            plan.contains(
                "SEARCH blobs USING COVERING INDEX blobs_by_written_at \
                 ((written_at,sha256)>(?,?) AND written_at<?)"
            ),
            "{plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }
}
