//! Blobs a desk uploads and sweeps: a commit that fails after its upload stored the bytes
//! deletes nothing (another message may hold the same bytes), and
//! [`Helpdesk::sweep_blobs`](crate::Helpdesk::sweep_blobs) removes only blobs no message
//! refers to that were last written before its grace period.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

use super::sla::at;
use crate::Result;
use crate::domain::{Ticket, TicketId};
use crate::error::{ConflictKind, Error};
use crate::machine::Command;
use crate::service::{Acting, AttachmentLimits, ExecOptions, Upload};
use crate::store::{
    BlobKey, BlobStore, MemoryBlobStore, Store, TicketWrite, WriteBatch, WrittenBlob,
};
use crate::testkit::{Fixture, body};

/// A memory blob store that counts deletions and, when told to, changes a ticket behind the
/// desk's back just before the next upload is stored, as a concurrent writer would: the
/// commit that upload belongs to then finds the ticket moved on.
#[derive(Debug)]
struct Watched {
    blobs: MemoryBlobStore,
    store: Arc<dyn Store>,
    move_on: Mutex<Option<TicketId>>,
    deletions: AtomicUsize,
}

impl Watched {
    fn new(store: Arc<dyn Store>) -> Arc<Self> {
        Arc::new(Self {
            blobs: MemoryBlobStore::new(),
            store,
            move_on: Mutex::new(None),
            deletions: AtomicUsize::new(0),
        })
    }

    /// Changes `ticket` (its version only) before the next upload is stored.
    fn move_on_before_the_next_upload(&self, ticket: TicketId) {
        *self.move_on.lock().unwrap() = Some(ticket);
    }
}

#[async_trait]
impl BlobStore for Watched {
    async fn put_blob(&self, key: &BlobKey, bytes: &[u8], at: DateTime<Utc>) -> Result<()> {
        let ticket = self.move_on.lock().unwrap().take();
        if let Some(id) = ticket {
            let stored = self.store.ticket(id).await?.expect("a stored ticket");
            let moved = Ticket {
                version: stored.version.next(),
                ..stored.clone()
            };
            let write = TicketWrite::update(stored.version, moved);
            self.store.commit(WriteBatch::one(write)).await?;
        }
        self.blobs.put_blob(key, bytes, at).await
    }
    async fn blob(&self, key: &BlobKey) -> Result<Option<Vec<u8>>> {
        self.blobs.blob(key).await
    }
    async fn blobs_written_before(
        &self,
        before: DateTime<Utc>,
        after: Option<&WrittenBlob>,
        limit: u32,
    ) -> Result<Vec<WrittenBlob>> {
        self.blobs.blobs_written_before(before, after, limit).await
    }
    async fn delete_blob_written_before(
        &self,
        key: &BlobKey,
        before: DateTime<Utc>,
    ) -> Result<bool> {
        self.deletions.fetch_add(1, Ordering::SeqCst);
        self.blobs.delete_blob_written_before(key, before).await
    }
}

fn pdf(name: &str, bytes: &[u8]) -> Upload {
    Upload::new(name, "application/pdf", bytes.to_vec())
}

/// A reply with `uploads` that must find the ticket at `expected`.
async fn reply_with(
    who: &Acting,
    ticket: TicketId,
    uploads: Vec<Upload>,
    expected: Option<crate::domain::Version>,
) -> Result<crate::service::Outcome> {
    let options = ExecOptions {
        expected,
        ..ExecOptions::default()
    };
    who.execute_with_uploads(ticket, Command::reply(body("files")), uploads, options)
        .await
}

pub async fn a_failed_commit_keeps_the_blobs_it_uploaded(store: Arc<dyn Store>) {
    let mut f = Fixture::new(store.clone()).await;
    let blobs = Watched::new(store.clone());
    f.desk = f
        .desk
        .clone()
        .with_blobs(blobs.clone(), AttachmentLimits::default());
    let ana = f.as_customer(&f.ana).await;
    let (contract, photo) = (b"the signed contract".as_slice(), b"a photo".as_slice());
    let new = f.new_ticket(&f.support, "Contract");
    let t = ana
        .open_ticket_with_uploads(new, vec![pdf("contract.pdf", contract)])
        .await
        .unwrap();
    let first = ana.thread(t.id).await.unwrap().remove(0);

    // The same contract again and a new photo, on a reply whose commit finds the ticket
    // changed since: a conflict, after both blobs were stored.
    blobs.move_on_before_the_next_upload(t.id);
    let uploads = vec![pdf("contract.pdf", contract), pdf("photo.pdf", photo)];
    let err = reply_with(&ana, t.id, uploads, Some(t.version))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Conflict {
                kind: ConflictKind::StaleVersion { .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(blobs.deletions.load(Ordering::SeqCst), 0, "no blob deleted");
    for bytes in [contract, photo] {
        assert_eq!(
            blobs.blob(&BlobKey::of(bytes)).await.unwrap().as_deref(),
            Some(bytes)
        );
    }
    // The first message still has its file; nothing of the reply was written.
    let (_, downloaded) = ana
        .attachment(t.id, first.id, first.attachments[0].sha256())
        .await
        .unwrap();
    assert_eq!(downloaded, contract);
    assert_eq!(ana.thread(t.id).await.unwrap().len(), 1);
    let keys = [BlobKey::of(contract), BlobKey::of(photo)];
    assert_eq!(
        store.referenced_blobs(&keys).await.unwrap(),
        [keys[0].clone()]
    );

    // Without an expected version the desk decides the reply again on the changed ticket:
    // it is written, with the photo, which is then referenced.
    blobs.move_on_before_the_next_upload(t.id);
    reply_with(&ana, t.id, vec![pdf("photo.pdf", photo)], None)
        .await
        .unwrap();
    let last = ana.thread(t.id).await.unwrap().pop().unwrap();
    let (_, downloaded) = ana
        .attachment(t.id, last.id, last.attachments[0].sha256())
        .await
        .unwrap();
    assert_eq!(downloaded, photo);
    let mut referenced = store.referenced_blobs(&keys).await.unwrap();
    referenced.sort();
    let mut both = keys.to_vec();
    both.sort();
    assert_eq!(referenced, both);
    assert_eq!(blobs.deletions.load(Ordering::SeqCst), 0, "no blob deleted");
}

pub async fn the_sweep_removes_only_old_unreferenced_blobs(store: Arc<dyn Store>) {
    let mut f = Fixture::new(store.clone()).await;
    // Without a blob store there is nothing to sweep.
    let t0 = at("2026-01-05T09:00:00Z");
    assert_eq!(
        f.desk
            .sweep_blobs(t0, Duration::hours(1), 10)
            .await
            .unwrap(),
        0
    );
    let blobs = Watched::new(store.clone());
    f.desk = f
        .desk
        .clone()
        .with_blobs(blobs.clone(), AttachmentLimits::default());
    let grace = Duration::hours(1);
    let sweep = async |minutes: i64, seconds: i64, limit: u32| {
        let now = t0 + Duration::minutes(minutes) + Duration::seconds(seconds);
        f.desk.sweep_blobs(now, grace, limit).await.unwrap()
    };
    let stored = async |bytes: &[u8]| blobs.blob(&BlobKey::of(bytes)).await.unwrap().is_some();
    let put = async |bytes: &[u8], seconds: i64| {
        let key = BlobKey::of(bytes);
        blobs
            .put_blob(&key, bytes, t0 + Duration::seconds(seconds))
            .await
            .unwrap();
    };
    // Uploads whose commits never came: two at 09:00:00 and 09:00:01, one at 09:00:02.
    let (oldest, older, again) = (
        b"oldest".as_slice(),
        b"older".as_slice(),
        b"again".as_slice(),
    );
    put(oldest, 0).await;
    put(older, 1).await;
    put(again, 2).await;
    // A file on a ticket at 09:10.
    f.clock.set(t0 + Duration::minutes(10));
    let ana = f.as_customer(&f.ana).await;
    let kept = b"a file on a ticket".as_slice();
    let new = f.new_ticket(&f.support, "With a file");
    let t = ana
        .open_ticket_with_uploads(new, vec![pdf("kept.pdf", kept)])
        .await
        .unwrap();
    // An upload at 09:30 whose commit never came.
    let recent = b"recent".as_slice();
    put(recent, 30 * 60).await;
    // At 09:50 the third is uploaded again, on a reply whose commit fails: written again.
    f.clock.set(t0 + Duration::minutes(50));
    blobs.move_on_before_the_next_upload(t.id);
    let version = store.ticket(t.id).await.unwrap().unwrap().version;
    assert!(
        reply_with(&ana, t.id, vec![pdf("again.pdf", again)], Some(version))
            .await
            .is_err()
    );

    // At 10:00:05 (older than 09:00:05 is old): the two oldest orphans, one per sweep of
    // one, oldest first; the blob written again within the grace period stays.
    assert_eq!(sweep(60, 5, 1).await, 1);
    assert!(!stored(oldest).await && stored(older).await);
    assert_eq!(sweep(60, 5, 1).await, 1);
    assert!(!stored(older).await);
    assert_eq!(sweep(60, 5, 100).await, 0);
    assert!(stored(again).await && stored(recent).await && stored(kept).await);
    // At 10:20 the ticket's file is old, and referenced: it stays.
    assert_eq!(sweep(80, 0, 100).await, 0);
    assert!(stored(kept).await);
    // At 10:55 the two later orphans are old: removed; the ticket's file stays.
    assert_eq!(sweep(115, 0, 100).await, 2);
    assert!(!stored(again).await && !stored(recent).await);
    let first = ana.thread(t.id).await.unwrap().remove(0);
    let (_, bytes) = ana
        .attachment(t.id, first.id, first.attachments[0].sha256())
        .await
        .unwrap();
    assert_eq!(bytes, kept);
    assert_eq!(sweep(24 * 60, 0, 100).await, 0);
}

/// Referenced blobs older than every orphan: a sweep of one blob a call looks at them first,
/// keeps them and goes on after them next time, so the orphans behind them are removed; past
/// the newest old blob it starts from the oldest again.
pub async fn old_referenced_blobs_never_hold_the_sweep_back(store: Arc<dyn Store>) {
    let mut f = Fixture::new(store.clone()).await;
    let blobs = Watched::new(store.clone());
    f.desk = f
        .desk
        .clone()
        .with_blobs(blobs.clone(), AttachmentLimits::default());
    let t0 = at("2026-01-05T09:00:00Z");
    f.clock.set(t0);
    let ana = f.as_customer(&f.ana).await;
    let files = [b"first file".as_slice(), b"second file".as_slice()];
    for (i, bytes) in files.iter().enumerate() {
        f.clock.set(t0 + Duration::minutes(i as i64));
        let new = f.new_ticket(&f.support, "With a file");
        ana.open_ticket_with_uploads(new, vec![pdf("file.pdf", bytes)])
            .await
            .unwrap();
    }
    let orphan = b"an upload whose commit never came".as_slice();
    blobs
        .put_blob(&BlobKey::of(orphan), orphan, t0 + Duration::minutes(5))
        .await
        .unwrap();
    let stored = async |bytes: &[u8]| blobs.blob(&BlobKey::of(bytes)).await.unwrap().is_some();
    let now = t0 + Duration::days(2);
    let sweep = async || f.desk.sweep_blobs(now, Duration::days(1), 1).await.unwrap();
    assert_eq!(sweep().await, 0, "the first file is referenced");
    assert_eq!(sweep().await, 0, "so is the second");
    assert!(stored(orphan).await);
    assert_eq!(sweep().await, 1, "the orphan behind them");
    assert!(!stored(orphan).await);
    // From the oldest again: the referenced files stay, whatever the number of rounds.
    for _ in 0..4 {
        assert_eq!(sweep().await, 0);
    }
    for bytes in files {
        assert!(stored(bytes).await);
    }
}
