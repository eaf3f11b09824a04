//! What a commit means ([`check_commit`](crate::store::check_commit)), rule by rule: each
//! refused batch fails with the reference's error and writes nothing at all (every ticket,
//! child, number, notification, e-mail, mail reference and blob reference compared before
//! and after); each allowed one is written whole.

use std::sync::Arc;

use super::commit_scene::Scene;
use super::outbox::outbound;
use crate::domain::{
    Actor, Attachment, Change, MailReference, Message, NotificationId, NotificationKind, Recipient,
    Ticket, TicketNumber, Version, Visibility,
};
use crate::store::{BlobKey, Store, TicketWrite, WriteBatch};
use crate::testkit::samples::{event, full_message, message, time_entry};

/// A message of `ticket` that names another ticket.
fn stray(ticket: &Ticket) -> Message {
    let mut m = message(ticket, "stray", Visibility::Public);
    m.ticket_id = crate::domain::TicketId::new();
    m
}

pub async fn malformed_batches_are_refused_and_write_nothing(store: Arc<dyn Store>) {
    let s = Scene::new(store).await;
    let (a, b) = (&s.a, &s.b);
    let c = s.fresh(3);
    // A ticket at most once per batch, whatever the writes.
    s.refused(
        WriteBatch::of(vec![Scene::touch(a), Scene::touch(a)]),
        "invalid batch",
    )
    .await;
    let a3 = Scene::next(a, |_| {});
    s.refused(
        WriteBatch::of(vec![
            Scene::touch(a),
            TicketWrite::update(a3.version, Scene::next(&a3, |_| {})),
        ]),
        "invalid batch",
    )
    .await;
    s.refused(
        WriteBatch::of(vec![
            TicketWrite::create(c.clone()),
            TicketWrite::update(c.version, Scene::next(&c, |_| {})),
        ]),
        "invalid batch",
    )
    .await;
    // Messages, events and time entries belong to their write's ticket.
    s.refused(
        WriteBatch::one(TicketWrite::create(c.clone()).with_message(stray(&c))),
        "invalid ticket_id",
    )
    .await;
    let mut foreign_event = event(a, Change::MergeReceived { source: b.id });
    foreign_event.ticket_id = b.id;
    s.refused(
        WriteBatch::one(Scene::touch(a).with_event(foreign_event)),
        "invalid ticket_id",
    )
    .await;
    s.refused(
        WriteBatch::one(Scene::touch(a).with_time_entry(time_entry(
            b,
            crate::domain::AgentId::new(),
            5,
            false,
        ))),
        "invalid ticket_id",
    )
    .await;
    // A ticket is due when its timers say.
    let undue = Scene::next(a, |t| t.next_due_at = Some(t.updated_at));
    s.refused(
        WriteBatch::one(TicketWrite::update(a.version, undue)),
        "invalid next_due_at",
    )
    .await;
    // Notifications, e-mails and mail references belong to tickets of the batch.
    let mut batch = WriteBatch::one(Scene::touch(a));
    batch.notifications = vec![crate::domain::Notification {
        ticket_id: b.id,
        id: NotificationId::new(),
        ..s.notification.clone()
    }];
    s.refused(batch, "invalid ticket_id").await;
    let mut batch = WriteBatch::one(Scene::touch(a));
    batch.outbox = vec![outbound(Some(b), "elsewhere@desk.example", 1)];
    s.refused(batch, "invalid ticket_id").await;
    let mut batch = WriteBatch::one(Scene::touch(a));
    batch.mail_references = vec![MailReference {
        message_id: "elsewhere@mail.example.com".into(),
        ticket_id: b.id,
        inbound: true,
    }];
    s.refused(batch, "invalid ticket_id").await;
    // A Message-ID once among the e-mails, and once among the mail references.
    let mut batch = WriteBatch::one(Scene::touch(a));
    batch.outbox = vec![
        outbound(Some(a), "same@desk.example", 1),
        outbound(Some(a), "same@desk.example", 2),
    ];
    s.refused(batch, "invalid message_id").await;
    let mut batch = WriteBatch::one(Scene::touch(a));
    let twice = MailReference {
        message_id: "twice@mail.example.com".into(),
        ticket_id: a.id,
        inbound: true,
    };
    batch.mail_references = vec![twice.clone(), twice];
    s.refused(batch, "invalid message_id").await;
}

pub async fn a_new_ticket_needs_a_free_id_and_number(store: Arc<dyn Store>) {
    let s = Scene::new(store).await;
    let (a, b) = (&s.a, &s.b);
    // The other new ticket of each batch must not be written either.
    let bystander = s.fresh(9);
    let with_bystander = |t: Ticket| {
        WriteBatch::of(vec![
            TicketWrite::create(bystander.clone()),
            TicketWrite::create(t),
        ])
    };
    // A stored id, with its own number or a free one.
    s.refused(with_bystander(b.clone()), "duplicate ticket id")
        .await;
    let renumbered = Ticket {
        number: s.fresh(10).number,
        ..b.clone()
    };
    s.refused(with_bystander(renumbered), "duplicate ticket id")
        .await;
    // A number taken by a stored ticket: its full form, its short form (under another full
    // number), a stored short number as the new full number, a stored full number as the
    // new short number. The two forms share one namespace.
    let (full, short) = (a.number.full(), a.number.short());
    for (new_full, new_short) in [
        (full.to_owned(), short.to_owned()),
        (format!("7{short}"), short.to_owned()),
        (short.to_owned(), "1".to_owned()),
        (format!("9{full}"), full.to_owned()),
    ] {
        let taken = Ticket {
            number: TicketNumber::new(&new_full, &new_short).unwrap(),
            ..s.fresh(11)
        };
        s.refused(with_bystander(taken), "duplicate ticket number")
            .await;
    }
    // A number taken by an earlier new ticket of the same batch: both forms, the short form
    // alone, and its short form as the later one's full form.
    let x = s.fresh(20);
    for number in [
        x.number.clone(),
        TicketNumber::new(format!("7{}", x.number.short()), x.number.short()).unwrap(),
        TicketNumber::new(x.number.short(), "0").unwrap(),
    ] {
        let y = Ticket {
            number,
            ..s.fresh(21)
        };
        s.refused(
            WriteBatch::of(vec![TicketWrite::create(x.clone()), TicketWrite::create(y)]),
            "duplicate ticket number",
        )
        .await;
    }
    // A ticket whose two forms are one is fine, and found by it.
    let counter = Ticket {
        number: TicketNumber::new("42", "42").unwrap(),
        ..s.fresh(0)
    };
    s.accepted(WriteBatch::one(TicketWrite::create(counter.clone())))
        .await;
    assert_eq!(s.store.ticket_by_number("42").await.unwrap(), Some(counter));
}

pub async fn an_update_of_a_missing_ticket_is_not_found(store: Arc<dyn Store>) {
    let s = Scene::new(store).await;
    let missing = s.fresh(30);
    let want = format!("not found ticket {}", missing.id);
    s.refused(WriteBatch::one(Scene::touch(&missing)), &want)
        .await;
    s.refused(
        WriteBatch::of(vec![
            TicketWrite::create(s.fresh(31)),
            Scene::touch(&s.a),
            Scene::touch(&missing).with_message(message(&missing, "lost", Visibility::Public)),
        ]),
        &want,
    )
    .await;
}

/// An update that changes only the short form of the number, only the full form, or both,
/// is refused at the right version and at a stale one: a number never changes, and that is
/// checked before the version.
pub async fn a_ticket_number_never_changes(store: Arc<dyn Store>) {
    let s = Scene::new(store).await;
    let a = &s.a;
    let (full, short) = (a.number.full(), a.number.short());
    let only_short = TicketNumber::new(full, &short[1..]).unwrap();
    let only_full = TicketNumber::new(format!("9{full}"), short).unwrap();
    assert_eq!(only_short.full(), full);
    assert_ne!(only_short.short(), short);
    assert_eq!(only_full.short(), short);
    for number in [only_short, only_full, s.fresh(40).number] {
        let renumbered = Scene::next(a, |t| t.number = number.clone());
        for expected in [a.version, Version::FIRST] {
            s.refused(
                WriteBatch::one(TicketWrite::update(expected, renumbered.clone())),
                "invalid number",
            )
            .await;
        }
    }
}

pub async fn a_stale_version_is_a_conflict_naming_both_versions(store: Arc<dyn Store>) {
    let s = Scene::new(store).await;
    let (a, b) = (&s.a, &s.b);
    let changed = Scene::next(a, |t| t.priority = crate::domain::Priority::High);
    for (expected, want) in [
        (Version::FIRST, "stale ticket 1 2"),
        (Version::new(3), "stale ticket 3 2"),
    ] {
        s.refused(
            WriteBatch::one(TicketWrite::update(expected, changed.clone())),
            want,
        )
        .await;
    }
    // A stale write after a creation and a good update: none of them is written.
    let c = s.fresh(3);
    s.refused(
        WriteBatch::of(vec![
            TicketWrite::create(c.clone()).with_message(message(&c, "hi", Visibility::Public)),
            Scene::touch(b).with_message(message(b, "vanishes", Visibility::Public)),
            TicketWrite::update(Version::FIRST, changed.clone()),
        ]),
        "stale ticket 1 2",
    )
    .await;
    // At the right version it goes through, and then it is stale.
    let write = TicketWrite::update(a.version, changed.clone());
    s.accepted(WriteBatch::one(write.clone())).await;
    assert_eq!(s.store.ticket(a.id).await.unwrap(), Some(changed));
    s.refused(WriteBatch::one(write), "stale ticket 2 3").await;
}

pub async fn a_taken_message_id_is_a_duplicate(store: Arc<dyn Store>) {
    let s = Scene::new(store).await;
    let a = &s.a;
    // A new e-mail with a stored e-mail's Message-ID.
    let mut batch = WriteBatch::one(Scene::touch(a));
    batch.outbox = vec![outbound(Some(a), &s.email.message_id, 9)];
    s.refused(batch, "duplicate e-mail message_id").await;
    // A new mail reference with a stored reference's Message-ID, on a new ticket.
    let c = s.fresh(3);
    let mut batch = WriteBatch::one(TicketWrite::create(c.clone()));
    batch.mail_references = vec![MailReference {
        message_id: s.filed.message_id.clone(),
        ticket_id: c.id,
        inbound: true,
    }];
    batch.notifications = vec![crate::domain::Notification {
        id: NotificationId::new(),
        ticket_id: c.id,
        kind: NotificationKind::CustomerReplied,
        ..s.notification.clone()
    }];
    s.refused(batch, "duplicate e-mail message_id").await;
    // An e-mail's Message-ID is no mail reference's, and the other way round.
    let mut batch = WriteBatch::one(Scene::touch(a));
    batch.outbox = vec![outbound(Some(a), &s.filed.message_id, 9)];
    batch.mail_references = vec![MailReference {
        message_id: s.email.message_id.clone(),
        ticket_id: a.id,
        inbound: false,
    }];
    s.accepted(batch).await;
}

pub async fn taken_notification_and_email_ids_are_duplicates(store: Arc<dyn Store>) {
    let s = Scene::new(store).await;
    let a = &s.a;
    let mut batch = WriteBatch::one(Scene::touch(a));
    batch.notifications = vec![crate::domain::Notification {
        kind: NotificationKind::Assigned,
        ..s.notification.clone()
    }];
    s.refused(batch, "duplicate notification id").await;
    let mut batch = WriteBatch::one(Scene::touch(a));
    batch.outbox = vec![crate::domain::OutboundEmail {
        message_id: "fresh@desk.example".into(),
        ..s.email.clone()
    }];
    s.refused(batch, "duplicate e-mail id").await;
    // The same notification id for another recipient is taken too.
    let mut batch = WriteBatch::one(Scene::touch(a));
    batch.notifications = vec![crate::domain::Notification {
        recipient: Recipient::Customer(s.customer),
        ..s.notification.clone()
    }];
    s.refused(batch, "duplicate notification id").await;
}

/// A batch of every kind of write: an update and two creations with messages (attachments
/// too), events and time entries, notifications, e-mails and mail references, written whole.
pub async fn a_batch_of_every_kind_of_write_is_written_whole(store: Arc<dyn Store>) {
    let s = Scene::new(store).await;
    let a = &s.a;
    let (u, v) = (s.fresh(50), s.fresh(51));
    let mut a5 = Scene::next(a, |t| t.priority = crate::domain::Priority::Urgent);
    a5.categories
        .insert(crate::domain::Category::parse("second").unwrap());
    let mut with_file = full_message(&u, Actor::Customer(s.customer), Visibility::Public, "file");
    with_file.attachments =
        vec![Attachment::new("a.png", "image/png", 3, BlobKey::of(b"abc").as_str()).unwrap()];
    let batch = WriteBatch {
        writes: vec![
            TicketWrite::create(u.clone()).with_message(with_file),
            TicketWrite::update(a.version, a5.clone())
                .with_message(message(&a5, "ok", Visibility::Public))
                .with_event(event(
                    &a5,
                    Change::PriorityChanged {
                        from: a.priority,
                        to: a5.priority,
                    },
                ))
                .with_time_entry(time_entry(&a5, crate::domain::AgentId::new(), 30, false)),
            TicketWrite::create(v.clone()),
        ],
        notifications: vec![crate::domain::Notification {
            id: NotificationId::new(),
            ticket_id: v.id,
            ..s.notification.clone()
        }],
        outbox: vec![
            outbound(Some(&u), "u.1@desk.example", 2),
            outbound(None, "loose@desk.example", 3),
        ],
        mail_references: vec![MailReference {
            message_id: "v.1@mail.example.com".into(),
            ticket_id: v.id,
            inbound: true,
        }],
        rule_firings: Vec::new(),
        rule_deliveries: Vec::new(),
        no_webhook_endpoints: false,
    };
    s.accepted(batch).await;
    assert_eq!(s.store.ticket(a.id).await.unwrap(), Some(a5));
    for t in [&u, &v] {
        assert_eq!(s.store.ticket(t.id).await.unwrap().as_ref(), Some(t));
    }
    assert_eq!(
        s.store
            .referenced_blobs(&[BlobKey::of(b"abc")])
            .await
            .unwrap(),
        [BlobKey::of(b"abc")]
    );
}
