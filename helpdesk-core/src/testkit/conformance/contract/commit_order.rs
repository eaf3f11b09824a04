//! Which error a batch that breaks several rules gets: the first in
//! [`check_commit`](crate::store::check_commit)'s order. The shape before any stored fact;
//! then the writes in batch order (for a new ticket its id before its number; for a changed
//! one existence, then its number, then its version); then a taken Message-ID, a taken
//! notification id, a taken e-mail id. Every one writes nothing.

use std::sync::Arc;

use super::commit_scene::Scene;
use super::outbox::outbound;
use crate::domain::{
    MailReference, Notification, NotificationId, OutboundEmail, Ticket, TicketId, Version,
    Visibility,
};
use crate::store::{Store, TicketWrite, WriteBatch};
use crate::testkit::samples::message;

pub async fn the_first_broken_rule_is_the_error(store: Arc<dyn Store>) {
    let s = Scene::new(store).await;
    let (a, b) = (&s.a, &s.b);
    let stale_a = || TicketWrite::update(Version::FIRST, Scene::next(a, |_| {}));
    let taken_number = || {
        TicketWrite::create(Ticket {
            number: b.number.clone(),
            ..s.fresh(20)
        })
    };
    let missing = || Scene::touch(&s.fresh(21));
    let renumbered_a = || {
        TicketWrite::update(
            Version::FIRST,
            Scene::next(a, |t| t.number = s.fresh(40).number),
        )
    };
    let mut stray = message(b, "stray", Visibility::Public);
    stray.ticket_id = a.id;
    let stray_b = Scene::touch(b).with_message(stray);

    // The shape first, wherever it is broken.
    s.refused(
        WriteBatch::of(vec![taken_number(), stray_b.clone()]),
        "invalid ticket_id",
    )
    .await;
    s.refused(
        WriteBatch::of(vec![stray_b, taken_number()]),
        "invalid ticket_id",
    )
    .await;
    // Then the writes in batch order.
    s.refused(
        WriteBatch::of(vec![taken_number(), stale_a()]),
        "duplicate ticket number",
    )
    .await;
    s.refused(
        WriteBatch::of(vec![stale_a(), taken_number()]),
        "stale ticket 1 2",
    )
    .await;
    let missing_write = missing();
    let missing_id = missing_write.ticket.id;
    s.refused(
        WriteBatch::of(vec![missing_write, stale_a()]),
        &format!("not found ticket {missing_id}"),
    )
    .await;
    s.refused(
        WriteBatch::of(vec![stale_a(), missing()]),
        "stale ticket 1 2",
    )
    .await;
    // A new ticket's id before its number.
    s.refused(
        WriteBatch::one(TicketWrite::create(b.clone())),
        "duplicate ticket id",
    )
    .await;
    // A changed ticket's number before its version.
    s.refused(WriteBatch::one(renumbered_a()), "invalid number")
        .await;

    // Ticket writes before a taken Message-ID, that before a taken notification id, that
    // before a taken e-mail id.
    let taken_notification = Notification {
        ticket_id: a.id,
        ..s.notification.clone()
    };
    let taken_email = OutboundEmail {
        message_id: "fresh.7@desk.example".to_owned(),
        ..s.email.clone()
    };
    let taken_message_id = MailReference {
        message_id: s.filed.message_id.clone(),
        ticket_id: a.id,
        inbound: false,
    };
    let everything_taken = |write: TicketWrite| WriteBatch {
        writes: vec![write],
        notifications: vec![taken_notification.clone()],
        outbox: vec![taken_email.clone()],
        mail_references: vec![taken_message_id.clone()],
        rule_firings: Vec::new(),
        rule_deliveries: Vec::new(),
        no_webhook_endpoints: false,
    };
    s.refused(everything_taken(stale_a()), "stale ticket 1 2")
        .await;
    s.refused(
        everything_taken(Scene::touch(a)),
        "duplicate e-mail message_id",
    )
    .await;
    let mut batch = everything_taken(Scene::touch(a));
    batch.mail_references.clear();
    s.refused(batch, "duplicate notification id").await;
    let mut batch = everything_taken(Scene::touch(a));
    batch.mail_references.clear();
    batch.notifications[0].id = NotificationId::new();
    s.refused(batch, "duplicate e-mail id").await;
    // A taken e-mail Message-ID is a Message-ID too.
    let mut batch = everything_taken(Scene::touch(a));
    batch.mail_references.clear();
    batch.outbox = vec![OutboundEmail {
        id: s.email.id,
        ..outbound(Some(a), &s.email.message_id, 5)
    }];
    s.refused(batch, "duplicate e-mail message_id").await;
    assert_eq!(s.store.ticket(TicketId::new()).await.unwrap(), None);
}
