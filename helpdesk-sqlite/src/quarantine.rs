//! Mail kept aside and ignored mail (tables `mail_quarantine` and `ignored_mail`, migration
//! 0021): [`MailQuarantineStore`] for [`SqliteStore`], a row per mail, newest first by id.

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{IgnoredMailId, QuarantineId};
use helpdesk_core::store::{IgnoredMail, MailQuarantineStore, QuarantinedMail};
use rusqlite::Row;

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::{Reader, all, blob, first, json};

/// A quarantined mail's record from a row of `SELECT mail`.
fn read_quarantined(row: &Row<'_>) -> Outcome<QuarantinedMail> {
    Reader::new(row, "mail_quarantine").json("mail")
}

/// A mail's bytes from a row of `SELECT raw`.
fn read_raw(row: &Row<'_>) -> Outcome<Vec<u8>> {
    Reader::new(row, "mail_quarantine").get("raw")
}

/// An ignored mail from a row of `SELECT mail`.
fn read_ignored(row: &Row<'_>) -> Outcome<IgnoredMail> {
    Reader::new(row, "ignored_mail").json("mail")
}

/// The bound of a keyset page: below `before`, or everything (above no id: the greatest).
fn bound(before: Option<uuid::Uuid>) -> [u8; 16] {
    blob(before.unwrap_or(uuid::Uuid::max()))
}

#[async_trait]
impl MailQuarantineStore for SqliteStore {
    async fn put_quarantined_mail(&self, mail: &QuarantinedMail, raw: &[u8]) -> Result<()> {
        let id = blob(mail.id.as_uuid());
        let mail = mail.clone();
        let raw = raw.to_vec();
        self.write(move |conn| {
            let record = json(&mail)?;
            conn.prepare_cached(
                "INSERT INTO mail_quarantine (id, mail, raw) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET mail = excluded.mail",
            )?
            .execute((id, record, raw))?;
            Ok(())
        })
        .await
    }

    async fn quarantined_mail(&self, id: QuarantineId) -> Result<Option<QuarantinedMail>> {
        self.read(move |conn| {
            let sql = "SELECT mail FROM mail_quarantine WHERE id = ?1";
            first(conn, sql, [blob(id.as_uuid())], read_quarantined)
        })
        .await
    }

    async fn quarantined_mail_bytes(&self, id: QuarantineId) -> Result<Option<Vec<u8>>> {
        self.read(move |conn| {
            let sql = "SELECT raw FROM mail_quarantine WHERE id = ?1";
            first(conn, sql, [blob(id.as_uuid())], read_raw)
        })
        .await
    }

    async fn quarantined_mails(
        &self,
        before: Option<QuarantineId>,
        limit: u32,
    ) -> Result<Vec<QuarantinedMail>> {
        let below = bound(before.map(|b| b.as_uuid()));
        let all_below = before.is_none();
        self.read(move |conn| {
            let sql = "SELECT mail FROM mail_quarantine WHERE (?1 OR id < ?2)
                       ORDER BY id DESC LIMIT ?3";
            all(conn, sql, (all_below, below, limit), read_quarantined)
        })
        .await
    }

    async fn delete_quarantined_mail(&self, id: QuarantineId) -> Result<bool> {
        self.write(move |conn| {
            let n = conn
                .prepare_cached("DELETE FROM mail_quarantine WHERE id = ?1")?
                .execute([blob(id.as_uuid())])?;
            Ok(n > 0)
        })
        .await
    }

    async fn record_ignored_mail(&self, mail: &IgnoredMail) -> Result<()> {
        let id = blob(mail.id.as_uuid());
        let mail = mail.clone();
        self.write(move |conn| {
            let record = json(&mail)?;
            conn.prepare_cached("INSERT INTO ignored_mail (id, mail) VALUES (?1, ?2)")?
                .execute((id, record))?;
            Ok(())
        })
        .await
    }

    async fn ignored_mails(
        &self,
        before: Option<IgnoredMailId>,
        limit: u32,
    ) -> Result<Vec<IgnoredMail>> {
        let below = bound(before.map(|b| b.as_uuid()));
        let all_below = before.is_none();
        self.read(move |conn| {
            let sql = "SELECT mail FROM ignored_mail WHERE (?1 OR id < ?2)
                       ORDER BY id DESC LIMIT ?3";
            all(conn, sql, (all_below, below, limit), read_ignored)
        })
        .await
    }
}
