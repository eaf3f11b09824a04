//! The desk's settings (table `settings`, migration 0014): [`SettingsStore`] for
//! [`PostgresStore`], a row per setting.

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::store::{SettingChange, SettingKey, SettingsStore};
use sqlx::postgres::PgRow;

use crate::connection::PostgresStore;
use crate::error;
use crate::rows::{Reader, all, execute, json, optional};

/// A setting's value from a row of `SELECT value`.
fn value(row: &PgRow) -> Result<String> {
    Reader::new(row, "settings").get("value")
}

/// An audit entry from a row of `SELECT change`.
fn change(row: &PgRow) -> Result<SettingChange> {
    Reader::new(row, "settings_changes").json("change")
}

#[async_trait]
impl SettingsStore for PostgresStore {
    async fn setting(&self, key: SettingKey) -> Result<Option<String>> {
        let query = sqlx::query("SELECT value FROM settings WHERE name = $1").bind(key.as_str());
        optional(&self.pool, query, value).await
    }

    async fn put_setting(&self, key: SettingKey, value: &str) -> Result<()> {
        let query = sqlx::query(
            "INSERT INTO settings (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
        )
        .bind(key.as_str())
        .bind(value);
        execute(&self.pool, query).await.map(drop)
    }

    async fn delete_setting(&self, key: SettingKey) -> Result<bool> {
        let query = sqlx::query("DELETE FROM settings WHERE name = $1").bind(key.as_str());
        Ok(execute(&self.pool, query).await? > 0)
    }

    async fn change_setting(&self, change: &SettingChange) -> Result<()> {
        let text = json(change)?;
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        let key = change.key.as_str();
        let write = match &change.after {
            Some(value) => sqlx::query(
                "INSERT INTO settings (name, value) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
            )
            .bind(key)
            .bind(value),
            None => sqlx::query("DELETE FROM settings WHERE name = $1").bind(key),
        };
        write.execute(&mut *tx).await.map_err(error::db)?;
        sqlx::query("INSERT INTO settings_changes (name, change) VALUES ($1, $2)")
            .bind(key)
            .bind(text)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        tx.commit().await.map_err(error::db)
    }

    async fn setting_changes(&self, limit: u32) -> Result<Vec<SettingChange>> {
        let query = sqlx::query("SELECT change FROM settings_changes ORDER BY seq DESC LIMIT $1")
            .bind(i64::from(limit));
        all(&self.pool, query, change).await
    }
}
