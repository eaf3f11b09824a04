//! When each scheduled rule runs next (issue 22, item 2) through the desk: a rule never run
//! is due at the next `run_due`, a period after a run taken, a shortened schedule counts
//! from the last run, and triggers and rules turned off have none.

use std::sync::Arc;

use chrono::Duration;

use crate::automation::{Action, Conditions, RuleSchedule};
use crate::domain::{Name, Status, Tag};
use crate::service::RuleDraft;
use crate::store::Store;
use crate::testkit::{Fixture, ability};

fn draft(rule: &str, schedule: Option<RuleSchedule>, active: bool) -> RuleDraft {
    RuleDraft {
        name: Name::parse(rule).unwrap(),
        position: 1,
        active,
        conditions: Conditions {
            statuses: vec![Status::PendingCustomer],
            events: Vec::new(),
            ..Conditions::default()
        },
        actions: vec![Action::AddTag {
            tag: Tag::parse("vechi").unwrap(),
        }],
        schedule,
    }
}

fn every(minutes: u32) -> Option<RuleSchedule> {
    Some(RuleSchedule {
        every_minutes: minutes,
        unchanged_for: None,
    })
}

pub async fn each_scheduled_rule_says_when_it_runs_next(store: Arc<dyn Store>) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    let hourly = admin
        .create_rule(draft("Orar", every(60), true))
        .await
        .unwrap();
    let off = admin
        .create_rule(draft("Oprit", every(60), false))
        .await
        .unwrap();
    let mut trigger = draft("Declanșator", None, true);
    trigger.conditions.events = vec![crate::automation::RuleEvent::Created];
    let trigger = admin.create_rule(trigger).await.unwrap();

    let next = |list: &[(
        crate::automation::Rule,
        Option<chrono::DateTime<chrono::Utc>>,
    )],
                id| {
        list.iter()
            .find(|(r, _)| r.id == id)
            .map(|(_, n)| *n)
            .unwrap()
    };
    // Never run: due at the next run_due, which is now.
    let start = f.desk.now();
    let listed = admin.rules_with_next_run().await.unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(next(&listed, hourly.id), Some(start));
    assert_eq!(next(&listed, off.id), None);
    assert_eq!(next(&listed, trigger.id), None);
    // Only admins.
    assert!(
        f.as_agent(&f.ivan)
            .await
            .rules_with_next_run()
            .await
            .is_err()
    );

    // Run at `start`: next an hour later, and nothing runs before.
    let report = f.desk.run_due(start).await.unwrap();
    assert_eq!(report.scheduled.runs, 1);
    f.tick(20 * 60);
    let listed = admin.rules_with_next_run().await.unwrap();
    assert_eq!(next(&listed, hourly.id), Some(start + Duration::hours(1)));
    let early = f.desk.run_due(f.desk.now()).await.unwrap();
    assert_eq!(early.scheduled.runs, 0);

    // Every quarter of an hour from now on: counted from the last run, so due already.
    let mut quarter = draft("Orar", every(15), true);
    quarter.position = hourly.position;
    admin.update_rule(hourly.id, quarter).await.unwrap();
    let listed = admin.rules_with_next_run().await.unwrap();
    assert_eq!(next(&listed, hourly.id), Some(f.desk.now()));
    let now = f.desk.now();
    let taken = f.desk.run_due(now).await.unwrap();
    assert_eq!(taken.scheduled.runs, 1);
    let listed = admin.rules_with_next_run().await.unwrap();
    assert_eq!(next(&listed, hourly.id), Some(now + Duration::minutes(15)));
}
