//! Commits racing each other: numbers never repeat, one of two updates from one version
//! wins, crossing batches conflict instead of deadlocking, one of several batches with one
//! Message-ID commits, and concurrent dispatchers lease each e-mail once.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Duration;
use tokio::sync::Barrier;

use super::outbox::outbound;
use crate::domain::{
    Change, CustomerId, DepartmentId, MailReference, Priority, Ticket, Version, Visibility,
};
use crate::error::{ConflictKind, Entity, Error};
use crate::store::{PageRequest, Store, TicketFilter, TicketOrder, TicketWrite, WriteBatch};
use crate::testkit::samples::{event, message, number, t0, ticket};

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

/// `t` one version on, a second later, with `change` applied.
fn next(t: &Ticket, change: impl FnOnce(&mut Ticket)) -> Ticket {
    let mut next = Ticket {
        version: t.version.next(),
        updated_at: t.updated_at + Duration::seconds(1),
        ..t.clone()
    };
    change(&mut next);
    next
}

/// Runs `tasks` together, each started when all are ready.
async fn together<T: Send + 'static>(
    tasks: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>>,
) -> Vec<T> {
    let barrier = Arc::new(Barrier::new(tasks.len()));
    let handles: Vec<_> = tasks
        .into_iter()
        .map(|task| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                task.await
            })
        })
        .collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

pub async fn concurrent_creations_get_distinct_numbers(store: Arc<dyn Store>) {
    let (department, customer) = (DepartmentId::new(), CustomerId::new());
    let tasks = (0..16)
        .map(|_| {
            let store = store.clone();
            Box::pin(async move {
                let sequence = store.next_ticket_sequence().await?;
                let t = ticket(number(sequence), department, customer);
                store
                    .commit(WriteBatch::one(
                        TicketWrite::create(t.clone())
                            .with_event(event(&t, Change::PendingReminder)),
                    ))
                    .await?;
                Ok::<_, Error>(t)
            }) as _
        })
        .collect();
    let tickets: Vec<Ticket> = together(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let full: HashSet<_> = tickets.iter().map(|t| t.number.full()).collect();
    let short: HashSet<_> = tickets.iter().map(|t| t.number.short()).collect();
    assert_eq!((full.len(), short.len()), (16, 16));
    assert_eq!(count(store.as_ref()).await, 16);
    for t in &tickets {
        let by_short = store.ticket_by_number(t.number.short()).await.unwrap();
        assert_eq!(by_short.as_ref(), Some(t));
        assert_eq!(store.history(t.id).await.unwrap().len(), 1);
    }
    let next = store.next_ticket_sequence().await.unwrap();
    assert!(next > 16, "never a value handed out before: {next}");
}

/// Two updates of one ticket from the same version, started together: exactly one wins, the
/// other is a stale-version conflict, and the ticket holds the winner's state, message and
/// event. Repeated to give the race chances to go either way.
pub async fn concurrent_updates_from_one_version_let_exactly_one_win(store: Arc<dyn Store>) {
    let (department, customer) = (DepartmentId::new(), CustomerId::new());
    for round in 0..10u64 {
        let t = ticket(number(round + 1), department, customer);
        store
            .commit(WriteBatch::one(TicketWrite::create(t.clone())))
            .await
            .unwrap();
        let tasks = [Priority::Low, Priority::Urgent]
            .into_iter()
            .map(|priority| {
                let (store, before) = (store.clone(), t.clone());
                Box::pin(async move {
                    let after = next(&before, |n| n.priority = priority);
                    let write = TicketWrite::update(before.version, after.clone())
                        .with_event(event(
                            &after,
                            Change::PriorityChanged {
                                from: before.priority,
                                to: priority,
                            },
                        ))
                        .with_message(message(&after, "why", Visibility::Internal));
                    store.commit(WriteBatch::one(write)).await.map(|()| after)
                }) as _
            })
            .collect();
        let mut winners = Vec::new();
        for result in together(tasks).await {
            match result {
                Ok(after) => winners.push(after),
                Err(Error::Conflict {
                    kind: ConflictKind::StaleVersion { expected, actual },
                    ..
                }) => assert_eq!((expected, actual), (Version::FIRST, Version::new(2))),
                Err(other) => panic!("round {round}: {other:?}"),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}");
        let winner = &winners[0];
        assert_eq!(store.ticket(t.id).await.unwrap().as_ref(), Some(winner));
        assert_eq!(store.messages(t.id, true).await.unwrap().len(), 1);
        let history = store.history(t.id).await.unwrap();
        assert_eq!(
            history.iter().map(|e| &e.change).collect::<Vec<_>>(),
            [&Change::PriorityChanged {
                from: Priority::Normal,
                to: winner.priority
            }]
        );
    }
}

/// Batches that update the same two tickets in opposite orders never deadlock: each pair
/// ends with one success and one stale conflict.
pub async fn crossing_batches_conflict_instead_of_deadlocking(store: Arc<dyn Store>) {
    let (department, customer) = (DepartmentId::new(), CustomerId::new());
    for round in 0..10u64 {
        let a = ticket(number(2 * round + 1), department, customer);
        let b = ticket(number(2 * round + 2), department, customer);
        store
            .commit(WriteBatch::of(vec![
                TicketWrite::create(a.clone()),
                TicketWrite::create(b.clone()),
            ]))
            .await
            .unwrap();
        let write = |t: &Ticket| TicketWrite::update(t.version, next(t, |_| {}));
        let tasks = [
            WriteBatch::of(vec![write(&a), write(&b)]),
            WriteBatch::of(vec![write(&b), write(&a)]),
        ]
        .into_iter()
        .map(|batch| {
            let store = store.clone();
            Box::pin(async move { store.commit(batch).await }) as _
        })
        .collect();
        let mut ok = 0;
        for result in together(tasks).await {
            match result {
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

/// Batches started together with the same Message-ID, none of them taken before: exactly one
/// commits, the others are duplicates and write nothing. For e-mails and mail references.
pub async fn concurrent_batches_with_one_message_id_commit_one(store: Arc<dyn Store>) {
    for (round, as_email) in [(0_u64, false), (1, true)] {
        let message_id = format!("race.{round}@mail.example.com");
        let tasks = (0..8)
            .map(|i| {
                let (store, message_id) = (store.clone(), message_id.clone());
                let t = ticket(
                    number(round * 100 + i + 1),
                    DepartmentId::new(),
                    CustomerId::new(),
                );
                Box::pin(async move {
                    let mut batch = WriteBatch::one(TicketWrite::create(t.clone()));
                    if as_email {
                        batch.outbox = vec![outbound(Some(&t), &message_id, 0)];
                    } else {
                        batch.mail_references = vec![MailReference {
                            message_id,
                            ticket_id: t.id,
                            inbound: true,
                        }];
                    }
                    (t.id, store.commit(batch).await)
                }) as _
            })
            .collect();
        let mut won = Vec::new();
        for (id, result) in together(tasks).await {
            match result {
                Ok(()) => won.push(id),
                Err(Error::Conflict {
                    entity: Entity::Email,
                    kind: ConflictKind::Duplicate { field },
                }) if field == "message_id" => {
                    assert_eq!(store.ticket(id).await.unwrap(), None);
                }
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!(won.len(), 1, "{won:?}");
        if as_email {
            assert_eq!(store.ticket_emails(won[0]).await.unwrap().len(), 1);
        } else {
            let found = store.mail_reference(&message_id).await.unwrap().unwrap();
            assert_eq!(found.ticket_id, won[0]);
        }
    }
}

/// Four dispatchers lease twenty e-mails, three at a time: each is taken by exactly one.
pub async fn concurrent_dispatchers_lease_each_email_once(store: Arc<dyn Store>) {
    let t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    let emails: Vec<_> = (0..20)
        .map(|i| outbound(Some(&t), &format!("m{i}@desk.example"), i))
        .collect();
    let mut batch = WriteBatch::one(TicketWrite::create(t.clone()));
    batch.outbox = emails.clone();
    store.commit(batch).await.unwrap();
    let now = t0() + Duration::minutes(1);
    let lease = now + Duration::minutes(5);
    let tasks = (0..4)
        .map(|_| {
            let store = store.clone();
            Box::pin(async move {
                let mut mine = Vec::new();
                loop {
                    let got = store.lease_outbox(now, lease, 3).await.unwrap();
                    if got.is_empty() {
                        break mine;
                    }
                    assert!(got.iter().all(|e| e.attempts == 1));
                    mine.extend(got.into_iter().map(|e| e.id));
                }
            }) as _
        })
        .collect();
    let mut all: Vec<_> = together(tasks).await.into_iter().flatten().collect();
    all.sort();
    let mut expected: Vec<_> = emails.iter().map(|e| e.id).collect();
    expected.sort();
    assert_eq!(all, expected, "each e-mail taken by exactly one dispatcher");
}
