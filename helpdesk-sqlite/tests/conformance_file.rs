//! The conformance suite and the model test again, on database files: reads then go through
//! the reader connections, beside the writer, in WAL mode.

use std::path::PathBuf;
use std::sync::Arc;

use helpdesk_core::store::Store;
use helpdesk_sqlite::SqliteStore;

/// A fresh database file under Cargo's temporary directory for tests.
fn db_path() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("helpdesk-sqlite");
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir.join(format!("{}.db", uuid::Uuid::now_v7().simple()))
}

async fn make_store() -> Option<Arc<dyn Store>> {
    Some(Arc::new(
        SqliteStore::open(db_path()).await.expect("a file store"),
    ))
}

helpdesk_core::conformance_suite!(make_store);

#[test]
fn behaves_like_the_memory_store_under_random_commands() {
    helpdesk_core::testkit::model::run_model_test(16, || async {
        Arc::new(SqliteStore::open(db_path()).await.expect("a file store")) as Arc<dyn Store>
    });
}
