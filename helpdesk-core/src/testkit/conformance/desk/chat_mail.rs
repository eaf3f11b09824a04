//! Live chat is quiet (issue 20): its lines notify nobody, queue no e-mail and carry no
//! signature; the customer gets the transcript by e-mail once, when the chat ends, if they
//! ask for it.

use std::sync::Arc;

use crate::Helpdesk;
use crate::domain::{Actor, EmailKind, Presence};
use crate::error::Error;
use crate::service::MailSettings;
use crate::store::Store;
use crate::testkit::samples::email;
use crate::testkit::{Fixture, ability, body};

/// The fixture's desk with e-mail turned on.
fn mailing(f: &Fixture) -> Helpdesk {
    f.desk.clone().with_mail(
        MailSettings::new(email("support@desk.test"), f.support.id).with_from_name("Desk Support"),
    )
}

/// How many notifications each of the fixture's people has.
async fn counts(desk: &Helpdesk, f: &Fixture) -> Vec<usize> {
    let mut all = Vec::new();
    for who in [
        Actor::Customer(f.ana.id),
        Actor::Agent(f.ivan.id),
        Actor::Agent(f.boss.id),
        Actor::Agent(f.admin.id),
    ] {
        let me = desk.acting_as(who).await.unwrap();
        all.push(me.notifications(200).await.unwrap().len());
    }
    all
}

pub async fn chat_lines_send_no_mail_no_notification_and_no_signature(store: Arc<dyn Store>) {
    if ability(store.as_chat_store(), "live chat").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    let ana = desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    ivan.set_presence(Presence::Online, Some(3)).await.unwrap();
    let started = ana
        .start_chat(f.support.id, body("Routerul clipește roșu"))
        .await
        .unwrap();
    let chat = started.chat.id;
    let ticket = started.ticket.id;
    assert!(
        store.ticket_emails(ticket).await.unwrap().is_empty(),
        "no \"request received\" e-mail for a chat"
    );
    ana.talk_to_person(chat).await.unwrap();
    let before = counts(&desk, &f).await;
    let mails = store.ticket_emails(ticket).await.unwrap().len();
    ana.say(chat, body("Ce fac?")).await.unwrap();
    let line = ivan.say(chat, body("Reporniți routerul.")).await.unwrap();
    ana.say(chat, body("Mulțumesc!")).await.unwrap();
    assert_eq!(line.body.as_str(), "Reporniți routerul.", "no signature");
    assert_eq!(counts(&desk, &f).await, before, "no notification per line");
    assert_eq!(
        store.ticket_emails(ticket).await.unwrap().len(),
        mails,
        "no e-mail per line"
    );
    ana.end_chat(chat).await.unwrap();
    assert!(
        (store.ticket_emails(ticket).await.unwrap().iter())
            .all(|e| e.kind != EmailKind::AgentReply && e.kind != EmailKind::ChatTranscript),
        "no transcript unasked"
    );
}

pub async fn the_transcript_goes_once_to_the_customer_who_asks_at_the_end(store: Arc<dyn Store>) {
    if ability(store.as_chat_store(), "live chat").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let desk = mailing(&f);
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    let ana = desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    ivan.set_presence(Presence::Online, Some(3)).await.unwrap();
    let started = ana
        .start_chat(f.support.id, body("Routerul clipește roșu"))
        .await
        .unwrap();
    let chat = started.chat.id;
    ana.talk_to_person(chat).await.unwrap();
    ivan.say(chat, body("Reporniți routerul.")).await.unwrap();
    // Only the customer asks for it.
    assert!(matches!(
        ivan.end_chat_with(chat, true).await,
        Err(Error::Validation(_))
    ));
    ana.end_chat_with(chat, true).await.unwrap();
    ana.end_chat_with(chat, true).await.unwrap();
    let transcripts: Vec<_> = (store.ticket_emails(started.ticket.id).await.unwrap())
        .into_iter()
        .filter(|e| e.kind == EmailKind::ChatTranscript)
        .collect();
    assert_eq!(
        transcripts.len(),
        1,
        "once, however often the chat is ended"
    );
    let sent = &transcripts[0];
    assert_eq!(sent.to, email("ana@example.ro"));
    assert_eq!(sent.language, crate::domain::Language::Romanian);
    for line in ["Routerul clipește roșu", "Reporniți routerul."] {
        assert!(sent.body.contains(line), "{}", sent.body);
    }
    assert!(
        !sent.body.contains(f.ivan.signature.as_str()),
        "the lines as said, unsigned"
    );
}
