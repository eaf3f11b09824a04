//! Taking mail from an IMAP mailbox on a real server (Dovecot on loopback, started by the
//! test): each message taken in once and then flagged, moved or deleted; a message stored
//! before a crash and not yet flagged is not taken twice; two processes reading one mailbox
//! at once take each message once; a watched mailbox takes new mail as IDLE reports it;
//! bytes that are not mail stay in the mailbox, flagged.

mod dovecot;
mod stored;

use std::sync::Arc;
use std::time::{Duration, Instant};

use dovecot::Dovecot;
use helpdesk::Helpdesk;
use helpdesk::imap::{AfterTaken, FetchReport, ImapError, ImapFetcher, REFUSED, TAKEN};
use helpdesk::listing::TicketFilter;
use helpdesk::service::{MailDefaults, MailSettings};
use helpdesk::sqlite::SqliteStore;
use helpdesk::store::Store;
use helpdesk_core::testkit::Fixture;
use helpdesk_core::testkit::samples::email;

const DESK: &str = "support@desk.test";

/// A person's mail from `from` with `subject`.
fn mail(from: &str, subject: &str, id: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {DESK}\r\nSubject: {subject}\r\nMessage-ID: <{id}@mail.test>\r\n\
         Date: Mon, 5 Jan 2026 10:00:00 +0200\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{subject}: это не работает.\r\n"
    )
    .into_bytes()
}

/// An out-of-office answer (automatic: never a ticket).
fn out_of_office(id: &str) -> Vec<u8> {
    format!(
        "From: away@customer.test\r\nTo: {DESK}\r\nSubject: Out of office\r\n\
         Auto-Submitted: auto-replied\r\nMessage-ID: <{id}@mail.test>\r\n\r\nI am away.\r\n"
    )
    .into_bytes()
}

async fn desk(store: Arc<dyn Store>) -> (Fixture, Helpdesk) {
    let f = Fixture::new(store).await;
    let desk = f
        .desk
        .clone()
        .with_mail(MailSettings::new(email(DESK), f.support.id));
    (f, desk)
}

async fn tickets(desk: &Helpdesk, filter: TicketFilter) -> u64 {
    desk.as_system().count_tickets(filter).await.unwrap()
}

fn flagged(flags: &[(u32, Vec<String>)], flag: &str) -> usize {
    flags
        .iter()
        .filter(|(_, f)| f.iter().any(|x| x.contains(flag)))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_is_taken_in_once_and_then_flagged() {
    let Some(server) = Dovecot::start(&["help"]) else {
        return;
    };
    let (_f, desk) = desk(Arc::new(SqliteStore::open_in_memory().await.unwrap())).await;
    server
        .deliver("help", "INBOX", &mail("ana@customer.test", "Router", "a1"))
        .await;
    server
        .deliver("help", "INBOX", &mail("ion@customer.test", "Factura", "a2"))
        .await;
    server.deliver("help", "INBOX", &out_of_office("a3")).await;
    let fetcher = ImapFetcher::new(&desk, server.mailbox("help"))
        .await
        .unwrap();

    let first = fetcher.fetch_once().await.unwrap();
    assert_eq!((first.opened, first.ignored, first.total()), (2, 1, 3));
    let flags = server.flags("help", "INBOX").await;
    assert_eq!(flags.len(), 3, "flagged messages stay in the mailbox");
    assert_eq!(flagged(&flags, TAKEN), 3, "{flags:?}");
    assert_eq!(flagged(&flags, "Seen"), 3, "{flags:?}");

    let second = fetcher.fetch_once().await.unwrap();
    assert_eq!(second, FetchReport::default(), "nothing is fetched twice");
    assert_eq!(tickets(&desk, TicketFilter::default()).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_stored_but_not_flagged_before_a_crash_is_not_a_second_ticket() {
    let Some(server) = Dovecot::start(&["help"]) else {
        return;
    };
    let (_f, desk) = desk(Arc::new(SqliteStore::open_in_memory().await.unwrap())).await;
    server
        .deliver("help", "INBOX", &mail("ana@customer.test", "Router", "b1"))
        .await;
    let fetcher = ImapFetcher::new(&desk, server.mailbox("help"))
        .await
        .unwrap();
    assert_eq!(fetcher.fetch_once().await.unwrap().opened, 1);
    // The flags never reached the server (the process died after the commit).
    server
        .clear_flags("help", "INBOX", &format!("\\Seen {TAKEN}"))
        .await;

    let again = fetcher.fetch_once().await.unwrap();
    assert_eq!((again.opened, again.duplicates), (0, 1));
    assert_eq!(flagged(&server.flags("help", "INBOX").await, TAKEN), 1);
    assert_eq!(tickets(&desk, TicketFilter::default()).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_reading_one_mailbox_at_once_take_each_message_once() {
    let Some(server) = Dovecot::start(&["help"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.db");
    let (_f, first) = desk(Arc::new(SqliteStore::open(&path).await.unwrap())).await;
    // A second process: its own connection to the same database file.
    let second = Helpdesk::new(Arc::new(SqliteStore::open(&path).await.unwrap()))
        .with_mail(first.mail_settings().unwrap().clone());
    for i in 0..12 {
        let from = format!("client{i}@customer.test");
        server
            .deliver(
                "help",
                "INBOX",
                &mail(&from, &format!("Întrebare {i}"), &format!("c{i}")),
            )
            .await;
    }
    let a = ImapFetcher::new(&first, server.mailbox("help"))
        .await
        .unwrap();
    let b = ImapFetcher::new(&second, server.mailbox("help"))
        .await
        .unwrap();

    let (ra, rb) = tokio::join!(a.fetch_once(), b.fetch_once());
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    eprintln!("process A: {ra:?}\nprocess B: {rb:?}");
    assert_eq!(
        ra.opened + rb.opened,
        12,
        "each message opened exactly one ticket"
    );
    assert_eq!(tickets(&first, TicketFilter::default()).await, 12);
    assert_eq!(flagged(&server.flags("help", "INBOX").await, TAKEN), 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moved_messages_leave_the_inbox_and_open_tickets_in_the_mailboxs_department() {
    let Some(server) = Dovecot::start(&["billing"]) else {
        return;
    };
    let (f, desk) = desk(Arc::new(SqliteStore::open_in_memory().await.unwrap())).await;
    // The stored inbound department is another one: the mailbox's wins.
    let stored = MailDefaults {
        inbound_department: Some(f.support.id),
        ..MailDefaults::default()
    };
    desk.as_system().set_mail_settings(stored).await.unwrap();
    server
        .deliver(
            "billing",
            "INBOX",
            &mail("ana@customer.test", "Factura greșită", "d1"),
        )
        .await;
    let mailbox = server
        .mailbox("billing")
        .with_department("billing")
        .with_after(AfterTaken::MoveTo("Helpdesk".to_owned()));
    let report = ImapFetcher::new(&desk, mailbox)
        .await
        .unwrap()
        .fetch_once()
        .await
        .unwrap();
    assert_eq!(report.opened, 1);
    assert!(server.flags("billing", "INBOX").await.is_empty());
    assert_eq!(server.flags("billing", "Helpdesk").await.len(), 1);
    let in_billing = TicketFilter {
        departments: Some(vec![f.billing.id]),
        ..TicketFilter::default()
    };
    assert_eq!(tickets(&desk, in_billing).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_messages_leave_the_mailbox_once_stored() {
    let Some(server) = Dovecot::start(&["help"]) else {
        return;
    };
    let (_f, desk) = desk(Arc::new(SqliteStore::open_in_memory().await.unwrap())).await;
    server
        .deliver("help", "INBOX", &mail("ana@customer.test", "Router", "e1"))
        .await;
    let mailbox = server.mailbox("help").with_after(AfterTaken::Delete);
    let fetcher = ImapFetcher::new(&desk, mailbox).await.unwrap();
    assert_eq!(fetcher.fetch_once().await.unwrap().opened, 1);
    assert!(server.flags("help", "INBOX").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bytes_that_are_not_mail_stay_in_the_mailbox_flagged_and_are_not_fetched_again() {
    let Some(server) = Dovecot::start(&["help"]) else {
        return;
    };
    let (_f, desk) = desk(Arc::new(SqliteStore::open_in_memory().await.unwrap())).await;
    server
        .deliver("help", "INBOX", b"just some text, no header at all\r\n")
        .await;
    let fetcher = ImapFetcher::new(&desk, server.mailbox("help"))
        .await
        .unwrap();
    let report = fetcher.fetch_once().await.unwrap();
    assert_eq!(report.refused.len(), 1, "{report:?}");
    assert!(report.refused[0].1.contains("not an e-mail"), "{report:?}");
    let flags = server.flags("help", "INBOX").await;
    assert_eq!(flagged(&flags, REFUSED), 1, "{flags:?}");
    assert_eq!(flagged(&flags, "Seen"), 0, "left unread for a person");
    assert_eq!(fetcher.fetch_once().await.unwrap(), FetchReport::default());
    assert_eq!(tickets(&desk, TicketFilter::default()).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watched_mailbox_takes_new_mail_when_idle_reports_it() {
    let Some(server) = Dovecot::start(&["help"]) else {
        return;
    };
    let (_f, desk) = desk(Arc::new(SqliteStore::open_in_memory().await.unwrap())).await;
    let fetcher = ImapFetcher::new(&desk, server.mailbox("help"))
        .await
        .unwrap();
    let (rounds_tx, mut rounds) = tokio::sync::mpsc::unbounded_channel();
    // A poll interval far longer than the test: only IDLE can wake the watcher in time.
    let watching = tokio::spawn(async move {
        fetcher
            .watch(Duration::from_secs(600), move |round| {
                let _ = rounds_tx.send(
                    round
                        .as_ref()
                        .map(FetchReport::total)
                        .map_err(|e| e.to_string()),
                );
            })
            .await
    });
    assert_eq!(
        rounds.recv().await.unwrap(),
        Ok(0),
        "the first round finds nothing"
    );
    // Give the watcher a moment to enter IDLE, then deliver.
    tokio::time::sleep(Duration::from_millis(300)).await;
    server
        .deliver(
            "help",
            "INBOX",
            &mail("reza@customer.test", "اینترنت قطع است", "f1"),
        )
        .await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let round = tokio::time::timeout_at(deadline.into(), rounds.recv())
            .await
            .expect("IDLE woke the watcher")
            .unwrap();
        if round == Ok(1) {
            break;
        }
        assert!(round.is_ok(), "{round:?}");
    }
    watching.abort();
    assert_eq!(tickets(&desk, TicketFilter::default()).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_a_login_error_that_retrying_will_not_fix() {
    let Some(server) = Dovecot::start(&["help"]) else {
        return;
    };
    let (_f, desk) = desk(Arc::new(SqliteStore::open_in_memory().await.unwrap())).await;
    let url = format!("imap://help:wrong@127.0.0.1:{}/INBOX", server.port);
    let fetcher = ImapFetcher::new(&desk, url.parse().unwrap()).await.unwrap();
    let err = fetcher.fetch_once().await.unwrap_err();
    assert!(matches!(err, ImapError::Login { .. }), "{err:?}");
    assert!(!err.is_transient());
    assert!(
        !format!("{err:?}").contains("wrong"),
        "the password never shows"
    );
}

#[tokio::test]
async fn a_mailbox_for_an_unknown_department_is_refused_before_connecting() {
    let (_f, desk) = desk(Arc::new(SqliteStore::open_in_memory().await.unwrap())).await;
    let mailbox = "imap://u:p@127.0.0.1:1/INBOX?department=Nowhere"
        .parse()
        .unwrap();
    let err = ImapFetcher::new(&desk, mailbox).await.unwrap_err();
    assert!(
        matches!(err, ImapError::Config(ref m) if m.contains("Nowhere")),
        "{err:?}"
    );
}
