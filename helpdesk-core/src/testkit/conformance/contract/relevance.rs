//! The relevance order of searches against the reference: subject matches first, ties on
//! the update instant broken by id, every page and cursor alike, also after cursors no page
//! gave.

use std::sync::Arc;

use chrono::Duration;

use super::lists::ORDERS;
use super::search::{agree, agree_in, search, ticket_with, write_both};
use crate::domain::{Priority, TicketId, Visibility};
use crate::search::{SearchQuery, Term};
use crate::store::{Cursor, MemoryStore, PageRequest, Store, TicketOrder, TicketWrite};
use crate::testkit::samples::{at, message};

const SUBJECTS: [&str; 12] = [
    "Router and modem dead",
    "Router resets at night",
    "Modem router router",
    "Nothing here",
    "Routerul nu funcționează după actualizare",
    "Интернет и роутер не работают",
    "Printer E-42 v2.0 x86_64 e_mail@example.com",
    "router_modem 100% dead",
    "Reset the modem, then the router",
    "Кольцевая 14: роутер",
    "ROUTER",
    "Slow line",
];

const BODIES: [&str; 5] = [
    "router modem",
    "the modem is fine",
    "роутер и модем, ул. Кольцевая, д. 14",
    "printer router dead",
    "nothing to see",
];

const QUERIES: [&str; 12] = [
    "router",
    "router modem",
    "modem router dead",
    "rout* mod*",
    "\"router and modem\"",
    "\"router reset\" modem",
    "%rout% %mod% reset",
    "%100\\%% router",
    "router -printer",
    "роутер кольцевая 14",
    "router router",
    "e_mail* printer",
];

pub async fn relevance_pages_agree_with_the_reference(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    // Tickets in groups of three sharing an update instant, so that ties fall to the id;
    // ids from a sequence that is not their order of creation.
    let mut writes = Vec::new();
    for i in 0..48_u64 {
        let (mut t, _) = ticket_with(i + 1, SUBJECTS[i as usize % SUBJECTS.len()], &[]);
        t.updated_at = at(60 * (i / 3) as i64);
        t.id = TicketId::from_uuid(uuid::Uuid::from_u64_pair(
            i.wrapping_mul(0x9E37_79B9_7F4A_7C15),
            i,
        ));
        t.priority = [Priority::Low, Priority::Normal, Priority::High][i as usize % 3];
        if i % 4 == 0 {
            t.waiting_since = Some(at(1_000 - i as i64));
        }
        let body = BODIES[(i as usize / 3) % BODIES.len()];
        let visibility = if i % 3 == 0 {
            Visibility::Internal
        } else {
            Visibility::Public
        };
        writes.push(
            TicketWrite::create(t.clone())
                .with_message(message(&t, body, visibility))
                .with_message(message(&t, "modem internal", Visibility::Internal)),
        );
    }
    write_both(store.as_ref(), &reference, writes).await;

    let mut ranked = 0;
    for q in QUERIES {
        let query = SearchQuery::parse(q).unwrap();
        for internal in [false, true] {
            let search = search(query.clone(), internal);
            for size in [4, 200] {
                let n = agree_in(
                    store.as_ref(),
                    &reference,
                    &search,
                    TicketOrder::Relevance,
                    size,
                )
                .await;
                ranked += usize::from(n > 2);
            }
            for order in ORDERS {
                if order != TicketOrder::Relevance {
                    agree_in(store.as_ref(), &reference, &search, order, 20).await;
                }
            }
        }
    }
    assert!(
        ranked > 15,
        "the data exercises the relevance order: {ranked}"
    );

    // No included term, as a caller may build it: every score is 0.
    let only_excluded = search(
        SearchQuery {
            include: vec![],
            exclude: vec![Term::Word {
                word: "nothing".into(),
                prefix: false,
            }],
        },
        false,
    );
    let n = agree(store.as_ref(), &reference, &only_excluded).await;
    assert!((30..48).contains(&n), "{n}");

    // Scores that differ among the results: no, one and two subject matches.
    let router_modem = search(SearchQuery::parse("router modem").unwrap(), false);
    let found = store
        .search_tickets(
            &router_modem,
            &PageRequest::first(TicketOrder::Relevance, 200),
        )
        .await
        .unwrap();
    let scores: Vec<u32> = found.items.iter().map(|t| router_modem.score(t)).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!((0..=2).all(|s| scores.contains(&s)), "{scores:?}");

    // Cursors whose scores and positions no page gave: every score from 0 to past the
    // highest, at a ticket's own key and between keys (whole microseconds, as every cursor a
    // client hands back is).
    for t in found.items.iter().step_by(10) {
        for score in 0..5 {
            for (at, id) in [
                (t.updated_at, t.id),
                (t.updated_at + Duration::microseconds(1), TicketId::new()),
                (t.updated_at - Duration::microseconds(1), TicketId::new()),
            ] {
                let mut probe = t.clone();
                probe.updated_at = at;
                probe.id = id;
                let cursor = Cursor::after_scored(TicketOrder::Relevance, &probe, score);
                let page = PageRequest::first(TicketOrder::Relevance, 4)
                    .after(cursor)
                    .unwrap();
                let got = store.search_tickets(&router_modem, &page).await.unwrap();
                let want = reference
                    .search_tickets(&router_modem, &page)
                    .await
                    .unwrap();
                assert_eq!(got, want, "after {cursor:?}");
            }
        }
    }
}
