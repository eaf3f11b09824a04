//! The backend conformance suite and the model test from `helpdesk_core::testkit`, on a
//! fresh schema of the `DATABASE_URL` server per test (skipped, loudly, without one).

use std::sync::Arc;

use helpdesk_core::store::Store;
use helpdesk_postgres::testing;

async fn make_store() -> Option<Arc<dyn Store>> {
    let store = testing::fresh_store().await?;
    Some(Arc::new(store))
}

helpdesk_core::conformance_suite!(make_store);

/// Random command sequences, compared step by step with the in-memory reference store.
#[test]
fn the_store_behaves_like_the_model() {
    let Some(url) = testing::database_url() else {
        return;
    };
    let cases = std::env::var("HELPDESK_MODEL_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(24);
    helpdesk_core::testkit::model::run_model_test(cases, || {
        let url = url.clone();
        async move {
            let store = testing::fresh_store_at(&url)
                .await
                .expect("a fresh PostgreSQL store");
            Arc::new(store) as Arc<dyn Store>
        }
    });
}
