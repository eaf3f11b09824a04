//! The server's periodic jobs: the blob sweep removes attachment bytes no message refers to
//! once they are a day old, beside the due timers.

use std::sync::Arc;

use chrono::{Duration, Utc};
use helpdesk::Helpdesk;
use helpdesk::domain::{Actor, CustomerKind, MessageBody, Name, Subject};
use helpdesk::machine::NewTicket;
use helpdesk::policy::FollowUpPolicy;
use helpdesk::service::BLOB_SWEEP_GRACE;
use helpdesk::service::{AttachmentLimits, NewCustomer, Upload};
use helpdesk::store::{BlobKey, BlobStore, MemoryBlobStore};
use helpdesk_server::Accounts;
use helpdesk_server::jobs::Jobs;

#[tokio::test]
async fn the_jobs_sweep_unreferenced_blobs_a_day_old_and_keep_the_rest() {
    let blobs = Arc::new(MemoryBlobStore::default());
    let store = helpdesk::connect(":memory:").await.unwrap();
    let desk = Helpdesk::new(store).with_blobs(blobs.clone(), AttachmentLimits::default());
    let system = desk.as_system();
    let support = system
        .create_department(Name::parse("Support").unwrap(), FollowUpPolicy::Reopen)
        .await
        .unwrap();
    let ana = system
        .create_customer(NewCustomer::new(
            CustomerKind::Individual,
            Name::parse("Ana").unwrap(),
        ))
        .await
        .unwrap();
    desk.acting_as(Actor::Customer(ana.id))
        .await
        .unwrap()
        .open_ticket_with_uploads(
            NewTicket::new(
                Subject::parse("Nu merge").unwrap(),
                MessageBody::parse("Jurnalul e atașat.").unwrap(),
                support.id,
            ),
            vec![Upload::new(
                "router.log",
                "text/plain",
                b"router log".to_vec(),
            )],
        )
        .await
        .unwrap();
    let now = Utc::now();
    // Left behind by failed commits: one two days ago, one (maybe in flight) just now.
    let (old, young) = (BlobKey::of(b"old stray"), BlobKey::of(b"young stray"));
    blobs
        .put_blob(&old, b"old stray", now - Duration::days(2))
        .await
        .unwrap();
    blobs.put_blob(&young, b"young stray", now).await.unwrap();

    let accounts = Arc::new(Accounts::for_tests(desk.store().clone()).unwrap());
    let jobs = Jobs {
        desk: desk.clone(),
        accounts,
        transport: None,
    };
    let round = jobs.run_once(now).await;
    assert_eq!(round.blobs_removed, Some(1), "{round:?}");
    assert!(round.due.is_some(), "{round:?}");
    assert_eq!(blobs.blob(&old).await.unwrap(), None);
    assert!(blobs.blob(&young).await.unwrap().is_some());

    // Past the grace period the young stray goes too; the attachment stays.
    let later = now + BLOB_SWEEP_GRACE + Duration::minutes(1);
    assert_eq!(jobs.run_once(later).await.blobs_removed, Some(1));
    assert_eq!(blobs.blob(&young).await.unwrap(), None);
    let attached = blobs.blob(&BlobKey::of(b"router log")).await.unwrap();
    assert_eq!(attached.as_deref(), Some(&b"router log"[..]));
}
