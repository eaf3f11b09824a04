//! E-mail in, through [`Helpdesk::ingest_email`]: new tickets, threading by headers and by
//! subject tags, duplicates, strangers, automatic mail, refusals, and a corpus of real-world
//! mail taken in or refused cleanly.

use std::sync::Arc;

use super::reply;
use crate::Helpdesk;
use crate::domain::{Actor, Channel, EmailKind, Ticket, Visibility};
use crate::error::Error;
use crate::mail::{AutoReason, MailClass};
use crate::service::{AttachmentLimits, Ingested, MailSettings, Rejection, UnknownSenders};
use crate::store::{MemoryBlobStore, PageRequest, Store, TicketFilter};
use crate::testkit::Fixture;
use crate::testkit::samples::email;

fn desk(f: &Fixture, unknown: UnknownSenders) -> Helpdesk {
    f.desk
        .clone()
        .with_mail(
            MailSettings::new(email("support@desk.test"), f.support.id)
                .with_unknown_senders(unknown),
        )
        .with_blobs(
            Arc::new(MemoryBlobStore::new()),
            AttachmentLimits {
                max_size: 64 * 1024,
                ..AttachmentLimits::default()
            },
        )
}

/// A plain UTF-8 mail (with extra `headers`).
pub(super) fn mail(
    from: &str,
    message_id: &str,
    subject: &str,
    headers: &str,
    text: &str,
) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: support@desk.test\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
         Date: Mon, 5 Jan 2026 10:00:00 +0200\r\n{headers}MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{text}\r\n"
    )
    .into_bytes()
}

/// The ticket a mail opened.
pub(super) fn opened(outcome: Ingested) -> Ticket {
    match outcome {
        Ingested::Opened(t) => t,
        other => panic!("expected a new ticket, got {other:?}"),
    }
}

async fn ticket_count(store: &dyn Store) -> usize {
    store
        .list_tickets(&TicketFilter::default(), &PageRequest::default())
        .await
        .unwrap()
        .items
        .len()
}

pub async fn mail_opens_a_ticket_and_replies_thread_into_it_once(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let desk = desk(&f, UnknownSenders::CreateCustomer);
    let ana = desk.acting_as(Actor::Customer(f.ana.id)).await.unwrap();
    let first = mail(
        "Ana Popescu <ana@example.ro>",
        "m1@mail.example.ro",
        "Nu merge internetul",
        "",
        "Bună ziua,\r\nnu merge internetul de ieri.",
    );
    let t = opened(desk.ingest_email(&first).await.unwrap());
    assert_eq!(t.customer, Some(f.ana.id));
    assert_eq!(t.department, f.support.id);
    assert_eq!(t.channel, Channel::Email);
    assert_eq!(t.subject.as_str(), "Nu merge internetul");
    let thread = ana.thread(t.id).await.unwrap();
    assert!(
        thread[0]
            .body
            .as_str()
            .contains("nu merge internetul de ieri")
    );
    let raw = &thread[0].attachments[0];
    assert_eq!(raw.content_type(), "message/rfc822", "the raw mail is kept");
    let (_, bytes) = ana
        .attachment(t.id, thread[0].id, raw.sha256())
        .await
        .unwrap();
    assert_eq!(bytes, first);
    let receipt = &store.ticket_emails(t.id).await.unwrap()[0];
    assert_eq!(receipt.kind, EmailKind::TicketReceived);
    assert_eq!(receipt.in_reply_to(), Some("m1@mail.example.ro"));

    // The agent answers; the customer's reply to that e-mail threads by In-Reply-To, with
    // the quoted text stripped.
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    ivan.execute(t.id, reply("Reporniți routerul, vă rog."))
        .await
        .unwrap();
    let answer = store.ticket_emails(t.id).await.unwrap().pop().unwrap();
    let reply = mail(
        "ana@example.ro",
        "m2@mail.example.ro",
        "Re: something else entirely",
        &format!(
            "In-Reply-To: <{}>\r\nReferences: <m1@mail.example.ro> <{}>\r\n",
            answer.message_id, answer.message_id
        ),
        "Mersi, acum merge.\r\n\r\nÎn data de 5 ian. 2026, Suport a scris:\r\n> Reporniți routerul, vă rog.\r\n",
    );
    match desk.ingest_email(&reply).await.unwrap() {
        Ingested::Appended(same) => assert_eq!(same.id, t.id),
        other => panic!("expected a reply, got {other:?}"),
    }
    let thread = ana.thread(t.id).await.unwrap();
    assert_eq!(thread.len(), 3);
    let last = thread.last().unwrap();
    assert_eq!(last.author, ana.actor());
    assert_eq!(last.channel, Channel::Email);
    assert!(last.body.as_str().starts_with("Mersi, acum merge."));
    assert!(
        !last.body.as_str().contains("Reporniți"),
        "{}",
        last.body.as_str()
    );

    // The same mail again: stored once.
    let emails = store.ticket_emails(t.id).await.unwrap().len();
    assert_eq!(
        desk.ingest_email(&reply).await.unwrap(),
        Ingested::Duplicate(t.id)
    );
    assert_eq!(
        desk.ingest_email(&first).await.unwrap(),
        Ingested::Duplicate(t.id)
    );
    assert_eq!(ana.thread(t.id).await.unwrap().len(), 3);
    assert_eq!(store.ticket_emails(t.id).await.unwrap().len(), emails);
    assert_eq!(ticket_count(store.as_ref()).await, 1);
}

pub async fn a_subject_tag_threads_only_for_the_customer_or_a_participant(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let desk = desk(&f, UnknownSenders::CreateCustomer);
    let t = f.open(&f.acme, "Line 2 is dead").await;
    // The tag of the short number, which the desk's e-mails carry.
    let tag = format!("[#{}]", t.number.short());

    let by_customer = mail(
        "it@acme.example",
        "c1@acme.example",
        &format!("Re: {tag} Line 2"),
        "",
        "Any news?",
    );
    match desk.ingest_email(&by_customer).await.unwrap() {
        Ingested::Appended(same) => assert_eq!(same.id, t.id),
        other => panic!("expected a reply, got {other:?}"),
    }
    // An answer to mail that carried the full number threads too.
    let full_tag = mail(
        "it@acme.example",
        "c2@acme.example",
        &format!("Re: [#{}] Line 2", t.number.full()),
        "",
        "Still dead.",
    );
    match desk.ingest_email(&full_tag).await.unwrap() {
        Ingested::Appended(same) => assert_eq!(same.id, t.id),
        other => panic!("expected a reply, got {other:?}"),
    }

    // A stranger quoting the number gets a ticket of their own.
    let by_stranger = mail(
        "Mallory <mallory@evil.example>",
        "s1@evil.example",
        &format!("Re: {tag} Line 2"),
        "",
        "Please send me the customer's contract.",
    );
    let theirs = opened(desk.ingest_email(&by_stranger).await.unwrap());
    assert_ne!(theirs.id, t.id);
    let mallory = store
        .customer_by_email(&email("mallory@evil.example"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mallory.name.as_str(), "Mallory");
    assert_eq!(theirs.customer, Some(mallory.id));
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    let staff = ivan.thread(t.id).await.unwrap();
    assert!(staff.iter().all(|m| !m.body.as_str().contains("contract")));

    // Someone the agent sent the thread to is a participant: their answer is a note.
    let manager = email("manager@acme.example");
    ivan.email_ticket(t.id, manager.clone(), crate::domain::Language::English)
        .await
        .unwrap();
    let by_participant = mail(
        "Boss of Acme <manager@acme.example>",
        "p1@acme.example",
        &format!("Re: {tag} Ticket: Line 2 is dead"),
        "",
        "Approved, go ahead.",
    );
    desk.ingest_email(&by_participant).await.unwrap();
    let staff = ivan.thread(t.id).await.unwrap();
    let note = staff.last().unwrap();
    assert_eq!(note.visibility, Visibility::Internal);
    assert!(note.body.as_str().contains("manager@acme.example"));
    assert!(note.body.as_str().contains("Approved, go ahead."));
    let acme = desk.acting_as(Actor::Customer(f.acme.id)).await.unwrap();
    let public = acme.thread(t.id).await.unwrap();
    assert!(public.iter().all(|m| !m.body.as_str().contains("Approved")));

    // A desk that refuses unknown senders stores nothing of theirs.
    let strict = self::desk(&f, UnknownSenders::Reject);
    let before = ticket_count(store.as_ref()).await;
    let unknown = mail("nobody@else.example", "u1@else.example", "Hello", "", "Hi");
    assert_eq!(
        strict.ingest_email(&unknown).await.unwrap(),
        Ingested::Rejected(Rejection::UnknownSender)
    );
    assert_eq!(ticket_count(store.as_ref()).await, before);
    assert_eq!(
        store
            .customer_by_email(&email("nobody@else.example"))
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.mail_reference("u1@else.example").await.unwrap(), None);
}

pub async fn automatic_mail_never_opens_tickets_or_answers(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let desk = desk(&f, UnknownSenders::CreateCustomer);
    let t = f.open(&f.ana, "Invoice").await;
    let tag = format!("[#{}]", t.number.short());
    let cases = [
        (
            "Auto-Submitted: auto-replied\r\n",
            AutoReason::AutoSubmitted,
        ),
        ("Precedence: bulk\r\n", AutoReason::Bulk),
        ("X-Loop: yes\r\n", AutoReason::LoopHeader),
        ("X-OTRS-Loop: yes\r\n", AutoReason::LoopHeader),
        (
            "X-Auto-Response-Suppress: All\r\n",
            AutoReason::ResponseSuppressed,
        ),
        ("X-Autoreply: yes\r\n", AutoReason::AutoReplyHeader),
    ];
    for (i, (header, reason)) in cases.into_iter().enumerate() {
        let raw = mail(
            "ana@example.ro",
            &format!("auto{i}@example.ro"),
            &format!("Re: {tag} Invoice"),
            header,
            "I am away until Monday.",
        );
        assert_eq!(
            desk.ingest_email(&raw).await.unwrap(),
            Ingested::Ignored(MailClass::Automatic(reason)),
            "{header}"
        );
    }
    let away = mail(
        "ana@example.ro",
        "oof@example.ro",
        &format!("Automatic reply: {tag} Invoice"),
        "",
        "I am away.",
    );
    assert_eq!(
        desk.ingest_email(&away).await.unwrap(),
        Ingested::Ignored(MailClass::Automatic(AutoReason::OutOfOffice))
    );
    let own = mail(
        "Support <support@desk.test>",
        "own@desk.test",
        "Hello",
        "",
        "A loop.",
    );
    assert_eq!(
        desk.ingest_email(&own).await.unwrap(),
        Ingested::Ignored(MailClass::Automatic(AutoReason::OwnAddress))
    );
    let complaint = b"From: <>\r\nTo: support@desk.test\r\nSubject: complaint about message\r\n\
Message-ID: <fb1@isp.example>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\r\n\r\n\
--F\r\nContent-Type: text/plain\r\n\r\nThis is an abuse report.\r\n\
--F\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nVersion: 1\r\n\r\n--F--\r\n";
    assert_eq!(
        desk.ingest_email(complaint).await.unwrap(),
        Ingested::Ignored(MailClass::Automatic(AutoReason::FeedbackReport))
    );
    let bounce = b"From: MAILER-DAEMON@mx.example.ro\r\nTo: support@desk.test\r\nSubject: Undelivered Mail\r\n\
Message-ID: <b1@mx.example.ro>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"XX\"\r\n\r\n\
--XX\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n\
--XX\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.ro\r\n\r\nFinal-Recipient: rfc822; ana@example.ro\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--XX--\r\n";
    assert_eq!(
        desk.ingest_email(bounce).await.unwrap(),
        Ingested::Ignored(MailClass::Bounce)
    );
    // A bounce whose sender no strict reading accepts is still a bounce, not an error.
    let bare = b"From: MAILER-DAEMON\r\nTo: support@desk.test\r\nSubject: Returned mail: see transcript\r\n\r\nUser unknown\r\n";
    assert_eq!(
        desk.ingest_email(bare).await.unwrap(),
        Ingested::Ignored(MailClass::Bounce)
    );
    assert_eq!(ticket_count(store.as_ref()).await, 1);
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    assert_eq!(ivan.thread(t.id).await.unwrap().len(), 1);
    assert!(
        store.ticket_emails(t.id).await.unwrap().is_empty(),
        "nothing answers a machine"
    );
}

pub async fn a_bounce_of_the_desks_email_is_noted_on_its_ticket_once(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let desk = desk(&f, UnknownSenders::CreateCustomer);
    let first = mail("ana@example.ro", "n1@example.ro", "Wi-Fi", "", "No Wi-Fi.");
    let t = opened(desk.ingest_email(&first).await.unwrap());
    let sent = store.ticket_emails(t.id).await.unwrap();
    assert_eq!(sent.len(), 1);
    let bounce = format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.ro>\r\nTo: support@desk.test\r\n\
Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn1@mx.example.ro>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n\
--R\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message could not be delivered.\r\n\
--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.ro\r\n\r\n\
Final-Recipient: rfc822; ana@example.ro\r\nAction: failed\r\nStatus: 5.2.2\r\n\
Diagnostic-Code: smtp; 552 mailbox full\r\n\r\n\
--R\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: support@desk.test\r\nTo: ana@example.ro\r\n\
Message-ID: <{}>\r\nSubject: x\r\n\r\n--R--\r\n",
        sent[0].message_id
    );
    assert_eq!(
        desk.ingest_email(bounce.as_bytes()).await.unwrap(),
        Ingested::BounceNoted(t.id)
    );
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    let staff = ivan.thread(t.id).await.unwrap();
    let note = staff.last().unwrap();
    assert_eq!(note.visibility, Visibility::Internal);
    let text = note.body.as_str();
    assert!(text.contains(&sent[0].message_id), "{text}");
    assert!(
        text.contains("ana@example.ro: status 5.2.2 (failed), smtp; 552 mailbox full"),
        "{text}"
    );
    // The same bounce again is noted once; no ticket, no e-mail.
    assert_eq!(
        desk.ingest_email(bounce.as_bytes()).await.unwrap(),
        Ingested::Duplicate(t.id)
    );
    assert_eq!(ivan.thread(t.id).await.unwrap().len(), staff.len());
    assert_eq!(ticket_count(store.as_ref()).await, 1);
    assert_eq!(store.ticket_emails(t.id).await.unwrap().len(), 1);
    // A bounce naming an e-mail the desk never sent is ignored.
    let stranger = bounce
        .replace(&sent[0].message_id, "other@else.example")
        .replace("dsn1@", "dsn2@");
    assert_eq!(
        desk.ingest_email(stranger.as_bytes()).await.unwrap(),
        Ingested::Ignored(MailClass::Bounce)
    );
}

pub async fn list_mail_system_senders_and_frequent_senders_get_no_automatic_answer(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store.clone()).await;
    let desk = desk(&f, UnknownSenders::CreateCustomer);
    let listed = mail(
        "ana@example.ro",
        "l1@example.ro",
        "Printer on floor 2",
        "List-Id: <support.lists.example.ro>\r\n",
        "The printer is jammed.",
    );
    let t = opened(desk.ingest_email(&listed).await.unwrap());
    assert!(
        store.ticket_emails(t.id).await.unwrap().is_empty(),
        "list mail is not answered"
    );
    for (i, sender) in [
        "noreply@shop.example",
        "No-Reply@shop.example",
        "abuse@isp.example",
        "root@host.example",
    ]
    .into_iter()
    .enumerate()
    {
        let raw = mail(
            sender,
            &format!("s{i}@shop.example"),
            "Order form",
            "",
            "A form was sent.",
        );
        let t = opened(desk.ingest_email(&raw).await.unwrap());
        assert!(
            store.ticket_emails(t.id).await.unwrap().is_empty(),
            "{sender}"
        );
    }
    let person = mail(
        "ion@example.ro",
        "p1@example.ro",
        "Hello",
        "",
        "A question.",
    );
    let t = opened(desk.ingest_email(&person).await.unwrap());
    assert_eq!(
        store.ticket_emails(t.id).await.unwrap().len(),
        1,
        "people are answered"
    );

    // At most N automatic answers per customer an hour.
    let limited = desk.clone().with_mail(
        MailSettings::new(email("support@desk.test"), f.support.id).with_auto_answers_per_hour(2),
    );
    let mut answered = Vec::new();
    for i in 0..3 {
        let raw = mail(
            "vera@example.ro",
            &format!("v{i}@example.ro"),
            "Help",
            "",
            "Again.",
        );
        let t = opened(limited.ingest_email(&raw).await.unwrap());
        answered.push(store.ticket_emails(t.id).await.unwrap().len());
    }
    assert_eq!(answered, [1, 1, 0]);
}

pub async fn refused_mail_stores_nothing(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let desk = desk(&f, UnknownSenders::CreateCustomer);
    f.as_agent(&f.admin)
        .await
        .set_customer_access(f.ana.id, false)
        .await
        .unwrap();
    let from_disabled = mail("ana@example.ro", "d1@example.ro", "Hello", "", "Let me in");
    assert_eq!(
        desk.ingest_email(&from_disabled).await.unwrap(),
        Ingested::Rejected(Rejection::AccessDisabled)
    );
    for garbage in [
        &b""[..],
        b"\xff\xfe\x00garbage",
        b"Subject: no sender\r\n\r\nbody",
    ] {
        let err = desk.ingest_email(garbage).await.unwrap_err();
        assert!(matches!(err, Error::Validation(_)), "{err:?}");
    }
    assert!(
        f.desk.ingest_email(&from_disabled).await.is_err(),
        "no mail settings"
    );
    assert_eq!(ticket_count(store.as_ref()).await, 0);
}

pub async fn refused_files_are_kept_aside_for_agents_and_the_text_goes_in(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let desk = desk(&f, UnknownSenders::CreateCustomer);
    let big = "A".repeat(120 * 1024);
    let raw = format!(
        "From: it@acme.example\r\nTo: support@desk.test\r\nSubject: Logs\r\nMessage-ID: <big@acme.example>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nLogs attached.\r\n\
--B\r\nContent-Type: text/plain; name=\"log.txt\"\r\nContent-Disposition: attachment; filename=\"log.txt\"\r\n\r\n{big}\r\n\
--B\r\nContent-Type: application/x-msdownload; name=\"tool.exe\"\r\nContent-Disposition: attachment; filename=\"tool.exe\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n\
--B\r\nContent-Type: image/png; name=\"shot.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\
--B\r\nContent-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3\r\n--B--\r\n"
    );
    let t = opened(desk.ingest_email(raw.as_bytes()).await.unwrap());
    let acme = desk.acting_as(Actor::Customer(f.acme.id)).await.unwrap();
    let public = acme.thread(t.id).await.unwrap();
    assert_eq!(public.len(), 1, "the customer sees their mail only");
    assert_eq!(public[0].body.as_str(), "Logs attached.");
    let names: Vec<&str> = public[0]
        .attachments
        .iter()
        .map(|a| a.file_name())
        .collect();
    assert!(names.contains(&"shot.png"), "{names:?}");
    assert!(
        !names.contains(&"smime.p7s"),
        "a signature is no attachment"
    );
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    let staff = ivan.thread(t.id).await.unwrap();
    let note = staff.last().unwrap();
    assert_eq!(note.visibility, Visibility::Internal);
    let text = note.body.as_str();
    assert!(
        text.contains("log.txt") && text.contains("larger than 65536 bytes"),
        "{text}"
    );
    assert!(
        text.contains("tool.exe")
            && text.contains("files of type application/x-msdownload are not accepted"),
        "{text}"
    );
    assert!(!text.contains("smime.p7s"), "{text}");
    let kept: Vec<&str> = note.attachments.iter().map(|a| a.file_name()).collect();
    assert_eq!(kept, vec!["log.txt", "tool.exe"]);
    let (_, bytes) = ivan
        .attachment(t.id, note.id, note.attachments[1].sha256())
        .await
        .unwrap();
    assert_eq!(bytes, b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00");
    assert!(
        acme.attachment(t.id, note.id, note.attachments[1].sha256())
            .await
            .is_err(),
        "agents only"
    );

    // Without a blob store the text still goes in; the files are listed on the note.
    let no_files = f
        .desk
        .clone()
        .with_mail(MailSettings::new(email("support@desk.test"), f.support.id));
    let raw = raw.replace("big@acme.example", "big2@acme.example");
    let t = opened(no_files.ingest_email(raw.as_bytes()).await.unwrap());
    let staff = ivan.thread(t.id).await.unwrap();
    assert_eq!(staff[0].body.as_str(), "Logs attached.");
    let note = staff.last().unwrap();
    assert_eq!(note.visibility, Visibility::Internal);
    assert!(
        note.body
            .as_str()
            .contains("(image/png, 8 bytes): the desk keeps no files"),
        "{}",
        note.body.as_str()
    );
    assert!(note.attachments.is_empty());
}

pub async fn replies_follow_merges_long_references_thread_and_duplicates_need_the_same_sender(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store.clone()).await;
    let desk = desk(&f, UnknownSenders::CreateCustomer);
    let first = mail("ana@example.ro", "m1@example.ro", "Wi-Fi", "", "No Wi-Fi.");
    let a = opened(desk.ingest_email(&first).await.unwrap());
    let second = mail(
        "ana@example.ro",
        "m2@example.ro",
        "Wi-Fi again",
        "",
        "Still none.",
    );
    let b = opened(desk.ingest_email(&second).await.unwrap());
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    ivan.execute(b.id, crate::machine::Command::MergeInto { target: a.id })
        .await
        .unwrap();
    let reply = mail(
        "ana@example.ro",
        "m3@example.ro",
        "Re: Wi-Fi again",
        "In-Reply-To: <m2@example.ro>\r\n",
        "Any news?",
    );
    match desk.ingest_email(&reply).await.unwrap() {
        Ingested::Appended(t) => assert_eq!(t.id, a.id, "the ticket it was merged into"),
        other => panic!("{other:?}"),
    }
    // A References header of 20,000 ids is read in one look-up and still threads.
    let many: String = (0..20_000)
        .map(|i| format!(" <r{i}@list.example>"))
        .collect();
    let long = mail(
        "ana@example.ro",
        "m4@example.ro",
        "Re: Wi-Fi",
        &format!("References: <m1@example.ro>{many}\r\n"),
        "Still waiting.",
    );
    match desk.ingest_email(&long).await.unwrap() {
        Ingested::Appended(t) => assert_eq!(t.id, a.id),
        other => panic!("{other:?}"),
    }
    // Another sender's mail with a Message-ID already filed is another mail.
    let clash = mail("ion@example.ro", "m1@example.ro", "Printer", "", "Jammed.");
    let theirs = opened(desk.ingest_email(&clash).await.unwrap());
    assert_ne!(theirs.id, a.id);
    assert_eq!(
        desk.ingest_email(&clash).await.unwrap(),
        Ingested::Duplicate(theirs.id)
    );
    assert_eq!(
        desk.ingest_email(&first).await.unwrap(),
        Ingested::Duplicate(a.id)
    );
}

pub async fn every_mail_of_the_corpus_is_taken_in_or_refused_cleanly(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let desk = desk(&f, UnknownSenders::CreateCustomer);
    let admin = desk.acting_as(Actor::Agent(f.admin.id)).await.unwrap();
    for (name, raw) in crate::testkit::emails::EMAILS {
        let outcome = desk.ingest_email(raw).await;
        let class = crate::mail::classify(raw, &[email("support@desk.test")]);
        match (class, &outcome) {
            (MailClass::Bounce | MailClass::Automatic(_), Ok(Ingested::Ignored(c))) => {
                assert_eq!(*c, class, "{name}")
            }
            (MailClass::NotMail, Err(Error::Validation(_))) => {}
            (_, Ok(Ingested::Duplicate(_)))
                if matches!(*name, "duplicate_new_ticket" | "new_ticket_plain") => {}
            (
                MailClass::Person | MailClass::List,
                Ok(Ingested::Opened(t) | Ingested::Appended(t)),
            ) => {
                let thread = admin.thread(t.id).await.unwrap();
                let mine = thread
                    .iter()
                    .rev()
                    .find(|m| m.visibility == Visibility::Public)
                    .unwrap();
                assert!(!mine.body.as_str().trim().is_empty(), "{name}");
                assert!(
                    mine.attachments
                        .iter()
                        .any(|a| a.content_type() == "message/rfc822"),
                    "{name}: the raw mail is kept"
                );
                for m in &thread {
                    for a in &m.attachments {
                        assert!(
                            !a.file_name().contains('/') && !a.file_name().contains(".."),
                            "{name}"
                        );
                    }
                }
            }
            (_, other) => panic!("{name} ({class}): {other:?}"),
        }
    }
    // Taking the corpus in again changes nothing: every mail is a duplicate or ignored.
    let tickets = ticket_count(store.as_ref()).await;
    for (name, raw) in crate::testkit::emails::EMAILS {
        match desk.ingest_email(raw).await {
            Ok(Ingested::Duplicate(_) | Ingested::Ignored(_)) | Err(Error::Validation(_)) => {}
            other => panic!("{name} again: {other:?}"),
        }
    }
    assert_eq!(ticket_count(store.as_ref()).await, tickets);
}
