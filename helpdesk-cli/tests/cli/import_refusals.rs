//! What the import refuses before it writes anything (issue 22, item 5): an attachment file
//! that does not hold the bytes of its name, a message id met twice in the stream. The desk
//! stays empty: the bulk restore writes tickets batch by batch, so every refusal is found
//! by the check pass first.

use std::path::Path;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use helpdesk::clock::ManualClock;
use serde_json::Value;

use crate::support::*;

/// An export of a desk with two tickets, one with an attachment; the directory it is in.
async fn exported(desk: &Desk) -> std::path::PathBuf {
    let file = desk.path("factura.pdf");
    std::fs::write(&file, b"%PDF-1.4 factura martie").unwrap();
    for (subject, attach) in [("Internet down", true), ("Încă o dată", false)] {
        let mut args = vec![
            "create",
            "--email",
            "ana@example.com",
            "--subject",
            subject,
            "--body",
            "Nu merge internetul.",
        ];
        let path = file.display().to_string();
        if attach {
            args.extend(["--attach", &path]);
            desk.run(&args).await.ok();
        } else {
            desk.run(&args).await.ok();
        }
    }
    let dir = desk.path("export");
    desk.run(&["export", "--dir", dir.to_str().unwrap()])
        .await
        .ok();
    dir
}

/// Imports `dir` into a new SQLite file: the run, and the desk's departments after it.
async fn import(desk: &Desk, dir: &Path, name: &str) -> (Run, Value) {
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
    ));
    let db = desk.path(name).display().to_string();
    let run = run_on(&db, &clock, &["import", dir.to_str().unwrap()], "").await;
    let listed = run_on(&db, &clock, &["--json", "departments"], "")
        .await
        .json();
    (run, listed)
}

#[tokio::test]
async fn an_attachment_file_with_other_bytes_is_refused_and_nothing_is_written() {
    let desk = Desk::with_directory().await;
    let dir = exported(&desk).await;
    let files: Vec<_> = std::fs::read_dir(dir.join("attachments"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    std::fs::write(&files[0], b"%PDF-1.4 altered").unwrap();
    let (refused, listed) = import(&desk, &dir, "altered.db").await;
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("does not hold the bytes"),
        "{}",
        refused.stderr
    );
    assert_eq!(listed, serde_json::json!([]), "nothing written");
}

#[tokio::test]
async fn a_message_id_met_twice_is_refused_and_nothing_is_written() {
    let desk = Desk::with_directory().await;
    let dir = exported(&desk).await;
    let path = dir.join("desk.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let tickets: Vec<usize> = (0..lines.len())
        .filter(|i| lines[*i]["record"] == "ticket")
        .collect();
    assert_eq!(tickets.len(), 2, "{text}");
    let first_id = lines[tickets[0]]["messages"][0]["id"].clone();
    assert!(first_id.is_string(), "{}", lines[tickets[0]]);
    lines[tickets[1]]["messages"][0]["id"] = first_id;
    let altered: Vec<String> = lines.iter().map(Value::to_string).collect();
    std::fs::write(&path, altered.join("\n")).unwrap();
    let (refused, listed) = import(&desk, &dir, "twice.db").await;
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    assert!(refused.stderr.contains("twice"), "{}", refused.stderr);
    assert_eq!(listed, serde_json::json!([]), "nothing written");
    // The same export without the change imports.
    std::fs::write(&path, text).unwrap();
    let (imported, listed) = import(&desk, &dir, "whole.db").await;
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    assert_ne!(listed, serde_json::json!([]));
}
