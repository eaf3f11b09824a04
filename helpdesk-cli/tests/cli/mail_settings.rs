//! `mail-settings` and `department mail-address`: the mail settings kept in the store, set
//! by admins, refused to others, and applied by `ingest` in another process (no flags
//! needed once they are stored; flags given are written there).

use serde_json::json;

use crate::support::*;

fn mail(message_id: &str, from: &str, to: &str, headers: &str) -> String {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: Help\r\nMessage-ID: <{message_id}>\r\n\
         Date: Mon, 5 Jan 2026 09:00:00 +0000\r\n{headers}MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nThe printer is jammed.\r\n"
    )
}

#[tokio::test]
async fn admins_show_and_set_mail_settings_and_department_addresses() {
    let desk = Desk::with_directory().await;
    assert_eq!(
        desk.run(&["--json", "mail-settings", "show"]).await.json(),
        json!({})
    );
    let set = desk
        .run(&[
            "--json",
            "mail-settings",
            "set",
            "--from",
            "Support@Desk.example",
            "--from-name",
            "Desk Support",
            "--inbound-department",
            "Support",
            "--unknown-senders",
            "reject",
            "--auto-answers-per-hour",
            "5",
            "--list-mail",
            "ignore",
        ])
        .await
        .json();
    assert_eq!(set["from"], "support@desk.example");
    assert_eq!(set["from_name"], "Desk Support");
    assert_eq!(set["unknown_senders"], "reject");
    assert_eq!(set["auto_answers_per_hour"], 5);
    assert_eq!(set["list_mail"], "ignore");

    // Only the flags given change; `unset` removes one.
    let set = desk
        .run(&[
            "--json",
            "mail-settings",
            "set",
            "--auto-answers-per-hour",
            "2",
        ])
        .await
        .json();
    assert_eq!(set["auto_answers_per_hour"], 2);
    assert_eq!(set["from"], "support@desk.example");
    let unset = desk
        .run(&["--json", "mail-settings", "unset", "list-mail"])
        .await
        .json();
    assert!(unset.get("list_mail").is_none(), "{unset}");

    let billing = desk
        .run(&[
            "department",
            "mail-address",
            "Billing",
            "billing@desk.example",
            "--list-mail",
            "ignore",
        ])
        .await
        .ok();
    assert!(
        billing.contains("department Billing  billing@desk.example  list-mail ignore"),
        "{billing}"
    );
    let shown = desk.run(&["mail-settings", "show"]).await.ok();
    assert!(shown.contains("from  support@desk.example\n"), "{shown}");
    assert!(shown.contains("inbound-department  Support\n"), "{shown}");

    // Refusals: a bad address (5), an address taken (6), an unknown rule (2), agents (4).
    let bad = desk
        .run(&["mail-settings", "set", "--from", "not an address"])
        .await;
    assert_eq!(bad.code, 5, "{}", bad.stderr);
    let taken = desk
        .run(&[
            "department",
            "mail-address",
            "Support",
            "billing@desk.example",
        ])
        .await;
    assert_eq!(taken.code, 6, "{}", taken.stderr);
    let usage = desk
        .run(&["mail-settings", "set", "--list-mail", "sometimes"])
        .await;
    assert_eq!(usage.code, 2);
    for who in ["agent:ivan@example.com", "customer:ana@example.com"] {
        let refused = desk.run(&["--as", who, "mail-settings", "show"]).await;
        assert_eq!(refused.code, 4, "{}", refused.stdout);
        let refused = desk
            .run(&["--as", who, "department", "mail-address", "Billing", "none"])
            .await;
        assert_eq!(refused.code, 4, "{}", refused.stdout);
    }

    // Every change is audited.
    let audit = desk.run(&["--json", "audit"]).await.json();
    let mail = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["key"] == "mail")
        .count();
    assert_eq!(mail, 4, "{audit}");

    let removed = desk
        .run(&["--json", "department", "mail-address", "Billing", "none"])
        .await
        .json();
    assert!(removed.get("departments").is_none(), "{removed}");
}

#[tokio::test]
async fn ingest_applies_the_stored_mail_settings_of_another_process() {
    let desk = Desk::with_directory().await;
    // Without a stored address nor --from, ingest says what is missing, and the mail server
    // keeps the mail to try again (75).
    let raw = mail(
        "m0@x.example",
        "ana@example.com",
        "support@desk.example",
        "",
    );
    let missing = desk.run_with(&["ingest"], &raw).await;
    assert_eq!(missing.code, 75, "{}", missing.stderr);
    assert!(missing.stderr.contains("--from"), "{}", missing.stderr);

    // Flags given to one ingest are written to the store ...
    let first = desk
        .run_with(
            &[
                "--json",
                "ingest",
                "--from",
                "support@desk.example",
                "--auto-answers-per-hour",
                "1",
            ],
            &mail(
                "m1@x.example",
                "ana@example.com",
                "support@desk.example",
                "",
            ),
        )
        .await
        .json();
    assert_eq!(first["outcome"], "opened", "{first}");
    let stored = desk.run(&["--json", "mail-settings", "show"]).await.json();
    assert_eq!(stored["from"], "support@desk.example");
    assert_eq!(stored["auto_answers_per_hour"], 1);
    desk.run(&[
        "department",
        "mail-address",
        "Billing",
        "billing@desk.example",
        "--list-mail",
        "ignore",
    ])
    .await
    .ok();

    // ... and the next one, started without flags, applies them: a department's address
    // takes its mail there, list mail to it is ignored, the answer limit is the stored one.
    let to_billing = desk
        .run_with(
            &["--json", "ingest"],
            &mail(
                "m2@x.example",
                "ana@example.com",
                "billing@desk.example",
                "",
            ),
        )
        .await
        .json();
    assert_eq!(to_billing["outcome"], "opened", "{to_billing}");
    let billing = desk.run(&["--json", "departments"]).await.json();
    let billing_id = billing
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Billing")
        .unwrap()["id"]
        .clone();
    assert_eq!(to_billing["ticket"]["department"], billing_id);
    let listed = desk
        .run_with(
            &["ingest"],
            &mail(
                "m3@x.example",
                "ana@example.com",
                "billing@desk.example",
                "List-Id: <printers.example.com>\r\n",
            ),
        )
        .await
        .ok();
    assert_eq!(listed, "ignored list\n");
    let outbox = desk.run(&["--json", "list"]).await.json();
    assert_eq!(outbox["items"].as_array().unwrap().len(), 2, "{outbox}");
}
