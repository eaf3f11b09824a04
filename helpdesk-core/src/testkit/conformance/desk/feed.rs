//! The change feed through the desk: each principal reads only what they may see, and
//! resumes past what they may not; a waiting customer is woken by their own ticket's change,
//! not another's; `run_due` prunes the records older than the stored retention, which only
//! admins set.

use std::sync::Arc;
use std::time::Duration;

use super::{note, reply};
use crate::error::{Error, ForbiddenReason};
use crate::feed::{FeedChange, FeedPosition, FeedRetention, MessageScope};
use crate::store::{MAX_FEED_READ, Store};
use crate::testkit::{Fixture, ability};

const LONG: Duration = Duration::from_secs(60);

fn kinds(page: &crate::service::ChangesPage) -> Vec<&'static str> {
    page.changes.iter().map(|e| e.change.kind()).collect()
}

pub async fn each_principal_follows_only_what_they_may_see(store: Arc<dyn Store>) {
    if ability(store.as_change_feed(), "the change feed").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let (admin, ivan, maria, ana, reza) = (
        f.as_agent(&f.admin).await,
        f.as_agent(&f.ivan).await,
        f.as_agent(&f.maria).await,
        f.as_customer(&f.ana).await,
        f.as_customer(&f.reza).await,
    );
    let start = FeedPosition::START;
    let mine = f.open(&f.ana, "Нет интернета").await;
    ivan.execute(mine.id, note("Check the router zqx"))
        .await
        .unwrap();
    f.open(&f.reza, "اینترنت قطع است").await;
    let everything = admin.changes_after(start, MAX_FEED_READ).await.unwrap();
    let seen = ana.changes_after(start, MAX_FEED_READ).await.unwrap();
    // Resumed past everything, seen or not.
    assert_eq!(seen.next, everything.next);
    assert!(everything.changes.len() > seen.changes.len());
    for entry in &seen.changes {
        assert_eq!(entry.change.ticket(), Some(mine.id), "{entry:?}");
        assert!(
            !matches!(
                entry.change,
                FeedChange::MessageAdded {
                    scope: MessageScope::Internal,
                    ..
                }
            ),
            "{entry:?}"
        );
        if let FeedChange::TicketChanged { events, .. } = &entry.change {
            assert!(!events.iter().any(|k| k == "note_added"), "{entry:?}");
        }
    }
    assert_eq!(kinds(&seen)[..2], ["ticket_created", "message_added"]);
    // The note is not there at all: the ticket's change was staff-only.
    assert_eq!(
        seen.changes
            .iter()
            .filter(|e| matches!(e.change, FeedChange::MessageAdded { .. }))
            .count(),
        1
    );
    // Ivan reads support; Maria (billing only) nothing of either ticket.
    let ivans = ivan.changes_after(start, MAX_FEED_READ).await.unwrap();
    assert!(ivans.changes.iter().any(|e| matches!(
        e.change,
        FeedChange::MessageAdded {
            scope: MessageScope::Internal,
            ..
        }
    )));
    let marias = maria.changes_after(start, MAX_FEED_READ).await.unwrap();
    assert!(
        marias.changes.iter().all(|e| e.change.ticket().is_none()
            || matches!(e.change, FeedChange::NotificationCreated { .. })),
        "{marias:?}"
    );
    // Reza sees his ticket only.
    let rezas = reza.changes_after(start, MAX_FEED_READ).await.unwrap();
    assert!(!rezas.changes.is_empty());
    assert!(
        rezas
            .changes
            .iter()
            .all(|e| e.change.ticket() != Some(mine.id))
    );
    // Reading a page at a time gives the same records.
    let mut paged = Vec::new();
    let mut after = start;
    loop {
        let page = ana.changes_after(after, 1).await.unwrap();
        if page.next == after {
            break;
        }
        after = page.next;
        paged.extend(page.changes);
    }
    assert_eq!(paged, seen.changes);
    assert!(matches!(
        ana.changes_after(start, 0).await,
        Err(Error::Validation(_))
    ));
    assert!(matches!(
        ana.changes_after(start, MAX_FEED_READ + 1).await,
        Err(Error::Validation(_))
    ));
}

pub async fn a_waiting_customer_is_woken_by_their_ticket_not_anothers(store: Arc<dyn Store>) {
    if ability(store.as_change_feed(), "the change feed").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let mine = f.open(&f.ana, "Нет интернета").await;
    let ana = f.as_customer(&f.ana).await;
    let now = ana
        .changes_after(FeedPosition::START, MAX_FEED_READ)
        .await
        .unwrap()
        .next;
    // Nothing new: an empty page when the time passes.
    let idle = ana
        .wait_for_changes(now, Duration::from_millis(20))
        .await
        .unwrap();
    assert!(idle.changes.is_empty());
    assert_eq!(idle.next, now);
    let waiting = tokio::spawn(async move { ana.wait_for_changes(now, LONG).await.unwrap() });
    tokio::task::yield_now().await;
    // Another customer's ticket first: skipped, the wait goes on.
    f.open(&f.reza, "اینترنت قطع است").await;
    let ivan = f.as_agent(&f.ivan).await;
    ivan.execute(mine.id, reply("Restart it")).await.unwrap();
    let page = waiting.await.unwrap();
    assert!(!page.changes.is_empty());
    assert!(
        page.changes
            .iter()
            .all(|e| e.change.ticket() == Some(mine.id))
    );
    assert!(page.changes.iter().any(|e| matches!(
        e.change,
        FeedChange::MessageAdded {
            scope: MessageScope::Public,
            ..
        }
    )));
    let ana = f.as_customer(&f.ana).await;
    assert!(matches!(
        ana.wait_for_changes(now, crate::service::MAX_FEED_WAIT + Duration::from_secs(1))
            .await,
        Err(Error::Validation(_))
    ));
}

fn days(n: u32) -> FeedRetention {
    FeedRetention::from_days(n).unwrap()
}

pub async fn run_due_prunes_changes_older_than_the_stored_retention(store: Arc<dyn Store>) {
    if ability(store.as_change_feed(), "the change feed").is_none()
        || ability(store.as_settings_store(), "settings").is_none()
    {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    f.open(&f.ana, "Нет интернета").await;
    let admin = f.as_agent(&f.admin).await;
    let ivan = f.as_agent(&f.ivan).await;
    assert_eq!(
        admin.feed_retention().await.unwrap(),
        FeedRetention::DEFAULT
    );
    assert_eq!(admin.settings().await.unwrap().feed_retention_days, None);
    for refused in [
        ivan.set_feed_retention(Some(days(30))).await,
        ivan.feed_retention().await.map(drop),
    ] {
        assert!(matches!(
            refused,
            Err(Error::Forbidden {
                reason: ForbiddenReason::AdminOnly
            })
        ));
    }
    admin.set_feed_retention(Some(days(30))).await.unwrap();
    assert_eq!(admin.feed_retention().await.unwrap(), days(30));
    assert_eq!(
        admin.settings().await.unwrap().feed_retention_days,
        Some(days(30))
    );
    let held = admin
        .changes_after(FeedPosition::START, MAX_FEED_READ)
        .await
        .unwrap();
    let newest = held.changes.last().unwrap().at;
    // Eight days on: kept for thirty days.
    let report = f
        .desk
        .run_due(newest + chrono::Duration::days(8))
        .await
        .unwrap();
    assert_eq!(report.feed_pruned, 0);
    // Unset: back to the default week.
    admin.set_feed_retention(None).await.unwrap();
    assert_eq!(admin.feed_retention().await.unwrap(), days(7));
    let report = f
        .desk
        .run_due(newest + chrono::Duration::days(8))
        .await
        .unwrap();
    let after = admin
        .changes_after(FeedPosition::START, MAX_FEED_READ)
        .await
        .unwrap();
    assert!(
        report.feed_pruned >= held.changes.len() as u64,
        "{report:?}"
    );
    // What is left was committed by the run itself (and the setting's change), not before.
    assert!(after.changes.iter().all(|e| e.at > newest));
}
