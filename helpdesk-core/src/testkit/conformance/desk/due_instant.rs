//! `run_due(now)` works at the instant it is given, not at the desk's clock (issue 22,
//! item 1): the triggers its service-level events fire and the scheduled rules it runs write
//! their changes, notifications and firing log entries at `now`, and count the hourly limit
//! back from it. A worker catching up on an instant that has passed (its clock ahead), or one
//! given an instant ahead of its clock, leaves the same record.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::automation::{
    Action, Conditions, HeldFor, HeldUnit, NotifyTarget, RuleEvent, RuleSchedule,
};
use crate::domain::{Actor, Name, Priority, Recipient, Status, Tag, Ticket};
use crate::machine::Command;
use crate::service::RuleDraft;
use crate::store::Store;
use crate::testkit::{Fixture, ability, body};

fn name(text: &str) -> Name {
    Name::parse(text).unwrap()
}

/// Everything written about `ticket` at or after `since`, with when: its state's last
/// change, the system's history entries and messages, the boss's notifications, and the
/// firing log.
async fn written_since(
    f: &Fixture,
    store: &dyn Store,
    ticket: &Ticket,
    since: DateTime<Utc>,
) -> Vec<(String, DateTime<Utc>)> {
    let admin = f.as_agent(&f.admin).await;
    let stored = store.ticket(ticket.id).await.unwrap().unwrap();
    let mut written = vec![("ticket updated".to_owned(), stored.updated_at)];
    for e in store.history(ticket.id).await.unwrap() {
        if e.at >= since && e.actor == Actor::System {
            written.push((format!("event {}", e.change.kind()), e.at));
        }
    }
    for m in store.messages(ticket.id, true).await.unwrap() {
        if m.created_at >= since && m.author == Actor::System {
            written.push((format!("message {}", m.body.as_str()), m.created_at));
        }
    }
    let far = since + Duration::days(365);
    for n in (store
        .notifications(Recipient::Agent(f.boss.id), far, 100)
        .await
        .unwrap())
    .into_iter()
    .filter(|n| n.ticket_id == ticket.id && n.created_at >= since)
    {
        written.push((format!("notification {:?}", n.kind), n.created_at));
    }
    for r in admin.rule_firings(Some(ticket.id), 50).await.unwrap() {
        written.push((format!("firing {}", r.rule_name.as_str()), r.at));
    }
    written
}

/// Each of `written` at `at`.
fn all_at(written: &[(String, DateTime<Utc>)], at: DateTime<Utc>) -> Vec<(String, DateTime<Utc>)> {
    written.iter().map(|(what, _)| (what.clone(), at)).collect()
}

pub async fn triggers_fired_by_run_due_act_at_the_instant_it_was_given(store: Arc<dyn Store>) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::with_service_levels(store.clone()).await;
    let t0 = f.desk.now();
    let admin = f.as_agent(&f.admin).await;
    admin
        .create_rule(RuleDraft {
            name: name("Avertisment"),
            position: 1,
            active: true,
            conditions: Conditions {
                events: vec![RuleEvent::SlaWarning],
                ..Conditions::default()
            },
            actions: vec![
                Action::AddTag {
                    tag: Tag::parse("sla-warning").unwrap(),
                },
                Action::AddNote {
                    body: body("Aproape de termen"),
                },
                Action::Notify {
                    to: NotifyTarget::Agent(f.boss.id),
                },
            ],
            schedule: None,
        })
        .await
        .unwrap();
    let mut new = f.new_ticket(&f.support, "Totul e căzut");
    new.customer = Some(f.acme.id);
    new.priority = Some(Priority::Urgent);
    let t = f.as_agent(&f.boss).await.open_ticket(new).await.unwrap();

    // The first-response warning is due 48 minutes in; the worker's clock says three hours
    // (it catches up late).
    let warn_at = t0 + Duration::minutes(48);
    f.clock.set(t0 + Duration::hours(3));
    let report = f.desk.run_due(warn_at).await.unwrap();
    assert_eq!(report.events, 1);
    let written = written_since(&f, store.as_ref(), &t, t0 + Duration::seconds(1)).await;
    assert!(
        written.iter().any(|(w, _)| w.starts_with("firing")),
        "{written:?}"
    );
    assert!(
        written.iter().any(|(w, _)| w.starts_with("notification")),
        "{written:?}"
    );
    assert_eq!(written, all_at(&written, warn_at));
}

pub async fn scheduled_rules_act_at_the_instant_run_due_was_given(store: Arc<dyn Store>) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    admin
        .create_rule(RuleDraft {
            name: name("Close stale"),
            position: 1,
            active: true,
            conditions: Conditions {
                statuses: vec![Status::PendingCustomer],
                ..Conditions::default()
            },
            actions: vec![
                Action::AddNote {
                    body: body("Închis: fără răspuns"),
                },
                Action::Close {
                    resolution: crate::domain::Resolution::Unsolved,
                },
                Action::Notify {
                    to: NotifyTarget::Agent(f.boss.id),
                },
            ],
            schedule: Some(RuleSchedule {
                every_minutes: 60,
                unchanged_for: Some(HeldFor {
                    amount: 2,
                    unit: HeldUnit::Days,
                }),
            }),
        })
        .await
        .unwrap();
    let t = f.open(&f.ana, "Routerul nu pornește").await;
    let ivan = f.as_agent(&f.ivan).await;
    ivan.execute(
        t.id,
        Command::AskCustomer {
            body: body("Ce model are routerul?"),
            until: None,
        },
    )
    .await
    .unwrap();
    let asked = f.desk.now();
    // The run is for two days and an hour later; the worker's clock is a day behind.
    let now = asked + Duration::days(2) + Duration::hours(1);
    f.clock.set(asked + Duration::days(1));
    let report = f.desk.run_due(now).await.unwrap();
    assert_eq!(report.scheduled.tickets, 1);
    let written = written_since(&f, store.as_ref(), &t, asked + Duration::seconds(1)).await;
    assert_eq!(
        store.ticket(t.id).await.unwrap().unwrap().status,
        Status::Closed(crate::domain::Resolution::Unsolved)
    );
    assert!(
        written.iter().any(|(w, _)| w.starts_with("firing")),
        "{written:?}"
    );
    assert!(
        written.iter().any(|(w, _)| w.starts_with("notification")),
        "{written:?}"
    );
    assert_eq!(written, all_at(&written, now));
}
