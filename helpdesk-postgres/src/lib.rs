//! The PostgreSQL store for `helpdesk`: [`PostgresStore`] implements
//! [`helpdesk_core::store::Store`] over a [`sqlx::PgPool`].
//!
//! ```no_run
//! # async fn open() -> helpdesk_core::Result<()> {
//! use std::sync::Arc;
//! use helpdesk_core::store::Store;
//!
//! // Connects and applies the embedded migrations (`migrations/*.sql`).
//! let store = helpdesk_postgres::PostgresStore::connect("postgres://localhost/helpdesk").await?;
//! let store: Arc<dyn Store> = Arc::new(store);
//! # Ok(()) }
//! ```
//!
//! How it keeps the [`Store`](helpdesk_core::store::Store) contract:
//! - [`commit`](helpdesk_core::store::Store::commit) is one transaction. It reads the stored
//!   facts the batch depends on, locking the tickets it writes (`SELECT ... FOR UPDATE`, in id
//!   order, so concurrent batches never deadlock), and lets core's
//!   [`check_commit`](helpdesk_core::store::check_commit) decide before writing anything; so
//!   of two updates from the same version exactly one wins and the other gets
//!   `Conflict(StaleVersion)` with nothing written.
//! - Unique values are unique constraints; their violations are `Conflict(Duplicate)` naming
//!   the same field as the in-memory reference store. Full and short ticket numbers share one
//!   namespace (the `ticket_numbers` table), as they do there.
//! - Ticket numbers come from a PostgreSQL sequence: never repeated, gaps allowed.
//! - Every filterable ticket field is a column, so a ticket list is one indexed query with
//!   keyset pagination; messages, events and time entries read back in the order written.
//! - Due tickets are a range scan of a partial index holding only tickets with a
//!   `next_due_at`, so finding them costs what they are, not what the whole table is.
//! - Search ([`search_tickets`](helpdesk_core::store::Store::search_tickets)) reads a table of
//!   search fields (each subject and message body, folded by the library) kept in step by
//!   `commit` in the same transaction; a GIN index over each field's words finds candidates,
//!   which are checked exactly, so results agree with the in-memory reference.
//! - Customer look-ups compare columns `put_customer` keeps beside each customer: the phone's
//!   normalised digits (indexed) and the folded address key, matched with `LIKE` bytewise.
//! - Knowledge-base articles are searched like tickets, over a table of their folded title
//!   and body; suggestions are scored in one query over a table of each article's words;
//!   a vote (one per person per article) locks its article's row, reads the person's
//!   earlier vote and writes theirs with the counts the core's rule gives, in one
//!   transaction.
//! - Notifications, outbox e-mails and mail references are written by `commit` in the
//!   batch's transaction, one multi-row insert per table; a Message-ID taken by a stored
//!   e-mail (or mail reference) is one of the facts checked first, and the unique constraints
//!   on `message_id` catch what a concurrent batch commits in between, so either way it is
//!   `Conflict(Duplicate { field: "message_id" })` with nothing written.
//! - A recipient's notifications are one scan of an index in their order that holds no
//!   dismissed ones. Leasing outbox e-mails is one `UPDATE` of rows picked from a partial
//!   index of pending e-mails with `FOR UPDATE SKIP LOCKED`, so concurrent dispatchers never
//!   take the same e-mail.
//! - Reports ([`ReportStore`](helpdesk_core::store::ReportStore)) are two aggregate
//!   queries in one read-only snapshot, over columns `commit` keeps beside each ticket (its
//!   metrics, each service-level outcome, the rating): the tickets that count in the range
//!   are found by range scans of an index per instant (a GiST index of open spans for the
//!   backlog), percentiles are `percentile_disc` (nearest rank).
//! - Live chat ([`ChatStore`](helpdesk_core::store::ChatStore)) commits lock the stored
//!   versions and write what core's `ChatCommit::check` returns.
//! - Enums are stored as their core stable texts
//!   ([`StableText`](helpdesk_core::domain::StableText)), read back with `from_text`;
//!   composite values (changes, timers, custom fields, attachments, ...) as jsonb.
//! - [`PostgresStore`] is also a [`BlobStore`](helpdesk_core::store::BlobStore): attachment
//!   bytes in a table keyed by their sha256, each with the instant it was last written (for
//!   the sweep); which blobs messages reference is a table `commit` keeps, so
//!   [`referenced_blobs`](helpdesk_core::store::Store::referenced_blobs) is one indexed
//!   query.
//! - Any other database failure is [`Error::Backend`](helpdesk_core::Error::Backend) with the
//!   sqlx error as its source, behind a [`SqlState`] naming PostgreSQL's SQL state when it
//!   gave one; a stored value that fails validation on the way back is one
//!   with a [`CorruptValue`](helpdesk_core::error::CorruptValue) source.
//!
//! The modules, each with one job: `connection` opens a [`PostgresStore`], `schema` migrates,
//! `store` maps each [`Store`](helpdesk_core::store::Store) method to the module that owns
//! it (`directory`, `commit`, `tickets`, `query`, `search`, `notifications`, `outbox`), one
//! module per ability (`chat`, `reports`, `knowledge`, `saved_searches`, `templates`, `settings`,
//! `accounts`, `blobs`), and `rows` converts rows and domain values, split by aggregate.
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
#[doc(hidden)]
pub mod testing;
mod tickets;
mod together;
mod undeliverable;
mod webhooks;

pub use connection::PostgresStore;
pub use error::SqlState;
pub use schema::MIGRATOR;
