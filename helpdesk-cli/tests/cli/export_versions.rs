//! The export format's versions (docs/export-format.md): a version 2 stream, made from a
//! version 3 export by leaving out what version 3 added, is still imported; a version 3
//! record in an older stream, or one naming what the export does not hold, is refused and
//! writes nothing; a desk holding a rule is not empty.

use std::path::Path;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use helpdesk::clock::ManualClock;
use serde_json::{Value, json};

use crate::export_format::{contents, seeded};
use crate::support::*;

/// The kinds of records version 3 added.
const V3: [&str; 9] = [
    "login",
    "person_settings",
    "notification_preferences",
    "rule",
    "rule_run",
    "macro",
    "webhook",
    "webhook_delivery",
    "mailbox",
];

/// Writes `header` and `records` as an export into `dir`, with `from`'s attachments.
fn write_export(dir: &Path, header: &Value, records: &[Value], from: &Path) {
    std::fs::create_dir_all(dir.join("attachments")).unwrap();
    for e in std::fs::read_dir(from.join("attachments")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join("attachments").join(e.file_name())).unwrap();
    }
    let lines: Vec<String> = (std::iter::once(header).chain(records))
        .map(Value::to_string)
        .collect();
    std::fs::write(dir.join("desk.jsonl"), lines.join("\n")).unwrap();
}

/// The header of the export in `dir`.
fn header(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("desk.jsonl")).unwrap();
    serde_json::from_str(text.lines().next().unwrap()).unwrap()
}

/// `records` as version 2 wrote them: no version 3 records, votes or counts.
fn as_version_2(records: &[Value]) -> Vec<Value> {
    (records.iter())
        .filter(|r| !V3.contains(&r["record"].as_str().unwrap()))
        .map(|r| {
            let mut r = r.clone();
            let fields = r.as_object_mut().unwrap();
            fields.remove("votes");
            for count in ["people", "automation", "votes"] {
                if fields["record"] == "trailer" {
                    fields.remove(count);
                }
            }
            r
        })
        .collect()
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
    ))
}

#[tokio::test]
async fn a_version_2_export_is_still_imported() {
    let desk = seeded().await;
    let a = desk.path("a");
    desk.run(&["export", "--dir", a.to_str().unwrap()])
        .await
        .ok();
    let (records, files) = contents(&a);
    let old = as_version_2(&records);
    assert!(
        old.len() < records.len(),
        "the seeded desk has version 3 records"
    );
    let mut head = header(&a);
    head["version"] = json!(2);
    let v2 = desk.path("v2");
    write_export(&v2, &head, &old, &a);
    let db = desk.path("v2.db").display().to_string();
    let clock = clock();
    run_on(&db, &clock, &["import", v2.to_str().unwrap()], "")
        .await
        .ok();
    let again = desk.path("again");
    run_on(
        &db,
        &clock,
        &["export", "--dir", again.to_str().unwrap()],
        "",
    )
    .await
    .ok();
    let (restored, restored_files) = contents(&again);
    assert_eq!(restored_files, files);
    // The same records; the trailer now says (zero) version 3 counts.
    assert_eq!(as_version_2(&restored), old);
    let trailer = restored.last().unwrap();
    assert_eq!(
        (trailer["people"].clone(), trailer["votes"].clone()),
        (json!(0), json!(0))
    );
}

#[tokio::test]
async fn a_version_3_record_in_an_older_stream_or_naming_a_stranger_is_refused_and_writes_nothing()
{
    let desk = seeded().await;
    let a = desk.path("a");
    desk.run(&["export", "--dir", a.to_str().unwrap()])
        .await
        .ok();
    let (records, _) = contents(&a);
    let head = header(&a);
    let mut old_head = head.clone();
    old_head["version"] = json!(2);
    let stranger = json!({"kind": "agent", "id": "00000000-0000-4000-8000-000000000001"});
    let altered = |kind: &str, change: &dyn Fn(&mut Value)| -> Vec<Value> {
        let mut records = records.clone();
        let found = (records.iter_mut().find(|r| r["record"] == kind)).unwrap();
        change(found);
        records
    };
    let cases: Vec<(&str, Value, Vec<Value>)> = vec![
        ("version 2 with logins", old_head, records.clone()),
        (
            "a login of a stranger",
            head.clone(),
            altered("login", &|r| r["actor"] = stranger.clone()),
        ),
        (
            "more votes than counts",
            head.clone(),
            altered("article", &|r| r["helpful"] = json!(0)),
        ),
        (
            "a delivery to another endpoint",
            head.clone(),
            altered("webhook_delivery", &|r| {
                r["endpoint"] = json!("00000000-0000-4000-8000-000000000003")
            }),
        ),
        (
            "a mailbox of another department",
            head.clone(),
            altered("mailbox", &|r| {
                r["mailbox"]["department"] = json!("00000000-0000-4000-8000-000000000002")
            }),
        ),
    ];
    let clock = clock();
    for (case, head, records) in cases {
        let name = case.replace(' ', "-");
        let dir = desk.path(&name);
        write_export(&dir, &head, &records, &a);
        let db = desk.path(&format!("{name}.db")).display().to_string();
        let refused = run_on(&db, &clock, &["import", dir.to_str().unwrap()], "").await;
        assert_eq!(refused.code, 5, "{case}: {}", refused.stderr);
        let listed = run_on(&db, &clock, &["--json", "departments"], "")
            .await
            .json();
        assert_eq!(listed, json!([]), "{case}: nothing written");
    }
    // A desk that holds a rule only is not empty.
    let ruled = Desk::new();
    let rule = r#"{"name": "Etichetă", "conditions": {"events": ["created"]},
        "actions": [{"action": "add_tag", "tag": "nou"}]}"#;
    ruled.run_with(&["rule", "add", "-"], rule).await.ok();
    let refused = ruled.run(&["import", a.to_str().unwrap()]).await;
    assert_eq!(refused.code, 5, "{}", refused.stderr);
}
