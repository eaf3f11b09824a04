//! The in-memory reference store passes the whole conformance suite.

use std::sync::Arc;

use helpdesk_core::store::{MemoryStore, Store};

async fn make_store() -> Option<Arc<dyn Store>> {
    Some(Arc::new(MemoryStore::new()))
}

helpdesk_core::conformance_suite!(make_store);

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
    helpdesk_core::testkit::blobs::blob_store_conformance(std::sync::Arc::new(
        helpdesk_core::store::MemoryBlobStore::new(),
    ))
    .await;
}
