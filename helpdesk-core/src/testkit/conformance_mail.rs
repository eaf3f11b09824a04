//! Conformance checks for what a store keeps beside tickets: in-app notifications, the
//! e-mail outbox and the Message-IDs of mail in and out. Each takes a fresh, empty store.
#![allow(missing_docs)]

use std::sync::Arc;

use chrono::Duration;

use super::Fixture;
use crate::clock::Clock;
use crate::domain::{
    Delivery, DeliveryOutcome, EmailKind, EventId, Language, MailReference, Notification,
    NotificationAction, NotificationId, NotificationKind, NotificationState, OutboundEmail,
    OutboxId, Recipient, SlaTarget, Ticket, TicketId,
};
use crate::error::{ConflictKind, Entity, Error};
use crate::store::{Store, TicketWrite, WriteBatch};

fn notification(
    ticket: &Ticket,
    recipient: Recipient,
    kind: NotificationKind,
    seconds: i64,
) -> Notification {
    Notification {
        id: NotificationId::new(),
        recipient,
        ticket_id: ticket.id,
        event_id: EventId::new(),
        kind,
        created_at: ticket.created_at + Duration::seconds(seconds),
        state: NotificationState::default(),
    }
}

fn outbound(ticket: &Ticket, message_id: &str, seconds: i64) -> OutboundEmail {
    let at = ticket.created_at + Duration::seconds(seconds);
    OutboundEmail {
        id: OutboxId::new(),
        message_id: message_id.to_owned(),
        ticket_id: Some(ticket.id),
        kind: EmailKind::AgentReply,
        language: Language::Persian,
        to: super::samples::email("reza@example.ir"),
        to_name: Some("رضا احمدی".to_owned()),
        subject: format!("[#{}] پاسخ «اینترنت»", ticket.number.full()),
        body: "سلام\n\nline two — ünïcödé\n-- \nIvan".to_owned(),
        references: vec![
            "first@client.example".to_owned(),
            "second@desk.example".to_owned(),
        ],
        created_at: at,
        attempts: 0,
        delivery: Delivery::Pending { at },
        last_error: None,
    }
}

/// A ticket of `customer` in support that the store does not hold yet, and the batch that
/// creates it (written straight to the store, so no service rule adds anything).
fn fresh(f: &Fixture, customer: &crate::domain::Customer, sequence: u64) -> (WriteBatch, Ticket) {
    let t = super::samples::ticket(super::samples::number(sequence), f.support.id, customer.id);
    (WriteBatch::one(TicketWrite::create(t.clone())), t)
}

/// A batch that changes nothing of the ticket but its version.
fn touch(ticket: &Ticket) -> (WriteBatch, Ticket) {
    let mut next = ticket.clone();
    next.version = ticket.version.next();
    (
        WriteBatch::one(TicketWrite::update(ticket.version, next.clone())),
        next,
    )
}

pub async fn notifications_are_written_with_their_ticket_and_keep_their_state(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store.clone()).await;
    let (mut batch, t) = fresh(&f, &f.ana, 901);
    let ivan = Recipient::Agent(f.ivan.id);
    let ana = Recipient::Customer(f.ana.id);
    let first = notification(&t, ivan, NotificationKind::NewTicket, 1);
    let second = notification(
        &t,
        ivan,
        NotificationKind::SlaWarning {
            target: SlaTarget::FirstResponse,
        },
        2,
    );
    let closes_at = t.created_at + Duration::days(7);
    let third = notification(
        &t,
        ivan,
        NotificationKind::AutoCloseWarning { closes_at },
        3,
    );
    let for_ana = notification(&t, ana, NotificationKind::AgentReplied, 2);
    batch.notifications = vec![
        first.clone(),
        second.clone(),
        third.clone(),
        for_ana.clone(),
    ];
    store.commit(batch).await.unwrap();

    let now = t.created_at + Duration::seconds(10);
    let listed = store.notifications(ivan, now, 10).await.unwrap();
    assert_eq!(listed, vec![third.clone(), second.clone(), first.clone()]);
    assert_eq!(store.notifications(ivan, now, 2).await.unwrap().len(), 2);
    assert_eq!(
        store.notifications(ana, now, 10).await.unwrap(),
        vec![for_ana.clone()]
    );
    assert_eq!(
        store
            .notifications(Recipient::Agent(f.maria.id), now, 10)
            .await
            .unwrap(),
        vec![]
    );
    // Only its recipient sees a notification.
    assert_eq!(store.notification(ivan, for_ana.id).await.unwrap(), None);
    assert_eq!(
        store.notification(ana, for_ana.id).await.unwrap(),
        Some(for_ana.clone())
    );
    let err = store
        .set_notification_state(ivan, for_ana.id, &NotificationState::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                entity: Entity::Notification,
                ..
            }
        ),
        "{err:?}"
    );

    // Read, snooze ("Remind later") and dismiss.
    let read = NotificationAction::Read.apply(first.state, now);
    store
        .set_notification_state(ivan, first.id, &read)
        .await
        .unwrap();
    assert!(
        store
            .notification(ivan, first.id)
            .await
            .unwrap()
            .unwrap()
            .is_read()
    );
    let later = now + Duration::hours(2);
    let snoozed = NotificationAction::Snooze { until: later }.apply(second.state, now);
    store
        .set_notification_state(ivan, second.id, &snoozed)
        .await
        .unwrap();
    let dismissed = NotificationAction::Dismiss.apply(third.state, now);
    store
        .set_notification_state(ivan, third.id, &dismissed)
        .await
        .unwrap();
    let ids = |v: Vec<Notification>| v.into_iter().map(|n| n.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.notifications(ivan, now, 10).await.unwrap()),
        vec![first.id]
    );
    assert_eq!(
        ids(store.notifications(ivan, later, 10).await.unwrap()),
        vec![second.id, first.id],
        "a snoozed notification comes back at its time"
    );
    let kept = store.notification(ivan, third.id).await.unwrap().unwrap();
    assert_eq!(kept.state, dismissed);
    assert_eq!(kept.kind, NotificationKind::AutoCloseWarning { closes_at });
    assert!(
        store.ticket(t.id).await.unwrap().is_some(),
        "the ticket stays"
    );
}

pub async fn the_outbox_leases_each_email_once_and_records_delivery(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (mut batch, t) = fresh(&f, &f.reza, 902);
    let a = outbound(&t, "a.1@desk.example", 1);
    let b = outbound(&t, "b.2@desk.example", 2);
    let mut later = outbound(&t, "c.3@desk.example", 3);
    later.delivery = Delivery::Pending {
        at: t.created_at + Duration::hours(1),
    };
    batch.outbox = vec![later.clone(), b.clone(), a.clone()];
    store.commit(batch).await.unwrap();

    assert_eq!(store.outbox_email(a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(store.outbox_email(OutboxId::new()).await.unwrap(), None);
    assert_eq!(
        store.ticket_emails(t.id).await.unwrap(),
        vec![a.clone(), b.clone(), later.clone()]
    );
    assert_eq!(store.ticket_emails(TicketId::new()).await.unwrap(), vec![]);

    let now = t.created_at + Duration::seconds(10);
    let lease = now + Duration::minutes(5);
    let taken = store.lease_outbox(now, lease, 1).await.unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].id, a.id, "the earliest first");
    assert_eq!(taken[0].attempts, 1);
    assert_eq!(taken[0].delivery, Delivery::Pending { at: lease });
    let taken = store.lease_outbox(now, lease, 10).await.unwrap();
    assert_eq!(taken.iter().map(|e| e.id).collect::<Vec<_>>(), vec![b.id]);
    assert_eq!(
        store.lease_outbox(now, lease, 10).await.unwrap(),
        vec![],
        "leased ones wait"
    );

    // A dispatcher that died leaves its e-mail to be taken again after the lease.
    let again = store
        .lease_outbox(lease, lease + Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(
        again.iter().map(|e| (e.id, e.attempts)).collect::<Vec<_>>(),
        vec![(a.id, 2), (b.id, 2)]
    );
    assert_eq!(
        again[0].message_id, a.message_id,
        "the same Message-ID on every attempt"
    );

    let sent_at = lease + Duration::seconds(1);
    store
        .finish_delivery(a.id, &DeliveryOutcome::Sent { at: sent_at })
        .await
        .unwrap();
    let retry_at = lease + Duration::hours(2);
    store
        .finish_delivery(
            b.id,
            &DeliveryOutcome::Retry {
                retry_at,
                error: "450 mailbox busy".to_owned(),
            },
        )
        .await
        .unwrap();
    let a_now = store.outbox_email(a.id).await.unwrap().unwrap();
    assert_eq!(a_now.delivery, Delivery::Sent { at: sent_at });
    assert_eq!(a_now.attempts, 2);
    let b_now = store.outbox_email(b.id).await.unwrap().unwrap();
    assert_eq!(b_now.delivery, Delivery::Pending { at: retry_at });
    assert_eq!(b_now.last_error.as_deref(), Some("450 mailbox busy"));
    let at_retry = store
        .lease_outbox(retry_at, retry_at + Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(
        at_retry.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![later.id, b.id],
        "sent ones are never taken again"
    );
    store
        .finish_delivery(
            b.id,
            &DeliveryOutcome::Failed {
                at: retry_at,
                error: "550 no such user".to_owned(),
            },
        )
        .await
        .unwrap();
    let b_now = store.outbox_email(b.id).await.unwrap().unwrap();
    assert_eq!(b_now.delivery, Delivery::Failed { at: retry_at });
    assert_eq!(b_now.last_error.as_deref(), Some("550 no such user"));
    let err = store
        .finish_delivery(OutboxId::new(), &DeliveryOutcome::Sent { at: sent_at })
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                entity: Entity::Email,
                ..
            }
        ),
        "{err:?}"
    );
}

pub async fn concurrent_dispatchers_lease_each_email_once(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (mut batch, t) = fresh(&f, &f.reza, 903);
    let emails: Vec<_> = (0..20)
        .map(|i| outbound(&t, &format!("m{i}@desk.example"), i))
        .collect();
    batch.outbox = emails.clone();
    store.commit(batch).await.unwrap();
    let now = t.created_at + Duration::minutes(1);
    let lease = now + Duration::minutes(5);
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = store.lease_outbox(now, lease, 3).await.unwrap();
                if got.is_empty() {
                    break mine;
                }
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

pub async fn mail_references_thread_and_a_taken_message_id_commits_nothing(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (batch, other) = fresh(&f, &f.acme, 905);
    store.commit(batch).await.unwrap();
    let (mut batch, t) = fresh(&f, &f.ana, 904);
    let inbound = MailReference {
        message_id: "CAF=x+1@mail.example.com".to_owned(),
        ticket_id: t.id,
        inbound: true,
    };
    let sent = MailReference {
        message_id: "hd.1@desk.example".to_owned(),
        ticket_id: t.id,
        inbound: false,
    };
    let email = outbound(&t, "hd.1@desk.example", 1);
    batch.mail_references = vec![inbound.clone(), sent.clone()];
    batch.outbox = vec![email.clone()];
    store.commit(batch).await.unwrap();
    assert_eq!(
        store
            .mail_reference("CAF=x+1@mail.example.com")
            .await
            .unwrap(),
        Some(inbound.clone())
    );
    assert_eq!(
        store
            .mail_reference("caf=x+1@mail.example.com")
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.mail_reference("unknown@x").await.unwrap(), None);
    assert_eq!(
        store.mail_references(t.id).await.unwrap(),
        vec![inbound.clone(), sent.clone()]
    );
    assert_eq!(store.mail_references(other.id).await.unwrap(), vec![]);

    // A Message-ID that is taken refuses the whole batch: ticket, notification, e-mail.
    let other_before = store.ticket(other.id).await.unwrap().unwrap();
    let (mut batch, _) = touch(&other);
    batch.mail_references = vec![MailReference {
        message_id: inbound.message_id.clone(),
        ticket_id: other.id,
        inbound: true,
    }];
    batch.notifications = vec![notification(
        &other,
        Recipient::Agent(f.ivan.id),
        NotificationKind::CustomerReplied,
        1,
    )];
    let err = store.commit(batch).await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Conflict {
                kind: ConflictKind::Duplicate {
                    field
                },
                ..
            } if field == "message_id"
        ),
        "{err:?}"
    );
    let (mut batch, _) = touch(&other);
    batch.outbox = vec![outbound(&other, &email.message_id, 5)];
    let err = store.commit(batch).await.unwrap_err();
    assert!(matches!(&err, Error::Conflict { .. }), "{err:?}");
    assert_eq!(store.ticket(other.id).await.unwrap().unwrap(), other_before);
    let now = other.created_at + Duration::hours(1);
    assert_eq!(
        store
            .notifications(Recipient::Agent(f.ivan.id), now, 10)
            .await
            .unwrap(),
        vec![]
    );
    assert_eq!(store.mail_references(other.id).await.unwrap(), vec![]);
    assert_eq!(store.ticket_emails(other.id).await.unwrap(), vec![]);
}

pub async fn notifications_and_mail_outside_the_batch_are_refused(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let (batch, t) = fresh(&f, &f.ana, 906);
    store.commit(batch).await.unwrap();
    let (batch, stranger) = fresh(&f, &f.acme, 907);
    store.commit(batch).await.unwrap();
    let (mut batch, _) = touch(&t);
    batch.notifications = vec![notification(
        &stranger,
        Recipient::Agent(f.ivan.id),
        NotificationKind::Assigned,
        1,
    )];
    assert!(matches!(
        store.commit(batch).await,
        Err(Error::Validation(_))
    ));
    let (mut batch, _) = touch(&t);
    batch.outbox = vec![outbound(&t, "same@x", 1), outbound(&t, "same@x", 2)];
    assert!(matches!(
        store.commit(batch).await,
        Err(Error::Validation(_))
    ));
    let (mut batch, _) = touch(&t);
    batch.mail_references = vec![MailReference {
        message_id: "m@x".to_owned(),
        ticket_id: stranger.id,
        inbound: true,
    }];
    assert!(matches!(
        store.commit(batch).await,
        Err(Error::Validation(_))
    ));
    assert_eq!(store.ticket(t.id).await.unwrap().unwrap(), t);
    let now = f.clock.now() + Duration::days(1);
    assert_eq!(
        store
            .notifications(Recipient::Agent(f.ivan.id), now, 10)
            .await
            .unwrap(),
        vec![]
    );
    assert_eq!(store.ticket_emails(t.id).await.unwrap(), vec![]);
    assert_eq!(store.mail_reference("m@x").await.unwrap(), None);
}
