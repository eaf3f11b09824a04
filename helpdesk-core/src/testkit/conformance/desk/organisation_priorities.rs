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
                ceiling: Priority::Urgent,
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
