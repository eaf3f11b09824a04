#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// The change feed's records (issue 23).
pub use helpdesk_core::feed;
pub use helpdesk_core::webhooks;
pub use helpdesk_core::{
    Error, Helpdesk, Result, automation, clock, delegate_store, domain, error, export, listing,
    machine, mail, policy, render, search, service, store,
};

/// What most programs that embed the desk use, in one `use helpdesk::prelude::*;`: the core's
/// prelude, and the embedded SQLite store.
pub mod prelude {
    pub use helpdesk_core::prelude::*;

    #[cfg(feature = "sqlite")]
    pub use helpdesk_sqlite::SqliteStore;
}

/// The embedded SQLite store (feature `sqlite`, on by default).
#[cfg(feature = "sqlite")]
pub use helpdesk_sqlite as sqlite;

/// The PostgreSQL store (feature `postgres`).
#[cfg(feature = "postgres")]
pub use helpdesk_postgres as postgres;

/// Taking mail from IMAP mailboxes (feature `imap`).
#[cfg(feature = "imap")]
pub mod imap;

mod blobs_fs;
mod connect;
mod smtp;

pub use connect::{DATABASE_URL_VAR, connect, connect_from_env, connect_with_blobs};

/// Attachment bytes as files in a directory: a content-addressed, crash-safe
/// [`BlobStore`](store::BlobStore) for [`Helpdesk::with_blobs`].
pub use blobs_fs::FsBlobStore;

/// The desk's e-mail over SMTP (lettre on tokio, rustls): a
/// [`MailTransport`](service::MailTransport) for [`Helpdesk::dispatch_outbox`].
pub use smtp::SmtpTransport;

/// A user name and password for [`SmtpTransport::starttls`] and [`SmtpTransport::tls`].
pub use smtp::SmtpCredentials;
