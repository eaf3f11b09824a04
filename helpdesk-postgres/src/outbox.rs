//! Outbox e-mails and mail references (tables `outbox` and `mail_references`, migration
//! 0007): leasing e-mails, recording how a delivery ended, and reads.
//!
//! Both are written by `commit` in the batch's transaction, after
//! [`check_commit`](helpdesk_core::store::check_commit) has checked their Message-IDs against
//! the stored ones (the unique constraints on `message_id` catch what a concurrent batch
//! commits in between). An e-mail's delivery is two columns, its state and its instant, so
//! that leasing is a range scan of the partial index of pending e-mails by the instant they
//! are due.

use chrono::{DateTime, Utc};
use helpdesk_core::clock::to_micros;
use helpdesk_core::domain::{DeliveryOutcome, MailReference, OutboundEmail, OutboxId, TicketId};
use helpdesk_core::error::Entity;
use helpdesk_core::{Error, Result};
use sqlx::PgPool;

use crate::rows::outbox::{
    mail_reference as mail_reference_row, outbound_email, outbox_columns, reference_columns,
};
use crate::rows::{all, execute, optional};

/// Leases pending e-mails: `$1` is the (whole-microsecond) instant, `$2` the end of the
/// lease, `$3` the limit.
///
/// The e-mails are picked in the order they are due, from the partial index of pending
/// ones (its state written out as the index spells it, `DeliveryState::Pending`'s text), and locked with `SKIP LOCKED`, so that concurrent dispatchers take disjoint sets
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
    outbox_columns!(),
    " FROM leased ORDER BY due_at, id"
);

/// Leases pending e-mails.
pub(crate) async fn lease(
    pool: &PgPool,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<OutboundEmail>> {
    // For stored (whole-microsecond) instants, `x <= now` and `x <= floor(now)` agree.
    let query = sqlx::query(LEASE)
        .bind(to_micros(now))
        .bind(lease_until)
        .bind(i64::from(limit));
    all(pool, query, outbound_email).await
}

/// Records how an attempt ended: the delivery it leaves the e-mail in, and its error.
pub(crate) async fn finish(pool: &PgPool, id: OutboxId, outcome: &DeliveryOutcome) -> Result<()> {
    let (delivery, last_error) = outcome.delivery();
    let query = sqlx::query(
        "UPDATE outbox SET delivery = $2, delivery_at = $3, last_error = $4 WHERE id = $1",
    )
    .bind(id.as_uuid())
    .bind(delivery.state().as_str())
    .bind(delivery.at())
    .bind(last_error);
    if execute(pool, query).await? == 0 {
        return Err(Error::not_found(Entity::Email, id));
    }
    Ok(())
}

/// An outbox e-mail.
pub(crate) async fn email(pool: &PgPool, id: OutboxId) -> Result<Option<OutboundEmail>> {
    let sql = concat!("SELECT ", outbox_columns!(), " FROM outbox WHERE id = $1");
    optional(pool, sqlx::query(sql).bind(id.as_uuid()), outbound_email).await
}

/// A ticket's e-mails, in the order written.
pub(crate) async fn ticket_emails(pool: &PgPool, ticket: TicketId) -> Result<Vec<OutboundEmail>> {
    let sql = concat!(
        "SELECT ",
        outbox_columns!(),
        " FROM outbox WHERE ticket_id = $1 ORDER BY created_at, id"
    );
    all(
        pool,
        sqlx::query(sql).bind(ticket.as_uuid()),
        outbound_email,
    )
    .await
}

/// A mail reference by Message-ID.
pub(crate) async fn mail_reference(
    pool: &PgPool,
    message_id: &str,
) -> Result<Option<MailReference>> {
    // PostgreSQL text cannot hold a NUL, so no stored Message-ID has one.
    if message_id.contains('\0') {
        return Ok(None);
    }
    let sql = concat!(
        "SELECT ",
        reference_columns!(),
        " FROM mail_references WHERE message_id = $1"
    );
    optional(pool, sqlx::query(sql).bind(message_id), mail_reference_row).await
}

/// The mail references with any of `message_ids`, in one statement (`= ANY($1)`).
pub(crate) async fn mail_references_of(
    pool: &PgPool,
    message_ids: &[String],
) -> Result<Vec<MailReference>> {
    // PostgreSQL text cannot hold a NUL, so no stored Message-ID has one.
    let ids: Vec<&str> = (message_ids.iter())
        .map(String::as_str)
        .filter(|id| !id.contains('\0'))
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = concat!(
        "SELECT ",
        reference_columns!(),
        " FROM mail_references WHERE message_id = ANY($1)"
    );
    all(pool, sqlx::query(sql).bind(ids), mail_reference_row).await
}

/// A ticket's mail references, in the order written.
pub(crate) async fn mail_references(pool: &PgPool, ticket: TicketId) -> Result<Vec<MailReference>> {
    let sql = concat!(
        "SELECT ",
        reference_columns!(),
        " FROM mail_references WHERE ticket_id = $1 ORDER BY seq"
    );
    all(
        pool,
        sqlx::query(sql).bind(ticket.as_uuid()),
        mail_reference_row,
    )
    .await
}

#[cfg(test)]
mod tests {
    use helpdesk_core::domain::{Delivery, DeliveryState, EmailKind, Language};
    use helpdesk_core::store::{Store, WriteBatch};
    use helpdesk_core::testkit::samples;

    use super::*;
    use crate::testing;

    #[test]
    fn a_lease_spells_the_pending_state_as_stored_and_indexed() {
        let pending = format!("delivery = '{}'", DeliveryState::Pending.as_str());
        assert!(LEASE.contains(&pending), "{LEASE}");
    }

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
                        ticket_number: None,
                        kind: EmailKind::TicketThread,
                        language: Language::English,
                        to: samples::email("ana@example.ro"),
                        to_name: None,
                        cc: Vec::new(),
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
        let query = testing::explain(LEASE)
            .bind(samples::at(10_000))
            .bind(samples::at(20_000))
            .bind(10_i64);
        let plan = testing::plan(&store, query).await;
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
