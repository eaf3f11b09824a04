//! Opening a store: [`PostgresStore`] over a pool, connecting, and bringing the schema up
//! to date (with `schema`).

use helpdesk_core::Result;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

use crate::schema;

/// A helpdesk kept in PostgreSQL, over a [`PgPool`].
///
/// Its tables live in the first schema of the connections' `search_path` (`public` unless the
/// pool is configured otherwise), so several helpdesks can share a database, each in a
/// schema of its own.
///
/// ```no_run
/// # async fn open() -> helpdesk_core::Result<()> {
/// use std::sync::Arc;
/// use helpdesk_core::store::Store;
/// use helpdesk_postgres::PostgresStore;
///
/// let store = PostgresStore::connect("postgres://helpdesk@localhost/helpdesk").await?;
/// let store: Arc<dyn Store> = Arc::new(store);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pub(crate) pool: PgPool,
    /// The plan every search uses, if one is forced (tests, see [`Self::probing`]).
    pub(crate) search_plan: Option<crate::search::Plan>,
    /// Wakes readers of the change feed on a notification.
    pub(crate) feed: std::sync::Arc<crate::feed::Listener>,
}

impl PostgresStore {
    /// Connects to the database at `url` and applies any pending migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        let store = Self::connect_without_migrating(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects to the database at `url` and leaves the schema as it is (for deployments
    /// that migrate separately, e.g. with [`MIGRATOR`](crate::schema::MIGRATOR)).
    ///
    /// An idle connection is not pinged before each use (`test_before_acquire` off): the
    /// ping is a round trip per store call, and a connection that died answers the call
    /// itself with an error, after which the pool replaces it.
    pub async fn connect_without_migrating(url: &str) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .test_before_acquire(false)
            .connect(url)
            .await
            .map_err(crate::error::db)?;
        Ok(Self::from_pool(pool))
    }

    /// A store over an existing pool, as it is: no connection is made and nothing migrated.
    pub fn from_pool(pool: PgPool) -> Self {
        Self {
            pool,
            search_plan: None,
            feed: std::sync::Arc::default(),
        }
    }

    /// This store, with every search probing the list in its order (see
    /// [`crate::search::Plan`]), whatever its words' frequencies: the plan a small test
    /// database never chooses.
    #[cfg(test)]
    pub(crate) fn probing(self) -> Self {
        Self {
            search_plan: Some(crate::search::Plan::Probe),
            ..self
        }
    }

    /// Applies any pending migrations, then indexes for search the tickets written before
    /// the search migration, and keys for look-up the customers written before migration
    /// 0004 (which SQL cannot do: the library folds the text). Safe to call
    /// concurrently and repeatedly: the migrator takes an advisory lock and skips what is
    /// applied, and the backfill runs only until it has once completed.
    pub async fn migrate(&self) -> Result<()> {
        schema::migrate(&self.pool).await
    }

    /// The pool underneath.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}
