//! Mail settings kept in the store, through the desk: only admins set them, every change is
//! audited, and every process applies them on each call — a department's own address takes
//! mail into the department and sends its answers, list mail is taken in or ignored per
//! address, and the limit of automatic answers is the stored one.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use crate::Helpdesk;
use crate::domain::{Actor, Email, EmailKind, Name, OutboundEmail};
use crate::error::{Error, ForbiddenReason};
use crate::mail::MailClass;
use crate::service::{
    DepartmentAddress, Ingested, ListMail, MAX_AUTO_ANSWERS_PER_HOUR, MAX_UNDELIVERABLE_HOURS,
    MailDefaults, MailSettings, MailTransport, RetryPolicy, SendError, UnknownSenders,
};
use crate::store::{SettingKey, Store};
use crate::testkit::samples::email;
use crate::testkit::{Fixture, ability};

/// A plain mail from `from` to `to`, with more `headers`.
fn mail(from: &str, to: &str, message_id: &str, headers: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: Help\r\nMessage-ID: <{message_id}>\r\n\
         Date: Mon, 5 Jan 2026 10:00:00 +0200\r\n{headers}MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nThe printer is jammed.\r\n"
    )
    .into_bytes()
}

fn opened(outcome: Ingested) -> crate::domain::Ticket {
    match outcome {
        Ingested::Opened(t) => t,
        other => panic!("expected a new ticket, got {other:?}"),
    }
}

/// A transport that keeps whom each e-mail went to, from which address.
#[derive(Debug, Default)]
struct Recorder {
    sent: Mutex<Vec<(Email, Email, EmailKind)>>,
}

#[async_trait]
impl MailTransport for Recorder {
    async fn send(&self, email: &OutboundEmail, settings: &MailSettings) -> Result<(), SendError> {
        self.sent.lock().expect("not poisoned").push((
            email.to.clone(),
            settings.from.clone(),
            email.kind,
        ));
        Ok(())
    }
}

/// A desk on `store` with no mail settings in code.
fn bare(f: &Fixture, store: &Arc<dyn Store>) -> Helpdesk {
    Helpdesk::new(store.clone()).with_clock(f.clock.clone())
}

pub async fn only_admins_set_mail_settings_and_every_change_is_audited(store: Arc<dyn Store>) {
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    let defaults = MailDefaults {
        from: Some(email("help@desk.test")),
        from_name: Some(Name::parse("Desk Help").unwrap()),
        inbound_department: Some(f.support.id),
        unknown_senders: Some(UnknownSenders::Reject),
        auto_answers_per_hour: Some(3),
        list_mail: Some(ListMail::Ignore),
        verp: Some(false),
        undeliverable_hours: Some(48),
    };
    let billing = DepartmentAddress {
        address: email("billing@desk.test"),
        list_mail: ListMail::TakeIn,
    };

    // Agents and customers neither read nor change them.
    let (ivan, ana) = (f.as_agent(&f.ivan).await, f.as_customer(&f.ana).await);
    for who in [&ivan, &ana] {
        for result in [
            who.mail_settings().await.map(|_| ()),
            who.set_mail_settings(defaults.clone()).await.map(|_| ()),
            who.set_department_mail_address(f.billing.id, Some(billing.clone()))
                .await
                .map(|_| ()),
        ] {
            assert!(
                matches!(
                    result,
                    Err(Error::Forbidden {
                        reason: ForbiddenReason::AdminOnly
                    })
                ),
                "{result:?}"
            );
        }
    }
    assert!(admin.mail_settings().await.unwrap().is_empty());

    let stored = admin.set_mail_settings(defaults.clone()).await.unwrap();
    assert_eq!(stored.desk, defaults);
    let stored = admin
        .set_department_mail_address(f.billing.id, Some(billing.clone()))
        .await
        .unwrap();
    assert_eq!(stored.departments.get(&f.billing.id), Some(&billing));
    assert_eq!(admin.mail_settings().await.unwrap(), stored);
    let in_force = f.desk.mail_in_force().await.unwrap().unwrap();
    assert!(!in_force.verp);
    assert_eq!(in_force.undeliverable_hours, 48);

    // Refusals write nothing: too many answers, a missing department, an address taken.
    let too_many = MailDefaults {
        auto_answers_per_hour: Some(MAX_AUTO_ANSWERS_PER_HOUR + 1),
        ..defaults.clone()
    };
    assert!(matches!(
        admin.set_mail_settings(too_many).await,
        Err(Error::Validation(_))
    ));
    let too_long = MailDefaults {
        undeliverable_hours: Some(MAX_UNDELIVERABLE_HOURS + 1),
        ..defaults.clone()
    };
    assert!(matches!(
        admin.set_mail_settings(too_long).await,
        Err(Error::Validation(_))
    ));
    let nowhere = MailDefaults {
        inbound_department: Some(crate::domain::DepartmentId::new()),
        ..defaults.clone()
    };
    assert!(matches!(
        admin.set_mail_settings(nowhere).await,
        Err(Error::NotFound { .. })
    ));
    let taken = MailDefaults {
        from: Some(email("billing@desk.test")),
        ..defaults.clone()
    };
    assert!(matches!(
        admin.set_mail_settings(taken).await,
        Err(Error::Conflict { .. })
    ));
    for address in ["help@desk.test", "billing@desk.test"] {
        let result = admin
            .set_department_mail_address(
                f.sales.id,
                Some(DepartmentAddress {
                    address: email(address),
                    list_mail: ListMail::TakeIn,
                }),
            )
            .await;
        assert!(matches!(result, Err(Error::Conflict { .. })), "{address}");
    }
    assert_eq!(admin.mail_settings().await.unwrap(), stored);
    // The same settings again change nothing.
    admin.set_mail_settings(defaults.clone()).await.unwrap();

    // The audit trail: two changes, newest first, who, before and after.
    let changes = admin.setting_changes(10).await.unwrap();
    let mail: Vec<_> = changes
        .iter()
        .filter(|c| c.key == SettingKey::Mail)
        .collect();
    assert_eq!(mail.len(), 2, "{changes:?}");
    assert!(mail.iter().all(|c| c.actor == Actor::Agent(f.admin.id)));
    assert_eq!(mail[1].before, None);
    assert_eq!(mail[0].before, mail[1].after);
    assert!(
        mail[0]
            .after
            .as_deref()
            .is_some_and(|a| a.contains("billing@desk.test"))
    );

    // Removing the department's address is audited too.
    admin
        .set_department_mail_address(f.billing.id, None)
        .await
        .unwrap();
    let changes = admin.setting_changes(1).await.unwrap();
    assert_eq!(changes[0].before, mail[0].after);
    assert!(admin.mail_settings().await.unwrap().departments.is_empty());
}

pub async fn mail_to_a_departments_address_lands_there_and_its_answers_go_out_from_it(
    store: Arc<dyn Store>,
) {
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    admin
        .set_mail_settings(MailDefaults {
            from: Some(email("support@desk.test")),
            inbound_department: Some(f.support.id),
            ..MailDefaults::default()
        })
        .await
        .unwrap();
    admin
        .set_department_mail_address(
            f.billing.id,
            Some(DepartmentAddress {
                address: email("billing@desk.test"),
                list_mail: ListMail::TakeIn,
            }),
        )
        .await
        .unwrap();
    // A process with no mail settings in code, like `cli ingest` with no flags.
    let desk = bare(&f, &store);
    assert!(desk.mail_in_force().await.unwrap().is_some());

    let to_billing = mail(
        "Ana <ana@example.ro>",
        "Billing <Billing@Desk.test>",
        "b1@example.ro",
        "",
    );
    let t = opened(desk.ingest_email(&to_billing).await.unwrap());
    assert_eq!(t.department, f.billing.id);
    // The envelope recipient counts too (a Bcc, or a forward to the address).
    let forwarded = mail(
        "ion@example.ro",
        "someone@elsewhere.example",
        "b2@example.ro",
        "Delivered-To: billing@desk.test\r\n",
    );
    let forwarded = opened(desk.ingest_email(&forwarded).await.unwrap());
    assert_eq!(forwarded.department, f.billing.id);
    let to_desk = mail("vera@example.ro", "support@desk.test", "s1@example.ro", "");
    let general = opened(desk.ingest_email(&to_desk).await.unwrap());
    assert_eq!(general.department, f.support.id);
    // Mail from the department's own address is the desk's own: never taken in.
    let looped = mail("billing@desk.test", "support@desk.test", "o1@desk.test", "");
    assert!(matches!(
        desk.ingest_email(&looped).await.unwrap(),
        Ingested::Ignored(MailClass::Automatic(_))
    ));

    // An agent's reply in billing goes out from billing's address; support's from the
    // desk's.
    let replier = desk.acting_as(Actor::Agent(f.admin.id)).await.unwrap();
    replier
        .execute(t.id, super::reply("Paid, thank you."))
        .await
        .unwrap();
    let recorder = Recorder::default();
    desk.dispatch_outbox(&recorder, &RetryPolicy::default())
        .await
        .unwrap();
    let sent = recorder.sent.lock().unwrap().clone();
    let from_of = |to: &str, kind: EmailKind| {
        sent.iter()
            .filter(|(t, _, k)| t.as_str() == to && *k == kind)
            .map(|(_, from, _)| from.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        from_of("ana@example.ro", EmailKind::AgentReply),
        ["billing@desk.test"],
        "{sent:?}"
    );
    assert_eq!(
        from_of("ana@example.ro", EmailKind::TicketReceived),
        ["billing@desk.test"]
    );
    assert_eq!(
        from_of("vera@example.ro", EmailKind::TicketReceived),
        ["support@desk.test"]
    );
}

pub async fn list_mail_is_ignored_or_taken_in_per_address(store: Arc<dyn Store>) {
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    admin
        .set_department_mail_address(
            f.billing.id,
            Some(DepartmentAddress {
                address: email("billing@desk.test"),
                list_mail: ListMail::Ignore,
            }),
        )
        .await
        .unwrap();
    let desk = f
        .desk
        .clone()
        .with_mail(MailSettings::new(email("support@desk.test"), f.support.id));
    let list = "List-Id: <printers.lists.example.ro>\r\n";

    let ignored = mail("ana@example.ro", "billing@desk.test", "l1@example.ro", list);
    assert_eq!(
        desk.ingest_email(&ignored).await.unwrap(),
        Ingested::Ignored(MailClass::List)
    );
    let precedence = mail(
        "ana@example.ro",
        "billing@desk.test",
        "l2@example.ro",
        "Precedence: list\r\n",
    );
    assert_eq!(
        desk.ingest_email(&precedence).await.unwrap(),
        Ingested::Ignored(MailClass::List)
    );
    // The desk's own address takes list mail in (the default), unanswered.
    let taken = mail("ana@example.ro", "support@desk.test", "l3@example.ro", list);
    let t = opened(desk.ingest_email(&taken).await.unwrap());
    assert_eq!(t.department, f.support.id);
    assert!(store.ticket_emails(t.id).await.unwrap().is_empty());
    // A person's mail to billing is taken in.
    let person = mail("ana@example.ro", "billing@desk.test", "p1@example.ro", "");
    assert_eq!(
        opened(desk.ingest_email(&person).await.unwrap()).department,
        f.billing.id
    );

    // Set the other way round, in the store: the same process follows on its next call.
    admin
        .set_mail_settings(MailDefaults {
            list_mail: Some(ListMail::Ignore),
            ..MailDefaults::default()
        })
        .await
        .unwrap();
    admin
        .set_department_mail_address(
            f.billing.id,
            Some(DepartmentAddress {
                address: email("billing@desk.test"),
                list_mail: ListMail::TakeIn,
            }),
        )
        .await
        .unwrap();
    let again = mail("ana@example.ro", "support@desk.test", "l4@example.ro", list);
    assert_eq!(
        desk.ingest_email(&again).await.unwrap(),
        Ingested::Ignored(MailClass::List)
    );
    let billing = mail("ana@example.ro", "billing@desk.test", "l5@example.ro", list);
    assert_eq!(
        opened(desk.ingest_email(&billing).await.unwrap()).department,
        f.billing.id
    );
}

pub async fn the_stored_answer_limit_applies_in_every_process(store: Arc<dyn Store>) {
    if ability(store.as_settings_store(), "settings").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    // One process, configured in code with the default limit (10).
    let first = f
        .desk
        .clone()
        .with_mail(MailSettings::new(email("support@desk.test"), f.support.id));
    // An admin stores a limit of 1 through another process.
    let other = bare(&f, &store);
    other
        .acting_as(Actor::Agent(f.admin.id))
        .await
        .unwrap()
        .set_mail_settings(MailDefaults {
            auto_answers_per_hour: Some(1),
            ..MailDefaults::default()
        })
        .await
        .unwrap();
    assert_eq!(
        first
            .mail_in_force()
            .await
            .unwrap()
            .unwrap()
            .auto_answers_per_hour,
        1
    );
    let mut answered = Vec::new();
    for i in 0..2 {
        let raw = mail(
            "vera@example.ro",
            "support@desk.test",
            &format!("v{i}@example.ro"),
            "",
        );
        let t = opened(first.ingest_email(&raw).await.unwrap());
        answered.push(store.ticket_emails(t.id).await.unwrap().len());
    }
    assert_eq!(answered, [1, 0]);
    // The process without mail settings in code has no channel: the stored ones name no
    // address and no inbound department.
    assert!(other.mail_in_force().await.unwrap().is_none());
}
