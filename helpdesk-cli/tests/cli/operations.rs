//! The commands besides the tables: mail in, run-due and its sweep, export and import, seed,
//! usage errors and the database flag.

use std::path::Path;

use chrono::Duration;
use helpdesk::clock::Clock;
use helpdesk::store::BlobKey;
use serde_json::Value;

use crate::support::*;

fn mail(message_id: &str, from: &str, subject: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: support@desk.example\r\nSubject: {subject}\r\n\
         Message-ID: <{message_id}>\r\nDate: Mon, 5 Jan 2026 09:00:00 +0000\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
}

#[tokio::test]
async fn an_email_on_stdin_opens_a_ticket_once_and_automatic_mail_is_ignored() {
    let desk = Desk::with_directory().await;
    let raw = mail(
        "m1@ana.example",
        "Ana Popescu <ana@example.com>",
        "Factura greșită",
        "Am fost taxată de două ori.",
    );
    let args = ["--json", "ingest", "--from", "support@desk.example"];
    let first = desk.run_with(&args, &raw).await.json();
    assert_eq!(first["outcome"], "opened", "{first}");
    assert_eq!(first["ticket"]["channel"], "email");
    let again = desk.run_with(&args, &raw).await.json();
    assert_eq!(again["outcome"], "duplicate", "{again}");

    let stranger = mail("m2@x.example", "x@stranger.example", "Hello", "Hi there");
    let rejected = desk
        .run_with(
            &[
                "ingest",
                "--from",
                "support@desk.example",
                "--department",
                "Billing",
                "--reject-unknown",
            ],
            &stranger,
        )
        .await
        .ok();
    assert_eq!(rejected, "rejected UnknownSender\n");

    let auto = mail("m3@x.example", "ana@example.com", "Out of office", "Away").replace(
        "MIME-Version",
        "Auto-Submitted: auto-replied\r\nMIME-Version",
    );
    let ignored = desk
        .run_with(&["ingest", "--from", "support@desk.example"], &auto)
        .await
        .ok();
    assert!(ignored.starts_with("ignored"), "{ignored}");

    let listed = desk.run(&["--json", "list"]).await.json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn ingest_exits_for_the_mail_server_zero_when_taken_65_for_no_mail_75_to_retry() {
    let desk = Desk::with_directory().await;
    let args = ["ingest", "--from", "support@desk.example"];
    let bounce = "From: MAILER-DAEMON\r\nTo: support@desk.example\r\n\
                  Subject: Undelivered Mail Returned to Sender\r\n\r\nUser unknown\r\n";
    let run = desk.run_with(&args, bounce).await;
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "ignored bounce\n"),
        "{}",
        run.stderr
    );
    let looped = mail("m9@desk.example", "support@desk.example", "Hello", "A loop");
    let run = desk.run_with(&args, &looped).await;
    assert_eq!(run.stdout, "ignored automatic (own_address)\n");

    let run = desk.run_with(&args, "\u{1}\u{2} not a mail").await;
    assert_eq!(run.code, 65, "{}", run.stderr);
    let run = desk
        .run_with(&args, "Subject: nobody sent this\r\n\r\nbody\r\n")
        .await;
    assert_eq!(run.code, 65, "{}", run.stderr);

    let gone = desk.path("no-such-dir/desk.db").display().to_string();
    let raw = mail("m1@ana.example", "ana@example.com", "Hello", "Hi");
    let run = desk
        .run_with(
            &[
                "--database",
                &gone,
                "ingest",
                "--from",
                "support@desk.example",
            ],
            &raw,
        )
        .await;
    assert_eq!(run.code, 75, "the database is unavailable: {}", run.stderr);
}

#[tokio::test]
async fn run_due_reports_what_it_did() {
    let desk = Desk::with_directory().await;
    let report = desk.run(&["--json", "run-due"]).await.json();
    assert_eq!(report["events"], 0);
    assert_eq!(report["blobs_removed"], 0);
    assert_eq!(
        desk.run(&["run-due", "--at", "2026-02-01T00:00:00Z"])
            .await
            .ok(),
        "0 events on 0 tickets (0 skipped); 0 unreferenced attachments removed\n"
    );
}

#[tokio::test]
async fn run_due_sweeps_attachments_nobody_refers_to_once_they_are_a_day_old() {
    let desk = Desk::with_directory().await;
    let log = desk.path("router.log");
    std::fs::write(&log, b"router log").unwrap();
    desk.run(&[
        "create",
        "--email",
        "ana@example.com",
        "--subject",
        "Nu merge",
        "--body",
        "Jurnalul e atașat.",
        "--attach",
        log.to_str().unwrap(),
    ])
    .await
    .ok();
    // Bytes an upload left behind when its commit failed: no message refers to them.
    let (_, blobs) = helpdesk::connect_with_blobs(desk.db.to_str().unwrap())
        .await
        .unwrap();
    let stray = BlobKey::of(b"left behind");
    blobs
        .put_blob(&stray, b"left behind", desk.clock.now())
        .await
        .unwrap();
    let attached = BlobKey::of(b"router log");

    // Within a day of their writing, both stay (an upload may be in flight).
    let report = desk.run(&["--json", "run-due"]).await.json();
    assert_eq!(report["blobs_removed"], 0, "{report}");
    assert!(blobs.blob(&stray).await.unwrap().is_some());

    // Two days later the stray goes; the attachment a message refers to stays.
    let later = (desk.clock.now() + Duration::days(2)).to_rfc3339();
    let report = desk
        .run(&["--json", "run-due", "--at", &later])
        .await
        .json();
    assert_eq!(report["blobs_removed"], 1, "{report}");
    assert_eq!(blobs.blob(&stray).await.unwrap(), None);
    assert_eq!(
        blobs.blob(&attached).await.unwrap().as_deref(),
        Some(&b"router log"[..])
    );
}

#[tokio::test]
async fn an_export_imports_into_an_empty_desk_with_threads_and_statuses() {
    let desk = Desk::with_directory().await;
    let ticket = desk
        .run(&[
            "--json",
            "create",
            "--email",
            "ana@example.com",
            "--subject",
            "Nu merge",
            "--body",
            "Routerul e roșu.",
        ])
        .await
        .json();
    let short = number(&ticket)[8..].to_owned();
    desk.run(&["--as", "agent:ivan@example.com", "note", &short, "Checked."])
        .await
        .ok();
    desk.run(&["--as", "agent:ivan@example.com", "reply", &short, "Fixed."])
        .await
        .ok();
    desk.run(&["transition", &short, "close", "--resolution", "unsolved"])
        .await
        .ok();
    let file = desk.path("export.json");
    desk.run(&["export", "--out", file.to_str().unwrap()])
        .await
        .ok();
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(exported["format"], "helpdesk-cli/1");
    assert_eq!(exported["departments"].as_array().unwrap().len(), 2);
    assert_eq!(exported["tickets"][0]["messages"][1]["internal"], true);
    assert_eq!(
        exported["tickets"][0]["messages"][2]["author"],
        "agent:ivan@example.com"
    );

    let fresh = Desk::new();
    let report = fresh
        .run(&["--json", "import", file.to_str().unwrap()])
        .await
        .json();
    assert_eq!(report["tickets"], 1, "{report}");
    assert_eq!(report["messages"], 3, "{report}");
    assert_eq!(report["customers"], 1, "{report}");
    assert_eq!(report["warnings"].as_array().unwrap().len(), 0, "{report}");
    let shown = fresh.run(&["--json", "show", &short]).await.json();
    assert_eq!(shown["ticket"]["status"], "closed:unsolved");
    assert_eq!(shown["messages"].as_array().unwrap().len(), 3);
    // Importing the directory again adds nothing.
    let again = fresh.run_with(&["import", "-"], DIRECTORY).await.ok();
    assert_eq!(
        again,
        "imported 0 departments, 0 agents, 1 customers, 0 tickets with 0 messages\n"
    );
}

#[tokio::test]
async fn an_export_carries_a_persons_organisation_and_the_import_restores_it() {
    let desk = Desk::with_directory().await;
    desk.run(&[
        "customer",
        "add",
        "--name",
        "Ion Acme",
        "--email",
        "ion@acme.example",
        "--member-of",
        "office@acme.example",
    ])
    .await
    .ok();
    desk.run(&[
        "create",
        "--email",
        "ion@acme.example",
        "--subject",
        "Factura",
        "--body",
        "Nu am primit factura.",
    ])
    .await
    .ok();
    let file = desk.path("export.json");
    desk.run(&["export", "--out", file.to_str().unwrap()])
        .await
        .ok();
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let customers = exported["customers"].as_array().unwrap();
    // The organisation has no ticket of its own; it is written, before its member.
    assert_eq!(customers.len(), 2, "{exported}");
    assert_eq!(customers[0]["email"], "office@acme.example");
    assert_eq!(customers[1]["email"], "ion@acme.example");
    assert_eq!(customers[1]["organisation"], customers[0]["ref"]);

    // Members listed before their organisation import as well.
    let mut reordered = exported.clone();
    reordered["customers"].as_array_mut().unwrap().reverse();
    let fresh = Desk::new();
    let report = fresh
        .run_with(&["--json", "import", "-"], &reordered.to_string())
        .await
        .json();
    assert_eq!(report["customers"], 2, "{report}");
    let org = fresh
        .run(&["--json", "customer", "find", "office@acme.example"])
        .await
        .json();
    let ion = fresh
        .run(&["--json", "customer", "find", "ion@acme.example"])
        .await
        .json();
    assert_eq!(org[0]["kind"], "organisation");
    assert_eq!(ion[0]["organisation"], org[0]["id"], "{ion}");

    // An organisation neither in the document nor on the desk: not found, exit 3.
    let mut orphan = exported;
    orphan["customers"][1]["organisation"] = Value::from("nobody@nowhere.example");
    orphan["customers"][1]["email"] = Value::from("new@acme.example");
    let run = Desk::new()
        .run_with(&["import", "-"], &orphan.to_string())
        .await;
    assert_eq!(run.code, 3, "{}", run.stderr);
}

#[tokio::test]
async fn seed_loads_tickets_with_a_progress_bar() {
    let desk = Desk::new();
    let run = desk.run(&["seed", "40"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "loaded 40 tickets\n");
    assert!(run.stderr.contains("40/40 (100%)"), "{}", run.stderr);
    let listed = desk.run(&["--json", "list", "--limit", "200"]).await.json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 40);
    let persian = desk.run(&["--json", "search", "اینترنت"]).await.json();
    assert_eq!(persian["items"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn usage_errors_exit_2_and_help_goes_to_stdout() {
    let desk = Desk::new();
    let bad = desk.run(&["transition", "1", "explode"]).await;
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("invalid value"), "{}", bad.stderr);
    let help = desk.run(&["--help"]).await;
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("seed"), "{}", help.stdout);
    let who = desk.run(&["--as", "nobody", "list"]).await;
    assert_eq!(who.code, 2);
    assert!(who.stderr.contains("--as takes"), "{}", who.stderr);
}

#[tokio::test]
async fn database_flag_wins_over_the_default() {
    let desk = Desk::new();
    let other = desk.path("other.db");
    let other = other.to_str().unwrap();
    desk.run(&["--database", other, "seed", "2"]).await.ok();
    assert!(Path::new(other).exists());
    let here = desk.run(&["--json", "list"]).await.json();
    assert_eq!(here["items"].as_array().unwrap().len(), 0);
    let there = desk
        .run(&["--json", "--database", &format!("sqlite://{other}"), "list"])
        .await
        .json();
    assert_eq!(there["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn logged_time_keeps_its_note_from_the_customer_unless_the_agent_shows_it() {
    let desk = Desk::with_directory().await;
    let ticket = desk
        .run(&[
            "--json",
            "create",
            "--email",
            "ana@example.com",
            "--subject",
            "VPN",
            "--body",
            "Nu merge VPN-ul.",
        ])
        .await
        .json();
    let n = number(&ticket);
    let ivan = ["--as", "agent:ivan@example.com"];
    for extra in [
        &[
            "30",
            "--billable",
            "--note",
            "Configured the VPN",
            "--note-visible-to-customer",
        ][..],
        &["20", "--billable", "--note", "Their firewall is a mess"][..],
        &["5", "--note", "Vendor call", "--note-visible-to-customer"][..],
    ] {
        let args: Vec<&str> = (ivan.iter().copied())
            .chain(["log-time", n.as_str()])
            .chain(extra.iter().copied())
            .collect();
        let out = desk.run(&args).await.ok();
        assert!(out.contains("time logged"), "{out}");
    }

    let staff = desk
        .run(&["--as", "agent:ivan@example.com", "time", &n])
        .await
        .ok();
    assert!(staff.contains("Customer sees note"), "{staff}");
    assert!(staff.contains("Their firewall is a mess") && staff.contains("Vendor call"));

    let seen = desk
        .run(&["--json", "--as", "customer:ana@example.com", "time", &n])
        .await
        .json();
    let seen: Vec<(u64, &str, bool)> = (seen.as_array().unwrap().iter())
        .map(|e| {
            (
                e["minutes"].as_u64().unwrap(),
                e["note"].as_str().unwrap(),
                e["note_visible_to_customer"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [(30, "Configured the VPN", true), (20, "", false)],
        "billable entries only, notes only where shown"
    );

    // Only agents log time.
    let refused = desk
        .run(&["--as", "customer:ana@example.com", "log-time", &n, "10"])
        .await;
    assert_eq!(refused.code, 4, "{}", refused.stdout);
}

#[tokio::test]
async fn show_prints_the_newest_messages_and_the_way_to_older_ones() {
    let desk = Desk::with_directory().await;
    let created = desk
        .run(&[
            "--json",
            "create",
            "--email",
            "ana@example.com",
            "--subject",
            "Un fir lung",
            "--body",
            "Primul mesaj.",
        ])
        .await
        .json();
    let number = number(&created);
    for i in 0..4 {
        desk.run(&["reply", &number, &format!("Răspuns {i}")])
            .await
            .ok();
    }
    let page = desk
        .run(&["--json", "show", &number, "--messages", "2"])
        .await
        .json();
    let bodies = |page: &serde_json::Value| -> Vec<String> {
        page["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["body"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(bodies(&page), ["Răspuns 2", "Răspuns 3"]);
    let older = page["older"].as_str().unwrap().to_owned();
    let human = desk.run(&["show", &number, "--messages", "2"]).await.ok();
    assert!(
        human.ends_with(&format!("older messages: show {number} --before {older}\n")),
        "{human}"
    );
    let rest = desk
        .run(&["--json", "show", &number, "--before", &older])
        .await
        .json();
    assert_eq!(bodies(&rest), ["Primul mesaj.", "Răspuns 0", "Răspuns 1"]);
    assert_eq!(rest["older"], serde_json::Value::Null);
    let run = desk.run(&["show", &number, "--messages", "0"]).await;
    assert_eq!(run.code, 5, "{}", run.stderr);
}
