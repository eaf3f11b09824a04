#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use helpdesk_core::{
    Error, Helpdesk, Result, clock, domain, error, machine, policy, render, service, store,
};

/// The embedded SQLite store (feature `sqlite`, on by default).
#[cfg(feature = "sqlite")]
pub use helpdesk_sqlite as sqlite;

/// The PostgreSQL store (feature `postgres`).
#[cfg(feature = "postgres")]
pub use helpdesk_postgres as postgres;

mod connect;

pub use connect::{DATABASE_URL_VAR, connect, connect_from_env};
