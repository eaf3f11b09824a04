//! The change feed (tables `change_feed` and `change_feed_head`, migration 0040):
//! [`ChangeFeed`] for [`PostgresStore`].
//!
//! `commit` and `commit_chat` append the records of what they write ([`append`]) as the
//! last statement of their transaction: it takes the positions from the head row (whose
//! lock, held to the commit, orders the writers: positions become visible in order) and
//! calls `pg_notify` on [`CHANNEL`], delivered when the transaction commits. A reader
//! waits with one `LISTEN` connection per store ([`Listener`]), started on the first wait;
//! the table is the truth, so a lost notification costs only a delay: a waiting reader
//! reads again at least every [`POLL`].

use std::sync::{Arc, OnceLock, Weak};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::feed::{FeedChange, FeedPosition};
use helpdesk_core::store::{ChangeFeed, FeedEntry, FeedWake};
use sqlx::postgres::{PgListener, PgRow};
use sqlx::{PgConnection, PgPool};

use crate::connection::PostgresStore;
use crate::error;
use crate::rows::{Reader, all, json, to_i64};

/// The notification channel of every helpdesk's feed (the payload names the schema).
pub const CHANNEL: &str = "helpdesk_feed";

/// How often a waiting reader reads again without a notification.
const POLL: Duration = Duration::from_secs(2);

/// Appends `changes` to the feed inside the transaction `tx`, committed now, and notifies
/// the listeners (on commit). Call it last before the commit: the head row stays locked
/// from here to the commit.
pub(crate) async fn append(tx: &mut PgConnection, changes: &[FeedChange]) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let texts = changes.iter().map(json).collect::<Result<Vec<String>>>()?;
    let count = to_i64(texts.len() as u64)?;
    sqlx::query(
        "WITH head AS (UPDATE change_feed_head SET last = last + $1 RETURNING last),
              notified AS (SELECT pg_notify($4, current_schema()) FROM head)
         INSERT INTO change_feed (position, at, change)
         SELECT head.last - $1 + c.ord, $2, c.change
         FROM head, notified, unnest($3::text[]) WITH ORDINALITY AS c (change, ord)",
    )
    .bind(count)
    .bind(helpdesk_core::clock::to_micros(Utc::now()))
    .bind(texts)
    .bind(CHANNEL)
    .execute(&mut *tx)
    .await
    .map_err(error::db)?;
    Ok(())
}

/// A store's wake-up from `LISTEN`, started on the first wait: a task that wakes the
/// store's waiting readers on each notification, and ends when the store is gone or its
/// pool closed.
#[derive(Debug, Default)]
pub(crate) struct Listener {
    wake: Arc<FeedWake>,
    started: OnceLock<()>,
}

impl Listener {
    /// The wake-up, with the listening task started if it was not.
    fn wake(&self, pool: &PgPool) -> &FeedWake {
        self.started.get_or_init(|| {
            tokio::spawn(listen(pool.clone(), Arc::downgrade(&self.wake)));
        });
        &self.wake
    }
}

/// Listens on [`CHANNEL`] and wakes `wake`'s readers on each notification (and after
/// reconnecting, when notifications may have been lost), until `wake` is dropped or the
/// pool closed.
async fn listen(pool: PgPool, wake: Weak<FeedWake>) {
    loop {
        if pool.is_closed() {
            return;
        }
        let listening = async {
            let mut listener = PgListener::connect_with(&pool).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        let mut listener = match listening.await {
            Ok(listener) => listener,
            Err(_) => {
                tokio::time::sleep(POLL).await;
                if wake.strong_count() == 0 {
                    return;
                }
                continue;
            }
        };
        // Anything committed before the LISTEN took effect is found by reading again.
        match wake.upgrade() {
            Some(w) => w.wake(),
            None => return,
        }
        loop {
            match tokio::time::timeout(POLL, listener.try_recv()).await {
                Ok(Ok(Some(_))) => match wake.upgrade() {
                    Some(w) => w.wake(),
                    None => return,
                },
                // The connection was lost (it reconnects on the next call): wake the
                // readers, who read again.
                Ok(Ok(None)) => match wake.upgrade() {
                    Some(w) => w.wake(),
                    None => return,
                },
                Ok(Err(_)) => break,
                Err(_) => {
                    if wake.strong_count() == 0 {
                        return;
                    }
                }
            }
        }
        if pool.is_closed() {
            return;
        }
        tokio::time::sleep(POLL).await;
    }
}

fn read_entry(row: &PgRow) -> Result<FeedEntry> {
    let reader = Reader::new(row, "change_feed");
    let position: i64 = reader.get("position")?;
    Ok(FeedEntry {
        position: FeedPosition::new(position.unsigned_abs()),
        at: reader.get("at")?,
        change: reader.json("change")?,
    })
}

async fn last(pool: &PgPool) -> Result<i64> {
    sqlx::query_scalar("SELECT last FROM change_feed_head")
        .fetch_one(pool)
        .await
        .map_err(error::db)
}

#[async_trait]
impl ChangeFeed for PostgresStore {
    async fn changes_after(&self, after: FeedPosition, limit: u32) -> Result<Vec<FeedEntry>> {
        let query = sqlx::query(
            "SELECT position, at, change FROM change_feed WHERE position > $1
             ORDER BY position LIMIT $2",
        )
        .bind(to_i64(after.get())?)
        .bind(i64::from(limit));
        all(&self.pool, query, read_entry).await
    }

    async fn last_position(&self) -> Result<FeedPosition> {
        Ok(FeedPosition::new(last(&self.pool).await?.unsigned_abs()))
    }

    async fn wait_for_changes(&self, after: FeedPosition, timeout: Duration) -> Result<bool> {
        let after = to_i64(after.get())?;
        self.feed
            .wake(&self.pool)
            .wait(timeout, POLL, || async move {
                Ok(last(&self.pool).await? > after)
            })
            .await
    }

    async fn prune_changes(&self, before: DateTime<Utc>) -> Result<u64> {
        let query = sqlx::query("DELETE FROM change_feed WHERE at < $1").bind(before);
        crate::rows::execute(&self.pool, query).await
    }
}
