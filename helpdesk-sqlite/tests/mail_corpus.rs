//! Every message of the shared corpus of real-world mail (`../shared/mail-corpus/`) taken in
//! on one SQLite desk, in sequence: each gets the class its suite says, and none errors.

use std::sync::Arc;

use helpdesk_core::store::Store;
use helpdesk_core::testkit::mail_corpus::{corpus_dir, is_message, take_in};
use helpdesk_sqlite::SqliteStore;

fn corpus() -> Vec<(String, Vec<u8>)> {
    let root = corpus_dir(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("the shared mail corpus at {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if is_message(&rel) {
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn every_corpus_message_is_taken_in_by_its_class_without_an_error() {
    let mails = corpus();
    assert_eq!(mails.len(), 793);
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().await.unwrap());
    let run = take_in(store, &mails).await;
    eprintln!(
        "sqlite corpus: {:?}; opened {}, appended {}, duplicates {}, ignored {}, rejected {}, errors {}, in {:?}",
        run.classes,
        run.opened,
        run.appended,
        run.duplicates,
        run.ignored,
        run.rejected,
        run.errors.len(),
        run.took
    );
    assert!(
        run.misclassified.is_empty(),
        "{}",
        run.misclassified.join("\n")
    );
    assert!(run.errors.is_empty(), "{}", run.errors.join("\n"));
    assert_eq!(run.classes.values().sum::<usize>(), 793);
}
