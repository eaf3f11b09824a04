//! Ticket lists against the reference: a few hundred varied tickets (random ids, so uuid
//! order matters; coarse update and waiting times, so ties are common; many tickets nobody
//! waits on), every kind of filter alone and in random combinations, every order, walked page
//! by page. Every page and every cursor must equal the in-memory store's. Likewise the
//! waiting order from every possible cursor and across changes between pages, and due
//! tickets at instants on, between and around the stored ones.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use common::*;
use helpdesk_core::domain::{
    AgentId, Category, CustomerId, DepartmentId, Priority, Status, Ticket, TicketId, TicketType,
    Timers,
};
use helpdesk_core::store::{
    AssigneeFilter, Cursor, MemoryStore, PageRequest, Store, TicketFilter, TicketOrder,
    TicketWrite, TimeRange, WriteBatch,
};
use helpdesk_postgres::testing;

/// splitmix64: deterministic, dependency-free randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

struct World {
    departments: Vec<DepartmentId>,
    agents: Vec<AgentId>,
    customers: Vec<CustomerId>,
    masters: Vec<TicketId>,
    categories: Vec<Category>,
    types: Vec<TicketType>,
}

impl World {
    fn new() -> Self {
        Self {
            departments: (0..3).map(|_| DepartmentId::new()).collect(),
            agents: (0..3).map(|_| AgentId::new()).collect(),
            customers: (0..4).map(|_| CustomerId::new()).collect(),
            masters: (0..2).map(|_| TicketId::new()).collect(),
            categories: ["network", "billing", "Сеть", "شبکه"]
                .into_iter()
                .map(|c| Category::parse(c).unwrap())
                .collect(),
            types: vec![
                TicketType::Incident,
                TicketType::Question,
                TicketType::Consultation,
                TicketType::custom("outage").unwrap(),
            ],
        }
    }

    /// An instant on a coarse grid (many ties), sometimes with a microsecond part.
    fn instant(&self, rng: &mut Rng) -> DateTime<Utc> {
        let at = t0() + Duration::minutes(rng.below(15) as i64);
        if rng.chance(20) {
            at + Duration::microseconds(rng.below(3) as i64 + 1)
        } else {
            at
        }
    }

    fn ticket(&self, rng: &mut Rng, sequence: u64) -> Ticket {
        let mut t = ticket(
            number(sequence),
            rng.pick(&self.departments),
            rng.pick(&self.customers),
        );
        // Random bytes, not time-ordered v7: the tie-break must be byte order.
        t.id = TicketId::from_uuid(uuid::Uuid::from_u64_pair(rng.next(), rng.next()));
        t.status = rng.pick(&Status::ALL);
        t.priority = rng.pick(&Priority::ALL);
        t.assignee = rng.chance(60).then(|| rng.pick(&self.agents));
        if rng.chance(10) {
            t.customer = None;
        }
        t.ticket_type = rng.pick(&self.types);
        t.categories = self
            .categories
            .iter()
            .filter(|_| rng.chance(35))
            .cloned()
            .collect();
        t.master = rng.chance(25).then(|| rng.pick(&self.masters));
        t.internal = rng.chance(20);
        t.created_at = self.instant(rng);
        t.updated_at = t.created_at + Duration::minutes(rng.below(10) as i64);
        // Nobody waits on about a third.
        t.waiting_since = rng.chance(65).then(|| self.instant(rng));
        t.timers = Timers {
            pending_until: rng.chance(50).then(|| self.instant(rng)),
            auto_close_at: rng.chance(30).then(|| self.instant(rng)),
            ..Timers::default()
        };
        t.next_due_at = t.timers.next_due_at();
        t
    }

    fn range(&self, rng: &mut Rng) -> TimeRange {
        let mut bound = || {
            rng.chance(50).then(|| {
                let at = self.instant(rng) + Duration::minutes(rng.below(10) as i64);
                // Now and then between two microseconds.
                if rng.chance(20) {
                    at + Duration::nanoseconds(rng.below(999) as i64 + 1)
                } else {
                    at
                }
            })
        };
        TimeRange {
            from: bound(),
            to: bound(),
        }
    }

    /// A random filter: each condition present with some chance, lists sometimes empty.
    fn filter(&self, rng: &mut Rng) -> TicketFilter {
        fn some_of<T: Clone>(rng: &mut Rng, items: &[T]) -> Vec<T> {
            items.iter().filter(|_| rng.chance(40)).cloned().collect()
        }
        TicketFilter {
            statuses: rng.chance(40).then(|| some_of(rng, &Status::ALL)),
            departments: rng.chance(30).then(|| some_of(rng, &self.departments)),
            assignee: rng.chance(25).then(|| {
                if rng.chance(30) {
                    AssigneeFilter::Unassigned
                } else {
                    AssigneeFilter::Agent(rng.pick(&self.agents))
                }
            }),
            customer: rng.chance(20).then(|| rng.pick(&self.customers)),
            priorities: rng.chance(30).then(|| some_of(rng, &Priority::ALL)),
            ticket_type: rng.chance(20).then(|| rng.pick(&self.types)),
            category: rng.chance(20).then(|| rng.pick(&self.categories)),
            master: rng.chance(15).then(|| rng.pick(&self.masters)),
            internal: rng.chance(20).then(|| rng.chance(50)),
            created: if rng.chance(20) {
                self.range(rng)
            } else {
                TimeRange::default()
            },
            updated: if rng.chance(20) {
                self.range(rng)
            } else {
                TimeRange::default()
            },
        }
    }
}

/// Walks every page of `filter` in `order` on both stores, comparing each page and cursor.
/// Returns how many tickets the walk visited.
async fn walk(
    store: &dyn Store,
    reference: &dyn Store,
    filter: &TicketFilter,
    order: TicketOrder,
    size: u32,
) -> usize {
    let mut page = PageRequest::first(order, size);
    let mut seen = 0;
    for _ in 0..10_000 {
        let got = store.list_tickets(filter, &page).await.unwrap();
        let want = reference.list_tickets(filter, &page).await.unwrap();
        assert_eq!(
            got.items.iter().map(|t| t.id).collect::<Vec<_>>(),
            want.items.iter().map(|t| t.id).collect::<Vec<_>>(),
            "{filter:?} {order:?} by {size}, after {seen}"
        );
        assert_eq!(got, want, "{filter:?} {order:?} by {size}");
        seen += got.items.len();
        match got.next {
            // Through the text form, as a client would hand it back.
            Some(cursor) => {
                let cursor = Cursor::decode(&cursor.encode()).unwrap();
                page = PageRequest::first(order, size).after(cursor).unwrap();
            }
            None => return seen,
        }
    }
    panic!("pagination did not end");
}

/// `n` tickets written to both stores in batches of 1 to 12, then a third of them changed.
async fn populate(
    store: &dyn Store,
    reference: &MemoryStore,
    world: &World,
    rng: &mut Rng,
    n: usize,
) -> Vec<Ticket> {
    let mut tickets = Vec::new();
    let mut sequence = 0;
    while tickets.len() < n {
        let batch: Vec<Ticket> = (0..rng.below(12) + 1)
            .map(|_| {
                sequence += 1;
                world.ticket(rng, sequence)
            })
            .collect();
        let batch_writes = WriteBatch::of(batch.iter().map(create).collect());
        store.commit(batch_writes.clone()).await.unwrap();
        reference.commit(batch_writes).await.unwrap();
        tickets.extend(batch);
    }
    for t in tickets.iter_mut() {
        if !rng.chance(33) {
            continue;
        }
        let template = world.ticket(rng, 0);
        let next = changed(
            t,
            t.updated_at + Duration::minutes(rng.below(5) as i64),
            |n| {
                n.status = template.status;
                n.priority = template.priority;
                n.assignee = template.assignee;
                n.categories = template.categories;
                n.department = template.department;
                // Both ways: waiting starts, stops, or moves.
                n.waiting_since = template.waiting_since;
                n.timers = template.timers;
                n.next_due_at = template.next_due_at;
            },
        );
        let write = WriteBatch::one(TicketWrite::update(t.version, next.clone()));
        store.commit(write.clone()).await.unwrap();
        reference.commit(write).await.unwrap();
        *t = next;
    }
    tickets
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_and_pages_match_the_reference() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(store);
    let reference = MemoryStore::new();
    let world = World::new();
    let mut rng = Rng(0x5EED_0003);
    let tickets = populate(store.as_ref(), &reference, &world, &mut rng, 320).await;
    let empty = TicketFilter::default();
    let mut filters = vec![
        empty.clone(),
        TicketFilter {
            statuses: Some(vec![]),
            ..empty.clone()
        },
        TicketFilter {
            departments: Some(vec![]),
            ..empty.clone()
        },
        TicketFilter {
            priorities: Some(vec![]),
            ..empty.clone()
        },
        TicketFilter {
            assignee: Some(AssigneeFilter::Unassigned),
            ..empty.clone()
        },
        TicketFilter {
            ticket_type: Some(TicketType::custom("outage").unwrap()),
            ..empty.clone()
        },
        TicketFilter {
            ticket_type: Some(TicketType::AccessRequest),
            ..empty.clone()
        },
        TicketFilter {
            category: Some(world.categories[3].clone()),
            ..empty.clone()
        },
        TicketFilter {
            master: Some(world.masters[0]),
            internal: Some(false),
            ..empty.clone()
        },
    ];
    // Exact boundaries: `from` includes, `to` excludes; nanoseconds in between.
    let at = tickets[7].updated_at;
    for (from, to) in [
        (Some(at), None),
        (None, Some(at)),
        (Some(at), Some(at)),
        (Some(at + Duration::nanoseconds(1)), None),
        (None, Some(at + Duration::nanoseconds(1))),
        (
            Some(at - Duration::nanoseconds(1)),
            Some(at + Duration::nanoseconds(999)),
        ),
    ] {
        filters.push(TicketFilter {
            updated: TimeRange { from, to },
            ..empty.clone()
        });
        filters.push(TicketFilter {
            created: TimeRange { from, to },
            ..empty.clone()
        });
    }
    filters.extend((0..60).map(|_| world.filter(&mut rng)));

    let mut matched = 0;
    for (i, filter) in filters.iter().enumerate() {
        let expected = tickets.iter().filter(|t| filter.matches(t)).count();
        for order in [
            TicketOrder::LastUpdate,
            TicketOrder::Priority,
            TicketOrder::Waiting,
            TicketOrder::Relevance,
        ] {
            let sizes: &[u32] = if i == 0 { &[1, 7, 200] } else { &[13, 200] };
            for &size in sizes {
                let seen = walk(store.as_ref(), &reference, filter, order, size).await;
                assert_eq!(seen, expected, "{filter:?} {order:?} by {size}");
            }
        }
        matched += usize::from(expected > 0);
    }
    // Relevance cursors with a score (from a search) handed to a list, where every score is
    // 0: a higher score puts the whole list after the cursor, score 0 the last-update rest.
    for t in tickets.iter().step_by(40) {
        for score in [0, 1, 3] {
            let cursor = Cursor::after_scored(TicketOrder::Relevance, t, score);
            let page = PageRequest::first(TicketOrder::Relevance, 25)
                .after(cursor)
                .unwrap();
            for filter in &filters[..3] {
                let got = store.list_tickets(filter, &page).await.unwrap();
                let want = reference.list_tickets(filter, &page).await.unwrap();
                assert_eq!(got, want, "{filter:?} after {cursor:?}");
            }
        }
    }
    // The random filters must not all be trivially empty.
    assert!(
        matched > filters.len() / 2,
        "{matched} of {}",
        filters.len()
    );
}

/// One page of `filter` after `cursor` on both stores, which must be equal.
async fn same_page_after(
    store: &dyn Store,
    reference: &dyn Store,
    filter: &TicketFilter,
    cursor: Cursor,
    size: u32,
) {
    let page = PageRequest::first(TicketOrder::Waiting, size)
        .after(cursor)
        .unwrap();
    let got = store.list_tickets(filter, &page).await.unwrap();
    let want = reference.list_tickets(filter, &page).await.unwrap();
    assert_eq!(got, want, "{filter:?} after {cursor:?} by {size}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_waiting_order_and_due_tickets_match_the_reference() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(store);
    let reference = MemoryStore::new();
    let world = World::new();
    let mut rng = Rng(0x5EED_0004);
    let mut tickets = populate(store.as_ref(), &reference, &world, &mut rng, 200).await;

    // The data has what makes the order hard: tickets nobody waits on, and ties.
    let waiting: Vec<DateTime<Utc>> = tickets.iter().filter_map(|t| t.waiting_since).collect();
    let distinct: std::collections::BTreeSet<_> = waiting.iter().collect();
    assert!(waiting.len() < tickets.len() - 30, "{}", waiting.len());
    assert!(distinct.len() < waiting.len() - 30, "{}", distinct.len());

    // From every possible cursor: after each ticket (on both sides of the NULL boundary),
    // and after tickets that are not stored: every stored waiting time and none, each with
    // the least, the greatest and a random id, and waiting times between and around the
    // stored ones.
    let filters = [
        TicketFilter::default(),
        TicketFilter {
            statuses: Some(vec![Status::New, Status::Open]),
            ..TicketFilter::default()
        },
        TicketFilter {
            departments: Some(vec![world.departments[1]]),
            ..TicketFilter::default()
        },
    ];
    let mut cursors: Vec<Cursor> = tickets
        .iter()
        .map(|t| Cursor::after(TicketOrder::Waiting, t))
        .collect();
    let mut probe = tickets[0].clone();
    let grid = (0..16).map(|m| t0() + Duration::minutes(m) + Duration::seconds(30));
    let since: Vec<Option<DateTime<Utc>>> = distinct
        .iter()
        .map(|w| Some(**w))
        .chain(grid.map(Some))
        .chain([
            None,
            Some(t0() - Duration::days(1)),
            Some(t0() + Duration::days(1)),
        ])
        .collect();
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
    for cursor in cursors {
        // Through the text form, as a client would hand it back.
        let cursor = Cursor::decode(&cursor.encode()).unwrap();
        for filter in &filters {
            for size in [1, 6] {
                same_page_after(store.as_ref(), &reference, filter, cursor, size).await;
            }
        }
    }

    // Walking on while tickets change between pages: waiting starts (moving a ticket in
    // front of or behind the cursor), stops (to the end), moves onto the cursor's own
    // waiting time (a tie broken by id either side), and the walk must still agree.
    let empty = TicketFilter::default();
    let size = 9;
    let mut page = PageRequest::first(TicketOrder::Waiting, size);
    let mut pages = 0;
    loop {
        let got = store.list_tickets(&empty, &page).await.unwrap();
        let want = reference.list_tickets(&empty, &page).await.unwrap();
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
            let next = changed(t, t.updated_at + Duration::seconds(1), |n| {
                n.waiting_since = w;
            });
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
        let seen = walk(
            store.as_ref(),
            &reference,
            &empty,
            TicketOrder::Waiting,
            size,
        )
        .await;
        assert_eq!(seen, tickets.len());
    }

    // Due tickets at each stored due instant and a nanosecond, a microsecond and a minute
    // either side of it, with limits that cut through ties.
    let due: std::collections::BTreeSet<DateTime<Utc>> =
        tickets.iter().filter_map(|t| t.next_due_at).collect();
    assert!(due.len() > 10, "{}", due.len());
    let mut instants = vec![t0() - Duration::days(1), t0() + Duration::days(1)];
    for d in &due {
        for delta in [
            Duration::zero(),
            Duration::nanoseconds(-1),
            Duration::nanoseconds(1),
            Duration::nanoseconds(999),
            Duration::microseconds(-1),
            Duration::microseconds(1),
            Duration::minutes(-1),
            Duration::minutes(1),
        ] {
            instants.push(*d + delta);
        }
    }
    let mut found = 0;
    for now in instants {
        for limit in [0, 1, 5, 40, 1_000] {
            let got = store.due_tickets(now, limit).await.unwrap();
            let want = reference.due_tickets(now, limit).await.unwrap();
            assert_eq!(got, want, "due at {now:?}, limit {limit}");
            found += got.len();
        }
    }
    assert!(found > 0);
}
