//! Tests of the CLI (`helpdesk-cli`): its commands run in-process through the crate's
//! [`helpdesk_cli::run`] on a SQLite file in a temporary directory, with a fixed clock so that
//! numbers and times are the same on every run. Human tables are snapshots
//! (`tests/snapshots/cli__*.snap`); `--json` is parsed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use helpdesk::clock::{Clock, ManualClock};
use helpdesk::store::BlobKey;
use serde_json::Value;

/// A database file and the clock every run uses.
struct Desk {
    _dir: tempfile::TempDir,
    db: PathBuf,
    clock: Arc<ManualClock>,
}

/// What a run printed.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn ok(self) -> String {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        self.stdout
    }

    fn json(self) -> Value {
        let text = self.ok();
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }
}

const DIRECTORY: &str = r#"{
  "departments": [{"name": "Support"}, {"name": "Billing", "follow_up": "new_ticket"}],
  "agents": [
    {"name": "Ivan Petrov", "email": "ivan@example.com", "departments": ["Support"]},
    {"name": "Maria Ionescu", "email": "maria@example.com", "departments": ["Billing"]}
  ],
  "customers": [
    {"kind": "individual", "name": "Ana Popescu", "email": "ana@example.com",
     "phone": "+40 721 000 111", "contract_number": "C-1001",
     "address": "ул. Кольцевая, д. 14, кв. 15", "language": "ro"},
    {"kind": "organisation", "name": "Acme SRL", "email": "office@acme.example",
     "phone": "+40 21 300 4000", "contract_number": "C-2002",
     "address": "Strada Kolțului 140, Brașov", "language": "en"}
  ]
}"#;

impl Desk {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("helpdesk.db");
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(),
        ));
        Self {
            _dir: dir,
            db,
            clock,
        }
    }

    /// A desk with the directory imported.
    async fn with_directory() -> Self {
        let desk = Self::new();
        let out = desk.run_with(&["import", "-"], DIRECTORY).await.ok();
        assert_eq!(
            out,
            "imported 2 departments, 2 agents, 2 customers, 0 tickets with 0 messages\n"
        );
        desk
    }

    async fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, "").await
    }

    /// Runs `cli ARGS` with `stdin`, a minute after the previous run.
    async fn run_with(&self, args: &[&str], stdin: &str) -> Run {
        self.clock.advance(Duration::minutes(1));
        let setup = helpdesk_cli::Setup {
            database: Some(self.db.display().to_string()),
            clock: Some(self.clock.clone()),
        };
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let mut input = stdin.as_bytes();
        let code = helpdesk_cli::run(
            std::iter::once("cli").chain(args.iter().copied()),
            &setup,
            helpdesk_cli::Io {
                stdin: &mut input,
                stdout: &mut stdout,
                stderr: &mut stderr,
            },
        )
        .await;
        Run {
            code,
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.db.parent().unwrap().join(name)
    }
}

/// The number of the ticket a `--json` create printed.
fn number(ticket: &Value) -> String {
    ticket["number"]["full"]
        .as_str()
        .or_else(|| ticket["number"].as_str())
        .unwrap_or_else(|| panic!("no number in {ticket}"))
        .to_owned()
}

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
    let subjects: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        ["Как поменять тариф?", "Nu funcționează internetul"]
    );
    assert_eq!(listed[1]["priority"], "normal");
    assert_eq!(
        desk.run(&["list", "--status", "closed:solved"]).await.ok(),
        "no tickets\n"
    );

    // Search folds case and diacritics (`functioneaza` finds `funcționează`).
    let found = desk.run(&["--json", "search", "functioneaza"]).await.json();
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["subject"], "Nu funcționează internetul");

    // Nobody matches: a clear error, exit code 1.
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
    assert_eq!(missing.code, 1);
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
    let again = desk
        .run(&[&ivan[..], &["transition", short, "resolve"]].concat())
        .await;
    assert_eq!(again.code, 1);
    assert!(again.stderr.starts_with("error: "), "{}", again.stderr);
    let other = desk
        .run(&["--as", "customer:office@acme.example", "show", short])
        .await;
    assert_eq!(other.code, 1, "{}", other.stdout);
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
    assert_eq!(refused.code, 1);
}

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
    assert_eq!(listed.as_array().unwrap().len(), 1);
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
async fn seed_loads_tickets_with_a_progress_bar() {
    let desk = Desk::new();
    let run = desk.run(&["seed", "40"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "loaded 40 tickets\n");
    assert!(run.stderr.contains("40/40 (100%)"), "{}", run.stderr);
    let listed = desk.run(&["--json", "list", "--limit", "200"]).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 40);
    let persian = desk.run(&["--json", "search", "اینترنت"]).await.json();
    assert_eq!(persian.as_array().unwrap().len(), 5);
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
    assert_eq!(who.code, 1);
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
    assert_eq!(here.as_array().unwrap().len(), 0);
    let there = desk
        .run(&["--json", "--database", &format!("sqlite://{other}"), "list"])
        .await
        .json();
    assert_eq!(there.as_array().unwrap().len(), 2);
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
    assert_eq!(agent.code, 1);
    assert!(agent.stderr.starts_with("error: "), "{}", agent.stderr);
    let backwards = desk
        .run(&["report", "--from", "2026-02-01", "--to", "2026-01-01"])
        .await;
    assert_eq!(backwards.code, 1);
    assert!(
        backwards.stderr.contains("after from"),
        "{}",
        backwards.stderr
    );
    let usage = desk.run(&[&range[..], &["--group", "week"]].concat()).await;
    assert_eq!(usage.code, 2);
}
