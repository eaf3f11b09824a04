//! Tests of the CLI (`helpdesk-cli`): its commands run in-process through the crate's
//! [`helpdesk_cli::run`] on a SQLite file in a temporary directory, with a fixed clock so that
//! numbers and times are the same on every run. Human tables are snapshots
//! (`tests/cli/snapshots/cli__*.snap`); `--json` is parsed.
//!
//! The tables (snapshots) are tested here, the other commands in `operations`.

mod automation;
mod changes;
mod content;
mod customer_directory;
mod erasure;
mod export_format;
mod export_versions;
mod feedback_offers;
mod fetch_mail;
mod followers;
mod foreign_import;
mod links;
mod lists;
mod mail_settings;
mod notification_prefs;
mod notifications;
mod operations;
mod organisations;
mod person_settings;
mod priority_rules;
mod quarantine;
mod rule_webhooks;
mod settings;
mod setup;
mod support;
mod tags;
mod told;
mod undeliverable;
mod webhooks;

use support::*;

#[tokio::test]
async fn phone_tickets_for_customers_found_by_phone_contract_or_email_are_listed_in_a_table() {
    let desk = Desk::with_directory().await;
    let by_phone = desk
        .run(&[
            "create",
            "--phone",
            "+40 (721) 000-111",
            "--subject",
            "Nu funcționează internetul",
            "--body",
            "Routerul clipește roșu.",
            "--priority",
            "urgent",
        ])
        .await
        .ok();
    insta::assert_snapshot!("create_by_phone", by_phone);
    let by_contract = desk
        .run(&[
            "--json",
            "create",
            "--contract",
            "C-2002",
            "--department",
            "billing",
            "--subject",
            "Invoice charged twice",
            "--body",
            "December's invoice was charged twice.",
        ])
        .await
        .json();
    assert_eq!(by_contract["channel"], "phone");
    // Organisations always get High; an individual's "urgent" is capped (seed 004).
    assert_eq!(by_contract["priority"], "high");
    desk.run(&[
        "create",
        "--email",
        "ANA@example.com",
        "--type",
        "question",
        "--channel",
        "web",
        "--subject",
        "Как поменять тариф?",
        "--body",
        "Хочу тариф подешевле.",
    ])
    .await
    .ok();

    insta::assert_snapshot!("list_all", desk.run(&["list"]).await.ok());
    insta::assert_snapshot!(
        "list_billing",
        desk.run(&["list", "--department", "Billing"]).await.ok()
    );
    let listed = desk
        .run(&["--json", "list", "--customer", "ana@example.com"])
        .await
        .json();
    let subjects: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        ["Как поменять тариф?", "Nu funcționează internetul"]
    );
    assert_eq!(listed["items"][1]["priority"], "normal");
    assert_eq!(listed["total"], 2);
    assert!(listed["next"].is_null(), "{listed}");
    assert_eq!(
        desk.run(&["list", "--status", "closed:solved"]).await.ok(),
        "no tickets\n"
    );

    // Search folds case and diacritics (`functioneaza` finds `funcționează`).
    let found = desk.run(&["--json", "search", "functioneaza"]).await.json();
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(found["items"][0]["subject"], "Nu funcționează internetul");

    // Nobody matches: a clear error, exit code 3 (not found).
    let missing = desk
        .run(&[
            "create",
            "--phone",
            "999 999",
            "--subject",
            "x",
            "--body",
            "y",
        ])
        .await;
    assert_eq!(missing.code, 3);
    assert!(
        missing.stderr.contains("no customer matches"),
        "{}",
        missing.stderr
    );
}

#[tokio::test]
async fn an_agent_replies_notes_assigns_and_resolves_and_the_customer_never_sees_the_note() {
    let desk = Desk::with_directory().await;
    let ticket = desk
        .run(&[
            "--json",
            "create",
            "--contract",
            "C-1001",
            "--subject",
            "Nu funcționează internetul",
            "--body",
            "Routerul clipește roșu.\nAm încercat să-l repornesc.",
        ])
        .await
        .json();
    let number = number(&ticket);
    let short = &number[8..];
    let ivan = ["--as", "agent:ivan@example.com"];

    let assigned = desk
        .run(&[&ivan[..], &["assign", short, "ivan@example.com"]].concat())
        .await
        .ok();
    assert!(assigned.contains("assigned"), "{assigned}");
    desk.run_with(
        &[&ivan[..], &["note", short, "-"]].concat(),
        "Line test shows a fault at the exchange.\n",
    )
    .await
    .ok();
    let log = desk.path("line-test.txt");
    std::fs::write(&log, "line 1: FAULT\n").unwrap();
    desk.run(
        &[
            &ivan[..],
            &[
                "reply",
                short,
                "Am resetat linia; încercați acum.",
                "--attach",
                log.to_str().unwrap(),
            ],
        ]
        .concat(),
    )
    .await
    .ok();
    let resolved = desk
        .run(
            &[
                &ivan[..],
                &["transition", short, "resolve", "--body", "Rezolvat."],
            ]
            .concat(),
        )
        .await
        .ok();
    assert!(resolved.contains("now resolved"), "{resolved}");

    insta::assert_snapshot!("show_as_agent", desk.run(&["show", &number]).await.ok());
    let as_customer = desk
        .run(&["--as", "customer:ana@example.com", "show", short])
        .await
        .ok();
    assert!(!as_customer.contains("exchange"), "{as_customer}");
    assert!(!as_customer.contains("INTERNAL"), "{as_customer}");
    insta::assert_snapshot!("show_as_customer", as_customer);
    // Customers are told one number, the short one, as on the pages and in e-mail.
    assert!(as_customer.starts_with(&format!("Ticket {short}  ")));
    assert!(!as_customer.contains(&number), "{as_customer}");
    let listed = desk
        .run(&["--as", "customer:ana@example.com", "list"])
        .await
        .ok();
    assert!(
        listed.contains(short) && !listed.contains(&number),
        "{listed}"
    );

    let shown = desk
        .run(&["--json", "--as", "customer:ana@example.com", "show", short])
        .await
        .json();
    let bodies: Vec<&str> = shown["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies.len(), 3, "{bodies:?}");
    assert!(bodies.iter().all(|b| !b.contains("exchange")));

    // Another customer may not read it; an illegal transition is refused.
    let confirm = desk
        .run(&[
            "--as",
            "customer:ana@example.com",
            "transition",
            short,
            "confirm",
        ])
        .await
        .ok();
    assert!(confirm.contains("now closed:solved"), "{confirm}");
    assert!(confirm.starts_with(&format!("{short} ")), "{confirm}");
    let again = desk
        .run(&[&ivan[..], &["transition", short, "resolve"]].concat())
        .await;
    assert_eq!(again.code, 7, "not allowed in its status");
    assert!(again.stderr.starts_with("error: "), "{}", again.stderr);
    let other = desk
        .run(&["--as", "customer:office@acme.example", "show", short])
        .await;
    assert_eq!(other.code, 3, "{}", other.stdout);
}

#[tokio::test]
async fn customers_are_found_by_address_pattern_contract_phone_or_email() {
    let desk = Desk::with_directory().await;
    insta::assert_snapshot!("departments", desk.run(&["departments"]).await.ok());
    insta::assert_snapshot!("agents", desk.run(&["agents"]).await.ok());
    insta::assert_snapshot!(
        "customer_find_address",
        desk.run(&["customer", "find", "%Кольц%14%кв.15"])
            .await
            .ok()
    );
    let both = desk
        .run(&["--json", "customer", "find", "%14%"])
        .await
        .json();
    assert_eq!(both.as_array().unwrap().len(), 2, "{both}");
    // Without diacritics.
    let acme = desk
        .run(&["--json", "customer", "find", "%koltului%brasov"])
        .await
        .json();
    assert_eq!(acme[0]["name"], "Acme SRL", "{acme}");
    let by_contract = desk
        .run(&["--json", "customer", "find", "C-2002"])
        .await
        .json();
    assert_eq!(by_contract[0]["name"], "Acme SRL");
    let by_phone = desk
        .run(&["--json", "customer", "find", "+40 21 300 4000"])
        .await
        .json();
    assert_eq!(by_phone[0]["name"], "Acme SRL");
    let by_email = desk
        .run(&["--json", "customer", "find", "ana@example.com"])
        .await
        .json();
    assert_eq!(by_email[0]["name"], "Ana Popescu");
    assert_eq!(
        desk.run(&["customer", "find", "%nowhere%"]).await.ok(),
        "no customers\n"
    );
    let added = desk
        .run(&[
            "customer",
            "add",
            "--name",
            "Олег Смирнов",
            "--phone",
            "+7 495 123-45-67",
            "--language",
            "ru",
        ])
        .await
        .ok();
    insta::assert_snapshot!("customer_add", added);
    // Customers may not look others up.
    let refused = desk
        .run(&[
            "--as",
            "customer:ana@example.com",
            "customer",
            "find",
            "C-2002",
        ])
        .await;
    assert_eq!(refused.code, 4, "forbidden");
}

#[tokio::test]
async fn reports_print_a_table_json_and_csv() {
    let desk = Desk::with_directory().await;
    let ticket = desk
        .run(&[
            "--json",
            "create",
            "--phone",
            "+40 721 000 111",
            "--subject",
            "Nu funcționează internetul",
            "--body",
            "Routerul clipește roșu.",
        ])
        .await
        .json();
    let number = number(&ticket);
    desk.run(&[
        "create",
        "--contract",
        "C-2002",
        "--department",
        "Billing",
        "--subject",
        "Invoice charged twice",
        "--body",
        "December's invoice was charged twice.",
    ])
    .await
    .ok();
    desk.run(&["assign", &number, "ivan@example.com"])
        .await
        .ok();
    desk.run(&["reply", &number, "Restart the router, please."])
        .await
        .ok();
    desk.run(&["transition", &number, "resolve"]).await.ok();
    desk.run(&["transition", &number, "close"]).await.ok();
    let range = ["report", "--from", "2026-01-01", "--to", "2026-01-31"];

    insta::assert_snapshot!("report_departments", desk.run(&range).await.ok());
    let by_agent = [&range[..], &["--group", "agent"]].concat();
    insta::assert_snapshot!("report_agents", desk.run(&by_agent).await.ok());
    let csv = [&range[..], &["--group", "customer", "--csv"]].concat();
    insta::assert_snapshot!("report_customers_csv", desk.run(&csv).await.ok());

    let json = desk
        .run(&[&["--json"], &range[..], &["--department", "support"]].concat())
        .await
        .json();
    assert_eq!(json["group"], "department");
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{json}");
    assert_eq!(rows[0]["name"], "Support");
    assert_eq!(rows[0]["opened"], 1);
    assert_eq!(rows[0]["closed"], 1);

    // Agents may not read reports; a range that ends before it starts is refused; an unknown
    // grouping is bad usage.
    let agent = desk
        .run(&[&["--as", "agent:ivan@example.com"], &range[..]].concat())
        .await;
    assert_eq!(agent.code, 4, "forbidden");
    assert!(agent.stderr.starts_with("error: "), "{}", agent.stderr);
    let backwards = desk
        .run(&["report", "--from", "2026-02-01", "--to", "2026-01-01"])
        .await;
    assert_eq!(backwards.code, 5, "invalid input");
    assert!(
        backwards.stderr.contains("after from"),
        "{}",
        backwards.stderr
    );
    let usage = desk.run(&[&range[..], &["--group", "week"]].concat()).await;
    assert_eq!(usage.code, 2);
}
mod import_refusals;
