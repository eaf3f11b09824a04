//! Opening a store from one URL: a SQLite path (or `sqlite:` URL, or `:memory:`) or a
//! `postgres://` URL.

use std::sync::Arc;

use helpdesk_core::store::Store;
use helpdesk_core::{Error, Result};

/// The environment variable the examples read the database from.
pub const DATABASE_URL_VAR: &str = "HELPDESK_DATABASE_URL";

/// Opens the store `url` names, applying migrations:
/// - `postgres://…` or `postgresql://…`: PostgreSQL (feature `postgres`);
/// - `:memory:`: an in-memory SQLite database;
/// - `sqlite://PATH`, `sqlite:PATH` or a plain path: a SQLite file, created when missing.
///
/// A URL whose backend is not compiled in is a validation error that says which feature to
/// enable.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return connect_postgres(url).await;
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    if path.is_empty() {
        return Err(Error::validation("database_url", "is empty"));
    }
    connect_sqlite(path).await
}

/// Opens the store named by `HELPDESK_DATABASE_URL`, or the SQLite file `default` when the
/// variable is unset.
pub async fn connect_from_env(default: &str) -> Result<Arc<dyn Store>> {
    match std::env::var(DATABASE_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => connect(&url).await,
        _ => connect(default).await,
    }
}

#[cfg(feature = "postgres")]
async fn connect_postgres(url: &str) -> Result<Arc<dyn Store>> {
    Ok(Arc::new(
        helpdesk_postgres::PostgresStore::connect(url).await?,
    ))
}

#[cfg(not(feature = "postgres"))]
async fn connect_postgres(_url: &str) -> Result<Arc<dyn Store>> {
    Err(Error::validation(
        "database_url",
        "PostgreSQL support is not compiled in: enable the `postgres` feature",
    ))
}

#[cfg(feature = "sqlite")]
async fn connect_sqlite(path: &str) -> Result<Arc<dyn Store>> {
    let store = if path == ":memory:" {
        helpdesk_sqlite::SqliteStore::open_in_memory().await?
    } else {
        helpdesk_sqlite::SqliteStore::open(path).await?
    };
    Ok(Arc::new(store))
}

#[cfg(not(feature = "sqlite"))]
async fn connect_sqlite(_path: &str) -> Result<Arc<dyn Store>> {
    Err(Error::validation(
        "database_url",
        "SQLite support is not compiled in: enable the `sqlite` feature",
    ))
}
