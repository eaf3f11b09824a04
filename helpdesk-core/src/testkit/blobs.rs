//! The conformance check every [`BlobStore`] runs: content addressing, idempotent puts,
//! refusal of bytes that do not match their key, and deletion.

use std::sync::Arc;

use crate::error::Error;
use crate::store::{BlobKey, BlobStore};

/// Panics unless `blobs` (empty when called) keeps the [`BlobStore`] contract.
pub async fn blob_store_conformance(blobs: Arc<dyn BlobStore>) {
    let small = b"hello, \xd0\xbc\xd0\xb8\xd1\x80\n\0binary".to_vec();
    let large: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let empty: Vec<u8> = Vec::new();
    for bytes in [&small, &large, &empty] {
        let key = BlobKey::of(bytes);
        assert_eq!(blobs.blob(&key).await.unwrap(), None);
        blobs.put_blob(&key, bytes).await.unwrap();
        blobs.put_blob(&key, bytes).await.unwrap();
        assert_eq!(blobs.blob(&key).await.unwrap().as_ref(), Some(bytes));
    }

    // Bytes that do not hash to the key are refused and nothing is stored.
    let other = b"something else".to_vec();
    let wrong = BlobKey::of(b"not these bytes");
    let err = blobs.put_blob(&wrong, &other).await.unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    assert_eq!(blobs.blob(&wrong).await.unwrap(), None);

    // Concurrent puts of the same blob agree.
    let shared = Arc::new(b"same bytes from many writers".to_vec());
    let key = BlobKey::of(&shared);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (blobs, shared, key) = (blobs.clone(), shared.clone(), key.clone());
        tasks.push(tokio::spawn(
            async move { blobs.put_blob(&key, &shared).await },
        ));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(
        blobs.blob(&key).await.unwrap().as_deref(),
        Some(&shared[..])
    );

    let small_key = BlobKey::of(&small);
    assert!(blobs.delete_blob(&small_key).await.unwrap());
    assert!(!blobs.delete_blob(&small_key).await.unwrap());
    assert_eq!(blobs.blob(&small_key).await.unwrap(), None);
    assert_eq!(
        blobs
            .blob(&BlobKey::of(&large))
            .await
            .unwrap()
            .map(|b| b.len()),
        Some(large.len()),
        "deleting one blob leaves the others"
    );
}
