//! Bounces tied to what bounced, and undeliverable addresses, through the desk: a bounce is
//! matched by the VERP address it came back to or by the Message-ID it quotes; a permanent
//! failure of an address the desk mailed marks it, the outbox then skips it and says so,
//! and mail from the address or an admin clears the mark; delays and addresses the desk
//! never mailed mark nothing.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::Duration;

use super::reply;
use crate::Helpdesk;
use crate::domain::{Actor, Delivery, Email, EmailKind, OutboundEmail, Ticket, TicketId};
use crate::error::Error;
use crate::service::{
    Ingested, MAX_UNDELIVERABLE_PAGE, MailSettings, MailTransport, RetryPolicy, SendError,
    UNDELIVERABLE_HOURS,
};
use crate::store::Store;
use crate::testkit::samples::email;
use crate::testkit::{Fixture, ability};

/// A transport that keeps whom each e-mail went to.
#[derive(Debug, Default)]
struct Recorder {
    sent: Mutex<Vec<Email>>,
}

#[async_trait]
impl MailTransport for Recorder {
    async fn send(&self, email: &OutboundEmail, _: &MailSettings) -> Result<(), SendError> {
        self.sent
            .lock()
            .expect("not poisoned")
            .push(email.to.clone());
        Ok(())
    }
}

fn settings(f: &Fixture) -> MailSettings {
    MailSettings::new(email("support@desk.test"), f.support.id)
}

/// The fixture's desk taking mail into support, when the store keeps marks.
fn desk(f: &Fixture, store: &Arc<dyn Store>) -> Option<Helpdesk> {
    ability(store.as_undeliverable_store(), "undeliverable addresses")?;
    Some(f.desk.clone().with_mail(settings(f)))
}

/// A plain mail from `from` with `message_id` and more `headers`.
fn mail(from: &str, message_id: &str, headers: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: support@desk.test\r\nSubject: Imprimanta\r\n\
         Message-ID: <{message_id}>\r\nDate: Mon, 5 Jan 2026 10:00:00 +0200\r\n{headers}\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNu merge.\r\n"
    )
    .into_bytes()
}

/// A delivery-status report sent `to`, for `recipient` with `action` and `status`, quoting
/// the returned headers with `returned` when given.
fn dsn(
    to: &str,
    id: &str,
    recipient: &str,
    action: &str,
    status: &str,
    returned: Option<&str>,
) -> Vec<u8> {
    let headers = returned.map_or(String::new(), |r| {
        format!(
            "--R\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: support@desk.test\r\n\
             Message-ID: <{r}>\r\nSubject: x\r\n\r\n"
        )
    });
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.ro>\r\nTo: {to}\r\n\
         Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <{id}>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n\
         --R\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\
         --R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.ro\r\n\r\n\
         Final-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n\
         Diagnostic-Code: smtp; 550 {status} no such user\r\n\r\n{headers}--R--\r\n"
    )
    .into_bytes()
}

fn opened(outcome: Ingested) -> Ticket {
    match outcome {
        Ingested::Opened(t) => t,
        other => panic!("expected a new ticket, got {other:?}"),
    }
}

/// The ticket's only e-mail (its acknowledgement).
async fn ack(store: &Arc<dyn Store>, ticket: TicketId) -> OutboundEmail {
    let sent = store.ticket_emails(ticket).await.unwrap();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].kind, EmailKind::TicketReceived);
    sent[0].clone()
}

async fn last_note(desk: &Helpdesk, f: &Fixture, ticket: TicketId) -> String {
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    let thread = ivan.thread(ticket).await.unwrap();
    thread.last().unwrap().body.as_str().to_owned()
}

pub async fn a_permanent_bounce_marks_the_address_and_the_outbox_skips_it_until_mail_from_it(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store.clone()).await;
    let Some(desk) = desk(&f, &store) else {
        return;
    };
    let t = opened(
        desk.ingest_email(&mail("ana@example.ro", "n1@example.ro", ""))
            .await
            .unwrap(),
    );
    let first = ack(&store, t.id).await;
    let recorder = Recorder::default();
    let report = desk
        .dispatch_outbox(&recorder, &RetryPolicy::default())
        .await
        .unwrap();
    assert_eq!((report.sent, report.undeliverable), (1, 0));

    let bounce = dsn(
        "support@desk.test",
        "dsn1@mx.example.ro",
        "ana@example.ro",
        "failed",
        "5.1.1",
        Some(&first.message_id),
    );
    assert_eq!(
        desk.ingest_email(&bounce).await.unwrap(),
        Ingested::BounceNoted(t.id)
    );
    let note = last_note(&desk, &f, t.id).await;
    assert!(
        note.contains("ana@example.ro: status 5.1.1 (failed)"),
        "{note}"
    );
    assert!(
        note.contains("ana@example.ro is marked undeliverable until"),
        "{note}"
    );
    let admin = desk.acting_as(Actor::Agent(f.admin.id)).await.unwrap();
    let marks = admin.undeliverable_addresses(None, 10).await.unwrap();
    assert_eq!(marks.len(), 1);
    let mark = &marks[0];
    assert_eq!(mark.address, email("ana@example.ro"));
    assert_eq!(mark.status.as_deref(), Some("5.1.1"));
    assert_eq!(
        mark.diagnostic.as_deref(),
        Some("smtp; 550 5.1.1 no such user")
    );
    assert_eq!(mark.ticket_id, Some(t.id));
    assert_eq!(mark.outbox_id, Some(first.id));
    assert_eq!(
        mark.until - mark.marked_at,
        Duration::hours(UNDELIVERABLE_HOURS.into())
    );

    // An agent's reply is not tried: it ends failed, saying why.
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    ivan.execute(t.id, reply("Am repornit imprimanta."))
        .await
        .unwrap();
    let report = desk
        .dispatch_outbox(&recorder, &RetryPolicy::default())
        .await
        .unwrap();
    assert_eq!(
        (report.sent, report.failed, report.undeliverable),
        (0, 1, 1)
    );
    assert_eq!(recorder.sent.lock().unwrap().len(), 1, "only the first");
    let emails = store.ticket_emails(t.id).await.unwrap();
    let skipped = emails
        .iter()
        .find(|e| e.kind == EmailKind::AgentReply)
        .unwrap();
    assert!(matches!(skipped.delivery, Delivery::Failed { .. }));
    let error = skipped.last_error.as_deref().unwrap();
    assert!(
        error.starts_with("not sent: ana@example.ro is marked undeliverable until"),
        "{error}"
    );
    assert!(error.contains("5.1.1"), "{error}");

    // Ana writes again: the mark goes, and the next reply is sent.
    let again = mail(
        "ana@example.ro",
        "n2@example.ro",
        &format!("In-Reply-To: <{}>\r\n", first.message_id),
    );
    assert!(matches!(
        desk.ingest_email(&again).await.unwrap(),
        Ingested::Appended(_)
    ));
    assert!(
        admin
            .undeliverable_addresses(None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    ivan.execute(t.id, reply("Merge acum?")).await.unwrap();
    let report = desk
        .dispatch_outbox(&recorder, &RetryPolicy::default())
        .await
        .unwrap();
    assert_eq!((report.sent, report.undeliverable), (1, 0));
}

pub async fn a_bounce_to_the_verp_address_is_matched_without_returned_headers(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store.clone()).await;
    let Some(desk) = desk(&f, &store) else {
        return;
    };
    let s = settings(&f);
    let t = opened(
        desk.ingest_email(&mail("ana@example.ro", "v1@example.ro", ""))
            .await
            .unwrap(),
    );
    let first = ack(&store, t.id).await;
    let verp = s.envelope_sender(&s.from, first.id);
    assert_ne!(verp, s.from);
    // A report that quotes nothing of the returned mail, sent back to the VERP address.
    let bounce = dsn(
        verp.as_str(),
        "dsn-v1@mx.example.ro",
        "ana@example.ro",
        "failed",
        "5.1.1",
        None,
    );
    assert_eq!(
        desk.ingest_email(&bounce).await.unwrap(),
        Ingested::BounceNoted(t.id)
    );
    let note = last_note(&desk, &f, t.id).await;
    assert!(note.contains(&first.message_id), "{note}");
    let admin = desk.acting_as(Actor::Agent(f.admin.id)).await.unwrap();
    let marks = admin.undeliverable_addresses(None, 10).await.unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].outbox_id, Some(first.id));

    // A plain notice with no report, delivered to the VERP address only as the mail server
    // says (the envelope recipient): matched, noted with the e-mail's address, and without
    // a status nothing is marked.
    let t2 = opened(
        desk.ingest_email(&mail("dara@example.ir", "v2@example.ir", ""))
            .await
            .unwrap(),
    );
    let second = ack(&store, t2.id).await;
    let notice = b"From: postmaster@mx.example.ir\r\nTo: support@desk.test\r\n\
Subject: Undeliverable: Imprimanta\r\nMessage-ID: <plain-v2@mx.example.ir>\r\n\r\n\
Your message could not be delivered to some recipients.\r\n";
    assert!(matches!(
        desk.ingest_email(notice).await.unwrap(),
        Ingested::Ignored(_)
    ));
    let verp2 = s.envelope_sender(&s.from, second.id);
    assert_eq!(
        desk.ingest_email_to(notice, Some(&verp2)).await.unwrap(),
        Ingested::BounceNoted(t2.id)
    );
    let note = last_note(&desk, &f, t2.id).await;
    assert!(note.contains("- dara@example.ir"), "{note}");
    assert!(!note.contains("marked undeliverable"), "{note}");
    assert_eq!(
        admin.undeliverable_addresses(None, 10).await.unwrap().len(),
        1
    );

    // A token on an address that is not the desk's names nothing.
    let elsewhere = verp.as_str().replace("@desk.test", "@other.test");
    let stray = dsn(
        &elsewhere,
        "dsn-v3@mx.example.ro",
        "ana@example.ro",
        "failed",
        "5.1.1",
        None,
    );
    assert!(matches!(
        desk.ingest_email(&stray).await.unwrap(),
        Ingested::Ignored(_)
    ));
    // With VERP off, the envelope sender is the desk's own address.
    let off = s.clone().with_verp(false);
    assert_eq!(off.envelope_sender(&off.from, first.id), off.from);
}

pub async fn a_delay_or_an_address_the_desk_never_mailed_marks_nothing(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let Some(desk) = desk(&f, &store) else {
        return;
    };
    let t = opened(
        desk.ingest_email(&mail("ana@example.ro", "d1@example.ro", ""))
            .await
            .unwrap(),
    );
    let first = ack(&store, t.id).await;
    for (id, recipient, action, status) in [
        ("dsn-d1@mx", "ana@example.ro", "delayed", "4.4.1"),
        ("dsn-d2@mx", "ana@example.ro", "failed", "4.4.7"),
        ("dsn-d3@mx", "someone@else.example", "failed", "5.1.1"),
    ] {
        let bounce = dsn(
            "support@desk.test",
            id,
            recipient,
            action,
            status,
            Some(&first.message_id),
        );
        assert_eq!(
            desk.ingest_email(&bounce).await.unwrap(),
            Ingested::BounceNoted(t.id),
            "{id}"
        );
        let note = last_note(&desk, &f, t.id).await;
        assert!(note.contains(status), "{note}");
        assert!(!note.contains("marked undeliverable"), "{id}: {note}");
    }
    let admin = desk.acting_as(Actor::Agent(f.admin.id)).await.unwrap();
    assert!(
        admin
            .undeliverable_addresses(None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // With the time set to 0 hours, a permanent failure marks nothing either.
    let zero = f
        .desk
        .clone()
        .with_mail(settings(&f).with_undeliverable_hours(0));
    let bounce = dsn(
        "support@desk.test",
        "dsn-d4@mx",
        "ana@example.ro",
        "failed",
        "5.1.1",
        Some(&first.message_id),
    );
    assert_eq!(
        zero.ingest_email(&bounce).await.unwrap(),
        Ingested::BounceNoted(t.id)
    );
    assert!(
        admin
            .undeliverable_addresses(None, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn only_admins_list_and_clear_marks_which_last_their_time(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let Some(desk) = desk(&f, &store) else {
        return;
    };
    let t = opened(
        desk.ingest_email(&mail("ana@example.ro", "a1@example.ro", ""))
            .await
            .unwrap(),
    );
    let first = ack(&store, t.id).await;
    let bounce = |id: &str| {
        dsn(
            "support@desk.test",
            id,
            "ana@example.ro",
            "failed",
            "5.1.1",
            Some(&first.message_id),
        )
    };
    desk.ingest_email(&bounce("dsn-a1@mx")).await.unwrap();
    let ana = email("ana@example.ro");
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    assert!(matches!(
        ivan.undeliverable_addresses(None, 10).await,
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        ivan.clear_undeliverable(&ana).await,
        Err(Error::Forbidden { .. })
    ));
    let admin = desk.acting_as(Actor::Agent(f.admin.id)).await.unwrap();
    for bad in [0, MAX_UNDELIVERABLE_PAGE + 1] {
        assert!(matches!(
            admin.undeliverable_addresses(None, bad).await,
            Err(Error::Validation(_))
        ));
    }
    assert_eq!(
        admin.undeliverable_addresses(None, 10).await.unwrap().len(),
        1
    );
    admin.clear_undeliverable(&ana).await.unwrap();
    assert!(
        admin
            .undeliverable_addresses(None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        admin.clear_undeliverable(&ana).await,
        Err(Error::NotFound { .. })
    ));

    // Marked again; once its time is over the mark is no longer listed and mail goes out.
    desk.ingest_email(&bounce("dsn-a2@mx")).await.unwrap();
    assert_eq!(
        admin.undeliverable_addresses(None, 10).await.unwrap().len(),
        1
    );
    f.clock
        .advance(Duration::hours(UNDELIVERABLE_HOURS.into()) + Duration::seconds(1));
    assert!(
        admin
            .undeliverable_addresses(None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    ivan.execute(t.id, reply("Revenim.")).await.unwrap();
    let recorder = Recorder::default();
    let report = desk
        .dispatch_outbox(&recorder, &RetryPolicy::default())
        .await
        .unwrap();
    assert_eq!(report.undeliverable, 0);
    assert!(recorder.sent.lock().unwrap().contains(&ana));
}
