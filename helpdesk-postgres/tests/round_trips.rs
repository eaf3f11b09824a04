//! Every record type written and read back equal, field by field; the directory's uniqueness
//! and order as the reference store has them; stored garbage reported, not swallowed; and
//! tickets written before a migration read back after it.

mod common;

use chrono::Duration;
use common::*;
use helpdesk_core::Error;
use helpdesk_core::domain::{
    Actor, AgentId, Category, Change, Channel, CustomFields, CustomerId, DepartmentId, Email,
    Minutes, Priority, Resolution, Role, ServiceName, Signature, Status, Ticket, TicketId,
    TicketNumber, TicketType, TimeEntryId, Timers, Visibility,
};
use helpdesk_core::error::CorruptValue;
use helpdesk_core::policy::FollowUpPolicy;
use helpdesk_core::store::{MemoryStore, Store, TicketWrite, WriteBatch};
use helpdesk_postgres::{MIGRATOR, testing};

#[tokio::test]
async fn directory_records_round_trip_and_replace() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let mut departments = Vec::new();
    for (n, policy) in [
        ("Support", FollowUpPolicy::Reopen),
        ("Billing", FollowUpPolicy::NewTicket),
        ("Sales", FollowUpPolicy::Reject),
    ] {
        let mut d = department(n);
        d.follow_up = policy;
        d.active = n != "Sales";
        store.put_department(&d).await.unwrap();
        assert_eq!(store.department(d.id).await.unwrap().as_ref(), Some(&d));
        departments.push(d);
    }
    let ids: Vec<DepartmentId> = departments.iter().map(|d| d.id).collect();

    let mut admin = agent("Админ", "admin@desk.test", &[]);
    admin.role = Role::Admin;
    let mut boss = agent("Boss", "boss@desk.test", &ids);
    boss.role = Role::Supervisor;
    boss.departments = all_permissions(&ids);
    let mut ivan = agent("Иван", "ivan@desk.test", &ids[..2]);
    ivan.signature = Signature::parse("Иван\nтехподдержка\t☎").unwrap();
    ivan.active = false;
    for a in [&admin, &boss, &ivan] {
        store.put_agent(a).await.unwrap();
        assert_eq!(store.agent(a.id).await.unwrap().as_ref(), Some(a));
    }

    let full = full_customer("ООО «Ромашка»", "Office@Romashka.Example", "D-2013/0416");
    let bare = customer("Ana", None);
    for c in [&full, &bare] {
        store.put_customer(c).await.unwrap();
        assert_eq!(store.customer(c.id).await.unwrap().as_ref(), Some(c));
    }
    let email = full.email.clone().unwrap();
    assert_eq!(
        store.customer_by_email(&email).await.unwrap().as_ref(),
        Some(&full)
    );

    // Put replaces: a renamed department, an agent with a new e-mail, a customer who drops
    // their e-mail and contract number, after which another may take them.
    let mut renamed = departments[0].clone();
    renamed.name = name("Техподдержка");
    renamed.follow_up = FollowUpPolicy::Reject;
    store.put_department(&renamed).await.unwrap();
    assert_eq!(store.department(renamed.id).await.unwrap(), Some(renamed));
    ivan.email = Email::parse("ivan.petrov@desk.test").unwrap();
    store.put_agent(&ivan).await.unwrap();
    assert_eq!(store.agent(ivan.id).await.unwrap().as_ref(), Some(&ivan));
    let mut dropped = full.clone();
    dropped.email = None;
    dropped.contract_number = None;
    dropped.custom_fields = CustomFields::new();
    store.put_customer(&dropped).await.unwrap();
    assert_eq!(store.customer(full.id).await.unwrap(), Some(dropped));
    assert_eq!(store.customer_by_email(&email).await.unwrap(), None);
    let mut taker = customer("Taker", Some(email.as_str()));
    taker.contract_number = full.contract_number.clone();
    store.put_customer(&taker).await.unwrap();
    assert_eq!(store.customer_by_email(&email).await.unwrap(), Some(taker));

    assert_eq!(store.department(DepartmentId::new()).await.unwrap(), None);
    assert_eq!(store.agent(AgentId::new()).await.unwrap(), None);
    assert_eq!(store.customer(CustomerId::new()).await.unwrap(), None);
    testing::discard(store).await.unwrap();
}

/// Names in several scripts and cases: both lists come back in Rust's string order (byte
/// order), whatever the database's collation, then by id.
#[tokio::test]
async fn directory_lists_are_in_the_references_order() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let memory = MemoryStore::new();
    let names = [
        "b", "B", "a", "A", "Á", "ä", "Z", "Ж", "ж", "آرش", "Ärger", "zeta", "Zeta", "10", "9",
        "a", "b",
    ];
    for (i, n) in names.iter().enumerate() {
        let d = department(n);
        let a = agent(n, &format!("agent{i}@desk.test"), &[d.id]);
        for s in [&store as &dyn Store, &memory] {
            s.put_department(&d).await.unwrap();
            s.put_agent(&a).await.unwrap();
        }
    }
    assert_eq!(
        store.departments().await.unwrap(),
        memory.departments().await.unwrap()
    );
    assert_eq!(
        store.agents().await.unwrap(),
        memory.agents().await.unwrap()
    );
    testing::discard(store).await.unwrap();
}

#[tokio::test]
async fn taken_unique_values_conflict_like_the_reference() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let memory = MemoryStore::new();
    let stores = [&store as &dyn Store, &memory];

    let ivan = agent("Ivan", "ivan@desk.test", &[]);
    let mut twin = agent("Ivan 2", "IVAN@desk.test", &[]);
    for s in stores {
        s.put_agent(&ivan).await.unwrap();
    }
    let got = store.put_agent(&twin).await;
    let err = same_outcome(got, memory.put_agent(&twin).await).unwrap_err();
    assert_eq!(describe(&err), "duplicate agent email");
    twin.email = Email::parse("ivan2@desk.test").unwrap();
    same_outcome(store.put_agent(&twin).await, memory.put_agent(&twin).await).unwrap();

    // x holds an e-mail, y a contract number; z wants both. The reference reports the
    // first other customer by id that holds either, checking the e-mail first.
    for flip in [false, true] {
        let mut x = customer("X", Some(&format!("x{flip}@example.test")));
        let mut y = customer("Y", None);
        y.contract_number =
            Some(helpdesk_core::domain::ContractNumber::parse(format!("C-{flip}")).unwrap());
        if flip {
            std::mem::swap(&mut x.id, &mut y.id);
        }
        for s in stores {
            s.put_customer(&x).await.unwrap();
            s.put_customer(&y).await.unwrap();
        }
        let mut z = customer("Z", x.email.as_ref().map(|e| e.as_str()));
        z.contract_number = y.contract_number.clone();
        let want = if x.id < y.id {
            "duplicate customer email"
        } else {
            "duplicate customer contract_number"
        };
        let err =
            same_outcome(store.put_customer(&z).await, memory.put_customer(&z).await).unwrap_err();
        assert_eq!(describe(&err), want);
        // Both held by one other customer: the e-mail.
        let mut both = x.clone();
        both.contract_number = y.contract_number.clone();
        let mut y_without = y.clone();
        y_without.contract_number = None;
        for s in stores {
            s.put_customer(&y_without).await.unwrap();
            s.put_customer(&both).await.unwrap();
        }
        let err =
            same_outcome(store.put_customer(&z).await, memory.put_customer(&z).await).unwrap_err();
        assert_eq!(describe(&err), "duplicate customer email");
        // Only the contract number taken.
        z.email = None;
        let err =
            same_outcome(store.put_customer(&z).await, memory.put_customer(&z).await).unwrap_err();
        assert_eq!(describe(&err), "duplicate customer contract_number");
        // Customers without e-mail or contract number never conflict with each other.
        let (p, q) = (customer("P", None), customer("Q", None));
        for c in [&p, &q] {
            same_outcome(store.put_customer(c).await, memory.put_customer(c).await).unwrap();
        }
    }
    testing::discard(store).await.unwrap();
}

#[tokio::test]
async fn tickets_and_everything_on_them_round_trip() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let memory = MemoryStore::new();
    let dept = department("Support");
    let ana = customer("Ana", None);
    let ivan = AgentId::new();

    let full = full_ticket(number(1), dept.id, ana.id, ivan);
    let mut plain = ticket(number(2), dept.id, ana.id);
    // Full and short forms equal (a counter scheme): one number, found either way.
    let mut counter = ticket(number(3), dept.id, ana.id);
    counter.number = TicketNumber::new("1003", "1003").unwrap();
    counter.customer = None;
    counter.opened_by = Actor::System;

    let mut with_attachments = message(&full, "Смотрите\r\nскриншот", Visibility::Public);
    with_attachments.attachments = vec![attachment("экран.png"), attachment("b c.png")];
    with_attachments.author = Actor::Customer(ana.id);
    with_attachments.channel = Channel::Chat;
    let note = message(&full, "internal only", Visibility::Internal);
    let mut changes = vec![
        created(&full),
        Change::Replied {
            message: with_attachments.id,
            first_response: true,
        },
        Change::NoteAdded { message: note.id },
        Change::StatusChanged {
            from: Status::New,
            to: Status::Closed(Resolution::Duplicate),
        },
        Change::PriorityChanged {
            from: Priority::Low,
            to: Priority::Urgent,
        },
        Change::AssigneeChanged {
            from: None,
            to: Some(ivan),
        },
        Change::DepartmentChanged {
            from: DepartmentId::new(),
            to: dept.id,
        },
        Change::TypeChanged {
            from: TicketType::Question,
            to: TicketType::custom("x-y_z").unwrap(),
        },
        Change::CategoriesChanged {
            from: vec![],
            to: vec![Category::parse("Сеть").unwrap()],
        },
        Change::ServiceChanged {
            from: None,
            to: Some(ServiceName::parse("ADSL").unwrap()),
        },
        Change::CustomFieldsChanged {
            from: CustomFields::new(),
            to: every_field_value(),
        },
        Change::MasterChanged {
            from: Some(TicketId::new()),
            to: None,
        },
        Change::MergedInto {
            target: TicketId::new(),
        },
        Change::MergeReceived {
            source: TicketId::new(),
        },
        Change::TimeLogged {
            entry: TimeEntryId::new(),
            minutes: Minutes::new(1440).unwrap(),
            billable: true,
        },
    ];
    let events: Vec<_> = changes
        .drain(..)
        .enumerate()
        .map(|(i, change)| {
            let mut e = event(&full, change);
            e.actor = [Actor::System, Actor::Agent(ivan), Actor::Customer(ana.id)][i % 3];
            e.at += Duration::microseconds(i as i64);
            e
        })
        .collect();
    let entries = vec![
        time_entry(&full, ivan, 1, false),
        time_entry(&full, ivan, 1440, true),
    ];
    let mut write = TicketWrite::create(full.clone())
        .with_message(with_attachments.clone())
        .with_message(note.clone());
    for e in &events {
        write = write.with_event(e.clone());
    }
    for e in &entries {
        write = write.with_time_entry(e.clone());
    }
    let batch = WriteBatch::of(vec![write, create(&plain), create(&counter)]);
    for s in [&store as &dyn Store, &memory] {
        s.commit(batch.clone()).await.unwrap();
    }

    for t in [&full, &plain, &counter] {
        assert_eq!(snapshot(&store, t.id).await, snapshot(&memory, t.id).await);
        assert_eq!(store.ticket(t.id).await.unwrap().as_ref(), Some(t));
        for digits in [t.number.full(), t.number.short()] {
            assert_eq!(
                store.ticket_by_number(digits).await.unwrap().as_ref(),
                Some(t)
            );
        }
    }
    assert_eq!(
        store.messages(full.id, true).await.unwrap(),
        [with_attachments.clone(), note]
    );
    assert_eq!(
        store.messages(full.id, false).await.unwrap(),
        [with_attachments]
    );
    assert_eq!(store.history(full.id).await.unwrap(), events);
    assert_eq!(store.time_entries(full.id).await.unwrap(), entries);
    assert_eq!(store.ticket(TicketId::new()).await.unwrap(), None);
    assert_eq!(store.ticket_by_number("99999999").await.unwrap(), None);
    assert!(
        store
            .messages(TicketId::new(), true)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.history(TicketId::new()).await.unwrap().is_empty());
    assert!(
        store
            .time_entries(TicketId::new())
            .await
            .unwrap()
            .is_empty()
    );

    // An update replaces every field, categories included, and appends in order.
    let at = plain.updated_at + Duration::hours(1);
    let before = plain.clone();
    plain = changed(&plain, at, |t| {
        *t = Ticket {
            id: t.id,
            number: t.number.clone(),
            version: t.version,
            updated_at: t.updated_at,
            ..full_ticket(
                t.number.clone(),
                DepartmentId::new(),
                CustomerId::new(),
                ivan,
            )
        };
    });
    let mut writes = TicketWrite::update(before.version, plain.clone());
    for i in 0..5 {
        writes = writes.with_message(message(&plain, &format!("reply {i}"), Visibility::Public));
    }
    for s in [&store as &dyn Store, &memory] {
        s.commit(WriteBatch::one(writes.clone())).await.unwrap();
    }
    assert_eq!(
        snapshot(&store, plain.id).await,
        snapshot(&memory, plain.id).await
    );
    assert_eq!(store.ticket(plain.id).await.unwrap(), Some(plain.clone()));
    let emptied = changed(&plain, at, |t| {
        t.categories.clear();
        t.waiting_since = None;
        t.timers = Timers::default();
        t.next_due_at = None;
    });
    for s in [&store as &dyn Store, &memory] {
        s.commit(WriteBatch::one(TicketWrite::update(
            plain.version,
            emptied.clone(),
        )))
        .await
        .unwrap();
    }
    assert_eq!(store.ticket(plain.id).await.unwrap(), Some(emptied));
    testing::discard(store).await.unwrap();
}

#[tokio::test]
async fn the_sequence_counts_from_one_and_an_empty_batch_is_nothing() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    for want in 1..=3 {
        assert_eq!(store.next_ticket_sequence().await.unwrap(), want);
    }
    store.commit(WriteBatch::default()).await.unwrap();
    testing::discard(store).await.unwrap();
}

/// Messages, events and time entries belong to the ticket of their write; one that names
/// another ticket is refused (the reference store would file it under the write's ticket).
#[tokio::test]
async fn children_of_another_ticket_are_refused() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    let mut stray = message(&t, "stray", Visibility::Public);
    stray.ticket_id = TicketId::new();
    let err = store
        .commit(WriteBatch::one(
            TicketWrite::create(t.clone()).with_message(stray),
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    assert_eq!(store.ticket(t.id).await.unwrap(), None);
    testing::discard(store).await.unwrap();
}

/// A row changed behind the store's back is a backend error whose source says where.
#[tokio::test]
async fn stored_garbage_is_a_backend_error_with_its_source() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    store.commit(WriteBatch::one(create(&t))).await.unwrap();
    let d = department("Support");
    store.put_department(&d).await.unwrap();

    let cases = [
        ("UPDATE tickets SET status = 'closed'", "tickets", "status"),
        ("UPDATE tickets SET priority = 9", "tickets", "priority"),
        ("UPDATE tickets SET subject = '   '", "tickets", "subject"),
        (
            "UPDATE tickets SET number_short = '99'",
            "tickets",
            "number_full",
        ),
        ("UPDATE tickets SET version = -1", "tickets", "version"),
        (
            "UPDATE tickets SET custom_fields = '{\"Bad Key\": {\"type\": \"bool\", \"value\": true}}'",
            "tickets",
            "custom_fields",
        ),
        (
            "UPDATE tickets SET opened_by = '{\"kind\": \"robot\"}'",
            "tickets",
            "opened_by",
        ),
        (
            "UPDATE tickets SET timers = '{\"clocks\": 3}'",
            "tickets",
            "timers",
        ),
        (
            "UPDATE tickets SET satisfaction = '{\"score\": 6, \"comment\": null, \"at\": \"2024-01-01T00:00:00Z\"}'",
            "tickets",
            "satisfaction",
        ),
        (
            "UPDATE tickets SET priority_request = '{\"priority\": 3}'",
            "tickets",
            "priority_request",
        ),
        (
            "INSERT INTO ticket_categories SELECT id, '' FROM tickets",
            "ticket_categories",
            "category",
        ),
    ];
    for (sql, table, column) in cases {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
        let err = store.ticket(t.id).await.unwrap_err();
        let Error::Backend { source } = &err else {
            panic!("{sql}: {err:?}")
        };
        let corrupt = source
            .downcast_ref::<CorruptValue>()
            .unwrap_or_else(|| panic!("{sql}: {source:?}"));
        assert_eq!(
            (corrupt.table(), corrupt.column()),
            (table, column),
            "{sql}"
        );
        assert!(std::error::Error::source(corrupt).is_some(), "{sql}");
        // Start again from a clean ticket (deleting cascades to its other rows).
        sqlx::query("DELETE FROM tickets")
            .execute(store.pool())
            .await
            .unwrap();
        store.commit(WriteBatch::one(create(&t))).await.unwrap();
        assert_eq!(store.ticket(t.id).await.unwrap(), Some(t.clone()));
    }

    sqlx::query("UPDATE departments SET follow_up = 'sometimes'")
        .execute(store.pool())
        .await
        .unwrap();
    let err = store.departments().await.unwrap_err();
    assert!(matches!(err, Error::Backend { .. }), "{err:?}");
    testing::discard(store).await.unwrap();
}

/// A ticket written under schema version 1 reads back after the later migrations with the
/// new fields' defaults: nobody waiting, `Timers::default()` (the column default is its
/// JSON), nothing due, no feedback, no metrics; and it is then updated (feedback and metrics
/// included), listed and found due like any other.
#[tokio::test]
async fn a_ticket_from_schema_version_1_reads_back_after_the_migrations() {
    let Some(url) = testing::database_url() else {
        return;
    };
    let store = testing::unmigrated_store_at(&url).await.unwrap();
    MIGRATOR.run_to(1, store.pool()).await.unwrap();
    let mut old = full_ticket(
        number(1),
        DepartmentId::new(),
        CustomerId::new(),
        AgentId::new(),
    );
    old.categories.clear();
    old.waiting_since = None;
    old.timers = Timers::default();
    old.next_due_at = None;
    let feedback = (old.satisfaction.take(), old.priority_request.take());
    let metrics = std::mem::take(&mut old.metrics);
    sqlx::query(
        "INSERT INTO tickets (id, number_full, number_short, subject, customer, department, \
         assignee, status, priority, ticket_type, service, custom_fields, channel, internal, \
         master, merged_into, follow_up_of, opened_by, created_at, updated_at, \
         first_response_at, resolved_at, closed_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, $16, \
         $17, $18::jsonb, $19, $20, $21, $22, $23, $24)",
    )
    .bind(old.id.as_uuid())
    .bind(old.number.full())
    .bind(old.number.short())
    .bind(old.subject.as_str())
    .bind(old.customer.map(|c| c.as_uuid()))
    .bind(old.department.as_uuid())
    .bind(old.assignee.map(|a| a.as_uuid()))
    .bind(old.status.as_str())
    .bind(old.priority.rank())
    .bind(old.ticket_type.as_str())
    .bind(old.service.as_ref().map(|s| s.as_str()))
    .bind(serde_json::to_string(&old.custom_fields).unwrap())
    .bind(old.channel.as_str())
    .bind(old.internal)
    .bind(old.master.map(|m| m.as_uuid()))
    .bind(old.merged_into.map(|m| m.as_uuid()))
    .bind(old.follow_up_of.map(|m| m.as_uuid()))
    .bind(serde_json::to_string(&old.opened_by).unwrap())
    .bind(old.created_at)
    .bind(old.updated_at)
    .bind(old.first_response_at)
    .bind(old.resolved_at)
    .bind(old.closed_at)
    .bind(old.version.get() as i64)
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query("INSERT INTO ticket_numbers (digits, ticket_id) VALUES ($1, $2), ($3, $2)")
        .bind(old.number.full())
        .bind(old.id.as_uuid())
        .bind(old.number.short())
        .execute(store.pool())
        .await
        .unwrap();

    store.migrate().await.unwrap();
    assert_eq!(store.ticket(old.id).await.unwrap(), Some(old.clone()));
    // Indexed for search by the backfill that follows the search migration.
    let search = helpdesk_core::search::TicketSearch {
        query: helpdesk_core::search::SearchQuery::parse("ОШИБКА").unwrap(),
        filter: Default::default(),
        include_internal: false,
    };
    let found = store
        .search_tickets(&search, &Default::default())
        .await
        .unwrap();
    assert_eq!(found.items, vec![old.clone()]);
    // The default is the JSON of `Timers::default()` itself, not merely something that
    // deserializes to it.
    let default: bool = sqlx::query_scalar("SELECT timers = $1::jsonb FROM tickets")
        .bind(serde_json::to_string(&Timers::default()).unwrap())
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(default);

    let later = old.updated_at + Duration::minutes(1);
    let next = changed(&old, later, |n| {
        n.waiting_since = Some(later);
        n.timers = full_timers(later);
        n.next_due_at = n.timers.next_due_at();
        (n.satisfaction, n.priority_request) = feedback;
        n.metrics = metrics;
    });
    store
        .commit(WriteBatch::one(TicketWrite::update(
            old.version,
            next.clone(),
        )))
        .await
        .unwrap();
    assert_eq!(store.ticket(old.id).await.unwrap(), Some(next.clone()));
    let due_at = next.next_due_at.unwrap();
    assert_eq!(
        store.due_tickets(due_at, 10).await.unwrap(),
        vec![next.clone()]
    );
    assert_eq!(
        store
            .due_tickets(due_at - Duration::microseconds(1), 10)
            .await
            .unwrap(),
        vec![]
    );
    testing::discard(store).await.unwrap();
}
