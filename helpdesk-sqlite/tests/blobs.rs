//! The blob store in the database keeps the [`BlobStore`] contract of
//! `helpdesk_core::testkit`, in memory and in a file, where blobs survive reopening under
//! their hex sha256.

mod common;

use std::sync::Arc;

use common::db_path;
use helpdesk_core::store::{BlobKey, BlobStore};
use helpdesk_core::testkit::blobs::blob_store_conformance;
use helpdesk_core::testkit::samples;
use helpdesk_sqlite::SqliteStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn blobs_in_memory_keep_the_blob_store_contract() {
    let store = SqliteStore::open_in_memory().await.unwrap();
    blob_store_conformance(Arc::new(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn blobs_in_a_file_keep_the_blob_store_contract_and_survive_reopening() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    blob_store_conformance(Arc::new(store.clone())).await;
    let bytes = b"kept across a restart".to_vec();
    let key = BlobKey::of(&bytes);
    store.put_blob(&key, &bytes, samples::t0()).await.unwrap();
    store.close().await.unwrap();

    let store = SqliteStore::open(&path).await.unwrap();
    assert_eq!(store.blob(&key).await.unwrap(), Some(bytes));
    let stored: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT sha256 FROM blobs WHERE sha256 = ?1",
            [key.as_str()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, key.as_str(), "blobs are keyed by their hex sha256");
}
