//! Opening a store from one URL: a SQLite path (or `sqlite:` URL, or `:memory:`) or a
//! `postgres://` URL.

use std::sync::Arc;

use helpdesk_core::store::{BlobStore, Store};
use helpdesk_core::{Error, Result};

/// A store and the blob store in the same database.
type Opened = (Arc<dyn Store>, Arc<dyn BlobStore>);

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
    Ok(connect_with_blobs(url).await?.0)
}

/// Like [`connect`], and also the store as a [`BlobStore`], keeping attachment bytes in the
/// same database, for [`Helpdesk::with_blobs`](helpdesk_core::Helpdesk::with_blobs).
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use helpdesk::service::AttachmentLimits;
/// let (store, blobs) = helpdesk::connect_with_blobs(":memory:").await?;
/// let desk = helpdesk::Helpdesk::new(store).with_blobs(blobs, AttachmentLimits::default());
/// # Ok::<_, helpdesk::Error>(())
/// # }).unwrap();
/// ```
pub async fn connect_with_blobs(url: &str) -> Result<(Arc<dyn Store>, Arc<dyn BlobStore>)> {
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
async fn connect_postgres(url: &str) -> Result<Opened> {
    let store = Arc::new(helpdesk_postgres::PostgresStore::connect(url).await?);
    Ok((store.clone(), store))
}

#[cfg(not(feature = "postgres"))]
async fn connect_postgres(_url: &str) -> Result<Opened> {
    Err(Error::validation(
        "database_url",
        "PostgreSQL support is not compiled in: enable the `postgres` feature",
    ))
}

#[cfg(feature = "sqlite")]
async fn connect_sqlite(path: &str) -> Result<Opened> {
    let store = Arc::new(if path == ":memory:" {
        helpdesk_sqlite::SqliteStore::open_in_memory().await?
    } else {
        helpdesk_sqlite::SqliteStore::open(path).await?
    });
    Ok((store.clone(), store))
}

#[cfg(not(feature = "sqlite"))]
async fn connect_sqlite(_path: &str) -> Result<Opened> {
    Err(Error::validation(
        "database_url",
        "SQLite support is not compiled in: enable the `sqlite` feature",
    ))
}
