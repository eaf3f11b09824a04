//! Ticket lists against the reference: a few hundred varied tickets (random ids, so uuid
//! order matters; coarse update times, so ties are common), every kind of filter alone and
//! in random combinations, both orders, walked page by page. Every page and every cursor
//! must equal the in-memory store's.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use common::*;
use helpdesk_core::domain::{
    AgentId, Category, CustomerId, DepartmentId, Priority, Status, Ticket, TicketId, TicketType,
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_and_pages_match_the_reference() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(store);
    let reference = MemoryStore::new();
    let world = World::new();
    let mut rng = Rng(0x5EED_0003);

    // 320 tickets in batches of 1 to 12, then a third of them changed.
    let mut tickets = Vec::new();
    let mut sequence = 0;
    while tickets.len() < 320 {
        let batch: Vec<Ticket> = (0..rng.below(12) + 1)
            .map(|_| {
                sequence += 1;
                world.ticket(&mut rng, sequence)
            })
            .collect();
        let batch_writes = WriteBatch {
            writes: batch.iter().map(create).collect(),
        };
        store.commit(batch_writes.clone()).await.unwrap();
        reference.commit(batch_writes).await.unwrap();
        tickets.extend(batch);
    }
    for t in tickets.iter_mut() {
        if !rng.chance(33) {
            continue;
        }
        let template = world.ticket(&mut rng, 0);
        let next = changed(
            t,
            t.updated_at + Duration::minutes(rng.below(5) as i64),
            |n| {
                n.status = template.status;
                n.priority = template.priority;
                n.assignee = template.assignee;
                n.categories = template.categories;
                n.department = template.department;
            },
        );
        let write = WriteBatch::one(TicketWrite::update(t.version, next.clone()));
        store.commit(write.clone()).await.unwrap();
        reference.commit(write).await.unwrap();
        *t = next;
    }

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
        for order in [TicketOrder::LastUpdate, TicketOrder::Priority] {
            let sizes: &[u32] = if i == 0 { &[1, 7, 200] } else { &[13, 200] };
            for &size in sizes {
                let seen = walk(store.as_ref(), &reference, filter, order, size).await;
                assert_eq!(seen, expected, "{filter:?} {order:?} by {size}");
            }
        }
        matched += usize::from(expected > 0);
    }
    // The random filters must not all be trivially empty.
    assert!(
        matched > filters.len() / 2,
        "{matched} of {}",
        filters.len()
    );
}
