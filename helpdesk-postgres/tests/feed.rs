//! The change feed on PostgreSQL across pools, as across processes: a reader waiting on one
//! pool is woken by a commit through another (`LISTEN`/`NOTIFY`), and positions go on in a
//! new pool after every record was pruned.

use std::time::Duration;

use helpdesk_core::domain::{CustomerId, DepartmentId};
use helpdesk_core::feed::FeedPosition;
use helpdesk_core::store::{ChangeFeed, Store, TicketWrite, WriteBatch};
use helpdesk_core::testkit::samples::{number, ticket};
use helpdesk_postgres::testing;

fn created(n: u64) -> WriteBatch {
    WriteBatch::one(TicketWrite::create(ticket(
        number(n),
        DepartmentId::new(),
        CustomerId::new(),
    )))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_on_one_pool_is_woken_by_a_commit_through_another() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let other = testing::another_process(&store).await.unwrap();
    let waiting = tokio::spawn({
        let other = other.clone();
        async move {
            other
                .wait_for_changes(FeedPosition::START, Duration::from_secs(60))
                .await
                .unwrap()
        }
    });
    tokio::task::yield_now().await;
    store.commit(created(1)).await.unwrap();
    assert!(waiting.await.unwrap());
    let seen = other.changes_after(FeedPosition::START, 10).await.unwrap();
    assert_eq!(seen.len(), 1);
    other.pool().close().await;
    testing::discard(store).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positions_go_on_in_a_new_pool_after_every_record_was_pruned() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    store.commit(created(1)).await.unwrap();
    store.commit(created(2)).await.unwrap();
    let last = store.last_position().await.unwrap();
    assert_eq!(last, FeedPosition::new(2));
    let later = chrono::Utc::now() + chrono::Duration::days(1);
    assert_eq!(store.prune_changes(later).await.unwrap(), 2);

    let restarted = testing::another_process(&store).await.unwrap();
    assert_eq!(restarted.last_position().await.unwrap(), last);
    restarted.commit(created(3)).await.unwrap();
    let after = restarted
        .changes_after(FeedPosition::START, 10)
        .await
        .unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].position, FeedPosition::new(3));
    restarted.pool().close().await;
    testing::discard(store).await.unwrap();
}
