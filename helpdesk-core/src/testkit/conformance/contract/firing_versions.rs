//! Rule firings and ticket versions: a firing commits only with its ticket moved to its next
//! version, so two changes made from one version cannot both land with their firings, and
//! the hourly firing limit is counted one change after another.

use std::sync::Arc;

use super::commit_scene::Scene;
use crate::automation::{Action, RuleFiring};
use crate::domain::{Name, RuleFiringId, RuleId, Tag, Ticket};
use crate::error::Error;
use crate::store::{Store, TicketWrite, WriteBatch};
use crate::testkit::ability;
use crate::testkit::samples::at;

fn firing(ticket: &Ticket) -> RuleFiring {
    RuleFiring {
        id: RuleFiringId::new(),
        rule: RuleId::new(),
        rule_name: Name::parse("Etichetă").unwrap(),
        ticket_id: ticket.id,
        at: at(30),
        actions: vec![Action::AddTag {
            tag: Tag::parse("văzut").unwrap(),
        }],
        skipped: Vec::new(),
    }
}

pub async fn a_rule_firing_commits_only_with_its_ticket_moved_to_its_next_version(
    store: Arc<dyn Store>,
) {
    let Some(auto) = ability(store.as_automation_store(), "automation") else {
        return;
    };
    let s = Scene::new(store.clone()).await;
    let a = &s.a;
    let written = |ticket: Ticket| WriteBatch {
        rule_firings: vec![firing(a)],
        ..WriteBatch::one(TicketWrite::update(a.version, ticket))
    };
    // At its stored version (another change from that version would pass the same check),
    // or past its next one: refused as badly shaped, nothing written.
    let kept = Scene::next(a, |t| t.version = a.version);
    let skipped = Scene::next(a, |t| t.version = a.version.next().next());
    for ticket in [kept, skipped] {
        assert!(
            matches!(
                store.commit(written(ticket.clone())).await,
                Err(Error::Validation(_))
            ),
            "{ticket:?}"
        );
    }
    assert_eq!(auto.firings_since(a.id, at(0)).await.unwrap(), 0);
    assert_eq!(store.ticket(a.id).await.unwrap().unwrap(), *a);
    // Moved on by one: written, with its firing.
    store.commit(written(Scene::next(a, |_| {}))).await.unwrap();
    assert_eq!(auto.firings_since(a.id, at(0)).await.unwrap(), 1);
    assert_eq!(
        store.ticket(a.id).await.unwrap().unwrap().version,
        a.version.next()
    );
}
