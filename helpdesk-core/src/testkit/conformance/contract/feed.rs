//! The change feed ([`ChangeFeed`](crate::store::ChangeFeed)): every committed batch and
//! chat commit yields its records ([`changes_of_batch`], [`changes_of_chat`]) in order, at
//! strictly increasing positions; a refused commit yields none; a follower reading while
//! eight committers race sees every record once, in position order; a waiting reader is
//! woken by a commit; pruning removes only the older records and keeps the last position.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;

use super::commit_scene::Scene;
use crate::domain::{
    AgentId, Availability, Change, ChatId, ChatSession, ChatState, CustomerId, DepartmentId,
    Presence, TicketId, Version, Visibility,
};
use crate::error::Error;
use crate::feed::{FeedChange, FeedPosition, changes_of_batch, changes_of_chat};
use crate::store::{ChangeFeed, ChatCommit, FeedEntry, Store, TicketWrite, WriteBatch};
use crate::testkit::ability;
use crate::testkit::samples::{at, event, message, number, ticket};

/// Long enough never to pass in a working test; a broken wake-up fails by it.
const LONG: Duration = Duration::from_secs(60);

async fn everything(feed: &dyn ChangeFeed) -> Vec<FeedEntry> {
    feed.changes_after(FeedPosition::START, crate::store::MAX_FEED_READ)
        .await
        .unwrap()
}

fn chat_commit() -> ChatCommit {
    let agent = AgentId::new();
    let chat = ChatSession {
        id: ChatId::new(),
        ticket_id: TicketId::new(),
        customer: CustomerId::new(),
        department: DepartmentId::new(),
        state: ChatState::Active {
            agent,
            since: at(3),
        },
        created_at: at(1),
        version: Version::FIRST,
    };
    let seat = Availability {
        agent,
        presence: Presence::Online,
        max_chats: 3,
        active_chats: 1,
        last_assigned_at: Some(at(3)),
        last_seen_at: Some(at(3)),
        version: Version::FIRST,
    };
    ChatCommit {
        chats: vec![(None, chat)],
        availability: vec![(None, seat)],
    }
}

pub async fn each_committed_batch_yields_its_records_in_order(store: Arc<dyn Store>) {
    let Some(feed) = ability(store.as_change_feed(), "the change feed") else {
        return;
    };
    assert_eq!(feed.last_position().await.unwrap(), FeedPosition::START);
    let (department, customer) = (DepartmentId::new(), CustomerId::new());
    let a = ticket(number(1), department, customer);
    let b = ticket(number(2), department, customer);
    let created = WriteBatch::of(vec![
        TicketWrite::create(a.clone())
            .with_message(message(&a, "Нет интернета", Visibility::Public))
            .with_message(message(&a, "Проверить роутер", Visibility::Internal)),
        TicketWrite::create(b.clone()),
    ]);
    let a2 = Scene::next(&a, |_| {});
    let changed = WriteBatch::one(
        TicketWrite::update(a.version, a2.clone())
            .with_event(event(
                &a2,
                Change::NoteAdded {
                    message: crate::domain::MessageId::new(),
                },
            ))
            .with_message(message(&a2, "Notă internă", Visibility::Internal)),
    );
    store.commit(created.clone()).await.unwrap();
    store.commit(changed.clone()).await.unwrap();
    let mut want = changes_of_batch(&created);
    want.extend(changes_of_batch(&changed));
    if let Some(chat) = ability(store.as_chat_store(), "live chat") {
        let commit = chat_commit();
        chat.commit_chat(commit.clone()).await.unwrap();
        let writes = commit
            .check(&Default::default(), &Default::default())
            .unwrap();
        want.extend(changes_of_chat(&writes));
    }
    let got = everything(feed).await;
    let changes: Vec<FeedChange> = got.iter().map(|e| e.change.clone()).collect();
    assert_eq!(changes, want);
    assert_eq!(
        feed.last_position().await.unwrap(),
        got.last().unwrap().position
    );
    // Reading on from any record gives the rest.
    let third = got[2].position;
    assert_eq!(feed.changes_after(third, 2).await.unwrap(), got[3..5]);
}

pub async fn a_refused_commit_yields_no_records(store: Arc<dyn Store>) {
    let Some(feed) = ability(store.as_change_feed(), "the change feed") else {
        return;
    };
    let s = Scene::new(store.clone()).await;
    let before = everything(feed).await;
    let last = feed.last_position().await.unwrap();
    // A stale version, and a new ticket whose number is taken: both refused.
    let stale = WriteBatch::of(vec![
        TicketWrite::create(s.fresh(90)),
        TicketWrite::update(
            s.b.version.next(),
            Scene::next(&Scene::next(&s.b, |_| {}), |_| {}),
        ),
    ]);
    assert!(matches!(
        store.commit(stale).await,
        Err(Error::Conflict { .. })
    ));
    let taken = WriteBatch::one(TicketWrite::create(ticket(
        number(1),
        s.department,
        s.customer,
    )));
    assert!(store.commit(taken).await.is_err());
    if let Some(chat) = store.as_chat_store() {
        let commit = chat_commit();
        chat.commit_chat(commit.clone()).await.unwrap();
        // The same chats again, as new: refused.
        assert!(chat.commit_chat(commit).await.is_err());
        assert_eq!(everything(feed).await.len(), before.len() + 2);
    } else {
        assert_eq!(everything(feed).await, before);
        assert_eq!(feed.last_position().await.unwrap(), last);
    }
    // What commits later follows on.
    store
        .commit(WriteBatch::one(TicketWrite::create(s.fresh(91))))
        .await
        .unwrap();
    let after = feed.changes_after(last, 100).await.unwrap();
    assert!(after.iter().all(|e| e.position > last));
    assert!(
        after
            .iter()
            .any(|e| matches!(e.change, FeedChange::TicketCreated { .. }))
    );
}

pub async fn positions_strictly_increase(store: Arc<dyn Store>) {
    let Some(feed) = ability(store.as_change_feed(), "the change feed") else {
        return;
    };
    let (department, customer) = (DepartmentId::new(), CustomerId::new());
    for n in 1..=5 {
        let t = ticket(number(n), department, customer);
        store
            .commit(WriteBatch::one(
                TicketWrite::create(t.clone()).with_message(message(
                    &t,
                    "Salut",
                    Visibility::Public,
                )),
            ))
            .await
            .unwrap();
    }
    let all = everything(feed).await;
    assert_eq!(all.len(), 10);
    assert!(all.windows(2).all(|w| w[0].position < w[1].position));
    assert!(all[0].position > FeedPosition::START);
    assert!(all.windows(2).all(|w| w[0].at <= w[1].at));
    assert_eq!(feed.last_position().await.unwrap(), all[9].position);
}

pub async fn a_follower_sees_every_record_of_concurrent_committers_once_in_order(
    store: Arc<dyn Store>,
) {
    let Some(feed) = ability(store.as_change_feed(), "the change feed") else {
        return;
    };
    const COMMITTERS: u64 = 8;
    const EACH: u64 = 12;
    let (department, customer) = (DepartmentId::new(), CustomerId::new());
    let mut committers = Vec::new();
    let mut created = HashSet::new();
    for c in 0..COMMITTERS {
        let tickets: Vec<_> = (0..EACH)
            .map(|i| ticket(number(1 + c * EACH + i), department, customer))
            .collect();
        created.extend(tickets.iter().map(|t| t.id));
        let store = store.clone();
        committers.push(tokio::spawn(async move {
            for t in tickets {
                store
                    .commit(WriteBatch::one(TicketWrite::create(t)))
                    .await
                    .unwrap();
            }
        }));
    }
    let follower = {
        let store = store.clone();
        tokio::spawn(async move {
            let feed = store.as_change_feed().unwrap();
            let mut seen: Vec<FeedEntry> = Vec::new();
            let mut after = FeedPosition::START;
            while seen.len() < (COMMITTERS * EACH) as usize {
                let page = feed.changes_after(after, 5).await.unwrap();
                if let Some(last) = page.last() {
                    after = last.position;
                } else {
                    feed.wait_for_changes(after, LONG).await.unwrap();
                }
                seen.extend(page);
            }
            seen
        })
    };
    for c in committers {
        c.await.unwrap();
    }
    let seen = follower.await.unwrap();
    assert!(seen.windows(2).all(|w| w[0].position < w[1].position));
    let ids: Vec<TicketId> = seen.iter().filter_map(|e| e.change.ticket()).collect();
    assert_eq!(ids.iter().copied().collect::<HashSet<_>>(), created);
    assert_eq!(ids.len(), created.len());
    // Nothing was skipped: the follower's records are the feed.
    assert_eq!(everything(feed).await, seen);
}

pub async fn a_waiting_reader_is_woken_by_a_commit(store: Arc<dyn Store>) {
    let Some(feed) = ability(store.as_change_feed(), "the change feed") else {
        return;
    };
    let (department, customer) = (DepartmentId::new(), CustomerId::new());
    // Nothing yet: the wait ends at its timeout, empty-handed.
    assert!(
        !feed
            .wait_for_changes(FeedPosition::START, Duration::from_millis(20))
            .await
            .unwrap()
    );
    let waiter = {
        let store = store.clone();
        tokio::spawn(async move {
            let feed = store.as_change_feed().unwrap();
            feed.wait_for_changes(FeedPosition::START, LONG)
                .await
                .unwrap()
        })
    };
    tokio::task::yield_now().await;
    store
        .commit(WriteBatch::one(TicketWrite::create(ticket(
            number(1),
            department,
            customer,
        ))))
        .await
        .unwrap();
    assert!(waiter.await.unwrap());
    // With a record there already, a wait returns at once; after the last, it waits.
    assert!(
        feed.wait_for_changes(FeedPosition::START, LONG)
            .await
            .unwrap()
    );
    let last = feed.last_position().await.unwrap();
    assert!(
        !feed
            .wait_for_changes(last, Duration::from_millis(20))
            .await
            .unwrap()
    );
}

pub async fn pruning_removes_only_the_older_records(store: Arc<dyn Store>) {
    let Some(feed) = ability(store.as_change_feed(), "the change feed") else {
        return;
    };
    let (department, customer) = (DepartmentId::new(), CustomerId::new());
    for n in 1..=3 {
        store
            .commit(WriteBatch::one(TicketWrite::create(ticket(
                number(n),
                department,
                customer,
            ))))
            .await
            .unwrap();
    }
    let all = everything(feed).await;
    let last = feed.last_position().await.unwrap();
    // Nothing is older than the first record.
    assert_eq!(feed.prune_changes(all[0].at).await.unwrap(), 0);
    // Just after the first record's instant: those committed at it go, the rest stay.
    let cut = all[0].at + TimeDelta::microseconds(1);
    let older = all.iter().filter(|e| e.at < cut).count() as u64;
    assert_eq!(feed.prune_changes(cut).await.unwrap(), older);
    let kept: Vec<FeedEntry> = all.iter().filter(|e| e.at >= cut).cloned().collect();
    assert_eq!(everything(feed).await, kept);
    // Everything pruned: the positions go on where they were.
    let later = all[2].at + TimeDelta::seconds(1);
    assert_eq!(feed.prune_changes(later).await.unwrap(), kept.len() as u64);
    assert!(everything(feed).await.is_empty());
    assert_eq!(feed.last_position().await.unwrap(), last);
    store
        .commit(WriteBatch::one(TicketWrite::create(ticket(
            number(4),
            department,
            customer,
        ))))
        .await
        .unwrap();
    let next = everything(feed).await;
    assert_eq!(next.len(), 1);
    assert!(next[0].position > last);
}
