//! Rows as SQLite stores them: the stable texts of stored enums, notification kinds with
//! their data, attachments written before display names existed, and tickets written
//! before the search index, which are indexed when the store opens.

mod common;

use common::{at, db_path};
use helpdesk_core::domain::{
    Attachment, CustomerId, Delivery, EmailKind, EventId, Language, Notification, NotificationId,
    NotificationKind, NotificationState, OutboundEmail, OutboxId, Recipient, SlaTarget, Subject,
    Ticket, Visibility,
};
use helpdesk_core::search::{SearchQuery, TicketSearch};
use helpdesk_core::store::{
    MemoryStore, PageRequest, Store, TicketFilter, TicketOrder, TicketWrite, WriteBatch,
};
use helpdesk_core::testkit::samples::{department, email, message, number, ticket};
use helpdesk_sqlite::SqliteStore;

fn new_ticket(sequence: u64) -> Ticket {
    ticket(
        number(sequence),
        department("Support").id,
        CustomerId::new(),
    )
}

#[tokio::test]
async fn attachments_written_before_display_names_show_their_file_name() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let t = new_ticket(1);
    let mut m = message(&t, "see the files", Visibility::Public);
    let sha = "ab".repeat(32);
    m.attachments = vec![
        Attachment::from_upload("../договор 2026.pdf", "application/pdf", 10, &sha).unwrap(),
        Attachment::new("plain.txt", "text/plain", 3, &sha).unwrap(),
    ];
    store
        .commit(WriteBatch::one(
            TicketWrite::create(t.clone()).with_message(m.clone()),
        ))
        .await
        .unwrap();
    common::damage(
        &path,
        "UPDATE messages
         SET attachments = json_array(json_remove(attachments -> 0, '$.display_name'))",
    );
    let old = store.messages(t.id, true).await.unwrap();
    assert_eq!(old[0].attachments.len(), 1);
    let a = &old[0].attachments[0];
    assert_eq!(a.file_name(), m.attachments[0].file_name());
    assert_eq!(a.display_name(), a.file_name());
}

#[tokio::test]
async fn notification_kinds_and_outbox_states_are_stored_as_their_stable_texts() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let t = new_ticket(2);
    let notification = Notification {
        id: NotificationId::new(),
        recipient: Recipient::Customer(CustomerId::new()),
        ticket_id: t.id,
        event_id: EventId::new(),
        kind: NotificationKind::SlaBreached {
            target: SlaTarget::NextResponse,
        },
        created_at: at(1),
        state: NotificationState::default(),
    };
    let sent = OutboundEmail {
        id: OutboxId::new(),
        message_id: "1.x@desk.example".to_owned(),
        ticket_id: Some(t.id),
        ticket_number: Some(t.number.full().to_owned()),
        kind: EmailKind::TicketReceived,
        language: Language::Romanian,
        to: email("ana@example.ro"),
        to_name: None,
        cc: Vec::new(),
        subject: "Tichet".to_owned(),
        body: "Bună ziua".to_owned(),
        references: Vec::new(),
        created_at: at(1),
        attempts: 1,
        delivery: Delivery::Sent { at: at(2) },
        last_error: None,
    };
    let mut batch = WriteBatch::one(TicketWrite::create(t));
    batch.notifications = vec![notification.clone()];
    batch.outbox = vec![sent.clone()];
    store.commit(batch).await.unwrap();
    store.close().await.unwrap();

    let conn = rusqlite::Connection::open(&path).unwrap();
    let (kind, data): (String, String) = conn
        .query_row("SELECT kind, kind_data FROM notifications", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(kind, notification.kind.as_str());
    assert!(data.contains("\"target\""), "{data}");
    let (kind, delivery, language): (String, String, String) = conn
        .query_row("SELECT kind, delivery, language FROM outbox", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(
        (kind.as_str(), delivery.as_str(), language.as_str()),
        (sent.kind.as_str(), "sent", sent.language.as_str())
    );
}

/// Every result of `q`, with and without internal notes, in "last update" order.
async fn found(store: &dyn Store, q: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for include_internal in [false, true] {
        let search = TicketSearch {
            query: SearchQuery::parse(q).unwrap(),
            filter: TicketFilter::default(),
            include_internal,
        };
        let page = PageRequest::first(TicketOrder::LastUpdate, 500);
        let got = store.search_tickets(&search, &page).await.unwrap();
        out.push(
            got.items
                .iter()
                .map(|t| t.number.full().to_owned())
                .collect(),
        );
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_without_index_rows_are_indexed_on_open() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let memory = MemoryStore::new();
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
    let writes: Vec<TicketWrite> = texts
        .iter()
        .enumerate()
        .map(|(i, (subject, public, note))| {
            let t = Ticket {
                subject: Subject::parse(*subject).unwrap(),
                ..new_ticket(i as u64 + 1)
            };
            TicketWrite::create(t.clone())
                .with_message(message(&t, public, Visibility::Public))
                .with_message(message(&t, note, Visibility::Internal))
        })
        .collect();
    for s in [&store as &dyn Store, &memory] {
        s.commit(WriteBatch::of(writes.clone())).await.unwrap();
    }
    store.close().await.unwrap();

    // As a database from before migration 0003 would be: tickets, no index rows.
    common::damage(&path, "DELETE FROM search_fields");
    let store = SqliteStore::open(&path).await.unwrap();
    for q in [
        "asistenta",
        "елка",
        "\"связь пропала\"",
        "%Кольц%14",
        "%_x_%",
        "کامپیوتر",
        "09123456789",
        "zebracode",
        "printer",
    ] {
        let got = found(&store, q).await;
        assert_eq!(got, found(&memory, q).await, "{q:?}");
        assert!(!got[1].is_empty(), "{q:?} finds something");
    }
    let rows = || {
        rusqlite::Connection::open(&path)
            .unwrap()
            .query_row("SELECT count(*) FROM search_fields", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap()
    };
    assert_eq!(rows(), 12);
    store.close().await.unwrap();
    // Opening again indexes nothing twice.
    SqliteStore::open(&path)
        .await
        .unwrap()
        .close()
        .await
        .unwrap();
    assert_eq!(rows(), 12);
}
