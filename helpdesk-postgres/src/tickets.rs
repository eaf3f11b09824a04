//! Ticket reads: by id and by number, the due index, a ticket's messages, history and time
//! entries, which blobs messages reference, and the ticket number sequence.
//!
//! Ticket numbers come from a PostgreSQL sequence: never repeated, gaps allowed. Full and
//! short numbers share one namespace, the `ticket_numbers` table. Due tickets are a range
//! scan of a partial index holding only tickets with a `next_due_at`, so finding them costs
//! what they are, not what the whole table is.

use chrono::{DateTime, Utc};
use helpdesk_core::clock::to_micros;
use helpdesk_core::domain::{
    Message, MessageId, Ticket, TicketEvent, TicketId, TicketKey, TimeEntry, Visibility,
};
use helpdesk_core::store::thread_page::{check_limit, not_in_thread};
use helpdesk_core::store::{BlobKey, MessagePage, TicketThread};
use helpdesk_core::{Error, Result};
use sqlx::{PgConnection, PgPool};

use crate::error;
use crate::rows::message::{
    event, event_columns, message, message_columns, time_entry, time_entry_columns,
};
use crate::rows::ticket::{ticket, ticket_columns};
use crate::rows::{all, optional};

/// Due tickets: `$1` is the (whole-microsecond) instant, `$2` the limit.
pub(crate) const DUE_TICKETS: &str = concat!(
    "SELECT ",
    ticket_columns!(),
    " FROM tickets t WHERE t.next_due_at IS NOT NULL AND t.next_due_at <= $1 \
     ORDER BY t.next_due_at, t.id LIMIT $2"
);

/// Which of `keys` a stored message references: `$1` the keys. A look-up of the primary key
/// of `message_blobs` (migration 0011) for each.
pub(crate) const REFERENCED_BLOBS: &str =
    "SELECT DISTINCT sha256 FROM message_blobs WHERE sha256 = ANY($1)";

/// A ticket by id: `$1`.
const BY_ID: &str = concat!(
    "SELECT ",
    ticket_columns!(),
    " FROM tickets t WHERE t.id = $1"
);

/// A ticket by its full or short number: `$1`.
const BY_NUMBER: &str = concat!(
    "SELECT ",
    ticket_columns!(),
    " FROM ticket_numbers n JOIN tickets t ON t.id = n.ticket_id WHERE n.digits = $1"
);

/// A ticket's thread in the order written: `$1` the ticket, `$2` whether internal notes
/// count, `$3` the public visibility.
const MESSAGES: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE ticket_id = $1 AND ($2 OR visibility = $3) ORDER BY seq"
);

/// A ticket by id.
pub(crate) async fn by_id(pool: &PgPool, id: TicketId) -> Result<Option<Ticket>> {
    optional(pool, sqlx::query(BY_ID).bind(id.as_uuid()), ticket).await
}

/// A ticket by its full or short number.
pub(crate) async fn by_number(pool: &PgPool, digits: &str) -> Result<Option<Ticket>> {
    optional(pool, sqlx::query(BY_NUMBER).bind(digits), ticket).await
}

/// The tickets with something due at `now`, soonest first, at most `limit`.
pub(crate) async fn due(pool: &PgPool, now: DateTime<Utc>, limit: u32) -> Result<Vec<Ticket>> {
    // A range scan of the partial index tickets_due_idx, which holds only tickets with
    // something due and gives the order. For stored (whole-microsecond) instants,
    // `x <= now` and `x <= floor(now)` agree; flooring here does not depend on how the
    // driver rounds sub-microsecond parts.
    let query = sqlx::query(DUE_TICKETS)
        .bind(to_micros(now))
        .bind(i64::from(limit));
    all(pool, query, ticket).await
}

/// A ticket's messages in the order written, internal notes only with `include_internal`.
pub(crate) async fn messages(
    pool: &PgPool,
    ticket: TicketId,
    include_internal: bool,
) -> Result<Vec<Message>> {
    let query = sqlx::query(MESSAGES)
        .bind(ticket.as_uuid())
        .bind(include_internal)
        .bind(Visibility::Public.as_str());
    all(pool, query, message).await
}

/// A ticket's messages, newest first: `$1` the ticket, `$2` whether internal notes count,
/// `$3` the public visibility, `$4` the seq below which to read, `$5` the limit. One
/// backward range of `messages_ticket_idx`.
const MESSAGES_BELOW: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE ticket_id = $1 AND ($2 OR visibility = $3) AND seq < $4 \
     ORDER BY seq DESC LIMIT $5"
);

/// One page of a ticket's thread: the `limit` messages before `before` (the newest when
/// `None`), oldest first, read newest first (one more, to know whether older ones remain).
pub(crate) async fn messages_page(
    pool: &PgPool,
    ticket: TicketId,
    include_internal: bool,
    before: Option<MessageId>,
    limit: u32,
) -> Result<MessagePage> {
    check_limit(limit)?;
    let mut conn = pool.acquire().await.map_err(error::db)?;
    let below = match before {
        None => i64::MAX,
        Some(id) => {
            let seq: Option<i64> = sqlx::query_scalar(
                "SELECT seq FROM messages WHERE id = $1 AND ticket_id = $2 \
                 AND ($3 OR visibility = $4)",
            )
            .bind(id.as_uuid())
            .bind(ticket.as_uuid())
            .bind(include_internal)
            .bind(Visibility::Public.as_str())
            .fetch_optional(&mut *conn)
            .await
            .map_err(error::db)?;
            seq.ok_or_else(not_in_thread)?
        }
    };
    page_below(&mut conn, ticket, include_internal, below, limit).await
}

/// The `limit` messages of `ticket` before the one at `below`, oldest first, on `conn`.
async fn page_below(
    conn: &mut PgConnection,
    ticket: TicketId,
    include_internal: bool,
    below: i64,
    limit: u32,
) -> Result<MessagePage> {
    let rows = sqlx::query(MESSAGES_BELOW)
        .bind(ticket.as_uuid())
        .bind(include_internal)
        .bind(Visibility::Public.as_str())
        .bind(below)
        .bind(i64::from(limit) + 1)
        .fetch_all(&mut *conn)
        .await
        .map_err(error::db)?;
    let mut items = rows.iter().map(message).collect::<Result<Vec<_>>>()?;
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    items.reverse();
    Ok(MessagePage::from_newest(items, more))
}

/// A ticket by id or number with its whole thread (`newest` `None`) or its newest page: two
/// statements on one acquired connection (no transaction: BEGIN and COMMIT would be two more
/// round trips; a reply landing between the two is then in the thread and not yet in the
/// ticket's `updated_at`, as with two separate calls).
pub(crate) async fn ticket_with_thread(
    pool: &PgPool,
    key: &TicketKey,
    include_internal: bool,
    newest: Option<u32>,
) -> Result<Option<TicketThread>> {
    if let Some(limit) = newest {
        check_limit(limit)?;
    }
    let mut conn = pool.acquire().await.map_err(error::db)?;
    let row = match key {
        TicketKey::Id(id) => sqlx::query(BY_ID).bind(id.as_uuid()),
        TicketKey::Number(digits) => sqlx::query(BY_NUMBER).bind(digits.as_str()),
    }
    .fetch_optional(&mut *conn)
    .await
    .map_err(error::db)?;
    let Some(ticket) = row.as_ref().map(ticket).transpose()? else {
        return Ok(None);
    };
    let thread = thread_of(&mut conn, ticket.id, include_internal, newest).await?;
    Ok(Some(TicketThread { ticket, thread }))
}

/// The whole thread of `ticket` (`newest` `None`) or its newest `newest` messages, on
/// `conn`.
pub(crate) async fn thread_of(
    conn: &mut PgConnection,
    ticket: TicketId,
    include_internal: bool,
    newest: Option<u32>,
) -> Result<MessagePage> {
    Ok(match newest {
        Some(limit) => page_below(conn, ticket, include_internal, i64::MAX, limit).await?,
        None => {
            let rows = sqlx::query(MESSAGES)
                .bind(ticket.as_uuid())
                .bind(include_internal)
                .bind(Visibility::Public.as_str())
                .fetch_all(&mut *conn)
                .await
                .map_err(error::db)?;
            let items = rows.iter().map(message).collect::<Result<Vec<_>>>()?;
            MessagePage::from_newest(items, false)
        }
    })
}

/// A ticket's events in the order written.
pub(crate) async fn history(pool: &PgPool, ticket: TicketId) -> Result<Vec<TicketEvent>> {
    let sql = concat!(
        "SELECT ",
        event_columns!(),
        " FROM ticket_events WHERE ticket_id = $1 ORDER BY seq"
    );
    all(pool, sqlx::query(sql).bind(ticket.as_uuid()), event).await
}

/// A ticket's time entries in the order written.
pub(crate) async fn time_entries(pool: &PgPool, ticket: TicketId) -> Result<Vec<TimeEntry>> {
    let sql = concat!(
        "SELECT ",
        time_entry_columns!(),
        " FROM time_entries WHERE ticket_id = $1 ORDER BY seq"
    );
    all(pool, sqlx::query(sql).bind(ticket.as_uuid()), time_entry).await
}

/// Which of `keys` a stored message references.
pub(crate) async fn referenced_blobs(pool: &PgPool, keys: &[BlobKey]) -> Result<Vec<BlobKey>> {
    let keys: Vec<&str> = keys.iter().map(BlobKey::as_str).collect();
    let found: Vec<String> = sqlx::query_scalar(REFERENCED_BLOBS)
        .bind(&keys)
        .fetch_all(pool)
        .await
        .map_err(error::db)?;
    found
        .iter()
        .map(|k| BlobKey::parse(k).map_err(|e| Error::corrupt("message_blobs", "sha256", e)))
        .collect()
}

/// The next value of the ticket number sequence.
pub(crate) async fn next_sequence(pool: &PgPool) -> Result<u64> {
    let next: i64 = sqlx::query_scalar("SELECT nextval('ticket_number_seq')")
        .fetch_one(pool)
        .await
        .map_err(error::db)?;
    u64::try_from(next).map_err(|e| Error::corrupt("ticket_number_seq", "nextval", e))
}

/// Takes `count` values of the ticket number sequence in one statement, ascending.
pub(crate) async fn next_sequences(pool: &PgPool, count: u32) -> Result<Vec<u64>> {
    let values: Vec<i64> = sqlx::query_scalar(
        "SELECT nextval('ticket_number_seq') AS v FROM generate_series(1, $1) ORDER BY v",
    )
    .bind(i64::from(count))
    .fetch_all(pool)
    .await
    .map_err(error::db)?;
    values
        .into_iter()
        .map(|v| u64::try_from(v).map_err(|e| Error::corrupt("ticket_number_seq", "nextval", e)))
        .collect()
}

#[cfg(test)]
mod tests {
    use helpdesk_core::domain::{Attachment, CustomerId, DepartmentId};
    use helpdesk_core::store::{Store, TicketWrite, WriteBatch};
    use helpdesk_core::testkit::samples;

    use super::*;
    use crate::testing;

    /// The plan of `referenced_blobs` on a real server with many referenced blobs: look-ups
    /// of the primary key of `message_blobs`, never a scan of it (nor of the messages).
    #[tokio::test]
    async fn referenced_blobs_are_primary_key_look_ups() {
        let Some(store) = testing::fresh_store().await else {
            return;
        };
        let key = |i: u64| BlobKey::of(&i.to_le_bytes());
        for chunk in 0..8_u64 {
            let writes = (chunk * 500..(chunk + 1) * 500)
                .map(|i| {
                    let t = samples::ticket(
                        samples::number(i + 1),
                        DepartmentId::new(),
                        CustomerId::new(),
                    );
                    let mut m = samples::message(&t, "attached", Visibility::Public);
                    m.attachments = vec![
                        Attachment::new("a.bin", "application/octet-stream", 8, key(i).as_str())
                            .unwrap(),
                    ];
                    TicketWrite {
                        messages: vec![m],
                        ..TicketWrite::create(t)
                    }
                })
                .collect();
            store.commit(WriteBatch::of(writes)).await.unwrap();
        }
        sqlx::query("ANALYZE message_blobs")
            .execute(store.pool())
            .await
            .unwrap();
        let asked = [key(7), key(3999), key(10_000)];
        let texts: Vec<&str> = asked.iter().map(BlobKey::as_str).collect();
        let query = testing::explain(REFERENCED_BLOBS).bind(&texts);
        let plan = testing::plan(&store, query).await;
        assert!(plan.contains("message_blobs_pkey"), "{plan}");
        assert!(!plan.contains("Seq Scan"), "{plan}");
        let mut found = store.referenced_blobs(&asked).await.unwrap();
        found.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        let mut expected = vec![key(7), key(3999)];
        expected.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        assert_eq!(found, expected);
        testing::discard(store).await.unwrap();
    }
}
