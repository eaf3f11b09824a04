//! `export --dir` and `import DIR` (issue 22, item 5): a desk exported from SQLite, imported
//! into PostgreSQL and exported again gives the same records and files, and back into
//! SQLite; ticket numbers are restored exactly; a cut-off or altered export is refused and
//! writes nothing.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use helpdesk::clock::ManualClock;
use helpdesk::domain::{Actor, Category, CustomFields, FieldValue, Rating, ShortNote, TicketKey};
use helpdesk::machine::Command;
use helpdesk::{Helpdesk, connect_with_blobs};
use serde_json::Value;

use crate::support::*;

/// Runs `cli ARGS` on the database `url`.
async fn run_on(url: &str, clock: &Arc<ManualClock>, args: &[&str]) -> Run {
    crate::support::run_on(url, clock, args, "").await
}

/// A desk with a bit of everything the format carries.
pub(crate) async fn seeded() -> Desk {
    let desk = Desk::with_directory().await;
    let file = desk.path("factura.pdf");
    std::fs::write(&file, b"%PDF-1.4 factura martie").unwrap();
    let file = file.display().to_string();
    let open = async |email: &str, subject: &str| {
        number(
            &desk
                .run(&[
                    "--json",
                    "create",
                    "--email",
                    email,
                    "--subject",
                    subject,
                    "--body",
                    "Nu merge internetul.",
                    "--attach",
                    &file,
                ])
                .await
                .json(),
        )
    };
    let first = open("ana@example.com", "Internet down").await;
    let second = open("ana@example.com", "Încă o dată").await;
    let third = open("office@acme.example", "Счёт за март").await;
    let as_ivan = ["--as", "agent:ivan@example.com"];
    for args in [
        vec!["reply", &first, "Verificăm acum."],
        vec!["note", &first, "Routerul din sectorul 3."],
        vec!["assign", &first, "ivan@example.com"],
        vec!["log-time", &first, "25", "--billable", "--note", "diagnoză"],
        vec!["tag", "add", "vip,router", &first, &third],
        vec!["transition", &third, "resolve", "--body", "Rezolvat."],
        vec!["merge", &second, &first],
        vec![
            "priority-rule",
            "set",
            "acme",
            "--organisation",
            "office@acme.example",
            "--initial",
            "urgent",
        ],
    ] {
        let mut all = as_ivan.to_vec();
        if args[0] == "priority-rule" {
            all.clear();
        }
        all.extend(args);
        desk.run(&all).await.ok();
    }
    desk.run(&["settings", "set", "public-url", "https://desk.example/"])
        .await
        .ok();
    // Content (format version 2): a template, a canned response, a knowledge-base category
    // with an article and an empty one.
    for args in [
        &[
            "template",
            "add",
            "--name",
            "Router down",
            "--department",
            "Support",
            "--priority",
            "high",
            "--subject-prefix",
            "Router",
            "--body",
            "Routerul nu merge",
        ][..],
        &[
            "canned",
            "add",
            "--name",
            "Salut",
            "--language",
            "ro",
            "--body",
            "Bună ziua, {{customer_name}}",
        ],
        &["kb", "category", "add", "internet"],
        &["kb", "category", "add", "гарантия"],
        &[
            "kb",
            "add",
            "--title",
            "Resetarea routerului",
            "--body",
            "Opriți routerul și porniți-l din nou.",
            "--category",
            "internet",
            "--language",
            "ro",
        ],
    ] {
        desk.run(args).await.ok();
    }
    // What the CLI does not set: categories, fields, feedback, CC, followers.
    let (store, blobs) = connect_with_blobs(&desk.db.display().to_string())
        .await
        .unwrap();
    let lib = Helpdesk::new(store)
        .with_blobs(blobs, Default::default())
        .with_clock(desk.clock.clone());
    let ivan = lib
        .as_system()
        .agents()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.email.as_str() == "ivan@example.com")
        .unwrap();
    let agent = lib.acting_as(Actor::Agent(ivan.id)).await.unwrap();
    let key = TicketKey::parse(&first).unwrap();
    let categories: BTreeSet<_> = [Category::parse("Rețea").unwrap()].into();
    agent
        .execute(key.clone(), Command::SetCategories { categories })
        .await
        .unwrap();
    let fields = CustomFields::new()
        .with("district", FieldValue::Text("Sector 3".into()))
        .unwrap();
    agent
        .execute(key.clone(), Command::SetCustomFields { fields })
        .await
        .unwrap();
    agent.follow_ticket(key.clone()).await.unwrap();
    agent
        .save_search(
            helpdesk::domain::Name::parse("Router VIP").unwrap(),
            Some("router".into()),
            Default::default(),
            helpdesk::listing::TicketOrder::LastUpdate,
        )
        .await
        .unwrap();
    let ana = lib
        .as_system()
        .find_customers(&helpdesk::search::CustomerLookup::Email(
            helpdesk::domain::Email::parse("ana@example.com").unwrap(),
        ))
        .await
        .unwrap()
        .remove(0);
    let customer = lib.acting_as(Actor::Customer(ana.id)).await.unwrap();
    customer
        .add_cc(key.clone(), &["sef@example.com"])
        .await
        .unwrap();
    agent
        .execute(key.clone(), Command::Resolve { body: None })
        .await
        .unwrap();
    customer
        .execute(key.clone(), Command::ConfirmResolution)
        .await
        .unwrap();
    customer
        .execute(
            key,
            Command::RateSatisfaction {
                score: Rating::new(5).unwrap(),
                comment: Some(ShortNote::parse("Mulțumesc").unwrap()),
            },
        )
        .await
        .unwrap();
    seed_v3(&desk, &lib, &ana).await;
    desk
}

/// What format version 3 carries: logins, person settings, notification preferences, a
/// trigger and a scheduled rule that ran, a macro, a webhook, a mailbox, knowledge-base
/// votes.
async fn seed_v3(desk: &Desk, lib: &Helpdesk, ana: &helpdesk::domain::Customer) {
    let ivan = ["--as", "agent:ivan@example.com"];
    desk.run_with(
        &["agent", "login", "ivan@example.com", "--login", "ivan"],
        "parola-lui-ivan\n",
    )
    .await
    .ok();
    desk.run_with(
        &["customer", "login", "ana@example.com", "--login", "ana"],
        "parola-anei\n",
    )
    .await
    .ok();
    let mine = [
        "my-settings",
        "set",
        "--time-zone",
        "Asia/Tehran",
        "--language",
        "fa",
    ];
    desk.run(&[&ivan[..], &mine].concat()).await.ok();
    let prefs = [
        "notification-prefs",
        "set",
        "assigned=email",
        "--language",
        "ru",
    ];
    desk.run(&[&ivan[..], &prefs].concat()).await.ok();
    let trigger = r#"{"name": "Întrerupere → urgent", "position": 1,
        "conditions": {"events": ["created"], "text": "întrerupere"},
        "actions": [{"action": "add_tag", "tag": "outage"}]}"#;
    let scheduled = r#"{"name": "Etichetează cele vechi", "conditions": {"statuses": ["new"]},
        "actions": [{"action": "add_tag", "tag": "vechi"}],
        "schedule": {"every_minutes": 60}}"#;
    for rule in [trigger, scheduled] {
        desk.run_with(&["rule", "add", "-"], rule).await.ok();
    }
    desk.run(&["run-due"]).await.ok();
    let actions = r#"[{"action": "add_tag", "tag": "vip"}]"#;
    desk.run_with(&["macro", "add", "VIP", "-"], actions)
        .await
        .ok();
    let hook = [
        "webhook",
        "add",
        "https://hooks.example.com/desk",
        "--events",
        "ticket_created",
    ];
    let hook = desk.run(&[&["--json"][..], &hook].concat()).await.json();
    let id = hook["endpoint"]["id"].as_str().unwrap();
    desk.run(&["webhook", "ping", id]).await.ok();
    let mailbox = [
        "mailbox",
        "add",
        "--department",
        "Support",
        "--host",
        "imap.example.com",
        "--user",
        "support@example.com",
    ];
    desk.run_with(&mailbox, "parola-imap\n").await.ok();
    // Ana finds the article helpful; Ivan does not.
    let system = lib.as_system();
    let article = system.list_articles(None, 10).await.unwrap().remove(0).id;
    for (who, helpful) in [
        (Actor::Customer(ana.id), true),
        (Actor::Agent(lib_agent(lib).await), false),
    ] {
        let person = lib.acting_as(who).await.unwrap();
        person.vote_article(article, helpful).await.unwrap();
    }
}

/// Ivan's id.
async fn lib_agent(lib: &Helpdesk) -> helpdesk::domain::AgentId {
    let agents = lib.as_system().agents().await.unwrap();
    agents
        .into_iter()
        .find(|a| a.email.as_str() == "ivan@example.com")
        .unwrap()
        .id
}

/// Whether `password` signs `login` in on the desk at `url`.
async fn signs_in(url: &str, login: &str, password: &str) -> bool {
    use argon2::PasswordVerifier;
    let (store, _) = connect_with_blobs(url).await.unwrap();
    let found = (store.as_account_store().unwrap())
        .login(&helpdesk::domain::LoginName::parse(login).unwrap())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no login {login}"));
    let hash = argon2::PasswordHash::new(found.password_hash.as_str()).unwrap();
    argon2::Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok()
}

/// The records of an export but its header (its time and sequence differ), and its files.
pub(crate) fn contents(dir: &Path) -> (Vec<Value>, Vec<(String, Vec<u8>)>) {
    let text = std::fs::read_to_string(dir.join("desk.jsonl")).unwrap();
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records[0]["record"], "header");
    let mut files: Vec<_> = std::fs::read_dir(dir.join("attachments"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    (records[1..].to_vec(), files)
}

/// A fresh PostgreSQL schema's URL, or `None` when PostgreSQL is not configured.
async fn postgres_url() -> Option<String> {
    let url = helpdesk_postgres::testing::database_url()?;
    let store = helpdesk_postgres::testing::fresh_store_at(&url)
        .await
        .unwrap();
    let schema: String = sqlx::query_scalar("SELECT current_schema()")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let sep = if url.contains('?') { '&' } else { '?' };
    Some(format!("{url}{sep}options=-c%20search_path%3D{schema}"))
}

#[tokio::test]
async fn an_export_imported_into_postgres_and_back_exports_the_same_desk() {
    let desk = seeded().await;
    let a = desk.path("a");
    let exported = desk
        .run(&["--json", "export", "--dir", a.to_str().unwrap()])
        .await
        .json();
    assert_eq!(exported["tickets"], 3, "{exported}");
    assert_eq!(
        exported["attachments"], 1,
        "one file, twice attached: {exported}"
    );
    let (records, files) = contents(&a);
    let kinds: BTreeSet<&str> = records
        .iter()
        .filter_map(|r| r["record"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "agent",
            "article",
            "article_category",
            "canned_response",
            "customer",
            "department",
            "login",
            "macro",
            "mailbox",
            "notification_preferences",
            "person_settings",
            "rule",
            "rule_run",
            "saved_search",
            "setting",
            "template",
            "ticket",
            "trailer",
            "webhook",
            "webhook_delivery"
        ]
        .into()
    );
    // Version 3: the secrets of a whole backup, people's choices, votes.
    let one = |kind: &str| {
        (records.iter().find(|r| r["record"] == kind)).unwrap_or_else(|| panic!("no {kind}"))
    };
    assert_eq!(one("mailbox")["password"], "parola-imap");
    assert!(
        one("webhook")["secret"]
            .as_str()
            .unwrap()
            .starts_with("whsec_"),
        "{}",
        one("webhook")
    );
    assert_eq!(
        one("person_settings")["settings"]["time_zone"],
        "Asia/Tehran"
    );
    assert_eq!(one("notification_preferences")["language"], "ru");
    assert_eq!(one("article")["votes"].as_array().unwrap().len(), 2);
    assert_eq!(records.iter().filter(|r| r["record"] == "login").count(), 2);
    assert_eq!(records.iter().filter(|r| r["record"] == "rule").count(), 2);
    // What the seeded desk holds is in the export: categories, fields, feedback, tags, time,
    // CC, followers, history, an internal note, an attachment, a merged ticket.
    let tickets: Vec<&Value> = records.iter().filter(|r| r["record"] == "ticket").collect();
    let rich = tickets
        .iter()
        .find(|r| r["ticket"]["categories"] == serde_json::json!(["Rețea"]))
        .unwrap_or_else(|| panic!("no ticket with its category: {tickets:?}"));
    assert_eq!(
        rich["ticket"]["custom_fields"]["district"]["value"], "Sector 3",
        "{rich}"
    );
    assert_eq!(rich["ticket"]["satisfaction"]["score"], 5, "{rich}");
    assert_eq!(
        rich["ticket"]["tags"],
        serde_json::json!(["router", "vip"]),
        "{rich}"
    );
    assert_eq!(rich["time_entries"].as_array().unwrap().len(), 1, "{rich}");
    assert_eq!(rich["cc"], serde_json::json!(["sef@example.com"]), "{rich}");
    assert_eq!(rich["followers"].as_array().unwrap().len(), 1, "{rich}");
    assert!(rich["history"].as_array().unwrap().len() > 5, "{rich}");
    assert!(
        rich["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["visibility"] == "internal"),
        "{rich}"
    );
    assert!(
        tickets
            .iter()
            .any(|r| !r["ticket"]["merged_into"].is_null()),
        "the merged ticket"
    );
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
    ));
    // Into PostgreSQL when it is configured, else into another SQLite file; then back.
    let middle = match postgres_url().await {
        Some(url) => url,
        None => desk.path("middle.db").display().to_string(),
    };
    let imported = run_on(&middle, &clock, &["--json", "import", a.to_str().unwrap()])
        .await
        .json();
    assert_eq!(imported, exported);
    let b = desk.path("b");
    run_on(&middle, &clock, &["export", "--dir", b.to_str().unwrap()])
        .await
        .ok();
    assert_eq!(contents(&b), (records.clone(), files.clone()));

    let back = desk.path("back.db").display().to_string();
    run_on(&back, &clock, &["import", b.to_str().unwrap()])
        .await
        .ok();
    let c = desk.path("c");
    run_on(&back, &clock, &["export", "--dir", c.to_str().unwrap()])
        .await
        .ok();
    assert_eq!(contents(&c), (records, files));

    // People sign in with the passwords they had.
    assert!(signs_in(&back, "ivan", "parola-lui-ivan").await);
    assert!(signs_in(&back, "ana", "parola-anei").await);
    assert!(!signs_in(&back, "ana", "parola-lui-ivan").await);
    // The numbers are the old ones, and a new ticket gets a new one.
    let shown = run_on(&back, &clock, &["--json", "list"]).await.json();
    let mut numbers: Vec<String> = shown["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(number)
        .collect();
    numbers.sort();
    let mut old: Vec<String> = contents(&a)
        .0
        .iter()
        .filter(|r| r["record"] == "ticket")
        .map(|r| r["ticket"]["number"]["full"].as_str().unwrap().to_owned())
        .collect();
    old.sort();
    assert_eq!(numbers, old);
    let fresh = run_on(
        &back,
        &clock,
        &[
            "--json",
            "create",
            "--email",
            "ana@example.com",
            "--subject",
            "Nou",
            "--body",
            "Alt lucru.",
        ],
    )
    .await
    .json();
    assert!(!old.contains(&number(&fresh)), "{fresh}");
    // Into a desk that holds something: refused.
    let again = run_on(&back, &clock, &["import", a.to_str().unwrap()]).await;
    assert_eq!(again.code, 5, "{}", again.stderr);
}

#[tokio::test]
async fn a_cut_off_or_altered_export_is_refused_and_writes_nothing() {
    let desk = seeded().await;
    let a = desk.path("a");
    desk.run(&["export", "--dir", a.to_str().unwrap()])
        .await
        .ok();
    let text = std::fs::read_to_string(a.join("desk.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
    ));
    let cases: Vec<(&str, String)> = vec![
        ("cut off", lines[..lines.len() - 1].join("\n")),
        (
            "a ticket twice",
            [
                &lines[..lines.len() - 1],
                &[lines[lines.len() - 2]],
                &lines[lines.len() - 1..],
            ]
            .concat()
            .join("\n"),
        ),
        (
            "another version",
            text.replacen("\"version\":3", "\"version\":99", 1),
        ),
    ];
    for (case, altered) in cases {
        let dir = desk.path(&format!("bad-{}", case.replace(' ', "-")));
        std::fs::create_dir_all(dir.join("attachments")).unwrap();
        for e in std::fs::read_dir(a.join("attachments")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.join("attachments").join(e.file_name())).unwrap();
        }
        std::fs::write(dir.join("desk.jsonl"), altered).unwrap();
        let db = desk.path(&format!("{}.db", case.replace(' ', "-")));
        let db = db.display().to_string();
        let refused = run_on(&db, &clock, &["import", dir.to_str().unwrap()]).await;
        assert_eq!(refused.code, 5, "{case}: {}", refused.stderr);
        let listed = run_on(&db, &clock, &["--json", "departments"]).await.json();
        assert_eq!(listed, serde_json::json!([]), "{case}: nothing written");
    }
    // A missing attachment file: not found, nothing written.
    std::fs::remove_dir_all(a.join("attachments")).unwrap();
    std::fs::create_dir_all(a.join("attachments")).unwrap();
    let db = desk.path("no-files.db").display().to_string();
    let refused = run_on(&db, &clock, &["import", a.to_str().unwrap()]).await;
    assert_ne!(refused.code, 0, "{}", refused.stderr);
    let listed = run_on(&db, &clock, &["--json", "departments"]).await.json();
    assert_eq!(listed, serde_json::json!([]));
}
