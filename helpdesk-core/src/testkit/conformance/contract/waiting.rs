//! The waiting order and due tickets against the reference: pages after every possible
//! cursor, a walk while tickets change between pages, and due tickets at instants on,
//! between and around the stored ones, with limits that cut through ties.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::super::rng::Rng;
use super::lists::walk;
use super::world::World;
use crate::domain::{Status, Ticket, TicketId};
use crate::store::{
    Cursor, MemoryStore, PageRequest, Store, TicketFilter, TicketOrder, TicketWrite, WriteBatch,
};
use crate::testkit::samples::t0;

/// After every kind of cursor: after every third ticket (on both sides of the boundary between
/// tickets someone waits on and the others), and after tickets that are not stored: every
/// stored waiting time and none, each with the least, the greatest and a random id, and
/// waiting times between and around the stored ones.
fn cursors(tickets: &[Ticket], rng: &mut Rng) -> Vec<Cursor> {
    let mut cursors: Vec<Cursor> = tickets
        .iter()
        .step_by(3)
        .map(|t| Cursor::after(TicketOrder::Waiting, t))
        .collect();
    let stored: BTreeSet<DateTime<Utc>> = tickets.iter().filter_map(|t| t.waiting_since).collect();
    let grid = (0..16).map(|m| t0() + Duration::minutes(m) + Duration::seconds(30));
    let since: Vec<Option<DateTime<Utc>>> = stored
        .iter()
        .copied()
        .chain(grid)
        .map(Some)
        .chain([
            None,
            Some(t0() - Duration::days(1)),
            Some(t0() + Duration::days(1)),
        ])
        .collect();
    let mut probe = tickets[0].clone();
    for w in since {
        for id in [
            uuid::Uuid::nil(),
            uuid::Uuid::max(),
            uuid::Uuid::from_u64_pair(rng.next(), rng.next()),
        ] {
            probe.waiting_since = w;
            probe.id = TicketId::from_uuid(id);
            cursors.push(Cursor::after(TicketOrder::Waiting, &probe));
        }
    }
    cursors
}

pub async fn the_waiting_order_and_due_tickets_agree_with_the_reference(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    let world = World::new();
    let mut rng = Rng::new(0x5EED_0004);
    let mut tickets = world
        .populate(store.as_ref(), &reference, &mut rng, 140)
        .await;

    // The data has what makes the order hard: tickets nobody waits on, and ties.
    let waiting: Vec<DateTime<Utc>> = tickets.iter().filter_map(|t| t.waiting_since).collect();
    let distinct: BTreeSet<_> = waiting.iter().collect();
    assert!(waiting.len() < tickets.len() - 30, "{}", waiting.len());
    assert!(distinct.len() < waiting.len() - 30, "{}", distinct.len());

    let filters = [
        TicketFilter::default(),
        TicketFilter {
            statuses: Some(vec![Status::New, Status::Open]),
            ..TicketFilter::default()
        },
    ];
    for cursor in cursors(&tickets, &mut rng) {
        // Through the text form, as a client would hand it back.
        let cursor = Cursor::decode(&cursor.encode()).unwrap();
        let page = PageRequest::first(TicketOrder::Waiting, 6)
            .after(cursor)
            .unwrap();
        for filter in &filters {
            let got = store.list_tickets(filter, &page).await.unwrap();
            let want = reference.list_tickets(filter, &page).await.unwrap();
            assert_eq!(got, want, "{filter:?} after {cursor:?}");
        }
    }

    // Walking on while tickets change between pages: waiting starts (moving a ticket in
    // front of or behind the cursor), stops (to the end), moves onto the cursor's own
    // waiting time (a tie broken by id either side), and the walk must still agree.
    let all = TicketFilter::default();
    let size = 9;
    let mut page = PageRequest::first(TicketOrder::Waiting, size);
    let mut pages = 0;
    loop {
        let got = store.list_tickets(&all, &page).await.unwrap();
        let want = reference.list_tickets(&all, &page).await.unwrap();
        assert_eq!(got, want, "page {pages}");
        pages += 1;
        let Some(cursor) = got.next else { break };
        for _ in 0..4 {
            let i = rng.below(tickets.len());
            let t = &tickets[i];
            let w = match rng.below(4) {
                0 => None,
                1 => Some(world.instant(&mut rng)),
                2 => cursor.waiting_since(),
                _ => t
                    .waiting_since
                    .map_or_else(|| Some(world.instant(&mut rng)), |_| None),
            };
            let next = Ticket {
                waiting_since: w,
                updated_at: t.updated_at + Duration::seconds(1),
                version: t.version.next(),
                ..t.clone()
            };
            let write = WriteBatch::one(TicketWrite::update(t.version, next.clone()));
            store.commit(write.clone()).await.unwrap();
            reference.commit(write).await.unwrap();
            tickets[i] = next;
        }
        page = PageRequest::first(TicketOrder::Waiting, size)
            .after(Cursor::decode(&cursor.encode()).unwrap())
            .unwrap();
        assert!(pages < 1_000, "pagination did not end");
    }
    assert!(pages > 10, "{pages}");
    for size in [1, 7, 200] {
        let seen = walk(store.as_ref(), &reference, &all, TicketOrder::Waiting, size).await;
        assert_eq!(seen.len(), tickets.len());
    }

    // Due tickets at each stored due instant and a nanosecond, a microsecond and a minute
    // either side of it, with limits that cut through ties.
    let due: BTreeSet<DateTime<Utc>> = tickets.iter().filter_map(|t| t.next_due_at).collect();
    assert!(due.len() > 10, "{}", due.len());
    let mut instants = vec![t0() - Duration::days(1), t0() + Duration::days(1)];
    for d in &due {
        for delta in [
            Duration::zero(),
            Duration::nanoseconds(-1),
            Duration::nanoseconds(999),
            Duration::microseconds(-1),
            Duration::microseconds(1),
            Duration::minutes(1),
        ] {
            instants.push(*d + delta);
        }
    }
    let mut sizes = BTreeSet::new();
    for now in instants {
        for limit in [1, 5, 1_000] {
            let got = store.due_tickets(now, limit).await.unwrap();
            let want = reference.due_tickets(now, limit).await.unwrap();
            assert_eq!(got, want, "due at {now:?}, limit {limit}");
            sizes.insert(got.len());
        }
    }
    assert!(sizes.len() > 5, "the data exercises due tickets: {sizes:?}");
    let far = t0() + Duration::days(1);
    assert_eq!(store.due_tickets(far, 0).await.unwrap(), []);
}
