//! `ingest --recipient` matches a bounce sent back to the desk's VERP address to the e-mail
//! that bounced; a permanent failure marks the address, which `undeliverable list|clear`
//! show and clear for admins only; `mail-settings set --verp --undeliverable-hours`.

use helpdesk::domain::{Email, TicketId};
use helpdesk::mail::verp::verp_address;
use helpdesk::sqlite::SqliteStore;
use helpdesk::store::Store;

use crate::support::*;

const INGEST: [&str; 5] = [
    "ingest",
    "--from",
    "help@desk.example",
    "--department",
    "Support",
];

/// A delivery-status report that quotes nothing of the returned mail.
const BOUNCE: &str = "From: MAILER-DAEMON@mx.example.com\r\nTo: help@desk.example\r\n\
Subject: Undelivered Mail\r\nMessage-ID: <dsn-c1@mx.example.com>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n\
--R\r\nContent-Type: text/plain\r\n\r\nNo luck.\r\n\
--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n\
Final-Recipient: rfc822; ana@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 User unknown\r\n\r\n--R--\r\n";

#[tokio::test]
async fn a_bounce_to_the_verp_recipient_marks_the_address_and_admins_list_and_clear_it() {
    let desk = Desk::with_directory().await;
    let mail = "From: Ana Popescu <ana@example.com>\r\nTo: help@desk.example\r\n\
Subject: Imprimanta\r\nMessage-ID: <c1@example.com>\r\n\r\nNu merge.\r\n";
    let opened = desk
        .run_with(&[&["--json"], &INGEST[..]].concat(), mail)
        .await
        .json();
    let ticket: TicketId = opened["ticket"]["id"].as_str().unwrap().parse().unwrap();
    let store = SqliteStore::open(&desk.db).await.unwrap();
    let ack = store.ticket_emails(ticket).await.unwrap()[0].clone();
    let from = Email::parse("help@desk.example").unwrap();
    let verp = verp_address(&from, ack.id).unwrap();

    // Its headers name nothing of the desk's: ignored, unless the mail server says where it
    // delivered it.
    let ignored = desk.run_with(&INGEST, BOUNCE).await.ok();
    assert_eq!(ignored, "ignored bounce\n");
    let bad = desk
        .run_with(
            &[&INGEST[..], &["--recipient", "not an address"]].concat(),
            BOUNCE,
        )
        .await;
    // A recipient that is no address is the set-up's fault, not the mail's: the mail server
    // keeps the mail and tries again (75).
    assert_eq!(bad.code, 75, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("not an e-mail address"),
        "{}",
        bad.stderr
    );
    let noted = desk
        .run_with(
            &[&INGEST[..], &["--recipient", verp.as_str()]].concat(),
            BOUNCE,
        )
        .await
        .ok();
    assert_eq!(noted, format!("bounce_noted {ticket}\n"));

    let listed = desk.run(&["undeliverable", "list"]).await.ok();
    // A week from the bounce (each run moves the test clock on a little).
    assert!(
        listed.starts_with("ana@example.com  until 2026-01-12 09:")
            && listed.ends_with("  5.1.1  smtp; 550 User unknown\n"),
        "{listed}"
    );
    let json = desk.run(&["--json", "undeliverable", "list"]).await.json();
    assert_eq!(json[0]["address"], "ana@example.com");
    assert_eq!(json[0]["outbox_id"], ack.id.to_string());
    let after = desk
        .run(&[
            "--json",
            "undeliverable",
            "list",
            "--after",
            "ana@example.com",
        ])
        .await
        .json();
    assert_eq!(after.as_array().unwrap().len(), 0);
    for who in ["agent:ivan@example.com", "customer:ana@example.com"] {
        let refused = desk.run(&["--as", who, "undeliverable", "list"]).await;
        assert_eq!(refused.code, 4, "{}", refused.stdout);
        let refused = desk
            .run(&["--as", who, "undeliverable", "clear", "ana@example.com"])
            .await;
        assert_eq!(refused.code, 4, "{}", refused.stdout);
    }
    assert_eq!(
        desk.run(&["undeliverable", "clear", "ana@example.com"])
            .await
            .ok(),
        "cleared ana@example.com\n"
    );
    let twice = desk
        .run(&["undeliverable", "clear", "ana@example.com"])
        .await;
    assert_eq!(twice.code, 3, "{}", twice.stdout);
    assert_eq!(
        desk.run(&["undeliverable", "list"]).await.ok(),
        "no undeliverable addresses\n"
    );
}

#[tokio::test]
async fn mail_settings_set_verp_and_how_long_an_address_stays_undeliverable() {
    let desk = Desk::with_directory().await;
    let shown = desk
        .run(&[
            "mail-settings",
            "set",
            "--from",
            "help@desk.example",
            "--verp",
            "off",
            "--undeliverable-hours",
            "48",
        ])
        .await
        .ok();
    assert!(
        shown.contains("verp  off\nundeliverable-hours  48\n"),
        "{shown}"
    );
    let json = desk.run(&["--json", "mail-settings", "show"]).await.json();
    assert_eq!(json["verp"], false);
    assert_eq!(json["undeliverable_hours"], 48);
    let too_long = desk
        .run(&["mail-settings", "set", "--undeliverable-hours", "9000"])
        .await;
    assert_ne!(too_long.code, 0);
    let unset = desk
        .run(&["mail-settings", "unset", "verp", "undeliverable-hours"])
        .await
        .ok();
    assert!(
        unset.contains("verp  -\nundeliverable-hours  -\n"),
        "{unset}"
    );
}
