//! Search on PostgreSQL beyond the conformance suite: the stored words are exactly the
//! library's (no PostgreSQL parsing), hostile queries and hand-made terms never fail and agree
//! with the in-memory reference, changed subjects are re-indexed, and tickets written before
//! the search migration are indexed by the backfill.

mod common;

use std::collections::BTreeSet;

use common::*;
use helpdesk_core::Error;
use helpdesk_core::domain::{CustomerId, DepartmentId, Subject, Ticket, Visibility};
use helpdesk_core::search::{SearchField, SearchQuery, Term, TicketSearch};
use helpdesk_core::store::{
    Cursor, MemoryStore, PageRequest, Store, TicketFilter, TicketOrder, TicketWrite, WriteBatch,
};
use helpdesk_postgres::{PostgresStore, testing};
use uuid::Uuid;

/// A word longer than a tsvector lexeme may be (3000 bytes).
fn long_word() -> String {
    "ж".repeat(1500)
}

/// The sample texts: the four languages, digits in three scripts, mixed tokens, engine
/// syntax, and a word too long for a tsvector.
fn samples() -> Vec<String> {
    vec![
        "Asistență tehnică: routerul nu funcționează după actualizare".to_owned(),
        "Интернет не работает; Ёлка погасла, й и и".to_owned(),
        "كامپيوتر روشن نمی‌شود، شماره ۰۹۱۲۳۴۵۶۷۸۹ و ٠٩١٢ كِتَابٌ".to_owned(),
        "Printer E-42 v2.0 x86_64 ab12cd 3rd 1,5kg e_mail@example.com Ж7 ۱۲abc".to_owned(),
        "NEAR(a b) a:* 'x' it's \\back\\slash & | ! <-> %_% \"q\" (((".to_owned(),
        format!("long {} tail", long_word()),
    ]
}

/// Writes `tickets` (each with its messages) to both stores.
async fn write_both(pg: &PostgresStore, mem: &MemoryStore, writes: Vec<TicketWrite>) {
    pg.commit(WriteBatch::of(writes.clone())).await.unwrap();
    mem.commit(WriteBatch::of(writes)).await.unwrap();
}

/// A ticket numbered `n` with `subject`, and a write creating it with `bodies` (odd ones are
/// internal notes).
fn ticket_with(n: u64, subject: &str, bodies: &[&str]) -> (Ticket, TicketWrite) {
    let mut t = ticket(number(n), DepartmentId::new(), CustomerId::new());
    t.subject = Subject::parse(subject).unwrap();
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

fn search(query: SearchQuery, include_internal: bool) -> TicketSearch {
    TicketSearch {
        query,
        filter: TicketFilter::default(),
        include_internal,
    }
}

fn word(w: &str, prefix: bool) -> Term {
    Term::Word {
        word: w.to_owned(),
        prefix,
    }
}

/// Every order a search may be listed in.
const ORDERS: [TicketOrder; 4] = [
    TicketOrder::LastUpdate,
    TicketOrder::Priority,
    TicketOrder::Waiting,
    TicketOrder::Relevance,
];

/// The ids `search` finds in `store` in `order`, all pages of `size`, and the cursors between
/// the pages (each handed back through its text form, as a client would).
async fn walk(
    store: &dyn Store,
    search: &TicketSearch,
    order: TicketOrder,
    size: u32,
) -> Result<(Vec<Uuid>, Vec<Cursor>), Error> {
    let mut page = PageRequest::first(order, size);
    let mut out = Vec::new();
    let mut cursors = Vec::new();
    for _ in 0..10_000 {
        let got = store.search_tickets(search, &page).await?;
        out.extend(got.items.iter().map(|t| t.id.as_uuid()));
        match got.next {
            Some(c) => {
                cursors.push(c);
                let c = Cursor::decode(&c.encode()).unwrap();
                page = PageRequest::first(order, size).after(c).unwrap();
            }
            None => return Ok((out, cursors)),
        }
    }
    panic!("pagination did not end");
}

/// The ids `search` finds in `store`, all pages.
async fn ids(store: &dyn Store, search: &TicketSearch) -> Result<Vec<Uuid>, Error> {
    Ok(walk(store, search, TicketOrder::LastUpdate, 2).await?.0)
}

/// The same results, pages and cursors in both stores in `order`, and never an error from
/// PostgreSQL.
async fn assert_agree_in(
    pg: &PostgresStore,
    mem: &MemoryStore,
    search: &TicketSearch,
    order: TicketOrder,
    size: u32,
) -> usize {
    let got = walk(pg, search, order, size)
        .await
        .unwrap_or_else(|e| panic!("{search:?} {order:?}: {e:?}"));
    let want = walk(mem, search, order, size).await.unwrap();
    assert_eq!(got, want, "{search:?} {order:?} by {size}");
    got.0.len()
}

/// [`assert_agree_in`] in every order, by pages of 2.
async fn assert_agree(pg: &PostgresStore, mem: &MemoryStore, search: &TicketSearch) -> usize {
    let mut found = None;
    for order in ORDERS {
        let n = assert_agree_in(pg, mem, search, order, 2).await;
        assert_eq!(*found.get_or_insert(n), n, "{search:?} {order:?}");
    }
    found.unwrap_or(0)
}

/// A stored search row: message id, internal, folded text, words, lexemes.
type StoredField = (Option<Uuid>, bool, String, Vec<String>, Vec<String>);

#[tokio::test]
async fn stored_words_round_trip_exactly() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let mem = MemoryStore::new();
    let texts = samples();
    let bodies: Vec<&str> = texts[1..].iter().map(String::as_str).collect();
    let (t, write) = ticket_with(1, &texts[0], &bodies);
    write_both(&pg, &mem, vec![write]).await;

    let rows: Vec<StoredField> = sqlx::query_as(
        "SELECT f.message_id, f.internal, f.folded, f.words, tsvector_to_array(f.lexemes) \
         FROM search_fields f LEFT JOIN messages m ON m.id = f.message_id \
         WHERE f.ticket_id = $1 ORDER BY m.seq NULLS FIRST",
    )
    .bind(t.id.as_uuid())
    .fetch_all(pg.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), texts.len());
    for (i, ((message, internal, folded, words, lexemes), text)) in
        rows.into_iter().zip(&texts).enumerate()
    {
        let field = SearchField::new(text);
        assert_eq!(message.is_none(), i == 0);
        assert_eq!(internal, i > 0 && (i - 1) % 2 == 1, "{text:?}");
        assert_eq!(folded, field.folded, "{text:?}");
        assert_eq!(words, field.words, "{text:?}");
        // The distinct words, as they are; only a word too long for a lexeme is cut.
        let want: BTreeSet<String> = field
            .words
            .iter()
            .map(|w| {
                if w.len() > 2000 {
                    "ж".repeat(1000)
                } else {
                    w.clone()
                }
            })
            .collect();
        assert_eq!(
            lexemes.into_iter().collect::<BTreeSet<_>>(),
            want,
            "{text:?}"
        );
    }

    // Every word is found as itself and by its first letter, every field as a phrase, with
    // and without internal notes, as the reference finds them.
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
                    let n = assert_agree(&pg, &mem, &search(query, internal)).await;
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
        assert_eq!(assert_agree(&pg, &mem, &search(phrase, true)).await, 1);
    }
    // Digits in any script, mixed tokens and the long word, as people type them.
    for q in [
        "٠٩١٢٣٤٥٦٧٨٩",
        "09123456789",
        "x86_64",
        "v2.0",
        "\"v2 0\"",
        "ab12cd",
        "ж7",
        "12abc",
        "كتاب",
        "نمیشود",
        "ЁЛКА",
        "asistenta",
        &format!("{}*", &long_word()[..800]),
    ] {
        let query = SearchQuery::parse(q).unwrap();
        assert_eq!(
            assert_agree(&pg, &mem, &search(query, true)).await,
            1,
            "{q:?}"
        );
    }
    testing::discard(pg).await.unwrap();
}

#[tokio::test]
async fn hostile_queries_and_terms_never_fail_and_agree_with_the_reference() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let mem = MemoryStore::new();
    let texts = samples();
    let mut writes = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let (_, write) = ticket_with(i as u64 + 1, "Hostile 'x' \\ %_", &[text, text]);
        writes.push(write);
    }
    write_both(&pg, &mem, writes).await;

    let long = long_word();
    let typed = [
        "\"",
        "*",
        "NEAR(",
        "near(a b)",
        ":*",
        "a:*",
        "'",
        "''",
        "\\",
        "\\'",
        "&|!",
        "!a",
        "a & b",
        "a <-> b",
        "\"unbalanced",
        "-",
        "a*b*c",
        "%",
        "%%",
        "%_%",
        "%'%",
        "%\\%a",
        "%it's%",
        "%\\back\\%",
        "%%_%%",
        "'; DROP TABLE tickets; --",
        "a OR b",
        "^x",
        "{subject}: x",
        "x\u{0}y",
        "%x\u{0}y%",
        "ROUTER* AND",
        "(((",
        "a\"b",
        "-\"",
        "*x",
        "it's",
        "hostile -'x'",
        "hostile -%_%",
        &"ж".repeat(499),
        &"\u{10FFFF}".repeat(500),
        &"a ".repeat(40),
        &"x".repeat(501),
    ];
    for q in typed {
        match SearchQuery::parse(q) {
            Ok(query) => {
                for internal in [false, true] {
                    assert_agree(&pg, &mem, &search(query.clone(), internal)).await;
                }
            }
            Err(e) => assert_eq!(e.field(), "q", "{q:?}"),
        }
    }

    // Terms no parse gives, as a caller may build them.
    let made = [
        word("it's", false),
        word("a\\b", true),
        word("'", true),
        word("", false),
        word("", true),
        word("x\u{0}y", false),
        word("x\u{0}", true),
        word(":*", false),
        word("a b", false),
        word(&long, false),
        word(&long, true),
        word(&long[..2500], true),
        word(&long[..2500], false),
        word(&long[..3000 - 2], false),
        Term::Phrase {
            words: vec!["it's".into(), "back".into()],
        },
        Term::Phrase {
            words: vec!["long".into(), long.clone(), "tail".into()],
        },
        Term::Phrase {
            words: vec!["long".into(), "".into()],
        },
        Term::Phrase {
            words: vec!["x\u{0}".into()],
        },
        Term::Pattern {
            pieces: vec!["x\u{0}".into()],
        },
        Term::Pattern {
            pieces: vec!["%".into(), "_".into()],
        },
        Term::Pattern {
            pieces: vec!["\\".into(), "\\".into()],
        },
        Term::Pattern {
            pieces: vec!["".into(), "".into()],
        },
        Term::Pattern { pieces: vec![] },
        Term::Phrase { words: vec![] },
    ];
    for term in &made {
        for (include, exclude) in [
            (vec![term.clone()], vec![]),
            (vec![word("hostile", false)], vec![term.clone()]),
        ] {
            for internal in [false, true] {
                let query = SearchQuery {
                    include: include.clone(),
                    exclude: exclude.clone(),
                };
                assert_agree(&pg, &mem, &search(query, internal)).await;
            }
        }
    }
    testing::discard(pg).await.unwrap();
}

#[tokio::test]
async fn relevance_pages_agree_with_the_reference() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let mem = MemoryStore::new();
    let subjects = [
        "Router and modem dead",
        "Router resets at night",
        "Modem router router",
        "Nothing here",
        "Routerul nu funcționează după actualizare",
        "Интернет и роутер не работают",
        "Printer E-42 v2.0 x86_64 e_mail@example.com",
        "router_modem 100% dead",
    ];
    let bodies = [
        "router modem",
        "the modem is fine",
        "интернет роутер",
        "printer router dead",
    ];
    // Tickets in groups of three sharing an updated_at, so ties fall to the id; the sequence
    // gives different ids per group.
    let mut writes = Vec::new();
    for i in 0..48_u64 {
        let subject = subjects[(i as usize) % subjects.len()];
        let body = bodies[(i as usize / 3) % bodies.len()];
        let (mut t, _) = ticket_with(i + 1, subject, &[]);
        t.updated_at = t0() + chrono::Duration::minutes((i / 3) as i64);
        t.id = helpdesk_core::domain::TicketId::from_uuid(Uuid::from_u64_pair(
            i.wrapping_mul(0x9E37_79B9_7F4A_7C15),
            i,
        ));
        let mut write = TicketWrite::create(t.clone());
        write = write.with_message(message(&t, body, Visibility::Public));
        write = write.with_message(message(&t, "modem internal", Visibility::Internal));
        writes.push(write);
    }
    write_both(&pg, &mem, writes).await;
    let queries = [
        "router",
        "router modem",
        "modem router dead",
        "rout* modem",
        "\"router and modem\"",
        "%dead% router",
        "%100\\%% router",
        "router -printer",
        "роутер интернет",
        "dead -nothing",
        "e_mail* printer",
        "%x86_64%",
    ];
    let mut ranked = 0;
    for q in queries {
        let query = SearchQuery::parse(q).unwrap();
        for internal in [false, true] {
            let search = search(query.clone(), internal);
            for size in [1, 2, 5, 200] {
                let n = assert_agree_in(&pg, &mem, &search, TicketOrder::Relevance, size).await;
                ranked += usize::from(n > 1);
            }
            assert_agree(&pg, &mem, &search).await;
        }
    }
    assert!(ranked > 0);
    // No included term, as a caller may build it: every score is 0.
    let only_excluded = search(
        SearchQuery {
            include: vec![],
            exclude: vec![word("nothing", false)],
        },
        false,
    );
    assert_eq!(
        assert_agree_in(&pg, &mem, &only_excluded, TicketOrder::Relevance, 7).await,
        42
    );

    // Scores that differ among the results: no, one and two subject matches.
    let search = search(SearchQuery::parse("router modem").unwrap(), false);
    let found = pg
        .search_tickets(&search, &PageRequest::first(TicketOrder::Relevance, 200))
        .await
        .unwrap();
    let scores: Vec<u32> = found.items.iter().map(|t| search.score(t)).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!((0..=2).all(|s| scores.contains(&s)), "{scores:?}");

    // Cursors whose scores and positions no page gave: every score from 0 to past the
    // highest, at a ticket's own key and between keys (whole microseconds, as every cursor a
    // client hands back is).
    for t in found.items.iter().step_by(5) {
        for score in 0..5 {
            for (at, id) in [
                (t.updated_at, t.id),
                (
                    t.updated_at + chrono::Duration::microseconds(1),
                    helpdesk_core::domain::TicketId::new(),
                ),
                (
                    t.updated_at - chrono::Duration::microseconds(1),
                    helpdesk_core::domain::TicketId::new(),
                ),
            ] {
                let mut probe = t.clone();
                probe.updated_at = at;
                probe.id = id;
                let cursor = Cursor::after_scored(TicketOrder::Relevance, &probe, score);
                let page = PageRequest::first(TicketOrder::Relevance, 4)
                    .after(cursor)
                    .unwrap();
                let got = pg.search_tickets(&search, &page).await.unwrap();
                let want = mem.search_tickets(&search, &page).await.unwrap();
                assert_eq!(got, want, "after {cursor:?}");
            }
        }
    }
    testing::discard(pg).await.unwrap();
}

#[tokio::test]
async fn a_changed_subject_is_found_by_its_new_words_only() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let (t, write) = ticket_with(1, "Alpha router", &["body text"]);
    pg.commit(WriteBatch::one(write)).await.unwrap();
    let next = changed(&t, t0() + chrono::Duration::minutes(1), |n| {
        n.subject = Subject::parse("Beta router").unwrap();
    });
    pg.commit(WriteBatch::one(TicketWrite::update(
        t.version,
        next.clone(),
    )))
    .await
    .unwrap();
    let find = |q: &str| search(SearchQuery::parse(q).unwrap(), false);
    assert!(ids(&pg, &find("alpha")).await.unwrap().is_empty());
    assert_eq!(
        ids(&pg, &find("beta router")).await.unwrap(),
        [t.id.as_uuid()]
    );
    assert_eq!(ids(&pg, &find("body")).await.unwrap(), [t.id.as_uuid()]);
    // An update that keeps the subject keeps its row.
    let later = changed(&next, t0() + chrono::Duration::minutes(2), |_| {});
    pg.commit(WriteBatch::one(TicketWrite::update(next.version, later)))
        .await
        .unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM search_fields")
        .fetch_one(pg.pool())
        .await
        .unwrap();
    assert_eq!(rows, 2);
    assert_eq!(ids(&pg, &find("beta")).await.unwrap(), [t.id.as_uuid()]);
    testing::discard(pg).await.unwrap();
}

/// The search rows of a store, comparable.
async fn search_rows(
    pg: &PostgresStore,
) -> Vec<(Uuid, Option<Uuid>, bool, String, Vec<String>, String)> {
    sqlx::query_as(
        "SELECT ticket_id, message_id, internal, folded, words, lexemes::text \
         FROM search_fields ORDER BY ticket_id, message_id NULLS FIRST",
    )
    .fetch_all(pg.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn the_backfill_indexes_tickets_written_before_the_search_migration() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let texts = samples();
    // More tickets than one backfill batch, with public replies and internal notes.
    let writes: Vec<TicketWrite> = (0..1100)
        .map(|i| {
            let text = &texts[i % texts.len()];
            ticket_with(i as u64 + 1, &format!("Ticket {i}"), &[text, "note", text]).1
        })
        .collect();
    for chunk in writes.chunks(250) {
        pg.commit(WriteBatch::of(chunk.to_vec())).await.unwrap();
    }
    let written = search_rows(&pg).await;
    assert_eq!(written.len(), 1100 * 4);

    // As if the tickets were written before migration 0003.
    for sql in [
        "DELETE FROM search_fields",
        "INSERT INTO search_backfill DEFAULT VALUES",
    ] {
        sqlx::query(sql).execute(pg.pool()).await.unwrap();
    }
    let find = search(SearchQuery::parse("asistenta").unwrap(), false);
    assert!(ids(&pg, &find).await.unwrap().is_empty());

    // Two at once, as two processes starting together would.
    let (a, b) = tokio::join!(pg.migrate(), pg.migrate());
    a.unwrap();
    b.unwrap();
    assert_eq!(search_rows(&pg).await, written);
    assert_eq!(ids(&pg, &find).await.unwrap().len(), 1100 / texts.len() + 1);
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM search_backfill")
        .fetch_one(pg.pool())
        .await
        .unwrap();
    assert_eq!(pending, 0);
    testing::discard(pg).await.unwrap();
}
