//! Taking the runs of scheduled rules
//! ([`AutomationStore::claim_rule_run`](crate::store::AutomationStore::claim_rule_run)): a
//! run is taken once until the next is due, and of concurrent takers exactly one wins.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::automation::{HeldFor, HeldUnit, Rule, RuleSchedule};
use crate::domain::RuleId;
use crate::store::Store;
use crate::testkit::ability;

use super::automation::rule;

fn t0() -> DateTime<Utc> {
    "2026-03-02T08:00:00Z".parse().unwrap()
}

pub async fn a_rule_run_is_taken_once_until_the_next_is_due(store: Arc<dyn Store>) {
    let Some(auto) = ability(store.as_automation_store(), "automation") else {
        return;
    };
    // A scheduled rule round-trips with its schedule.
    let every = RuleSchedule {
        every_minutes: 60,
        unchanged_for: Some(HeldFor {
            amount: 10,
            unit: HeldUnit::BusinessDays,
        }),
    };
    let stale = Rule {
        schedule: Some(every),
        ..rule("stale", 1)
    };
    auto.put_rule(&stale).await.unwrap();
    assert_eq!(auto.rules().await.unwrap(), std::slice::from_ref(&stale));

    let hour = Duration::hours(1);
    assert!(
        auto.claim_rule_run(stale.id, t0(), t0() + hour)
            .await
            .unwrap()
    );
    assert!(
        !auto
            .claim_rule_run(stale.id, t0(), t0() + hour)
            .await
            .unwrap()
    );
    let almost = t0() + Duration::minutes(59);
    assert!(
        !auto
            .claim_rule_run(stale.id, almost, almost + hour)
            .await
            .unwrap()
    );
    // Another rule's runs are its own.
    let other = RuleId::new();
    assert!(
        auto.claim_rule_run(other, almost, almost + hour)
            .await
            .unwrap()
    );
    // Due at the next run's instant exactly.
    let next = t0() + hour;
    assert!(
        auto.claim_rule_run(stale.id, next, next + hour)
            .await
            .unwrap()
    );
    assert!(
        !auto
            .claim_rule_run(stale.id, next + Duration::minutes(30), next + hour * 2)
            .await
            .unwrap()
    );
    // A deleted rule's run is no error.
    assert!(auto.delete_rule(stale.id).await.unwrap());
    let late = t0() + Duration::days(1);
    assert!(
        auto.claim_rule_run(stale.id, late, late + hour)
            .await
            .unwrap()
    );
}

pub async fn concurrent_takers_of_a_rule_run_give_it_to_exactly_one(store: Arc<dyn Store>) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let id = RuleId::new();
    for round in 0..3 {
        let now = t0() + Duration::hours(round);
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    let auto = store.as_automation_store().unwrap();
                    auto.claim_rule_run(id, now, now + Duration::hours(1))
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut won = 0;
        for t in tasks {
            won += usize::from(t.await.unwrap());
        }
        assert_eq!(won, 1, "round {round}");
    }
}

pub async fn the_last_runs_are_listed_and_a_shorter_period_counts_from_the_last(
    store: Arc<dyn Store>,
) {
    let Some(auto) = ability(store.as_automation_store(), "automation") else {
        return;
    };
    let (a, b) = (RuleId::new(), RuleId::new());
    assert!(auto.last_rule_runs().await.unwrap().is_empty());
    let hour = Duration::hours(1);
    assert!(auto.claim_rule_run(a, t0(), t0() + hour).await.unwrap());
    let later = t0() + Duration::minutes(20);
    assert!(auto.claim_rule_run(b, later, later + hour).await.unwrap());
    let mut expected = vec![(a, t0()), (b, later)];
    expected.sort_by_key(|(id, _)| *id);
    let mut listed = auto.last_rule_runs().await.unwrap();
    listed.sort_by_key(|(id, _)| *id);
    assert_eq!(listed, expected);

    // At 00:20 past, a period of 15 minutes: due (the last run was 20 minutes ago); a
    // period of 30: not.
    let quarter = Duration::minutes(15);
    assert!(
        !auto
            .claim_rule_run(a, later, later + Duration::minutes(30))
            .await
            .unwrap()
    );
    assert!(
        auto.claim_rule_run(a, later, later + quarter)
            .await
            .unwrap()
    );
    assert!(
        !auto
            .claim_rule_run(a, later, later + quarter)
            .await
            .unwrap()
    );
    let mut listed = auto.last_rule_runs().await.unwrap();
    listed.sort_by_key(|(id, _)| *id);
    assert!(listed.contains(&(a, later)), "{listed:?}");
}
