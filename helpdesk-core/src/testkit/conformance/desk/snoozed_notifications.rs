//! Snoozed notifications (issue 21): "remind me later" hides a notification until a time;
//! the owner lists those hidden now with that time, the soonest back first, and they leave
//! the list when they come back or are dismissed; nobody else sees them.

use std::sync::Arc;

use chrono::Duration;

use crate::clock::Clock;
use crate::domain::{NotificationAction, NotificationId};
use crate::store::Store;
use crate::testkit::{Fixture, ability};

pub async fn snoozed_notifications_are_listed_with_their_time_until_they_come_back(
    store: Arc<dyn Store>,
) {
    if ability(
        store.as_snoozed_notification_store(),
        "snoozed notifications",
    )
    .is_none()
    {
        return;
    }
    let f = Fixture::new(store).await;
    let ivan = f.as_agent(&f.ivan).await;
    f.open(&f.ana, "One").await;
    f.open(&f.acme, "Two").await;
    f.open(&f.reza, "Three").await;
    let listed = ivan.notifications(50).await.unwrap();
    let (n3, n2, n1) = (listed[0].id, listed[1].id, listed[2].id);
    assert!(ivan.snoozed_notifications(50).await.unwrap().is_empty());

    let soon = f.clock.now() + Duration::hours(1);
    let later = f.clock.now() + Duration::hours(5);
    ivan.act_on_notification(n1, NotificationAction::Snooze { until: later })
        .await
        .unwrap();
    ivan.act_on_notification(n2, NotificationAction::Snooze { until: soon })
        .await
        .unwrap();
    ivan.act_on_notification(n3, NotificationAction::Dismiss)
        .await
        .unwrap();
    let snoozed = ivan.snoozed_notifications(50).await.unwrap();
    let ids: Vec<NotificationId> = snoozed.iter().map(|n| n.id).collect();
    assert_eq!(ids, [n2, n1], "the soonest back first");
    assert_eq!(snoozed[0].state.snoozed_until, Some(soon));
    assert_eq!(snoozed[1].state.snoozed_until, Some(later));
    assert_eq!(ivan.snoozed_notifications(1).await.unwrap().len(), 1);
    assert!(
        f.as_agent(&f.boss)
            .await
            .snoozed_notifications(50)
            .await
            .unwrap()
            .is_empty(),
        "nobody else's"
    );

    // Back at its time, it is shown again and no longer snoozed; dismissed, it is gone.
    f.clock.set(soon);
    let ids: Vec<NotificationId> = ivan
        .snoozed_notifications(50)
        .await
        .unwrap()
        .iter()
        .map(|n| n.id)
        .collect();
    assert_eq!(ids, [n1]);
    ivan.act_on_notification(n1, NotificationAction::Dismiss)
        .await
        .unwrap();
    assert!(ivan.snoozed_notifications(50).await.unwrap().is_empty());
    assert!(
        f.desk.as_system().snoozed_notifications(10).await.is_err(),
        "the system has none"
    );
}
