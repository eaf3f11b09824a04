//! Taking mail from IMAP mailboxes (async-imap over tokio, TLS by rustls), besides the pipe
//! from a mail server into [`Helpdesk::ingest_email`](helpdesk_core::Helpdesk::ingest_email).
//!
//! An [`ImapMailbox`] names a server, a login, a folder, the department new tickets go to
//! and what happens to a message once the desk stored it ([`AfterTaken`]: flagged, moved or
//! deleted). An [`ImapFetcher`] runs one round ([`ImapFetcher::fetch_once`]) or watches the
//! mailbox ([`ImapFetcher::watch`], IDLE where offered, polling otherwise). Every message is
//! taken in exactly once, across restarts and several processes: see [`fetch`](self::fetch).
//!
//! Mailboxes admins store for departments (in the store, with the library's
//! `add_mailbox`, the API, the CLI or the admin page) are fetched with [`fetch_stored`] and
//! watched with [`watch_stored`], which picks up added, changed and removed ones.
//!
//! ```no_run
//! # async fn demo(desk: helpdesk::Helpdesk) -> Result<(), helpdesk::imap::ImapError> {
//! use helpdesk::imap::{ImapFetcher, ImapMailbox};
//! let mailbox: ImapMailbox =
//!     "imaps://support%40example.com:secret@imap.example.com/INBOX?department=Billing".parse()?;
//! let report = ImapFetcher::new(&desk, mailbox).await?.fetch_once().await?;
//! println!("{} new tickets", report.opened);
//! # Ok(()) }
//! ```

mod connection;
mod error;
pub mod fetch;
mod mailbox;
mod stored;
mod watch;

pub use connection::Connection;
pub use error::ImapError;
pub use fetch::{FetchReport, ImapFetcher, REFUSED, TAKEN};
pub use mailbox::{AfterTaken, ImapCredentials, ImapMailbox, ImapSecurity};
pub use stored::{WatchEvent, fetch_stored, watch_stored};
