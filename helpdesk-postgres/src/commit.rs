//! The commit of a [`WriteBatch`], in one READ COMMITTED transaction: read the stored facts
//! the batch's checks depend on ([`WriteBatch::keys`]) in one statement, locking the tickets
//! it writes (in id order, so concurrent batches never deadlock); let core's
//! [`check_commit`] decide; then write the rows, one multi-row `UNNEST` insert per table.
//!
//! Of two updates from the same version, the second waits on the first's row lock, then
//! reads the version it committed, and is `Conflict(StaleVersion)` with nothing written.
//! A value a concurrent batch takes between the read and the write (a number, a Message-ID,
//! an id) is caught by the unique constraints, which `error` maps to the same
//! `Duplicate` conflict as the check.

use helpdesk_core::domain::{EventId, MessageId, NotificationId, OutboxId, TicketId};
use helpdesk_core::error::Entity;
use helpdesk_core::store::{
    CommitFacts, StoredTicket, TicketWrite, TicketWriteKind, WriteBatch, check_commit,
};
use helpdesk_core::{Error, Result};
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

use crate::error;
use crate::rows::Reader;
use crate::rows::message::{BlobReferenceColumns, EventColumns, MessageColumns, TimeEntryColumns};
use crate::rows::notification::NotificationColumns;
use crate::rows::outbox::{MailReferenceColumns, OutboxColumns};
use crate::rows::ticket::{
    CategoryColumns, INSERT_TICKET, NumberColumns, TagColumns, UPDATE_TICKET, bind_ticket,
};
use crate::search::FieldColumns;

/// Applies `batch` atomically, or nothing when a check fails.
pub(crate) async fn commit(pool: &PgPool, batch: WriteBatch) -> Result<()> {
    batch.check_shape()?;
    if batch.is_empty() {
        return Ok(());
    }
    // The rows, built before the transaction.
    let children = Children::of(&batch)?;
    // READ COMMITTED whatever the server's default: a concurrent writer's row lock makes
    // the locking read below wait, and then see the version it committed (stricter
    // levels would fail it with a serialization error instead of a stale-version conflict).
    let mut tx = pool
        .begin_with("BEGIN ISOLATION LEVEL READ COMMITTED")
        .await
        .map_err(error::db)?;
    write_batch(&mut tx, &batch, children).await?;
    tx.commit().await.map_err(error::db)
}

/// Checks and writes `batch`, built as `children`, inside the READ COMMITTED transaction
/// `tx` (the commit's, or a bulk restore's); the caller commits it, or drops it on an error.
pub(crate) async fn write_batch(
    tx: &mut PgConnection,
    batch: &WriteBatch,
    mut children: Children,
) -> Result<()> {
    // The facts the checks need, the tickets locked in id order (so concurrent batches
    // cannot deadlock); then the one definition of what a commit may do. The unique
    // constraints still catch a value a concurrent batch takes after this read.
    let Read {
        facts,
        with_categories,
        with_tags,
    } = read_facts(tx, batch).await?;
    let kinds = check_commit(batch, &facts)?;

    let mut updated: Vec<Uuid> = Vec::new();
    let mut retagged: Vec<Uuid> = Vec::new();
    let mut renamed: Vec<Uuid> = Vec::new();
    for (write, kind) in batch.writes.iter().zip(kinds) {
        let t = &write.ticket;
        match kind {
            TicketWriteKind::Update { subject_changed } => {
                if subject_changed {
                    children.subjects.push_subject(t);
                    renamed.push(t.id.as_uuid());
                }
                // Only a ticket with categories stored has any to replace.
                if with_categories.contains(&t.id.as_uuid()) {
                    updated.push(t.id.as_uuid());
                }
                // Likewise for tags.
                if with_tags.contains(&t.id.as_uuid()) {
                    retagged.push(t.id.as_uuid());
                }
                let done = bind_ticket(sqlx::query(UPDATE_TICKET), t)?
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db)?;
                if done.rows_affected() != 1 {
                    // Impossible while the row is locked; never report success for it.
                    return Err(Error::not_found(Entity::Ticket, t.id));
                }
            }
            TicketWriteKind::Insert => {
                children.subjects.push_subject(t);
                bind_ticket(sqlx::query(INSERT_TICKET), t)?
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db)?;
                children.numbers.push(t);
            }
        }
    }

    if !renamed.is_empty() {
        sqlx::query(FieldColumns::FORGET_SUBJECTS)
            .bind(&renamed)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
    }
    if !updated.is_empty() {
        sqlx::query("DELETE FROM ticket_categories WHERE ticket_id = ANY($1)")
            .bind(&updated)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
    }
    if !retagged.is_empty() {
        sqlx::query("DELETE FROM ticket_tags WHERE ticket_id = ANY($1)")
            .bind(&retagged)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
    }
    let Children {
        numbers,
        categories,
        tags,
        messages,
        events,
        time_entries,
        subjects,
        bodies,
        blobs,
    } = children;
    let references = MailReferenceColumns::of(&batch.mail_references);
    let notifications = NotificationColumns::of(&batch.notifications)?;
    let emails = OutboxColumns::of(&batch.outbox)?;
    let steps = [
        (
            numbers.is_empty(),
            numbers.bind(sqlx::query(NumberColumns::INSERT)),
        ),
        (
            categories.is_empty(),
            categories.bind(sqlx::query(CategoryColumns::INSERT)),
        ),
        (tags.is_empty(), tags.bind(sqlx::query(TagColumns::INSERT))),
        (
            messages.is_empty(),
            messages.bind(sqlx::query(MessageColumns::INSERT)),
        ),
        // After the messages they reference: the search rows and the blob references.
        (
            subjects.is_empty(),
            subjects.bind(sqlx::query(FieldColumns::UPSERT_SUBJECTS)),
        ),
        (
            bodies.is_empty(),
            bodies.bind(sqlx::query(FieldColumns::INSERT)),
        ),
        (
            blobs.is_empty(),
            blobs.bind(sqlx::query(BlobReferenceColumns::INSERT)),
        ),
        (
            events.is_empty(),
            events.bind(sqlx::query(EventColumns::INSERT)),
        ),
        (
            time_entries.is_empty(),
            time_entries.bind(sqlx::query(TimeEntryColumns::INSERT)),
        ),
        // What the batch's events cause, after the tickets they reference.
        (
            references.is_empty(),
            references.bind(sqlx::query(MailReferenceColumns::INSERT)),
        ),
        (
            notifications.is_empty(),
            notifications.bind(sqlx::query(NotificationColumns::INSERT)),
        ),
        (
            emails.is_empty(),
            emails.bind(sqlx::query(OutboxColumns::INSERT)),
        ),
    ];
    // One multi-row insert per table, in this order; a table with no rows is skipped.
    for (empty, insert) in steps {
        if !empty {
            insert.execute(&mut *tx).await.map_err(error::db)?;
        }
    }
    // The rules that fired, after the tickets they name.
    crate::automation::insert_firings(tx, &batch.rule_firings).await?;
    // After every write's own rows, as the memory store orders them.
    write_moves(tx, batch).await?;
    let changes = helpdesk_core::feed::changes_of_batch(batch);
    // No endpoint read (a round trip) when the request's reads found none enabled.
    if !batch.no_webhook_endpoints {
        crate::webhooks::enqueue(
            tx,
            &changes,
            helpdesk_core::webhooks::batch_time(batch, chrono::Utc::now()),
        )
        .await?;
    }
    crate::webhooks::enqueue_rule_deliveries(tx, &batch.rule_deliveries).await?;
    // Last before the commit: it locks the feed's head row, which orders every committer.
    crate::feed::append(tx, &changes).await
}

/// Moves the messages and history entries the batch's writes take from other tickets
/// (checked) to the end of their new tickets' threads and histories; each message's search
/// field and its words go with it, and the words no field of the tickets they left holds any
/// more leave those tickets.
async fn write_moves(tx: &mut PgConnection, batch: &WriteBatch) -> Result<()> {
    let mut moved_any = false;
    for write in &batch.writes {
        let ticket = write.ticket.id.as_uuid();
        for m in &write.moved_messages {
            moved_any = true;
            let origin = m.origin.as_ref().map(crate::rows::json).transpose()?;
            sqlx::query(
                "UPDATE messages SET seq = DEFAULT, ticket_id = $1, origin = $2::jsonb \
                 WHERE id = $3",
            )
            .bind(ticket)
            .bind(origin)
            .bind(m.id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        }
        if !write.moved_messages.is_empty() {
            let ids: Vec<Uuid> = write
                .moved_messages
                .iter()
                .map(|m| m.id.as_uuid())
                .collect();
            sqlx::query("UPDATE search_fields SET ticket_id = $1 WHERE message_id = ANY($2)")
                .bind(ticket)
                .bind(&ids)
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
            sqlx::query(
                "INSERT INTO ticket_words (word, ticket, kind) \
                 SELECT DISTINCT w.word, f.ticket_id, CASE WHEN f.internal THEN 2 ELSE 1 END \
                 FROM search_fields f, unnest(f.words || coalesce(f.stems, '{}')) AS w(word) \
                 WHERE f.message_id = ANY($1) AND octet_length(w.word) <= 1000 \
                 ON CONFLICT DO NOTHING",
            )
            .bind(&ids)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        }
        for e in &write.moved_events {
            let origin = e.origin.as_ref().map(crate::rows::json).transpose()?;
            sqlx::query(
                "UPDATE ticket_events SET seq = DEFAULT, ticket_id = $1, origin = $2::jsonb \
                 WHERE id = $3",
            )
            .bind(ticket)
            .bind(origin)
            .bind(e.id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        }
    }
    if moved_any {
        let tickets: Vec<Uuid> = batch.writes.iter().map(|w| w.ticket.id.as_uuid()).collect();
        sqlx::query(
            "DELETE FROM ticket_words w WHERE w.ticket = ANY($1) AND w.kind > 0 \
             AND NOT EXISTS (SELECT 1 FROM search_fields f \
               WHERE f.ticket_id = w.ticket AND f.message_id IS NOT NULL \
                 AND (CASE WHEN f.internal THEN 2 ELSE 1 END) = w.kind \
                 AND w.word = ANY(f.words || coalesce(f.stems, '{}')))",
        )
        .bind(&tickets)
        .execute(&mut *tx)
        .await
        .map_err(error::db)?;
    }
    Ok(())
}

/// What the commit read before writing: the facts for the checks, and which of the tickets
/// it updates have categories stored (only those need theirs deleted before the new ones).
struct Read {
    facts: CommitFacts,
    with_categories: Vec<Uuid>,
    /// Which of them have tags stored.
    with_tags: Vec<Uuid>,
}

/// The stored facts `batch`'s checks depend on ([`WriteBatch::keys`]), read in `tx` in one
/// statement (one round trip): its tickets locked (`FOR UPDATE`, in id order, in a CTE run
/// first), each with whether it has categories, and every number, Message-ID and id of the
/// batch that is taken.
async fn read_facts(tx: &mut PgConnection, batch: &WriteBatch) -> Result<Read> {
    let keys = batch.keys();
    let mut facts = CommitFacts::new();
    let mut with_categories = Vec::new();
    let mut with_tags = Vec::new();
    let ids: Vec<Uuid> = keys.tickets.iter().map(|t| t.as_uuid()).collect();
    let rows = sqlx::query(
        "WITH locked AS MATERIALIZED ( \
           SELECT id, version, number_full, number_short, subject, \
                  EXISTS (SELECT 1 FROM ticket_categories c WHERE c.ticket_id = t.id) \
                    AS has_categories, \
                  EXISTS (SELECT 1 FROM ticket_tags g WHERE g.ticket_id = t.id) AS has_tags \
           FROM tickets t WHERE id = ANY($1) ORDER BY id FOR UPDATE) \
         SELECT 'ticket' AS kind, id::text AS key, version, number_full, number_short, \
                subject, has_categories, has_tags FROM locked \
         UNION ALL SELECT 'number', digits, NULL, NULL, NULL, NULL, NULL, NULL \
                   FROM ticket_numbers WHERE digits = ANY($2) \
         UNION ALL SELECT 'email', message_id, NULL, NULL, NULL, NULL, NULL, NULL \
                   FROM outbox WHERE message_id = ANY($3) \
         UNION ALL SELECT 'reference', message_id, NULL, NULL, NULL, NULL, NULL, NULL \
                   FROM mail_references WHERE message_id = ANY($4) \
         UNION ALL SELECT 'notification', id::text, NULL, NULL, NULL, NULL, NULL, NULL \
                   FROM notifications WHERE id = ANY($5) \
         UNION ALL SELECT 'email_id', id::text, NULL, NULL, NULL, NULL, NULL, NULL \
                   FROM outbox WHERE id = ANY($6)",
    )
    .bind(&ids)
    .bind(&keys.numbers)
    .bind(&keys.email_message_ids)
    .bind(&keys.reference_message_ids)
    .bind(
        keys.notifications
            .iter()
            .map(|n| n.as_uuid())
            .collect::<Vec<_>>(),
    )
    .bind(keys.emails.iter().map(|e| e.as_uuid()).collect::<Vec<_>>())
    .fetch_all(&mut *tx)
    .await
    .map_err(error::db)?;
    let moved_messages: Vec<Uuid> = keys.moved_messages.iter().map(|m| m.as_uuid()).collect();
    let moved_events: Vec<Uuid> = keys.moved_events.iter().map(|e| e.as_uuid()).collect();
    if !moved_messages.is_empty() || !moved_events.is_empty() {
        let owners = sqlx::query(
            "SELECT 'message' AS kind, id, ticket_id FROM messages WHERE id = ANY($1) \
             UNION ALL SELECT 'event', id, ticket_id FROM ticket_events WHERE id = ANY($2)",
        )
        .bind(&moved_messages)
        .bind(&moved_events)
        .fetch_all(&mut *tx)
        .await
        .map_err(error::db)?;
        for row in &owners {
            let kind: String = row.try_get("kind").map_err(Error::backend)?;
            let id: Uuid = row.try_get("id").map_err(Error::backend)?;
            let on = TicketId::from_uuid(row.try_get("ticket_id").map_err(Error::backend)?);
            match kind.as_str() {
                "message" => facts.message_on(MessageId::from_uuid(id), on),
                _ => facts.event_on(EventId::from_uuid(id), on),
            };
        }
    }
    for row in &rows {
        let kind: String = row.try_get("kind").map_err(Error::backend)?;
        let key: String = row.try_get("key").map_err(Error::backend)?;
        let id = || key.parse::<Uuid>().map_err(Error::backend);
        match kind.as_str() {
            "ticket" => {
                let r = Reader::new(row, "tickets");
                let ticket = id()?;
                if r.get::<bool>("has_categories")? {
                    with_categories.push(ticket);
                }
                if r.get::<bool>("has_tags")? {
                    with_tags.push(ticket);
                }
                facts.stored_ticket(
                    TicketId::from_uuid(ticket),
                    StoredTicket {
                        version: r.version("version")?,
                        number_full: r.get("number_full")?,
                        number_short: r.get("number_short")?,
                        subject: r.get("subject")?,
                    },
                )
            }
            "number" => facts.number_taken(key),
            "email" => facts.email_message_id_taken(key),
            "reference" => facts.reference_message_id_taken(key),
            "notification" => facts.notification_taken(NotificationId::from_uuid(id()?)),
            "email_id" => facts.email_taken(OutboxId::from_uuid(id()?)),
            other => return Err(Error::backend(format!("unexpected fact kind {other:?}"))),
        };
    }
    Ok(Read {
        facts,
        with_categories,
        with_tags,
    })
}

/// The rows a batch adds besides the tickets themselves.
#[derive(Default)]
pub(crate) struct Children {
    /// Both forms of new tickets' numbers.
    numbers: NumberColumns,
    categories: CategoryColumns,
    tags: TagColumns,
    messages: MessageColumns,
    events: EventColumns,
    time_entries: TimeEntryColumns,
    /// The search rows of new tickets' subjects and of changed subjects.
    subjects: FieldColumns,
    /// The search rows of new messages.
    bodies: FieldColumns,
    /// Which blobs new messages reference.
    blobs: BlobReferenceColumns,
}

impl Children {
    /// Adds a write's categories, messages, events and time entries (the batch's shape is
    /// checked before; the number is added once the write is known to insert a ticket).
    /// The rows of `batch`'s writes.
    pub(crate) fn of(batch: &WriteBatch) -> Result<Self> {
        let mut children = Self::default();
        for write in &batch.writes {
            children.push(write)?;
        }
        Ok(children)
    }

    fn push(&mut self, write: &TicketWrite) -> Result<()> {
        self.categories.push(&write.ticket);
        self.tags.push(&write.ticket);
        for m in &write.messages {
            self.messages.push(m)?;
            self.bodies.push_message(m);
            self.blobs.push(m);
        }
        for e in &write.events {
            self.events.push(e)?;
        }
        for e in &write.time_entries {
            self.time_entries.push(e)?;
        }
        Ok(())
    }
}
