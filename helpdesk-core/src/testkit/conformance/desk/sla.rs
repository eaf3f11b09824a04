//! Service levels on the fixture's policies ([`Fixture::with_service_levels`]): targets
//! counted in each department's business hours, warnings and breaches fired once, clocks
//! paused while the customer is asked, and due times moved by a priority or department
//! change.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::{changed, reply};
use crate::domain::{Change, Priority, SlaClock, SlaOutcome, SlaTarget, Ticket};
use crate::machine::Command;
use crate::store::Store;
use crate::testkit::{Fixture, body};

pub(super) fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("an RFC 3339 instant")
}

fn hours(h: i64) -> Duration {
    Duration::hours(h)
}

fn clock(t: &Ticket, target: SlaTarget) -> SlaClock {
    t.timers
        .clock(target)
        .cloned()
        .unwrap_or_else(|| panic!("no {target:?} clock"))
}

pub async fn sla_targets_count_business_hours_of_the_departments_calendar(store: Arc<dyn Store>) {
    let f = Fixture::with_service_levels(store.clone()).await;
    // Friday 9 January 2026, 17:00 Moscow (14:00 UTC).
    f.clock.set(at("2026-01-09T14:00:00Z"));
    let ana = f.as_customer(&f.ana).await;
    let t = ana
        .open_ticket(f.new_ticket(&f.billing, "Double charge"))
        .await
        .unwrap();
    assert_eq!(t.timers.sla_policy.as_deref(), Some("standard"));
    // One working hour on Friday, one on Monday: due Monday 10:00 Moscow (07:00 UTC).
    let first = clock(&t, SlaTarget::FirstResponse);
    assert_eq!(first.due_at, Some(at("2026-01-12T07:00:00Z")));
    // Warned at 80% of 2 h = 96 min: Friday's hour, then 36 minutes on Monday.
    assert_eq!(first.warn_at, Some(at("2026-01-12T06:36:00Z")));
    assert_eq!(t.next_due_at, first.warn_at);
    // The same on support, open around the clock: Friday 16:00 UTC.
    let s = ana
        .open_ticket(f.new_ticket(&f.support, "Router"))
        .await
        .unwrap();
    assert_eq!(
        clock(&s, SlaTarget::FirstResponse).due_at,
        Some(at("2026-01-09T16:00:00Z"))
    );
    // Answered on Monday at 09:30 Moscow: met.
    f.clock.set(at("2026-01-12T06:30:00Z"));
    let admin = f.as_agent(&f.admin).await;
    let answered = changed(admin.execute(t.id, reply("Refunded")).await.unwrap());
    let first = clock(&answered, SlaTarget::FirstResponse);
    assert!(first.stopped);
    assert_eq!(first.outcome, Some(SlaOutcome::Met));
    assert_eq!(first.spent_secs, 90 * 60);
    assert_eq!(store.ticket(t.id).await.unwrap().unwrap(), answered);
}

pub async fn sla_warnings_and_breaches_fire_once_and_run_due_is_idempotent(store: Arc<dyn Store>) {
    let f = Fixture::with_service_levels(store.clone()).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let mut new = f.new_ticket(&f.support, "Everything is down");
    new.customer = Some(f.acme.id);
    new.priority = Some(Priority::Urgent);
    let t = f.as_agent(&f.boss).await.open_ticket(new).await.unwrap();
    assert_eq!(t.timers.sla_policy.as_deref(), Some("urgent"));
    let quiet = f.desk.run_due(t0 + Duration::minutes(47)).await.unwrap();
    assert_eq!(quiet.events, 0);
    let warn_at = t0 + Duration::minutes(48);
    let warned = f.desk.run_due(warn_at).await.unwrap();
    assert_eq!((warned.tickets, warned.events), (1, 1));
    assert_eq!(
        f.desk.run_due(warn_at).await.unwrap().events,
        0,
        "idempotent"
    );
    let late = t0 + hours(1) + Duration::minutes(1);
    assert_eq!(f.desk.run_due(late).await.unwrap().events, 1);
    assert_eq!(f.desk.run_due(late).await.unwrap().events, 0, "idempotent");
    let sla: Vec<_> = store
        .history(t.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| {
            matches!(
                e.change,
                Change::SlaWarning { .. } | Change::SlaBreached { .. }
            )
        })
        .map(|e| (e.change, e.at))
        .collect();
    let target = SlaTarget::FirstResponse;
    assert_eq!(
        sla,
        [
            (Change::SlaWarning { target }, warn_at),
            (Change::SlaBreached { target }, late),
        ]
    );
    // A late answer stays a breach.
    f.clock.set(late + Duration::minutes(5));
    let ivan = f.as_agent(&f.ivan).await;
    let answered = changed(ivan.execute(t.id, reply("On it")).await.unwrap());
    assert_eq!(
        clock(&answered, SlaTarget::FirstResponse).outcome,
        Some(SlaOutcome::Breached)
    );
    // The resolution clock (4 h) is still running and due later.
    assert_eq!(
        clock(&answered, SlaTarget::Resolution).due_at,
        Some(t0 + hours(4))
    );
}

pub async fn sla_clocks_pause_while_waiting_for_the_customer(store: Arc<dyn Store>) {
    let f = Fixture::with_service_levels(store).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let ana = f.as_customer(&f.ana).await;
    let t = ana
        .open_ticket(f.new_ticket(&f.support, "Slow"))
        .await
        .unwrap();
    assert_eq!(
        clock(&t, SlaTarget::Resolution).due_at,
        Some(t0 + hours(16))
    );
    f.clock.set(t0 + hours(1));
    let ask = Command::AskCustomer {
        body: body("Which modem?"),
        until: None,
    };
    let pending = changed(f.as_agent(&f.ivan).await.execute(t.id, ask).await.unwrap());
    let res = clock(&pending, SlaTarget::Resolution);
    assert_eq!(
        (res.running_since, res.due_at, res.spent_secs),
        (None, None, 3600)
    );
    // Ten hours later the customer answers: 15 h are left, from now.
    f.clock.set(t0 + hours(11));
    let back = changed(ana.execute(t.id, reply("TP-Link")).await.unwrap());
    assert_eq!(
        clock(&back, SlaTarget::Resolution).due_at,
        Some(t0 + hours(26))
    );
    // Their message starts the next-response clock (4 h).
    assert_eq!(
        clock(&back, SlaTarget::NextResponse).due_at,
        Some(t0 + hours(15))
    );
    // Nothing fired while paused.
    assert_eq!(f.desk.run_due(t0 + hours(10)).await.unwrap().events, 0);
}

pub async fn a_priority_change_moves_the_due_times(store: Arc<dyn Store>) {
    let f = Fixture::with_service_levels(store).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let t = f
        .as_customer(&f.acme)
        .await
        .open_ticket(f.new_ticket(&f.support, "Down"))
        .await
        .unwrap();
    assert_eq!(
        clock(&t, SlaTarget::Resolution).due_at,
        Some(t0 + hours(16))
    );
    f.clock.set(t0 + hours(1));
    let raise = Command::ChangePriority {
        priority: Priority::Urgent,
    };
    let urgent = changed(
        f.as_agent(&f.boss)
            .await
            .execute(t.id, raise)
            .await
            .unwrap(),
    );
    assert_eq!(urgent.timers.sla_policy.as_deref(), Some("urgent"));
    // One hour of the urgent 4 h is spent already.
    assert_eq!(
        clock(&urgent, SlaTarget::Resolution).due_at,
        Some(t0 + hours(4))
    );
    assert_eq!(
        clock(&urgent, SlaTarget::FirstResponse).due_at,
        Some(t0 + hours(1))
    );
}

pub async fn moving_departments_measures_on_each_departments_calendar(store: Arc<dyn Store>) {
    let f = Fixture::with_service_levels(store).await;
    // Friday 15:00 UTC (18:00 Moscow, after billing's hours) in support, open around the clock.
    f.clock.set(at("2026-01-09T15:00:00Z"));
    let t = f
        .as_customer(&f.ana)
        .await
        .open_ticket(f.new_ticket(&f.support, "Bill"))
        .await
        .unwrap();
    // An hour later it moves to billing, closed then.
    f.clock.set(at("2026-01-09T16:00:00Z"));
    let move_it = Command::MoveToDepartment {
        department: f.billing.id,
    };
    let moved = changed(
        f.as_agent(&f.admin)
            .await
            .execute(t.id, move_it)
            .await
            .unwrap(),
    );
    let first = clock(&moved, SlaTarget::FirstResponse);
    assert_eq!(
        first.spent_secs, 3600,
        "the hour in support counts on support's calendar"
    );
    // The other hour of the 2 h target: Monday 09:00–10:00 Moscow.
    assert_eq!(first.due_at, Some(at("2026-01-12T07:00:00Z")));
}
