//! Ticket reads: a ticket by id or number, pages of the list and of searches, the due index,
//! a ticket's messages, history and time entries, which blobs messages refer to, and the
//! ticket number sequence.

use chrono::{DateTime, Utc};
use helpdesk_core::Result;
use helpdesk_core::domain::{
    Message, MessageId, Ticket, TicketEvent, TicketId, TicketKey, TimeEntry, Visibility,
};
use helpdesk_core::error::Error;
use helpdesk_core::store::thread_page::{check_limit, not_in_thread};
use helpdesk_core::store::{BlobKey, MessagePage, Page, PageRequest, TicketThread};
use rusqlite::{TransactionBehavior, params_from_iter};

use crate::connection::SqliteStore;
use crate::query::{self, Query};
use crate::rows::message::{
    EVENT_COLUMNS, MESSAGE_COLUMNS, TIME_ENTRY_COLUMNS, read_event, read_message, read_time_entry,
};
use crate::rows::ticket::{TICKET_COLUMNS, read_ranked_ticket, read_ticket};
use crate::rows::{all, blob, first, literal};

/// A ticket.
pub(crate) async fn ticket(store: &SqliteStore, id: TicketId) -> Result<Option<Ticket>> {
    store
        .read(move |conn| {
            let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_ticket)
        })
        .await
}

/// The ticket with `digits` as its full or short number (the two share one namespace).
pub(crate) async fn ticket_by_number(store: &SqliteStore, digits: &str) -> Result<Option<Ticket>> {
    let digits = digits.to_owned();
    store
        .read(move |conn| {
            let sql = format!(
                "SELECT {TICKET_COLUMNS} FROM tickets t
                 WHERE t.number_full = ?1 OR t.number_short = ?1"
            );
            first(conn, &sql, [digits], read_ticket)
        })
        .await
}

/// Runs a ticket list query built with `LIMIT page.limit() + 1` (each row with its
/// `relevance`, see [`query::page_of`]) and makes the page.
pub(crate) async fn page(
    store: &SqliteStore,
    query: Query,
    page: &PageRequest,
) -> Result<Page<Ticket>> {
    let page = page.clone();
    store
        .read(move |conn| Ok(page.into_page_scored(query.all(conn, read_ranked_ticket)?)))
        .await
}

/// Runs a counting query (see [`query::count_tickets`]).
pub(crate) async fn count(store: &SqliteStore, query: Query) -> Result<u64> {
    store
        .read(move |conn| {
            let n: i64 = conn
                .prepare_cached(&query.sql)?
                .query_row(params_from_iter(query.params.iter()), |row| row.get(0))?;
            u64::try_from(n).map_err(|e| Error::corrupt("tickets", "count", e).into())
        })
        .await
}

/// Up to `limit` tickets due at `now`, earliest first.
pub(crate) async fn due_tickets(
    store: &SqliteStore,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<Ticket>> {
    let query = query::due_tickets(now, limit);
    store.read(move |conn| query.all(conn, read_ticket)).await
}

/// A ticket's thread, oldest first; internal notes only when `include_internal`.
pub(crate) async fn messages(
    store: &SqliteStore,
    ticket: TicketId,
    include_internal: bool,
) -> Result<Vec<Message>> {
    store
        .read(move |conn| thread(conn, blob(ticket.as_uuid()), include_internal))
        .await
}

/// The whole thread of `ticket`, oldest first.
fn thread(
    conn: &rusqlite::Connection,
    ticket: [u8; 16],
    include_internal: bool,
) -> crate::error::Outcome<Vec<Message>> {
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages
         WHERE ticket_id = ?1 AND (?2 OR visibility = {public})
         ORDER BY seq",
        public = literal(Visibility::Public)
    );
    all(conn, &sql, (ticket, include_internal), read_message)
}

/// One page of a ticket's thread: the messages before `before` (or the newest), read
/// newest first through `messages_by_ticket` (`ticket_id, seq`), one more than `limit` to
/// know whether older ones remain.
pub(crate) async fn messages_page(
    store: &SqliteStore,
    ticket: TicketId,
    include_internal: bool,
    before: Option<MessageId>,
    limit: u32,
) -> Result<MessagePage> {
    check_limit(limit)?;
    store
        .read(move |conn| {
            let ticket = blob(ticket.as_uuid());
            let below = match before {
                None => i64::MAX,
                Some(id) => {
                    let seq: Option<i64> = first(
                        conn,
                        &format!(
                            "SELECT seq FROM messages WHERE id = ?1 AND ticket_id = ?2
                             AND (?3 OR visibility = {public})",
                            public = literal(Visibility::Public)
                        ),
                        (blob(id.as_uuid()), ticket, include_internal),
                        |r| Ok(r.get::<_, i64>(0)?),
                    )?;
                    seq.ok_or_else(not_in_thread)?
                }
            };
            page_below(conn, ticket, include_internal, below, limit)
        })
        .await
}

/// The `limit` messages of `ticket` before the one at `below` (`i64::MAX`: the newest),
/// oldest first. One backward range of `messages_by_ticket`: the newest page of a thread of
/// any length reads `limit + 1` index entries and rows.
fn page_below(
    conn: &rusqlite::Connection,
    ticket: [u8; 16],
    include_internal: bool,
    below: i64,
    limit: u32,
) -> crate::error::Outcome<MessagePage> {
    // The limit a literal: SQLite prepares a statement with a bound LIMIT again each time
    // it is bound (see `query::page_from`).
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages INDEXED BY messages_by_ticket
         WHERE ticket_id = ?1 AND seq < ?2 AND (?3 OR visibility = {public})
         ORDER BY seq DESC LIMIT {rows}",
        public = literal(Visibility::Public),
        rows = i64::from(limit) + 1,
    );
    let params = (ticket, below, include_internal);
    let mut items = all(conn, &sql, params, read_message)?;
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    items.reverse();
    Ok(MessagePage::from_newest(items, more))
}

/// The whole thread of `ticket` (`newest` `None`) or its newest `newest` messages, on
/// `conn`.
pub(crate) fn thread_of(
    conn: &rusqlite::Connection,
    ticket: TicketId,
    include_internal: bool,
    newest: Option<u32>,
) -> crate::error::Outcome<MessagePage> {
    let id = blob(ticket.as_uuid());
    Ok(match newest {
        Some(limit) => page_below(conn, id, include_internal, i64::MAX, limit)?,
        None => MessagePage::from_newest(thread(conn, id, include_internal)?, false),
    })
}

/// A ticket by id or number with its whole thread (`newest` `None`) or its newest page, in
/// one blocking task on one reader connection (one read transaction, so the two agree).
pub(crate) async fn ticket_with_thread(
    store: &SqliteStore,
    key: &TicketKey,
    include_internal: bool,
    newest: Option<u32>,
) -> Result<Option<TicketThread>> {
    if let Some(limit) = newest {
        check_limit(limit)?;
    }
    let key = key.clone();
    store
        .read(move |conn| {
            let tx = conn.transaction()?;
            let ticket = match &key {
                TicketKey::Id(id) => first(
                    &tx,
                    &format!("SELECT {TICKET_COLUMNS} FROM tickets t WHERE t.id = ?1"),
                    [blob(id.as_uuid())],
                    read_ticket,
                )?,
                TicketKey::Number(digits) => first(
                    &tx,
                    &format!(
                        "SELECT {TICKET_COLUMNS} FROM tickets t
                         WHERE t.number_full = ?1 OR t.number_short = ?1"
                    ),
                    [digits],
                    read_ticket,
                )?,
            };
            let Some(ticket) = ticket else {
                return Ok(None);
            };
            let thread = thread_of(&tx, ticket.id, include_internal, newest)?;
            Ok(Some(TicketThread { ticket, thread }))
        })
        .await
}

/// A ticket's history, oldest first.
pub(crate) async fn history(store: &SqliteStore, ticket: TicketId) -> Result<Vec<TicketEvent>> {
    store
        .read(move |conn| {
            let sql = format!(
                "SELECT {EVENT_COLUMNS} FROM ticket_events WHERE ticket_id = ?1 ORDER BY seq"
            );
            all(conn, &sql, [blob(ticket.as_uuid())], read_event)
        })
        .await
}

/// A ticket's time entries, oldest first.
pub(crate) async fn time_entries(store: &SqliteStore, ticket: TicketId) -> Result<Vec<TimeEntry>> {
    store
        .read(move |conn| {
            let sql = format!(
                "SELECT {TIME_ENTRY_COLUMNS} FROM time_entries WHERE ticket_id = ?1 ORDER BY seq"
            );
            all(conn, &sql, [blob(ticket.as_uuid())], read_time_entry)
        })
        .await
}

/// Which of the keys in the JSON array `?1` a message refers to, by their position in it:
/// one statement, a search of the primary key of `message_blobs` per key.
const REFERENCED_BLOBS: &str = "
    SELECT k.key FROM json_each(?1) k
    WHERE EXISTS (SELECT 1 FROM message_blobs m WHERE m.sha256 = k.value)";

/// Which of `keys` an attachment of any message refers to.
pub(crate) async fn referenced_blobs(
    store: &SqliteStore,
    keys: &[BlobKey],
) -> Result<Vec<BlobKey>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let hex: Vec<&str> = keys.iter().map(BlobKey::as_str).collect();
    let list = serde_json::to_string(&hex).map_err(Error::backend)?;
    let found: Vec<i64> = store
        .read(move |conn| {
            let mut stmt = conn.prepare_cached(REFERENCED_BLOBS)?;
            let found = stmt
                .query_map([list], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(found)
        })
        .await?;
    // Positions SQLite took from the list just given: each is within it.
    let key = |i: i64| usize::try_from(i).ok().and_then(|i| keys.get(i)).cloned();
    Ok(found.into_iter().filter_map(key).collect())
}

/// Takes the next ticket number from the sequence.
pub(crate) async fn next_ticket_sequence(store: &SqliteStore) -> Result<u64> {
    let values = next_ticket_sequences(store, 1).await?;
    values
        .first()
        .copied()
        .ok_or_else(|| Error::corrupt("ticket_sequence", "value", "no value taken"))
}

/// Takes the next `count` ticket numbers from the sequence, in one write transaction.
pub(crate) async fn next_ticket_sequences(store: &SqliteStore, count: u32) -> Result<Vec<u64>> {
    store
        .write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let last: i64 = tx
                .prepare_cached(
                    "UPDATE ticket_sequence SET value = value + ?1 WHERE id = 1 RETURNING value",
                )?
                .query_row([count], |row| row.get(0))?;
            tx.commit()?;
            let last =
                u64::try_from(last).map_err(|e| Error::corrupt("ticket_sequence", "value", e))?;
            let first = (last + 1).saturating_sub(u64::from(count));
            Ok((first..=last).collect())
        })
        .await
}

#[cfg(test)]
mod tests {
    use helpdesk_core::domain::{Attachment, CustomerId, DepartmentId};
    use helpdesk_core::store::{Store, TicketWrite, WriteBatch};
    use helpdesk_core::testkit::samples;

    use super::*;

    /// Only the keys a message's attachment refers to are found, each once, however often it
    /// is attached, and in any order of the keys asked for.
    #[tokio::test]
    async fn referenced_blobs_are_the_keys_messages_refer_to() {
        let store = SqliteStore::open_in_memory().await.unwrap();
        let t = samples::ticket(samples::number(1), DepartmentId::new(), CustomerId::new());
        let mut m = samples::message(&t, "files", Visibility::Public);
        let (ka, kb) = (BlobKey::of(b"a"), BlobKey::of(b"b"));
        let file = |name, key: &BlobKey| Attachment::new(name, "text/plain", 1, key.as_str());
        let (a, b) = (file("a.txt", &ka).unwrap(), file("b.txt", &kb).unwrap());
        m.attachments = vec![a.clone(), a, b];
        let write = TicketWrite::create(t).with_message(m);
        store.commit(WriteBatch::one(write)).await.unwrap();

        let unknown = BlobKey::of(b"nobody attached this");
        let mut found = referenced_blobs(&store, &[unknown.clone(), kb.clone(), ka.clone()])
            .await
            .unwrap();
        found.sort_by(|x, y| x.as_str().cmp(y.as_str()));
        let mut want = vec![ka, kb];
        want.sort_by(|x, y| x.as_str().cmp(y.as_str()));
        assert_eq!(found, want);
        assert!(
            referenced_blobs(&store, &[unknown])
                .await
                .unwrap()
                .is_empty()
        );
        assert!(referenced_blobs(&store, &[]).await.unwrap().is_empty());
    }

    /// Each key is one search of the primary key of `message_blobs`, never a scan of it.
    #[test]
    fn referenced_blobs_are_an_index_look_up_per_key() {
        let plan = crate::schema::plan(REFERENCED_BLOBS);
        assert!(
            plan.contains("SEARCH m EXISTS USING PRIMARY KEY (sha256=?)"),
            "{plan}"
        );
        assert!(!plan.contains("SCAN m"), "{plan}");
    }
}
