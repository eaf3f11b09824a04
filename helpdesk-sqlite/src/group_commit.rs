//! Group commit: concurrent commits share one write transaction.
//!
//! Each caller queues its batch (its rows already built), then asks for the writer. Whoever
//! holds the writer takes every batch queued so far and writes them in one `BEGIN IMMEDIATE`
//! transaction, each batch inside its own savepoint: a batch refused by
//! [`check_commit`](helpdesk_core::store::check_commit) or by a constraint is rolled back to
//! its savepoint and fails alone, the others commit. Each caller's result is filed only after
//! the `COMMIT` that made its write durable (or with the error that refused it), before the
//! writer is released; so when a caller gets the writer itself (finding the queue empty when
//! another took its batch), its result is already there. Batches are checked and written in
//! queue order, each seeing the ones before it, exactly as if they committed one by one.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use helpdesk_core::Result;
use helpdesk_core::error::Error;
use helpdesk_core::store::WriteBatch;
use rusqlite::{Connection, TransactionBehavior};

use crate::commit::{BatchRows, write_checked};
use crate::connection::SqliteStore;
use crate::error::Outcome;

/// The most batches written in one transaction.
const MAX_GROUP: usize = 64;

/// Batches waiting for the writer.
#[derive(Default)]
pub(crate) struct Queue {
    waiting: Mutex<VecDeque<Arc<Pending>>>,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue")
            .field("waiting", &self.lock().len())
            .finish()
    }
}

/// One caller's batch and, once written or refused, its result.
struct Pending {
    batch: WriteBatch,
    rows: BatchRows,
    result: Mutex<Option<Result<()>>>,
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, VecDeque<Arc<Pending>>> {
        // A queue of batches: a panic elsewhere leaves it usable.
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Pending {
    fn take_result(&self) -> Option<Result<()>> {
        self.result.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    fn file(&self, result: Result<()>) {
        *self.result.lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
    }
}

/// Writes `batch` (built as `rows`) in a transaction it may share with concurrent commits;
/// returns once its own write is committed, or with the error that refused it.
pub(crate) async fn commit(store: &SqliteStore, batch: WriteBatch, rows: BatchRows) -> Result<()> {
    let mine = Arc::new(Pending {
        batch,
        rows,
        result: Mutex::new(None),
    });
    let queue = store.queue();
    queue.lock().push_back(mine.clone());
    loop {
        let queue = queue.clone();
        store
            .write(move |conn| {
                write_queued(conn, &queue);
                Ok(())
            })
            .await?;
        if let Some(result) = mine.take_result() {
            return result;
        }
        // More than MAX_GROUP batches were ahead of this one: take the writer again.
    }
}

/// Takes up to [`MAX_GROUP`] queued batches and writes them in one transaction, filing each
/// one's result.
fn write_queued(conn: &mut Connection, queue: &Queue) {
    let group: Vec<Arc<Pending>> = {
        let mut waiting = queue.lock();
        let n = waiting.len().min(MAX_GROUP);
        waiting.drain(..n).collect()
    };
    if group.is_empty() {
        return;
    }
    match write_group(conn, &group) {
        Ok(results) => {
            for (pending, result) in group.iter().zip(results) {
                pending.file(result);
            }
        }
        // The transaction itself failed (begin or commit): no batch of it is written. The
        // first caller gets the error, the others its text.
        Err(failure) => {
            let error = Error::from(failure);
            for pending in group.iter().skip(1) {
                pending.file(Err(Error::backend(error.to_string())));
            }
            if let Some(first) = group.first() {
                first.file(Err(error));
            }
        }
    }
}

/// Writes `group` in one transaction, each batch in a savepoint; the result of each batch.
fn write_group(conn: &mut Connection, group: &[Arc<Pending>]) -> Outcome<Vec<Result<()>>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(group.len());
    for pending in group {
        tx.execute_batch("SAVEPOINT batch")?;
        match write_checked(&tx, &pending.batch, &pending.rows) {
            Ok(()) => {
                tx.execute_batch("RELEASE batch")?;
                results.push(Ok(()));
            }
            Err(failure) => {
                // Only this batch is undone; the batches before it stay.
                tx.execute_batch("ROLLBACK TO batch; RELEASE batch")?;
                results.push(Err(Error::from(failure)));
            }
        }
    }
    tx.commit()?;
    Ok(results)
}

#[cfg(test)]
mod tests {
    use helpdesk_core::domain::{CustomerId, DepartmentId, Ticket, Visibility};
    use helpdesk_core::error::ConflictKind;
    use helpdesk_core::store::{Store, TicketWrite};
    use helpdesk_core::testkit::samples;

    use super::*;

    fn new_ticket(sequence: u64) -> Ticket {
        samples::ticket(
            samples::number(sequence),
            DepartmentId::new(),
            CustomerId::new(),
        )
    }

    fn pending(batch: WriteBatch) -> Arc<Pending> {
        let rows = BatchRows::new(&batch).unwrap();
        Arc::new(Pending {
            batch,
            rows,
            result: Mutex::new(None),
        })
    }

    /// Writes `batches` as one group, in order; each one's result.
    async fn one_group(store: &SqliteStore, batches: Vec<WriteBatch>) -> Vec<Result<()>> {
        let group: Vec<Arc<Pending>> = batches.into_iter().map(pending).collect();
        store.queue().lock().extend(group.iter().cloned());
        let queue = store.queue();
        store
            .write(move |conn| {
                write_queued(conn, &queue);
                Ok(())
            })
            .await
            .unwrap();
        group.iter().map(|p| p.take_result().unwrap()).collect()
    }

    /// In one transaction: a batch refused by the checks (a taken number) and one refused by
    /// a constraint half-way through its rows (a message id already stored) fail alone,
    /// leaving nothing of themselves; the batches around them are committed whole.
    #[tokio::test]
    async fn a_refused_batch_fails_alone_and_leaves_nothing() {
        let store = SqliteStore::open_in_memory().await.unwrap();
        let first = new_ticket(1);
        let message = samples::message(&first, "hello", Visibility::Public);
        let taken_number = new_ticket(1);
        let mut half_written = new_ticket(2);
        half_written.subject = first.subject.clone();
        let mut reused = message.clone();
        reused.ticket_id = half_written.id;
        let last = new_ticket(3);
        let results = one_group(
            &store,
            vec![
                WriteBatch::one(TicketWrite::create(first.clone()).with_message(message)),
                WriteBatch::one(TicketWrite::create(taken_number.clone())),
                WriteBatch::one(TicketWrite::create(half_written.clone()).with_message(reused)),
                WriteBatch::one(TicketWrite::create(last.clone())),
            ],
        )
        .await;
        assert!(results[0].is_ok(), "{:?}", results[0]);
        assert!(
            matches!(
                &results[1],
                Err(Error::Conflict { kind: ConflictKind::Duplicate { field }, .. })
                    if *field == "number"
            ),
            "{:?}",
            results[1]
        );
        assert!(results[2].is_err(), "{:?}", results[2]);
        assert!(results[3].is_ok(), "{:?}", results[3]);
        assert_eq!(store.ticket(first.id).await.unwrap(), Some(first.clone()));
        assert_eq!(store.ticket(last.id).await.unwrap(), Some(last));
        assert_eq!(store.ticket(taken_number.id).await.unwrap(), None);
        assert_eq!(store.ticket(half_written.id).await.unwrap(), None);
        assert!(
            store
                .messages(half_written.id, true)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.messages(first.id, true).await.unwrap().len(), 1);
    }

    /// Many concurrent commits, some refused (two updates from one version of each ticket):
    /// every caller gets its own answer, and what was accepted is exactly what is stored.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_each_get_their_own_result_and_nothing_is_lost() {
        let path = std::env::temp_dir().join(format!("group-{}.db", uuid::Uuid::now_v7()));
        let store = SqliteStore::open(&path).await.unwrap();
        let tickets: Vec<Ticket> = (1..=8).map(new_ticket).collect();
        for t in &tickets {
            store
                .commit(WriteBatch::one(TicketWrite::create(t.clone())))
                .await
                .unwrap();
        }
        let mut tasks = Vec::new();
        for (i, t) in tickets.iter().enumerate() {
            for n in 0..2 {
                let store = store.clone();
                let mut next = t.clone();
                next.version = t.version.next();
                let body = format!("update {n}");
                let m = samples::message(&next, &body, Visibility::Public);
                let write = TicketWrite::update(t.version, next).with_message(m);
                tasks.push(tokio::spawn(async move {
                    (i, store.commit(WriteBatch::one(write)).await)
                }));
            }
            let store = store.clone();
            let fresh = new_ticket(100 + i as u64);
            tasks.push(tokio::spawn(async move {
                let result = store
                    .commit(WriteBatch::one(TicketWrite::create(fresh)))
                    .await;
                (usize::MAX, result)
            }));
        }
        let mut wins = vec![0; tickets.len()];
        let mut created = 0;
        for task in tasks {
            match task.await.unwrap() {
                (i, Ok(())) if i < tickets.len() => wins[i] += 1,
                (
                    i,
                    Err(Error::Conflict {
                        kind: ConflictKind::StaleVersion { .. },
                        ..
                    }),
                ) if i < tickets.len() => {}
                (_, Ok(())) => created += 1,
                (i, other) => panic!("caller {i}: {other:?}"),
            }
        }
        assert_eq!(wins, vec![1; tickets.len()], "one update per ticket wins");
        assert_eq!(created, tickets.len(), "every new ticket is committed");
        for t in &tickets {
            let stored = store.ticket(t.id).await.unwrap().unwrap();
            assert_eq!(stored.version, t.version.next());
            assert_eq!(store.messages(t.id, true).await.unwrap().len(), 1);
        }
        assert_eq!(
            store
                .count_tickets(&helpdesk_core::store::TicketFilter::default())
                .await
                .unwrap(),
            2 * tickets.len() as u64
        );
        store.close().await.unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.clone().into_os_string();
            file.push(suffix);
            let _ = std::fs::remove_file(file);
        }
    }
}
