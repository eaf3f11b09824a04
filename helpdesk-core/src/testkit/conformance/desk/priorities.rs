//! The priority rules told, never silent: a new ticket's priority the rules do not allow is
//! applied otherwise with a notice saying what and why, a request no rule would grant is
//! refused when filed, and the choices offered are the ones that apply as chosen.

use std::sync::Arc;

use super::{changed, snapshot};
use crate::domain::{Channel, CustomerKind, Notice, Priority, PriorityReason, ShortNote, Ticket};
use crate::error::{Error, ForbiddenReason};
use crate::machine::{Command, NewTicket};
use crate::service::{Acting, Opened};
use crate::store::Store;
use crate::testkit::Fixture;

fn asking(f: &Fixture, subject: &str, priority: Priority) -> NewTicket {
    let mut new = f.new_ticket(&f.support, subject);
    new.priority = Some(priority);
    new
}

async fn open(who: &Acting, new: NewTicket) -> Opened {
    who.open_ticket_with_notices(new, Vec::new()).await.unwrap()
}

fn adjusted(asked: Priority, applied: Priority, reason: PriorityReason) -> Vec<Notice> {
    vec![Notice::PriorityAdjusted {
        asked,
        applied,
        reason,
    }]
}

pub async fn a_priority_the_rules_do_not_allow_is_applied_otherwise_with_a_notice(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store).await;
    let (ana, acme) = (f.as_customer(&f.ana).await, f.as_customer(&f.acme).await);
    let normal_cap = PriorityReason::AboveCap {
        cap: Priority::Normal,
    };

    // An individual above her cap: applied at the cap, and told so.
    let loud = open(&ana, asking(&f, "URGENT!!!", Priority::Urgent)).await;
    assert_eq!(loud.ticket.priority, Priority::Normal);
    assert_eq!(
        loud.notices,
        adjusted(Priority::Urgent, Priority::Normal, normal_cap)
    );
    let stored = ana.ticket(loud.ticket.id).await.unwrap();
    assert_eq!(stored, loud.ticket, "the ticket returned is the one stored");
    // Within her cap, or asking nothing: as asked, nothing to tell.
    let low = open(&ana, asking(&f, "whenever", Priority::Low)).await;
    assert_eq!((low.ticket.priority, low.notices), (Priority::Low, vec![]));
    let plain = open(&ana, f.new_ticket(&f.support, "plain")).await;
    assert_eq!(
        (plain.ticket.priority, plain.notices),
        (Priority::Normal, vec![])
    );

    // An organisation gets High by the desk's rule, whatever it asks; the rule is the reason,
    // not a cap (Urgent is within an organisation's).
    let organisations = PriorityReason::DeskRule {
        customer_kind: Some(CustomerKind::Organisation),
    };
    for asked in [Priority::Low, Priority::Urgent] {
        let opened = open(&acme, asking(&f, "org", asked)).await;
        assert_eq!(
            opened.notices,
            adjusted(asked, Priority::High, organisations),
            "{asked}"
        );
    }
    let high = open(&acme, asking(&f, "org high", Priority::High)).await;
    assert!(high.notices.is_empty());

    // An agent's phone ticket: capped without RaisePriority, as asked with it.
    let mut phone = asking(&f, "Phone: line down", Priority::Urgent);
    phone.customer = Some(f.reza.id);
    phone.channel = Channel::Phone;
    let ivan = f.as_agent(&f.ivan).await;
    let capped = open(&ivan, phone.clone()).await;
    assert_eq!(
        capped.notices,
        adjusted(Priority::Urgent, Priority::Normal, normal_cap)
    );
    let boss = f.as_agent(&f.boss).await;
    let raised = open(&boss, phone).await;
    assert_eq!(
        (raised.ticket.priority, raised.notices),
        (Priority::Urgent, vec![])
    );

    // The notice says it in words too.
    assert_eq!(
        loud_text(&adjusted(Priority::Urgent, Priority::Normal, normal_cap)),
        "asked for priority urgent, applied normal: above the cap of normal"
    );
    assert_eq!(
        loud_text(&adjusted(Priority::Low, Priority::High, organisations)),
        "asked for priority low, applied high: set by the desk's rule for organisations"
    );
}

fn loud_text(notices: &[Notice]) -> String {
    notices.iter().map(ToString::to_string).collect()
}

pub async fn a_priority_request_above_the_cap_is_refused_when_filed(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ana = f.as_customer(&f.ana).await;
    let t = f.open(&f.ana, "Office down").await;
    let ask = |priority| Command::RequestPriority {
        priority,
        reason: ShortNote::parse("Весь офис без связи").unwrap(),
    };
    let before = snapshot(store.as_ref(), &t).await;
    for above in [Priority::High, Priority::Urgent] {
        let err = ana.execute(t.id, ask(above)).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Forbidden {
                    reason: ForbiddenReason::PriorityAboveCap {
                        cap: Priority::Normal
                    }
                }
            ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "forbidden: this customer's priority is capped at Normal"
        );
    }
    assert_eq!(snapshot(store.as_ref(), &t).await, before, "nothing filed");

    // Within the cap a request is filed, and any agent who may change priorities grants it.
    let ivan = f.as_agent(&f.ivan).await;
    let lowered = Command::ChangePriority {
        priority: Priority::Low,
    };
    ivan.execute(t.id, lowered).await.unwrap();
    let asked = changed(ana.execute(t.id, ask(Priority::Normal)).await.unwrap());
    assert_eq!(
        asked.priority_request.map(|r| r.priority),
        Some(Priority::Normal)
    );
    let decide = Command::DecidePriorityRequest { approve: true };
    let granted = changed(ivan.execute(t.id, decide).await.unwrap());
    assert_eq!(granted.priority, Priority::Normal);

    // An organisation's cap is Urgent: it may ask for it above its High.
    let acme = f.as_customer(&f.acme).await;
    let org = acme
        .open_ticket(f.new_ticket(&f.support, "Org down"))
        .await
        .unwrap();
    let asked = changed(acme.execute(org.id, ask(Priority::Urgent)).await.unwrap());
    assert_eq!(
        asked.priority_request.map(|r| r.priority),
        Some(Priority::Urgent)
    );
}

pub async fn the_priorities_offered_are_the_ones_that_apply_as_chosen(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let (ana, acme) = (f.as_customer(&f.ana).await, f.as_customer(&f.acme).await);
    let (ivan, boss, maria) = (
        f.as_agent(&f.ivan).await,
        f.as_agent(&f.boss).await,
        f.as_agent(&f.maria).await,
    );
    let support = f.support.id;
    let offered = |who: &Acting, customer| {
        let who = who.clone();
        async move { who.new_ticket_priorities(support, customer).await.unwrap() }
    };
    use Priority::{High, Low, Normal, Urgent};
    assert_eq!(offered(&ana, None).await, [Low, Normal]);
    assert_eq!(
        offered(&ana, Some(f.acme.id)).await,
        [Low, Normal],
        "a customer's own, whoever she names"
    );
    assert_eq!(offered(&acme, None).await, [High]);
    assert_eq!(offered(&ivan, Some(f.reza.id)).await, [Low, Normal]);
    assert_eq!(offered(&ivan, Some(f.acme.id)).await, [High]);
    assert_eq!(offered(&boss, Some(f.reza.id)).await, Priority::ALL);
    // Each one offered applies as chosen, with nothing to tell.
    for who in [&ana, &acme] {
        for p in offered(who, None).await {
            let opened = open(who, asking(&f, "chosen", p)).await;
            assert_eq!((opened.ticket.priority, opened.notices), (p, vec![]));
        }
    }

    // On a ticket: what the agent may set, the current one included.
    let t: Ticket = f.open(&f.ana, "Printer").await;
    assert_eq!(ivan.settable_priorities(t.id).await.unwrap(), [Low, Normal]);
    assert_eq!(boss.settable_priorities(t.id).await.unwrap(), Priority::ALL);
    let raise = Command::ChangePriority { priority: Urgent };
    boss.execute(t.id, raise).await.unwrap();
    assert_eq!(
        ivan.settable_priorities(&t.number).await.unwrap(),
        [Low, Normal, Urgent],
        "keeping what a supervisor set is no change"
    );
    for p in ivan.settable_priorities(t.id).await.unwrap() {
        let set = |priority| Command::ChangePriority { priority };
        ivan.execute(t.id, set(p)).await.unwrap();
        boss.execute(t.id, set(Urgent)).await.unwrap();
    }
    // Nothing for the customer, nor for an agent who may not change priorities.
    assert!(ana.settable_priorities(t.id).await.unwrap().is_empty());
    let billing = ana
        .open_ticket(f.new_ticket(&f.billing, "Invoice"))
        .await
        .unwrap();
    assert!(
        maria
            .settable_priorities(billing.id)
            .await
            .unwrap()
            .is_empty()
    );
}
