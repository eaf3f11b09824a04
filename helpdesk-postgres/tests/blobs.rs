//! The blob store conformance check from `helpdesk_core::testkit`, on a fresh schema of the
//! `DATABASE_URL` server (skipped, loudly, without one).

use std::sync::Arc;

use helpdesk_core::store::{BlobKey, BlobStore};
use helpdesk_core::testkit::blobs::blob_store_conformance;
use helpdesk_postgres::testing;

#[tokio::test]
async fn the_database_keeps_the_blob_store_contract() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    blob_store_conformance(Arc::new(store.clone())).await;
    testing::discard(store).await.unwrap();
}

/// A blob is a row keyed by its sha256 in hex, as attachments name it.
#[tokio::test]
async fn a_blob_is_stored_under_its_hex_sha256() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let bytes = b"abc";
    let key = BlobKey::of(bytes);
    store
        .put_blob(&key, bytes, helpdesk_core::testkit::samples::t0())
        .await
        .unwrap();
    let (sha256, stored): (String, Vec<u8>) = sqlx::query_as("SELECT sha256, bytes FROM blobs")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(
        sha256,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(stored, bytes);
    testing::discard(store).await.unwrap();
}
