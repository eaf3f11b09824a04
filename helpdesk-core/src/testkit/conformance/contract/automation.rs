//! Rules, macros and the firing log ([`AutomationStore`](crate::store::AutomationStore)):
//! rules listed by position and macros by name, replaced and deleted once; log entries
//! written with their batch or not at all (a refused batch leaves none), listed newest
//! first per ticket or for all, and counted since an instant.

use std::sync::Arc;

use super::commit_scene::Scene;
use crate::automation::{Action, Conditions, Macro, Rule, RuleFiring};
use crate::domain::{MacroId, Name, Priority, RuleFiringId, RuleId, Tag, Ticket};
use crate::error::Error;
use crate::store::{Store, TicketWrite, WriteBatch};
use crate::testkit::ability;
use crate::testkit::samples::{at, t0};

/// A rule named `name` at `position` (a text condition in Russian, a Romanian tag).
pub(super) fn rule(name: &str, position: u32) -> Rule {
    Rule {
        id: RuleId::new(),
        name: Name::parse(name).unwrap(),
        position,
        active: true,
        conditions: Conditions {
            priorities: vec![Priority::High],
            text: Some(Name::parse("Интернет").unwrap()),
            ..Conditions::default()
        },
        actions: vec![Action::AddTag {
            tag: Tag::parse("Întârziere").unwrap(),
        }],
        created_at: t0(),
        schedule: None,
    }
}

fn firing(ticket: &Ticket, seconds: i64) -> RuleFiring {
    RuleFiring {
        id: RuleFiringId::new(),
        rule: RuleId::new(),
        rule_name: Name::parse("VIP → urgent").unwrap(),
        ticket_id: ticket.id,
        at: at(seconds),
        actions: vec![Action::SetPriority {
            priority: Priority::Urgent,
        }],
        skipped: Vec::new(),
    }
}

pub async fn rules_and_macros_round_trip_in_their_order(store: Arc<dyn Store>) {
    let Some(auto) = ability(store.as_automation_store(), "automation") else {
        return;
    };
    let (late, early) = (rule("late", 20), rule("early", 10));
    auto.put_rule(&late).await.unwrap();
    auto.put_rule(&early).await.unwrap();
    assert_eq!(auto.rules().await.unwrap(), [early.clone(), late.clone()]);
    let moved = Rule {
        position: 5,
        active: false,
        ..late.clone()
    };
    auto.put_rule(&moved).await.unwrap();
    assert_eq!(auto.rules().await.unwrap(), [moved.clone(), early.clone()]);
    assert!(auto.delete_rule(moved.id).await.unwrap());
    assert!(!auto.delete_rule(moved.id).await.unwrap());
    assert_eq!(auto.rules().await.unwrap(), [early]);

    let entry = |name: &str| Macro {
        id: MacroId::new(),
        name: Name::parse(name).unwrap(),
        actions: vec![Action::AddNote {
            body: crate::testkit::body("Проверено"),
        }],
        created_at: t0(),
    };
    let (b, a, upper) = (entry("beta"), entry("alpha"), entry("Zeta"));
    for m in [&b, &a, &upper] {
        auto.put_macro(m).await.unwrap();
    }
    // By name, bytewise.
    assert_eq!(
        auto.macros().await.unwrap(),
        [upper.clone(), a.clone(), b.clone()]
    );
    assert!(auto.delete_macro(a.id).await.unwrap());
    assert!(!auto.delete_macro(a.id).await.unwrap());
    assert_eq!(auto.macros().await.unwrap(), [upper, b]);
}

pub async fn firings_commit_with_their_batch_or_not_at_all(store: Arc<dyn Store>) {
    let Some(auto) = ability(store.as_automation_store(), "automation") else {
        return;
    };
    let s = Scene::new(store.clone()).await;
    let (a, b) = (&s.a, &s.b);
    // A stale write: the batch is refused, and its log entry with it.
    let stale = WriteBatch {
        rule_firings: vec![firing(b, 10)],
        ..WriteBatch::one(TicketWrite::update(
            b.version.next(),
            Scene::next(&Scene::next(b, |_| {}), |_| {}),
        ))
    };
    assert!(matches!(
        store.commit(stale).await,
        Err(Error::Conflict { .. })
    ));
    // An entry for a ticket the batch does not write: refused as badly shaped.
    let outside = WriteBatch {
        rule_firings: vec![firing(b, 10)],
        ..WriteBatch::one(Scene::touch(a))
    };
    assert!(matches!(
        store.commit(outside).await,
        Err(Error::Validation(_))
    ));
    assert!(auto.rule_firings(None, 10).await.unwrap().is_empty());
    assert_eq!(auto.firings_since(a.id, at(0)).await.unwrap(), 0);

    let (a10, a20, b15) = (firing(a, 10), firing(a, 20), firing(b, 15));
    store
        .commit(WriteBatch {
            rule_firings: vec![a10.clone(), b15.clone()],
            ..WriteBatch::of(vec![Scene::touch(a), Scene::touch(b)])
        })
        .await
        .unwrap();
    let a3 = store.ticket(a.id).await.unwrap().unwrap();
    store
        .commit(WriteBatch {
            rule_firings: vec![a20.clone()],
            ..WriteBatch::one(Scene::touch(&a3))
        })
        .await
        .unwrap();
    assert_eq!(
        auto.rule_firings(None, 10).await.unwrap(),
        [a20.clone(), b15.clone(), a10.clone()]
    );
    assert_eq!(
        auto.rule_firings(Some(a.id), 10).await.unwrap(),
        [a20.clone(), a10.clone()]
    );
    assert_eq!(auto.rule_firings(Some(a.id), 1).await.unwrap(), [a20]);
    assert_eq!(auto.firings_since(a.id, at(10)).await.unwrap(), 2);
    assert_eq!(auto.firings_since(a.id, at(11)).await.unwrap(), 1);
    assert_eq!(auto.firings_since(a.id, at(21)).await.unwrap(), 0);
    assert_eq!(auto.firings_since(b.id, at(0)).await.unwrap(), 1);
}
