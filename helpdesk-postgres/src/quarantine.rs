//! Mail kept aside and ignored mail (tables `mail_quarantine` and `ignored_mail`, migration
//! 0021): [`MailQuarantineStore`] for [`PostgresStore`], a row per mail, newest first by id.

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{IgnoredMailId, QuarantineId};
use helpdesk_core::store::{IgnoredMail, MailQuarantineStore, QuarantinedMail};
use sqlx::postgres::PgRow;
use uuid::Uuid;

use crate::connection::PostgresStore;
use crate::rows::{Reader, all, execute, json, optional};

/// A quarantined mail's record from a row of `SELECT mail`.
fn quarantined(row: &PgRow) -> Result<QuarantinedMail> {
    Reader::new(row, "mail_quarantine").json("mail")
}

/// A mail's bytes from a row of `SELECT raw`.
fn raw(row: &PgRow) -> Result<Vec<u8>> {
    Reader::new(row, "mail_quarantine").get("raw")
}

/// An ignored mail from a row of `SELECT mail`.
fn ignored(row: &PgRow) -> Result<IgnoredMail> {
    Reader::new(row, "ignored_mail").json("mail")
}

#[async_trait]
impl MailQuarantineStore for PostgresStore {
    async fn put_quarantined_mail(&self, mail: &QuarantinedMail, bytes: &[u8]) -> Result<()> {
        let query = sqlx::query(
            "INSERT INTO mail_quarantine (id, mail, raw) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET mail = EXCLUDED.mail",
        )
        .bind(mail.id.as_uuid())
        .bind(json(mail)?)
        .bind(bytes);
        execute(&self.pool, query).await.map(drop)
    }

    async fn quarantined_mail(&self, id: QuarantineId) -> Result<Option<QuarantinedMail>> {
        let query =
            sqlx::query("SELECT mail FROM mail_quarantine WHERE id = $1").bind(id.as_uuid());
        optional(&self.pool, query, quarantined).await
    }

    async fn quarantined_mail_bytes(&self, id: QuarantineId) -> Result<Option<Vec<u8>>> {
        let query = sqlx::query("SELECT raw FROM mail_quarantine WHERE id = $1").bind(id.as_uuid());
        optional(&self.pool, query, raw).await
    }

    async fn quarantined_mails(
        &self,
        before: Option<QuarantineId>,
        limit: u32,
    ) -> Result<Vec<QuarantinedMail>> {
        let query = sqlx::query(
            "SELECT mail FROM mail_quarantine WHERE ($1::uuid IS NULL OR id < $1) \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(before.map(|b| b.as_uuid()))
        .bind(i64::from(limit));
        all(&self.pool, query, quarantined).await
    }

    async fn delete_quarantined_mail(&self, id: QuarantineId) -> Result<bool> {
        let query = sqlx::query("DELETE FROM mail_quarantine WHERE id = $1").bind(id.as_uuid());
        Ok(execute(&self.pool, query).await? > 0)
    }

    async fn record_ignored_mail(&self, mail: &IgnoredMail) -> Result<()> {
        let query = sqlx::query("INSERT INTO ignored_mail (id, mail) VALUES ($1, $2)")
            .bind(mail.id.as_uuid())
            .bind(json(mail)?);
        execute(&self.pool, query).await.map(drop)
    }

    async fn ignored_mails(
        &self,
        before: Option<IgnoredMailId>,
        limit: u32,
    ) -> Result<Vec<IgnoredMail>> {
        let query = sqlx::query(
            "SELECT mail FROM ignored_mail WHERE ($1::uuid IS NULL OR id < $1) \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(before.map(|b: IgnoredMailId| -> Uuid { b.as_uuid() }))
        .bind(i64::from(limit));
        all(&self.pool, query, ignored).await
    }
}
