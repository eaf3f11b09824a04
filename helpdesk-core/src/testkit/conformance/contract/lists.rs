//! Ticket lists ([`Store::list_tickets`]) against the reference: varied random tickets, every
//! kind of filter alone and in random combinations, every order, walked page by page. Every
//! page and every cursor must equal the reference's. Counts ([`Store::count_tickets`]) must
//! agree with [`TicketFilter::matches`] for the same filters.

use std::sync::Arc;

use chrono::Duration;

use super::super::rng::Rng;
use super::world::World;
use crate::domain::{CustomerId, Priority, Resolution, Status, Ticket, TicketType};
use crate::store::{
    AssigneeFilter, Cursor, MemoryStore, PageRequest, Store, TicketFilter, TicketOrder, TimeRange,
};

/// Every order a list may be in.
pub(super) const ORDERS: [TicketOrder; 4] = [
    TicketOrder::LastUpdate,
    TicketOrder::Priority,
    TicketOrder::Waiting,
    TicketOrder::Relevance,
];

/// Walks every page of `filter` in `order` on both stores, comparing each page (whole
/// tickets) and cursor; each cursor goes back through its text form, as a client would hand
/// it back. The tickets visited, in order.
pub(super) async fn walk(
    store: &dyn Store,
    reference: &dyn Store,
    filter: &TicketFilter,
    order: TicketOrder,
    size: u32,
) -> Vec<Ticket> {
    let mut page = PageRequest::first(order, size);
    let mut seen = Vec::new();
    for _ in 0..10_000 {
        let got = store.list_tickets(filter, &page).await.unwrap();
        let want = reference.list_tickets(filter, &page).await.unwrap();
        assert_eq!(
            got.items.iter().map(|t| t.id).collect::<Vec<_>>(),
            want.items.iter().map(|t| t.id).collect::<Vec<_>>(),
            "{filter:?} {order:?} by {size}, after {}",
            seen.len()
        );
        assert_eq!(got, want, "{filter:?} {order:?} by {size}");
        assert!(got.items.len() <= size as usize);
        seen.extend(got.items);
        match got.next {
            Some(cursor) => {
                let cursor = Cursor::decode(&cursor.encode()).unwrap();
                page = PageRequest::first(order, size).after(cursor).unwrap();
            }
            None => return seen,
        }
    }
    panic!("pagination does not end: a cursor leads back to tickets already listed")
}

/// Filters made by hand: each condition alone, empty lists, no match at all, and exact time
/// bounds around `at` (`from` includes, `to` excludes; nanoseconds in between).
fn hand_made(world: &World, at: chrono::DateTime<chrono::Utc>) -> Vec<TicketFilter> {
    let any = TicketFilter::default;
    let mut filters = vec![
        any(),
        TicketFilter {
            statuses: Some(vec![Status::New, Status::Closed(Resolution::Merged)]),
            ..any()
        },
        TicketFilter {
            statuses: Some(vec![]),
            ..any()
        },
        TicketFilter {
            departments: Some(vec![world.departments[0]]),
            ..any()
        },
        TicketFilter {
            departments: Some(vec![world.departments[1], world.departments[2]]),
            statuses: Some(vec![Status::Open, Status::PendingCustomer, Status::OnHold]),
            ..any()
        },
        TicketFilter {
            departments: Some(vec![]),
            ..any()
        },
        TicketFilter {
            assignee: Some(AssigneeFilter::Unassigned),
            ..any()
        },
        TicketFilter {
            assignee: Some(AssigneeFilter::Agent(world.agents[1])),
            ..any()
        },
        TicketFilter {
            customer: Some(world.customers[2]),
            ..any()
        },
        TicketFilter {
            customer: Some(CustomerId::new()),
            ..any()
        },
        TicketFilter {
            priorities: Some(vec![Priority::Urgent, Priority::Low]),
            ..any()
        },
        TicketFilter {
            priorities: Some(vec![]),
            ..any()
        },
        TicketFilter {
            ticket_type: Some(TicketType::custom("outage").unwrap()),
            ..any()
        },
        TicketFilter {
            ticket_type: Some(TicketType::AccessRequest),
            ..any()
        },
        TicketFilter {
            category: Some(world.categories[3].clone()),
            ..any()
        },
        TicketFilter {
            category: Some(crate::domain::Category::parse("сеть").unwrap()),
            ..any()
        },
        TicketFilter {
            master: Some(world.masters[0]),
            internal: Some(false),
            ..any()
        },
        TicketFilter {
            internal: Some(true),
            ..any()
        },
        TicketFilter {
            internal: Some(false),
            category: Some(world.categories[0].clone()),
            priorities: Some(vec![Priority::Normal, Priority::High]),
            ..any()
        },
        // Tags: one, one spelt otherwise (the same tag folded), several, none.
        TicketFilter {
            tags: Some(vec![world.tags[0].clone()]),
            ..any()
        },
        TicketFilter {
            tags: Some(vec![crate::domain::Tag::parse("ÎNTÂRZIERE").unwrap()]),
            ..any()
        },
        TicketFilter {
            tags: Some(vec![world.tags[4].clone(), world.tags[5].clone()]),
            statuses: Some(vec![Status::New, Status::Open]),
            ..any()
        },
        TicketFilter {
            tags: Some(vec![]),
            ..any()
        },
    ];
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
            ..any()
        });
        filters.push(TicketFilter {
            created: TimeRange { from, to },
            ..any()
        });
    }
    // Something due: overdue at `at`, due in the hour after it, either end alone.
    for (from, to) in [
        (None, Some(at)),
        (Some(at), Some(at + Duration::hours(1))),
        (Some(at - Duration::days(30)), None),
    ] {
        filters.push(TicketFilter {
            due: TimeRange { from, to },
            ..any()
        });
    }
    filters
}

pub async fn lists_and_pages_agree_with_the_reference(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    let world = World::new();
    let mut rng = Rng::new(0x5EED_0003);
    let tickets = world
        .populate(store.as_ref(), &reference, &mut rng, 160)
        .await;
    let mut filters = hand_made(&world, tickets[7].updated_at);
    let hand_made = filters.len();
    filters.extend((0..24).map(|_| world.filter(&mut rng)));

    let mut matched = 0;
    for (i, filter) in filters.iter().enumerate() {
        let expected = tickets.iter().filter(|t| filter.matches(t)).count();
        for (o, order) in ORDERS.into_iter().enumerate() {
            // Every filter in every order; page by page the hand-made ones in every order,
            // the random ones each in one.
            let sizes: &[u32] = match i {
                0 => &[1, 7, 200],
                _ if i < hand_made || i % ORDERS.len() == o => &[13, 200],
                _ => &[200],
            };
            for &size in sizes {
                let seen = walk(store.as_ref(), &reference, filter, order, size).await;
                assert_eq!(seen.len(), expected, "{filter:?} {order:?} by {size}");
                if i == 0 {
                    // Every ticket once, in the order the library sorts them.
                    let mut want = tickets.clone();
                    PageRequest::first(order, 1).sort(&mut want);
                    assert_eq!(
                        seen.iter().map(|t| t.id).collect::<Vec<_>>(),
                        want.iter().map(|t| t.id).collect::<Vec<_>>(),
                        "{order:?} by {size}"
                    );
                }
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
    // The filters must not be trivially empty.
    assert!(
        matched > filters.len() * 2 / 3,
        "{matched} of {}",
        filters.len()
    );
}

pub async fn ticket_counts_agree_with_the_filter(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    let world = World::new();
    let mut rng = Rng::new(0x5EED_0011);
    let tickets = world
        .populate(store.as_ref(), &reference, &mut rng, 120)
        .await;
    let mut filters = hand_made(&world, tickets[5].updated_at);
    filters.extend((0..40).map(|_| world.filter(&mut rng)));
    let mut counted = 0;
    for filter in &filters {
        let want = tickets.iter().filter(|t| filter.matches(t)).count() as u64;
        assert_eq!(
            store.count_tickets(filter).await.unwrap(),
            want,
            "{filter:?}"
        );
        counted += u64::from(want > 0);
    }
    assert!(counted > 20, "only {counted} filters match anything");
    assert_eq!(
        store.count_tickets(&TicketFilter::default()).await.unwrap(),
        tickets.len() as u64
    );
}
