//! The in-memory reference store passes the whole conformance suite.

use std::sync::Arc;

use helpdesk_core::store::{MemoryStore, Store};

async fn make_store() -> Option<Arc<dyn Store>> {
    Some(Arc::new(MemoryStore::new()))
}

helpdesk_core::conformance_suite!(make_store);
