//! [`OutboxStore`] for [`PostgresStore`], and the rows of the `outbox` and
//! `mail_references` tables.
//!
//! E-mails and mail references are written by `commit`, in the batch's transaction, with
//! [`OutboxColumns`] and [`MailReferenceColumns`], after [`message_id_taken`] has checked
//! their Message-IDs against the stored ones (the unique constraints on `message_id` catch
//! what a concurrent batch commits in between). An e-mail's [`Delivery`] is two columns, its
//! state and its instant, so that leasing is a range scan of the partial index of pending
//! e-mails by the instant they are due.

use chrono::{DateTime, Utc};
use helpdesk_core::clock::to_micros;
use helpdesk_core::domain::{
    Delivery, DeliveryOutcome, Email, MailReference, OutboundEmail, OutboxId, TicketId,
};
use helpdesk_core::error::Entity;
use helpdesk_core::{Error, Result};
use sqlx::postgres::PgRow;
use uuid::Uuid;

use crate::PostgresStore;
use crate::error;
use crate::rows::{PgQuery, Reader, json};

/// The column list of outbox reads.
macro_rules! columns {
    () => {
        "id, message_id, ticket_id, kind, language, to_address, to_name, subject, body, \
         thread::text AS thread, created_at, attempts, delivery, delivery_at, last_error"
    };
}

/// An outbox e-mail from a row selected with [`columns!`].
fn outbound_email(row: &PgRow) -> Result<OutboundEmail> {
    let r = Reader::new(row, "outbox");
    let delivery = Delivery::from_parts(r.text("delivery")?, r.get("delivery_at")?);
    let attempts: i64 = r.get("attempts")?;
    Ok(OutboundEmail {
        id: OutboxId::from_uuid(r.get("id")?),
        message_id: r.get("message_id")?,
        ticket_id: r.get::<Option<Uuid>>("ticket_id")?.map(TicketId::from_uuid),
        kind: r.text("kind")?,
        language: r.text("language")?,
        to: r.parse("to_address", |s| Email::parse(&s))?,
        to_name: r.get("to_name")?,
        subject: r.get("subject")?,
        body: r.get("body")?,
        references: r.json("thread")?,
        created_at: r.get("created_at")?,
        attempts: u32::try_from(attempts).map_err(|e| r.corrupt("attempts", e))?,
        delivery,
        last_error: r.get("last_error")?,
    })
}

/// The column list of mail reference reads.
macro_rules! reference_columns {
    () => {
        "message_id, ticket_id, inbound"
    };
}

/// A mail reference from a row selected with [`reference_columns!`].
fn read_mail_reference(row: &PgRow) -> Result<MailReference> {
    let r = Reader::new(row, "mail_references");
    Ok(MailReference {
        message_id: r.get("message_id")?,
        ticket_id: TicketId::from_uuid(r.get("ticket_id")?),
        inbound: r.get("inbound")?,
    })
}

/// A batch's outbox e-mails, as parallel arrays for `UNNEST`.
#[derive(Debug, Default)]
pub(crate) struct OutboxColumns {
    id: Vec<Uuid>,
    message_id: Vec<String>,
    ticket_id: Vec<Option<Uuid>>,
    kind: Vec<&'static str>,
    language: Vec<&'static str>,
    to_address: Vec<String>,
    to_name: Vec<Option<String>>,
    subject: Vec<String>,
    body: Vec<String>,
    thread: Vec<String>,
    created_at: Vec<DateTime<Utc>>,
    attempts: Vec<i64>,
    delivery: Vec<&'static str>,
    delivery_at: Vec<DateTime<Utc>>,
    last_error: Vec<Option<String>>,
}

impl OutboxColumns {
    /// The columns of `emails`.
    pub(crate) fn of(emails: &[OutboundEmail]) -> Result<Self> {
        let mut c = Self::default();
        for e in emails {
            c.id.push(e.id.as_uuid());
            c.message_id.push(e.message_id.clone());
            c.ticket_id.push(e.ticket_id.map(|t| t.as_uuid()));
            c.kind.push(e.kind.as_str());
            c.language.push(e.language.as_str());
            c.to_address.push(e.to.as_str().to_owned());
            c.to_name.push(e.to_name.clone());
            c.subject.push(e.subject.clone());
            c.body.push(e.body.clone());
            c.thread.push(json(&e.references)?);
            c.created_at.push(e.created_at);
            c.attempts.push(i64::from(e.attempts));
            c.delivery.push(e.delivery.state().as_str());
            c.delivery_at.push(e.delivery.at());
            c.last_error.push(e.last_error.clone());
        }
        Ok(c)
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Inserts them all.
    pub(crate) const INSERT: &str = "INSERT INTO outbox (id, message_id, ticket_id, kind, \
         language, to_address, to_name, subject, body, thread, created_at, attempts, delivery, \
         delivery_at, last_error) SELECT id, message_id, ticket_id, kind, language, \
         to_address, to_name, subject, body, thread::jsonb, created_at, attempts, delivery, \
         delivery_at, last_error FROM UNNEST($1::uuid[], $2::text[], $3::uuid[], $4::text[], \
         $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], \
         $11::timestamptz[], $12::int8[], $13::text[], $14::timestamptz[], $15::text[]) \
         AS e(id, message_id, ticket_id, kind, language, to_address, to_name, subject, body, \
         thread, created_at, attempts, delivery, delivery_at, last_error)";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query
            .bind(self.id)
            .bind(self.message_id)
            .bind(self.ticket_id)
            .bind(self.kind)
            .bind(self.language)
            .bind(self.to_address)
            .bind(self.to_name)
            .bind(self.subject)
            .bind(self.body)
            .bind(self.thread)
            .bind(self.created_at)
            .bind(self.attempts)
            .bind(self.delivery)
            .bind(self.delivery_at)
            .bind(self.last_error)
    }
}

/// A batch's mail references, as parallel arrays for `UNNEST`, in the order written.
#[derive(Debug, Default)]
pub(crate) struct MailReferenceColumns {
    message_id: Vec<String>,
    ticket_id: Vec<Uuid>,
    inbound: Vec<bool>,
}

impl MailReferenceColumns {
    /// The columns of `references`.
    pub(crate) fn of(references: &[MailReference]) -> Self {
        let mut c = Self::default();
        for r in references {
            c.message_id.push(r.message_id.clone());
            c.ticket_id.push(r.ticket_id.as_uuid());
            c.inbound.push(r.inbound);
        }
        c
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.message_id.is_empty()
    }

    /// Inserts them all, in order (so `seq` follows the order written).
    pub(crate) const INSERT: &str = "INSERT INTO mail_references (message_id, ticket_id, \
         inbound) SELECT message_id, ticket_id, inbound \
         FROM UNNEST($1::text[], $2::uuid[], $3::bool[]) WITH ORDINALITY \
         AS r(message_id, ticket_id, inbound, n) ORDER BY n";

    /// Binds them for [`Self::INSERT`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query
            .bind(self.message_id)
            .bind(self.ticket_id)
            .bind(self.inbound)
    }
}

/// Leases pending e-mails: `$1` is the (whole-microsecond) instant, `$2` the end of the
/// lease, `$3` the limit.
///
/// The e-mails are picked in the order they are due, from the partial index of pending
/// ones, and locked with `SKIP LOCKED`, so that concurrent dispatchers take disjoint sets
/// without waiting on each other (under READ COMMITTED, a row another lease committed in
/// between is checked again, and is no longer due). The update returns them with the
/// instant they were due, to be returned in that order.
const LEASE: &str = concat!(
    "WITH due AS MATERIALIZED (SELECT id, delivery_at FROM outbox \
     WHERE delivery = 'pending' AND delivery_at <= $1 \
     ORDER BY delivery_at, id LIMIT $3 FOR UPDATE SKIP LOCKED), \
     leased AS (UPDATE outbox o SET attempts = o.attempts + 1, delivery_at = $2 \
     FROM due WHERE o.id = due.id RETURNING o.*, due.delivery_at AS due_at) \
     SELECT ",
    columns!(),
    " FROM leased ORDER BY due_at, id"
);

/// Leases pending e-mails.
pub(crate) async fn lease(
    store: &PostgresStore,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<OutboundEmail>> {
    // For stored (whole-microsecond) instants, `x <= now` and `x <= floor(now)` agree.
    sqlx::query(LEASE)
        .bind(to_micros(now))
        .bind(lease_until)
        .bind(i64::from(limit))
        .fetch_all(&store.pool)
        .await
        .map_err(error::db)?
        .iter()
        .map(outbound_email)
        .collect()
}

/// Records how an attempt ended.
pub(crate) async fn finish(
    store: &PostgresStore,
    id: OutboxId,
    outcome: &DeliveryOutcome,
) -> Result<()> {
    let (delivery, last_error) = outcome.delivery();
    let done = sqlx::query(
        "UPDATE outbox SET delivery = $2, delivery_at = $3, last_error = $4 WHERE id = $1",
    )
    .bind(id.as_uuid())
    .bind(delivery.state().as_str())
    .bind(delivery.at())
    .bind(last_error)
    .execute(&store.pool)
    .await
    .map_err(error::db)?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(Entity::Email, id));
    }
    Ok(())
}

/// An outbox e-mail.
pub(crate) async fn email(store: &PostgresStore, id: OutboxId) -> Result<Option<OutboundEmail>> {
    sqlx::query(concat!("SELECT ", columns!(), " FROM outbox WHERE id = $1"))
        .bind(id.as_uuid())
        .fetch_optional(&store.pool)
        .await
        .map_err(error::db)?
        .map(|row| outbound_email(&row))
        .transpose()
}

/// A ticket's e-mails.
pub(crate) async fn ticket_emails(
    store: &PostgresStore,
    ticket: TicketId,
) -> Result<Vec<OutboundEmail>> {
    sqlx::query(concat!(
        "SELECT ",
        columns!(),
        " FROM outbox WHERE ticket_id = $1 ORDER BY created_at, id"
    ))
    .bind(ticket.as_uuid())
    .fetch_all(&store.pool)
    .await
    .map_err(error::db)?
    .iter()
    .map(outbound_email)
    .collect()
}

/// A mail reference by Message-ID.
pub(crate) async fn mail_reference(
    store: &PostgresStore,
    message_id: &str,
) -> Result<Option<MailReference>> {
    // PostgreSQL text cannot hold a NUL, so no stored Message-ID has one.
    if message_id.contains('\0') {
        return Ok(None);
    }
    sqlx::query(concat!(
        "SELECT ",
        reference_columns!(),
        " FROM mail_references WHERE message_id = $1"
    ))
    .bind(message_id)
    .fetch_optional(&store.pool)
    .await
    .map_err(error::db)?
    .map(|row| read_mail_reference(&row))
    .transpose()
}

/// A ticket's mail references.
pub(crate) async fn mail_references(
    store: &PostgresStore,
    ticket: TicketId,
) -> Result<Vec<MailReference>> {
    sqlx::query(concat!(
        "SELECT ",
        reference_columns!(),
        " FROM mail_references WHERE ticket_id = $1 ORDER BY seq"
    ))
    .bind(ticket.as_uuid())
    .fetch_all(&store.pool)
    .await
    .map_err(error::db)?
    .iter()
    .map(read_mail_reference)
    .collect()
}

#[cfg(test)]
mod tests {
    use helpdesk_core::domain::{EmailKind, Language};
    use helpdesk_core::store::{Store, WriteBatch};
    use helpdesk_core::testkit::samples;
    use sqlx::Row;

    use super::*;
    use crate::testing;

    /// The plan of a lease on a real server with many sent e-mails and a few pending ones:
    /// a scan of `outbox_pending_idx`, never of the table.
    #[tokio::test]
    async fn leasing_scans_the_index_of_pending_emails() {
        let Some(store) = testing::fresh_store().await else {
            return;
        };
        for batch in 0..10_i64 {
            let outbox = (0..500_i64)
                .map(|i| {
                    let n = batch * 500 + i;
                    let at = samples::at(n);
                    OutboundEmail {
                        id: OutboxId::new(),
                        message_id: format!("{n}@desk.example"),
                        ticket_id: None,
                        kind: EmailKind::TicketThread,
                        language: Language::English,
                        to: samples::email("ana@example.ro"),
                        to_name: None,
                        subject: "s".to_owned(),
                        body: "b".to_owned(),
                        references: Vec::new(),
                        created_at: at,
                        attempts: 1,
                        delivery: if n % 50 == 0 {
                            Delivery::Pending { at }
                        } else {
                            Delivery::Sent { at }
                        },
                        last_error: None,
                    }
                })
                .collect();
            let batch = WriteBatch {
                outbox,
                ..WriteBatch::default()
            };
            store.commit(batch).await.unwrap();
        }
        sqlx::query("ANALYZE outbox")
            .execute(store.pool())
            .await
            .unwrap();
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN {LEASE}")))
            .bind(samples::at(10_000))
            .bind(samples::at(20_000))
            .bind(10_i64)
            .fetch_all(store.pool())
            .await
            .unwrap();
        let plan = rows
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(plan.contains("outbox_pending_idx"), "{plan}");
        assert!(plan.contains("LockRows"), "{plan}");
        assert!(!plan.contains("Seq Scan on outbox"), "{plan}");
        let leased = store
            .lease_outbox(samples::at(10_000), samples::at(20_000), 1000)
            .await
            .unwrap();
        assert_eq!(leased.len(), 100);
        assert!(leased.windows(2).all(|w| w[0].created_at < w[1].created_at));
        testing::discard(store).await.unwrap();
    }
}
