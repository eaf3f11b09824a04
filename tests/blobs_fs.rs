//! `FsBlobStore` keeps the blob store contract, lays files out by hash, and never shows what
//! a crashed writer left behind.

use std::sync::Arc;

use chrono::{Duration, Utc};

use helpdesk::FsBlobStore;
use helpdesk::store::{BlobKey, BlobStore};
use helpdesk_core::testkit::blobs::blob_store_conformance;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fs_blob_store_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().unwrap();
    let blobs = FsBlobStore::open(dir.path().join("blobs")).await.unwrap();
    blob_store_conformance(Arc::new(blobs)).await;
}

#[tokio::test(flavor = "current_thread")]
async fn conformance_holds_on_a_current_thread_runtime_too() {
    let dir = tempfile::tempdir().unwrap();
    let blobs = FsBlobStore::open(dir.path()).await.unwrap();
    blob_store_conformance(Arc::new(blobs)).await;
}

#[tokio::test]
async fn blobs_are_files_fanned_out_by_their_hash() {
    let dir = tempfile::tempdir().unwrap();
    let blobs = FsBlobStore::open(dir.path().join("a/b/c")).await.unwrap();
    assert!(dir.path().join("a/b/c").is_dir(), "open creates the root");

    let bytes = b"abc";
    let key = BlobKey::of(bytes);
    blobs.put_blob(&key, bytes, Utc::now()).await.unwrap();
    let path = dir
        .path()
        .join("a/b/c/ba/78")
        .join("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_eq!(blobs.path_of(&key), path);
    assert_eq!(std::fs::read(&path).unwrap(), bytes);

    // Nothing but the blob is left in its directory: the temporary file was renamed.
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [path.file_name().unwrap()]);

    // A second store on the same directory sees it.
    let again = FsBlobStore::open(dir.path().join("a/b/c")).await.unwrap();
    assert_eq!(again.blob(&key).await.unwrap().as_deref(), Some(&bytes[..]));
}

#[tokio::test]
async fn leftovers_of_a_crashed_write_are_not_blobs() {
    let dir = tempfile::tempdir().unwrap();
    let blobs = FsBlobStore::open(dir.path()).await.unwrap();
    let bytes: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
    let key = BlobKey::of(&bytes);
    let path = blobs.path_of(&key);
    let blob_dir = path.parent().unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();

    // A writer died after writing half the bytes to its temporary files, before the rename.
    std::fs::create_dir_all(blob_dir).unwrap();
    for stray in [
        format!(".{name}.4242-0-123.tmp"),
        format!("{name}.tmp"),
        format!(".{name}.tmp"),
    ] {
        std::fs::write(blob_dir.join(stray), &bytes[..bytes.len() / 2]).unwrap();
    }

    assert_eq!(blobs.blob(&key).await.unwrap(), None);
    let later = Utc::now() + Duration::days(1);
    assert!(!blobs.delete_blob_written_before(&key, later).await.unwrap());
    assert!(
        blobs
            .blobs_written_before(later, None, 10)
            .await
            .unwrap()
            .is_empty(),
        "strays are not listed as blobs"
    );

    // Storing the blob for real works and gives the whole bytes.
    blobs.put_blob(&key, &bytes, Utc::now()).await.unwrap();
    assert_eq!(blobs.blob(&key).await.unwrap().as_deref(), Some(&bytes[..]));

    // A truncated stray is not taken for the blob of its own (shorter) contents either.
    let half = &bytes[..bytes.len() / 2];
    assert_eq!(blobs.blob(&BlobKey::of(half)).await.unwrap(), None);
}

#[tokio::test]
async fn a_wrong_hash_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let blobs = FsBlobStore::open(dir.path()).await.unwrap();
    let key = BlobKey::of(b"one thing");
    let err = blobs
        .put_blob(&key, b"another", Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(err, helpdesk::Error::Validation(_)), "{err:?}");
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(entries.is_empty(), "{entries:?}");
}

#[tokio::test]
async fn io_errors_are_backend_errors_with_the_io_error_as_source() {
    let dir = tempfile::tempdir().unwrap();
    // The root is a file, so no blob directory can be made under it.
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let err = FsBlobStore::open(&file).await.unwrap_err();
    let helpdesk::Error::Backend { source } = &err else {
        panic!("{err:?}");
    };
    assert!(
        source.downcast_ref::<std::io::Error>().is_some(),
        "{source:?}"
    );
}
