//! The desk's settings (table `settings`, migration 0014): [`SettingsStore`] for
//! [`SqliteStore`], a row per setting; and the audit trail of every change of a setting or
//! of a template, canned response or knowledge-base category (table `settings_changes`,
//! migration 0015), written in the change's transaction.

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::store::{SettingChange, SettingKey, SettingWrite, SettingsStore};
use rusqlite::{Connection, Row, TransactionBehavior};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::template::{CannedResponseRow, TemplateRow};
use crate::rows::{Reader, all, first, json};
use crate::{knowledge, templates};

/// A setting's value from a row of `SELECT value`.
fn read_value(row: &Row<'_>) -> Outcome<String> {
    Reader::new(row, "settings").get("value")
}

/// An audit entry from a row of `SELECT change`.
fn read_change(row: &Row<'_>) -> Outcome<SettingChange> {
    Reader::new(row, "settings_changes").json("change")
}

/// Sets `key` to `value`, or unsets it for `None`.
fn put_value(conn: &Connection, key: SettingKey, value: Option<&str>) -> Outcome<()> {
    match value {
        Some(value) => conn
            .prepare_cached(
                "INSERT INTO settings (name, value) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            )?
            .execute((key.as_str(), value))?,
        None => conn
            .prepare_cached("DELETE FROM settings WHERE name = ?1")?
            .execute([key.as_str()])?,
    };
    Ok(())
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
        self.write(move |conn| put_value(conn, key, Some(&value)))
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

    async fn write_audited(&self, write: &SettingWrite, change: &SettingChange) -> Result<u64> {
        let (write, change) = (write.clone(), change.clone());
        let template = match &write {
            SettingWrite::PutTemplate(t) => Some(TemplateRow::new(t)?),
            _ => None,
        };
        self.write(move |conn| {
            let text = json(&change)?;
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let moved = match (&write, template) {
                (SettingWrite::Value { key, value }, _) => {
                    put_value(&tx, *key, value.as_deref())?;
                    0
                }
                (SettingWrite::PutTemplate(_), Some(row)) => {
                    templates::put_template(&tx, &row)?;
                    0
                }
                (SettingWrite::DeleteTemplate(id), _) => {
                    if !templates::delete_template(&tx, *id)? {
                        return Err(Error::not_found(Entity::Template, id).into());
                    }
                    0
                }
                (SettingWrite::PutCannedResponse(c), _) => {
                    templates::put_canned_response(&tx, &CannedResponseRow::new(c))?;
                    0
                }
                (SettingWrite::DeleteCannedResponse(id), _) => {
                    if !templates::delete_canned_response(&tx, *id)? {
                        return Err(Error::not_found(Entity::CannedResponse, id).into());
                    }
                    0
                }
                (SettingWrite::AddArticleCategory(c), _) => {
                    knowledge::add_category(&tx, c)?;
                    0
                }
                (SettingWrite::RenameArticleCategory { from, to }, _) => {
                    knowledge::rename_category(&tx, from, to)?
                }
                (SettingWrite::DeleteArticleCategory(c), _) => {
                    knowledge::delete_category(&tx, c)?;
                    0
                }
                (SettingWrite::PutMacro(m), _) => {
                    crate::automation::put_macro_in(&tx, m)?;
                    0
                }
                (SettingWrite::DeleteMacro(id), _) => {
                    if !crate::automation::delete_macro_in(&tx, *id)? {
                        return Err(Error::not_found(Entity::Macro, id).into());
                    }
                    0
                }
                (write, _) => {
                    return Err(Error::backend(format!("unknown settings write {write:?}")).into());
                }
            };
            tx.prepare_cached("INSERT INTO settings_changes (name, change) VALUES (?1, ?2)")?
                .execute((change.key.as_str(), text))?;
            tx.commit()?;
            Ok(moved)
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
