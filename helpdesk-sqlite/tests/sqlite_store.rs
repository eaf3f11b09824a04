//! The SQLite store against hand-built domain values, and against the in-memory reference
//! store on the same data.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use helpdesk_core::domain::{
    Actor, Agent, AgentId, Category, Change, Channel, ContractNumber, CustomFields, Customer,
    CustomerId, CustomerKind, Department, DepartmentId, Message, Permission, Priority, Resolution,
    Role, Signature, SlaClock, SlaTarget, Status, Subject, Ticket, TicketId, TicketNumber,
    TicketType, Timers, Version, Visibility,
};
use helpdesk_core::error::{ConflictKind, CorruptValue, Entity, Error, ValidationError};
use helpdesk_core::policy::FollowUpPolicy;
use helpdesk_core::store::{
    AssigneeFilter, MemoryStore, PageRequest, Store, TicketFilter, TicketOrder, TicketWrite,
    TimeRange, WriteBatch,
};
use helpdesk_core::testkit::samples::{
    self, agent, customer, department, email, every_field_value, full_agent, full_customer,
    full_event, full_message, full_ticket, full_time_entry, full_timers, name, number, ticket,
};
use helpdesk_sqlite::{SqliteError, SqliteStore};
use uuid::Uuid;

// Building values ------------------------------------------------------------------------

/// [`samples::at`] with a microsecond part, so that round trips keep sub-second precision.
fn at(seconds: i64) -> DateTime<Utc> {
    samples::at(seconds) + Duration::microseconds(123)
}

async fn memory() -> Arc<dyn Store> {
    Arc::new(MemoryStore::new())
}

async fn sqlite() -> Arc<dyn Store> {
    Arc::new(SqliteStore::open_in_memory().await.unwrap())
}

/// A fresh database file path under Cargo's temporary directory for tests.
fn db_path() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("helpdesk-sqlite");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{}.db", Uuid::now_v7().simple()))
}

fn conflict_kind(e: Error) -> ConflictKind {
    match e {
        Error::Conflict { kind, .. } => kind,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn duplicate(field: &'static str) -> ConflictKind {
    ConflictKind::Duplicate {
        field: field.into(),
    }
}

// Round trips ------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_record_reads_back_equal() {
    let store = sqlite().await;
    let support = department("Support");
    let billing = Department {
        follow_up: FollowUpPolicy::Reject,
        active: false,
        ..department("Billing")
    };
    store.put_department(&support).await.unwrap();
    store.put_department(&billing).await.unwrap();
    let ivan = full_agent("Иван", "ivan@desk.test", &[support.id, billing.id]);
    let admin = Agent {
        role: Role::Admin,
        signature: Signature::parse("").unwrap(),
        departments: BTreeMap::new(),
        active: false,
        ..agent("Admin", "admin@desk.test", &[])
    };
    store.put_agent(&ivan).await.unwrap();
    store.put_agent(&admin).await.unwrap();
    let acme = full_customer("ООО Акме", "it@acme.example", "K-1");
    let bare = Customer {
        kind: CustomerKind::Individual,
        phone: None,
        address: None,
        language: None,
        custom_fields: CustomFields::new(),
        access_enabled: true,
        ..customer("رضا", None)
    };
    store.put_customer(&acme).await.unwrap();
    store.put_customer(&bare).await.unwrap();

    assert_eq!(
        store.department(support.id).await.unwrap(),
        Some(support.clone())
    );
    assert_eq!(store.department(DepartmentId::new()).await.unwrap(), None);
    assert_eq!(
        store.departments().await.unwrap(),
        vec![billing.clone(), support.clone()]
    );
    assert_eq!(store.agent(ivan.id).await.unwrap(), Some(ivan.clone()));
    assert_eq!(
        store.agents().await.unwrap(),
        vec![admin.clone(), ivan.clone()]
    );
    assert_eq!(store.customer(acme.id).await.unwrap(), Some(acme.clone()));
    assert_eq!(store.customer(bare.id).await.unwrap(), Some(bare.clone()));
    assert_eq!(
        store
            .customer_by_email(&email("IT@acme.example"))
            .await
            .unwrap(),
        Some(acme.clone())
    );
    assert_eq!(
        store
            .customer_by_email(&email("nobody@acme.example"))
            .await
            .unwrap(),
        None
    );

    // Upserts replace, also an agent's departments.
    let ivan2 = Agent {
        departments: [(billing.id, [Permission::Read].into_iter().collect())]
            .into_iter()
            .collect(),
        name: name("Иван Петров"),
        ..ivan.clone()
    };
    store.put_agent(&ivan2).await.unwrap();
    assert_eq!(store.agent(ivan.id).await.unwrap(), Some(ivan2));
    let support2 = Department {
        name: name("Техподдержка"),
        ..support.clone()
    };
    store.put_department(&support2).await.unwrap();
    assert_eq!(store.department(support.id).await.unwrap(), Some(support2));

    // Tickets, threads, histories and time entries.
    let plain = ticket(number(1), support.id, CustomerId::new());
    let full = full_ticket(number(2), billing.id, acme.id, ivan.id);
    let public = full_message(
        &full,
        Actor::Customer(acme.id),
        Visibility::Public,
        "Hello\n\tthere",
    );
    let note = full_message(&full, Actor::Agent(ivan.id), Visibility::Internal, "secret");
    let system = Message {
        attachments: vec![],
        ..full_message(&full, Actor::System, Visibility::Public, "Automatic reply")
    };
    let events = vec![
        full_event(
            &full,
            Actor::Agent(ivan.id),
            Change::Created {
                subject: full.subject.clone(),
                department: billing.id,
                status: Status::New,
                priority: Priority::Urgent,
                ticket_type: full.ticket_type.clone(),
                channel: Channel::Phone,
                internal: true,
                follow_up_of: full.follow_up_of,
            },
        ),
        full_event(
            &full,
            Actor::System,
            Change::StatusChanged {
                from: Status::Resolved,
                to: Status::Closed(Resolution::AutoClosed),
            },
        ),
        full_event(
            &full,
            Actor::Customer(acme.id),
            Change::CustomFieldsChanged {
                from: CustomFields::new(),
                to: every_field_value(),
            },
        ),
        full_event(
            &full,
            Actor::Agent(ivan.id),
            Change::CategoriesChanged {
                from: vec![],
                to: full.categories.iter().cloned().collect(),
            },
        ),
    ];
    let entries = vec![
        full_time_entry(&full, ivan.id, 90, true, "настройка VPN"),
        full_time_entry(&full, ivan.id, 1_440, true, ""),
        full_time_entry(&full, ivan.id, 1, false, "call"),
    ];
    let mut write = TicketWrite::create(full.clone())
        .with_message(public.clone())
        .with_message(note.clone())
        .with_message(system.clone());
    write.events = events.clone();
    write.time_entries = entries.clone();
    store
        .commit(WriteBatch::of(vec![
            TicketWrite::create(plain.clone()),
            write,
        ]))
        .await
        .unwrap();

    assert_eq!(store.ticket(plain.id).await.unwrap(), Some(plain.clone()));
    assert_eq!(store.ticket(full.id).await.unwrap(), Some(full.clone()));
    assert_eq!(store.ticket(TicketId::new()).await.unwrap(), None);
    assert_eq!(
        store.ticket_by_number(full.number.full()).await.unwrap(),
        Some(full.clone())
    );
    assert_eq!(
        store.ticket_by_number(full.number.short()).await.unwrap(),
        Some(full.clone())
    );
    assert_eq!(store.ticket_by_number("99").await.unwrap(), None);
    assert_eq!(
        store.messages(full.id, true).await.unwrap(),
        vec![public.clone(), note.clone(), system.clone()]
    );
    assert_eq!(
        store.messages(full.id, false).await.unwrap(),
        vec![public.clone(), system.clone()]
    );
    assert_eq!(store.history(full.id).await.unwrap(), events);
    assert_eq!(store.time_entries(full.id).await.unwrap(), entries);
    assert!(store.messages(plain.id, true).await.unwrap().is_empty());
    assert!(store.history(TicketId::new()).await.unwrap().is_empty());

    // An update appends to the thread in order and replaces the categories.
    let timers = Timers {
        sla_policy: None,
        pending_until: None,
        ..full_timers(at(0))
    };
    let updated = Ticket {
        categories: [
            Category::parse("VPN").unwrap(),
            Category::parse("Wi-Fi").unwrap(),
        ]
        .into_iter()
        .collect(),
        version: full.version.next(),
        updated_at: at(30),
        service: None,
        waiting_since: None,
        next_due_at: timers.next_due_at(),
        timers,
        ..full.clone()
    };
    let later = full_message(&full, Actor::Agent(ivan.id), Visibility::Public, "later");
    store
        .commit(WriteBatch::one(
            TicketWrite::update(full.version, updated.clone()).with_message(later.clone()),
        ))
        .await
        .unwrap();
    assert_eq!(store.ticket(full.id).await.unwrap(), Some(updated));
    assert_eq!(
        store.messages(full.id, true).await.unwrap(),
        vec![public, note, system, later]
    );
}

// Commit semantics -------------------------------------------------------------------------

/// Runs `check` on a fresh SQLite store and a fresh memory store.
async fn on_both<F, Fut>(check: F)
where
    F: Fn(Arc<dyn Store>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    check(memory().await).await;
    check(sqlite().await).await;
}

#[tokio::test]
async fn a_batch_with_a_stale_second_write_writes_nothing() {
    on_both(|store| async move {
        let d = department("Support");
        let a = ticket(number(1), d.id, CustomerId::new());
        let b = ticket(number(2), d.id, CustomerId::new());
        let c = ticket(number(3), d.id, CustomerId::new());
        for t in [&a, &c] {
            store
                .commit(WriteBatch::one(TicketWrite::create(t.clone())))
                .await
                .unwrap();
        }

        let changed = Ticket {
            status: Status::Open,
            version: Version::new(2),
            ..a.clone()
        };
        let stale = Ticket {
            version: Version::new(3),
            ..c.clone()
        };
        let batch = WriteBatch::of(vec![
            TicketWrite::create(b.clone()).with_message(full_message(
                &b,
                Actor::System,
                Visibility::Public,
                "hi",
            )),
            TicketWrite::update(Version::FIRST, changed.clone()),
            TicketWrite::update(Version::new(2), stale),
        ]);
        let err = store.commit(batch).await.unwrap_err();
        assert_eq!(
            conflict_kind(err),
            ConflictKind::StaleVersion {
                expected: Version::new(2),
                actual: Version::FIRST
            }
        );
        assert_eq!(store.ticket(b.id).await.unwrap(), None);
        assert!(store.messages(b.id, true).await.unwrap().is_empty());
        assert_eq!(store.ticket(a.id).await.unwrap(), Some(a.clone()));
        assert_eq!(
            store.ticket_by_number(b.number.short()).await.unwrap(),
            None
        );

        // The same change against the right version goes through; then it is stale.
        let write = TicketWrite::update(Version::FIRST, changed.clone());
        store.commit(WriteBatch::one(write.clone())).await.unwrap();
        assert_eq!(store.ticket(a.id).await.unwrap(), Some(changed));
        let err = store.commit(WriteBatch::one(write)).await.unwrap_err();
        assert_eq!(
            conflict_kind(err),
            ConflictKind::StaleVersion {
                expected: Version::FIRST,
                actual: Version::new(2)
            }
        );
    })
    .await;
}

#[tokio::test]
async fn updating_a_missing_ticket_is_not_found() {
    on_both(|store| async move {
        let t = ticket(number(1), department("Support").id, CustomerId::new());
        let err = store
            .commit(WriteBatch::one(TicketWrite::update(Version::FIRST, t.clone())))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::NotFound { entity: Entity::Ticket, ref key } if *key == t.id.to_string()),
            "{err:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn taken_ids_and_numbers_conflict_and_write_nothing() {
    on_both(|store| async move {
        let d = department("Support");
        let a = ticket(number(1), d.id, CustomerId::new());
        store
            .commit(WriteBatch::one(TicketWrite::create(a.clone())))
            .await
            .unwrap();

        let same_id = Ticket {
            number: number(5),
            ..a.clone()
        };
        let err = store
            .commit(WriteBatch::one(TicketWrite::create(same_id)))
            .await
            .unwrap_err();
        assert_eq!(conflict_kind(err), duplicate("id"));

        for taken in [
            a.number.clone(),
            // Another full number ending in the same short number.
            TicketNumber::new(format!("7{}", a.number.short()), a.number.short()).unwrap(),
            // A full number equal to a stored short number: the forms share one namespace.
            TicketNumber::new(a.number.short(), "1").unwrap(),
        ] {
            let fresh = ticket(number(9), d.id, CustomerId::new());
            let other = Ticket {
                number: taken,
                ..ticket(number(3), d.id, CustomerId::new())
            };
            let err = store
                .commit(WriteBatch::of(vec![
                    TicketWrite::create(fresh.clone()),
                    TicketWrite::create(other),
                ]))
                .await
                .unwrap_err();
            assert_eq!(conflict_kind(err), duplicate("number"));
            assert_eq!(store.ticket(fresh.id).await.unwrap(), None);
        }

        // Two new tickets of one batch with the same number.
        let (x, y) = (
            ticket(number(4), d.id, CustomerId::new()),
            ticket(number(4), d.id, CustomerId::new()),
        );
        let err = store
            .commit(WriteBatch::of(vec![
                TicketWrite::create(x.clone()),
                TicketWrite::create(y),
            ]))
            .await
            .unwrap_err();
        assert_eq!(conflict_kind(err), duplicate("number"));
        assert_eq!(store.ticket(x.id).await.unwrap(), None);

        // A ticket whose full and short numbers are the same is fine.
        let same = Ticket {
            number: TicketNumber::new("42", "42").unwrap(),
            ..ticket(number(0), d.id, CustomerId::new())
        };
        store
            .commit(WriteBatch::one(TicketWrite::create(same.clone())))
            .await
            .unwrap();
        assert_eq!(store.ticket_by_number("42").await.unwrap(), Some(same));
    })
    .await;
}

#[tokio::test]
async fn taken_emails_and_contract_numbers_conflict_like_the_memory_store() {
    on_both(|store| async move {
        let first = Customer {
            id: CustomerId::from_uuid(Uuid::from_u128(1)),
            contract_number: Some(ContractNumber::parse("K-1").unwrap()),
            ..customer("First", None)
        };
        let second = Customer {
            id: CustomerId::from_uuid(Uuid::from_u128(2)),
            ..customer("Second", Some("two@example.com"))
        };
        store.put_customer(&first).await.unwrap();
        store.put_customer(&second).await.unwrap();

        // Both taken, by different customers: the one with the smaller id decides.
        let both = full_customer("Both", "two@example.com", "K-1");
        let err = store.put_customer(&both).await.unwrap_err();
        assert!(matches!(
            err,
            Error::Conflict {
                entity: Entity::Customer,
                ..
            }
        ));
        assert_eq!(conflict_kind(err), duplicate("contract_number"));
        let err = store
            .put_customer(&full_customer("Mail", "two@example.com", "K-9"))
            .await
            .unwrap_err();
        assert_eq!(conflict_kind(err), duplicate("email"));
        assert_eq!(store.customer(both.id).await.unwrap(), None);

        // Customers without e-mail or contract number never conflict on them; a customer
        // keeps its own values.
        store.put_customer(&customer("A", None)).await.unwrap();
        store.put_customer(&customer("B", None)).await.unwrap();
        let renamed = Customer {
            name: name("First, renamed"),
            ..first.clone()
        };
        store.put_customer(&renamed).await.unwrap();
        assert_eq!(store.customer(first.id).await.unwrap(), Some(renamed));

        // Agents' e-mails.
        let d = department("Support");
        let ivan = full_agent("Ivan", "ivan@desk.test", &[d.id]);
        store.put_agent(&ivan).await.unwrap();
        store.put_agent(&ivan).await.unwrap();
        let other = full_agent("Other", "ivan@desk.test", &[]);
        let err = store.put_agent(&other).await.unwrap_err();
        assert!(matches!(
            err,
            Error::Conflict {
                entity: Entity::Agent,
                ..
            }
        ));
        assert_eq!(conflict_kind(err), duplicate("email"));
        assert_eq!(store.agent(other.id).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn a_write_carrying_another_tickets_message_is_refused() {
    let store = sqlite().await;
    let d = department("Support");
    let (a, b) = (
        ticket(number(1), d.id, CustomerId::new()),
        ticket(number(2), d.id, CustomerId::new()),
    );
    let err = store
        .commit(WriteBatch::one(
            TicketWrite::create(a.clone()).with_message(full_message(
                &b,
                Actor::System,
                Visibility::Public,
                "x",
            )),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Validation(ref v) if v.field() == "ticket_id"),
        "{err:?}"
    );
    assert_eq!(store.ticket(a.id).await.unwrap(), None);
}

// Sequences --------------------------------------------------------------------------------

async fn sixteen_distinct_sequence_values(store: Arc<dyn Store>) {
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.next_ticket_sequence().await.unwrap() })
        })
        .collect();
    let mut values = Vec::new();
    for task in tasks {
        values.push(task.await.unwrap());
    }
    values.sort_unstable();
    assert_eq!(values, (1..=16).collect::<Vec<u64>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_sequence_values_are_distinct_in_memory() {
    sixteen_distinct_sequence_values(sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_sequence_values_are_distinct_in_a_file() {
    let store = Arc::new(SqliteStore::open(db_path()).await.unwrap());
    sixteen_distinct_sequence_values(store).await;
}

// Files ------------------------------------------------------------------------------------

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

#[tokio::test]
async fn a_corrupt_stored_value_is_a_backend_error_with_its_cause() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let t = ticket(number(1), department("Support").id, CustomerId::new());
    store
        .commit(WriteBatch::one(TicketWrite::create(t.clone())))
        .await
        .unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE tickets SET status = 'lost'", [])
        .unwrap();

    let err = store.ticket(t.id).await.unwrap_err();
    let Error::Backend { source } = err else {
        panic!("expected a backend error, got {err:?}");
    };
    let Some(corrupt) = source.downcast_ref::<CorruptValue>() else {
        panic!("expected a corrupt value, got {source:?}");
    };
    assert_eq!((corrupt.table(), corrupt.column()), ("tickets", "status"));
    let cause = std::error::Error::source(corrupt).unwrap();
    assert!(cause.downcast_ref::<ValidationError>().is_some());
}

/// A file database holding one ticket with every field set.
async fn stored_full_ticket() -> (PathBuf, SqliteStore, Ticket) {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let t = full_ticket(
        number(1),
        department("Support").id,
        full_customer("Acme", "it@acme.example", "K-1").id,
        full_agent("Иван", "ivan@desk.test", &[]).id,
    );
    store
        .commit(WriteBatch::one(TicketWrite::create(t.clone())))
        .await
        .unwrap();
    assert_eq!(store.ticket(t.id).await.unwrap(), Some(t.clone()));
    (path, store, t)
}

/// The table and column a read failed on, which must be a corrupt stored value.
fn corrupt_column(err: Error) -> (&'static str, &'static str) {
    let Error::Backend { source } = err else {
        panic!("expected a backend error, got {err:?}");
    };
    let Some(corrupt) = source.downcast_ref::<CorruptValue>() else {
        panic!("expected a corrupt value, got {source:?}");
    };
    (corrupt.table(), corrupt.column())
}

#[tokio::test]
async fn corrupt_timers_are_a_backend_error_naming_the_column() {
    let (path, store, t) = stored_full_ticket().await;
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE tickets SET timers = '{\"clocks\": 3}'", [])
        .unwrap();

    let err = store.ticket(t.id).await.unwrap_err();
    assert_eq!(corrupt_column(err), ("tickets", "timers"));
}

#[tokio::test]
async fn corrupt_feedback_is_a_backend_error_naming_the_column() {
    let (path, store, t) = stored_full_ticket().await;
    let conn = rusqlite::Connection::open(&path).unwrap();
    for (column, bad) in [
        (
            "satisfaction",
            r#"{"score": 9, "comment": null, "at": "2026-01-05T00:00:00Z"}"#,
        ),
        ("priority_request", "not json"),
    ] {
        let original: String = conn
            .query_row(&format!("SELECT {column} FROM tickets"), [], |r| r.get(0))
            .unwrap();
        conn.execute(&format!("UPDATE tickets SET {column} = ?1"), [bad])
            .unwrap();

        let err = store.ticket(t.id).await.unwrap_err();
        assert_eq!(corrupt_column(err), ("tickets", column));
        conn.execute(&format!("UPDATE tickets SET {column} = ?1"), [original])
            .unwrap();
    }
    assert_eq!(store.ticket(t.id).await.unwrap(), Some(t));
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

// Lists, against the reference ---------------------------------------------------------------

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

struct Cast {
    departments: Vec<DepartmentId>,
    agents: Vec<AgentId>,
    customers: Vec<CustomerId>,
    categories: Vec<Category>,
    types: Vec<TicketType>,
}

fn cast() -> Cast {
    Cast {
        departments: (0..3).map(|_| DepartmentId::new()).collect(),
        agents: (0..3).map(|_| AgentId::new()).collect(),
        customers: (0..4).map(|_| CustomerId::new()).collect(),
        categories: ["Сеть", "VPN", "Billing", "شبکه"]
            .into_iter()
            .map(|c| Category::parse(c).unwrap())
            .collect(),
        types: vec![
            TicketType::Incident,
            TicketType::Question,
            TicketType::custom("billing").unwrap(),
        ],
    }
}

/// Few distinct instants, so that many tickets tie on `updated_at`.
fn instant(rng: &mut Rng) -> DateTime<Utc> {
    at(rng.below(12) as i64 * 60)
}

fn random_ticket(rng: &mut Rng, n: u64, cast: &Cast, masters: &[TicketId]) -> Ticket {
    let created = instant(rng);
    Ticket {
        id: TicketId::new(),
        number: number(n),
        subject: Subject::parse(format!("ticket {n}")).unwrap(),
        customer: (rng.below(5) > 0).then(|| *rng.pick(&cast.customers)),
        department: *rng.pick(&cast.departments),
        assignee: (rng.below(3) > 0).then(|| *rng.pick(&cast.agents)),
        status: *rng.pick(&Status::ALL),
        priority: *rng.pick(&Priority::ALL),
        ticket_type: rng.pick(&cast.types).clone(),
        categories: cast
            .categories
            .iter()
            .filter(|_| rng.below(3) == 0)
            .cloned()
            .collect(),
        service: None,
        custom_fields: CustomFields::new(),
        channel: *rng.pick(&Channel::ALL),
        internal: rng.below(4) == 0,
        master: (rng.below(4) == 0 && !masters.is_empty()).then(|| *rng.pick(masters)),
        merged_into: None,
        follow_up_of: None,
        opened_by: Actor::System,
        created_at: created,
        updated_at: created.max(instant(rng)),
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        waiting_since: waiting(rng),
        version: Version::FIRST,
        ..timed(rng)
    }
}

/// Nobody waiting a third of the time, else one of few instants, so that many tickets tie.
fn waiting(rng: &mut Rng) -> Option<DateTime<Utc>> {
    (rng.below(3) > 0).then(|| instant(rng))
}

/// A ticket's timers and `next_due_at`: nothing due a third of the time, else a reminder or a
/// clock due at one of few instants.
fn timed(rng: &mut Rng) -> Ticket {
    let due = (rng.below(3) > 0).then(|| instant(rng));
    let timers = match (due, rng.below(2)) {
        (None, _) => Timers::default(),
        (Some(due), 0) => Timers {
            pending_until: Some(due),
            ..Timers::default()
        },
        (Some(due), _) => Timers {
            sla_policy: Some("standard".into()),
            clocks: vec![SlaClock {
                target: SlaTarget::NextResponse,
                budget_secs: 600,
                spent_secs: 0,
                running_since: Some(at(0)),
                due_at: Some(due),
                warn_at: None,
                warned: false,
                stopped: false,
                outcome: None,
            }],
            ..Timers::default()
        },
    };
    Ticket {
        next_due_at: timers.next_due_at(),
        timers,
        ..ticket(number(0), department("Timers").id, CustomerId::new())
    }
}

fn filters(cast: &Cast, masters: &[TicketId]) -> Vec<TicketFilter> {
    let any = TicketFilter::default;
    let nanos = |s: i64, n: i64| at(s) + Duration::nanoseconds(n);
    vec![
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
            departments: Some(vec![cast.departments[0]]),
            ..any()
        },
        TicketFilter {
            departments: Some(vec![cast.departments[1], cast.departments[2]]),
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
            assignee: Some(AssigneeFilter::Agent(cast.agents[1])),
            ..any()
        },
        TicketFilter {
            customer: Some(cast.customers[2]),
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
            ticket_type: Some(cast.types[2].clone()),
            ..any()
        },
        TicketFilter {
            category: Some(cast.categories[3].clone()),
            ..any()
        },
        TicketFilter {
            category: Some(Category::parse("сеть").unwrap()),
            ..any()
        },
        TicketFilter {
            master: Some(masters[0]),
            ..any()
        },
        TicketFilter {
            internal: Some(true),
            ..any()
        },
        TicketFilter {
            internal: Some(false),
            category: Some(cast.categories[0].clone()),
            priorities: Some(vec![Priority::Normal, Priority::High]),
            ..any()
        },
        TicketFilter {
            created: TimeRange {
                from: Some(at(120)),
                to: Some(at(420)),
            },
            ..any()
        },
        TicketFilter {
            // Bounds finer than a microsecond, just after stored instants.
            created: TimeRange {
                from: Some(nanos(120, 1)),
                to: Some(nanos(420, 1)),
            },
            updated: TimeRange {
                from: None,
                to: Some(nanos(600, 999)),
            },
            ..any()
        },
        TicketFilter {
            updated: TimeRange {
                from: Some(at(300)),
                to: None,
            },
            assignee: Some(AssigneeFilter::Agent(cast.agents[0])),
            ..any()
        },
        TicketFilter {
            updated: TimeRange {
                from: Some(at(300)),
                to: Some(at(300)),
            },
            ..any()
        },
    ]
}

/// Every page of `filter` in `order`, `limit` at a time.
async fn pages(
    store: &dyn Store,
    filter: &TicketFilter,
    order: TicketOrder,
    limit: u32,
) -> Vec<(Vec<TicketId>, Option<String>)> {
    let mut out = Vec::new();
    let mut page = PageRequest::first(order, limit);
    loop {
        let got = store.list_tickets(filter, &page).await.unwrap();
        let next = got.next;
        out.push((
            got.items.iter().map(|t| t.id).collect(),
            next.map(|c| c.encode()),
        ));
        match next {
            Some(cursor) => page = page.after(cursor).unwrap(),
            None => return out,
        }
        assert!(out.len() < 1_000, "pagination does not end");
    }
}

async fn assert_lists_agree(reference: &dyn Store, store: &dyn Store, filters: &[TicketFilter]) {
    let mut empty = 0;
    for (i, filter) in filters.iter().enumerate() {
        for order in [
            TicketOrder::LastUpdate,
            TicketOrder::Priority,
            TicketOrder::Waiting,
            TicketOrder::Relevance,
        ] {
            let limits: &[u32] = if i == 0 { &[1, 7, 200] } else { &[3, 50, 200] };
            for &limit in limits {
                let want = pages(reference, filter, order, limit).await;
                let got = pages(store, filter, order, limit).await;
                assert_eq!(got, want, "filter {i} {filter:?}, {order:?}, limit {limit}");
            }
        }
        // Whole tickets, not only ids.
        for order in [TicketOrder::Priority, TicketOrder::Waiting] {
            let page = PageRequest::first(order, 200);
            let got = store.list_tickets(filter, &page).await.unwrap();
            assert_eq!(got, reference.list_tickets(filter, &page).await.unwrap());
        }
        let page = PageRequest::first(TicketOrder::Priority, 200);
        if store
            .list_tickets(filter, &page)
            .await
            .unwrap()
            .items
            .is_empty()
        {
            empty += 1;
        }
    }
    // Six filters match nothing by design; the others must have something to compare.
    assert_eq!(empty, 6, "the data does not exercise the filters");
    assert_due_tickets_agree(reference, store).await;
}

async fn assert_due_tickets_agree(reference: &dyn Store, store: &dyn Store) {
    let nanos = |s: i64, n: i64| at(s) + Duration::nanoseconds(n);
    // Before, at, between and after the stored instants, also with finer precision.
    let nows = [
        at(-1),
        at(0),
        nanos(0, -1),
        nanos(0, 999),
        at(120),
        nanos(120, 1),
        nanos(300, -1),
        at(300),
        at(659),
        at(660),
        at(100_000),
    ];
    let mut sizes = BTreeSet::new();
    for now in nows {
        for limit in [0, 1, 2, 7, 50, 10_000] {
            let want = reference.due_tickets(now, limit).await.unwrap();
            let got = store.due_tickets(now, limit).await.unwrap();
            assert_eq!(got, want, "due at {now}, limit {limit}");
            sizes.insert(got.len());
        }
    }
    assert!(
        sizes.len() > 5,
        "the data does not exercise due_tickets: {sizes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_and_pages_equal_the_memory_stores() {
    let reference = memory().await;
    let store = sqlite().await;
    let cast = cast();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);

    let mut tickets: Vec<Ticket> = Vec::new();
    let mut masters = Vec::new();
    for chunk in 0..30u64 {
        let mut batch = WriteBatch::default();
        for i in 0..10 {
            let t = random_ticket(&mut rng, chunk * 10 + i + 1, &cast, &masters);
            if masters.len() < 3 {
                masters.push(t.id);
            }
            batch.writes.push(TicketWrite::create(t.clone()));
            tickets.push(t);
        }
        reference.commit(batch.clone()).await.unwrap();
        store.commit(batch).await.unwrap();
    }
    let filters = filters(&cast, &masters);
    assert_lists_agree(&*reference, &*store, &filters).await;

    // Change a third of them (status, priority, categories, update time, waiting time and
    // timers) and compare again.
    for t in tickets.iter_mut() {
        if rng.below(3) != 0 {
            continue;
        }
        let timed = timed(&mut rng);
        let changed = Ticket {
            status: *rng.pick(&Status::ALL),
            priority: *rng.pick(&Priority::ALL),
            categories: cast
                .categories
                .iter()
                .filter(|_| rng.below(2) == 0)
                .cloned()
                .collect(),
            updated_at: instant(&mut rng).max(t.created_at),
            waiting_since: waiting(&mut rng),
            timers: timed.timers,
            next_due_at: timed.next_due_at,
            version: t.version.next(),
            ..t.clone()
        };
        let batch = WriteBatch::one(TicketWrite::update(t.version, changed.clone()));
        reference.commit(batch.clone()).await.unwrap();
        store.commit(batch).await.unwrap();
        *t = changed;
    }
    assert_lists_agree(&*reference, &*store, &filters).await;
    for t in &tickets {
        assert_eq!(store.ticket(t.id).await.unwrap().as_ref(), Some(t));
    }
}
