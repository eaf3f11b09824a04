//! `ingest` keeps a person's mail it cannot take in (`quarantined ID`, exit 0) and refuses
//! only bytes that are not mail (65); `quarantine list|show|raw|reprocess|discard|ignored`
//! let admins see and handle what was kept, and refuse everyone else.

use serde_json::json;

use crate::support::*;

fn mail(message_id: &str, headers: &str) -> String {
    format!(
        "From: Ana Popescu <ana@example.com>\r\nTo: help@desk.example\r\nSubject: Imprimanta\r\n\
         Message-ID: <{message_id}>\r\nDate: Mon, 5 Jan 2026 09:00:00 +0000\r\n{headers}\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNu merge.\r\n"
    )
}

const INGEST: [&str; 5] = [
    "ingest",
    "--from",
    "help@desk.example",
    "--department",
    "Support",
];

#[tokio::test]
async fn ingest_quarantines_mail_it_cannot_take_in_and_admins_reprocess_or_discard_it() {
    let desk = Desk::with_directory().await;
    desk.run(&["department", "edit", "Support", "--disable"])
        .await
        .ok();
    let raw = mail("q1@example.com", "");
    let kept = desk.run_with(&INGEST, &raw).await.ok();
    let id = kept
        .strip_prefix("quarantined ")
        .unwrap_or_else(|| panic!("{kept}"))
        .trim()
        .to_owned();
    let second = desk
        .run_with(
            &[&["--json"], &INGEST[..]].concat(),
            &mail("q2@example.com", ""),
        )
        .await
        .json();
    assert_eq!(second["outcome"], "quarantined");
    let second = second["detail"].as_str().unwrap().to_owned();
    // Bytes that are not mail: 65, and nothing kept.
    let not_mail = desk.run_with(&INGEST, "\u{1}\u{2} not a mail").await;
    assert_eq!(not_mail.code, 65, "{}", not_mail.stderr);

    let listed = desk.run(&["--json", "quarantine", "list"]).await.json();
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [second.as_str(), id.as_str()], "newest first");
    let page = desk
        .run(&[
            "--json",
            "quarantine",
            "list",
            "--before",
            &second,
            "--limit",
            "1",
        ])
        .await
        .json();
    assert_eq!(page[0]["id"], json!(id));
    let human = desk.run(&["quarantine", "list"]).await.ok();
    assert!(
        human.contains("validation  ana@example.com  Imprimanta"),
        "{human}"
    );

    let shown = desk
        .run(&["--json", "quarantine", "show", &id])
        .await
        .json();
    assert_eq!(shown["summary"]["message_id"], "q1@example.com");
    assert_eq!(shown["attempts"], 1);
    let shown = desk.run(&["quarantine", "show", &id]).await.ok();
    assert!(
        shown.contains("reason: department: is not accepting tickets"),
        "{shown}"
    );
    assert_eq!(desk.run(&["quarantine", "raw", &id]).await.ok(), raw);

    // Still failing: it stays; taken in once Support is open again: it leaves.
    let again = desk.run(&["quarantine", "reprocess", &id]).await.ok();
    assert_eq!(again, format!("quarantined {id}\n"));
    desk.run(&["department", "edit", "Support", "--enable"])
        .await
        .ok();
    let taken = desk
        .run(&["--json", "quarantine", "reprocess", &id])
        .await
        .json();
    assert_eq!(taken["outcome"], "opened");
    assert_eq!(taken["ticket"]["subject"], "Imprimanta");
    let gone = desk.run(&["quarantine", "show", &id]).await;
    assert_eq!(gone.code, 3, "{}", gone.stdout);

    assert_eq!(
        desk.run(&["quarantine", "discard", &second]).await.ok(),
        format!("discarded {second}\n")
    );
    let twice = desk.run(&["quarantine", "discard", &second]).await;
    assert_eq!(twice.code, 3, "{}", twice.stdout);
    assert_eq!(
        desk.run(&["quarantine", "list"]).await.ok(),
        "no quarantined mail\n"
    );
    let bad = desk.run(&["quarantine", "show", "not-an-id"]).await;
    assert_eq!(bad.code, 2, "{}", bad.stderr);

    for who in ["agent:ivan@example.com", "customer:ana@example.com"] {
        for cmd in [&["quarantine", "list"][..], &["quarantine", "ignored"][..]] {
            let refused = desk.run(&[&["--as", who][..], cmd].concat()).await;
            assert_eq!(refused.code, 4, "{}", refused.stdout);
        }
    }
}

#[tokio::test]
async fn ignored_list_mail_is_listed_for_admins() {
    let desk = Desk::with_directory().await;
    desk.run(&[
        "mail-settings",
        "set",
        "--from",
        "help@desk.example",
        "--list-mail",
        "ignore",
    ])
    .await
    .ok();
    assert_eq!(
        desk.run(&["quarantine", "ignored"]).await.ok(),
        "no ignored mail\n"
    );
    let list = mail("l1@example.com", "List-Id: <printers.example.com>\r\n");
    let ignored = desk.run_with(&["ingest"], &list).await.ok();
    assert!(ignored.starts_with("ignored"), "{ignored}");
    let log = desk.run(&["--json", "quarantine", "ignored"]).await.json();
    assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
    assert_eq!(log[0]["why"], "list mail");
    assert_eq!(log[0]["summary"]["sender"], "ana@example.com");
    let human = desk.run(&["quarantine", "ignored"]).await.ok();
    assert!(
        human.contains("list mail  ana@example.com  Imprimanta"),
        "{human}"
    );
}
