//! `SmtpTransport` against a real (tiny) SMTP server: the message it writes, how server
//! answers map to retries, and the outbox dispatcher on top of it.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use common::smtp_server::{SmtpServer, Stage};
use helpdesk::SmtpTransport;
use helpdesk::domain::{
    Delivery, DeliveryOutcome, DepartmentId, Email, EmailKind, Language, OutboundEmail, OutboxId,
};
use helpdesk::service::{MailSettings, MailTransport, RetryPolicy};
use mail_parser::{HeaderValue, MessageParser, MimeHeaders};

fn settings() -> MailSettings {
    MailSettings::new(
        Email::parse("support@desk.example").unwrap(),
        DepartmentId::new(),
    )
    .with_from_name("Служба поддержки")
}

fn email(references: &[&str]) -> OutboundEmail {
    OutboundEmail {
        id: OutboxId::new(),
        message_id: "0190aa.reply@desk.example".to_owned(),
        ticket_id: None,
        ticket_number: Some("2026030210000135".to_owned()),
        kind: EmailKind::AgentReply,
        language: Language::Russian,
        to: Email::parse("ivan@customer.example").unwrap(),
        to_name: Some("Иван Петров".to_owned()),
        cc: Vec::new(),
        subject: "[#10000135] Не работает интернет — پشتیبانی اینترنت".to_owned(),
        body: "Здравствуйте, Иван!\n\nМы перезапустили ваш порт.\n.\n..точка в начале строки\nسلام، مشکل حل شد.\n"
            .to_owned(),
        references: references.iter().map(|r| (*r).to_owned()).collect(),
        created_at: Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap(),
        attempts: 1,
        delivery: Delivery::Pending {
            at: Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap(),
        },
        last_error: None,
    }
}

fn transport(server: &SmtpServer) -> SmtpTransport {
    SmtpTransport::plain("127.0.0.1", server.port()).with_timeout(Duration::from_secs(10))
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(t) => vec![t.to_string()],
        HeaderValue::TextList(l) => l.iter().map(|t| t.to_string()).collect(),
        other => panic!("not a list of message ids: {other:?}"),
    }
}

#[tokio::test]
async fn an_email_arrives_with_its_headers_and_body() {
    let server = SmtpServer::start().await;
    let email = email(&["first.customer@mail.example", "0190a9.ack@desk.example"]);
    transport(&server).send(&email, &settings()).await.unwrap();

    let received = server.received();
    assert_eq!(received.len(), 1);
    let got = &received[0];
    // The envelope sender names the e-mail (VERP): a bounce to it says what bounced.
    let verp = settings().envelope_sender(&settings().from, email.id);
    assert_eq!(got.mail_from, verp.as_str());
    assert!(
        got.mail_from.starts_with("support+hd") && got.mail_from.ends_with("@desk.example"),
        "{}",
        got.mail_from
    );
    assert_eq!(
        helpdesk::mail::verp::verp_outbox_id(&got.mail_from, &[settings().from]),
        Some(email.id)
    );
    assert_eq!(got.rcpt_to, ["ivan@customer.example"]);

    let raw = String::from_utf8(got.data.clone()).unwrap();
    // Every header line is ASCII: the subject and names are RFC 2047 encoded.
    let head = raw.split("\r\n\r\n").next().unwrap();
    assert!(head.is_ascii(), "{head}");
    assert!(
        head.contains("\r\nX-Auto-Response-Suppress: OOF, AutoReply"),
        "{head}"
    );
    assert!(
        !head.contains("Auto-Submitted"),
        "an agent's reply is not automatic: {head}"
    );
    // The subject tells the customer the short number; the full one is in a header.
    assert!(
        head.contains("\r\nX-Helpdesk-Ticket: 2026030210000135\r\n"),
        "{head}"
    );

    let message = MessageParser::default().parse(&got.data).unwrap();
    assert_eq!(message.subject(), Some(email.subject.as_str()));
    let from = message.from().unwrap().first().unwrap();
    assert_eq!(from.name(), Some("Служба поддержки"));
    assert_eq!(from.address(), Some("support@desk.example"));
    let to = message.to().unwrap().first().unwrap();
    assert_eq!(to.name(), Some("Иван Петров"));
    assert_eq!(to.address(), Some("ivan@customer.example"));
    assert_eq!(message.message_id(), Some("0190aa.reply@desk.example"));
    assert_eq!(ids(message.in_reply_to()), ["0190a9.ack@desk.example"]);
    assert_eq!(
        ids(message.references()),
        ["first.customer@mail.example", "0190a9.ack@desk.example"]
    );
    assert_eq!(
        message.date().unwrap().to_rfc3339(),
        "2026-03-02T09:30:00Z",
        "the Date is when the e-mail was queued"
    );
    let content_type = message.content_type().unwrap();
    assert_eq!(content_type.ctype(), "text");
    assert_eq!(content_type.subtype(), Some("plain"));
    assert_eq!(content_type.attribute("charset"), Some("utf-8"));
    assert_eq!(
        message.body_text(0).unwrap().replace("\r\n", "\n"),
        email.body,
        "the body survives its transfer encoding"
    );
}

#[tokio::test]
async fn cc_addresses_are_in_the_cc_header_and_envelope() {
    let server = SmtpServer::start().await;
    let mut email = email(&[]);
    email.cc = vec![
        Email::parse("bogdan@partner.example").unwrap(),
        Email::parse("carla@partner.example").unwrap(),
    ];
    transport(&server).send(&email, &settings()).await.unwrap();
    let got = &server.received()[0];
    assert_eq!(
        got.rcpt_to,
        [
            "ivan@customer.example",
            "bogdan@partner.example",
            "carla@partner.example"
        ]
    );
    let message = MessageParser::default().parse(&got.data).unwrap();
    let cc: Vec<&str> = message
        .cc()
        .unwrap()
        .iter()
        .filter_map(|a| a.address())
        .collect();
    assert_eq!(cc, ["bogdan@partner.example", "carla@partner.example"]);
}

#[tokio::test]
async fn with_verp_off_the_envelope_sender_is_the_desks_own_address() {
    let server = SmtpServer::start().await;
    let email = email(&[]);
    transport(&server)
        .send(&email, &settings().with_verp(false))
        .await
        .unwrap();
    assert_eq!(server.received()[0].mail_from, "support@desk.example");
}

#[tokio::test]
async fn a_first_email_has_no_threading_headers_and_automatic_ones_say_so() {
    let server = SmtpServer::start().await;
    let mut email = email(&[]);
    email.kind = EmailKind::TicketReceived;
    email.to_name = None;
    email.subject = "Request received".to_owned();
    // ASCII goes as 7bit, so lines starting with a dot are dot-stuffed on the wire.
    email.body = "We got it.\n.\n..two dots\n.leading dot\n".to_owned();
    // A number that is not digits never reaches the headers.
    email.ticket_number = Some("1\r\nBcc: spy@evil.example".to_owned());
    transport(&server).send(&email, &settings()).await.unwrap();

    let data = &server.received()[0].data;
    let raw = String::from_utf8_lossy(data);
    assert!(
        !raw.contains("X-Helpdesk-Ticket") && !raw.contains("spy@"),
        "{raw}"
    );
    let message = MessageParser::default().parse(data).unwrap();
    assert_eq!(message.subject(), Some("Request received"));
    assert!(message.in_reply_to().is_empty());
    assert!(message.references().is_empty());
    let to = message.to().unwrap().first().unwrap();
    assert_eq!(
        (to.name(), to.address()),
        (None, Some("ivan@customer.example"))
    );
    // lettre ends DATA with CRLF.CRLF after the body's own line end, so a 7bit body gains
    // an empty last line on the wire.
    assert_eq!(
        message
            .body_text(0)
            .unwrap()
            .replace("\r\n", "\n")
            .trim_end(),
        email.body.trim_end()
    );
    let raw = String::from_utf8_lossy(data);
    assert!(
        raw.contains("\r\nAuto-Submitted: auto-replied\r\n"),
        "{raw}"
    );
    assert!(
        raw.contains("\r\n\r\nWe got it.\r\n.\r\n..two dots\r\n"),
        "{raw}"
    );
}

#[tokio::test]
async fn invitation_and_reset_emails_go_without_a_ticket_and_say_they_are_automatic() {
    for kind in [EmailKind::Invitation, EmailKind::PasswordReset] {
        let server = SmtpServer::start().await;
        let mut email = email(&[]);
        email.kind = kind;
        email.ticket_number = None;
        email.subject = "Set a new password".to_owned();
        email.body = "https://desk.example/setup-password?token=00ff\n".to_owned();
        transport(&server).send(&email, &settings()).await.unwrap();
        let raw = String::from_utf8_lossy(&server.received()[0].data).into_owned();
        assert!(
            raw.contains("\r\nAuto-Submitted: auto-generated\r\n"),
            "{kind:?}: {raw}"
        );
        assert!(!raw.contains("X-Helpdesk-Ticket"), "{kind:?}: {raw}");
        assert!(raw.contains("setup-password?token=00ff"), "{kind:?}: {raw}");
    }
}

#[tokio::test]
async fn a_451_is_a_temporary_failure_and_is_retried_with_backoff() {
    let server = SmtpServer::start().await;
    let smtp = transport(&server);
    let policy = RetryPolicy::default();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();

    for stage in [Stage::Rcpt, Stage::Data] {
        server.fail_next(stage, 451, 1);
        let err = smtp.send(&email(&[]), &settings()).await.unwrap_err();
        assert!(!err.permanent, "{stage:?}: {err}");
        assert!(err.to_string().contains("451"), "{err}");
        assert!(
            err.source.to_string().contains("Try again later"),
            "the lettre error is the source: {:?}",
            err.source
        );
        assert_eq!(
            policy.after_failure(&email(&[]), &err, now),
            DeliveryOutcome::Retry {
                retry_at: now + chrono::Duration::seconds(60),
                error: err.to_string(),
            }
        );
    }
    assert!(server.received().is_empty());

    // The next attempt goes through.
    smtp.send(&email(&[]), &settings()).await.unwrap();
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_550_is_a_permanent_failure() {
    let server = SmtpServer::start().await;
    let smtp = transport(&server);
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
    for stage in [Stage::Rcpt, Stage::Data] {
        server.fail_next(stage, 550, 1);
        let err = smtp.send(&email(&[]), &settings()).await.unwrap_err();
        assert!(err.permanent, "{stage:?}: {err}");
        assert!(err.to_string().starts_with("permanent failure"), "{err}");
        assert!(
            matches!(
                RetryPolicy::default().after_failure(&email(&[]), &err, now),
                DeliveryOutcome::Failed { at, .. } if at == now
            ),
            "{stage:?}"
        );
    }
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_refused_connection_is_a_temporary_failure() {
    // Bind a port, then free it: nobody listens there.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let smtp = SmtpTransport::plain("127.0.0.1", port).with_timeout(Duration::from_secs(5));
    let err = smtp.send(&email(&[]), &settings()).await.unwrap_err();
    assert!(!err.permanent, "{err}");
}

#[tokio::test]
async fn tls_transports_build_and_hide_their_secrets() {
    let starttls = SmtpTransport::starttls(
        "smtp.example.com",
        587,
        helpdesk::SmtpCredentials::new("desk", "hunter2"),
    )
    .unwrap();
    let tls = SmtpTransport::tls("smtp.example.com", 465, ("desk", "hunter2").into())
        .unwrap()
        .with_hello_name("desk.example");
    for debug in [format!("{starttls:?}"), format!("{tls:?}")] {
        assert!(debug.contains("smtp.example.com"), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
    }
}

/// The outbox dispatcher over SMTP, end to end, on the in-memory store.
mod dispatch {
    use super::*;
    use helpdesk::Helpdesk;
    use helpdesk::clock::ManualClock;
    use helpdesk::domain::{Actor, CustomerKind, MessageBody, Name, Subject};
    use helpdesk::machine::NewTicket;
    use helpdesk::policy::FollowUpPolicy;
    use helpdesk::service::{DispatchReport, NewCustomer};
    use helpdesk::store::MemoryStore;

    struct Desk {
        desk: Helpdesk,
        clock: Arc<ManualClock>,
        ticket: helpdesk::domain::TicketId,
    }

    /// A desk with mail on, and a customer with an e-mail address who opened a ticket.
    async fn desk_with_a_new_ticket() -> Desk {
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
        ));
        let plain = Helpdesk::new(Arc::new(MemoryStore::new())).with_clock(clock.clone());
        let support = plain
            .as_system()
            .create_department(Name::parse("Поддержка").unwrap(), FollowUpPolicy::Reopen)
            .await
            .unwrap();
        let desk = plain.with_mail(
            MailSettings::new(Email::parse("support@desk.example").unwrap(), support.id)
                .with_from_name("Поддержка"),
        );
        let customer = desk
            .as_system()
            .create_customer(
                NewCustomer::new(
                    CustomerKind::Individual,
                    Name::parse("Иван Петров").unwrap(),
                )
                .with_email(Email::parse("ivan@customer.example").unwrap()),
            )
            .await
            .unwrap();
        let ticket = desk
            .acting_as(Actor::Customer(customer.id))
            .await
            .unwrap()
            .open_ticket(NewTicket::new(
                Subject::parse("Не работает интернет").unwrap(),
                MessageBody::parse("Роутер мигает красным.").unwrap(),
                support.id,
            ))
            .await
            .unwrap();
        Desk {
            desk,
            clock,
            ticket: ticket.id,
        }
    }

    async fn queued(desk: &Desk) -> Vec<OutboundEmail> {
        desk.desk.store().ticket_emails(desk.ticket).await.unwrap()
    }

    fn report(sent: usize, retried: usize, failed: usize) -> DispatchReport {
        DispatchReport {
            sent,
            retried,
            failed,
            undeliverable: 0,
        }
    }

    #[tokio::test]
    async fn a_new_ticket_is_acknowledged_once() {
        let d = desk_with_a_new_ticket().await;
        let emails = queued(&d).await;
        assert_eq!(emails.len(), 1, "{emails:#?}");
        assert_eq!(emails[0].kind, EmailKind::TicketReceived);

        let server = SmtpServer::start().await;
        let smtp = transport(&server);
        let policy = RetryPolicy::default();
        assert_eq!(
            d.desk.dispatch_outbox(&smtp, &policy).await.unwrap(),
            report(1, 0, 0)
        );
        let received = server.received();
        assert_eq!(received.len(), 1);
        let message = MessageParser::default().parse(&received[0].data).unwrap();
        assert_eq!(message.message_id(), Some(emails[0].message_id.as_str()));
        assert_eq!(message.subject(), Some(emails[0].subject.as_str()));
        assert_eq!(
            message.to().unwrap().first().unwrap().address(),
            Some("ivan@customer.example")
        );

        // Nothing is sent twice, now or later.
        assert_eq!(
            d.desk.dispatch_outbox(&smtp, &policy).await.unwrap(),
            report(0, 0, 0)
        );
        d.clock.advance(chrono::Duration::days(2));
        assert_eq!(
            d.desk.dispatch_outbox(&smtp, &policy).await.unwrap(),
            report(0, 0, 0)
        );
        assert_eq!(server.received().len(), 1);
        assert!(matches!(
            queued(&d).await[0].delivery,
            Delivery::Sent { .. }
        ));
    }

    #[tokio::test]
    async fn a_temporary_failure_leaves_the_email_pending_until_its_retry() {
        let d = desk_with_a_new_ticket().await;
        let server = SmtpServer::start().await;
        let smtp = transport(&server);
        let policy = RetryPolicy::default();
        server.fail_next(Stage::Rcpt, 451, 1);

        assert_eq!(
            d.desk.dispatch_outbox(&smtp, &policy).await.unwrap(),
            report(0, 1, 0)
        );
        let email = queued(&d).await.remove(0);
        let retry_at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 1, 0).unwrap();
        assert_eq!(email.delivery, Delivery::Pending { at: retry_at });
        assert_eq!(email.attempts, 1);
        let error = email.last_error.as_deref().unwrap();
        assert!(
            error.starts_with("temporary failure") && error.contains("451"),
            "{error}"
        );

        // Not before the backoff is over; then it goes.
        assert_eq!(
            d.desk.dispatch_outbox(&smtp, &policy).await.unwrap(),
            report(0, 0, 0)
        );
        d.clock.advance(chrono::Duration::seconds(60));
        assert_eq!(
            d.desk.dispatch_outbox(&smtp, &policy).await.unwrap(),
            report(1, 0, 0)
        );
        assert_eq!(server.received().len(), 1);
        let email = queued(&d).await.remove(0);
        assert!(matches!(email.delivery, Delivery::Sent { .. }));
        assert_eq!(email.attempts, 2);
    }

    #[tokio::test]
    async fn a_permanent_failure_is_final() {
        let d = desk_with_a_new_ticket().await;
        let server = SmtpServer::start().await;
        let smtp = transport(&server);
        let policy = RetryPolicy::default();
        server.fail_next(Stage::Data, 550, 1);
        assert_eq!(
            d.desk.dispatch_outbox(&smtp, &policy).await.unwrap(),
            report(0, 0, 1)
        );
        d.clock.advance(chrono::Duration::days(1));
        assert_eq!(
            d.desk.dispatch_outbox(&smtp, &policy).await.unwrap(),
            report(0, 0, 0)
        );
        let email = queued(&d).await.remove(0);
        assert!(matches!(email.delivery, Delivery::Failed { .. }));
        assert!(email.last_error.unwrap().starts_with("permanent failure"));
        assert!(server.received().is_empty());
    }

    #[tokio::test]
    async fn a_dispatcher_that_dies_after_sending_causes_one_repeat_with_the_same_message_id() {
        let d = desk_with_a_new_ticket().await;
        let server = SmtpServer::start().await;
        let smtp = transport(&server);
        let policy = RetryPolicy::default();

        // A dispatcher leases the e-mail, sends it, and dies before recording it.
        let now = d.clock_now();
        let lease = chrono::Duration::from_std(policy.lease).unwrap();
        let leased = d
            .desk
            .store()
            .lease_outbox(now, now + lease, policy.batch)
            .await
            .unwrap();
        assert_eq!(leased.len(), 1);
        smtp.send(&leased[0], d.desk.mail_settings().unwrap())
            .await
            .unwrap();

        // Within the lease nobody else takes it.
        d.clock.advance(lease - chrono::Duration::seconds(1));
        assert_eq!(
            d.desk.dispatch_outbox(&smtp, &policy).await.unwrap(),
            report(0, 0, 0)
        );
        // After it, it is sent again, with the same Message-ID, and then never again.
        d.clock.advance(chrono::Duration::seconds(1));
        assert_eq!(
            d.desk.dispatch_outbox(&smtp, &policy).await.unwrap(),
            report(1, 0, 0)
        );
        d.clock.advance(chrono::Duration::days(1));
        assert_eq!(
            d.desk.dispatch_outbox(&smtp, &policy).await.unwrap(),
            report(0, 0, 0)
        );

        let received = server.received();
        assert_eq!(received.len(), 2);
        let message_ids: Vec<_> = received
            .iter()
            .map(|r| {
                let m = MessageParser::default().parse(&r.data).unwrap();
                m.message_id().unwrap().to_owned()
            })
            .collect();
        assert_eq!(message_ids[0], leased[0].message_id);
        assert_eq!(message_ids[1], leased[0].message_id);
        assert_eq!(
            received[0].data, received[1].data,
            "the repeat is the same message"
        );
        let email = queued(&d).await.remove(0);
        assert!(matches!(email.delivery, Delivery::Sent { .. }));
        assert_eq!(email.attempts, 2);
    }

    impl Desk {
        fn clock_now(&self) -> chrono::DateTime<Utc> {
            use helpdesk::clock::Clock;
            self.clock.now()
        }
    }
}
