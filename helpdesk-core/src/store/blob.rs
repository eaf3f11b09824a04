//! Where attachment bytes live: a content-addressed blob store, separate from the ticket
//! store so that files can sit on a disk, in the database, or in an object store.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::error::{Result, ValidationError};

/// A blob's address: the sha256 of its content, in lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlobKey(String);

impl BlobKey {
    /// The key of `bytes`.
    ///
    /// ```
    /// use helpdesk_core::store::BlobKey;
    /// assert_eq!(
    ///     BlobKey::of(b"abc").as_str(),
    ///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    /// );
    /// ```
    pub fn of(bytes: &[u8]) -> Self {
        let digest = Sha256::digest(bytes);
        Self(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// A key from its hex form: 64 lower-case hex digits.
    pub fn parse(hex: &str) -> Result<Self, ValidationError> {
        let ok = hex.len() == 64
            && hex
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c));
        if ok {
            Ok(Self(hex.to_owned()))
        } else {
            Err(ValidationError::new(
                "sha256",
                "must be 64 lower-case hex digits",
            ))
        }
    }

    /// The hex form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for BlobKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A content-addressed store of bytes, each with the instant it was last written.
///
/// The contract (checked by `testkit::blobs::blob_store_conformance`): `put` is idempotent
/// and durable when it returns, and a reader never sees a partly written blob; `put` of bytes
/// whose sha256 is not the key is refused with a validation error and stores nothing. Every
/// `put` sets the blob's write instant to `at`, also when the blob was already there, so that
/// a blob an upload is about to reference is never older than the sweep's grace period.
/// Blobs are never deleted because a commit failed (another message may hold the same bytes):
/// [`Helpdesk::sweep_blobs`](crate::Helpdesk::sweep_blobs) removes the unreferenced ones.
#[async_trait]
pub trait BlobStore: Send + Sync + std::fmt::Debug + 'static {
    /// Stores `bytes` under `key` (their sha256), written at `at`. Storing the same blob
    /// again only moves its write instant.
    async fn put_blob(&self, key: &BlobKey, bytes: &[u8], at: DateTime<Utc>) -> Result<()>;
    /// The bytes under `key`.
    async fn blob(&self, key: &BlobKey) -> Result<Option<Vec<u8>>>;
    /// Up to `limit` blobs last written before `before`, in the order of
    /// [`WrittenBlob`] (oldest first, then by key), after `after` when given.
    async fn blobs_written_before(
        &self,
        before: DateTime<Utc>,
        after: Option<&WrittenBlob>,
        limit: u32,
    ) -> Result<Vec<WrittenBlob>>;
    /// Removes the blob under `key` if it was last written before `before`, atomically with
    /// that check (a blob written again since stays); whether it was removed.
    async fn delete_blob_written_before(
        &self,
        key: &BlobKey,
        before: DateTime<Utc>,
    ) -> Result<bool>;
}

/// A blob as the sweep lists it: when it was last written, and its key. Ordered by both, in
/// that order; a listing continues after one of these.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WrittenBlob {
    /// When it was last written.
    pub written_at: DateTime<Utc>,
    /// Its key.
    pub key: BlobKey,
}

impl WrittenBlob {
    /// The page of a listing held in memory that [`BlobStore::blobs_written_before`] answers:
    /// the blobs after `after`, in order, at most `limit` (for stores that list by scanning).
    pub fn page(
        blobs: impl IntoIterator<Item = WrittenBlob>,
        after: Option<&WrittenBlob>,
        limit: u32,
    ) -> Vec<WrittenBlob> {
        let mut page: Vec<WrittenBlob> = blobs
            .into_iter()
            .filter(|w| after.is_none_or(|a| w > a))
            .collect();
        page.sort();
        page.truncate(limit as usize);
        page
    }
}

/// Checks that `bytes` hash to `key`, as every [`BlobStore::put_blob`] must.
pub fn check_blob(key: &BlobKey, bytes: &[u8]) -> Result<()> {
    if BlobKey::of(bytes) == *key {
        Ok(())
    } else {
        Err(crate::Error::validation(
            "sha256",
            "the content does not match its sha256",
        ))
    }
}

/// A blob in memory: its bytes and when they were last written.
#[derive(Debug)]
struct Stored {
    bytes: Vec<u8>,
    written_at: DateTime<Utc>,
}

/// Blobs in memory, for tests and the reference store.
#[derive(Debug, Default)]
pub struct MemoryBlobStore {
    blobs: Mutex<HashMap<BlobKey, Stored>>,
}

impl MemoryBlobStore {
    /// An empty blob store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<BlobKey, Stored>> {
        self.blobs.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait]
impl BlobStore for MemoryBlobStore {
    async fn put_blob(&self, key: &BlobKey, bytes: &[u8], at: DateTime<Utc>) -> Result<()> {
        check_blob(key, bytes)?;
        self.lock()
            .entry(key.clone())
            .and_modify(|b| b.written_at = at)
            .or_insert_with(|| Stored {
                bytes: bytes.to_vec(),
                written_at: at,
            });
        Ok(())
    }

    async fn blob(&self, key: &BlobKey) -> Result<Option<Vec<u8>>> {
        Ok(self.lock().get(key).map(|b| b.bytes.clone()))
    }

    async fn blobs_written_before(
        &self,
        before: DateTime<Utc>,
        after: Option<&WrittenBlob>,
        limit: u32,
    ) -> Result<Vec<WrittenBlob>> {
        let old: Vec<WrittenBlob> = self
            .lock()
            .iter()
            .filter(|(_, b)| b.written_at < before)
            .map(|(key, b)| WrittenBlob {
                written_at: b.written_at,
                key: key.clone(),
            })
            .collect();
        Ok(WrittenBlob::page(old, after, limit))
    }

    async fn delete_blob_written_before(
        &self,
        key: &BlobKey,
        before: DateTime<Utc>,
    ) -> Result<bool> {
        let mut blobs = self.lock();
        match blobs.get(key) {
            Some(b) if b.written_at < before => Ok(blobs.remove(key).is_some()),
            _ => Ok(false),
        }
    }
}
