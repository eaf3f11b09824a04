//! In-app notifications through the desk: each change notifies the people it concerns and
//! never a customer of a note; their owner reads, snoozes and dismisses them; service-level
//! and auto-close warnings reach agents and customers.

use std::sync::Arc;

use chrono::Duration;

use super::sla::at;
use super::{note, reply};
use crate::clock::Clock;
use crate::domain::{
    Notification, NotificationAction, NotificationId, NotificationKind, Priority, SlaTarget,
};
use crate::error::{Entity, Error};
use crate::machine::Command;
use crate::service::Acting;
use crate::store::Store;
use crate::testkit::{Fixture, body};

/// The kinds of `who`'s notifications, oldest first.
async fn kinds(who: &Acting) -> Vec<&'static str> {
    let list = who.notifications(50).await.unwrap();
    list.iter().rev().map(|n| n.kind.as_str()).collect()
}

pub async fn events_notify_the_people_they_concern(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let (ana, ivan, boss) = (
        f.as_customer(&f.ana).await,
        f.as_agent(&f.ivan).await,
        f.as_agent(&f.boss).await,
    );
    let t = f.open(&f.ana, "Router blinks red").await;
    // The department's agents hear of the new ticket; the admin (in no department) does not.
    assert_eq!(kinds(&ivan).await, ["new_ticket"]);
    assert_eq!(kinds(&boss).await, ["new_ticket"]);
    assert!(kinds(&f.as_agent(&f.admin).await).await.is_empty());
    assert!(kinds(&f.as_agent(&f.maria).await).await.is_empty());
    assert!(kinds(&ana).await.is_empty(), "not of her own ticket");

    let assign = Command::Assign {
        agent: Some(f.ivan.id),
    };
    boss.execute(t.id, assign).await.unwrap();
    f.tick(1);
    ana.execute(t.id, reply("Still red")).await.unwrap();
    f.tick(1);
    ivan.execute(t.id, reply("Restart it")).await.unwrap();
    f.tick(1);
    boss.execute(t.id, note("Known outage")).await.unwrap();
    f.tick(1);
    ivan.execute(t.id, Command::Resolve { body: None })
        .await
        .unwrap();
    assert_eq!(
        kinds(&ivan).await,
        ["new_ticket", "assigned", "customer_replied", "note_added"],
        "the assignee hears of replies and colleagues' notes, not of their own actions"
    );
    assert_eq!(
        kinds(&boss).await,
        ["new_ticket"],
        "once assigned, only the assignee hears of the customer"
    );
    let for_ana = ana.notifications(50).await.unwrap();
    assert_eq!(
        kinds(&ana).await,
        ["agent_replied", "resolved"],
        "never a note"
    );
    assert!(for_ana.iter().all(|n| n.ticket_id == t.id));

    // Internal tickets and their replies never reach customers.
    let mut internal = f.new_ticket(&f.support, "Switch replacement");
    internal.internal = true;
    internal.customer = Some(f.ana.id);
    let it = ivan.open_ticket(internal).await.unwrap();
    ivan.execute(it.id, reply("Done")).await.unwrap();
    assert_eq!(ana.notifications(50).await.unwrap(), for_ana);
}

pub async fn notifications_are_read_snoozed_and_dismissed_by_their_owner_only(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store).await;
    let ivan = f.as_agent(&f.ivan).await;
    let first = f.open(&f.ana, "One").await;
    let second = f.open(&f.acme, "Two").await;
    let third = f.open(&f.reza, "Three").await;
    let listed = ivan.notifications(50).await.unwrap();
    let tickets: Vec<_> = listed.iter().map(|n| n.ticket_id).collect();
    assert_eq!(tickets, [third.id, second.id, first.id], "newest first");
    assert_eq!(ivan.notifications(2).await.unwrap().len(), 2);
    let (n3, n2, n1) = (listed[0].id, listed[1].id, listed[2].id);
    let shown = async || {
        let list: Vec<Notification> = ivan.notifications(50).await.unwrap();
        list.into_iter().map(|n| n.id).collect::<Vec<_>>()
    };

    let read = ivan
        .act_on_notification(n1, NotificationAction::Read)
        .await
        .unwrap();
    assert!(read.is_read());
    let later = f.clock.now() + Duration::hours(3);
    ivan.act_on_notification(n2, NotificationAction::Snooze { until: later })
        .await
        .unwrap();
    ivan.act_on_notification(n3, NotificationAction::Dismiss)
        .await
        .unwrap();
    assert_eq!(shown().await, [n1]);
    f.clock.set(later);
    assert_eq!(shown().await, [n2, n1], "Remind later brings it back");
    assert!(
        ivan.ticket(third.id).await.is_ok(),
        "dismissing keeps the ticket"
    );

    // Someone else's notification, an unknown one, the system, a snooze into the past.
    for (who, id) in [
        (f.as_agent(&f.boss).await, n1),
        (f.as_customer(&f.ana).await, n1),
        (ivan.clone(), NotificationId::new()),
    ] {
        let err = who
            .act_on_notification(id, NotificationAction::Dismiss)
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
    }
    assert!(matches!(
        f.desk.as_system().notifications(10).await,
        Err(Error::Validation(_))
    ));
    let past = f.clock.now() - Duration::minutes(1);
    assert!(matches!(
        ivan.act_on_notification(n1, NotificationAction::Snooze { until: past })
            .await,
        Err(Error::Validation(_))
    ));
    assert_eq!(shown().await, [n2, n1]);
}

pub async fn sla_and_auto_close_warnings_reach_agents_and_customers(store: Arc<dyn Store>) {
    let f = Fixture::with_service_levels(store).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let mut new = f.new_ticket(&f.support, "Everything is down");
    new.customer = Some(f.acme.id);
    new.priority = Some(Priority::Urgent);
    let boss = f.as_agent(&f.boss).await;
    let t = boss.open_ticket(new).await.unwrap();
    f.desk.run_due(t0 + Duration::minutes(48)).await.unwrap();
    f.desk.run_due(t0 + Duration::minutes(61)).await.unwrap();
    let target = SlaTarget::FirstResponse;
    let about = async |agent| -> Vec<NotificationKind> {
        f.as_agent(agent)
            .await
            .notifications(50)
            .await
            .unwrap()
            .into_iter()
            .filter(|n| n.ticket_id == t.id)
            .map(|n| n.kind)
            .collect()
    };
    // Unassigned: the department's supervisors hear of its clocks, not every agent.
    let for_boss = about(&f.boss).await;
    assert!(
        for_boss.contains(&NotificationKind::SlaWarning { target }),
        "{for_boss:?}"
    );
    assert!(
        for_boss.contains(&NotificationKind::SlaBreached { target }),
        "{for_boss:?}"
    );
    let for_ivan = about(&f.ivan).await;
    assert!(
        !for_ivan.iter().any(|k| matches!(
            k,
            NotificationKind::SlaWarning { .. } | NotificationKind::SlaBreached { .. }
        )),
        "{for_ivan:?}"
    );

    // Resolved and silent: the customer is warned before the auto-close.
    f.clock.set(at("2026-01-12T07:00:00Z"));
    let ana = f.as_customer(&f.ana).await;
    let quiet = ana
        .open_ticket(f.new_ticket(&f.billing, "Invoice"))
        .await
        .unwrap();
    let resolve = Command::Resolve {
        body: Some(body("Corrected")),
    };
    f.as_agent(&f.admin)
        .await
        .execute(quiet.id, resolve)
        .await
        .unwrap();
    f.clock.set(at("2026-01-16T08:00:00Z"));
    f.desk.run_due(f.clock.now()).await.unwrap();
    let kinds: Vec<_> = ana
        .notifications(50)
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.ticket_id == quiet.id)
        .map(|n| n.kind)
        .collect();
    assert!(kinds.contains(&NotificationKind::Resolved), "{kinds:?}");
    let closes_at = at("2026-01-19T07:00:00Z");
    assert!(
        kinds.contains(&NotificationKind::AutoCloseWarning { closes_at }),
        "{kinds:?}"
    );
}
