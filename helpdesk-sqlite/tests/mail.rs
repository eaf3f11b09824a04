//! What the SQLite store keeps beside tickets (migration 0007): notifications, the outbox and
//! mail references as stored rows, dispatchers in two processes, attachments with their
//! display names, and the in-database blob store.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use helpdesk_core::domain::{
    Attachment, CustomerId, Delivery, EmailKind, EventId, Language, MailReference, Notification,
    NotificationId, NotificationKind, NotificationState, OutboundEmail, OutboxId, Recipient,
    SlaTarget, Ticket, Visibility,
};
use helpdesk_core::store::{BlobKey, BlobStore, Store, TicketWrite, WriteBatch};
use helpdesk_core::testkit::blobs::blob_store_conformance;
use helpdesk_core::testkit::samples::{self, department, email, message, number, ticket};
use helpdesk_sqlite::SqliteStore;
use uuid::Uuid;

/// A fresh database file path under Cargo's temporary directory for tests.
fn db_path() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("helpdesk-sqlite");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{}.db", Uuid::now_v7().simple()))
}

/// [`samples::at`] with a microsecond part, so that round trips keep sub-second precision.
fn at(seconds: i64) -> DateTime<Utc> {
    samples::at(seconds) + Duration::microseconds(123)
}

fn new_ticket(sequence: u64) -> Ticket {
    ticket(
        number(sequence),
        department("Support").id,
        CustomerId::new(),
    )
}

fn outbound(t: Option<&Ticket>, message_id: &str, kind: EmailKind, seconds: i64) -> OutboundEmail {
    OutboundEmail {
        id: OutboxId::new(),
        message_id: message_id.to_owned(),
        ticket_id: t.map(|t| t.id),
        kind,
        language: Language::Romanian,
        to: email("ana@example.ro"),
        to_name: None,
        subject: "Tichet „Internet”".to_owned(),
        body: "Bună ziua,\r\n\r\n— echipa".to_owned(),
        references: Vec::new(),
        created_at: at(seconds),
        attempts: 0,
        delivery: Delivery::Pending { at: at(seconds) },
        last_error: None,
    }
}

// Blobs ------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn blobs_in_memory_keep_the_blob_store_contract() {
    let store = SqliteStore::open_in_memory().await.unwrap();
    blob_store_conformance(Arc::new(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn blobs_in_a_file_keep_the_blob_store_contract_and_survive_reopening() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    blob_store_conformance(Arc::new(store.clone())).await;
    let bytes = b"kept across a restart".to_vec();
    let key = BlobKey::of(&bytes);
    store.put_blob(&key, &bytes, samples::t0()).await.unwrap();
    store.close().await.unwrap();

    let store = SqliteStore::open(&path).await.unwrap();
    assert_eq!(store.blob(&key).await.unwrap(), Some(bytes));
    let stored: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT sha256 FROM blobs WHERE sha256 = ?1",
            [key.as_str()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, key.as_str(), "blobs are keyed by their hex sha256");
}

// Attachments ------------------------------------------------------------------------------

#[tokio::test]
async fn attachments_keep_their_display_name_and_old_rows_show_the_file_name() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let t = new_ticket(1);
    let mut m = message(&t, "see the files", Visibility::Public);
    let sha = "ab".repeat(32);
    m.attachments = vec![
        Attachment::from_upload("../договор 2026.pdf", "application/pdf", 10, &sha).unwrap(),
        Attachment::new("plain.txt", "text/plain", 3, &sha).unwrap(),
    ];
    assert_ne!(
        m.attachments[0].display_name(),
        m.attachments[0].file_name()
    );
    store
        .commit(WriteBatch::one(
            TicketWrite::create(t.clone()).with_message(m.clone()),
        ))
        .await
        .unwrap();
    assert_eq!(store.messages(t.id, true).await.unwrap(), vec![m.clone()]);

    // A row written before `display_name` existed: the file name is shown.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE messages
         SET attachments = json_array(json_remove(attachments -> 0, '$.display_name'))",
        [],
    )
    .unwrap();
    let old = store.messages(t.id, true).await.unwrap();
    assert_eq!(old[0].attachments.len(), 1);
    let a = &old[0].attachments[0];
    assert_eq!(a.file_name(), m.attachments[0].file_name());
    assert_eq!(a.display_name(), a.file_name());
}

// Notifications ----------------------------------------------------------------------------

#[tokio::test]
async fn every_notification_kind_and_state_reads_back_equal_and_readable() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let t = new_ticket(2);
    let recipient = Recipient::Customer(CustomerId::new());
    let mut kinds = vec![
        NotificationKind::NewTicket,
        NotificationKind::Assigned,
        NotificationKind::CustomerReplied,
        NotificationKind::AgentReplied,
        NotificationKind::NoteAdded,
        NotificationKind::Resolved,
        NotificationKind::AutoCloseWarning {
            closes_at: at(86_400),
        },
    ];
    for target in SlaTarget::ALL {
        kinds.push(NotificationKind::SlaWarning { target });
        kinds.push(NotificationKind::SlaBreached { target });
    }
    let states = [
        NotificationState::default(),
        NotificationState {
            read_at: Some(at(5)),
            snoozed_until: Some(at(50)),
            dismissed_at: Some(at(60)),
        },
    ];
    let notifications: Vec<Notification> = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| Notification {
            id: NotificationId::new(),
            recipient,
            ticket_id: t.id,
            event_id: EventId::new(),
            kind: *kind,
            created_at: at(i as i64),
            state: states[i % 2],
        })
        .collect();
    let mut batch = WriteBatch::one(TicketWrite::create(t.clone()));
    batch.notifications = notifications.clone();
    store.commit(batch).await.unwrap();

    for n in &notifications {
        assert_eq!(
            store.notification(recipient, n.id).await.unwrap().as_ref(),
            Some(n)
        );
    }
    // Shown at 100 s: those not dismissed, newest first.
    let shown: Vec<_> = notifications
        .iter()
        .rev()
        .filter(|n| n.is_active(at(100)))
        .cloned()
        .collect();
    assert_eq!(
        store.notifications(recipient, at(100), 100).await.unwrap(),
        shown
    );

    let conn = rusqlite::Connection::open(&path).unwrap();
    let (kind, data): (String, String) = conn
        .query_row(
            "SELECT kind, kind_data FROM notifications WHERE kind = 'sla_breached' LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(kind, "sla_breached");
    assert!(data.contains("\"target\""), "{data}");
}

// The outbox -------------------------------------------------------------------------------

#[tokio::test]
async fn outbox_emails_of_every_kind_and_state_read_back_equal() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let t = new_ticket(3);
    let mut emails = Vec::new();
    for (i, kind) in EmailKind::ALL.into_iter().enumerate() {
        let mut e = outbound(Some(&t), &format!("{i}.x@desk.example"), kind, i as i64);
        match i % 3 {
            0 => {}
            1 => {
                e.delivery = Delivery::Sent { at: at(100) };
                e.attempts = 3;
                e.to_name = Some("Ana Ionescu".to_owned());
                e.references = vec!["a@b".to_owned(), "c@d".to_owned()];
            }
            _ => {
                e.delivery = Delivery::Failed { at: at(200) };
                e.attempts = u32::MAX;
                e.last_error = Some("550 5.1.1 no such user".to_owned());
            }
        }
        emails.push(e);
    }
    // An e-mail about no ticket.
    let loose = outbound(None, "loose@desk.example", EmailKind::Closed, 1);
    let mut batch = WriteBatch::one(TicketWrite::create(t.clone()));
    batch.outbox = emails.iter().cloned().chain([loose.clone()]).collect();
    store.commit(batch).await.unwrap();

    for e in emails.iter().chain([&loose]) {
        assert_eq!(store.outbox_email(e.id).await.unwrap().as_ref(), Some(e));
    }
    assert_eq!(store.ticket_emails(t.id).await.unwrap(), emails);

    let conn = rusqlite::Connection::open(&path).unwrap();
    let stored: Vec<(String, String)> = conn
        .prepare("SELECT kind, delivery FROM outbox ORDER BY created_at, id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        stored[0],
        ("ticket_received".to_owned(), "pending".to_owned())
    );
    assert_eq!(stored[1].1, "sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dispatchers_in_two_processes_lease_each_email_once() {
    let path = db_path();
    let first = SqliteStore::open(&path).await.unwrap();
    // A second store on the same file has its own writer connection, as another process
    // would: only SQLite's file lock keeps the two apart.
    let second = SqliteStore::open(&path).await.unwrap();
    let t = new_ticket(4);
    let emails: Vec<_> = (0..40)
        .map(|i| {
            outbound(
                Some(&t),
                &format!("{i}@desk.example"),
                EmailKind::AgentReply,
                i,
            )
        })
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

// Mail references --------------------------------------------------------------------------

#[tokio::test]
async fn mail_references_keep_their_order_across_batches() {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().await.unwrap());
    let t = new_ticket(5);
    let reference = |id: &str, inbound| MailReference {
        message_id: id.to_owned(),
        ticket_id: t.id,
        inbound,
    };
    // Written in an order that is neither alphabetical nor by insertion time of the ticket.
    let first = vec![reference("z@x", true), reference("a@x", false)];
    let mut batch = WriteBatch::one(TicketWrite::create(t.clone()));
    batch.mail_references = first.clone();
    store.commit(batch).await.unwrap();
    let mut next = t.clone();
    next.version = t.version.next();
    let mut batch = WriteBatch::one(TicketWrite::update(t.version, next));
    batch.mail_references = vec![reference("m@x", true)];
    store.commit(batch).await.unwrap();
    assert_eq!(
        store.mail_references(t.id).await.unwrap(),
        [first, vec![reference("m@x", true)]].concat()
    );
    assert_eq!(
        store.mail_reference("Z@x").await.unwrap(),
        None,
        "Message-IDs compare exactly"
    );
}
