//! What the desk does on its own when time passes ([`Helpdesk::run_due`](crate::Helpdesk::run_due)):
//! reminders bring tickets back, silent resolved tickets close after a warning, the waiting
//! time counts from the oldest unanswered message, and two processes running it write each
//! event once.

use std::sync::Arc;

use chrono::Duration;

use super::sla::at;
use super::{change_kinds, changed, reply};
use crate::Helpdesk;
use crate::domain::{Actor, Change, Resolution, Status};
use crate::error::Error;
use crate::machine::Command;
use crate::store::{PageRequest, Store, TicketFilter, TicketOrder};
use crate::testkit::{Fixture, body};

pub async fn a_pending_reminder_brings_the_ticket_back_to_open(store: Arc<dyn Store>) {
    let f = Fixture::with_service_levels(store.clone()).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let t = f.open(&f.ana, "Waiting for a technician").await;
    let ivan = f.as_agent(&f.ivan).await;
    let hold = |reason: Option<&str>, until| Command::PutOnHold {
        reason: reason.map(body),
        until: Some(until),
    };
    let err = ivan.execute(t.id, hold(None, t0)).await.unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "the past is refused");
    let until = t0 + Duration::hours(24);
    let held = changed(
        ivan.execute(t.id, hold(Some("technician on Tuesday"), until))
            .await
            .unwrap(),
    );
    assert_eq!(held.timers.pending_until, Some(until));
    let early = f.desk.run_due(until - Duration::seconds(1)).await.unwrap();
    assert_eq!(early.events, 0);
    let report = f.desk.run_due(until).await.unwrap();
    assert_eq!(report.events, 2, "a reminder and the status change");
    let back = store.ticket(t.id).await.unwrap().unwrap();
    assert_eq!(back.status, Status::Open);
    assert_eq!(back.timers.pending_until, None);
    let kinds = change_kinds(&store.history(t.id).await.unwrap());
    assert_eq!(
        &kinds[kinds.len() - 2..],
        ["pending_reminder", "status_changed"]
    );
}

pub async fn silent_tickets_close_after_five_working_days_with_a_warning(store: Arc<dyn Store>) {
    let f = Fixture::with_service_levels(store.clone()).await;
    // Monday 12 January 2026, 10:00 Moscow, in billing (weekdays only).
    f.clock.set(at("2026-01-12T07:00:00Z"));
    let ana = f.as_customer(&f.ana).await;
    let t = ana
        .open_ticket(f.new_ticket(&f.billing, "Invoice"))
        .await
        .unwrap();
    let confirmed = ana
        .open_ticket(f.new_ticket(&f.billing, "Invoice 2"))
        .await
        .unwrap();
    let admin = f.as_agent(&f.admin).await;
    for id in [t.id, confirmed.id] {
        let resolve = Command::Resolve {
            body: Some(body("Corrected")),
        };
        admin.execute(id, resolve).await.unwrap();
    }
    let resolved = store.ticket(t.id).await.unwrap().unwrap();
    // Five working days later: the next Monday, 10:00 Moscow; warned the Friday before.
    assert_eq!(
        resolved.timers.auto_close_at,
        Some(at("2026-01-19T07:00:00Z"))
    );
    assert_eq!(
        resolved.timers.auto_close_warn_at,
        Some(at("2026-01-16T07:00:00Z"))
    );
    f.clock.set(at("2026-01-13T07:00:00Z"));
    ana.execute(confirmed.id, Command::ConfirmResolution)
        .await
        .unwrap();
    let warned = f.desk.run_due(at("2026-01-16T07:00:00Z")).await.unwrap();
    assert_eq!((warned.tickets, warned.events), (1, 1));
    assert!(
        ana.history(t.id)
            .await
            .unwrap()
            .iter()
            .any(|e| matches!(e.change, Change::AutoCloseWarning { .. }))
    );
    let closed = f.desk.run_due(at("2026-01-19T07:00:00Z")).await.unwrap();
    assert_eq!(closed.tickets, 1);
    let after = store.ticket(t.id).await.unwrap().unwrap();
    assert_eq!(after.status, Status::Closed(Resolution::AutoClosed));
    assert_eq!(after.next_due_at, None);
    let last = store.history(t.id).await.unwrap().pop().unwrap();
    assert_eq!(last.actor, Actor::System);
    let other = store.ticket(confirmed.id).await.unwrap().unwrap();
    assert_eq!(other.status, Status::Closed(Resolution::Solved));
    let month_later = f.desk.run_due(at("2026-02-19T07:00:00Z")).await.unwrap();
    assert_eq!(month_later.events, 0);
}

pub async fn waiting_time_counts_from_the_oldest_unanswered_message(store: Arc<dyn Store>) {
    let f = Fixture::with_service_levels(store).await;
    let t0 = at("2026-01-09T14:00:00Z"); // Friday 17:00 Moscow
    f.clock.set(t0);
    let ana = f.as_customer(&f.ana).await;
    let t = ana
        .open_ticket(f.new_ticket(&f.billing, "Hello?"))
        .await
        .unwrap();
    assert_eq!(t.waiting_since, Some(t0));
    f.clock.set(t0 + Duration::hours(1));
    let u = ana
        .open_ticket(f.new_ticket(&f.billing, "Later"))
        .await
        .unwrap();
    ana.execute(t.id, reply("Anyone?")).await.unwrap();
    // Monday 10:00 Moscow: 65 hours of wall time, 2 working hours.
    f.clock.set(at("2026-01-12T07:00:00Z"));
    let waiting = ana.waiting_time(t.id).await.unwrap().unwrap();
    assert_eq!(waiting.since, t0);
    assert_eq!(waiting.wall, Duration::hours(65));
    assert_eq!(waiting.business, Duration::hours(2));
    let admin = f.as_agent(&f.admin).await;
    let queue = async || {
        let page = PageRequest::first(TicketOrder::Waiting, 10);
        let listed = admin.list_tickets(TicketFilter::default(), page).await;
        listed
            .unwrap()
            .items
            .iter()
            .map(|t| t.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(queue().await, [t.id, u.id]);
    admin.execute(t.id, reply("Here")).await.unwrap();
    assert_eq!(ana.waiting_time(t.id).await.unwrap(), None);
    assert_eq!(queue().await, [u.id, t.id]);
}

pub async fn run_due_from_two_processes_writes_each_event_once(store: Arc<dyn Store>) {
    let f = Fixture::with_service_levels(store.clone()).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let ana = f.as_customer(&f.ana).await;
    let mut ids = Vec::new();
    for i in 0..12 {
        let new = f.new_ticket(&f.support, &format!("t{i}"));
        ids.push(ana.open_ticket(new).await.unwrap().id);
    }
    let other = Helpdesk::new(store.clone()).with_service_levels(f.desk.service_levels().clone());
    let late = t0 + Duration::hours(3);
    let (a, b) = tokio::join!(f.desk.run_due(late), other.run_due(late));
    let (a, b) = (a.unwrap(), b.unwrap());
    // Each ticket gets the first-response warning and breach (the resolution warning, at 80%
    // of 16 h, is later): two events per ticket, written once between both runs.
    assert_eq!(a.events + b.events, 24, "{a:?} {b:?}");
    for id in ids {
        let sla = store
            .history(id)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| {
                matches!(
                    e.change,
                    Change::SlaWarning { .. } | Change::SlaBreached { .. }
                )
            })
            .count();
        assert_eq!(sla, 2);
    }
}
