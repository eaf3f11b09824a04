//! The desk's settings (table `settings`, migration 0014): [`SettingsStore`] for
//! [`PostgresStore`], a row per setting.

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::store::{SettingKey, SettingsStore};
use sqlx::postgres::PgRow;

use crate::connection::PostgresStore;
use crate::rows::{Reader, execute, optional};

/// A setting's value from a row of `SELECT value`.
fn value(row: &PgRow) -> Result<String> {
    Reader::new(row, "settings").get("value")
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
}
