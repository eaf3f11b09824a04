//! The pure core of `helpdesk`: the ticket domain, its typed state machine, the policies
//! (priorities, follow-ups, numbering), the storage contract with an in-memory reference
//! store, and the [`Helpdesk`] service an application calls, acting as one principal at a
//! time ([`Helpdesk::acting_as`]).
//!
//! No SQL and no I/O live here: backends implement [`store::Store`] (and the abilities they
//! offer) in their own crates and prove themselves against the conformance suite in
//! `testkit` (feature `testkit`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod automation;
pub mod clock;
pub mod domain;
pub mod error;
pub mod export;
pub mod feed;
pub mod listing;
pub mod machine;
pub mod mail;
pub mod policy;
pub mod prelude;
pub mod render;
pub mod search;
pub mod store;
pub mod webhooks;

pub use error::{Error, Result};
pub mod service;
#[cfg(feature = "testkit")]
pub mod testkit;

pub use service::Helpdesk;

/// What the exported macros name; not part of the API.
#[doc(hidden)]
pub mod reexport {
    pub use async_trait::async_trait;
    pub use chrono::{DateTime, Utc};
}
