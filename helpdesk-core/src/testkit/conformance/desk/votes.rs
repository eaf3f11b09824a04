//! "Did this help?" through the desk: one vote per person per article, which the person may
//! change and which counts once, however often and however concurrently they send it;
//! the system is no person and does not vote.

use std::sync::Arc;

use crate::domain::{Article, ArticleStatus, Language, Visibility};
use crate::error::{Error, ForbiddenReason};
use crate::service::Acting;
use crate::store::Store;
use crate::testkit::{Fixture, ability};

use super::knowledge::draft;

/// The fixture and a published public article Ivan wrote, with no votes; `None` when the
/// store has no knowledge base.
async fn scene(store: Arc<dyn Store>) -> Option<(Fixture, Article)> {
    ability(store.as_knowledge_store(), "the knowledge base")?;
    let f = Fixture::new(store).await;
    super::knowledge::add_faq(&f).await;
    let article = f
        .as_agent(&f.ivan)
        .await
        .create_article(draft(
            "How to restart the router",
            "Unplug the router, wait ten seconds, plug it in.",
            Language::English,
            ArticleStatus::Published,
            Visibility::Public,
        ))
        .await
        .unwrap();
    Some((f, article))
}

/// The article's `(helpful, not_helpful)` counts as `who` reads them.
async fn counts(who: &Acting, article: &Article) -> (u32, u32) {
    let a = who.article(article.id).await.unwrap();
    (a.helpful, a.not_helpful)
}

pub async fn voting_twice_the_same_way_counts_once(store: Arc<dyn Store>) {
    let Some((f, article)) = scene(store).await else {
        return;
    };
    let ana = f.as_customer(&f.ana).await;
    let first = ana.vote_article(article.id, true).await.unwrap();
    assert_eq!((first.helpful, first.not_helpful), (1, 0));
    let again = ana.vote_article(article.id, true).await.unwrap();
    assert_eq!(again, first, "the same vote again changes nothing");
    assert_eq!(counts(&ana, &article).await, (1, 0));
}

pub async fn changing_a_vote_moves_it(store: Arc<dyn Store>) {
    let Some((f, article)) = scene(store).await else {
        return;
    };
    let ana = f.as_customer(&f.ana).await;
    ana.vote_article(article.id, true).await.unwrap();
    let moved = ana.vote_article(article.id, false).await.unwrap();
    assert_eq!((moved.helpful, moved.not_helpful), (0, 1));
    let back = ana.vote_article(article.id, true).await.unwrap();
    assert_eq!((back.helpful, back.not_helpful), (1, 0));
    assert_eq!(counts(&ana, &article).await, (1, 0));
}

pub async fn each_person_counts_once_customers_and_agents_alike(store: Arc<dyn Store>) {
    let Some((f, article)) = scene(store).await else {
        return;
    };
    let ana = f.as_customer(&f.ana).await;
    let reza = f.as_customer(&f.reza).await;
    let maria = f.as_agent(&f.maria).await;
    ana.vote_article(article.id, true).await.unwrap();
    reza.vote_article(article.id, true).await.unwrap();
    assert_eq!(counts(&ana, &article).await, (2, 0), "two people count two");
    maria.vote_article(article.id, false).await.unwrap();
    maria.vote_article(article.id, false).await.unwrap();
    reza.vote_article(article.id, false).await.unwrap();
    assert_eq!(counts(&maria, &article).await, (1, 2));
}

pub async fn concurrent_votes_by_one_person_count_once(store: Arc<dyn Store>) {
    let Some((f, article)) = scene(store).await else {
        return;
    };
    let ana = f.as_customer(&f.ana).await;
    let votes: Vec<_> = (0..12)
        .map(|i| {
            let ana = ana.clone();
            let id = article.id;
            tokio::spawn(async move { ana.vote_article(id, i % 3 != 0).await })
        })
        .collect();
    for v in votes {
        let after = v.await.unwrap().unwrap();
        assert_eq!(after.helpful + after.not_helpful, 1, "{after:?}");
    }
    let (helpful, not_helpful) = counts(&ana, &article).await;
    assert_eq!(helpful + not_helpful, 1);
}

pub async fn the_system_does_not_vote(store: Arc<dyn Store>) {
    let Some((f, article)) = scene(store).await else {
        return;
    };
    let system = f.desk.as_system();
    assert!(matches!(
        system.vote_article(article.id, true).await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::PeopleOnly
        })
    ));
    assert_eq!(counts(&system, &article).await, (0, 0));
}
