//! Ticket search ([`Store::search_tickets`]) against the reference: the four languages,
//! digits in three scripts, phrases, prefixes, exclusions and patterns, with filters and
//! pages; every stored word found as the reference finds it; the index following new
//! messages and changed subjects; and hostile queries and hand-made terms that never fail.

use std::sync::Arc;

use super::lists::ORDERS;
use crate::domain::{
    CustomerId, DepartmentId, Priority, Status, Subject, Ticket, TicketId, Version, Visibility,
};
use crate::error::Error;
use crate::search::{SearchField, SearchQuery, Term, TicketSearch};
use crate::store::{
    Cursor, MemoryStore, PageRequest, Store, TicketFilter, TicketOrder, TicketWrite, WriteBatch,
};
use crate::testkit::samples::{at, message, number, ticket};

/// A ticket numbered `n` with `subject`, made `n` seconds after
/// [`t0`](crate::testkit::samples::t0), and a write creating it with `bodies` (every second
/// one an internal note); also for backends' own tests.
pub fn ticket_with(n: u64, subject: &str, bodies: &[&str]) -> (Ticket, TicketWrite) {
    let t = Ticket {
        subject: Subject::parse(subject).unwrap(),
        created_at: at(n as i64),
        updated_at: at(n as i64),
        ..ticket(number(n), DepartmentId::new(), CustomerId::new())
    };
    let mut write = TicketWrite::create(t.clone());
    for (i, body) in bodies.iter().enumerate() {
        let visibility = if i % 2 == 1 {
            Visibility::Internal
        } else {
            Visibility::Public
        };
        write = write.with_message(message(&t, body, visibility));
    }
    (t, write)
}

/// Commits `writes` to both stores.
pub(super) async fn write_both(
    store: &dyn Store,
    reference: &MemoryStore,
    writes: Vec<TicketWrite>,
) {
    store.commit(WriteBatch::of(writes.clone())).await.unwrap();
    reference.commit(WriteBatch::of(writes)).await.unwrap();
}

/// `query` over every ticket, internal notes included or not.
pub(super) fn search(query: SearchQuery, include_internal: bool) -> TicketSearch {
    TicketSearch {
        query,
        filter: TicketFilter::default(),
        include_internal,
    }
}

/// The tickets `search` finds in `store` in `order`, all pages of `size`, and the cursors
/// between the pages (each handed back through its text form, as a client would).
async fn walk(
    store: &dyn Store,
    search: &TicketSearch,
    order: TicketOrder,
    size: u32,
) -> Result<(Vec<TicketId>, Vec<Cursor>), Error> {
    let mut page = PageRequest::first(order, size);
    let mut found = Vec::new();
    let mut cursors = Vec::new();
    for _ in 0..10_000 {
        let got = store.search_tickets(search, &page).await?;
        assert!(got.items.len() <= size as usize);
        found.extend(got.items.iter().map(|t| t.id));
        match got.next {
            Some(c) => {
                cursors.push(c);
                let c = Cursor::decode(&c.encode()).unwrap();
                page = PageRequest::first(order, size).after(c).unwrap();
            }
            None => return Ok((found, cursors)),
        }
    }
    panic!("pagination does not end");
}

/// The same results, pages and cursors in both stores in `order`, by pages of `size`: how
/// many were found. A query the reference refuses must be refused alike.
pub(super) async fn agree_in(
    store: &dyn Store,
    reference: &MemoryStore,
    search: &TicketSearch,
    order: TicketOrder,
    size: u32,
) -> usize {
    let got = walk(store, search, order, size).await;
    let want = walk(reference, search, order, size).await;
    match (got, want) {
        (Ok(got), Ok(want)) => {
            assert_eq!(got, want, "{search:?} {order:?} by {size}");
            got.0.len()
        }
        (got, want) => panic!("{search:?} {order:?}: {got:?}, the reference {want:?}"),
    }
}

/// [`agree_in`] in every order, by pages of 2: how many were found.
pub(super) async fn agree(
    store: &dyn Store,
    reference: &MemoryStore,
    search: &TicketSearch,
) -> usize {
    let mut found = None;
    for order in ORDERS {
        let n = agree_in(store, reference, search, order, 2).await;
        assert_eq!(*found.get_or_insert(n), n, "{search:?} {order:?}");
    }
    found.unwrap_or(0)
}

/// Texts that need care: the four languages, digits in three scripts, mixed tokens, engine
/// syntax, pattern metacharacters, and a word too long for some engines' indexes (also for
/// backends' own tests of how they index text).
pub fn samples() -> Vec<String> {
    vec![
        "Asistență tehnică: routerul nu funcționează după actualizare".to_owned(),
        "Интернет не работает; Ёлка погасла, связь пропала, й и и".to_owned(),
        "كامپيوتر روشن نمی‌شود، شماره ۰۹۱۲۳۴۵۶۷۸۹ و ٠٩١٢ كِتَابٌ".to_owned(),
        "Printer E-42 v2.0 x86_64 ab12cd 3rd 1,5kg e_mail@example.com Ж7 ۱۲abc".to_owned(),
        "NEAR(a b) a:* 'x' it's \\back\\slash & | ! <-> %_% \"q\" (((".to_owned(),
        "ул. Кольцевая, д. 14; parola 50% _x_ ok; zebracode c:\\temp".to_owned(),
        format!("long {} tail", "ж".repeat(1500)),
    ]
}

/// Tickets in two departments and three statuses, each with a public message and an
/// internal note taken from [`samples`].
fn seed() -> Vec<TicketWrite> {
    let subjects = [
        "Asistență tehnică",
        "Интернет не работает",
        "كامپيوتر روشن نمی‌شود",
        "Printer broken",
        "Router restart",
        "Ticket about the printer",
    ];
    let texts = samples();
    let departments = [DepartmentId::new(), DepartmentId::new()];
    let statuses = [Status::New, Status::Open, Status::OnHold];
    let mut writes = Vec::new();
    for (i, subject) in subjects.iter().enumerate() {
        let public = &texts[i % texts.len()];
        let note = &texts[(i + 3) % texts.len()];
        let (_, mut write) = ticket_with(i as u64 + 1, subject, &[public, note]);
        write.ticket.department = departments[i % 2];
        write.ticket.status = statuses[i % 3];
        write.ticket.priority = [Priority::Low, Priority::High][i % 2];
        writes.push(write);
    }
    writes
}

const QUERIES: &[&str] = &[
    "asistenta",
    "ASISTENŢĂ tehnica",
    "asisten\u{0074}\u{0326}a\u{0306}",
    "functioneaza",
    "routerul -actualizare",
    "функционирует",
    "елка",
    "ЁЛКА",
    "\"связь пропала\"",
    "\"пропала связь\"",
    "кольц*",
    "%Кольц%14",
    "%Кольц%14%кв. 15",
    "%50\\%%",
    "%_x_%",
    "%c:\\temp%",
    "کامپیوتر",
    "نمیشود",
    "نمی‌شود",
    "09123456789",
    "٠٩١٢٣٤٥٦٧٨٩",
    "كتاب",
    "printer -broken",
    "print* -\"error e 42\"",
    "e-42",
    "x86_64",
    "v2.0",
    "\"v2 0\"",
    "ab12cd",
    "ж7",
    "12abc",
    "zebracode",
    "zebra*",
    "ticket*",
    "\"router restart\"",
    "%rest%",
    "%%e%%4%",
];

/// Every query agrees with the reference: in every order by pages of 2, with and without
/// internal notes, and with a department and a status filter.
async fn assert_queries_agree(store: &dyn Store, reference: &MemoryStore, queries: &[&str]) {
    let some = reference
        .list_tickets(
            &TicketFilter::default(),
            &PageRequest::first(TicketOrder::LastUpdate, 1),
        )
        .await
        .unwrap()
        .items;
    let filters = [
        TicketFilter {
            departments: Some(vec![some[0].department]),
            ..TicketFilter::default()
        },
        TicketFilter {
            statuses: Some(vec![Status::Open, Status::New]),
            ..TicketFilter::default()
        },
    ];
    for q in queries {
        for include_internal in [false, true] {
            let query = SearchQuery::parse(q).unwrap();
            agree(store, reference, &search(query.clone(), include_internal)).await;
            for filter in &filters {
                let filtered = TicketSearch {
                    query: query.clone(),
                    filter: filter.clone(),
                    include_internal,
                };
                agree_in(store, reference, &filtered, TicketOrder::Priority, 500).await;
            }
        }
    }
}

pub async fn searches_agree_with_the_reference_as_tickets_change(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    let writes = seed();
    write_both(store.as_ref(), &reference, writes.clone()).await;
    assert_queries_agree(store.as_ref(), &reference, QUERIES).await;
    let zebra = search(SearchQuery::parse("zebracode").unwrap(), true);
    assert_eq!(agree(store.as_ref(), &reference, &zebra).await, 2);
    let public_zebra = search(SearchQuery::parse("zebracode").unwrap(), false);
    assert_eq!(agree(store.as_ref(), &reference, &public_zebra).await, 1);

    // A new subject replaces the old one in the index; a new message is found; an update
    // that keeps the subject keeps it found.
    let t = &writes[3].ticket;
    let renamed = Ticket {
        subject: Subject::parse("Scanner jammed").unwrap(),
        updated_at: at(100),
        version: t.version.next(),
        ..t.clone()
    };
    let reply = message(&renamed, "Înlocuim cartușul.", Visibility::Public);
    let kept = Ticket {
        updated_at: at(200),
        version: writes[4].ticket.version.next(),
        ..writes[4].ticket.clone()
    };
    write_both(
        store.as_ref(),
        &reference,
        vec![
            TicketWrite::update(Version::FIRST, renamed).with_message(reply),
            TicketWrite::update(Version::FIRST, kept),
        ],
    )
    .await;
    let changed = [
        "scanner",
        "broken",
        "printer",
        "cartusul",
        "%cartus%",
        "router",
        "\"router restart\"",
        "zebracode",
        "asistenta",
    ];
    assert_queries_agree(store.as_ref(), &reference, &changed).await;
    let found = |q: &str| search(SearchQuery::parse(q).unwrap(), true);
    assert_eq!(agree(store.as_ref(), &reference, &found("broken")).await, 0);
    assert_eq!(
        agree(store.as_ref(), &reference, &found("scanner")).await,
        1
    );
    assert_eq!(
        agree(store.as_ref(), &reference, &found("\"router restart\"")).await,
        1
    );
}

fn word(w: &str, prefix: bool) -> Term {
    Term::Word {
        word: w.to_owned(),
        prefix,
    }
}

/// Every word of every sample is found as itself, as a prefix and by its first letter, and
/// every sample as a phrase, as the reference finds them: no engine's own parsing of the
/// words (stemming, stop words, splitting) shows through.
pub async fn every_stored_word_is_found_like_the_reference(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    let texts = samples();
    let bodies: Vec<&str> = texts[1..].iter().map(String::as_str).collect();
    let (_, write) = ticket_with(1, &texts[0], &bodies);
    write_both(store.as_ref(), &reference, vec![write]).await;
    for text in &texts {
        let field = SearchField::new(text);
        for w in &field.words {
            let first: String = w.chars().take(1).collect();
            for term in [word(w, false), word(w, true), word(&first, true)] {
                for internal in [false, true] {
                    let query = SearchQuery {
                        include: vec![term.clone()],
                        exclude: vec![],
                    };
                    let n = agree_in(
                        store.as_ref(),
                        &reference,
                        &search(query, internal),
                        TicketOrder::LastUpdate,
                        2,
                    )
                    .await;
                    assert!(n <= 1);
                }
            }
        }
        let phrase = SearchQuery {
            include: vec![Term::Phrase {
                words: field.words.clone(),
            }],
            exclude: vec![],
        };
        assert_eq!(
            agree(store.as_ref(), &reference, &search(phrase, true)).await,
            1
        );
    }
    let long = "ж".repeat(1500);
    for q in [
        "asistenta",
        "ЁЛКА",
        "كتاب",
        "نمیشود",
        "09123456789",
        "x86_64",
        "\"v2 0\"",
        &format!("{}*", &long[..800]),
    ] {
        let query = SearchQuery::parse(q).unwrap();
        assert_eq!(
            agree(store.as_ref(), &reference, &search(query, true)).await,
            1,
            "{q:?}"
        );
    }
}
