//! The change feed on a database file: positions go on after the file is reopened, and a
//! reader waiting on one store of the file is woken by a commit through another.

mod common;

use std::time::Duration;

use common::db_path;
use helpdesk_core::domain::{CustomerId, DepartmentId};
use helpdesk_core::feed::FeedPosition;
use helpdesk_core::store::{ChangeFeed, Store, TicketWrite, WriteBatch};
use helpdesk_core::testkit::samples::{number, ticket};
use helpdesk_sqlite::SqliteStore;

fn created(n: u64) -> WriteBatch {
    WriteBatch::one(TicketWrite::create(ticket(
        number(n),
        DepartmentId::new(),
        CustomerId::new(),
    )))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positions_go_on_after_the_file_is_reopened_and_pruned() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    store.commit(created(1)).await.unwrap();
    store.commit(created(2)).await.unwrap();
    let last = store.last_position().await.unwrap();
    assert_eq!(last, FeedPosition::new(2));
    // Every record pruned, then the file closed.
    let later = chrono::Utc::now() + chrono::Duration::days(1);
    assert_eq!(store.prune_changes(later).await.unwrap(), 2);
    store.close().await.unwrap();

    let reopened = SqliteStore::open(&path).await.unwrap();
    assert_eq!(reopened.last_position().await.unwrap(), last);
    reopened.commit(created(3)).await.unwrap();
    let after = reopened
        .changes_after(FeedPosition::START, 10)
        .await
        .unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].position, FeedPosition::new(3));
    reopened.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_on_one_store_of_a_file_is_woken_by_a_commit_through_another() {
    let path = db_path();
    let writer = SqliteStore::open(&path).await.unwrap();
    let reader = SqliteStore::open(&path).await.unwrap();
    let waiting = tokio::spawn({
        let reader = reader.clone();
        async move {
            reader
                .wait_for_changes(FeedPosition::START, Duration::from_secs(60))
                .await
                .unwrap()
        }
    });
    tokio::task::yield_now().await;
    writer.commit(created(1)).await.unwrap();
    assert!(waiting.await.unwrap());
    assert_eq!(
        reader
            .changes_after(FeedPosition::START, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}
