//! Test support: a fresh, migrated store in a schema of its own, so tests run in parallel
//! against one server. Not part of the stable API.
//!
//! The server comes from `DATABASE_URL`. Without it, [`fresh_store`] prints a `SKIPPED` line
//! and returns `None`, unless `HELPDESK_REQUIRE_POSTGRES=1`, in which case it panics (for CI,
//! where silently skipping would hide a misconfiguration).
//!
//! Schemas are named `helpdesk_test_<unix seconds>_<uuid>`, and their pools' connections
//! carry that name as `application_name`. [`discard`] drops a test's schema; ones left behind
//! (a failed test, a store handed on as `Arc<dyn Store>`) are dropped by the first
//! [`fresh_store`] of each later test process, once no session uses them any more (or they
//! are an hour old).

use std::io::Write;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use helpdesk_core::{Error, Result};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

use crate::connection::PostgresStore;

/// The prefix of every test schema.
pub const SCHEMA_PREFIX: &str = "helpdesk_test_";

/// The most connections one test store opens: many tests share one server.
pub const MAX_CONNECTIONS: u32 = 5;

/// Test schemas without sessions older than this are dropped by later test processes: the
/// time between creating a schema and its pool's first connection, with a wide margin.
const UNUSED_AFTER: Duration = Duration::from_secs(30);

/// Test schemas older than this are dropped by later test processes in any case.
const STALE_AFTER: Duration = Duration::from_secs(3600);

static SWEPT: AtomicBool = AtomicBool::new(false);
static WARNED: AtomicBool = AtomicBool::new(false);

/// A fresh, empty, migrated store in a new schema of the `DATABASE_URL` server, or `None`
/// (after a loud `SKIPPED` line on stderr) when `DATABASE_URL` is not set.
///
/// # Panics
///
/// When `DATABASE_URL` is unset and `HELPDESK_REQUIRE_POSTGRES=1`, and when the server
/// cannot be reached or the schema not created.
pub async fn fresh_store() -> Option<PostgresStore> {
    let url = database_url()?;
    match fresh_store_at(&url).await {
        Ok(store) => Some(store),
        Err(e) => panic!("cannot create a test store on DATABASE_URL: {e} ({e:?})"),
    }
}

/// `DATABASE_URL`, or `None` when it is not set, after a loud `SKIPPED` line on stderr (once
/// per process).
///
/// # Panics
///
/// When it is not set and `HELPDESK_REQUIRE_POSTGRES=1`.
pub fn database_url() -> Option<String> {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            if std::env::var("HELPDESK_REQUIRE_POSTGRES").is_ok_and(|v| v.trim() == "1") {
                panic!("HELPDESK_REQUIRE_POSTGRES=1 but DATABASE_URL is not set");
            }
            // Once per test process, and past the test harness's output capture (which
            // only takes `print!` and `eprint!`), so that it shows in a plain `cargo test`.
            if !WARNED.swap(true, Ordering::SeqCst) {
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIPPED: DATABASE_URL is not set; PostgreSQL tests did not run"
                );
            }
            None
        }
    }
}

/// A fresh, empty, migrated store in a new schema of the server at `url`.
pub async fn fresh_store_at(url: &str) -> Result<PostgresStore> {
    let store = unmigrated_store_at(url).await?;
    store.migrate().await?;
    Ok(store)
}

/// A store over a new, empty schema of the server at `url`, with no migration applied (for
/// tests of the migrations themselves).
pub async fn unmigrated_store_at(url: &str) -> Result<PostgresStore> {
    let options = PgConnectOptions::from_str(url).map_err(Error::backend)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let schema = format!(
        "{SCHEMA_PREFIX}{}_{}",
        now.as_secs(),
        uuid::Uuid::now_v7().simple()
    );

    let mut admin = PgConnection::connect_with(&options)
        .await
        .map_err(Error::backend)?;
    if !SWEPT.swap(true, Ordering::SeqCst) {
        sweep_stale_schemas(&mut admin, now).await;
    }
    // The name is ours: a fixed prefix, digits and hex.
    sqlx::query(AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\"")))
        .execute(&mut admin)
        .await
        .map_err(Error::backend)?;
    admin.close().await.map_err(Error::backend)?;

    let pool = PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .connect_with(
            options
                .application_name(&schema)
                .options([("search_path", schema.as_str())]),
        )
        .await
        .map_err(Error::backend)?;
    Ok(PostgresStore::from_pool(pool))
}

/// Drops a test store's schema and closes its pool.
pub async fn discard(store: PostgresStore) -> Result<()> {
    let schema: String = sqlx::query_scalar("SELECT current_schema()")
        .fetch_one(store.pool())
        .await
        .map_err(Error::backend)?;
    if schema.starts_with(SCHEMA_PREFIX) {
        sqlx::query(AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
        )))
        .execute(store.pool())
        .await
        .map_err(Error::backend)?;
    }
    store.pool().close().await;
    Ok(())
}

/// Drops test schemas that no session uses and that are older than [`UNUSED_AFTER`], and any
/// older than [`STALE_AFTER`]. Best effort: another process may be sweeping too, so failures
/// are ignored.
async fn sweep_stale_schemas(admin: &mut PgConnection, now: Duration) {
    let Ok(rows) = sqlx::query_as::<_, (String, bool)>(
        "SELECT n.nspname::text, EXISTS (SELECT 1 FROM pg_stat_activity a \
         WHERE a.application_name = n.nspname::text) \
         FROM pg_namespace n WHERE starts_with(n.nspname::text, $1)",
    )
    .bind(SCHEMA_PREFIX)
    .fetch_all(&mut *admin)
    .await
    else {
        return;
    };
    let unused_cutoff = now.saturating_sub(UNUSED_AFTER).as_secs();
    let stale_cutoff = now.saturating_sub(STALE_AFTER).as_secs();
    for (name, in_use) in rows {
        let created = name
            .strip_prefix(SCHEMA_PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|secs| secs.parse::<u64>().ok());
        let ours = name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        let sweep = created.is_some_and(|c| c < stale_cutoff || (!in_use && c < unused_cutoff));
        if ours && sweep {
            let _ = sqlx::query(AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS \"{name}\" CASCADE"
            )))
            .execute(&mut *admin)
            .await;
        }
    }
}

/// `sql` after `EXPLAIN`, to bind its parameters and read its plan with [`plan`].
/// Another store on `store`'s schema with a pool of its own, as another server process on
/// the same database would have.
pub async fn another_process(store: &PostgresStore) -> Result<PostgresStore> {
    let schema: String = sqlx::query_scalar("SELECT current_schema()")
        .fetch_one(store.pool())
        .await
        .map_err(crate::error::db)?;
    let url = database_url().ok_or_else(|| {
        Error::validation(
            "DATABASE_URL",
            "is not set: no PostgreSQL server to connect to",
        )
    })?;
    let options = PgConnectOptions::from_str(&url)
        .map_err(crate::error::db)?
        .options([("search_path", schema.as_str())]);
    let pool = PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .connect_with(options)
        .await
        .map_err(crate::error::db)?;
    Ok(PostgresStore::from_pool(pool))
}

#[cfg(test)]
pub(crate) fn explain(sql: &str) -> crate::rows::PgQuery<'static> {
    sqlx::query(AssertSqlSafe(format!("EXPLAIN {sql}")))
}

/// The plan of an `EXPLAIN` query on `store`'s server, a node a line.
///
/// # Panics
///
/// When the query fails.
#[cfg(test)]
pub(crate) async fn plan(store: &PostgresStore, query: crate::rows::PgQuery<'_>) -> String {
    use sqlx::Row;
    let rows = query.fetch_all(store.pool()).await.expect("EXPLAIN runs");
    rows.iter()
        .map(|r| r.get::<String, _>(0))
        .collect::<Vec<_>>()
        .join("\n")
}
