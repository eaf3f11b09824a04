//! Scheduled rules and the notify action (issue 22, items 2 and 1) through the desk:
//! `run_due` runs a scheduled rule on the tickets that held its conditions long enough, each
//! once per run, logged, firing no trigger; several desks running `run_due` at once on one
//! store handle each ticket once; the notify action tells agents in the change's commit.

use std::sync::Arc;

use chrono::Duration;

use crate::Helpdesk;
use crate::automation::{
    Action, Conditions, HeldFor, HeldUnit, NotifyTarget, RuleEvent, RuleSchedule,
};
use crate::domain::{
    Actor, Name, NotificationKind, Recipient, Resolution, Status, Tag, Ticket, Visibility,
};
use crate::error::Error;
use crate::machine::Command;
use crate::service::{Acting, RuleDraft};
use crate::store::Store;
use crate::testkit::{Fixture, ability, body};

fn name(text: &str) -> Name {
    Name::parse(text).unwrap()
}

fn tag(text: &str) -> Tag {
    Tag::parse(text).unwrap()
}

/// Every hour, on tickets unchanged for `days` business days.
fn stale(days: u32) -> RuleSchedule {
    RuleSchedule {
        every_minutes: 60,
        unchanged_for: Some(HeldFor {
            amount: days,
            unit: HeldUnit::BusinessDays,
        }),
    }
}

fn scheduled(rule: &str, schedule: RuleSchedule, actions: Vec<Action>) -> RuleDraft {
    RuleDraft {
        name: name(rule),
        position: 1,
        active: true,
        conditions: Conditions {
            statuses: vec![Status::PendingCustomer],
            ..Conditions::default()
        },
        actions,
        schedule: Some(schedule),
    }
}

fn close_with_note() -> Vec<Action> {
    vec![
        Action::AddNote {
            body: body("Închis: fără răspuns zece zile lucrătoare"),
        },
        Action::Close {
            resolution: Resolution::Unsolved,
        },
    ]
}

async fn admin(f: &Fixture) -> Acting {
    f.as_agent(&f.admin).await
}

/// A ticket of Ana's that Ivan asked her about (pending the customer).
async fn pending(f: &Fixture, subject: &str) -> Ticket {
    let t = f.open(&f.ana, subject).await;
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
    ivan.ticket(t.id).await.unwrap()
}

fn internal_notes(messages: &[crate::domain::Message]) -> usize {
    (messages.iter())
        .filter(|m| m.visibility == Visibility::Internal)
        .count()
}

pub async fn a_scheduled_rule_closes_tickets_left_pending_long_enough_once_per_run(
    store: Arc<dyn Store>,
) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = admin(&f).await;
    let rule = admin
        .create_rule(scheduled("Close stale", stale(3), close_with_note()))
        .await
        .unwrap();
    // A trigger on closing: the scheduled rule's own changes must not fire it.
    admin
        .create_rule(RuleDraft {
            name: name("Tag closed tickets"),
            position: 2,
            active: true,
            conditions: Conditions {
                events: vec![RuleEvent::StatusChanged],
                statuses: vec![Status::Closed(Resolution::Unsolved)],
                ..Conditions::default()
            },
            actions: vec![Action::AddTag {
                tag: tag("schimbat"),
            }],
            schedule: None,
        })
        .await
        .unwrap();
    // 8 January (the fixture's calendar is always open; its auto-close warns after four
    // days in PendingCustomer, which is a change, so the rule waits three).
    f.tick(3 * 24 * 3600);
    let old = pending(&f, "Routerul nu pornește").await;
    // 10 January: two days after the first question.
    f.tick(2 * 24 * 3600);
    let younger = pending(&f, "Internet lent").await;
    let open = f.open(&f.ana, "Factura").await;
    let early = f.desk.run_due(f.desk.now()).await.unwrap();
    assert_eq!((early.scheduled.runs, early.scheduled.tickets), (1, 0));
    // 11 January, 10:00: three days and an hour.
    f.tick(25 * 3600);
    let now = f.desk.now();
    let report = f.desk.run_due(now).await.unwrap();
    assert_eq!((report.scheduled.runs, report.scheduled.tickets), (1, 1));
    let closed = store.ticket(old.id).await.unwrap().unwrap();
    assert_eq!(closed.status, Status::Closed(Resolution::Unsolved));
    assert!(!closed.tags.contains(&tag("schimbat")), "{:?}", closed.tags);
    let messages = store.messages(old.id, true).await.unwrap();
    assert_eq!(internal_notes(&messages), 1);
    assert_eq!(store.ticket(younger.id).await.unwrap().unwrap(), younger);
    assert_eq!(
        store.ticket(open.id).await.unwrap().unwrap().status,
        open.status
    );
    let log = admin.rule_firings(None, 50).await.unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(
        (log[0].rule, log[0].ticket_id, log[0].at),
        (rule.id, old.id, now)
    );
    assert_eq!(log[0].actions, rule.actions);
    let history = store.history(old.id).await.unwrap();
    assert!(
        (history.iter().rev().take(2)).all(|e| e.actor == Actor::System),
        "{history:?}"
    );

    // The same instant again, and within the hour: the run is not due.
    let again = f.desk.run_due(now).await.unwrap();
    assert_eq!(again.scheduled.runs, 0);
    let soon = f.desk.run_due(now + Duration::minutes(59)).await.unwrap();
    assert_eq!(soon.scheduled.runs, 0);
    // An hour later it runs and finds nothing new to do.
    let later = f.desk.run_due(now + Duration::hours(1)).await.unwrap();
    assert_eq!((later.scheduled.runs, later.scheduled.tickets), (1, 0));
    assert_eq!(admin.rule_firings(None, 50).await.unwrap().len(), 1);
    // 13 January, the younger ticket's turn.
    f.tick(2 * 24 * 3600);
    let turn = f.desk.run_due(f.desk.now()).await.unwrap();
    assert_eq!((turn.scheduled.runs, turn.scheduled.tickets), (1, 1));
    assert_eq!(
        store.ticket(younger.id).await.unwrap().unwrap().status,
        Status::Closed(Resolution::Unsolved)
    );

    // An inactive scheduled rule never runs.
    admin
        .update_rule(
            rule.id,
            RuleDraft {
                active: false,
                ..scheduled("Close stale", stale(3), close_with_note())
            },
        )
        .await
        .unwrap();
    let third = pending(&f, "Alt router").await;
    f.tick(7 * 24 * 3600);
    let off = f.desk.run_due(f.desk.now()).await.unwrap();
    assert_eq!(off.scheduled.runs, 0);
    assert!(
        admin
            .rule_firings(Some(third.id), 50)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn desks_running_due_work_at_once_handle_each_ticket_once_per_run(store: Arc<dyn Store>) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = admin(&f).await;
    admin
        .create_rule(scheduled(
            "Remind",
            RuleSchedule {
                every_minutes: 30,
                unchanged_for: Some(HeldFor {
                    amount: 2,
                    unit: HeldUnit::Days,
                }),
            },
            vec![
                Action::AddNote {
                    body: body("Напоминание: клиент молчит два дня"),
                },
                Action::AddTag {
                    tag: tag("напомнено"),
                },
            ],
        ))
        .await
        .unwrap();
    let mut tickets = Vec::new();
    for i in 0..12 {
        tickets.push(pending(&f, &format!("Вопрос {i}")).await);
    }
    f.tick(3 * 24 * 3600);
    let now = f.desk.now();
    // Six desks on the one store, as six processes would be, all at once.
    let runs: Vec<_> = (0..6)
        .map(|_| {
            let desk = Helpdesk::new(store.clone()).with_clock(f.clock.clone());
            tokio::spawn(async move { desk.run_due(now).await })
        })
        .collect();
    let mut taken = 0;
    let mut handled = 0;
    for run in runs {
        let report = run.await.unwrap().unwrap();
        taken += report.scheduled.runs;
        handled += report.scheduled.tickets;
    }
    assert_eq!((taken, handled), (1, tickets.len()));
    for t in &tickets {
        let messages = store.messages(t.id, true).await.unwrap();
        assert_eq!(internal_notes(&messages), 1, "ticket {}", t.subject);
        let log = admin.rule_firings(Some(t.id), 50).await.unwrap();
        assert_eq!(log.len(), 1);
    }
    // The next run, half an hour later, leaves them alone: they changed since.
    let next = f.desk.run_due(now + Duration::minutes(30)).await.unwrap();
    assert_eq!((next.scheduled.runs, next.scheduled.tickets), (1, 0));
}

pub async fn scheduled_rules_are_checked_and_their_dry_run_lists_old_enough_tickets(
    store: Arc<dyn Store>,
) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = admin(&f).await;
    let refused = [
        scheduled(
            "Zero",
            RuleSchedule {
                every_minutes: 0,
                unchanged_for: None,
            },
            close_with_note(),
        ),
        RuleDraft {
            conditions: Conditions {
                events: vec![RuleEvent::Created],
                ..Conditions::default()
            },
            ..scheduled("Events", stale(1), close_with_note())
        },
        scheduled(
            "Merged",
            stale(1),
            vec![Action::Close {
                resolution: Resolution::Merged,
            }],
        ),
    ];
    for draft in refused {
        let e = admin.create_rule(draft.clone()).await.unwrap_err();
        assert!(matches!(e, Error::Validation(_)), "{draft:?}: {e:?}");
    }
    let ivan = f.as_agent(&f.ivan).await;
    let e = ivan
        .create_rule(scheduled("Mine", stale(1), close_with_note()))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden { .. }), "{e:?}");
    assert!(admin.rules().await.unwrap().is_empty());

    let old = pending(&f, "Vechi").await;
    f.tick(4 * 24 * 3600);
    let young = pending(&f, "Nou").await;
    let listed = admin
        .dry_run_scheduled_rule(
            &Conditions {
                statuses: vec![Status::PendingCustomer],
                ..Conditions::default()
            },
            Some(&stale(3)),
        )
        .await
        .unwrap();
    assert_eq!(
        listed.iter().map(|t| t.id).collect::<Vec<_>>(),
        [old.id],
        "{young:?}"
    );
    assert!(admin.rule_firings(None, 50).await.unwrap().is_empty());
}

pub async fn the_notify_action_tells_the_assignee_a_department_or_an_agent_in_the_same_commit(
    store: Arc<dyn Store>,
) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = admin(&f).await;
    admin
        .create_rule(RuleDraft {
            name: name("Tell them"),
            position: 1,
            active: true,
            conditions: Conditions {
                events: vec![RuleEvent::Created],
                text: Some(name("urgent")),
                ..Conditions::default()
            },
            actions: vec![
                Action::Assign {
                    agent: Some(f.ivan.id),
                },
                Action::Notify {
                    to: NotifyTarget::Assignee,
                },
                Action::Notify {
                    to: NotifyTarget::Department(f.billing.id),
                },
                Action::Notify {
                    to: NotifyTarget::Agent(f.boss.id),
                },
            ],
            schedule: None,
        })
        .await
        .unwrap();
    let t = f.open(&f.ana, "Urgent: nu merge nimic").await;
    let told = |agent: crate::domain::AgentId| {
        let store = store.clone();
        async move {
            let all = store
                .notifications(
                    Recipient::Agent(agent),
                    t.created_at + Duration::days(1),
                    100,
                )
                .await
                .unwrap();
            (all.into_iter())
                .filter(|n| n.ticket_id == t.id && n.kind == NotificationKind::RuleNotice)
                .count()
        }
    };
    assert_eq!(told(f.ivan.id).await, 1);
    assert_eq!(told(f.maria.id).await, 1);
    assert_eq!(told(f.boss.id).await, 1);
    assert_eq!(told(f.admin.id).await, 0);
    let log = admin.rule_firings(Some(t.id), 50).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].actions.len(), 4);

    // A macro's notice never goes to the agent applying it.
    let entry = admin
        .create_macro(
            name("Escalate"),
            vec![Action::Notify {
                to: NotifyTarget::Department(f.support.id),
            }],
        )
        .await
        .unwrap();
    let ivan = f.as_agent(&f.ivan).await;
    ivan.apply_macro(entry.id, &[t.id]).await.unwrap();
    assert_eq!(told(f.ivan.id).await, 1);
    assert_eq!(told(f.boss.id).await, 2);
    // A notice to a missing agent is refused when the rule is written.
    let e = admin
        .create_macro(
            name("Nobody"),
            vec![Action::Notify {
                to: NotifyTarget::Agent(crate::domain::AgentId::new()),
            }],
        )
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
}
