//! The import's throughput on SQLite (issue 22, item 5): seeds a small desk, exports it,
//! copies its tickets into an export of `--tickets` tickets (new ids and numbers, the same
//! threads), then times `helpdesk-cli import DIR` into a new SQLite file, the check pass
//! included: once with the store's bulk restore, once with `--one-by-one` (the ordinary
//! commit), and reports both and their ratio. Prints one JSON object (and writes it to
//! `--out` when given).
//!
//! ```sh
//! cargo run --release -p helpdesk-cli --example import_bench -- --tickets 20000 \
//!   --out examples/bench/results/sqlite-import-20k.json
//! # or time a built binary (e.g. a release `helpdesk-cli`) while the example itself is a
//! # debug build: only the import is timed, in that binary's process.
//! cargo build --release -p helpdesk-cli
//! cargo run -p helpdesk-cli --example import_bench -- --tickets 20000 \
//!   --cli target/release/helpdesk-cli
//! ```
//!
//! No assertion on time: the figure is recorded (docs/export-format.md), not tested.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use helpdesk::domain::{EventId, MessageId, TicketId, TicketNumber, TimeEntryId};
use helpdesk::export::{Record, Trailer};
use serde_json::json;

/// The tickets the source desk is seeded with; the export repeats them.
const SEEDED: usize = 200;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|a| a == name)?;
    args.get(at + 1).cloned()
}

/// Runs the CLI in this process; panics when it fails.
async fn cli(args: &[&str]) {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = helpdesk_cli::run(
        std::iter::once("helpdesk-cli").chain(args.iter().copied()),
        &helpdesk_cli::Setup::default(),
        helpdesk_cli::Io {
            stdin: &mut std::io::empty(),
            stdout: &mut stdout,
            stderr: &mut stderr,
        },
    )
    .await;
    assert_eq!(
        code,
        0,
        "helpdesk-cli {args:?}: {}",
        String::from_utf8_lossy(&stderr)
    );
}

/// Writes an export of `count` tickets into `to`, copying `from`'s tickets with new ids and
/// numbers (links dropped: they would name the copies' originals).
fn multiply(from: &Path, to: &Path, count: usize) -> Trailer {
    std::fs::create_dir_all(to.join("attachments")).unwrap();
    for entry in std::fs::read_dir(from.join("attachments")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join("attachments").join(entry.file_name())).unwrap();
    }
    let reader = BufReader::new(File::open(from.join("desk.jsonl")).unwrap());
    let mut head = Vec::new();
    let mut tickets = Vec::new();
    let mut trailer = Trailer::default();
    for line in reader.lines() {
        match serde_json::from_str::<Record>(&line.unwrap()).unwrap() {
            Record::Ticket(t) => tickets.push(*t),
            Record::Trailer(t) => trailer = t,
            other => head.push(other),
        }
    }
    let mut w = BufWriter::new(File::create(to.join("desk.jsonl")).unwrap());
    for record in &head {
        serde_json::to_writer(&mut w, record).unwrap();
        w.write_all(b"\n").unwrap();
    }
    trailer.tickets = count as u64;
    trailer.messages = 0;
    let first = 50_000_000u64;
    if let Some(Record::Header(h)) = head.first_mut() {
        h.sequence = first + count as u64;
    }
    for i in 0..count {
        let mut t = tickets[i % tickets.len()].clone();
        let id = TicketId::new();
        let n = (first + i as u64).to_string();
        t.ticket.id = id;
        t.ticket.number = TicketNumber::new(n.clone(), n[n.len() - 6..].to_owned()).unwrap();
        (t.ticket.master, t.ticket.merged_into, t.ticket.follow_up_of) = (None, None, None);
        for m in &mut t.messages {
            m.id = MessageId::new();
            m.ticket_id = id;
            m.origin = None;
        }
        for e in &mut t.history {
            e.id = EventId::new();
            e.ticket_id = id;
            e.origin = None;
        }
        for e in &mut t.time_entries {
            e.id = TimeEntryId::new();
            e.ticket_id = id;
        }
        trailer.messages += t.messages.len() as u64;
        serde_json::to_writer(&mut w, &Record::Ticket(Box::new(t))).unwrap();
        w.write_all(b"\n").unwrap();
    }
    serde_json::to_writer(&mut w, &Record::Trailer(trailer.clone())).unwrap();
    w.write_all(b"\n").unwrap();
    w.flush().unwrap();
    trailer
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let count: usize = arg("--tickets").map_or(20_000, |n| n.parse().unwrap());
    let out = arg("--out").map(PathBuf::from);
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("source.db").display().to_string();
    let (small, big) = (tmp.path().join("small"), tmp.path().join("big"));
    cli(&["--database", &source, "seed", &SEEDED.to_string()]).await;
    cli(&[
        "--database",
        &source,
        "export",
        "--dir",
        &small.display().to_string(),
    ])
    .await;
    let trailer = multiply(&small, &big, count);
    let bytes = std::fs::metadata(big.join("desk.jsonl")).unwrap().len();
    let binary = arg("--cli");
    // The bulk restore, then the ordinary commit (`import --one-by-one`), each into a new
    // file, in this one run: their ratio holds whatever else the machine is doing.
    let mut seconds = Vec::new();
    for (name, extra) in [("bulk", None), ("one-by-one", Some("--one-by-one"))] {
        let target = tmp.path().join(format!("{name}.db")).display().to_string();
        let dir = big.display().to_string();
        let mut args = vec!["--database", &target, "import", &dir];
        args.extend(extra);
        let started = Instant::now();
        match &binary {
            Some(binary) => {
                let status = std::process::Command::new(binary)
                    .args(&args)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .unwrap();
                assert!(status.success(), "{binary} {args:?}: {status}");
            }
            None => cli(&args).await,
        }
        seconds.push(started.elapsed().as_secs_f64());
    }
    let profile = match &binary {
        Some(b) => format!("the binary {b}"),
        None if cfg!(debug_assertions) => "debug, in process".to_owned(),
        None => "release, in process".to_owned(),
    };
    let rate = |s: f64| trailer.tickets as f64 / s;
    let result = json!({
        "workload": "import into a new SQLite file (check pass included)",
        "importer": profile,
        "tickets": trailer.tickets,
        "messages": trailer.messages,
        "stream_bytes": bytes,
        "seconds": seconds[0],
        "tickets_per_second": rate(seconds[0]),
        "one_by_one_seconds": seconds[1],
        "one_by_one_tickets_per_second": rate(seconds[1]),
        "speed_up": seconds[1] / seconds[0],
        "load_average": std::fs::read_to_string("/proc/loadavg").ok().map(|l| l.trim().to_owned()),
    });
    let text = serde_json::to_string_pretty(&result).unwrap();
    println!("{text}");
    if let Some(out) = out {
        std::fs::write(out, text + "\n").unwrap();
    }
}
