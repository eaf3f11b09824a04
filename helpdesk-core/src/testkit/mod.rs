//! The backend conformance suite, the proptest model test and what both are built from
//! (feature `testkit`).
//!
//! Every store runs the whole suite from its own tests, the way `object_store` backends do:
//!
//! ```ignore
//! async fn make_store() -> Option<std::sync::Arc<dyn helpdesk_core::store::Store>> {
//!     Some(std::sync::Arc::new(my_backend::MyStore::open_in_memory().await.unwrap()))
//! }
//! helpdesk_core::conformance_suite!(make_store);
//! ```
//!
//! `make_store` returns a fresh, empty store per test (so tests run in parallel), or `None`
//! to skip (a backend whose server is not configured prints why). The generated tests are
//! `#[tokio::test(flavor = "multi_thread")]`, so the calling crate needs `tokio` with the
//! `macros` and `rt-multi-thread` features among its dev-dependencies. See
//! [`conformance`] for what the checks cover.

pub mod blobs;
pub mod conformance;
pub mod emails;
mod fixture;
pub mod mail_corpus;
pub mod model;
mod required_only;
pub mod samples;

pub use fixture::{Fixture, body};
pub use required_only::RequiredOnly;

/// The ability a check needs, or `None` after a loud `SKIPPED` line when the store does not
/// offer it (a backend without, say, live chat skips the chat checks and says so).
pub fn ability<'a, T: ?Sized>(offered: Option<&'a T>, name: &str) -> Option<&'a T> {
    if offered.is_none() {
        eprintln!("*** SKIPPED: the store does not offer {name} ***");
    }
    offered
}
