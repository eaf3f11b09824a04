//! The desk's settings (table `settings`, migration 0014): [`SettingsStore`] for
//! [`PostgresStore`], a row per setting; and the audit trail of every change of a setting or
//! of a template, canned response or knowledge-base category (table `settings_changes`,
//! migration 0015), written in the change's transaction.

use async_trait::async_trait;
use helpdesk_core::Error;
use helpdesk_core::Result;
use helpdesk_core::error::Entity;
use helpdesk_core::store::{SettingChange, SettingKey, SettingWrite, SettingsStore};
use sqlx::postgres::PgRow;
use sqlx::{Postgres, Transaction};

use crate::connection::PostgresStore;
use crate::error;
use crate::knowledge;
use crate::rows::template::{
    PUT_CANNED_RESPONSE, PUT_TEMPLATE, bind_canned_response, bind_template,
};
use crate::rows::{PgQuery, Reader, all, execute, json, optional};

/// A setting's value from a row of `SELECT value`.
fn value(row: &PgRow) -> Result<String> {
    Reader::new(row, "settings").get("value")
}

/// An audit entry from a row of `SELECT change`.
fn change(row: &PgRow) -> Result<SettingChange> {
    Reader::new(row, "settings_changes").json("change")
}

/// Runs `query` in `tx`; the rows it touched.
async fn run(tx: &mut Transaction<'_, Postgres>, query: PgQuery<'_>) -> Result<u64> {
    let done = query.execute(&mut **tx).await.map_err(error::db)?;
    Ok(done.rows_affected())
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

    async fn write_audited(&self, write: &SettingWrite, change: &SettingChange) -> Result<u64> {
        let text = json(change)?;
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        let moved = match write {
            SettingWrite::Value { key, value } => {
                let query = match value {
                    Some(value) => sqlx::query(
                        "INSERT INTO settings (name, value) VALUES ($1, $2) \
                         ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                    )
                    .bind(key.as_str())
                    .bind(value),
                    None => sqlx::query("DELETE FROM settings WHERE name = $1").bind(key.as_str()),
                };
                run(&mut tx, query).await?;
                0
            }
            SettingWrite::PutTemplate(t) => {
                run(&mut tx, bind_template(sqlx::query(PUT_TEMPLATE), t)?).await?;
                0
            }
            SettingWrite::DeleteTemplate(id) => {
                let query = sqlx::query("DELETE FROM templates WHERE id = $1").bind(id.as_uuid());
                if run(&mut tx, query).await? == 0 {
                    return Err(Error::not_found(Entity::Template, id));
                }
                0
            }
            SettingWrite::PutCannedResponse(c) => {
                let query = bind_canned_response(sqlx::query(PUT_CANNED_RESPONSE), c);
                run(&mut tx, query).await?;
                0
            }
            SettingWrite::DeleteCannedResponse(id) => {
                let query =
                    sqlx::query("DELETE FROM canned_responses WHERE id = $1").bind(id.as_uuid());
                if run(&mut tx, query).await? == 0 {
                    return Err(Error::not_found(Entity::CannedResponse, id));
                }
                0
            }
            SettingWrite::AddArticleCategory(c) => {
                knowledge::add_category(&mut tx, c).await?;
                0
            }
            SettingWrite::RenameArticleCategory { from, to } => {
                knowledge::rename_category(&mut tx, from, to).await?
            }
            SettingWrite::DeleteArticleCategory(c) => {
                knowledge::delete_category(&mut tx, c).await?;
                0
            }
            SettingWrite::PutMacro(m) => {
                run(&mut tx, crate::automation::put_macro_query(m)?).await?;
                0
            }
            SettingWrite::DeleteMacro(id) => {
                let query =
                    sqlx::query("DELETE FROM automation_macros WHERE id = $1").bind(id.as_uuid());
                if run(&mut tx, query).await? == 0 {
                    return Err(Error::not_found(Entity::Macro, id));
                }
                0
            }
            write => {
                return Err(Error::backend(format!("unknown settings write {write:?}")));
            }
        };
        let query = sqlx::query("INSERT INTO settings_changes (name, change) VALUES ($1, $2)")
            .bind(change.key.as_str())
            .bind(text);
        run(&mut tx, query).await?;
        tx.commit().await.map_err(error::db)?;
        Ok(moved)
    }

    async fn setting_changes(&self, limit: u32) -> Result<Vec<SettingChange>> {
        let query = sqlx::query("SELECT change FROM settings_changes ORDER BY seq DESC LIMIT $1")
            .bind(i64::from(limit));
        all(&self.pool, query, change).await
    }
}
