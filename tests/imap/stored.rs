//! Mailboxes stored for departments, fetched from a real server (the Dovecot of
//! [`dovecot`](super::dovecot)): a stored mailbox's mail lands in its department exactly
//! once, each round recorded; the watcher picks up a mailbox stored after it started, and a
//! changed password, without a restart.

use std::sync::Arc;
use std::time::{Duration, Instant};

use helpdesk::imap::{WatchEvent, fetch_stored, watch_stored};
use helpdesk::listing::TicketFilter;
use helpdesk::service::MailboxPassword;
use helpdesk::sqlite::SqliteStore;
use helpdesk::store::{MailboxAfter, MailboxSecurity, MailboxSettings};
use helpdesk_core::testkit::Fixture;

use super::dovecot::{Dovecot, PASSWORD};
use super::{desk, mail, tickets};

/// The settings of `user`'s INBOX on `server`, into `department`.
fn stored(
    server: &Dovecot,
    department: helpdesk::domain::DepartmentId,
    user: &str,
) -> MailboxSettings {
    let mut s = MailboxSettings::new(department, "127.0.0.1", user);
    s.port = server.port;
    s.security = MailboxSecurity::Plain;
    s
}

fn in_department(department: helpdesk::domain::DepartmentId) -> TicketFilter {
    TicketFilter {
        departments: Some(vec![department]),
        ..TicketFilter::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mailbox_stored_for_a_department_is_fetched_into_it_once_and_its_rounds_recorded() {
    let Some(server) = Dovecot::start(&["billing"]) else {
        return;
    };
    let (f, desk) = desk(Arc::new(SqliteStore::open_in_memory().await.unwrap())).await;
    let admin = f.as_agent(&f.admin).await;
    let mut settings = stored(&server, f.billing.id, "billing");
    settings.after = MailboxAfter::Move;
    settings.move_to = Some("Preluate".to_owned());
    let mailbox = admin
        .add_mailbox(settings, MailboxPassword::parse(PASSWORD).unwrap())
        .await
        .unwrap();
    server
        .deliver(
            "billing",
            "INBOX",
            &mail("ana@customer.test", "Factura greșită", "s1"),
        )
        .await;

    for _ in 0..2 {
        for login in desk.mailboxes_to_fetch().await.unwrap() {
            fetch_stored(&desk, &login).await.unwrap();
        }
    }
    assert_eq!(tickets(&desk, in_department(f.billing.id)).await, 1);
    assert_eq!(
        tickets(&desk, TicketFilter::default()).await,
        1,
        "exactly once"
    );
    assert!(server.flags("billing", "INBOX").await.is_empty());
    assert_eq!(server.flags("billing", "Preluate").await.len(), 1);
    let round = admin.mailbox(mailbox.id).await.unwrap().last_round.unwrap();
    assert_eq!(
        (round.taken, round.error),
        (0, None),
        "the second round took nothing"
    );

    // A wrong password is recorded as the round's error, without the password.
    let mut wrong = admin.mailbox(mailbox.id).await.unwrap().settings;
    wrong.poll_seconds = 30;
    admin
        .edit_mailbox(
            mailbox.id,
            wrong,
            Some(MailboxPassword::parse("wrong-one").unwrap()),
        )
        .await
        .unwrap();
    let login = desk.mailbox_login(mailbox.id).await.unwrap();
    assert!(fetch_stored(&desk, &login).await.is_err());
    let error = admin
        .mailbox(mailbox.id)
        .await
        .unwrap()
        .last_round
        .unwrap()
        .error
        .unwrap();
    assert!(error.contains("refused the login of billing"), "{error}");
    assert!(!error.contains("wrong-one"), "{error}");
}

/// Waits for a round of mailbox `id` that took `taken` messages, failing on a timeout.
async fn round_taking(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<WatchEvent>,
    id: helpdesk::domain::MailboxId,
    taken: usize,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let event = tokio::time::timeout_at(deadline.into(), events.recv())
            .await
            .expect("a round in time")
            .unwrap();
        match event {
            WatchEvent::Round(m, Ok(report)) if m.id == id && report.total() == taken => return,
            WatchEvent::Round(m, Err(e)) if m.id == id => eprintln!("round failed: {e}"),
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watcher_picks_up_stored_mailboxes_added_changed_and_removed_without_a_restart() {
    let Some(server) = Dovecot::start(&["help", "billing"]) else {
        return;
    };
    let (f, desk): (Fixture, _) =
        desk(Arc::new(SqliteStore::open_in_memory().await.unwrap())).await;
    let admin = f.as_agent(&f.admin).await;
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let watching = {
        let desk = desk.clone();
        tokio::spawn(async move {
            watch_stored(&desk, Duration::from_millis(200), move |event| {
                let _ = tx.send(event.clone());
            })
            .await;
        })
    };
    // Stored after the watcher started, with a wrong password first.
    let mailbox = admin
        .add_mailbox(
            stored(&server, f.billing.id, "billing"),
            MailboxPassword::parse("wrong-one").unwrap(),
        )
        .await
        .unwrap();
    server
        .deliver(
            "billing",
            "INBOX",
            &mail("ion@customer.test", "Plată dublă", "w1"),
        )
        .await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let event = tokio::time::timeout_at(deadline.into(), events.recv())
            .await
            .expect("the watcher tried the new mailbox")
            .unwrap();
        if matches!(&event, WatchEvent::Round(m, Err(e)) if m.id == mailbox.id && e.contains("refused the login"))
        {
            break;
        }
    }
    // The right password: started anew, the waiting mail taken into Billing once.
    let settings = admin.mailbox(mailbox.id).await.unwrap().settings;
    admin
        .edit_mailbox(
            mailbox.id,
            settings,
            Some(MailboxPassword::parse(PASSWORD).unwrap()),
        )
        .await
        .unwrap();
    round_taking(&mut events, mailbox.id, 1).await;
    assert_eq!(tickets(&desk, in_department(f.billing.id)).await, 1);
    let round = admin.mailbox(mailbox.id).await.unwrap().last_round.unwrap();
    assert_eq!(round.error, None);

    // Removed: stopped; mail arriving afterwards stays in the mailbox.
    admin.remove_mailbox(mailbox.id).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let event = tokio::time::timeout_at(deadline.into(), events.recv())
            .await
            .expect("the watcher stopped the removed mailbox")
            .unwrap();
        if event == WatchEvent::Stopped(mailbox.id) {
            break;
        }
    }
    server
        .deliver(
            "billing",
            "INBOX",
            &mail("ion@customer.test", "Încă una", "w2"),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    watching.abort();
    assert_eq!(tickets(&desk, TicketFilter::default()).await, 1);
}
