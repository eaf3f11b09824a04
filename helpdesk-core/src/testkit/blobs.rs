//! The conformance check every [`BlobStore`] runs: content addressing, idempotent puts that
//! move the write instant, refusal of bytes that do not match their key, and the sweep's
//! listing and conditional deletion.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::error::Error;
use crate::store::{BlobKey, BlobStore, WrittenBlob};

/// The keys of a listing, in its order.
fn keys(written: Vec<WrittenBlob>) -> Vec<BlobKey> {
    written.into_iter().map(|w| w.key).collect()
}

fn at(minutes: i64) -> DateTime<Utc> {
    "2026-01-05T09:00:00Z"
        .parse::<DateTime<Utc>>()
        .expect("an instant")
        + Duration::minutes(minutes)
}

/// Panics unless `blobs` (empty when called) keeps the [`BlobStore`] contract.
pub async fn blob_store_conformance(blobs: Arc<dyn BlobStore>) {
    let small = b"hello, \xd0\xbc\xd0\xb8\xd1\x80\n\0binary".to_vec();
    let large: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let empty: Vec<u8> = Vec::new();
    for (minute, bytes) in [(0, &small), (1, &large), (2, &empty)] {
        let key = BlobKey::of(bytes);
        assert_eq!(blobs.blob(&key).await.unwrap(), None);
        blobs.put_blob(&key, bytes, at(minute)).await.unwrap();
        blobs.put_blob(&key, bytes, at(minute)).await.unwrap();
        assert_eq!(blobs.blob(&key).await.unwrap().as_ref(), Some(bytes));
    }

    // Bytes that do not hash to the key are refused and nothing is stored.
    let other = b"something else".to_vec();
    let wrong = BlobKey::of(b"not these bytes");
    let err = blobs.put_blob(&wrong, &other, at(3)).await.unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    assert_eq!(blobs.blob(&wrong).await.unwrap(), None);

    // Concurrent puts of the same blob agree.
    let shared = Arc::new(b"same bytes from many writers".to_vec());
    let key = BlobKey::of(&shared);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (blobs, shared, key) = (blobs.clone(), shared.clone(), key.clone());
        tasks.push(tokio::spawn(async move {
            blobs.put_blob(&key, &shared, at(10)).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(
        blobs.blob(&key).await.unwrap().as_deref(),
        Some(&shared[..])
    );

    // Oldest first with their write instants, only those written before the instant, at
    // most the limit, and after a given one.
    let (small_key, large_key) = (BlobKey::of(&small), BlobKey::of(&large));
    let written = |minute, key: &BlobKey| WrittenBlob {
        written_at: at(minute),
        key: key.clone(),
    };
    assert_eq!(
        blobs.blobs_written_before(at(2), None, 10).await.unwrap(),
        vec![written(0, &small_key), written(1, &large_key)]
    );
    assert_eq!(
        keys(blobs.blobs_written_before(at(100), None, 1).await.unwrap()),
        vec![small_key.clone()]
    );
    let all = blobs.blobs_written_before(at(100), None, 10).await.unwrap();
    assert_eq!(all.len(), 4, "{all:?}");
    let after_first = blobs
        .blobs_written_before(at(100), Some(&all[0]), 10)
        .await
        .unwrap();
    assert_eq!(after_first, all[1..]);
    let after_last = blobs
        .blobs_written_before(at(100), all.last(), 10)
        .await
        .unwrap();
    assert!(after_last.is_empty());

    // Writing a blob again moves its instant: the sweep no longer sees it as old, and a
    // deletion of it as old removes nothing.
    blobs.put_blob(&small_key, &small, at(20)).await.unwrap();
    assert_eq!(
        keys(blobs.blobs_written_before(at(2), None, 10).await.unwrap()),
        vec![large_key.clone()]
    );
    assert!(
        !blobs
            .delete_blob_written_before(&small_key, at(2))
            .await
            .unwrap()
    );
    assert!(blobs.blob(&small_key).await.unwrap().is_some());

    // An old blob is deleted, once; the others stay.
    assert!(
        blobs
            .delete_blob_written_before(&large_key, at(2))
            .await
            .unwrap()
    );
    assert!(
        !blobs
            .delete_blob_written_before(&large_key, at(2))
            .await
            .unwrap()
    );
    assert_eq!(blobs.blob(&large_key).await.unwrap(), None);
    assert_eq!(
        blobs.blob(&small_key).await.unwrap().map(|b| b.len()),
        Some(small.len()),
        "deleting one blob leaves the others"
    );
    // A deleted blob can be stored again.
    blobs.put_blob(&large_key, &large, at(30)).await.unwrap();
    assert_eq!(
        blobs.blob(&large_key).await.unwrap().map(|b| b.len()),
        Some(large.len())
    );
}
