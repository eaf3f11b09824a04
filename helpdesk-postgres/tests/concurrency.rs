//! Issue 3 on a real server: numbers never repeat under concurrent creation, one of two
//! concurrent updates from the same version wins, and a failing batch leaves nothing behind.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Duration;
use common::*;
use helpdesk_core::Error;
use helpdesk_core::domain::{Change, Priority, Status, Ticket, Version, Visibility};
use helpdesk_core::error::ConflictKind;
use helpdesk_core::store::{
    MemoryStore, PageRequest, Store, TicketFilter, TicketOrder, TicketWrite, WriteBatch,
};
use helpdesk_postgres::testing;
use tokio::sync::Barrier;

async fn count(store: &dyn Store) -> usize {
    store
        .list_tickets(
            &TicketFilter::default(),
            &PageRequest::first(TicketOrder::LastUpdate, 200),
        )
        .await
        .unwrap()
        .items
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_concurrent_creations_get_sixteen_distinct_numbers() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let store = Arc::new(store);
    let dept = department("Support");
    let ana = customer("Ana", Some("ana@example.ro"));
    store.put_department(&dept).await.unwrap();
    store.put_customer(&ana).await.unwrap();

    let barrier = Arc::new(Barrier::new(16));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (store, barrier) = (store.clone(), barrier.clone());
            let (dept, ana) = (dept.id, ana.id);
            tokio::spawn(async move {
                barrier.wait().await;
                let sequence = store.next_ticket_sequence().await?;
                let t = ticket(number(sequence), dept, ana);
                store.commit(WriteBatch::one(create(&t))).await?;
                Ok::<_, Error>(t)
            })
        })
        .collect();
    let mut tickets = Vec::new();
    for task in tasks {
        tickets.push(task.await.unwrap().unwrap());
    }

    let full: HashSet<_> = tickets.iter().map(|t| t.number.full()).collect();
    let short: HashSet<_> = tickets.iter().map(|t| t.number.short()).collect();
    assert_eq!((full.len(), short.len()), (16, 16));
    assert_eq!(count(store.as_ref()).await, 16);
    for t in &tickets {
        let by_short = store.ticket_by_number(t.number.short()).await.unwrap();
        assert_eq!(by_short.as_ref(), Some(t));
        assert_eq!(store.history(t.id).await.unwrap().len(), 1);
    }
    // The sequence goes on after them: never a value handed out before.
    let next = store.next_ticket_sequence().await.unwrap();
    assert!(next > 16, "{next}");
    testing::discard(Arc::into_inner(store).unwrap())
        .await
        .unwrap();
}

/// Two updates of one ticket from the same version, started together: exactly one wins, the
/// other is a stale-version conflict, and the ticket holds the winner's state and events.
/// Repeated to give the race many chances to go either way.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_from_one_version_let_exactly_one_win() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let store = Arc::new(store);
    let dept = department("Support");
    let ana = customer("Ana", None);
    for round in 0..20u64 {
        let t = ticket(number(round + 1), dept.id, ana.id);
        store.commit(WriteBatch::one(create(&t))).await.unwrap();

        let barrier = Arc::new(Barrier::new(2));
        let tasks: Vec<_> = [Priority::Low, Priority::Urgent]
            .into_iter()
            .map(|priority| {
                let (store, barrier, before) = (store.clone(), barrier.clone(), t.clone());
                tokio::spawn(async move {
                    let after = changed(&before, before.updated_at + Duration::seconds(1), |n| {
                        n.priority = priority;
                    });
                    let write = TicketWrite::update(before.version, after.clone())
                        .with_event(event(
                            &after,
                            Change::PriorityChanged {
                                from: before.priority,
                                to: priority,
                            },
                        ))
                        .with_message(message(&after, "why", Visibility::Internal));
                    barrier.wait().await;
                    store.commit(WriteBatch::one(write)).await.map(|()| after)
                })
            })
            .collect();
        let mut winners = Vec::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok(after) => winners.push(after),
                Err(Error::Conflict {
                    kind: ConflictKind::StaleVersion { expected, actual },
                    ..
                }) => {
                    assert_eq!((expected, actual), (Version::FIRST, Version::new(2)));
                }
                Err(other) => panic!("round {round}: {other:?}"),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}");
        let winner = &winners[0];
        let (stored, messages, history, _) = snapshot(store.as_ref(), t.id).await;
        assert_eq!(stored.as_ref(), Some(winner));
        assert_eq!(messages.len(), 2);
        assert_eq!(history.len(), 2);
        assert_eq!(
            history[1].change,
            Change::PriorityChanged {
                from: Priority::Normal,
                to: winner.priority
            }
        );
    }
}

/// Batches that update the same two tickets in opposite orders never deadlock: the store locks
/// in id order, so each pair ends with one success and one stale conflict.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn crossing_batches_conflict_instead_of_deadlocking() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let store = Arc::new(store);
    let dept = department("Support");
    let ana = customer("Ana", None);
    for round in 0..10u64 {
        let a = ticket(number(2 * round + 1), dept.id, ana.id);
        let b = ticket(number(2 * round + 2), dept.id, ana.id);
        store
            .commit(WriteBatch::of(vec![create(&a), create(&b)]))
            .await
            .unwrap();
        let at = t0() + Duration::minutes(1);
        let write = |t: &Ticket| TicketWrite::update(t.version, changed(t, at, |_| {}));
        let batches = [
            WriteBatch::of(vec![write(&a), write(&b)]),
            WriteBatch::of(vec![write(&b), write(&a)]),
        ];
        let barrier = Arc::new(Barrier::new(2));
        let tasks: Vec<_> = batches
            .into_iter()
            .map(|batch| {
                let (store, barrier) = (store.clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    store.commit(batch).await
                })
            })
            .collect();
        let mut ok = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(()) => ok += 1,
                Err(Error::Conflict {
                    kind: ConflictKind::StaleVersion { .. },
                    ..
                }) => {}
                Err(other) => panic!("round {round}: {other:?}"),
            }
        }
        assert_eq!(ok, 1, "round {round}");
        for t in [&a, &b] {
            let stored = store.ticket(t.id).await.unwrap().unwrap();
            assert_eq!(stored.version, Version::new(2));
        }
    }
}

/// A fixture of two tickets with history, on PostgreSQL and on the reference store.
struct Pair {
    pg: Arc<dyn Store>,
    memory: MemoryStore,
    a: Ticket,
    b: Ticket,
}

impl Pair {
    async fn new() -> Option<Self> {
        let pg: Arc<dyn Store> = Arc::new(testing::fresh_store().await?);
        let memory = MemoryStore::new();
        let dept = department("Support");
        let ana = customer("Ana", None);
        let a = ticket(number(1), dept.id, ana.id);
        let b = ticket(number(2), dept.id, ana.id);
        let a2 = changed(&a, t0() + Duration::seconds(5), |t| t.status = Status::Open);
        // The same writes (ids and all) on both stores.
        let first = WriteBatch::of(vec![create(&a), create(&b)]);
        let update = TicketWrite::update(a.version, a2.clone())
            .with_time_entry(time_entry(
                &a2,
                helpdesk_core::domain::AgentId::new(),
                15,
                true,
            ))
            .with_event(event(
                &a2,
                Change::StatusChanged {
                    from: Status::New,
                    to: Status::Open,
                },
            ));
        for store in [pg.as_ref(), &memory as &dyn Store] {
            store.commit(first.clone()).await.unwrap();
            store.commit(WriteBatch::one(update.clone())).await.unwrap();
        }
        Some(Self {
            pg,
            memory,
            a: a2,
            b,
        })
    }

    /// Commits `batch` on both stores; they must agree, and when it fails neither may change.
    async fn commit(&self, batch: WriteBatch) -> helpdesk_core::Result<()> {
        let ids: Vec<_> = batch.writes.iter().map(|w| w.ticket.id).collect();
        let mut before = Vec::new();
        for id in &ids {
            before.push(snapshot(self.pg.as_ref(), *id).await);
        }
        let tickets = count(self.pg.as_ref()).await;
        let got = self.pg.commit(batch.clone()).await;
        let want = self.memory.commit(batch).await;
        let result = same_outcome(got, want);
        if result.is_err() {
            for (id, before) in ids.iter().zip(before) {
                assert_eq!(snapshot(self.pg.as_ref(), *id).await, before);
            }
            assert_eq!(count(self.pg.as_ref()).await, tickets);
        }
        for id in ids {
            assert_eq!(
                snapshot(self.pg.as_ref(), id).await,
                snapshot(&self.memory, id).await
            );
        }
        result
    }
}

#[tokio::test]
async fn a_batch_whose_second_write_is_stale_leaves_nothing_behind() {
    let Some(p) = Pair::new().await else { return };
    let c = ticket(number(3), p.a.department, p.a.customer.unwrap());
    let at = t0() + Duration::minutes(1);
    let stale_a = TicketWrite::update(Version::FIRST, changed(&p.a, at, |_| {}));
    let fresh_b = TicketWrite::update(p.b.version, changed(&p.b, at, |_| {}))
        .with_message(message(&p.b, "vanishes", Visibility::Public));
    let err = p
        .commit(WriteBatch::of(vec![create(&c), fresh_b, stale_a]))
        .await
        .unwrap_err();
    assert_eq!(describe(&err), "stale ticket 1 2");
    assert_eq!(snapshot(p.pg.as_ref(), c.id).await.0, None);
    assert_eq!(p.pg.ticket_by_number(c.number.short()).await.unwrap(), None);
}

#[tokio::test]
async fn a_batch_whose_insert_takes_a_number_leaves_nothing_behind() {
    let Some(p) = Pair::new().await else { return };
    let at = t0() + Duration::minutes(1);
    let fresh_a = TicketWrite::update(
        p.a.version,
        changed(&p.a, at, |t| t.priority = Priority::High),
    )
    .with_message(message(&p.a, "vanishes", Visibility::Internal))
    .with_event(event(
        &p.a,
        Change::NoteAdded {
            message: helpdesk_core::domain::MessageId::new(),
        },
    ))
    .with_time_entry(time_entry(
        &p.a,
        helpdesk_core::domain::AgentId::new(),
        30,
        false,
    ));
    // Takes b's short number, as a full number.
    let mut d = ticket(number(9), p.a.department, p.a.customer.unwrap());
    d.number =
        helpdesk_core::domain::TicketNumber::new(p.b.number.short(), p.b.number.short()).unwrap();
    let err = p
        .commit(WriteBatch::of(vec![fresh_a, create(&d)]))
        .await
        .unwrap_err();
    assert_eq!(describe(&err), "duplicate ticket number");
    assert_eq!(snapshot(p.pg.as_ref(), d.id).await.0, None);
}

#[tokio::test]
async fn batch_errors_are_the_references_in_write_order() {
    let Some(p) = Pair::new().await else { return };
    let at = t0() + Duration::minutes(1);
    let dept = p.a.department;
    let cust = p.a.customer.unwrap();
    let stale_a = || TicketWrite::update(Version::FIRST, changed(&p.a, at, |_| {}));
    let fresh_a = || TicketWrite::update(p.a.version, changed(&p.a, at, |_| {}));
    let taken_number = || {
        let mut t = ticket(number(20), dept, cust);
        t.number = p.b.number.clone();
        create(&t)
    };
    let taken_id = || {
        let mut t = p.b.clone();
        t.number = number(21);
        create(&t)
    };

    // A duplicate before a stale write is reported as the duplicate, and the other way round.
    let e = p
        .commit(WriteBatch::of(vec![taken_number(), stale_a()]))
        .await;
    assert_eq!(describe(&e.unwrap_err()), "duplicate ticket number");
    let e = p
        .commit(WriteBatch::of(vec![stale_a(), taken_number()]))
        .await;
    assert_eq!(describe(&e.unwrap_err()), "stale ticket 1 2");
    // Both the id and the number taken: the id is reported.
    let e = p.commit(WriteBatch::one(create(&p.b))).await;
    assert_eq!(describe(&e.unwrap_err()), "duplicate ticket id");
    let e = p.commit(WriteBatch::one(taken_id())).await;
    assert_eq!(describe(&e.unwrap_err()), "duplicate ticket id");
    // Two new tickets with one number in one batch.
    let x = ticket(number(30), dept, cust);
    let mut y = ticket(number(31), dept, cust);
    y.number = x.number.clone();
    let e = p.commit(WriteBatch::of(vec![create(&x), create(&y)])).await;
    assert_eq!(describe(&e.unwrap_err()), "duplicate ticket number");
    // An update of a ticket that does not exist.
    let z = ticket(number(32), dept, cust);
    let z2 = changed(&z, at, |_| {});
    let e = p
        .commit(WriteBatch::one(TicketWrite::update(z.version, z2)))
        .await;
    assert_eq!(
        describe(&e.unwrap_err()),
        format!("not found ticket {}", z.id)
    );
    // A ticket at most once per batch, whatever the writes.
    let a3 = changed(&p.a, at, |_| {});
    let a4 = changed(&a3, at, |_| {});
    let e = p
        .commit(WriteBatch::of(vec![
            fresh_a(),
            TicketWrite::update(a3.version, a4),
        ]))
        .await;
    assert_eq!(describe(&e.unwrap_err()), "invalid batch");
    let e = p
        .commit(WriteBatch::of(vec![
            create(&z),
            TicketWrite::update(z.version, changed(&z, at, |_| {})),
        ]))
        .await;
    assert_eq!(describe(&e.unwrap_err()), "invalid batch");
    // A number never changes; checked before the version, after existence.
    let renumbered =
        |expected| TicketWrite::update(expected, changed(&p.a, at, |t| t.number = number(40)));
    let e = p.commit(WriteBatch::one(renumbered(p.a.version))).await;
    assert_eq!(describe(&e.unwrap_err()), "invalid number");
    let e = p.commit(WriteBatch::one(renumbered(Version::FIRST))).await;
    assert_eq!(describe(&e.unwrap_err()), "invalid number");
    // The batch's shape is checked before any stored state, whatever the order of writes.
    let mut stray = message(&p.b, "stray", Visibility::Public);
    stray.ticket_id = p.a.id;
    let stray_b = TicketWrite::update(p.b.version, changed(&p.b, at, |_| {})).with_message(stray);
    let e = p
        .commit(WriteBatch::of(vec![taken_number(), stray_b.clone()]))
        .await;
    assert_eq!(describe(&e.unwrap_err()), "invalid ticket_id");
    let e = p
        .commit(WriteBatch::of(vec![stray_b, taken_number()]))
        .await;
    assert_eq!(describe(&e.unwrap_err()), "invalid ticket_id");
    // And a good batch of an update and two creations goes through on both.
    let (u, v) = (
        ticket(number(50), dept, cust),
        ticket(number(51), dept, cust),
    );
    let mut a5 = changed(&p.a, at, |t| t.priority = Priority::Urgent);
    a5.categories
        .insert(helpdesk_core::domain::Category::parse("second").unwrap());
    p.commit(WriteBatch::of(vec![
        create(&u),
        fresh_a_with(&a5, p.a.version),
        create(&v),
    ]))
    .await
    .unwrap();
    assert_eq!(p.pg.ticket(p.a.id).await.unwrap(), Some(a5));
}

fn fresh_a_with(next: &Ticket, expected: Version) -> TicketWrite {
    TicketWrite::update(expected, next.clone()).with_message(message(
        next,
        "ok",
        Visibility::Public,
    ))
}
