//! Nothing a person sent is lost, through the desk: a person's mail that cannot be taken in
//! (here: the department it goes to no longer accepts tickets) is kept whole in the
//! quarantine with the reason, nothing else written; admins read, reprocess and discard it;
//! bytes that are not mail stay a validation error; ignored list mail is logged.

use std::sync::Arc;

use crate::Helpdesk;
use crate::clock::Clock;
use crate::domain::{Actor, Department, QuarantineId};
use crate::error::{Error, ForbiddenReason};
use crate::mail::MailClass;
use crate::service::{Ingested, ListMail, MailDefaults, MailSettings};
use crate::store::{Store, TicketFilter};
use crate::testkit::samples::email;
use crate::testkit::{Fixture, ability};

/// A plain mail from `from` with `message_id` and more `headers`.
fn mail(from: &str, message_id: &str, headers: &str) -> Vec<u8> {
    format!(
        "From: Ana <{from}>\r\nTo: support@desk.test\r\nSubject: Imprimanta\r\n\
         Message-ID: <{message_id}>\r\nDate: Mon, 5 Jan 2026 10:00:00 +0200\r\n{headers}\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNu merge.\r\n"
    )
    .into_bytes()
}

fn now(f: &Fixture) -> chrono::DateTime<chrono::Utc> {
    crate::clock::to_micros(f.clock.now())
}

fn quarantined(outcome: Ingested) -> QuarantineId {
    match outcome {
        Ingested::Quarantined(id) => id,
        other => panic!("expected the quarantine, got {other:?}"),
    }
}

/// The fixture's desk taking mail into support, and support closed to new tickets.
async fn closed_support(f: &Fixture, store: &Arc<dyn Store>) -> Helpdesk {
    set_support_active(f, store, false).await;
    f.desk
        .clone()
        .with_mail(MailSettings::new(email("support@desk.test"), f.support.id))
}

async fn set_support_active(f: &Fixture, store: &Arc<dyn Store>, active: bool) {
    let support = Department {
        active,
        ..f.support.clone()
    };
    store.put_department(&support).await.unwrap();
}

pub async fn mail_the_desk_cannot_take_in_is_kept_whole_and_nothing_else_is_written(
    store: Arc<dyn Store>,
) {
    let Some(q) = ability(store.as_mail_quarantine(), "mail quarantine") else {
        return;
    };
    let f = Fixture::new(store.clone()).await;
    let desk = closed_support(&f, &store).await;
    let tickets_before = store.count_tickets(&TicketFilter::default()).await.unwrap();
    let raw = mail("stranger@example.ro", "q1@example.ro", "");
    let id = quarantined(desk.ingest_email(&raw).await.unwrap());

    let kept = q.quarantined_mail(id).await.unwrap().expect("kept");
    assert_eq!(kept.code, "validation");
    assert!(
        kept.reason.contains("not accepting tickets"),
        "{}",
        kept.reason
    );
    assert_eq!(kept.summary.sender.as_deref(), Some("stranger@example.ro"));
    assert_eq!(kept.summary.subject.as_deref(), Some("Imprimanta"));
    assert_eq!(kept.summary.message_id.as_deref(), Some("q1@example.ro"));
    assert_eq!(kept.attempts, 1);
    assert_eq!(kept.received_at, now(&f));
    assert_eq!(kept.size, raw.len() as u64);
    assert_eq!(q.quarantined_mail_bytes(id).await.unwrap(), Some(raw));
    // Nothing else: no ticket, no Message-ID filed.
    assert_eq!(
        store.count_tickets(&TicketFilter::default()).await.unwrap(),
        tickets_before
    );
    assert_eq!(store.mail_reference("q1@example.ro").await.unwrap(), None);

    // Bytes that are not mail stay a validation error, and are not kept.
    let err = desk.ingest_email(b"\x00\x01 not a mail").await.unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    assert_eq!(q.quarantined_mails(None, 10).await.unwrap().len(), 1);
}

pub async fn an_admin_reprocesses_quarantined_mail_and_it_leaves_once_taken_in(
    store: Arc<dyn Store>,
) {
    if ability(store.as_mail_quarantine(), "mail quarantine").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let desk = closed_support(&f, &store).await;
    let first = quarantined(
        desk.ingest_email(&mail("ana@example.ro", "r1@example.ro", ""))
            .await
            .unwrap(),
    );
    let second = quarantined(
        desk.ingest_email(&mail("ana@example.ro", "r2@example.ro", ""))
            .await
            .unwrap(),
    );
    let admin = desk.acting_as(Actor::Agent(f.admin.id)).await.unwrap();
    let listed: Vec<_> = admin.quarantined_mails(None, 10).await.unwrap();
    assert_eq!(
        listed.iter().map(|m| m.id).collect::<Vec<_>>(),
        [second, first],
        "newest first"
    );

    // Still failing: it stays, with the new try counted.
    f.clock.advance(chrono::Duration::minutes(5));
    assert_eq!(
        admin.reprocess_quarantined(first).await.unwrap(),
        Ingested::Quarantined(first)
    );
    let again = admin.quarantined_mail(first).await.unwrap();
    assert_eq!(again.attempts, 2);
    assert_eq!(again.tried_at, now(&f));
    assert!(again.tried_at > again.received_at);

    // Taken in now: a ticket, and the quarantine no longer holds it.
    set_support_active(&f, &store, true).await;
    let ticket = match admin.reprocess_quarantined(first).await.unwrap() {
        Ingested::Opened(t) => t,
        other => panic!("expected a ticket, got {other:?}"),
    };
    assert_eq!(ticket.department, f.support.id);
    assert!(matches!(
        admin.quarantined_mail(first).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        admin.reprocess_quarantined(first).await,
        Err(Error::NotFound { .. })
    ));

    // Discarded: gone, once.
    admin.discard_quarantined(second).await.unwrap();
    assert!(matches!(
        admin.discard_quarantined(second).await,
        Err(Error::NotFound { .. })
    ));
    assert!(admin.quarantined_mails(None, 10).await.unwrap().is_empty());
    assert!(matches!(
        admin.quarantined_mails(None, 0).await,
        Err(Error::Validation(_))
    ));
}

pub async fn only_admins_reach_the_quarantine_and_the_ignored_mail_log(store: Arc<dyn Store>) {
    if ability(store.as_mail_quarantine(), "mail quarantine").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let desk = closed_support(&f, &store).await;
    let id = quarantined(
        desk.ingest_email(&mail("ana@example.ro", "o1@example.ro", ""))
            .await
            .unwrap(),
    );
    let admin_only = |e: Error| {
        assert!(
            matches!(
                e,
                Error::Forbidden {
                    reason: ForbiddenReason::AdminOnly
                }
            ),
            "{e:?}"
        );
    };
    for who in [
        f.as_agent(&f.ivan).await,
        f.as_agent(&f.boss).await,
        f.as_customer(&f.ana).await,
    ] {
        admin_only(who.quarantined_mails(None, 10).await.unwrap_err());
        admin_only(who.quarantined_mail(id).await.unwrap_err());
        admin_only(who.quarantined_mail_bytes(id).await.unwrap_err());
        admin_only(who.reprocess_quarantined(id).await.unwrap_err());
        admin_only(who.discard_quarantined(id).await.unwrap_err());
        admin_only(who.ignored_mails(None, 10).await.unwrap_err());
    }
    let admin = f.as_agent(&f.admin).await;
    assert_eq!(admin.quarantined_mail(id).await.unwrap().attempts, 1);
}

pub async fn ignored_list_mail_is_logged_without_its_bytes(store: Arc<dyn Store>) {
    if ability(store.as_mail_quarantine(), "mail quarantine").is_none()
        || ability(store.as_settings_store(), "settings").is_none()
    {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let admin = f.as_agent(&f.admin).await;
    admin
        .set_mail_settings(MailDefaults {
            list_mail: Some(ListMail::Ignore),
            ..MailDefaults::default()
        })
        .await
        .unwrap();
    let desk = f
        .desk
        .clone()
        .with_mail(MailSettings::new(email("support@desk.test"), f.support.id));
    let list = mail(
        "ana@example.ro",
        "list1@example.ro",
        "List-Id: <printers.example.ro>\r\n",
    );
    assert_eq!(
        desk.ingest_email(&list).await.unwrap(),
        Ingested::Ignored(MailClass::List)
    );
    let log = admin.ignored_mails(None, 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].why, "list mail");
    assert_eq!(log[0].at, now(&f));
    assert_eq!(log[0].summary.sender.as_deref(), Some("ana@example.ro"));
    assert_eq!(log[0].summary.subject.as_deref(), Some("Imprimanta"));
    assert_eq!(
        log[0].summary.message_id.as_deref(),
        Some("list1@example.ro")
    );
    // Ignored mail is not quarantined.
    assert!(admin.quarantined_mails(None, 10).await.unwrap().is_empty());
}
