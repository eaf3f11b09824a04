//! A desk on a SQLite file in a temporary directory, with a fixed clock, and the CLI run
//! in-process on it.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use helpdesk::clock::ManualClock;
use serde_json::Value;

/// A database file and the clock every run uses.
pub(crate) struct Desk {
    pub(crate) _dir: tempfile::TempDir,
    pub(crate) db: PathBuf,
    pub(crate) clock: Arc<ManualClock>,
}

/// What a run printed.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    pub(crate) fn ok(self) -> String {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        self.stdout
    }

    pub(crate) fn json(self) -> Value {
        let text = self.ok();
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }
}

pub(crate) const DIRECTORY: &str = r#"{
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
    pub(crate) fn new() -> Self {
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
    pub(crate) async fn with_directory() -> Self {
        let desk = Self::new();
        let out = desk.run_with(&["import", "-"], DIRECTORY).await.ok();
        assert_eq!(
            out,
            "imported 2 departments, 2 agents, 2 customers, 0 tickets with 0 messages\n"
        );
        desk
    }

    pub(crate) async fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, "").await
    }

    /// Runs `cli ARGS` with `stdin`, a minute after the previous run.
    pub(crate) async fn run_with(&self, args: &[&str], stdin: &str) -> Run {
        self.clock.advance(Duration::minutes(1));
        run_on(&self.db.display().to_string(), &self.clock, args, stdin).await
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.db.parent().unwrap().join(name)
    }
}

/// The number of the ticket a `--json` create printed.
pub(crate) fn number(ticket: &Value) -> String {
    ticket["number"]["full"]
        .as_str()
        .or_else(|| ticket["number"].as_str())
        .unwrap_or_else(|| panic!("no number in {ticket}"))
        .to_owned()
}

/// Runs `cli ARGS` on the database `database` (a path or a URL) with `stdin`, at `clock`'s
/// time.
pub(crate) async fn run_on(
    database: &str,
    clock: &Arc<ManualClock>,
    args: &[&str],
    stdin: &str,
) -> Run {
    let setup = helpdesk_cli::Setup {
        database: Some(database.to_owned()),
        clock: Some(clock.clone()),
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
