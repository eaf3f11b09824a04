//! What only a database file shows: a store reopened has everything written before it was
//! closed, with the WAL checkpointed; readers and the writer work side by side; two stores
//! on one file (as two processes) lease each e-mail once; and a file written by a newer
//! version is refused.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Duration;
use common::{at, db_path};
use helpdesk_core::Error;
use helpdesk_core::domain::{
    Actor, CustomerId, Delivery, EmailKind, Language, OutboundEmail, OutboxId, Ticket, Visibility,
};
use helpdesk_core::store::{
    PageRequest, Store, TicketFilter, TicketOrder, TicketWrite, WriteBatch,
};
use helpdesk_core::testkit::samples::{
    department, email, full_agent, full_customer, full_message, full_ticket, full_time_entry,
    number, ticket,
};
use helpdesk_sqlite::{SqliteError, SqliteStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_database_survives_reopening() {
    let path = db_path();
    let d = department("Support");
    let ivan = full_agent("Ivan", "ivan@desk.test", &[d.id]);
    let acme = full_customer("Acme", "it@acme.example", "K-1");
    let t = full_ticket(number(1), d.id, acme.id, ivan.id);
    let m = full_message(&t, Actor::Agent(ivan.id), Visibility::Internal, "note");
    let e = full_time_entry(&t, ivan.id, 15, false, "call");
    {
        let store = SqliteStore::open(&path).await.unwrap();
        store.put_department(&d).await.unwrap();
        store.put_agent(&ivan).await.unwrap();
        store.put_customer(&acme).await.unwrap();
        assert_eq!(store.next_ticket_sequence().await.unwrap(), 1);
        store
            .commit(WriteBatch::one(
                TicketWrite::create(t.clone())
                    .with_message(m.clone())
                    .with_time_entry(e.clone()),
            ))
            .await
            .unwrap();
        // Readers see the writer's commits at once.
        assert_eq!(store.ticket(t.id).await.unwrap(), Some(t.clone()));
        store.close().await.unwrap();
    }
    let mut wal = path.clone().into_os_string();
    wal.push("-wal");
    assert!(!PathBuf::from(wal).exists(), "closing checkpoints the WAL");
    let store = SqliteStore::open(&path).await.unwrap();
    assert_eq!(store.departments().await.unwrap(), vec![d]);
    assert_eq!(store.agent(ivan.id).await.unwrap(), Some(ivan));
    assert_eq!(store.customer(acme.id).await.unwrap(), Some(acme));
    assert_eq!(store.ticket(t.id).await.unwrap(), Some(t.clone()));
    assert_eq!(store.messages(t.id, true).await.unwrap(), vec![m]);
    assert_eq!(store.time_entries(t.id).await.unwrap(), vec![e]);
    assert_eq!(store.next_ticket_sequence().await.unwrap(), 2);
    store.close().await.unwrap();

    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readers_and_the_writer_work_side_by_side() {
    let store = Arc::new(SqliteStore::open(db_path()).await.unwrap());
    let d = department("Support");
    let writers: Vec<_> = (0..4u64)
        .map(|w| {
            let store = store.clone();
            let d = d.clone();
            tokio::spawn(async move {
                for i in 0..25 {
                    let t = ticket(number(w * 100 + i + 1), d.id, CustomerId::new());
                    store
                        .commit(WriteBatch::one(TicketWrite::create(t)))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut last = 0;
                for _ in 0..25 {
                    let page = store
                        .list_tickets(
                            &TicketFilter::default(),
                            &PageRequest::first(TicketOrder::LastUpdate, 200),
                        )
                        .await
                        .unwrap();
                    assert!(page.items.len() >= last, "a reader went back in time");
                    last = page.items.len();
                }
            })
        })
        .collect();
    for task in writers.into_iter().chain(readers) {
        task.await.unwrap();
    }
    let all = store
        .list_tickets(
            &TicketFilter::default(),
            &PageRequest::first(TicketOrder::LastUpdate, 200),
        )
        .await
        .unwrap();
    assert_eq!(all.items.len(), 100);
}

fn outbound(t: &Ticket, message_id: &str, seconds: i64) -> OutboundEmail {
    OutboundEmail {
        id: OutboxId::new(),
        message_id: message_id.to_owned(),
        ticket_id: Some(t.id),
        ticket_number: Some(t.number.full().to_owned()),
        kind: EmailKind::AgentReply,
        language: Language::Romanian,
        to: email("ana@example.ro"),
        to_name: None,
        cc: Vec::new(),
        subject: "Tichet „Internet”".to_owned(),
        body: "Bună ziua,\r\n\r\n— echipa".to_owned(),
        references: Vec::new(),
        created_at: at(seconds),
        attempts: 0,
        delivery: Delivery::Pending { at: at(seconds) },
        last_error: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dispatchers_in_two_processes_lease_each_email_once() {
    let path = db_path();
    let first = SqliteStore::open(&path).await.unwrap();
    // A second store on the same file has its own writer connection, as another process
    // would: only SQLite's file lock keeps the two apart.
    let second = SqliteStore::open(&path).await.unwrap();
    let t = ticket(number(4), department("Support").id, CustomerId::new());
    let emails: Vec<_> = (0..40)
        .map(|i| outbound(&t, &format!("{i}@desk.example"), i))
        .collect();
    let mut batch = WriteBatch::one(TicketWrite::create(t.clone()));
    batch.outbox = emails.clone();
    first.commit(batch).await.unwrap();

    let now = at(1_000);
    let lease = now + Duration::minutes(5);
    let mut tasks = Vec::new();
    for store in [first.clone(), second.clone(), first.clone(), second.clone()] {
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = store.lease_outbox(now, lease, 2).await.unwrap();
                if got.is_empty() {
                    break mine;
                }
                assert!(got.iter().all(|e| e.attempts == 1));
                mine.extend(got.into_iter().map(|e| e.id));
            }
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all.sort();
    let mut expected: Vec<_> = emails.iter().map(|e| e.id).collect();
    expected.sort();
    assert_eq!(all, expected, "each e-mail taken by exactly one dispatcher");
}

#[tokio::test]
async fn a_database_from_a_newer_version_is_refused() {
    let path = db_path();
    drop(SqliteStore::open(&path).await.unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = SqliteStore::open(&path).await.unwrap_err();
    let Error::Backend { source } = err else {
        panic!("expected a backend error, got {err:?}");
    };
    assert!(matches!(
        source.downcast_ref::<SqliteError>(),
        Some(SqliteError::Migration(_))
    ));
}

#[tokio::test]
async fn a_database_in_a_missing_directory_names_the_path_and_the_os_error() {
    let path = db_path().with_extension("missing").join("helpdesk.db");
    let err = SqliteStore::open(&path).await.unwrap_err();
    let chain = helpdesk_core::error::Causes(&err).to_string();
    assert!(chain.contains(&path.display().to_string()), "{chain}");
    let os = std::fs::read_dir(path.parent().unwrap()).unwrap_err();
    assert!(chain.ends_with(&os.to_string()), "{chain}");
    assert!(chain.contains("os error"), "{chain}");
    let Error::Backend { source } = err else {
        panic!("expected a backend error");
    };
    assert!(matches!(
        source.downcast_ref::<SqliteError>(),
        Some(SqliteError::Open {
            source: helpdesk_sqlite::OpenFailure::Directory(..),
            ..
        })
    ));
}
