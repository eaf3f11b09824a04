//! A commit reads the webhook endpoints (locked `FOR SHARE`) only when the request's own
//! reads found some enabled: on a desk without endpoints a change makes no extra round
//! trip. Shown with a lock another session holds on the table that blocks `FOR SHARE` but
//! not a plain read: a commit that read the endpoints would wait on it.

use std::sync::Arc;
use std::time::Duration;

use helpdesk_core::service::WebhookDraft;
use helpdesk_core::testkit::Fixture;
use helpdesk_core::webhooks::{WebhookEvents, WebhookUrl};
use helpdesk_postgres::testing;

/// Far above any commit's time: reaching it means the commit waited on the lock.
const HANG_GUARD: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_a_desk_without_endpoints_reads_none_in_its_commit() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let f = Fixture::new(Arc::new(store.clone())).await;
    let mut holder = store.pool().begin().await.unwrap();
    sqlx::query("LOCK TABLE webhook_endpoints IN EXCLUSIVE MODE")
        .execute(&mut *holder)
        .await
        .unwrap();
    let opened = tokio::time::timeout(HANG_GUARD, f.open(&f.ana, "No hooks here")).await;
    holder.rollback().await.unwrap();
    let ticket = opened.expect("the commit waited on the endpoints' lock: it read them");
    assert!(store_has(&f, ticket.id).await);
    testing::discard(store).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_an_enabled_endpoint_the_commit_reads_and_locks_them() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let f = Arc::new(Fixture::new(Arc::new(store.clone())).await);
    let admin = f.as_agent(&f.admin).await;
    let draft = WebhookDraft {
        url: WebhookUrl::parse("https://hooks.example.com/").unwrap(),
        description: String::new(),
        events: WebhookEvents::parse(&["ticket_created"]).unwrap(),
        enabled: true,
    };
    let hook = admin.create_webhook(draft).await.unwrap().endpoint.id;
    let mut holder = store.pool().begin().await.unwrap();
    sqlx::query("LOCK TABLE webhook_endpoints IN EXCLUSIVE MODE")
        .execute(&mut *holder)
        .await
        .unwrap();
    let opening = tokio::spawn({
        let f = f.clone();
        async move { f.open(&f.ana, "Hooked").await }
    });
    // The commit waits on the lock (seen by the server), and goes on once it is released.
    let waiting = async {
        loop {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT count(*) FROM pg_locks \
                 WHERE relation = 'webhook_endpoints'::regclass AND NOT granted",
            )
            .fetch_one(store.pool())
            .await
            .unwrap();
            if n > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(HANG_GUARD, waiting)
        .await
        .expect("the commit never waited on the endpoints");
    holder.rollback().await.unwrap();
    let ticket = tokio::time::timeout(HANG_GUARD, opening)
        .await
        .unwrap()
        .unwrap();
    assert!(store_has(&f, ticket.id).await);
    assert_eq!(admin.webhook_deliveries(hook, 10).await.unwrap().len(), 1);
    testing::discard(store).await.unwrap();
}

async fn store_has(f: &Fixture, id: helpdesk_core::domain::TicketId) -> bool {
    f.desk.store().ticket(id).await.unwrap().is_some()
}
