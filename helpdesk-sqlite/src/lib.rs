//! The embedded SQLite store for `helpdesk`: [`SqliteStore`] implements
//! [`helpdesk_core::store::Store`] over a database file (or memory), with the bundled SQLite,
//! and every ability the core defines beside it (accounts, live chat, reports, the knowledge
//! base, saved searches, templates, settings) and [`BlobStore`](helpdesk_core::store::BlobStore).
//!
//! How it keeps the contract:
//! - **The rules are the core's.** A [`WriteBatch`](helpdesk_core::store::WriteBatch) commits
//!   in one `BEGIN IMMEDIATE` transaction: the store reads the facts the batch's
//!   [`keys`](helpdesk_core::store::WriteBatch::keys) name, has
//!   [`check_commit`](helpdesk_core::store::check_commit) decide, and writes rows (`commit`);
//!   a chat commit likewise goes through
//!   [`ChatCommit::check`](helpdesk_core::store::ChatCommit::check). The notifications,
//!   outbox e-mails and mail references a batch causes are written in its transaction.
//! - **Stored values are the core's texts.** Ids are 16-byte BLOBs, instants microseconds,
//!   enums their [`StableText`](helpdesk_core::domain::StableText), nested values JSON
//!   (`rows/`, one file per aggregate); every column is parsed back with the domain's
//!   validated constructors, and one that does not parse is a
//!   [`CorruptValue`](helpdesk_core::error::CorruptValue). Unique violations become
//!   `Duplicate` conflicts naming the same fields as the reference store.
//! - **Schema**: versioned SQL migrations embedded in the binary and applied on open
//!   (`migrations/0001_initial.sql` documents the layout), with backfills for what SQL alone
//!   cannot compute.
//! - **Concurrency**: one writer connection and a few readers in WAL mode, so reads never wait
//!   for writes; every call runs on Tokio's blocking pool and never blocks the runtime.
//!   [`lease_outbox`](helpdesk_core::store::Store::lease_outbox) takes e-mails in a
//!   `BEGIN IMMEDIATE` transaction, so concurrent dispatchers (also in other processes) never
//!   take the same one.
//! - **Queries** are built from bound parameters only, and each list reads an index in its
//!   order (the modules' plan tests show it with `EXPLAIN QUERY PLAN`).
//! - **Blobs**: attachment bytes are kept in the database (table `blobs`, keyed by sha256, with
//!   the instant each was last written, for the sweep).
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
mod automation;
mod blobs;
mod bulk_restore;
mod chat;
mod commit;
mod connection;
mod directory;
mod erasure;
mod error;
mod feed;
mod followers;
mod group_commit;
mod knowledge;
mod mailboxes;
mod notification_prefs;
mod notifications;
mod organisations;
mod outbox;
mod person_settings;
mod quarantine;
mod query;
mod reports;
mod rows;
mod saved_searches;
mod schema;
mod search;
mod settings;
mod sign_in_throttle;
mod snoozed_notifications;
mod store;
mod tags;
mod templates;
mod tickets;
mod together;
mod undeliverable;
mod webhooks;

pub use connection::SqliteStore;
pub use error::{OpenFailure, SqliteError};
