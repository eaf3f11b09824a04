//! Master tickets as in Znuny (seed 004's outage): one resolution on the master reaches every
//! linked ticket's customer in their own ticket, language and mailbox, closing the master
//! closes them, and a customer's reply on a linked ticket stays there. Each change is one
//! batch with the master's.

use std::sync::Arc;

use super::{changed, reply};
use crate::Helpdesk;
use crate::clock::Clock;
use crate::domain::{
    Actor, Change, CustomerKind, EmailKind, Language, OriginKind, Resolution, Status, Ticket,
};
use crate::machine::Command;
use crate::service::{MailSettings, NewCustomer};
use crate::store::Store;
use crate::testkit::samples::{email, name};
use crate::testkit::{Fixture, body};

/// The fixture's desk with e-mail turned on.
fn mailing(f: &Fixture) -> Helpdesk {
    f.desk.clone().with_mail(
        MailSettings::new(email("support@desk.test"), f.support.id).with_from_name("Desk Support"),
    )
}

/// An internal master ticket for an outage and `n` customers' tickets linked to it, each
/// customer with an e-mail address and a language (the four in turn).
async fn outage(f: &Fixture, desk: &Helpdesk, n: usize) -> (Ticket, Vec<Ticket>) {
    let languages = [
        Language::English,
        Language::Romanian,
        Language::Russian,
        Language::Persian,
    ];
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    let mut master = f.new_ticket(&f.support, "Outage: district Nord, fibre cut");
    master.internal = true;
    let master = ivan.open_ticket(master).await.unwrap();
    let admin = desk.as_system();
    let mut linked = Vec::new();
    for i in 0..n {
        let c = admin
            .create_customer(
                NewCustomer::new(CustomerKind::Individual, name(&format!("Customer {i}")))
                    .with_email(email(&format!("customer{i}@example.net")))
                    .with_language(languages[i % languages.len()]),
            )
            .await
            .unwrap();
        let me = desk.acting_as(Actor::Customer(c.id)).await.unwrap();
        let t = me
            .open_ticket(f.new_ticket(&f.support, &format!("No internet at flat {i}")))
            .await
            .unwrap();
        let t = changed(
            ivan.execute(
                t.id,
                Command::LinkToMaster {
                    master: Some(master.id),
                },
            )
            .await
            .unwrap(),
        );
        linked.push(t);
    }
    (master, linked)
}

pub async fn an_outage_resolution_on_the_master_tells_every_linked_customer_and_closing_closes_them(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    let (master, linked) = outage(&f, &desk, 10).await;
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    let solution = "The fibre in district Nord is repaired; restart your router.";
    changed(
        ivan.execute(
            master.id,
            Command::Resolve {
                body: Some(body(solution)),
            },
        )
        .await
        .unwrap(),
    );
    for t in &linked {
        let after = store.ticket(t.id).await.unwrap().unwrap();
        assert_eq!(after.status, Status::Resolved, "{}", t.number.short());
        let thread = store.messages(t.id, false).await.unwrap();
        let copy = thread
            .iter()
            .find(|m| m.body.as_str().starts_with(solution))
            .expect("the master's solution, in the linked ticket's public thread");
        let origin = copy.origin.as_ref().expect("marked as from the master");
        assert_eq!(origin.kind, OriginKind::Master);
        assert_eq!(origin.ticket, master.id);
        assert_eq!(origin.number, master.number);
        let customer = store.customer(t.customer.unwrap()).await.unwrap().unwrap();
        let emails = store.ticket_emails(t.id).await.unwrap();
        let reply = emails
            .iter()
            .find(|e| e.kind == EmailKind::AgentReply)
            .expect("the solution e-mailed to the linked ticket's customer");
        assert_eq!(Some(&reply.to), customer.email.as_ref());
        assert_eq!(Some(reply.language), customer.language);
        assert!(reply.body.contains(solution), "{}", reply.body);
        assert!(
            reply.subject.contains(t.number.short()),
            "in their own ticket: {}",
            reply.subject
        );
        let told = store
            .notifications(
                crate::domain::Recipient::Customer(customer.id),
                f.clock.now(),
                50,
            )
            .await
            .unwrap();
        assert!(
            told.iter().any(|n| n.ticket_id == t.id),
            "notified in-app of their own ticket"
        );
    }
    changed(
        ivan.execute(
            master.id,
            Command::Close {
                resolution: Resolution::Solved,
            },
        )
        .await
        .unwrap(),
    );
    for t in &linked {
        let after = store.ticket(t.id).await.unwrap().unwrap();
        assert_eq!(after.status, Status::Closed(Resolution::Solved));
        let history = store.history(t.id).await.unwrap();
        assert!(history.iter().any(|e| matches!(
            e.change,
            Change::StatusChanged {
                to: Status::Closed(Resolution::Solved),
                ..
            }
        )
            && e.origin.as_ref().is_some_and(|o| o.ticket == master.id)));
    }
}

pub async fn a_customers_reply_on_a_linked_ticket_stays_on_it(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    let (master, linked) = outage(&f, &desk, 2).await;
    let first = &linked[0];
    let customer = desk
        .acting_as(Actor::Customer(first.customer.unwrap()))
        .await
        .unwrap();
    let before = store.messages(master.id, true).await.unwrap().len();
    changed(
        customer
            .execute(first.id, reply("Still down at my flat"))
            .await
            .unwrap(),
    );
    assert_eq!(store.messages(master.id, true).await.unwrap().len(), before);
    let other = store.messages(linked[1].id, true).await.unwrap();
    assert!(
        other
            .iter()
            .all(|m| !m.body.as_str().contains("Still down at my flat"))
    );
    // An internal note on the master stays there too.
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    changed(
        ivan.execute(master.id, super::note("crew dispatched"))
            .await
            .unwrap(),
    );
    for t in &linked {
        let thread = store.messages(t.id, true).await.unwrap();
        assert!(thread.iter().all(|m| m.body.as_str() != "crew dispatched"));
    }
}

pub async fn a_masters_reply_skips_closed_linked_tickets_and_the_console_lists_them(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    let (master, linked) = outage(&f, &desk, 3).await;
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    changed(
        ivan.execute(
            linked[0].id,
            Command::Close {
                resolution: Resolution::Unsolved,
            },
        )
        .await
        .unwrap(),
    );
    let closed_version = store.ticket(linked[0].id).await.unwrap().unwrap().version;
    changed(
        ivan.execute(master.id, reply("We are working on it."))
            .await
            .unwrap(),
    );
    let closed = store.ticket(linked[0].id).await.unwrap().unwrap();
    assert_eq!(closed.version, closed_version, "a closed one is left alone");
    for t in &linked[1..] {
        let thread = store.messages(t.id, false).await.unwrap();
        assert!(
            thread
                .iter()
                .any(|m| m.body.as_str().starts_with("We are working on it."))
        );
    }
    let listed = ivan.linked_tickets(master.id).await.unwrap();
    let mut ids: Vec<_> = listed.iter().map(|t| t.id).collect();
    ids.sort();
    let mut expected: Vec<_> = linked.iter().map(|t| t.id).collect();
    expected.sort();
    assert_eq!(ids, expected);
    assert!(
        listed
            .iter()
            .any(|t| t.status == Status::Closed(Resolution::Unsolved))
    );
}
