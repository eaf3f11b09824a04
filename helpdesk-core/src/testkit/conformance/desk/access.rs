//! Who may see and do what: customers their own public tickets, agents their departments,
//! priorities within the rules of the customer's kind, and nobody once disabled.

use std::sync::Arc;

use super::{changed, note, reply, snapshot};
use crate::domain::{Channel, Permission, Priority, Visibility};
use crate::error::{Error, ForbiddenReason};
use crate::machine::Command;
use crate::store::{PageRequest, Store, TicketFilter};
use crate::testkit::{Fixture, body};

pub async fn priority_rules_follow_the_customer_kind(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let mut loud = f.new_ticket(&f.support, "URGENT!!!");
    loud.priority = Some(Priority::Urgent);
    let t = f.as_customer(&f.ana).await.open_ticket(loud).await.unwrap();
    assert_eq!(
        t.priority,
        Priority::Normal,
        "shouting does not raise priority"
    );
    let mut quiet = f.new_ticket(&f.support, "small thing");
    quiet.priority = Some(Priority::Low);
    let org = f
        .as_customer(&f.acme)
        .await
        .open_ticket(quiet)
        .await
        .unwrap();
    assert_eq!(
        org.priority,
        Priority::High,
        "organisations always get High"
    );
    let ivan = f.as_agent(&f.ivan).await;
    let raise = |priority| Command::ChangePriority { priority };
    let err = ivan.execute(t.id, raise(Priority::High)).await.unwrap_err();
    assert!(matches!(
        err,
        Error::Forbidden {
            reason: ForbiddenReason::PriorityAboveCap {
                cap: Priority::Normal
            }
        }
    ));
    let boss = f.as_agent(&f.boss).await;
    let raised = changed(boss.execute(t.id, raise(Priority::Urgent)).await.unwrap());
    assert_eq!(raised.priority, Priority::Urgent);
    // A phone ticket an agent opens for an individual is capped as well.
    let mut phone = f.new_ticket(&f.support, "Phone: line down");
    phone.customer = Some(f.reza.id);
    phone.priority = Some(Priority::Urgent);
    phone.channel = Channel::Phone;
    let p = ivan.open_ticket(phone).await.unwrap();
    assert_eq!((p.priority, p.channel), (Priority::Normal, Channel::Phone));
}

pub async fn a_disabled_customer_can_neither_open_nor_reply(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "Before").await;
    let admin = f.as_agent(&f.admin).await;
    admin.set_customer_access(f.ana.id, false).await.unwrap();
    let before = snapshot(store.as_ref(), &t).await;
    // No way in: the desk will not act as her, so she can neither reply nor open.
    let err = f
        .desk
        .acting_as(crate::domain::Actor::Customer(f.ana.id))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Forbidden {
            reason: ForbiddenReason::AccessDisabled
        }
    ));
    assert_eq!(snapshot(store.as_ref(), &t).await, before);
    // An agent may not open a ticket for her either (a phone call).
    let ivan = f.as_agent(&f.ivan).await;
    let mut for_ana = f.new_ticket(&f.support, "After");
    for_ana.customer = Some(f.ana.id);
    let err = ivan.open_ticket(for_ana).await.unwrap_err();
    assert!(matches!(
        err,
        Error::Forbidden {
            reason: ForbiddenReason::AccessDisabled
        }
    ));
    // Only admins give access back.
    let err = ivan.set_customer_access(f.ana.id, true).await.unwrap_err();
    assert!(matches!(
        err,
        Error::Forbidden {
            reason: ForbiddenReason::AdminOnly
        }
    ));
    f.desk
        .as_system()
        .set_customer_access(f.ana.id, true)
        .await
        .unwrap();
    f.as_customer(&f.ana)
        .await
        .execute(t.id, reply("back"))
        .await
        .unwrap();
}

pub async fn customers_see_only_their_own_tickets(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let mine = f.open(&f.ana, "Mine").await;
    let theirs = f.open(&f.reza, "Theirs").await;
    let ana = f.as_customer(&f.ana).await;
    for result in [
        ana.ticket(theirs.id).await.map(|_| ()),
        ana.thread(theirs.id).await.map(|_| ()),
        ana.history(theirs.id).await.map(|_| ()),
        ana.time_entries(theirs.id).await.map(|_| ()),
        ana.execute(theirs.id, reply("hi")).await.map(|_| ()),
    ] {
        assert!(matches!(result, Err(Error::NotFound { .. })), "{result:?}");
    }
    let page = ana
        .list_tickets(TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        page.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [mine.id]
    );
    let spy = TicketFilter {
        customer: Some(f.reza.id),
        ..Default::default()
    };
    let page = ana.list_tickets(spy, PageRequest::default()).await.unwrap();
    assert!(page.items.is_empty());
}

pub async fn internal_tickets_are_for_agents_only(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let ivan = f.as_agent(&f.ivan).await;
    let mut new = f.new_ticket(&f.support, "Check Ana's line before she calls");
    new.internal = true;
    new.customer = Some(f.ana.id);
    let t = ivan.open_ticket(new).await.unwrap();
    assert!(t.internal);
    assert_eq!(t.channel, Channel::Internal);
    let ana = f.as_customer(&f.ana).await;
    assert!(matches!(
        ana.ticket(t.id).await,
        Err(Error::NotFound { .. })
    ));
    let listed = ana
        .list_tickets(TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert!(listed.items.is_empty());
    assert_eq!(
        ivan.thread(t.id).await.unwrap()[0].visibility,
        Visibility::Internal
    );
    let mut sneaky = f.new_ticket(&f.support, "I want to be internal");
    sneaky.internal = true;
    assert!(matches!(
        ana.open_ticket(sneaky).await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::AgentsOnly
        })
    ));
    // Nobody to ask on an internal ticket.
    let ask = Command::AskCustomer {
        body: body("?"),
        until: None,
    };
    let err = ivan.execute(t.id, ask).await.unwrap_err();
    assert!(matches!(err, Error::Validation(_)));
}

pub async fn agents_act_only_in_their_departments(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let ana = f.as_customer(&f.ana).await;
    let b = ana
        .open_ticket(f.new_ticket(&f.billing, "Double charge"))
        .await
        .unwrap();
    let s = f.open(&f.ana, "Support thing").await;
    let (ivan, maria) = (f.as_agent(&f.ivan).await, f.as_agent(&f.maria).await);
    // A ticket outside an agent's departments is not found, as for customers: a 403 would
    // tell that it exists.
    assert!(matches!(
        ivan.ticket(b.id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        maria.ticket(s.id).await,
        Err(Error::NotFound { .. })
    ));
    // Maria may read and note in billing, but not reply.
    maria
        .execute(b.id, note("checked the ledger"))
        .await
        .unwrap();
    let err = maria.execute(b.id, reply("hi")).await.unwrap_err();
    assert!(matches!(
        err,
        Error::Forbidden {
            reason: ForbiddenReason::MissingPermission {
                permission: Permission::Reply
            }
        }
    ));
    let listed = maria
        .list_tickets(TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        listed.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [b.id]
    );
    // Assigning to someone who cannot work in the department is refused.
    let assign = Command::Assign {
        agent: Some(f.maria.id),
    };
    let err = ivan.execute(s.id, assign).await.unwrap_err();
    assert!(matches!(err, Error::Validation(_)));
    // Deactivated agents can do nothing.
    f.desk
        .as_system()
        .update_agent(f.ivan.id, f.ivan.role, f.ivan.departments.clone(), false)
        .await
        .unwrap();
    assert!(matches!(
        f.desk
            .acting_as(crate::domain::Actor::Agent(f.ivan.id))
            .await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::AgentInactive
        })
    ));
}
