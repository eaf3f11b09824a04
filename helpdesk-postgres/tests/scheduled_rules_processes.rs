//! Scheduled rules run by several processes at once on one PostgreSQL database (issue 22,
//! item 2): four desks, each with a pool of its own, run `run_due` at the same instant,
//! several rounds; each rule run is taken by one of them and each matching ticket handled
//! once per run (one note, one log entry), none twice.

use std::sync::Arc;

use chrono::Duration;
use helpdesk_core::Helpdesk;
use helpdesk_core::automation::{Action, Conditions, HeldFor, HeldUnit, RuleSchedule};
use helpdesk_core::domain::{MessageBody, Name, Status, Tag, Visibility};
use helpdesk_core::machine::Command;
use helpdesk_core::service::RuleDraft;
use helpdesk_core::store::Store;
use helpdesk_core::testkit::{Fixture, body};
use helpdesk_postgres::testing;

/// Desks (processes) running `run_due` at once.
const PROCESSES: usize = 4;
/// Tickets the rule matches.
const TICKETS: usize = 30;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn processes_running_due_work_at_once_handle_each_ticket_once_per_run() {
    let Some(first) = testing::fresh_store().await else {
        return;
    };
    let fx = Fixture::new(Arc::new(first.clone())).await;
    let admin = fx.as_agent(&fx.admin).await;
    admin
        .create_rule(RuleDraft {
            name: Name::parse("Nudge").unwrap(),
            position: 1,
            active: true,
            conditions: Conditions {
                statuses: vec![Status::PendingCustomer],
                ..Conditions::default()
            },
            actions: vec![
                Action::AddNote {
                    body: body("Clientul nu a răspuns"),
                },
                Action::AddTag {
                    tag: Tag::parse("nudged").unwrap(),
                },
            ],
            schedule: Some(RuleSchedule {
                every_minutes: 60,
                unchanged_for: Some(HeldFor {
                    amount: 1,
                    unit: HeldUnit::Days,
                }),
            }),
        })
        .await
        .unwrap();
    let ivan = fx.as_agent(&fx.ivan).await;
    let mut tickets = Vec::new();
    for i in 0..TICKETS {
        let t = fx.open(&fx.ana, &format!("Întrebare {i}")).await;
        let ask = Command::AskCustomer {
            body: MessageBody::parse("Ce model?").unwrap(),
            until: None,
        };
        ivan.execute(t.id, ask).await.unwrap();
        tickets.push(t.id);
    }
    let mut others = Vec::new();
    for _ in 1..PROCESSES {
        others.push(testing::another_process(&first).await.unwrap());
    }
    let desks: Vec<Helpdesk> = std::iter::once(Arc::new(first.clone()) as Arc<dyn Store>)
        .chain(others.iter().map(|s| Arc::new(s.clone()) as Arc<dyn Store>))
        .map(|store| Helpdesk::new(store).with_clock(fx.clock.clone()))
        .collect();
    fx.tick(2 * 24 * 3600);
    let start = fx.desk.now();
    // Round 0 handles every ticket; the next rounds (an hour apart) find them changed.
    for round in 0..3 {
        let now = start + Duration::hours(round);
        let runs: Vec<_> = (desks.iter().cloned())
            .map(|desk| tokio::spawn(async move { desk.run_due(now).await }))
            .collect();
        let (mut taken, mut handled) = (0, 0);
        for run in runs {
            let report = run.await.unwrap().unwrap();
            taken += report.scheduled.runs;
            handled += report.scheduled.tickets;
        }
        let expected = if round == 0 { TICKETS } else { 0 };
        assert_eq!((taken, handled), (1, expected), "round {round}");
    }
    for id in &tickets {
        let notes = (first.messages(*id, true).await.unwrap().into_iter())
            .filter(|m| m.visibility == Visibility::Internal)
            .count();
        assert_eq!(notes, 1);
        assert_eq!(admin.rule_firings(Some(*id), 50).await.unwrap().len(), 1);
    }
    for other in others {
        other.pool().close().await;
    }
    testing::discard(first).await.unwrap();
}
