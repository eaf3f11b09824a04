//! Priority rules that match on the organisation (issue 20): a rule naming an organisation
//! decides for the organisation and its members, like an SLA condition; everyone else gets
//! what the fallback rules say.

use std::sync::Arc;

use crate::domain::{Actor, CustomerKind, Priority};
use crate::policy::{DefaultPriorityPolicy, OrganisationPriorityRule, OrganisationPriorityRules};
use crate::service::NewCustomer;
use crate::store::Store;
use crate::testkit::Fixture;
use crate::testkit::samples::name;

pub async fn a_priority_rule_matches_the_organisation_and_its_members(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let desk = f
        .desk
        .clone()
        .with_priority_policy(Arc::new(OrganisationPriorityRules::new(
            vec![OrganisationPriorityRule {
                organisations: vec![f.acme.id],
                initial: Priority::Urgent,
                ceiling: Some(Priority::Urgent),
            }],
            DefaultPriorityPolicy,
        )));
    let member = desk
        .as_system()
        .create_customer(
            NewCustomer::new(CustomerKind::Individual, name("Пётр из Акме"))
                .with_organisation(f.acme.id),
        )
        .await
        .unwrap();
    let outsider = desk
        .as_system()
        .create_customer(NewCustomer::new(
            CustomerKind::Organisation,
            name("Other Org"),
        ))
        .await
        .unwrap();
    let opened = async |who| {
        let acting = desk.acting_as(Actor::Customer(who)).await.unwrap();
        acting
            .open_ticket(f.new_ticket(&f.support, "Printer"))
            .await
            .unwrap()
            .priority
    };
    assert_eq!(
        opened(f.acme.id).await,
        Priority::Urgent,
        "the organisation"
    );
    assert_eq!(opened(member.id).await, Priority::Urgent, "its member");
    assert_eq!(
        opened(f.ana.id).await,
        Priority::Normal,
        "an individual of no organisation: the fallback"
    );
    assert_eq!(
        opened(outsider.id).await,
        Priority::High,
        "another organisation: the fallback"
    );
    // The member's ceiling is the rule's: an agent without the override may set Urgent.
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    assert_eq!(
        ivan.new_ticket_priorities(f.support.id, Some(member.id))
            .await
            .unwrap()
            .last(),
        Some(&Priority::Urgent)
    );
}

/// The field of a validation error, for the refusals below.
fn refused_on<T: std::fmt::Debug>(result: crate::error::Result<T>) -> String {
    match result {
        Err(crate::Error::Validation(v)) => v.field().to_owned(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// Priority rules an admin stores decide the new tickets of the organisation's customers on
/// a desk given no rules in code; bad rules are refused on their field and write nothing;
/// only admins reach them; every change is audited; removed, the usual rules apply again.
pub async fn stored_priority_rules_are_set_by_admins_and_decide_new_tickets(store: Arc<dyn Store>) {
    use crate::error::{Error, ForbiddenReason};
    use crate::policy::PriorityRuleSetting;
    use crate::store::ChangedSetting;
    use crate::testkit::ability;

    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store).await;
    let (admin, ivan) = (f.as_agent(&f.admin).await, f.as_agent(&f.ivan).await);
    let member = f
        .desk
        .as_system()
        .create_customer(
            NewCustomer::new(CustomerKind::Individual, name("Ion de la Acme"))
                .with_organisation(f.acme.id),
        )
        .await
        .unwrap();
    let opened = async |who| {
        let acting = f.desk.acting_as(Actor::Customer(who)).await.unwrap();
        let ticket = acting
            .open_ticket(f.new_ticket(&f.support, "Printer"))
            .await
            .unwrap();
        ticket.priority
    };
    assert_eq!(opened(f.acme.id).await, Priority::High, "the code's rule");

    let rule = |organisations| {
        PriorityRuleSetting::new(name("acme-low"), organisations, Priority::Low)
            .with_ceiling(Some(Priority::High))
    };
    // Refused, on the field at fault, and nothing is written.
    let audited = admin.setting_changes(500).await.unwrap().len();
    assert!(matches!(
        ivan.put_priority_rule(rule(vec![f.acme.id])).await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::AdminOnly
        })
    ));
    assert!(matches!(
        ivan.priority_rule_settings().await,
        Err(Error::Forbidden { .. })
    ));
    for (bad, field) in [
        (rule(vec![f.ana.id]), "organisations"),
        (
            rule(vec![crate::domain::CustomerId::new()]),
            "organisations",
        ),
        (rule(vec![]), "organisations"),
    ] {
        assert_eq!(refused_on(admin.put_priority_rule(bad).await), field);
    }
    let below = PriorityRuleSetting::new(name("acme-high"), vec![f.acme.id], Priority::High)
        .with_ceiling(Some(Priority::Normal));
    assert_eq!(refused_on(admin.put_priority_rule(below).await), "ceiling");
    assert_eq!(
        refused_on(admin.delete_priority_rule(&name("nothing")).await),
        "name"
    );
    assert!(admin.priority_rule_settings().await.unwrap().is_empty());
    assert_eq!(admin.setting_changes(500).await.unwrap().len(), audited);

    // Stored: the organisation and its members start Low; others keep the usual rules.
    let stored = admin
        .put_priority_rule(rule(vec![f.acme.id]))
        .await
        .unwrap();
    assert_eq!(stored.rules.len(), 1);
    assert_eq!(admin.priority_rule_settings().await.unwrap(), stored);
    let change = admin.setting_changes(1).await.unwrap().remove(0);
    assert_eq!(change.key, ChangedSetting::PriorityRules);
    assert_eq!(change.actor, Actor::Agent(f.admin.id));
    assert_eq!(change.before, None);
    assert_eq!(opened(f.acme.id).await, Priority::Low);
    assert_eq!(opened(member.id).await, Priority::Low, "a member");
    assert_eq!(opened(f.ana.id).await, Priority::Normal, "no organisation");
    // The ceiling is the rule's: an agent without the override may go up to High only.
    let ticket = f
        .desk
        .acting_as(Actor::Customer(member.id))
        .await
        .unwrap()
        .open_ticket(f.new_ticket(&f.support, "Scanner"))
        .await
        .unwrap();
    assert_eq!(
        ivan.settable_priorities(ticket.id).await.unwrap().last(),
        Some(&Priority::High)
    );
    // A second rule may not name the same organisation.
    let twice = PriorityRuleSetting::new(name("acme-urgent"), vec![f.acme.id], Priority::Urgent);
    assert_eq!(
        refused_on(admin.put_priority_rule(twice).await),
        "organisations"
    );

    // Removed: the code's rule again.
    let left = admin.delete_priority_rule(&name("acme-low")).await.unwrap();
    assert!(left.is_empty());
    assert_eq!(opened(f.acme.id).await, Priority::High);
    let change = admin.setting_changes(1).await.unwrap().remove(0);
    assert_eq!(change.after, None);
}
