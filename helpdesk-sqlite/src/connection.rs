//! [`SqliteStore`]: opening the database, its pragmas, and running calls off the async
//! runtime ([`SqliteStore::read`] and [`SqliteStore::write`], which every module calls).
//!
//! A file database has one writer connection and a few reader connections. In WAL mode the
//! readers run beside the writer and each sees the last committed state when its statement
//! (or read transaction) starts. All writes go through the one writer, so a write transaction
//! never waits for another in this process. An in-memory database is private to its
//! connection, so it has the writer only, and reads use it too.
//!
//! Every call runs in [`tokio::task::spawn_blocking`]: rusqlite blocks, the runtime must not.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Failure, OpenFailure, Outcome, SqliteError};
use crate::schema;

/// A helpdesk in an SQLite database: a file, or memory.
///
/// Cloning is cheap and shares the connections. Every call runs on Tokio's blocking pool, so
/// the store must be used inside a Tokio runtime. A call whose future is dropped still runs
/// to its end (a commit is then either fully written or not at all, as always).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), helpdesk_core::Error> {
/// use std::sync::Arc;
/// use helpdesk_core::store::Store;
/// use helpdesk_sqlite::SqliteStore;
///
/// let dir = std::env::temp_dir().join(format!("helpdesk-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
///
/// // A file database: created if missing, migrated, in WAL mode.
/// let file = SqliteStore::open(dir.join("helpdesk.db")).await?;
/// let store: Arc<dyn Store> = Arc::new(file.clone());
/// assert_eq!(store.next_ticket_sequence().await?, 1);
/// drop(store);
/// file.close().await?;
///
/// // A private in-memory database, for tests.
/// let scratch: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().await?);
/// assert!(scratch.departments().await?.is_empty());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct SqliteStore {
    db: Arc<Database>,
    /// Batches waiting to be committed together (see [`group_commit`](crate::group_commit)).
    queue: Arc<crate::group_commit::Queue>,
    /// The plan every search uses, instead of the one its terms' frequencies choose (tests).
    search_plan: Option<crate::search::Plan>,
    /// Wakes readers of the change feed after a commit (shared by the stores of this
    /// process on one file, see [`crate::feed::wake_for`]).
    feed: Arc<helpdesk_core::store::FeedWake>,
}

impl SqliteStore {
    /// Opens the database file at `path`, creating it if it does not exist, and brings its
    /// schema up to date.
    ///
    /// The file is put in WAL mode with `synchronous=NORMAL`: a committed write survives a
    /// crash of the application, and a power loss or OS crash may lose the last commits but
    /// never corrupts the database. Foreign keys are enforced, and a connection waits up to
    /// five seconds for a lock another process holds.
    ///
    /// # Errors
    ///
    /// [`helpdesk_core::Error::Backend`] with a [`SqliteError`] when the file cannot be opened
    /// ([`SqliteError::Open`], naming the path and, where the operating system says why, its
    /// error), cannot use WAL, or its schema cannot be migrated (for instance because a newer
    /// version of this crate already migrated it further).
    pub async fn open(path: impl AsRef<Path>) -> helpdesk_core::Result<Self> {
        let path = path.as_ref().to_owned();
        let opened = path.clone();
        let db = run(move || Ok(Database::open_file(&opened)?)).await?;
        Ok(Self {
            db: Arc::new(db),
            queue: Arc::default(),
            search_plan: None,
            feed: crate::feed::wake_for(&path),
        })
    }

    /// Opens a new, empty database in memory, private to this store (and its clones).
    ///
    /// # Errors
    ///
    /// [`helpdesk_core::Error::Backend`] if SQLite cannot allocate or migrate it.
    pub async fn open_in_memory() -> helpdesk_core::Result<Self> {
        let db = run(|| Ok(Database::open_memory()?)).await?;
        Ok(Self {
            db: Arc::new(db),
            queue: Arc::default(),
            search_plan: None,
            feed: Arc::default(),
        })
    }

    /// Closes the database now, waiting for its connections to close (a file database is
    /// checkpointed, and its `-wal` and `-shm` files removed). Other clones of this store keep
    /// it open; the last one to go closes it. Dropping a store also closes it, in the
    /// background.
    ///
    /// # Errors
    ///
    /// [`helpdesk_core::Error::Backend`] if SQLite fails to close a connection.
    pub async fn close(self) -> helpdesk_core::Result<()> {
        match Arc::into_inner(self.db) {
            Some(db) => run(move || Ok(db.close()?)).await,
            None => Ok(()),
        }
    }

    /// This store, with every search probing the list in its order (see
    /// [`crate::search::Plan`]), whatever its terms' frequencies: the plan a small test
    /// database never chooses.
    #[cfg(test)]
    pub(crate) fn probing(self) -> Self {
        Self {
            search_plan: Some(crate::search::Plan::Probe),
            ..self
        }
    }

    /// The plan every search uses, if one is forced (see [`Self::probing`]).
    pub(crate) fn search_plan(&self) -> Option<crate::search::Plan> {
        self.search_plan
    }

    /// Runs `f` with a reader connection on the blocking pool; `f` must only read.
    pub(crate) async fn read<T, F>(&self, f: F) -> helpdesk_core::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Outcome<T> + Send + 'static,
    {
        let db = Arc::clone(&self.db);
        run(move || db.with_reader(f)).await
    }

    /// The batches waiting to be committed together.
    pub(crate) fn queue(&self) -> Arc<crate::group_commit::Queue> {
        Arc::clone(&self.queue)
    }

    /// The wake-up of this store's change-feed readers.
    pub(crate) fn feed_wake(&self) -> &helpdesk_core::store::FeedWake {
        &self.feed
    }

    /// Runs `f` with the writer connection on the blocking pool.
    pub(crate) async fn write<T, F>(&self, f: F) -> helpdesk_core::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Outcome<T> + Send + 'static,
    {
        let db = Arc::clone(&self.db);
        run(move || db.with_writer(f)).await
    }
}

/// How many reader connections a file database gets.
const READERS: usize = 4;

/// How long a connection waits for a lock held by another process before it gives up
/// with `SQLITE_BUSY`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 64;

/// The connections of one database.
struct Database {
    location: Location,
    /// Always `Some`, except while the database is being closed or dropped.
    connections: Option<Connections>,
    next_reader: AtomicUsize,
}

struct Connections {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
}

impl Connections {
    /// Closes every connection, reporting the first failure. Blocks: closing the last
    /// connection to a WAL database checkpoints it.
    fn close(self) -> Result<(), SqliteError> {
        let mut first_error = None;
        let all = std::iter::once(self.writer).chain(self.readers);
        for conn in all {
            let conn = conn.into_inner().unwrap_or_else(|p| p.into_inner());
            if let Err((_, e)) = conn.close() {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), |e| Err(e.into()))
    }
}

impl Drop for Database {
    /// Closes the connections on the blocking pool when there is a runtime: closing may
    /// checkpoint the WAL, which is file I/O.
    fn drop(&mut self) {
        let Some(connections) = self.connections.take() else {
            return;
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn_blocking(move || connections.close());
            }
            Err(_) => drop(connections.close()),
        }
    }
}

#[derive(Debug, Clone)]
enum Location {
    File(PathBuf),
    Memory,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Database");
        match &self.location {
            Location::File(path) => d.field("path", path),
            Location::Memory => d.field("path", &":memory:"),
        };
        let readers = self.connections.as_ref().map_or(0, |c| c.readers.len());
        d.field("readers", &readers).finish()
    }
}

impl Database {
    /// Opens (creating if needed) the database file at `path`, migrated. Blocks.
    ///
    /// Pragmas: `journal_mode=WAL` (readers never wait for the writer), `synchronous=NORMAL`
    /// (in WAL mode a commit survives a crash of the application; a power loss or OS crash
    /// may lose the last transactions before a checkpoint, but never corrupts the file),
    /// `foreign_keys=ON`, and a busy timeout of five seconds for other processes' locks.
    fn open_file(path: &Path) -> Result<Self, SqliteError> {
        let mut writer = Connection::open(path).map_err(|e| SqliteError::Open {
            path: path.to_owned(),
            source: OpenFailure::of(path, e),
        })?;
        configure(&writer)?;
        let mode: String =
            writer.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            // Some file systems (and some VFSes) cannot do WAL; SQLite says which mode it kept.
            return Err(SqliteError::WalRefused { kept: mode });
        }
        writer.pragma_update(None, "synchronous", "NORMAL")?;
        schema::migrate(&mut writer)?;

        let readers = (0..READERS)
            .map(|_| open_reader(path).map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            location: Location::File(path.to_owned()),
            connections: Some(Connections {
                writer: Mutex::new(writer),
                readers,
            }),
            next_reader: AtomicUsize::new(0),
        })
    }

    /// Opens a new, empty in-memory database, migrated. Blocks.
    fn open_memory() -> Result<Self, SqliteError> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        schema::migrate(&mut conn)?;
        Ok(Self {
            location: Location::Memory,
            connections: Some(Connections {
                writer: Mutex::new(conn),
                readers: Vec::new(),
            }),
            next_reader: AtomicUsize::new(0),
        })
    }

    /// Closes every connection now. Blocks.
    fn close(mut self) -> Result<(), SqliteError> {
        match self.connections.take() {
            Some(connections) => connections.close(),
            None => Ok(()),
        }
    }

    fn connections(&self) -> &Connections {
        self.connections
            .as_ref()
            .expect("connections are only taken when the database is closed or dropped")
    }

    /// Runs `f` on the writer connection. Blocks.
    fn with_writer<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> T {
        f(&mut lock(&self.connections().writer))
    }

    /// Runs `f` on a free reader connection, or on the writer when there are no readers.
    /// Blocks.
    fn with_reader<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> T {
        let readers = &self.connections().readers;
        let n = readers.len();
        if n == 0 {
            return self.with_writer(f);
        }
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed) % n;
        for i in 0..n {
            let candidate = &readers[(start + i) % n];
            match candidate.try_lock() {
                Ok(mut conn) => return f(&mut conn),
                Err(TryLockError::Poisoned(poisoned)) => return f(&mut poisoned.into_inner()),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        f(&mut lock(&readers[start]))
    }
}

/// Runs a blocking call on the blocking pool and flattens its errors.
async fn run<T, F>(f: F) -> helpdesk_core::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Outcome<T> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(outcome) => outcome.map_err(Into::into),
        Err(join) => Err(Failure::Backend(SqliteError::Task(join)).into()),
    }
}

/// The settings every connection gets.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

/// A connection that may only read (`query_only`), to an already migrated WAL database.
fn open_reader(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    configure(&conn)?;
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
}

/// Locks a connection; a panic in an earlier holder rolled its transaction back when the
/// transaction was dropped, so the connection is still good.
fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
