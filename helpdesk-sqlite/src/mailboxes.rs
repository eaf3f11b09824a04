//! IMAP mailboxes stored for departments (table `mailboxes`, migration 0023):
//! [`MailboxStore`] for [`SqliteStore`], a row per mailbox, each change of its settings
//! appended to `settings_changes` in the same transaction.

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::MailboxId;
use helpdesk_core::store::{Mailbox, MailboxRound, MailboxSettings, MailboxStore, SettingChange};
use rusqlite::{Row, Transaction};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::{Reader, all, blob, first, json};

/// A mailbox from a row of `SELECT id, settings, last_round`.
fn read_mailbox(row: &Row<'_>) -> Outcome<Mailbox> {
    let r = Reader::new(row, "mailboxes");
    Ok(Mailbox {
        id: MailboxId::from_uuid(r.uuid("id")?),
        settings: r.json("settings")?,
        last_round: r.json_opt("last_round")?,
    })
}

/// A password from a row of `SELECT password`.
fn read_password(row: &Row<'_>) -> Outcome<String> {
    Reader::new(row, "mailboxes").get("password")
}

/// Appends `change` to the settings' audit trail within `tx`.
fn audit(tx: &Transaction<'_>, change: &SettingChange) -> Outcome<()> {
    tx.prepare_cached("INSERT INTO settings_changes (name, change) VALUES (?1, ?2)")?
        .execute((change.key.as_str(), json(change)?))?;
    Ok(())
}

#[async_trait]
impl MailboxStore for SqliteStore {
    async fn put_mailbox(
        &self,
        id: MailboxId,
        settings: &MailboxSettings,
        password: &str,
        change: &SettingChange,
    ) -> Result<()> {
        let settings = settings.clone();
        let password = password.to_owned();
        let change = change.clone();
        self.write(move |conn| {
            let record = json(&settings)?;
            let tx = conn.transaction()?;
            tx.prepare_cached(
                "INSERT INTO mailboxes (id, settings, password) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE
                 SET settings = excluded.settings, password = excluded.password",
            )?
            .execute((blob(id.as_uuid()), record, password))?;
            audit(&tx, &change)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn mailbox(&self, id: MailboxId) -> Result<Option<Mailbox>> {
        self.read(move |conn| {
            let sql = "SELECT id, settings, last_round FROM mailboxes WHERE id = ?1";
            first(conn, sql, [blob(id.as_uuid())], read_mailbox)
        })
        .await
    }

    async fn mailbox_password(&self, id: MailboxId) -> Result<Option<String>> {
        self.read(move |conn| {
            let sql = "SELECT password FROM mailboxes WHERE id = ?1";
            first(conn, sql, [blob(id.as_uuid())], read_password)
        })
        .await
    }

    async fn mailboxes(&self) -> Result<Vec<Mailbox>> {
        self.read(move |conn| {
            let sql = "SELECT id, settings, last_round FROM mailboxes ORDER BY id";
            all(conn, sql, [], read_mailbox)
        })
        .await
    }

    async fn delete_mailbox(&self, id: MailboxId, change: &SettingChange) -> Result<bool> {
        let change = change.clone();
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let n = tx
                .prepare_cached("DELETE FROM mailboxes WHERE id = ?1")?
                .execute([blob(id.as_uuid())])?;
            if n > 0 {
                audit(&tx, &change)?;
            }
            tx.commit()?;
            Ok(n > 0)
        })
        .await
    }

    async fn record_mailbox_round(&self, id: MailboxId, round: &MailboxRound) -> Result<bool> {
        let round = round.clone();
        self.write(move |conn| {
            let n = conn
                .prepare_cached("UPDATE mailboxes SET last_round = ?2 WHERE id = ?1")?
                .execute((blob(id.as_uuid()), json(&round)?))?;
            Ok(n > 0)
        })
        .await
    }
}
