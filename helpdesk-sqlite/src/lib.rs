//! The embedded SQLite store for `helpdesk`: [`SqliteStore`] implements
//! [`helpdesk_core::store::Store`] over a database file (or memory), with the bundled SQLite.
//!
//! - **Schema**: versioned SQL migrations embedded in the binary and applied on open
//!   (`migrations/0001_initial.sql` documents the layout: ids as 16-byte BLOBs, instants as
//!   microseconds, enums as their stable text, nested values as JSON).
//! - **Concurrency**: one writer connection and a few readers in WAL mode, so reads never wait
//!   for writes; every call runs on Tokio's blocking pool and never blocks the runtime.
//! - **Atomicity**: a [`WriteBatch`](helpdesk_core::store::WriteBatch) commits in one
//!   `BEGIN IMMEDIATE` transaction, with optimistic version checks.
//! - **Mail and notifications**: a batch's notifications, outbox e-mails and mail references
//!   are written in its transaction;
//!   [`lease_outbox`](helpdesk_core::store::OutboxStore::lease_outbox) takes e-mails in a
//!   `BEGIN IMMEDIATE` transaction, so concurrent dispatchers (also in other processes) never
//!   take the same one.
//! - **Blobs**: [`SqliteStore`] is also a [`BlobStore`](helpdesk_core::store::BlobStore),
//!   keeping attachment bytes in the database (table `blobs`, keyed by sha256).
//! - **Behaviour**: the same as the reference
//!   [`MemoryStore`](helpdesk_core::store::MemoryStore), errors included: the conformance
//!   suite of `helpdesk_core::testkit` runs against it.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), helpdesk_core::Error> {
//! use std::sync::Arc;
//! use helpdesk_core::store::{PageRequest, Store, TicketFilter};
//! use helpdesk_sqlite::SqliteStore;
//!
//! let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().await?);
//! let page = store
//!     .list_tickets(&TicketFilter::default(), &PageRequest::default())
//!     .await?;
//! assert!(page.items.is_empty() && page.next.is_none());
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod accounts;
mod blobs;
mod chat;
mod commit;
mod connection;
mod error;
mod knowledge;
mod notifications;
mod outbox;
mod query;
mod reports;
mod rows;
mod schema;
mod search;
mod store;

pub use error::SqliteError;
pub use store::SqliteStore;
