//! E-mail out through the desk ([`MailSettings`]): each change that concerns a customer
//! queues mail in their language with the change, threaded and never with a note; agents
//! e-mail a ticket's public thread; a desk without mail queues nothing. E-mails tell the
//! short number only, and link to the ticket when the desk has a public URL.

use std::sync::Arc;

use super::{note, reply};
use crate::Helpdesk;
use crate::domain::{Actor, Change, EmailKind, Language, PublicUrl};
use crate::error::{Ability, Error};
use crate::machine::Command;
use crate::service::MailSettings;
use crate::store::Store;
use crate::testkit::samples::email;
use crate::testkit::{Fixture, ability};

/// The fixture's desk with e-mail turned on.
fn mailing(f: &Fixture) -> Helpdesk {
    f.desk.clone().with_mail(
        MailSettings::new(email("support@desk.test"), f.support.id).with_from_name("Desk Support"),
    )
}

pub async fn customer_email_is_queued_with_the_change_in_their_language(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    let ana = desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    let t = ana
        .open_ticket(f.new_ticket(&f.support, "Nu merge internetul"))
        .await
        .unwrap();
    // Customers are told the short number, in the subject's tag and the body; the full one
    // goes with the e-mail for its header.
    let tag = format!("[#{}]", t.number.short());
    let emails = store.ticket_emails(t.id).await.unwrap();
    assert_eq!(emails.len(), 1);
    let received = &emails[0];
    assert!(
        received.body.contains(&format!(" {}", t.number.short())),
        "{}",
        received.body
    );
    for text in [&received.subject, &received.body] {
        assert!(!text.contains(t.number.full()), "{text}");
    }
    assert_eq!(
        received.ticket_number.as_deref(),
        Some(t.number.full()),
        "the full number, for the header"
    );
    assert!(
        !received.body.contains("/tickets/"),
        "no link without a public URL"
    );
    assert_eq!(received.kind, EmailKind::TicketReceived);
    assert_eq!(received.language, Language::Romanian);
    assert_eq!(received.to, email("ana@example.ro"));
    assert!(received.subject.starts_with(&tag), "{}", received.subject);
    assert!(
        received.body.contains("Bună ziua, Ana Popescu"),
        "{}",
        received.body
    );
    assert!(received.message_id.ends_with("@desk.test"));
    assert!(received.references.is_empty());

    f.tick(60);
    ivan.execute(t.id, reply("Reporniți routerul."))
        .await
        .unwrap();
    ivan.execute(t.id, note("secret: outage in sector 5"))
        .await
        .unwrap();
    let emails = store.ticket_emails(t.id).await.unwrap();
    assert_eq!(emails.len(), 2, "a note is never e-mailed");
    let answer = &emails[1];
    assert_eq!(answer.kind, EmailKind::AgentReply);
    assert!(answer.subject.starts_with(&tag));
    assert!(answer.body.contains("Reporniți routerul."));
    assert_eq!(
        answer.body.matches("Иван, техподдержка").count(),
        1,
        "the agent's signature, once"
    );
    assert!(!answer.body.contains("secret"));
    assert_eq!(answer.references, vec![received.message_id.clone()]);
    assert_eq!(answer.in_reply_to(), Some(received.message_id.as_str()));
    let filed: Vec<_> = store
        .mail_references(t.id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.message_id, r.inbound))
        .collect();
    assert_eq!(
        filed,
        [
            (received.message_id.clone(), false),
            (answer.message_id.clone(), false)
        ]
    );
    ivan.execute(t.id, Command::Resolve { body: None })
        .await
        .unwrap();
    let kinds: Vec<_> = store
        .ticket_emails(t.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            EmailKind::TicketReceived,
            EmailKind::AgentReply,
            EmailKind::Resolved
        ]
    );

    // No language set: English. No address: no e-mail, but the notification.
    let acme = desk.acting_as(Actor::Customer(f.acme.id)).await.unwrap();
    let printer = acme
        .open_ticket(f.new_ticket(&f.support, "Printer"))
        .await
        .unwrap();
    let english = store.ticket_emails(printer.id).await.unwrap();
    assert_eq!(english[0].language, Language::English);
    assert!(
        english[0].body.starts_with("Hello, ООО Акме,"),
        "{}",
        english[0].body
    );
    let reza = desk.acting_as(Actor::Customer(f.reza.id)).await.unwrap();
    let persian = reza
        .open_ticket(f.new_ticket(&f.support, "اینترنت"))
        .await
        .unwrap();
    ivan.execute(persian.id, reply("سلام")).await.unwrap();
    assert!(store.ticket_emails(persian.id).await.unwrap().is_empty());
    assert!(!reza.notifications(10).await.unwrap().is_empty());

    // A desk without mail settings queues nothing.
    let quiet = f.open(&f.ana, "No mail").await;
    assert!(store.ticket_emails(quiet.id).await.unwrap().is_empty());
}

pub async fn agents_email_a_tickets_public_thread_without_notes(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    let t = f.open(&f.acme, "Line 2 is dead").await;
    ivan.execute(t.id, note("cable cut by the roadworks"))
        .await
        .unwrap();
    ivan.execute(t.id, reply("A technician is on the way."))
        .await
        .unwrap();
    let to = email("manager@acme.example");
    let sent = ivan
        .email_ticket(t.id, to.clone(), Language::Russian)
        .await
        .unwrap();
    assert_eq!(sent.kind, EmailKind::TicketThread);
    assert_eq!(sent.to, to);
    assert!(
        sent.subject
            .starts_with(&format!("[#{}]", t.number.short()))
    );
    assert!(!sent.body.contains(t.number.full()));
    assert_eq!(sent.ticket_number.as_deref(), Some(t.number.full()));
    assert!(sent.body.contains("Line 2 is dead: details"));
    assert!(sent.body.contains("A technician is on the way."));
    assert!(sent.body.contains("Иван Петров"));
    assert!(!sent.body.contains("roadworks"), "never an internal note");
    assert!(store.ticket_emails(t.id).await.unwrap().contains(&sent));
    let emailed = Change::ThreadEmailed { to: to.clone() };
    assert!(
        ivan.history(t.id)
            .await
            .unwrap()
            .iter()
            .any(|e| e.change == emailed)
    );
    let acme = desk.acting_as(Actor::Customer(f.acme.id)).await.unwrap();
    assert!(
        acme.history(t.id)
            .await
            .unwrap()
            .iter()
            .all(|e| e.change.kind() != "thread_emailed")
    );

    // Customers, agents without the permission, desks without mail: refused, nothing queued.
    let before = store.ticket_emails(t.id).await.unwrap().len();
    let maria = desk.acting_as(Actor::Agent(f.maria.id)).await.unwrap();
    for (who, outside) in [(&acme, false), (&maria, true)] {
        let refused = who.email_ticket(t.id, to.clone(), Language::English).await;
        if outside {
            assert!(
                matches!(refused, Err(Error::NotFound { .. })),
                "{refused:?}"
            );
        } else {
            assert!(
                matches!(refused, Err(Error::Forbidden { .. })),
                "{refused:?}"
            );
        }
    }
    assert!(matches!(
        f.as_agent(&f.ivan)
            .await
            .email_ticket(t.id, to, Language::English)
            .await,
        Err(Error::Unsupported {
            ability: Ability::Email
        })
    ));
    assert_eq!(store.ticket_emails(t.id).await.unwrap().len(), before);
}

pub async fn customer_email_links_the_ticket_when_a_public_url_is_set(store: Arc<dyn Store>) {
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    f.as_agent(&f.admin)
        .await
        .set_public_url(Some(PublicUrl::parse("https://help.desk.example").unwrap()))
        .await
        .unwrap();
    let ana = desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    let t = ana
        .open_ticket(f.new_ticket(&f.support, "Nu merge internetul"))
        .await
        .unwrap();
    let link = format!("https://help.desk.example/tickets/{}", t.number.short());
    ivan.execute(t.id, reply("Reporniți routerul."))
        .await
        .unwrap();
    let thread = ivan
        .email_ticket(t.id, email("manager@acme.example"), Language::Persian)
        .await
        .unwrap();
    let mut emails = store.ticket_emails(t.id).await.unwrap();
    assert_eq!(emails.len(), 3);
    assert!(emails.contains(&thread));
    // The received e-mail and the agent's reply in Romanian, the thread in Persian: each
    // with the link, once, on a line of its own, and the short number only.
    let received = emails.remove(0);
    assert!(
        received
            .body
            .contains(&format!("Solicitarea în portal: {link}\n")),
        "{}",
        received.body
    );
    for e in [&received, &emails[0], &emails[1]] {
        assert_eq!(e.body.matches(&link).count(), 1, "{}", e.body);
        assert!(!e.body.contains(t.number.full()), "{}", e.body);
        assert!(!e.subject.contains(t.number.full()), "{}", e.subject);
    }
    assert!(
        thread
            .body
            .contains(&format!("این درخواست در پرتال: {link}\n"))
    );
}
