//! Triggers on service-level events (issue 22, item 1): the warnings and breaches
//! [`Helpdesk::run_due`](crate::Helpdesk::run_due) raises fire the triggers that wait for
//! them, in the same commit, logged, once.

use std::sync::Arc;

use chrono::Duration;

use crate::automation::{Action, Conditions, RuleEvent};
use crate::domain::{Name, Priority, Tag};
use crate::service::RuleDraft;
use crate::store::Store;
use crate::testkit::{Fixture, ability};

use super::sla::at;

fn on(event: RuleEvent, rule: &str, tag: &str) -> RuleDraft {
    RuleDraft {
        name: Name::parse(rule).unwrap(),
        position: 1,
        active: true,
        conditions: Conditions {
            events: vec![event],
            ..Conditions::default()
        },
        actions: vec![Action::AddTag {
            tag: Tag::parse(tag).unwrap(),
        }],
        schedule: None,
    }
}

pub async fn sla_warnings_and_breaches_raised_by_run_due_fire_triggers(store: Arc<dyn Store>) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::with_service_levels(store.clone()).await;
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let admin = f.as_agent(&f.admin).await;
    let warning = admin
        .create_rule(on(RuleEvent::SlaWarning, "Avertisment", "sla-warning"))
        .await
        .unwrap();
    let breach = admin
        .create_rule(on(RuleEvent::SlaBreached, "Depășire", "sla-breach"))
        .await
        .unwrap();
    let mut new = f.new_ticket(&f.support, "Totul e căzut");
    new.customer = Some(f.acme.id);
    new.priority = Some(Priority::Urgent);
    let t = f.as_agent(&f.boss).await.open_ticket(new).await.unwrap();
    let tags = async || store.ticket(t.id).await.unwrap().unwrap().tags;
    let fired = async || -> Vec<_> {
        (admin
            .rule_firings(Some(t.id), 50)
            .await
            .unwrap()
            .into_iter())
        .map(|r| r.rule)
        .collect()
    };
    assert!(fired().await.is_empty());

    // The first-response warning (48 minutes in): the warning trigger, not the breach one.
    let warn_at = t0 + Duration::minutes(48);
    f.desk.run_due(warn_at).await.unwrap();
    assert_eq!(tags().await, [Tag::parse("sla-warning").unwrap()].into());
    assert_eq!(fired().await, [warning.id]);
    // Once: running again raises nothing and fires nothing.
    assert_eq!(f.desk.run_due(warn_at).await.unwrap().events, 0);
    assert_eq!(fired().await, [warning.id]);

    // The breach (an hour in): the breach trigger.
    let late = t0 + Duration::hours(1) + Duration::minutes(1);
    f.desk.run_due(late).await.unwrap();
    assert_eq!(
        tags().await,
        [
            Tag::parse("sla-breach").unwrap(),
            Tag::parse("sla-warning").unwrap()
        ]
        .into()
    );
    assert_eq!(fired().await, [breach.id, warning.id]);
}
