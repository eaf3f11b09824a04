//! IMAP mailboxes stored for departments (table `mailboxes`, migration 0023):
//! [`MailboxStore`] for [`PostgresStore`], a row per mailbox, each change of its settings
//! appended to `settings_changes` in the same transaction.

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::MailboxId;
use helpdesk_core::store::{Mailbox, MailboxRound, MailboxSettings, MailboxStore, SettingChange};
use sqlx::postgres::PgRow;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use crate::connection::PostgresStore;
use crate::error;
use crate::rows::{Reader, all, execute, json, optional};

/// A mailbox from a row of `SELECT id, settings, last_round`.
fn mailbox(row: &PgRow) -> Result<Mailbox> {
    let r = Reader::new(row, "mailboxes");
    Ok(Mailbox {
        id: MailboxId::from_uuid(r.get::<Uuid>("id")?),
        settings: r.json("settings")?,
        last_round: r.json_opt("last_round")?,
    })
}

/// A password from a row of `SELECT password`.
fn password(row: &PgRow) -> Result<String> {
    Reader::new(row, "mailboxes").get("password")
}

/// Appends `change` to the settings' audit trail within `tx`.
async fn audit(tx: &mut Transaction<'_, Postgres>, change: &SettingChange) -> Result<()> {
    sqlx::query("INSERT INTO settings_changes (name, change) VALUES ($1, $2)")
        .bind(change.key.as_str())
        .bind(json(change)?)
        .execute(&mut **tx)
        .await
        .map_err(error::db)
        .map(drop)
}

#[async_trait]
impl MailboxStore for PostgresStore {
    async fn put_mailbox(
        &self,
        id: MailboxId,
        settings: &MailboxSettings,
        password: &str,
        change: &SettingChange,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        sqlx::query(
            "INSERT INTO mailboxes (id, settings, password) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE \
             SET settings = EXCLUDED.settings, password = EXCLUDED.password",
        )
        .bind(id.as_uuid())
        .bind(json(settings)?)
        .bind(password)
        .execute(&mut *tx)
        .await
        .map_err(error::db)?;
        audit(&mut tx, change).await?;
        tx.commit().await.map_err(error::db)
    }

    async fn mailbox(&self, id: MailboxId) -> Result<Option<Mailbox>> {
        let query = sqlx::query("SELECT id, settings, last_round FROM mailboxes WHERE id = $1")
            .bind(id.as_uuid());
        optional(&self.pool, query, mailbox).await
    }

    async fn mailbox_password(&self, id: MailboxId) -> Result<Option<String>> {
        let query = sqlx::query("SELECT password FROM mailboxes WHERE id = $1").bind(id.as_uuid());
        optional(&self.pool, query, password).await
    }

    async fn mailboxes(&self) -> Result<Vec<Mailbox>> {
        let query = sqlx::query("SELECT id, settings, last_round FROM mailboxes ORDER BY id");
        all(&self.pool, query, mailbox).await
    }

    async fn delete_mailbox(&self, id: MailboxId, change: &SettingChange) -> Result<bool> {
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        let gone = sqlx::query("DELETE FROM mailboxes WHERE id = $1")
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::db)?
            .rows_affected()
            > 0;
        if gone {
            audit(&mut tx, change).await?;
        }
        tx.commit().await.map_err(error::db)?;
        Ok(gone)
    }

    async fn record_mailbox_round(&self, id: MailboxId, round: &MailboxRound) -> Result<bool> {
        let query = sqlx::query("UPDATE mailboxes SET last_round = $2 WHERE id = $1")
            .bind(id.as_uuid())
            .bind(json(round)?);
        Ok(execute(&self.pool, query).await? > 0)
    }
}
