//! The limit of rule firings per ticket per hour (issue 22, item 1) under concurrency: many
//! changes to one ticket at once, from several desks on one store (as several processes
//! would be), never fire rules on it more often than the limit allows.

use std::sync::Arc;

use tokio::sync::Barrier;

use crate::Helpdesk;
use crate::automation::{Action, Conditions, MAX_FIRINGS_PER_TICKET_PER_HOUR, RuleEvent};
use crate::domain::{Actor, Name, Visibility};
use crate::service::RuleDraft;
use crate::store::Store;
use crate::testkit::{Fixture, ability, body};

use super::reply;

/// How many desks change the ticket at once.
const DESKS: usize = 4;

pub async fn concurrent_changes_to_one_ticket_fire_rules_at_most_the_hourly_limit(
    store: Arc<dyn Store>,
) {
    if ability(store.as_automation_store(), "automation").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    admin
        .create_rule(RuleDraft {
            name: Name::parse("seen").unwrap(),
            position: 1,
            active: true,
            conditions: Conditions {
                events: vec![RuleEvent::CustomerReplied],
                ..Conditions::default()
            },
            actions: vec![Action::AddNote { body: body("seen") }],
            schedule: None,
        })
        .await
        .unwrap();
    let t = f.open(&f.ana, "Nu merge").await;
    // Twice as many replies as the limit, all at once and at one instant (so all within
    // the hour), from desks that share nothing but the store.
    let limit = MAX_FIRINGS_PER_TICKET_PER_HOUR as usize;
    let replies = 2 * limit;
    let desks: Vec<Helpdesk> = (0..DESKS)
        .map(|_| Helpdesk::new(store.clone()).with_clock(f.clock.clone()))
        .collect();
    let start = Arc::new(Barrier::new(replies));
    let changes: Vec<_> = (0..replies)
        .map(|i| {
            let desk = desks[i % DESKS].clone();
            let (customer, id, start) = (f.ana.id, t.id, start.clone());
            tokio::spawn(async move {
                let ana = desk.acting_as(Actor::Customer(customer)).await?;
                start.wait().await;
                ana.execute(id, reply(&format!("încă o dată {i}"))).await
            })
        })
        .collect();
    for change in changes {
        change.await.unwrap().unwrap();
    }
    let messages = store.messages(t.id, true).await.unwrap();
    let public = (messages.iter())
        .filter(|m| m.visibility != Visibility::Internal)
        .count();
    // Every reply landed (after the first message), and exactly the limit's worth of firings,
    // each with its note.
    assert_eq!(public, 1 + replies);
    assert_eq!(
        admin.rule_firings(Some(t.id), 100).await.unwrap().len(),
        limit
    );
    assert_eq!(messages.len() - public, limit);
}
