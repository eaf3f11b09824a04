//! Addresses marked undeliverable (table `undeliverable_address`, migration 0022):
//! [`UndeliverableStore`] for [`SqliteStore`], a row per address.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::Email;
use helpdesk_core::store::{UndeliverableAddress, UndeliverableStore};
use rusqlite::Row;

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::{Reader, all, first, json, micros};

/// A mark from a row of `SELECT mark`.
fn read_mark(row: &Row<'_>) -> Outcome<UndeliverableAddress> {
    Reader::new(row, "undeliverable_address").json("mark")
}

#[async_trait]
impl UndeliverableStore for SqliteStore {
    async fn mark_undeliverable(&self, mark: &UndeliverableAddress) -> Result<()> {
        let mark = mark.clone();
        self.write(move |conn| {
            let record = json(&mark)?;
            conn.prepare_cached(
                "INSERT INTO undeliverable_address (address, until_at, mark) VALUES (?1, ?2, ?3)
                 ON CONFLICT (address) DO UPDATE
                 SET until_at = excluded.until_at, mark = excluded.mark",
            )?
            .execute((mark.address.as_str(), micros(mark.until), record))?;
            Ok(())
        })
        .await
    }

    async fn undeliverable(&self, address: &Email) -> Result<Option<UndeliverableAddress>> {
        let address = address.as_str().to_owned();
        self.read(move |conn| {
            let sql = "SELECT mark FROM undeliverable_address WHERE address = ?1";
            first(conn, sql, [address], read_mark)
        })
        .await
    }

    async fn undeliverable_addresses(
        &self,
        now: DateTime<Utc>,
        after: Option<&Email>,
        limit: u32,
    ) -> Result<Vec<UndeliverableAddress>> {
        let after = after.map(|a| a.as_str().to_owned());
        let now = micros(now);
        self.read(move |conn| {
            let sql = "SELECT mark FROM undeliverable_address
                       WHERE until_at > ?1 AND (?2 IS NULL OR address > ?2)
                       ORDER BY address LIMIT ?3";
            all(conn, sql, (now, after, limit), read_mark)
        })
        .await
    }

    async fn clear_undeliverable(&self, address: &Email) -> Result<bool> {
        let address = address.as_str().to_owned();
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM undeliverable_address WHERE address = ?1")?
                .execute([address])?;
            Ok(n > 0)
        })
        .await
    }
}
