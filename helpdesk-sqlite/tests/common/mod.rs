//! What the SQLite-only tests share: fresh database files and microsecond instants.
#![allow(dead_code)]

use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use helpdesk_core::testkit::samples;

/// A fresh database file path under Cargo's temporary directory for tests.
pub fn db_path() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("helpdesk-sqlite");
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir.join(format!("{}.db", uuid::Uuid::now_v7().simple()))
}

/// [`samples::at`] with a microsecond part, so that round trips keep sub-second precision.
pub fn at(seconds: i64) -> DateTime<Utc> {
    samples::at(seconds) + Duration::microseconds(123)
}

/// Runs `sql` on the database file at `path`, behind the store's back.
pub fn damage(path: &PathBuf, sql: &str) {
    rusqlite::Connection::open(path)
        .unwrap()
        .execute(sql, [])
        .unwrap();
}
