//! The desk's settings (table `settings`, migration 0014): [`SettingsStore`] for
//! [`SqliteStore`], a row per setting.

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::store::{SettingChange, SettingKey, SettingsStore};
use rusqlite::Row;

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::{Reader, all, first, json};

/// A setting's value from a row of `SELECT value`.
fn read_value(row: &Row<'_>) -> Outcome<String> {
    Reader::new(row, "settings").get("value")
}

/// An audit entry from a row of `SELECT change`.
fn read_change(row: &Row<'_>) -> Outcome<SettingChange> {
    Reader::new(row, "settings_changes").json("change")
}

#[async_trait]
impl SettingsStore for SqliteStore {
    async fn setting(&self, key: SettingKey) -> Result<Option<String>> {
        self.read(move |conn| {
            let sql = "SELECT value FROM settings WHERE name = ?1";
            first(conn, sql, [key.as_str()], read_value)
        })
        .await
    }

    async fn put_setting(&self, key: SettingKey, value: &str) -> Result<()> {
        let value = value.to_owned();
        self.write(move |conn| {
            conn.prepare_cached(
                "INSERT INTO settings (name, value) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            )?
            .execute((key.as_str(), value))?;
            Ok(())
        })
        .await
    }

    async fn delete_setting(&self, key: SettingKey) -> Result<bool> {
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM settings WHERE name = ?1")?
                .execute([key.as_str()])?;
            Ok(n > 0)
        })
        .await
    }

    async fn change_setting(&self, change: &SettingChange) -> Result<()> {
        let change = change.clone();
        self.write(move |conn| {
            let text = json(&change)?;
            let tx = conn.transaction()?;
            match &change.after {
                Some(value) => tx
                    .prepare_cached(
                        "INSERT INTO settings (name, value) VALUES (?1, ?2)
                         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    )?
                    .execute((change.key.as_str(), value))?,
                None => tx
                    .prepare_cached("DELETE FROM settings WHERE name = ?1")?
                    .execute([change.key.as_str()])?,
            };
            tx.prepare_cached("INSERT INTO settings_changes (name, change) VALUES (?1, ?2)")?
                .execute((change.key.as_str(), text))?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn setting_changes(&self, limit: u32) -> Result<Vec<SettingChange>> {
        self.read(move |conn| {
            let sql = "SELECT change FROM settings_changes ORDER BY seq DESC LIMIT ?1";
            all(conn, sql, [limit], read_change)
        })
        .await
    }
}
