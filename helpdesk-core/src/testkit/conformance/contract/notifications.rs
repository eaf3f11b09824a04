//! In-app notifications: written with their ticket's batch, every kind and state read back,
//! listed as the reference lists them at any instant, and changed by their recipient only.

use std::sync::Arc;

use chrono::Duration;

use super::same_outcome;
use crate::domain::{
    AgentId, CustomerId, DepartmentId, EventId, Notification, NotificationAction, NotificationId,
    NotificationKind, NotificationState, Recipient, SlaTarget, Ticket,
};
use crate::error::{Entity, Error};
use crate::store::{MemoryStore, Store, TicketWrite, WriteBatch};
use crate::testkit::samples::{at, number, ticket};

/// A new notification about `ticket` for `recipient`, made at `s` seconds (also for
/// backends' own tests).
pub fn notification(
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

/// Every kind of notification.
fn every_kind() -> Vec<NotificationKind> {
    let mut kinds = vec![
        NotificationKind::NewTicket,
        NotificationKind::Assigned,
        NotificationKind::CustomerReplied,
        NotificationKind::AgentReplied,
        NotificationKind::NoteAdded,
        NotificationKind::Resolved,
        NotificationKind::AutoCloseWarning {
            closes_at: at(86_400) + Duration::microseconds(3),
        },
    ];
    for target in SlaTarget::ALL {
        kinds.push(NotificationKind::SlaWarning { target });
        kinds.push(NotificationKind::SlaBreached { target });
    }
    kinds
}

/// Every notification call of `recipients` at `s` seconds, on both stores.
async fn assert_listed_alike(
    store: &dyn Store,
    reference: &MemoryStore,
    recipients: &[Recipient],
    s: i64,
) {
    for r in recipients {
        for limit in [0, 1, 3, 100] {
            same_outcome(
                store.notifications(*r, at(s), limit).await,
                reference.notifications(*r, at(s), limit).await,
            )
            .unwrap();
        }
    }
}

pub async fn notifications_are_written_with_their_ticket_and_listed_like_the_reference(
    store: Arc<dyn Store>,
) {
    let reference = MemoryStore::new();
    let t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    let ivan = Recipient::Agent(AgentId::new());
    let ana = Recipient::Customer(CustomerId::new());
    let stranger = Recipient::Agent(AgentId::new());
    // Every kind, for two recipients, two at each instant (ties fall to the id), in every
    // state.
    let mut all: Vec<Notification> = every_kind()
        .into_iter()
        .enumerate()
        .map(|(i, k)| notification(&t, if i % 3 == 0 { ana } else { ivan }, k, i as i64 / 2))
        .collect();
    all[1].state.read_at = Some(at(30));
    all[2].state.snoozed_until = Some(at(100));
    all[4].state.dismissed_at = Some(at(40));
    all[5].state = NotificationState {
        read_at: Some(at(10)),
        snoozed_until: Some(at(50)),
        dismissed_at: None,
    };
    all[7].state = NotificationState {
        read_at: Some(at(5)),
        snoozed_until: Some(at(50)),
        dismissed_at: Some(at(60)),
    };
    let mut batch = WriteBatch::one(TicketWrite::create(t.clone()));
    batch.notifications = all.clone();
    for s in [store.as_ref(), &reference as &dyn Store] {
        s.commit(batch.clone()).await.unwrap();
    }
    assert!(store.ticket(t.id).await.unwrap().is_some());
    for n in &all {
        assert_eq!(
            store
                .notification(n.recipient, n.id)
                .await
                .unwrap()
                .as_ref(),
            Some(n)
        );
        // Only its recipient sees a notification.
        let other = if n.recipient == ivan { ana } else { ivan };
        assert_eq!(store.notification(other, n.id).await.unwrap(), None);
    }
    assert_eq!(
        store
            .notification(ivan, NotificationId::new())
            .await
            .unwrap(),
        None
    );
    // Shown: not dismissed, not snoozed, newest first.
    let shown: Vec<_> = all
        .iter()
        .rev()
        .filter(|n| n.recipient == ivan && n.is_active(at(200)))
        .cloned()
        .collect();
    assert_eq!(
        store.notifications(ivan, at(200), 100).await.unwrap(),
        shown
    );
    for s in [-1, 0, 1, 20, 49, 50, 100, 1000] {
        assert_listed_alike(store.as_ref(), &reference, &[ivan, ana, stranger], s).await;
    }

    // Read, snooze ("Remind later") and dismiss, by the recipient only.
    let first = &all[1];
    let read = NotificationAction::Read.apply(first.state, at(60));
    for (r, id) in [
        (ivan, first.id),
        (ana, first.id),
        (ivan, NotificationId::new()),
    ] {
        same_outcome(
            store.set_notification_state(r, id, &read).await,
            reference.set_notification_state(r, id, &read).await,
        )
        .ok();
    }
    let err = store
        .set_notification_state(ana, first.id, &read)
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
    assert!(
        store
            .notification(ivan, first.id)
            .await
            .unwrap()
            .unwrap()
            .is_read()
    );
    let later = at(300);
    let snoozed = NotificationAction::Snooze { until: later }.apply(all[3].state, at(60));
    let dismissed = NotificationAction::Dismiss.apply(all[6].state, at(60));
    for s in [store.as_ref(), &reference as &dyn Store] {
        s.set_notification_state(all[3].recipient, all[3].id, &snoozed)
            .await
            .unwrap();
        s.set_notification_state(all[6].recipient, all[6].id, &dismissed)
            .await
            .unwrap();
    }
    for s in [60, 299, 300, 1000] {
        assert_listed_alike(store.as_ref(), &reference, &[ivan, ana], s).await;
    }
    let kept = store
        .notification(all[6].recipient, all[6].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.state, dismissed);
    assert_eq!(kept.kind, all[6].kind);
}

/// "Dismiss all": every notification of the recipient's shown at the instant is dismissed
/// then, in one call; snoozed ones still hidden, dismissed ones and other recipients' are
/// left as they were; the count is how many it dismissed, as the reference counts them.
pub async fn dismissing_all_dismisses_what_is_shown_and_nothing_else(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    let t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    let ivan = Recipient::Agent(AgentId::new());
    let ana = Recipient::Customer(CustomerId::new());
    let mut all: Vec<Notification> = (0..12)
        .map(|i| {
            let r = if i % 4 == 0 { ana } else { ivan };
            notification(&t, r, NotificationKind::NoteAdded, i)
        })
        .collect();
    // Snoozed past the instant (kept), snoozed until before it (shown again, dismissed),
    // dismissed already (its instant kept), read (dismissed).
    all[1].state.snoozed_until = Some(at(500));
    all[2].state.snoozed_until = Some(at(50));
    all[3].state.dismissed_at = Some(at(20));
    all[5].state.read_at = Some(at(30));
    let mut batch = WriteBatch::one(TicketWrite::create(t.clone()));
    batch.notifications = all.clone();
    for s in [store.as_ref(), &reference as &dyn Store] {
        s.commit(batch.clone()).await.unwrap();
    }
    let now = at(100);
    let expected = all
        .iter()
        .filter(|n| n.recipient == ivan && n.is_active(now))
        .count() as u64;
    assert_eq!(expected, 7);
    let dismissed = same_outcome(
        store.dismiss_notifications(ivan, now).await,
        reference.dismiss_notifications(ivan, now).await,
    )
    .unwrap();
    assert_eq!(dismissed, expected);
    for n in &all {
        let after = store
            .notification(n.recipient, n.id)
            .await
            .unwrap()
            .unwrap();
        let want = if n.recipient == ivan && n.is_active(now) {
            NotificationState {
                dismissed_at: Some(now),
                ..n.state
            }
        } else {
            n.state
        };
        assert_eq!(after.state, want, "{n:?}");
    }
    assert!(
        store
            .notifications(ivan, now, 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.notifications(ana, now, 100).await.unwrap().len(), 3);
    // The snoozed one comes back when its time comes; nothing is left to dismiss twice.
    assert_eq!(
        store.notifications(ivan, at(600), 100).await.unwrap().len(),
        1
    );
    assert_eq!(store.dismiss_notifications(ivan, now).await.unwrap(), 0);
    for s in [100, 499, 500, 1000] {
        assert_listed_alike(store.as_ref(), &reference, &[ivan, ana], s).await;
    }
}
