//! Notifications, the outbox, mail references and attachments on PostgreSQL: every value
//! round-trips, batches and their conflicts compare with the in-memory reference, concurrent
//! batches with one Message-ID commit exactly one, and stored garbage is a corrupt value.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use common::*;
use helpdesk_core::Error;
use helpdesk_core::domain::{
    Attachment, CustomerId, Delivery, DeliveryOutcome, DepartmentId, EmailKind, EventId, Language,
    MailReference, Notification, NotificationId, NotificationKind, NotificationState,
    OutboundEmail, OutboxId, Recipient, SlaTarget, Ticket, TicketId, Visibility,
};
use helpdesk_core::error::CorruptValue;
use helpdesk_core::error::{ConflictKind, Entity};
use helpdesk_core::store::{MemoryStore, Store, TicketWrite, WriteBatch};
use helpdesk_postgres::testing;
use tokio::sync::Barrier;

fn notification(
    ticket: &Ticket,
    recipient: Recipient,
    kind: NotificationKind,
    s: i64,
) -> Notification {
    Notification {
        id: NotificationId::new(),
        recipient,
        ticket_id: ticket.id,
        event_id: EventId::new(),
        kind,
        created_at: at(s),
        state: NotificationState::default(),
    }
}

fn email(ticket: Option<&Ticket>, message_id: &str, s: i64) -> OutboundEmail {
    OutboundEmail {
        id: OutboxId::new(),
        message_id: message_id.to_owned(),
        ticket_id: ticket.map(|t| t.id),
        kind: EmailKind::TicketReceived,
        language: Language::Russian,
        to: common::email("ana@example.ro"),
        to_name: None,
        subject: "[#1] Нет интернета 'quoted' \"twice\" \\ back".to_owned(),
        body: "Здравствуйте!\r\n\r\n— 😀 ünïcödé\n-- \n".to_owned(),
        references: Vec::new(),
        created_at: at(s),
        attempts: 0,
        delivery: Delivery::Pending { at: at(s) },
        last_error: None,
    }
}

fn reference(ticket: &Ticket, message_id: &str, inbound: bool) -> MailReference {
    MailReference {
        message_id: message_id.to_owned(),
        ticket_id: ticket.id,
        inbound,
    }
}

/// A write of `ticket` one version on (nothing else changed), and that version.
fn touch(ticket: &Ticket) -> (TicketWrite, Ticket) {
    let next = changed(ticket, ticket.updated_at, |_| {});
    (TicketWrite::update(ticket.version, next.clone()), next)
}

fn is_duplicate(e: &Error, want: Entity, want_field: &str) -> bool {
    matches!(
        e,
        Error::Conflict { entity, kind: ConflictKind::Duplicate { field } }
            if *entity == want && field == want_field
    )
}

/// Everything both stores hold about mail and notifications of `tickets` and `recipients`,
/// read at `now`.
async fn mail_state(
    store: &dyn Store,
    tickets: &[TicketId],
    recipients: &[Recipient],
    emails: &[OutboxId],
    now: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    for t in tickets {
        out += &format!("{:?}\n", store.ticket(*t).await.unwrap());
        out += &format!("{:?}\n", store.ticket_emails(*t).await.unwrap());
        out += &format!("{:?}\n", store.mail_references(*t).await.unwrap());
    }
    for r in recipients {
        out += &format!("{:?}\n", store.notifications(*r, now, 100).await.unwrap());
    }
    for e in emails {
        out += &format!("{:?}\n", store.outbox_email(*e).await.unwrap());
    }
    out
}

#[tokio::test]
async fn attachments_keep_their_display_name_and_old_ones_show_their_file_name() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    let mut m = message(&t, "см. вложения", Visibility::Public);
    let uploaded = Attachment::from_upload(
        "C:\\Users\\ana\\Отчёт: май.pdf",
        "application/pdf",
        7,
        &"cd".repeat(32),
    )
    .unwrap();
    assert_ne!(uploaded.display_name(), uploaded.file_name());
    m.attachments = vec![uploaded.clone(), attachment("plain.png")];
    store
        .commit(WriteBatch::one(create(&t).with_message(m.clone())))
        .await
        .unwrap();
    let stored = store.messages(t.id, true).await.unwrap();
    assert_eq!(stored.last(), Some(&m));

    // Written before display names existed: the JSON has none.
    sqlx::query(
        "UPDATE messages SET attachments = (SELECT coalesce(jsonb_agg(a - 'display_name'), \
         '[]'::jsonb) FROM jsonb_array_elements(attachments) a)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let stored = store.messages(t.id, true).await.unwrap();
    let old = &stored.last().unwrap().attachments;
    assert_eq!(old.len(), 2);
    assert_eq!(old[0].file_name(), uploaded.file_name());
    assert_eq!(old[0].display_name(), uploaded.file_name());
    assert_eq!(old[1], attachment("plain.png"));
    testing::discard(store).await.unwrap();
}

/// The same batches and calls on both stores give the same results, conflicts included,
/// and every field of every value reads back.
#[tokio::test]
async fn notifications_and_mail_behave_like_the_reference() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let memory = MemoryStore::new();
    let stores: [&dyn Store; 2] = [&pg, &memory];
    let dept = DepartmentId::new();
    let t = ticket(number(1), dept, CustomerId::new());
    let u = ticket(number(2), dept, CustomerId::new());
    let ivan = Recipient::Agent(helpdesk_core::domain::AgentId::new());
    let ana = Recipient::Customer(CustomerId::new());

    // Every kind of notification and state, for two recipients, some at one instant.
    let kinds = [
        NotificationKind::NewTicket,
        NotificationKind::Assigned,
        NotificationKind::CustomerReplied,
        NotificationKind::AgentReplied,
        NotificationKind::NoteAdded,
        NotificationKind::Resolved,
        NotificationKind::SlaWarning {
            target: SlaTarget::NextResponse,
        },
        NotificationKind::SlaBreached {
            target: SlaTarget::Resolution,
        },
        NotificationKind::AutoCloseWarning {
            closes_at: at(86_400),
        },
    ];
    let mut notifications: Vec<Notification> = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| notification(&t, if i % 3 == 0 { ana } else { ivan }, *k, (i as i64) / 2))
        .collect();
    notifications[1].state.read_at = Some(at(30));
    notifications[2].state.snoozed_until = Some(at(100));
    notifications[4].state.dismissed_at = Some(at(40));
    notifications[5].state = NotificationState {
        read_at: Some(at(10)),
        snoozed_until: Some(at(50)),
        dismissed_at: None,
    };

    // E-mails in every delivery state, one about no ticket, with and without a name,
    // references and an error.
    let mut sent = email(Some(&t), "sent.1@desk.example", 1);
    sent.delivery = Delivery::Sent { at: at(5) };
    sent.attempts = 1;
    sent.kind = EmailKind::AgentReply;
    sent.language = Language::Persian;
    sent.to_name = Some("رضا احمدی".to_owned());
    sent.references = vec!["CAF=x+1@mail.example.com".to_owned(), "a@b".to_owned()];
    let mut failed = email(Some(&t), "failed.2@desk.example", 1);
    failed.delivery = Delivery::Failed { at: at(7) };
    failed.attempts = 5;
    failed.last_error = Some("550 no such user".to_owned());
    let mut retry = email(Some(&t), "retry.3@desk.example", 0);
    retry.delivery = Delivery::Pending { at: at(20) };
    retry.attempts = 2;
    retry.last_error = Some("450 busy".to_owned());
    let mut thread = email(None, "thread.4@desk.example", 2);
    thread.kind = EmailKind::TicketThread;
    let due = email(Some(&t), "due.5@desk.example", 3);
    let first = WriteBatch {
        writes: vec![create(&t), create(&u)],
        notifications: notifications.clone(),
        outbox: vec![
            sent.clone(),
            failed.clone(),
            retry.clone(),
            thread.clone(),
            due.clone(),
        ],
        mail_references: vec![
            reference(&t, "CAF=x+1@mail.example.com", true),
            reference(&u, "other@mail.example.com", true),
            reference(&t, "sent.1@desk.example", false),
            reference(&t, "a@b", true),
        ],
    };

    // An e-mail about no ticket, alone.
    let alone = email(None, "alone.6@desk.example", 4);
    let (tw, t1) = touch(&t);
    let mut taken_reference = notification(&t, ivan, NotificationKind::Assigned, 9);
    taken_reference.id = notifications[0].id;
    let mut same_email_id = email(Some(&t), "fresh.7@desk.example", 9);
    same_email_id.id = sent.id;
    let batches = vec![
        first,
        WriteBatch {
            outbox: vec![alone.clone()],
            ..WriteBatch::default()
        },
        // A notification id taken.
        WriteBatch {
            notifications: vec![taken_reference.clone()],
            ..WriteBatch::one(tw.clone())
        },
        // An e-mail id taken.
        WriteBatch {
            outbox: vec![same_email_id.clone()],
            ..WriteBatch::one(tw.clone())
        },
        // A taken Message-ID is reported before taken ids.
        WriteBatch {
            notifications: vec![taken_reference.clone()],
            outbox: vec![same_email_id.clone()],
            mail_references: vec![reference(&t, "a@b", false)],
            ..WriteBatch::one(tw.clone())
        },
        WriteBatch {
            outbox: vec![OutboundEmail {
                message_id: "due.5@desk.example".to_owned(),
                ..same_email_id.clone()
            }],
            ..WriteBatch::one(tw.clone())
        },
        // An e-mail's Message-ID is no mail reference's, and the other way round: the
        // service files both for mail it sends.
        WriteBatch {
            outbox: vec![email(Some(&t), "CAF=x+1@mail.example.com", 8)],
            mail_references: vec![reference(&t, "due.5@desk.example", false)],
            ..WriteBatch::one(tw.clone())
        },
    ];
    let mut outcomes = Vec::new();
    for batch in batches {
        let got = pg.commit(batch.clone()).await;
        let want = memory.commit(batch).await;
        outcomes.push(outcome(&got));
        same_outcome(got, want).ok();
    }
    assert_eq!(
        outcomes,
        [
            "ok",
            "ok",
            "duplicate notification id",
            "duplicate e-mail id",
            "duplicate e-mail message_id",
            "duplicate e-mail message_id",
            "ok",
        ]
    );
    assert_eq!(pg.ticket(t.id).await.unwrap(), Some(t1.clone()));

    let tickets = [t.id, u.id, TicketId::new()];
    let recipients = [
        ivan,
        ana,
        Recipient::Agent(helpdesk_core::domain::AgentId::new()),
    ];
    let emails = [
        sent.id,
        failed.id,
        retry.id,
        thread.id,
        due.id,
        alone.id,
        OutboxId::new(),
    ];
    for s in [-1, 0, 1, 20, 49, 50, 100, 1000] {
        let now = at(s);
        let [p, m] = stores;
        assert_eq!(
            mail_state(p, &tickets, &recipients, &emails, now).await,
            mail_state(m, &tickets, &recipients, &emails, now).await,
            "at {s}"
        );
        for r in recipients {
            for limit in [0, 1, 3] {
                same_outcome(
                    p.notifications(r, now, limit).await,
                    m.notifications(r, now, limit).await,
                )
                .unwrap();
            }
        }
    }
    for n in &notifications {
        for r in [ivan, ana] {
            same_outcome(
                pg.notification(r, n.id).await,
                memory.notification(r, n.id).await,
            )
            .unwrap();
        }
    }
    assert_eq!(
        pg.notification(notifications[0].recipient, notifications[0].id)
            .await
            .unwrap(),
        Some(notifications[0].clone())
    );
    for id in [
        "CAF=x+1@mail.example.com",
        "caf=x+1@mail.example.com",
        "a@b",
        "a@b ",
        "nul\0@x",
        "",
    ] {
        same_outcome(pg.mail_reference(id).await, memory.mail_reference(id).await).unwrap();
    }

    // State changes and leases, step by step.
    let state = NotificationState {
        read_at: Some(at(60)),
        snoozed_until: Some(at(70)),
        dismissed_at: None,
    };
    for (r, id) in [
        (ivan, notifications[1].id),
        (ana, notifications[1].id),
        (ivan, NotificationId::new()),
    ] {
        same_outcome(
            pg.set_notification_state(r, id, &state).await,
            memory.set_notification_state(r, id, &state).await,
        )
        .ok();
    }
    for (now, lease, limit) in [
        (at(3), at(300), 2),
        (at(3), at(300), 10),
        (at(20), at(400), 10),
        (at(300), at(500), 1),
    ] {
        let got = pg.lease_outbox(now, lease, limit).await.unwrap();
        assert_eq!(got, memory.lease_outbox(now, lease, limit).await.unwrap());
    }
    let outcomes = [
        (retry.id, DeliveryOutcome::Sent { at: at(301) }),
        (
            due.id,
            DeliveryOutcome::Retry {
                retry_at: at(600),
                error: "421 try later".to_owned(),
            },
        ),
        (
            thread.id,
            DeliveryOutcome::Failed {
                at: at(302),
                error: "bounced\nfor good".to_owned(),
            },
        ),
        (OutboxId::new(), DeliveryOutcome::Sent { at: at(1) }),
    ];
    for (id, outcome) in outcomes {
        same_outcome(
            pg.finish_delivery(id, &outcome).await,
            memory.finish_delivery(id, &outcome).await,
        )
        .ok();
    }
    let now = at(600);
    let [p, m] = stores;
    assert_eq!(
        mail_state(p, &tickets, &recipients, &emails, now).await,
        mail_state(m, &tickets, &recipients, &emails, now).await
    );
    assert_eq!(
        pg.lease_outbox(now, at(900), 10).await.unwrap(),
        memory.lease_outbox(now, at(900), 10).await.unwrap()
    );
    testing::discard(pg).await.unwrap();
}

/// A comparable summary of a commit's outcome.
fn outcome(result: &helpdesk_core::Result<()>) -> String {
    match result {
        Ok(()) => "ok".to_owned(),
        Err(e) => describe(e),
    }
}

/// Batches started together with the same Message-ID, none of them taken before: the
/// unique constraint lets exactly one commit, and the others commit nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_batches_with_one_message_id_commit_one() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let store = Arc::new(store);
    for (round, as_email) in [(0_u64, false), (1, true)] {
        let barrier = Arc::new(Barrier::new(8));
        let message_id = format!("race.{round}@mail.example.com");
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let (store, barrier, message_id) =
                    (store.clone(), barrier.clone(), message_id.clone());
                tokio::spawn(async move {
                    let t = ticket(
                        number(round * 100 + i + 1),
                        DepartmentId::new(),
                        CustomerId::new(),
                    );
                    let mut batch = WriteBatch::one(create(&t));
                    if as_email {
                        batch.outbox = vec![email(Some(&t), &message_id, 0)];
                    } else {
                        batch.mail_references = vec![reference(&t, &message_id, true)];
                    }
                    barrier.wait().await;
                    (t.id, store.commit(batch).await)
                })
            })
            .collect();
        let mut won = Vec::new();
        for task in tasks {
            let (id, result) = task.await.unwrap();
            match result {
                Ok(()) => won.push(id),
                Err(e) => {
                    assert!(is_duplicate(&e, Entity::Email, "message_id"), "{e:?}");
                    assert_eq!(store.ticket(id).await.unwrap(), None);
                }
            }
        }
        assert_eq!(won.len(), 1, "{won:?}");
        if as_email {
            assert_eq!(store.ticket_emails(won[0]).await.unwrap().len(), 1);
        } else {
            let found = store.mail_reference(&message_id).await.unwrap().unwrap();
            assert_eq!(found.ticket_id, won[0]);
        }
    }
    testing::discard(Arc::into_inner(store).unwrap())
        .await
        .unwrap();
}

/// A row changed behind the store's back is a backend error whose source says where.
#[tokio::test]
async fn stored_garbage_is_a_corrupt_value() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    let ivan = Recipient::Agent(helpdesk_core::domain::AgentId::new());
    let n = notification(&t, ivan, NotificationKind::NewTicket, 0);
    let e = email(Some(&t), "x@desk.example", 0);
    let batch = WriteBatch {
        notifications: vec![n.clone()],
        outbox: vec![e.clone()],
        ..WriteBatch::one(create(&t))
    };
    store.commit(batch).await.unwrap();

    let cases = [
        (
            "UPDATE notifications SET kind = '{\"kind\": \"party\"}'",
            "notifications",
            "kind",
        ),
        ("UPDATE outbox SET delivery = 'lost'", "outbox", "delivery"),
        ("UPDATE outbox SET kind = 'spam'", "outbox", "kind"),
        (
            "UPDATE outbox SET language = 'klingon'",
            "outbox",
            "language",
        ),
        (
            "UPDATE outbox SET to_address = 'nobody'",
            "outbox",
            "to_address",
        ),
        ("UPDATE outbox SET attempts = -1", "outbox", "attempts"),
        (
            "UPDATE outbox SET thread = '{\"a\": 1}'",
            "outbox",
            "thread",
        ),
    ];
    for (sql, table, column) in cases {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
        let err = if table == "notifications" {
            store.notification(ivan, n.id).await.unwrap_err()
        } else {
            store.outbox_email(e.id).await.unwrap_err()
        };
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
        // Start again from clean rows.
        for sql in ["DELETE FROM notifications", "DELETE FROM outbox"] {
            sqlx::query(sql).execute(store.pool()).await.unwrap();
        }
        let (tw, _) = touch(&store.ticket(t.id).await.unwrap().unwrap());
        let batch = WriteBatch {
            notifications: vec![n.clone()],
            outbox: vec![e.clone()],
            ..WriteBatch::one(tw)
        };
        store.commit(batch).await.unwrap();
        assert_eq!(store.outbox_email(e.id).await.unwrap(), Some(e.clone()));
    }
    testing::discard(store).await.unwrap();
}

/// A Message-ID that another transaction holds uncommitted when a batch checks it: the
/// batch waits on the unique index, and is a conflict with nothing written once the other
/// commits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_id_committed_meanwhile_is_a_conflict() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let store = Arc::new(store);
    let holder = ticket(number(1), DepartmentId::new(), CustomerId::new());
    store
        .commit(WriteBatch::one(create(&holder)))
        .await
        .unwrap();
    let inserts = [
        (
            false,
            "INSERT INTO mail_references (message_id, ticket_id, inbound) VALUES ($1, $2, true)",
        ),
        (
            true,
            "INSERT INTO outbox (id, message_id, ticket_id, kind, language, to_address, \
             subject, body, thread, created_at, attempts, delivery, delivery_at) \
             VALUES (gen_random_uuid(), $1, $2, 'closed', 'en', 'a@b.example', 's', 'b', \
             '[]', now(), 0, 'pending', now())",
        ),
    ];
    for (i, (as_email, insert)) in inserts.into_iter().enumerate() {
        let message_id = format!("held.{i}@mail.example.com");
        let mut other = store.pool().begin().await.unwrap();
        sqlx::query(insert)
            .bind(&message_id)
            .bind(holder.id.as_uuid())
            .execute(&mut *other)
            .await
            .unwrap();

        let t = ticket(
            number(10 + i as u64),
            DepartmentId::new(),
            CustomerId::new(),
        );
        let mut batch = WriteBatch::one(create(&t));
        if as_email {
            batch.outbox = vec![email(Some(&t), &message_id, 0)];
        } else {
            batch.mail_references = vec![reference(&t, &message_id, true)];
        }
        let pending = {
            let store = store.clone();
            tokio::spawn(async move { store.commit(batch).await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(
            !pending.is_finished(),
            "the batch waits on the unique index"
        );
        other.commit().await.unwrap();
        let err = pending.await.unwrap().unwrap_err();
        assert!(is_duplicate(&err, Entity::Email, "message_id"), "{err:?}");
        assert_eq!(store.ticket(t.id).await.unwrap(), None);
    }
    testing::discard(Arc::into_inner(store).unwrap())
        .await
        .unwrap();
}
