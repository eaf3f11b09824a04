//! Where attachment bytes live: a content-addressed blob store, separate from the ticket
//! store so that files can sit on a disk, in the database, or in an object store.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
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

/// A content-addressed store of bytes.
///
/// The contract (checked by `testkit::blobs::blob_store_conformance`): `put` is idempotent
/// and durable when it returns, and a reader never sees a partly written blob; `put` of bytes
/// whose sha256 is not the key is refused with a validation error and stores nothing.
#[async_trait]
pub trait BlobStore: Send + Sync + std::fmt::Debug + 'static {
    /// Stores `bytes` under `key` (their sha256). Storing the same blob again is a no-op.
    async fn put_blob(&self, key: &BlobKey, bytes: &[u8]) -> Result<()>;
    /// The bytes under `key`.
    async fn blob(&self, key: &BlobKey) -> Result<Option<Vec<u8>>>;
    /// Removes a blob; whether it was there.
    async fn delete_blob(&self, key: &BlobKey) -> Result<bool>;
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

/// Blobs in memory, for tests and the reference store.
#[derive(Debug, Default)]
pub struct MemoryBlobStore {
    blobs: Mutex<HashMap<BlobKey, Vec<u8>>>,
}

impl MemoryBlobStore {
    /// An empty blob store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<BlobKey, Vec<u8>>> {
        self.blobs.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait]
impl BlobStore for MemoryBlobStore {
    async fn put_blob(&self, key: &BlobKey, bytes: &[u8]) -> Result<()> {
        check_blob(key, bytes)?;
        self.lock()
            .entry(key.clone())
            .or_insert_with(|| bytes.to_vec());
        Ok(())
    }

    async fn blob(&self, key: &BlobKey) -> Result<Option<Vec<u8>>> {
        Ok(self.lock().get(key).cloned())
    }

    async fn delete_blob(&self, key: &BlobKey) -> Result<bool> {
        Ok(self.lock().remove(key).is_some())
    }
}
