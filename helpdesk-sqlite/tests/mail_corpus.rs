//! Every message of the shared corpus of real-world mail (`../shared/mail-corpus/`) taken in
//! on one SQLite desk, in sequence: each gets the class its suite says, and none errors.

use std::sync::Arc;

use helpdesk_core::store::Store;
use helpdesk_core::testkit::mail_corpus::take_in;

#[path = "../../helpdesk-core/tests/shared/corpus_files.rs"]
mod corpus_files;
use helpdesk_sqlite::SqliteStore;

#[tokio::test(flavor = "multi_thread")]
async fn every_corpus_message_is_taken_in_by_its_class_without_an_error() {
    let mails = corpus_files::corpus(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(mails.len(), 793);
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().await.unwrap());
    let run = take_in(store, &mails).await;
    run.assert_clean("sqlite", 793);
}
