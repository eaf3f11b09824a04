//! Addresses marked undeliverable (table `undeliverable_address`, migration 0022):
//! [`UndeliverableStore`] for [`PostgresStore`], a row per address.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::clock::to_micros;
use helpdesk_core::domain::Email;
use helpdesk_core::store::{UndeliverableAddress, UndeliverableStore};
use sqlx::postgres::PgRow;

use crate::connection::PostgresStore;
use crate::rows::{Reader, all, execute, json, optional};

/// A mark from a row of `SELECT mark`.
fn mark(row: &PgRow) -> Result<UndeliverableAddress> {
    Reader::new(row, "undeliverable_address").json("mark")
}

#[async_trait]
impl UndeliverableStore for PostgresStore {
    async fn mark_undeliverable(&self, m: &UndeliverableAddress) -> Result<()> {
        let query = sqlx::query(
            "INSERT INTO undeliverable_address (address, until_at, mark) VALUES ($1, $2, $3) \
             ON CONFLICT (address) DO UPDATE \
             SET until_at = EXCLUDED.until_at, mark = EXCLUDED.mark",
        )
        .bind(m.address.as_str())
        .bind(m.until)
        .bind(json(m)?);
        execute(&self.pool, query).await.map(drop)
    }

    async fn undeliverable(&self, address: &Email) -> Result<Option<UndeliverableAddress>> {
        let query = sqlx::query("SELECT mark FROM undeliverable_address WHERE address = $1")
            .bind(address.as_str());
        optional(&self.pool, query, mark).await
    }

    async fn undeliverable_addresses(
        &self,
        now: DateTime<Utc>,
        after: Option<&Email>,
        limit: u32,
    ) -> Result<Vec<UndeliverableAddress>> {
        // For stored (whole-microsecond) instants, `x > now` and `x > floor(now)` agree.
        let query = sqlx::query(
            "SELECT mark FROM undeliverable_address \
             WHERE until_at > $1 AND ($2::text IS NULL OR address > $2) \
             ORDER BY address LIMIT $3",
        )
        .bind(to_micros(now))
        .bind(after.map(|a| a.as_str().to_owned()))
        .bind(i64::from(limit));
        all(&self.pool, query, mark).await
    }

    async fn clear_undeliverable(&self, address: &Email) -> Result<bool> {
        let query = sqlx::query("DELETE FROM undeliverable_address WHERE address = $1")
            .bind(address.as_str());
        Ok(execute(&self.pool, query).await? > 0)
    }
}
