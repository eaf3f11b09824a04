//! Search on the SQLite store: the index follows every write (new tickets, new messages,
//! changed subjects), tickets from before the index are indexed on open, and no typed query
//! reaches SQLite as a backend error. Results are compared with the memory store's.

use std::path::PathBuf;

use helpdesk_core::domain::{
    CustomerId, DepartmentId, Priority, Subject, Ticket, Version, Visibility,
};
use helpdesk_core::error::Error;
use helpdesk_core::search::{SearchQuery, TicketSearch};
use helpdesk_core::store::{
    MemoryStore, PageRequest, Store, TicketFilter, TicketOrder, TicketWrite, WriteBatch,
};
use helpdesk_core::testkit::samples::{self, at, message, number};
use helpdesk_sqlite::SqliteStore;

/// A ticket numbered `n` with `subject`, made `n` seconds after [`samples::t0`].
fn ticket(n: u64, subject: &str) -> Ticket {
    Ticket {
        subject: Subject::parse(subject).unwrap(),
        created_at: at(n as i64),
        updated_at: at(n as i64),
        ..samples::ticket(number(n), DepartmentId::new(), CustomerId::new())
    }
}

fn db_path() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("helpdesk-sqlite");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{}.db", uuid::Uuid::now_v7().simple()))
}

async fn commit(stores: &[&dyn Store], writes: Vec<TicketWrite>) {
    for store in stores {
        store.commit(WriteBatch::of(writes.clone())).await.unwrap();
    }
}

/// Every result of `q` on `store`, in "last update" order, by full number.
async fn search(store: &dyn Store, q: &str, include_internal: bool) -> Result<Vec<String>, Error> {
    let search = TicketSearch {
        query: SearchQuery::parse(q)?,
        filter: TicketFilter::default(),
        include_internal,
    };
    let page = store
        .search_tickets(&search, &PageRequest::first(TicketOrder::LastUpdate, 500))
        .await?;
    Ok(page
        .items
        .iter()
        .map(|t| t.number.full().to_owned())
        .collect())
}

/// Every page of the results of `q` on `store` in `order`, `limit` at a time: the full
/// numbers of each page and its cursor.
async fn pages(
    store: &dyn Store,
    q: &str,
    include_internal: bool,
    order: TicketOrder,
    limit: u32,
) -> Vec<(Vec<String>, Option<String>)> {
    let search = TicketSearch {
        query: SearchQuery::parse(q).unwrap(),
        filter: TicketFilter::default(),
        include_internal,
    };
    let mut page = PageRequest::first(order, limit);
    let mut out = Vec::new();
    loop {
        let got = store.search_tickets(&search, &page).await.unwrap();
        out.push((
            got.items
                .iter()
                .map(|t| t.number.full().to_owned())
                .collect(),
            got.next.map(|c| c.encode()),
        ));
        match got.next {
            Some(cursor) => page = page.after(cursor).unwrap(),
            None => return out,
        }
        assert!(out.len() < 1_000, "pagination does not end");
    }
}

const ORDERS: [TicketOrder; 4] = [
    TicketOrder::LastUpdate,
    TicketOrder::Priority,
    TicketOrder::Waiting,
    TicketOrder::Relevance,
];

/// Both stores give the same results for `q`, with and without internal notes, in every
/// order and page by page (cursors included).
async fn agree(sqlite: &dyn Store, memory: &dyn Store, q: &str) -> Vec<String> {
    let mut internal = Vec::new();
    for include_internal in [false, true] {
        let got = search(sqlite, q, include_internal).await.unwrap();
        let want = search(memory, q, include_internal).await.unwrap();
        assert_eq!(got, want, "{q:?} internal={include_internal}");
        internal = got;
        for order in ORDERS {
            for limit in [1, 500] {
                let got = pages(sqlite, q, include_internal, order, limit).await;
                let want = pages(memory, q, include_internal, order, limit).await;
                assert_eq!(
                    got, want,
                    "{q:?} internal={include_internal} {order:?} limit {limit}"
                );
            }
        }
    }
    internal
}

/// Four-language tickets, with public messages and internal notes.
fn seed() -> Vec<TicketWrite> {
    let texts = [
        (
            "Asistență tehnică",
            "Routerul nu funcționează.",
            "parola 50% _x_ ok",
        ),
        (
            "Интернет не работает",
            "Ёлка погасла, связь пропала.",
            "ул. Кольцевая, д. 14",
        ),
        (
            "كامپيوتر روشن نمی‌شود",
            "شماره ۰۹۱۲۳۴۵۶۷۸۹ است",
            "یادداشت داخلی",
        ),
        (
            "Printer broken",
            "The printer shows error E-42.",
            "zebracode c:\\temp",
        ),
    ];
    texts
        .iter()
        .enumerate()
        .map(|(i, (subject, public, note))| {
            let t = ticket(i as u64 + 1, subject);
            let public = message(&t, public, Visibility::Public);
            let note = message(&t, note, Visibility::Internal);
            TicketWrite::create(t)
                .with_message(public)
                .with_message(note)
        })
        .collect()
}

const QUERIES: &[&str] = &[
    "asistenta",
    "ASISTENŢĂ tehnica",
    "функционирует",
    "елка",
    "\"связь пропала\"",
    "\"пропала связь\"",
    "кольц*",
    "%Кольц%14",
    "%50\\%%",
    "%_x_%",
    "%c:\\temp%",
    "کامپیوتر",
    "نمیشود",
    "09123456789",
    "٠٩١٢٣٤٥٦٧٨٩",
    "یادداشت",
    "printer -broken",
    "print* -\"error e 42\"",
    "e-42",
    "zebracode",
    "zebra*",
    "%%e%%4%",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_agree_with_the_memory_store_as_tickets_change() {
    let sqlite = SqliteStore::open(db_path()).await.unwrap();
    let memory = MemoryStore::new();
    let stores: [&dyn Store; 2] = [&sqlite, &memory];
    let writes = seed();
    commit(&stores, writes.clone()).await;
    for q in QUERIES {
        agree(&sqlite, &memory, q).await;
    }
    assert_eq!(agree(&sqlite, &memory, "zebracode").await.len(), 1);
    assert!(
        search(&sqlite, "zebracode", false)
            .await
            .unwrap()
            .is_empty()
    );

    // A new subject replaces the old one in the index; a new message is found.
    let mut t = writes[3].ticket.clone();
    t.subject = Subject::parse("Scanner jammed").unwrap();
    t.updated_at = at(100);
    t.version = t.version.next();
    let reply = message(&t, "Înlocuim cartușul.", Visibility::Public);
    commit(
        &stores,
        vec![TicketWrite::update(Version::FIRST, t).with_message(reply)],
    )
    .await;
    for q in QUERIES
        .iter()
        .chain(&["scanner", "broken", "cartusul", "%cartus%"])
    {
        agree(&sqlite, &memory, q).await;
    }
    assert!(search(&sqlite, "broken", true).await.unwrap().is_empty());
    assert_eq!(search(&sqlite, "scanner", false).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_without_index_rows_are_indexed_on_open() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let memory = MemoryStore::new();
    commit(&[&store, &memory], seed()).await;
    store.close().await.unwrap();

    // As a database from before migration 0003 would be: tickets, no index rows.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("DELETE FROM search_fields", []).unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).await.unwrap();
    for q in QUERIES {
        agree(&store, &memory, q).await;
    }
    let rows = |path: &PathBuf| {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("SELECT count(*) FROM search_fields", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap()
    };
    assert_eq!(rows(&path), 12);
    store.close().await.unwrap();
    // Opening again indexes nothing twice.
    SqliteStore::open(&path)
        .await
        .unwrap()
        .close()
        .await
        .unwrap();
    assert_eq!(rows(&path), 12);
}

#[tokio::test]
async fn hostile_queries_never_give_a_backend_error() {
    let sqlite = SqliteStore::open_in_memory().await.unwrap();
    let memory = MemoryStore::new();
    commit(&[&sqlite, &memory], seed()).await;
    let mut hostile: Vec<String> = [
        "\"",
        "*",
        "**",
        "NEAR(",
        "near(a b)",
        "NEAR(a b, 2)",
        ":*",
        "'",
        "''",
        "\\",
        "&|!",
        "\"unbalanced",
        "-",
        "--",
        "a*b*c",
        "%",
        "%%",
        "%%%",
        "'; DROP TABLE tickets; --",
        "a OR b",
        "a AND b",
        "NOT a",
        "a NOT b",
        "^x",
        "{words}: x",
        "words:x",
        "words : x",
        "x\u{0}y",
        "%x\u{0}y%",
        "ROUTER* AND",
        "(((",
        ")))",
        "a\"b",
        "-\"",
        "*x",
        "_%_",
        "%\\%",
        "%\\",
        "%[a]%",
        "%'%",
        "\"a\" + \"b\"",
        "a + b",
        "col:a",
        "rowid",
        "rank:*",
        "search_index",
        "\u{feff}x",
        "x\u{202e}y",
        "😀*",
        "ǅ*",
        "İ",
        "ß*",
        "℮",
        "x".repeat(200).as_str(),
        "%\u{0301}%",
        "\"\u{0301}\"",
        "a\u{0640}b",
        "۰*",
        "MATCH",
        "ESCAPE",
        "?1",
        ":name",
        "$x",
        "@x",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    // Every printable ASCII character, alone, doubled, and around a word.
    for c in (0x20u8..0x7f).map(char::from) {
        hostile.extend([
            c.to_string(),
            format!("{c}{c}"),
            format!("{c}x{c}"),
            format!("x{c}y*"),
        ]);
    }
    for q in &hostile {
        for include_internal in [false, true] {
            match (
                search(&sqlite, q, include_internal).await,
                search(&memory, q, include_internal).await,
            ) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{q:?}"),
                (Err(Error::Validation(a)), Err(Error::Validation(b))) => assert_eq!(a, b),
                (got, want) => panic!("{q:?}: {got:?} but the reference gave {want:?}"),
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relevance_ranks_and_pages_like_the_memory_store() {
    let sqlite = SqliteStore::open(db_path()).await.unwrap();
    let memory = MemoryStore::new();
    let subjects = [
        "Router reset loop",
        "Modem and router dead",
        "Роутер не работает",
        "Routerul și modemul",
        "Slow line",
        "router modem router",
        "Network printer",
        "Reset the modem, then the router",
        "Кольцевая 14: роутер",
        "ROUTER",
    ];
    let bodies = [
        "The router resets every night.",
        "modem lights off",
        "роутер и модем, ул. Кольцевая, д. 14",
        "nothing to see",
        "router modem network",
    ];
    let mut writes = Vec::new();
    for n in 0..40u64 {
        let mut t = ticket(n + 1, subjects[n as usize % subjects.len()]);
        // Groups of tickets changed at the same instant: ties broken by id.
        t.updated_at = at((n / 3) as i64);
        t.priority = [Priority::Low, Priority::Normal, Priority::High][n as usize % 3];
        if n % 4 == 0 {
            t.waiting_since = Some(at(1_000 - n as i64));
        }
        let visibility = if n % 3 == 0 {
            Visibility::Internal
        } else {
            Visibility::Public
        };
        let body = message(&t, bodies[n as usize % bodies.len()], visibility);
        writes.push(TicketWrite::create(t).with_message(body));
    }
    commit(&[&sqlite, &memory], writes).await;
    let mut ranked = 0;
    for q in [
        "router",
        "router modem",
        "rout* mod*",
        "router -modem",
        "\"router reset\" modem",
        "%rout% %mod% reset",
        "%реш% роутер",
        "роутер кольцевая 14",
        "router router",
        "%kol% %14%",
        "network printer router",
    ] {
        for include_internal in [false, true] {
            for order in ORDERS {
                for limit in [1, 2, 3, 7, 500] {
                    let got = pages(&sqlite, q, include_internal, order, limit).await;
                    let want = pages(&memory, q, include_internal, order, limit).await;
                    assert_eq!(
                        got, want,
                        "{q:?} internal={include_internal} {order:?} limit {limit}"
                    );
                    if order == TicketOrder::Relevance && got.len() > 2 {
                        ranked += 1;
                    }
                }
            }
        }
    }
    assert!(
        ranked > 20,
        "the data does not exercise the relevance order"
    );
}
