//! The backend conformance suite and the proptest model test of `helpdesk_core::testkit`,
//! run against fresh in-memory SQLite stores.

use std::sync::Arc;

use helpdesk_core::store::Store;
use helpdesk_sqlite::SqliteStore;

async fn make_store() -> Option<Arc<dyn Store>> {
    Some(Arc::new(
        SqliteStore::open_in_memory()
            .await
            .expect("an in-memory store"),
    ))
}

helpdesk_core::conformance_suite!(make_store);

#[test]
fn behaves_like_the_memory_store_under_random_commands() {
    helpdesk_core::testkit::model::run_model_test(64, || async {
        Arc::new(
            SqliteStore::open_in_memory()
                .await
                .expect("an in-memory store"),
        ) as Arc<dyn Store>
    });
}
