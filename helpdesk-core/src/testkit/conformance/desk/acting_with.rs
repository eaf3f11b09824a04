//! The principal read in the same store call as a request's own reads
//! ([`Helpdesk::ticket_with_thread_as`](crate::Helpdesk::ticket_with_thread_as),
//! [`Helpdesk::execute_as`](crate::Helpdesk::execute_as)): admitted by the rule of
//! `acting_as`, shown and changed exactly as `acting_as` then the call would.

use std::sync::Arc;

use super::{note, reply, snapshot};
use crate::domain::{Actor, AgentId, CustomerId, TicketKey};
use crate::error::{Entity, Error, ForbiddenReason};
use crate::service::Outcome;
use crate::store::Store;
use crate::testkit::Fixture;

pub async fn a_principal_read_with_the_requests_reads_is_admitted_and_served_as_acting_as_does(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "Internet down").await;
    let ivan = f.as_agent(&f.ivan).await;
    ivan.execute(t.id, note("line checked")).await.unwrap();
    let ana = f.as_customer(&f.ana).await;
    let desk = &f.desk;
    // The same principal, ticket and thread as `acting_as` then `ticket_with_thread`, by id
    // and by number: the agent with the note, the customer without.
    for (actor, who, messages) in [
        (Actor::Agent(f.ivan.id), &ivan, 2),
        (Actor::Customer(f.ana.id), &ana, 1),
    ] {
        for key in [
            TicketKey::Id(t.id),
            TicketKey::Number(t.number.short().to_owned()),
        ] {
            let (acting, shown) = (desk.ticket_with_thread_as(actor, key.clone(), 50))
                .await
                .unwrap();
            assert_eq!(acting.principal(), who.principal());
            assert_eq!(shown, who.ticket_with_thread(key, 50).await.unwrap());
            assert_eq!(shown.thread.items.len(), messages);
        }
    }
    // Who may not see it is told it is not found, named as they named it: another customer,
    // an agent outside its department; nothing is written for them.
    let before = snapshot(store.as_ref(), &t).await;
    for actor in [Actor::Customer(f.reza.id), Actor::Agent(f.maria.id)] {
        let e = desk
            .ticket_with_thread_as(actor, t.id, 50)
            .await
            .unwrap_err();
        assert_same(&e, &Error::not_found(Entity::Ticket, t.id), actor);
        let e = (desk.execute_as(actor, t.id, reply("mine?")).await).unwrap_err();
        assert_same(&e, &Error::not_found(Entity::Ticket, t.id), actor);
    }
    // A page size out of range is refused before anything is read.
    let e = (desk.ticket_with_thread_as(Actor::Agent(f.ivan.id), t.id, 0))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
    assert_eq!(snapshot(store.as_ref(), &t).await, before);

    // Commands: applied once, as `execute` applies them, by id and by number.
    let outcome = (desk.execute_as(Actor::Agent(f.ivan.id), t.id, reply("Restarting")))
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::Changed(_)));
    let by_number = TicketKey::Number(t.number.full().to_owned());
    (desk.execute_as(Actor::Customer(f.ana.id), by_number, reply("Thanks")))
        .await
        .unwrap();
    let thread = ivan.thread(t.id).await.unwrap();
    assert_eq!(thread.len(), 4);

    // Disabled, deactivated or unknown: the errors of `acting_as`, first, and nothing
    // written, whether or not the ticket exists.
    let admin = f.as_agent(&f.admin).await;
    admin.set_customer_access(f.ana.id, false).await.unwrap();
    (desk.as_system())
        .update_agent(f.ivan.id, f.ivan.role, f.ivan.departments.clone(), false)
        .await
        .unwrap();
    let before = snapshot(store.as_ref(), &t).await;
    let (unknown_agent, unknown_customer) = (AgentId::new(), CustomerId::new());
    for (actor, expected) in [
        (
            Actor::Customer(f.ana.id),
            Error::forbidden(ForbiddenReason::AccessDisabled),
        ),
        (
            Actor::Agent(f.ivan.id),
            Error::forbidden(ForbiddenReason::AgentInactive),
        ),
        (
            Actor::Agent(unknown_agent),
            Error::not_found(Entity::Agent, unknown_agent),
        ),
        (
            Actor::Customer(unknown_customer),
            Error::not_found(Entity::Customer, unknown_customer),
        ),
    ] {
        assert_same(&desk.acting_as(actor).await.unwrap_err(), &expected, actor);
        let e = desk
            .ticket_with_thread_as(actor, t.id, 50)
            .await
            .unwrap_err();
        assert_same(&e, &expected, actor);
        let e = (desk.execute_as(actor, t.id, reply("still here")))
            .await
            .unwrap_err();
        assert_same(&e, &expected, actor);
        let missing = TicketKey::Number("999999".to_owned());
        let e = (desk.execute_as(actor, missing, reply("anyone?")))
            .await
            .unwrap_err();
        assert_same(&e, &expected, actor);
    }
    assert_eq!(snapshot(store.as_ref(), &t).await, before);
}

/// `found` is the error `expected` (errors hold no values that compare otherwise).
fn assert_same(found: &Error, expected: &Error, actor: Actor) {
    assert_eq!(format!("{found:?}"), format!("{expected:?}"), "{actor:?}");
}
