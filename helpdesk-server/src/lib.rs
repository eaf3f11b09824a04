//! The helpdesk web server: a JSON API under `/api/v1` (OpenAPI at `/api/openapi.json`), a
//! customer portal and an agent console, over the `helpdesk` library.
//!
//! [`router`] builds the whole application over a [`Helpdesk`](helpdesk::Helpdesk) and its
//! [`Accounts`]; the `helpdesk-server` binary (`src/main.rs`) opens the database, starts the
//! [`jobs`] and serves it. Tests build the same router in-process.
//!
//! Every handler acts through one principal, made once per request by its extractor
//! ([`extract::Caller`] for the API, [`extract::PageUser`] for pages): the desk acting as the
//! person the bearer token or session cookie signs in. Ticket paths take what a person typed
//! (an id, or a full or short number) as a [`TicketKey`](helpdesk::domain::TicketKey).
//!
//! Folders show the shape: `api/` and `pages/` have a file per resource; `chat/` the live
//! chat's fan-out and WebSocket; the files at the top are what both sides share.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod accounts;
pub mod api;
pub mod chat;
pub mod demo;
pub mod demo_settings;
pub mod edge;
pub mod error;
pub mod extract;
pub mod feed_follower;
pub mod forms;
pub mod jobs;
pub mod mailboxes;
pub mod pages;
pub mod reports;
pub mod session;
pub mod setup;
pub mod state;
pub mod uploads;

mod router;
pub mod webhooks;

pub use accounts::Accounts;
pub use router::router;
pub use state::{AppState, Options};
