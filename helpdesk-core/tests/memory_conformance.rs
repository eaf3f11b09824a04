//! The in-memory reference store passes the whole conformance suite, also when it offers
//! only the required contract ([`RequiredOnly`]: every ability check skips, the rest pass).

use std::sync::Arc;

use helpdesk_core::store::{MemoryStore, Store};
use helpdesk_core::testkit::RequiredOnly;

async fn make_store() -> Option<Arc<dyn Store>> {
    Some(Arc::new(MemoryStore::new()))
}

helpdesk_core::conformance_suite!(make_store);

/// The suite again, on the memory store without its abilities.
mod required_only {
    use super::*;

    async fn make_store() -> Option<Arc<dyn Store>> {
        Some(Arc::new(RequiredOnly::new(MemoryStore::new())))
    }

    helpdesk_core::conformance_suite!(make_store);
}

/// The reference against itself: this exercises the model's invariants (refused steps change
/// nothing; customers never read internal notes) on the memory store.
#[test]
fn random_command_sequences_match_the_model() {
    helpdesk_core::testkit::model::run_model_test(48, || async {
        Arc::new(MemoryStore::new()) as Arc<dyn Store>
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_memory_blob_store_keeps_the_blob_contract() {
    helpdesk_core::testkit::blobs::blob_store_conformance(Arc::new(
        helpdesk_core::store::MemoryBlobStore::new(),
    ))
    .await;
}

/// Every public check of `testkit/conformance/{contract,desk}/` is run by
/// `conformance_suite!`, so that none is written and then never run.
#[test]
fn the_suite_runs_every_check() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/testkit/conformance");
    let suite = std::fs::read_to_string(root.join("mod.rs")).unwrap();
    let mut checks = 0;
    for layer in ["contract", "desk"] {
        for path in rust_files(&root.join(layer)) {
            let text = std::fs::read_to_string(&path).unwrap();
            // A check is a public async function of nothing but the store.
            for (at, _) in text.match_indices("\npub async fn ") {
                let rest = &text[at + "\npub async fn ".len()..];
                let (name, params) = rest.split_once('(').unwrap();
                let params = &params[..params.find(')').unwrap()];
                if params.trim().trim_end_matches(',') != "store: Arc<dyn Store>" {
                    continue;
                }
                assert!(
                    suite.contains(&format!("{name},")),
                    "{} has {name}, which conformance_suite! does not run",
                    path.display()
                );
                checks += 1;
            }
        }
    }
    assert!(checks > 80, "{checks}");
}

/// The `.rs` files below `dir`, in its folders too (a layer's group of checks may be a folder).
fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}
