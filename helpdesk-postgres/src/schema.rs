//! The schema: versioned migrations under `migrations/`, embedded at build time and applied
//! by [`migrate`], which then fills what SQL alone cannot (the library folds text) for rows
//! written before the migrations that added it.
//!
//! A migration is never edited once released; a change is a new file, added at the end.

use helpdesk_core::Result;
use sqlx::PgPool;
use sqlx::migrate::Migrator;

use crate::{directory, error, search};

/// The schema's versioned migrations (`migrations/*.sql`), embedded at build time.
///
/// Applied by [`PostgresStore::connect`](crate::PostgresStore::connect) and
/// [`PostgresStore::migrate`](crate::PostgresStore::migrate); exposed so that a deployment
/// can run them from its own tooling instead. After migrations 0003 (search) and 0004
/// (customer look-ups), call [`PostgresStore::migrate`](crate::PostgresStore::migrate) once
/// anyway: it also indexes the tickets and keys the customers written before them, which SQL
/// alone cannot.
pub static MIGRATOR: Migrator = sqlx::migrate!();

/// Applies any pending migrations, then indexes for search the tickets written before
/// migration 0003 and keys for look-up the customers written before 0004. Safe to run
/// concurrently and repeatedly: the migrator takes an advisory lock and skips what is
/// applied, and each backfill runs only until it has once completed.
pub(crate) async fn migrate(pool: &PgPool) -> Result<()> {
    MIGRATOR.run(pool).await.map_err(error::migrate)?;
    if pending(pool, "SELECT EXISTS (SELECT 1 FROM search_backfill)").await? {
        search::backfill(pool).await?;
    }
    if pending(pool, "SELECT EXISTS (SELECT 1 FROM customer_backfill)").await? {
        directory::backfill_lookup_keys(pool).await?;
    }
    // The stem keys of the fields written before migration 0028 (one index step when none).
    search::backfill_stems(pool).await?;
    Ok(())
}

/// Whether a backfill has yet to run: `exists` asks whether its marker table (a row the
/// migration that needs it inserts, and the backfill removes when it completes) has a row.
async fn pending(pool: &PgPool, exists: &'static str) -> Result<bool> {
    sqlx::query_scalar(exists)
        .fetch_one(pool)
        .await
        .map_err(error::db)
}
