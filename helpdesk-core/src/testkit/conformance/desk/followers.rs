//! Followers and CC (issue 20, item 3) through the desk: CC addresses taken from the
//! customer's mail and kept per ticket, copied on agents' public replies (never notes), and
//! whose mail lands in the thread while a stranger's does not; agents following tickets
//! (the assignee among them) and told of what happens on them; @mentions in notes; invalid
//! CC addresses refused with nothing written.

use std::sync::Arc;

use super::ingest::{mail, opened};
use super::{note, reply};
use crate::Helpdesk;
use crate::domain::{Actor, Email, EmailKind, NotificationKind, Recipient, Ticket};
use crate::error::{Error, ForbiddenReason};
use crate::machine::Command;
use crate::service::{Acting, Ingested, MailSettings, UnknownSenders};
use crate::store::Store;
use crate::testkit::samples::email;
use crate::testkit::{Fixture, ability};

/// The fixture's desk with e-mail turned on, creating customers for unknown senders.
fn mailing(f: &Fixture) -> Helpdesk {
    f.desk.clone().with_mail(
        MailSettings::new(email("support@desk.test"), f.support.id)
            .with_unknown_senders(UnknownSenders::CreateCustomer),
    )
}

fn emails(addresses: &[&str]) -> Vec<Email> {
    addresses.iter().map(|a| email(a)).collect()
}

/// The kinds of `acting`'s notifications about `ticket`, oldest first.
async fn told(acting: &Acting, ticket: &Ticket) -> Vec<NotificationKind> {
    let mut kinds: Vec<NotificationKind> = (acting.notifications(100).await.unwrap().into_iter())
        .filter(|n| n.ticket_id == ticket.id)
        .map(|n| n.kind)
        .collect();
    kinds.reverse();
    kinds
}

pub async fn cc_addresses_of_the_customers_mail_are_kept_on_the_ticket(store: Arc<dyn Store>) {
    if ability(store.as_follower_store(), "followers").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    let first = mail(
        "Ana Popescu <ana@example.ro>",
        "cc1@example.ro",
        "Nu merge internetul",
        "Cc: Bogdan <Bogdan@Partner.example>, support@desk.test, ana@example.ro\r\n",
        "Nu merge.",
    );
    let t = opened(desk.ingest_email(&first).await.unwrap());
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    // Not the desk's own address nor the customer's.
    assert_eq!(
        ivan.ticket_cc(t.id).await.unwrap(),
        emails(&["bogdan@partner.example"])
    );
    // Her reply copying someone else adds them; the customer sees the list too.
    let second = mail(
        "ana@example.ro",
        "cc2@example.ro",
        &format!("Re: [#{}] Nu merge internetul", t.number.short()),
        "Cc: carla@partner.example, bogdan@partner.example\r\n",
        "Tot nu merge.",
    );
    assert!(matches!(
        desk.ingest_email(&second).await.unwrap(),
        Ingested::Appended(_)
    ));
    let ana = desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    assert_eq!(
        ana.ticket_cc(t.id).await.unwrap(),
        emails(&["bogdan@partner.example", "carla@partner.example"])
    );
}

pub async fn cc_addresses_get_the_agents_public_replies_by_mail_but_never_notes(
    store: Arc<dyn Store>,
) {
    if ability(store.as_follower_store(), "followers").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    let ana = desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    let t = ana
        .open_ticket(f.new_ticket(&f.support, "Imprimanta"))
        .await
        .unwrap();
    assert_eq!(
        ana.add_cc(t.id, &["bogdan@partner.example"]).await.unwrap(),
        emails(&["bogdan@partner.example"])
    );
    f.tick(1);
    ivan.execute(t.id, note("Internal: check the toner stock."))
        .await
        .unwrap();
    f.tick(1);
    ivan.execute(t.id, reply("Am comandat toner."))
        .await
        .unwrap();
    let sent = store.ticket_emails(t.id).await.unwrap();
    let kinds: Vec<(EmailKind, Vec<Email>)> = sent.iter().map(|e| (e.kind, e.cc.clone())).collect();
    assert_eq!(
        kinds,
        [
            (EmailKind::TicketReceived, vec![]),
            (EmailKind::AgentReply, emails(&["bogdan@partner.example"])),
        ]
    );
    assert!(sent.iter().all(|e| !e.body.contains("toner stock")));
    // Taken off the CC, they get no more.
    ana.remove_cc(t.id, "bogdan@partner.example").await.unwrap();
    f.tick(1);
    ivan.execute(t.id, reply("Tonerul a sosit.")).await.unwrap();
    let last = store.ticket_emails(t.id).await.unwrap().pop().unwrap();
    assert_eq!((last.kind, last.cc), (EmailKind::AgentReply, vec![]));
}

pub async fn a_cc_participants_mail_lands_in_the_tickets_thread(store: Arc<dyn Store>) {
    if ability(store.as_follower_store(), "followers").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    let first = mail(
        "ana@example.ro",
        "p1@example.ro",
        "Factura",
        "Cc: bogdan@partner.example\r\n",
        "Factura e greșită.",
    );
    let t = opened(desk.ingest_email(&first).await.unwrap());
    let from_cc = mail(
        "Bogdan <bogdan@partner.example>",
        "p2@partner.example",
        &format!("Re: [#{}] Factura", t.number.short()),
        "",
        "Confirm, suma e greșită.",
    );
    match desk.ingest_email(&from_cc).await.unwrap() {
        Ingested::Appended(into) => assert_eq!(into.id, t.id),
        other => panic!("expected the mail in the ticket, got {other:?}"),
    }
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    let thread = ivan.thread(t.id).await.unwrap();
    assert_eq!(thread.len(), 2);
    assert!(
        thread[1].body.as_str().contains("Confirm, suma e greșită."),
        "{:?}",
        thread[1].body
    );
}

pub async fn a_strangers_mail_naming_a_ticket_is_not_added_to_it(store: Arc<dyn Store>) {
    if ability(store.as_follower_store(), "followers").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    let first = mail(
        "ana@example.ro",
        "s1@example.ro",
        "Parola",
        "Cc: bogdan@partner.example\r\n",
        "Am uitat parola.",
    );
    let t = opened(desk.ingest_email(&first).await.unwrap());
    // Someone else, quoting the number and copying the CC address, gets a ticket of their
    // own; the named ticket and its CC are untouched.
    let stranger = mail(
        "eve@elsewhere.example",
        "s2@elsewhere.example",
        &format!("Re: [#{}] Parola", t.number.short()),
        "Cc: bogdan@partner.example, mallory@elsewhere.example\r\n",
        "Send me her password.",
    );
    let theirs = opened(desk.ingest_email(&stranger).await.unwrap());
    assert_ne!(theirs.id, t.id);
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    assert_eq!(ivan.thread(t.id).await.unwrap().len(), 1);
    assert_eq!(
        ivan.ticket_cc(t.id).await.unwrap(),
        emails(&["bogdan@partner.example"])
    );
}

pub async fn agents_follow_and_unfollow_and_the_assignee_follows(store: Arc<dyn Store>) {
    if ability(store.as_follower_store(), "followers").is_none() {
        return;
    }
    let f = Fixture::new(store).await;
    let t = f.open(&f.ana, "Routerul").await;
    let (ivan, boss) = (f.as_agent(&f.ivan).await, f.as_agent(&f.boss).await);
    let (maria, ana) = (f.as_agent(&f.maria).await, f.as_customer(&f.ana).await);

    assert_eq!(boss.ticket_followers(t.id).await.unwrap(), vec![]);
    assert_eq!(boss.follow_ticket(t.id).await.unwrap(), vec![f.boss.id]);
    assert_eq!(boss.follow_ticket(t.id).await.unwrap(), vec![f.boss.id]);
    assert_eq!(boss.followed_tickets().await.unwrap(), vec![t.id]);
    let mut both = vec![f.boss.id, f.ivan.id];
    both.sort();
    assert_eq!(ivan.follow_ticket(t.id).await.unwrap(), both);
    assert_eq!(ivan.unfollow_ticket(t.id).await.unwrap(), vec![f.boss.id]);
    assert!(ivan.followed_tickets().await.unwrap().is_empty());

    // The assignee follows while assigned, even after unfollowing.
    ivan.execute(
        t.id,
        Command::Assign {
            agent: Some(f.ivan.id),
        },
    )
    .await
    .unwrap();
    assert_eq!(boss.ticket_followers(t.id).await.unwrap(), both);
    assert_eq!(ivan.unfollow_ticket(t.id).await.unwrap(), both);

    // Agents follow only what they may read; customers neither follow nor see followers.
    assert!(matches!(
        maria.follow_ticket(t.id).await,
        Err(Error::NotFound { .. })
    ));
    for refused in [
        ana.follow_ticket(t.id).await,
        ana.ticket_followers(t.id).await,
    ] {
        assert!(
            matches!(
                refused,
                Err(Error::Forbidden {
                    reason: ForbiddenReason::AgentsOnly
                })
            ),
            "{refused:?}"
        );
    }
    assert!(matches!(
        ana.followed_tickets().await,
        Err(Error::Forbidden { .. })
    ));
}

pub async fn followers_are_told_of_replies_notes_and_status_changes(store: Arc<dyn Store>) {
    if ability(store.as_follower_store(), "followers").is_none() {
        return;
    }
    let f = Fixture::new(store).await;
    let t = f.open(&f.ana, "Routerul").await;
    let (ivan, boss) = (f.as_agent(&f.ivan).await, f.as_agent(&f.boss).await);
    let ana = f.as_customer(&f.ana).await;
    ivan.execute(
        t.id,
        Command::Assign {
            agent: Some(f.ivan.id),
        },
    )
    .await
    .unwrap();
    boss.follow_ticket(t.id).await.unwrap();
    let before = told(&boss, &t).await;

    f.tick(1);
    ana.execute(t.id, reply("Tot nu merge.")).await.unwrap();
    f.tick(1);
    ivan.execute(t.id, reply("Repornim linia.")).await.unwrap();
    f.tick(1);
    ivan.execute(t.id, note("Linia e reparată.")).await.unwrap();
    f.tick(1);
    ivan.execute(t.id, Command::Resolve { body: None })
        .await
        .unwrap();
    f.tick(1);
    // Their own note tells them nothing.
    boss.execute(t.id, note("Bine.")).await.unwrap();
    let after = told(&boss, &t).await;
    assert_eq!(
        after[before.len()..],
        [
            NotificationKind::CustomerReplied,
            NotificationKind::AgentReplied,
            NotificationKind::NoteAdded,
            NotificationKind::StatusChanged,
        ]
    );
    // The assignee follows: the boss's note reaches Ivan, once.
    let ivans = told(&ivan, &t).await;
    assert_eq!(ivans.last(), Some(&NotificationKind::NoteAdded));
    assert_eq!(
        ivans
            .iter()
            .filter(|k| **k == NotificationKind::CustomerReplied)
            .count(),
        1,
        "{ivans:?}"
    );
    // Customers never hear of followers: Ana's notifications are hers only.
    assert!(
        (ana.notifications(100).await.unwrap().iter())
            .all(|n| n.recipient == Recipient::Customer(f.ana.id))
    );
}

pub async fn a_mention_in_a_note_notifies_the_agent_named(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let t = f.open(&f.ana, "Routerul").await;
    let (ivan, boss) = (f.as_agent(&f.ivan).await, f.as_agent(&f.boss).await);
    let maria = f.as_agent(&f.maria).await;
    // `@` and the part of the agent's e-mail before the `@`, case-insensitive; Maria may not
    // read support tickets, and an address is no mention.
    ivan.execute(
        t.id,
        note("@BOSS, poți verifica? @maria too; scrie la admin@desk.test"),
    )
    .await
    .unwrap();
    let mentions = |kinds: &[NotificationKind]| {
        (kinds.iter())
            .filter(|k| **k == NotificationKind::Mention)
            .count()
    };
    let boss_told = told(&boss, &t).await;
    assert_eq!(mentions(&boss_told), 1, "{boss_told:?}");
    assert!(!boss_told.contains(&NotificationKind::NoteAdded));
    assert!(
        (maria.notifications(100).await.unwrap().iter()).all(|n| n.ticket_id != t.id),
        "Maria cannot read the ticket"
    );
    let admin = f.as_agent(&f.admin).await;
    assert_eq!(mentions(&told(&admin, &t).await), 0);
    // A mention in a public reply is no note's mention.
    ivan.execute(t.id, reply("@boss will call you."))
        .await
        .unwrap();
    assert_eq!(mentions(&told(&boss, &t).await), 1);
}

pub async fn an_invalid_cc_address_is_a_typed_error_and_nothing_is_written(store: Arc<dyn Store>) {
    if ability(store.as_follower_store(), "followers").is_none() {
        return;
    }
    let f = Fixture::new(store).await;
    let t = f.open(&f.ana, "Routerul").await;
    let ana = f.as_customer(&f.ana).await;
    let ivan = f.as_agent(&f.ivan).await;
    for bad in [
        vec!["bogdan@partner.example", "not an address"],
        vec!["ana@example.ro"],
        vec![],
    ] {
        let refused = ana.add_cc(t.id, &bad).await;
        assert!(
            matches!(&refused, Err(Error::Validation(v)) if v.field() == "cc"),
            "{bad:?}: {refused:?}"
        );
        assert!(ana.ticket_cc(t.id).await.unwrap().is_empty(), "{bad:?}");
    }
    let too_many: Vec<String> = (0..=crate::service::MAX_CC)
        .map(|i| format!("p{i}@partner.example"))
        .collect();
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();
    assert!(matches!(
        ivan.add_cc(t.id, &too_many).await,
        Err(Error::Validation(_))
    ));
    assert!(ivan.ticket_cc(t.id).await.unwrap().is_empty());
    // Only the ticket's customer or staff who may reply change the CC.
    let acme = f.as_customer(&f.acme).await;
    let maria = f.as_agent(&f.maria).await;
    assert!(matches!(
        acme.add_cc(t.id, &["x@partner.example"]).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        maria.add_cc(t.id, &["x@partner.example"]).await,
        Err(Error::NotFound { .. })
    ));
    assert!(ivan.ticket_cc(t.id).await.unwrap().is_empty());
}
