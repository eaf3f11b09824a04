//! Tickets and everything on them read back as written, field by field and in order, found
//! by either form of their number; updates replace and append; the sequence counts from one
//! and never repeats.

use std::sync::Arc;

use chrono::Duration;

use crate::domain::{
    Actor, AgentId, Attachment, Category, Change, Channel, CustomFields, CustomerId, DepartmentId,
    Message, Minutes, Priority, Rating, Resolution, ServiceName, ShortNote, SlaTarget, Status,
    Ticket, TicketId, TicketMetrics, TicketNumber, TicketType, TimeEntryId, Timers, Visibility,
};
use crate::store::{MemoryStore, Store, TicketWrite, WriteBatch};
use crate::testkit::samples::{
    attachment, department, email, every_field_value, full_event, full_message, full_ticket,
    full_time_entry, full_timers, message, number, ticket,
};

/// Everything a store holds about a ticket.
async fn everything(store: &dyn Store, id: TicketId) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        store.ticket(id).await.unwrap(),
        store.messages(id, true).await.unwrap(),
        store.history(id).await.unwrap(),
        store.time_entries(id).await.unwrap()
    )
}

/// Every kind of change, about `full` and its `messages` (a reply and a note).
fn every_change(full: &Ticket, reply: &Message, note: &Message, agent: AgentId) -> Vec<Change> {
    let at = full.created_at + Duration::days(3);
    vec![
        Change::Created {
            subject: full.subject.clone(),
            department: full.department,
            status: Status::New,
            priority: Priority::Urgent,
            ticket_type: full.ticket_type.clone(),
            channel: Channel::Phone,
            internal: true,
            follow_up_of: full.follow_up_of,
        },
        Change::Replied {
            message: reply.id,
            first_response: true,
        },
        Change::NoteAdded { message: note.id },
        Change::StatusChanged {
            from: Status::Resolved,
            to: Status::Closed(Resolution::AutoClosed),
        },
        Change::PriorityChanged {
            from: Priority::Low,
            to: Priority::Urgent,
        },
        Change::AssigneeChanged {
            from: None,
            to: Some(agent),
        },
        Change::DepartmentChanged {
            from: DepartmentId::new(),
            to: full.department,
        },
        Change::TypeChanged {
            from: TicketType::Question,
            to: TicketType::custom("x-y_z").unwrap(),
        },
        Change::CategoriesChanged {
            from: vec![],
            to: full.categories.iter().cloned().collect(),
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
        Change::SlaWarning {
            target: SlaTarget::NextResponse,
        },
        Change::SlaBreached {
            target: SlaTarget::Resolution,
        },
        Change::PendingReminder,
        Change::AutoCloseWarning {
            closes_at: at + Duration::microseconds(3),
        },
        Change::SatisfactionRated {
            score: Rating::new(2).unwrap(),
            comment: Some(ShortNote::parse("«медленно» \\ 'x'").unwrap()),
        },
        Change::PriorityRequested {
            priority: Priority::High,
            reason: ShortNote::parse("Весь офис").unwrap(),
        },
        Change::PriorityRequestDecided {
            priority: Priority::High,
            approved: false,
        },
        Change::TimeLogged {
            entry: TimeEntryId::new(),
            minutes: Minutes::new(1440).unwrap(),
            billable: true,
        },
        Change::ThreadEmailed {
            to: email("boss@acme.example"),
        },
        Change::Tagged {
            added: full.tags.iter().cloned().collect(),
            removed: vec![crate::domain::Tag::parse("старый").unwrap()],
        },
    ]
}

pub async fn tickets_and_everything_on_them_round_trip(store: Arc<dyn Store>) {
    let memory = MemoryStore::new();
    let support = department("Support");
    let (ana, ivan) = (CustomerId::new(), AgentId::new());
    let full = full_ticket(number(1), support.id, ana, ivan);
    let plain = ticket(number(2), support.id, ana);
    // Full and short forms equal (a counter scheme), no customer, opened by the system.
    let counter = Ticket {
        number: TicketNumber::new("1003", "1003").unwrap(),
        customer: None,
        opened_by: Actor::System,
        ..ticket(number(3), support.id, ana)
    };
    // Durations beyond 32 bits.
    let measured = Ticket {
        metrics: TicketMetrics {
            first_response_secs: Some(i64::MIN),
            resolution_secs: Some(i64::from(i32::MAX) * 3),
            reopens: u32::MAX,
        },
        ..ticket(number(4), support.id, ana)
    };

    let mut public = full_message(
        &full,
        Actor::Customer(ana),
        Visibility::Public,
        "Смотрите\r\n\tскриншот",
    );
    public.channel = Channel::Chat;
    public.attachments = vec![
        attachment("экран.png"),
        attachment("b c.png"),
        Attachment::from_upload(
            "C:\\Users\\ana\\Отчёт: май.pdf",
            "application/pdf",
            7,
            &"cd".repeat(32),
        )
        .unwrap(),
    ];
    assert_ne!(
        public.attachments[2].display_name(),
        public.attachments[2].file_name()
    );
    let note = full_message(
        &full,
        Actor::Agent(ivan),
        Visibility::Internal,
        "internal only",
    );
    let system = Message {
        attachments: vec![],
        ..full_message(&full, Actor::System, Visibility::Public, "Automatic reply")
    };
    let actors = [Actor::System, Actor::Agent(ivan), Actor::Customer(ana)];
    let events: Vec<_> = every_change(&full, &public, &note, ivan)
        .into_iter()
        .enumerate()
        .map(|(i, change)| {
            let mut e = full_event(&full, actors[i % 3], change);
            e.at += Duration::microseconds(i as i64);
            e
        })
        .collect();
    let mut entries = vec![
        full_time_entry(&full, ivan, 90, true, "настройка VPN"),
        full_time_entry(&full, ivan, 1_440, true, ""),
        full_time_entry(&full, ivan, 1, false, "call"),
    ];
    entries[0].note_visible_to_customer = true;
    let mut write = TicketWrite::create(full.clone())
        .with_message(public.clone())
        .with_message(note.clone())
        .with_message(system.clone());
    write.events = events.clone();
    write.time_entries = entries.clone();
    let batch = WriteBatch::of(vec![
        write,
        TicketWrite::create(plain.clone()),
        TicketWrite::create(counter.clone()),
        TicketWrite::create(measured.clone()),
    ]);
    for s in [store.as_ref(), &memory as &dyn Store] {
        s.commit(batch.clone()).await.unwrap();
    }

    for t in [&full, &plain, &counter, &measured] {
        assert_eq!(store.ticket(t.id).await.unwrap().as_ref(), Some(t));
        assert_eq!(
            everything(store.as_ref(), t.id).await,
            everything(&memory, t.id).await
        );
        for digits in [t.number.full(), t.number.short()] {
            assert_eq!(
                store.ticket_by_number(digits).await.unwrap().as_ref(),
                Some(t),
                "{digits}"
            );
        }
    }
    assert_eq!(
        store.messages(full.id, true).await.unwrap(),
        [public.clone(), note.clone(), system.clone()]
    );
    assert_eq!(
        store.messages(full.id, false).await.unwrap(),
        [public.clone(), system.clone()]
    );
    assert_eq!(store.history(full.id).await.unwrap(), events);
    assert_eq!(store.time_entries(full.id).await.unwrap(), entries);
    assert_eq!(store.ticket(TicketId::new()).await.unwrap(), None);
    assert_eq!(store.ticket_by_number("99999999").await.unwrap(), None);
    assert_eq!(store.ticket_by_number("99").await.unwrap(), None);
    assert!(store.messages(plain.id, true).await.unwrap().is_empty());
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
    let replaced = Ticket {
        id: plain.id,
        number: plain.number.clone(),
        version: plain.version.next(),
        updated_at: plain.updated_at + Duration::hours(1),
        ..full_ticket(
            plain.number.clone(),
            DepartmentId::new(),
            CustomerId::new(),
            ivan,
        )
    };
    let mut update = TicketWrite::update(plain.version, replaced.clone());
    for i in 0..5 {
        update = update.with_message(message(
            &replaced,
            &format!("reply {i}"),
            Visibility::Public,
        ));
    }
    let later = full_message(&full, Actor::Agent(ivan), Visibility::Public, "later");
    let timers = Timers {
        sla_policy: None,
        pending_until: None,
        ..full_timers(full.created_at)
    };
    let recategorised = Ticket {
        categories: ["VPN", "Wi-Fi"]
            .into_iter()
            .map(|c| Category::parse(c).unwrap())
            .collect(),
        version: full.version.next(),
        updated_at: full.updated_at + Duration::seconds(30),
        service: None,
        waiting_since: None,
        next_due_at: timers.next_due_at(),
        timers,
        ..full.clone()
    };
    let batch = WriteBatch::of(vec![
        update,
        TicketWrite::update(full.version, recategorised.clone()).with_message(later.clone()),
    ]);
    for s in [store.as_ref(), &memory as &dyn Store] {
        s.commit(batch.clone()).await.unwrap();
    }
    for t in [&replaced, &recategorised] {
        assert_eq!(store.ticket(t.id).await.unwrap().as_ref(), Some(t));
        assert_eq!(
            everything(store.as_ref(), t.id).await,
            everything(&memory, t.id).await
        );
    }
    assert_eq!(
        store.messages(full.id, true).await.unwrap(),
        [public, note, system, later]
    );
    // And back to nothing optional.
    let emptied = Ticket {
        categories: Default::default(),
        waiting_since: None,
        timers: Timers::default(),
        next_due_at: None,
        satisfaction: None,
        priority_request: None,
        version: replaced.version.next(),
        ..replaced.clone()
    };
    store
        .commit(WriteBatch::one(TicketWrite::update(
            replaced.version,
            emptied.clone(),
        )))
        .await
        .unwrap();
    assert_eq!(store.ticket(plain.id).await.unwrap(), Some(emptied));
}

/// 1, 2, 3, then sixteen concurrent callers get sixteen values never handed out before;
/// an empty batch is committed as nothing.
pub async fn the_sequence_counts_from_one_and_never_repeats(store: Arc<dyn Store>) {
    for want in 1..=3 {
        assert_eq!(store.next_ticket_sequence().await.unwrap(), want);
    }
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
    assert_eq!(values, (4..=19).collect::<Vec<u64>>());
    store.commit(WriteBatch::default()).await.unwrap();
    assert_eq!(store.next_ticket_sequence().await.unwrap(), 20);
}

/// Blocks of sequence values, taken by concurrent callers among single values, are ascending,
/// as long as asked, and share no value with each other or the single ones; a block of none
/// takes nothing.
pub async fn blocks_of_sequence_values_never_repeat_a_value(store: Arc<dyn Store>) {
    assert_eq!(store.next_ticket_sequences(3).await.unwrap(), vec![1, 2, 3]);
    assert!(store.next_ticket_sequences(0).await.unwrap().is_empty());
    let tasks: Vec<_> = (0..8u32)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                if i % 2 == 0 {
                    store.next_ticket_sequences(i + 1).await.unwrap()
                } else {
                    vec![store.next_ticket_sequence().await.unwrap()]
                }
            })
        })
        .collect();
    let mut all = Vec::new();
    for (i, task) in tasks.into_iter().enumerate() {
        let values = task.await.unwrap();
        let want = if i % 2 == 0 { i + 1 } else { 1 };
        assert_eq!(values.len(), want);
        assert!(values.windows(2).all(|w| w[0] < w[1]), "{values:?}");
        all.extend(values);
    }
    let taken = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), taken, "a value handed out twice");
    assert!(all.iter().all(|v| *v > 3));
    let next = store.next_ticket_sequence().await.unwrap();
    assert!(all.iter().all(|v| *v < next));
}
