//! The change feed (table `change_feed`, migration 0040): [`ChangeFeed`] for
//! [`SqliteStore`].
//!
//! `commit` and `commit_chat` append the records of what they write ([`append`]) in their
//! transaction; positions come from the table's `AUTOINCREMENT` key, and the one writer
//! commits them in order. After a commit the store wakes the readers waiting in this
//! process: every store opened on the same file shares one [`FeedWake`] ([`wake_for`]).
//! Readers also look again every [`POLL`], for commits made by other processes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::feed::{FeedChange, FeedPosition};
use helpdesk_core::store::{ChangeFeed, FeedEntry, FeedWake};
use rusqlite::{Row, Transaction};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::{Reader, all, first, json, micros};

/// How often a waiting reader looks for records another process committed.
const POLL: Duration = Duration::from_millis(500);

/// Appends `changes` to the feed inside the transaction `tx`, all committed now.
pub(crate) fn append(tx: &Transaction<'_>, changes: &[FeedChange]) -> Outcome<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let at = micros(helpdesk_core::clock::to_micros(Utc::now()));
    let mut insert = tx.prepare_cached("INSERT INTO change_feed (at, change) VALUES (?1, ?2)")?;
    for change in changes {
        insert.execute((at, json(change)?))?;
    }
    Ok(())
}

/// The wake-up shared by every store of this process opened on `path`.
pub(crate) fn wake_for(path: &Path) -> Arc<FeedWake> {
    static WAKES: Mutex<Option<HashMap<PathBuf, Weak<FeedWake>>>> = Mutex::new(None);
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let mut wakes = WAKES.lock().unwrap_or_else(|e| e.into_inner());
    let wakes = wakes.get_or_insert_with(HashMap::new);
    wakes.retain(|_, wake| wake.strong_count() > 0);
    if let Some(wake) = wakes.get(&key).and_then(Weak::upgrade) {
        return wake;
    }
    let wake = Arc::new(FeedWake::default());
    wakes.insert(key, Arc::downgrade(&wake));
    wake
}

fn read_entry(row: &Row<'_>) -> Outcome<FeedEntry> {
    let reader = Reader::new(row, "change_feed");
    let position: i64 = reader.get("position")?;
    Ok(FeedEntry {
        position: FeedPosition::new(position.unsigned_abs()),
        at: reader.instant("at")?,
        change: reader.json("change")?,
    })
}

fn read_position(row: &Row<'_>) -> Outcome<i64> {
    Reader::new(row, "sqlite_sequence").get("seq")
}

/// The last position handed out, read on `conn`.
fn last_position(conn: &rusqlite::Connection) -> Outcome<i64> {
    // The sequence row exists once a record was written; it outlives pruned records.
    let sql = "SELECT seq FROM sqlite_sequence WHERE name = 'change_feed'";
    Ok(first(conn, sql, [], read_position)?.unwrap_or(0))
}

fn position(p: FeedPosition) -> i64 {
    i64::try_from(p.get()).unwrap_or(i64::MAX)
}

#[async_trait]
impl ChangeFeed for SqliteStore {
    async fn changes_after(&self, after: FeedPosition, limit: u32) -> Result<Vec<FeedEntry>> {
        self.read(move |conn| {
            let sql = "SELECT position, at, change FROM change_feed WHERE position > ?1 \
                       ORDER BY position LIMIT ?2";
            all(conn, sql, (position(after), limit), read_entry)
        })
        .await
    }

    async fn last_position(&self) -> Result<FeedPosition> {
        let last = self.read(|conn| last_position(conn)).await?;
        Ok(FeedPosition::new(last.unsigned_abs()))
    }

    async fn wait_for_changes(&self, after: FeedPosition, timeout: Duration) -> Result<bool> {
        let after = position(after);
        self.feed_wake()
            .wait(timeout, POLL, || async move {
                Ok(self.read(|conn| last_position(conn)).await? > after)
            })
            .await
    }

    async fn prune_changes(&self, before: DateTime<Utc>) -> Result<u64> {
        let before = micros(helpdesk_core::clock::ceil_micros(before));
        self.write(move |conn| {
            Ok(conn.execute("DELETE FROM change_feed WHERE at < ?1", [before])? as u64)
        })
        .await
    }
}
