//! Attachment bytes as files: a content-addressed [`BlobStore`] in a directory.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::store::{BlobKey, BlobStore, WrittenBlob, check_blob};
use helpdesk_core::{Error, Result};

/// The suffix of files being written; such a file is never a blob.
const TEMP_SUFFIX: &str = ".tmp";

/// A [`BlobStore`] keeping each blob as a file named by its sha256 under a root directory,
/// fanned out by the first two bytes of the hash: `ROOT/ab/cd/abcd…`.
///
/// Writes are atomic and durable: the bytes go to a uniquely named temporary file
/// (`.abcd….<unique>.tmp`) in the blob's directory, whose modification time is set to the
/// write instant, which is synced and then renamed into place, and the directory is synced.
/// A reader therefore sees a whole blob or none, and a crash mid-write leaves at most a stray
/// `*.tmp` file, which is never taken for a blob. Storing a blob again writes it again (so
/// its modification time is the new instant); racing another writer of the same blob is
/// harmless (both write the same bytes). The sweep's deletion first renames the file aside,
/// then checks its time: a blob written again in between is put back. All file-system work
/// runs on tokio's blocking pool.
///
/// ```no_run
/// use std::sync::Arc;
/// use helpdesk::FsBlobStore;
/// use helpdesk::store::{BlobKey, BlobStore};
///
/// # async fn demo() -> helpdesk::Result<()> {
/// let blobs: Arc<dyn BlobStore> = Arc::new(FsBlobStore::open("/var/lib/desk/blobs").await?);
/// let bytes = b"%PDF-1.7 ...";
/// blobs.put_blob(&BlobKey::of(bytes), bytes, chrono::Utc::now()).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct FsBlobStore {
    root: PathBuf,
}

impl FsBlobStore {
    /// A blob store in the directory `root`, created (with its parents) when missing.
    /// Errors are [`Error::Backend`] with the [`io::Error`] as source.
    pub async fn open(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        let created = root.clone();
        blocking(move || fs::create_dir_all(&created)).await?;
        Ok(Self { root })
    }

    /// The directory the blobs are in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file `key` is stored in: `ROOT/ab/cd/abcd…`.
    pub fn path_of(&self, key: &BlobKey) -> PathBuf {
        let hex = key.as_str();
        self.root.join(&hex[0..2]).join(&hex[2..4]).join(hex)
    }
}

#[async_trait]
impl BlobStore for FsBlobStore {
    async fn put_blob(&self, key: &BlobKey, bytes: &[u8], at: DateTime<Utc>) -> Result<()> {
        // Hashing a large blob takes a while: do it on the blocking pool with the writing.
        let (root, path, key, bytes) = (
            self.root.clone(),
            self.path_of(key),
            key.clone(),
            bytes.to_vec(),
        );
        tokio::task::spawn_blocking(move || {
            check_blob(&key, &bytes)?;
            write_blob(&root, &path, &bytes, at.into()).map_err(Error::backend)
        })
        .await
        .map_err(Error::backend)?
    }

    async fn blob(&self, key: &BlobKey) -> Result<Option<Vec<u8>>> {
        let path = self.path_of(key);
        blocking(move || match fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        })
        .await
    }

    async fn blobs_written_before(
        &self,
        before: DateTime<Utc>,
        after: Option<&WrittenBlob>,
        limit: u32,
    ) -> Result<Vec<WrittenBlob>> {
        let root = self.root.clone();
        let found = blocking(move || written_before(&root, before.into())).await?;
        let old = found.into_iter().map(|(written, key)| WrittenBlob {
            written_at: written.into(),
            key,
        });
        Ok(WrittenBlob::page(old, after, limit))
    }

    async fn delete_blob_written_before(
        &self,
        key: &BlobKey,
        before: DateTime<Utc>,
    ) -> Result<bool> {
        let path = self.path_of(key);
        blocking(move || delete_if_written_before(&path, before.into())).await
    }
}

/// Every blob under `root` last written before `before`, with its write instant.
fn written_before(root: &Path, before: SystemTime) -> io::Result<Vec<(SystemTime, BlobKey)>> {
    let mut found = Vec::new();
    for level in read_dirs(root)? {
        for dir in read_dirs(&level)? {
            for entry in fs::read_dir(&dir)? {
                let entry = entry?;
                let Some(key) = entry
                    .file_name()
                    .to_str()
                    .and_then(|name| BlobKey::parse(name).ok())
                else {
                    // A temporary file, or something that is not a blob.
                    continue;
                };
                let written = entry.metadata()?.modified()?;
                if written < before {
                    found.push((written, key));
                }
            }
        }
    }
    Ok(found)
}

/// The directories in `dir`.
fn read_dirs(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            dirs.push(entry.path());
        }
    }
    Ok(dirs)
}

/// Removes the blob at `path` if it was last written before `before`. The file is renamed
/// aside first, so that a writer putting it again meanwhile either wrote before the rename
/// (its newer time is seen, and the file is put back) or writes after it (a new file).
fn delete_if_written_before(path: &Path, before: SystemTime) -> io::Result<bool> {
    let dir = path.parent().expect("a blob path has a directory");
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a blob file name is its hex key");
    let aside = dir.join(format!(".{name}.deleting{TEMP_SUFFIX}"));
    match fs::rename(path, &aside) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    }
    if fs::metadata(&aside)?.modified()? >= before {
        // Written again in the meantime: put it back, unless a writer has already.
        match fs::hard_link(&aside, path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        fs::remove_file(&aside)?;
        sync_dir(dir)?;
        return Ok(false);
    }
    fs::remove_file(&aside)?;
    sync_dir(dir)?;
    Ok(true)
}

/// Runs `f` on the blocking pool, turning its I/O error into a backend error.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(Error::backend)?
        .map_err(Error::backend)
}

/// Writes `bytes` to `path` (under `root`) atomically and durably, written at `at`.
fn write_blob(root: &Path, path: &Path, bytes: &[u8], at: SystemTime) -> io::Result<()> {
    let dir = path.parent().expect("a blob path has a directory");
    if !dir.try_exists()? {
        fs::create_dir_all(dir)?;
        // Make the new fan-out directories' entries durable too.
        let mut d = dir;
        while let Some(parent) = d.parent() {
            sync_dir(parent)?;
            if parent == root {
                break;
            }
            d = parent;
        }
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a blob file name is its hex key");
    let (temp, file) = create_temp(dir, name)?;
    let written = fill(file, bytes, at).and_then(|()| {
        // Replacing a blob another writer put meanwhile is harmless: same bytes.
        fs::rename(&temp, path)
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    sync_dir(dir)
}

/// Writes `bytes` to `file`, sets its modification time to `at`, syncs it to disk and closes
/// it.
fn fill(mut file: File, bytes: &[u8], at: SystemTime) -> io::Result<()> {
    file.write_all(bytes)?;
    file.set_modified(at)?;
    file.sync_all()
}

/// Creates a new, uniquely named temporary file beside the blob `name` in `dir`.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let unique = format!(
            "{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let temp = dir.join(format!(".{name}.{unique}{TEMP_SUFFIX}"));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Makes the entries of `dir` durable (a no-op where directories cannot be synced).
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
