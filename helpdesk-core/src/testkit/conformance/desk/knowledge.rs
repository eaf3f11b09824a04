//! The knowledge base through the desk: staff write articles, customers find only published
//! public ones, suggestions while writing a ticket weigh title words more, votes are
//! counted, one per person, and kept across rewrites.

use std::sync::Arc;

use crate::domain::{
    Article, ArticleId, ArticleStatus, ArticleTitle, Category, Language, Visibility,
};
use crate::error::Error;
use crate::service::{Acting, ArticleDraft};
use crate::store::Store;
use crate::testkit::{Fixture, ability, body};

pub(super) fn draft(
    title: &str,
    text: &str,
    language: Language,
    status: ArticleStatus,
    visibility: Visibility,
) -> ArticleDraft {
    ArticleDraft {
        title: ArticleTitle::parse(title).unwrap(),
        body: body(text),
        category: Category::parse("faq").unwrap(),
        language,
        status,
        visibility,
    }
}

/// Stores the category [`draft`] files articles in (articles need a stored one).
pub(super) async fn add_faq(f: &Fixture) {
    f.desk
        .as_system()
        .create_article_category(Category::parse("faq").unwrap())
        .await
        .unwrap();
}

fn ids(articles: Vec<Article>) -> Vec<ArticleId> {
    articles.into_iter().map(|a| a.id).collect()
}

async fn search(who: &Acting, q: &str, language: Option<Language>) -> Vec<ArticleId> {
    ids(who.search_articles(q, language, 10).await.unwrap())
}

async fn suggest(who: &Acting, text: &str) -> Vec<ArticleId> {
    ids(who.suggest_articles(text, None, 5).await.unwrap())
}

pub async fn knowledge_base_search_suggestions_and_votes(store: Arc<dyn Store>) {
    use ArticleStatus::{Draft, Published};
    use Language::{English, Persian, Romanian, Russian};
    use Visibility::{Internal, Public};
    if ability(store.as_knowledge_store(), "the knowledge base").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    add_faq(&f).await;
    let ivan = f.as_agent(&f.ivan).await;
    let mut written = Vec::new();
    for (title, text, language, status, visibility) in [
        (
            "How to restart the router",
            "Unplug the router, wait ten seconds, plug it in.",
            English,
            Published,
            Public,
        ),
        (
            "Resetarea parolei",
            "Asistența vă ajută să resetați parola contului.",
            Romanian,
            Published,
            Public,
        ),
        (
            "Нет интернета",
            "Проверьте кабель и перезагрузите роутер.",
            Russian,
            Published,
            Public,
        ),
        (
            "راه‌اندازی مجدد مودم",
            "مودم را خاموش و روشن کنید.",
            Persian,
            Published,
            Public,
        ),
        (
            "Router firmware 2.0 (draft)",
            "Not ready: router firmware notes.",
            English,
            Draft,
            Public,
        ),
        (
            "Router admin passwords",
            "Internal: router master password rotation.",
            English,
            Published,
            Internal,
        ),
    ] {
        let a = ivan
            .create_article(draft(title, text, language, status, visibility))
            .await
            .unwrap();
        written.push(a);
        f.tick(1);
    }
    let [router, ro, ru, fa, drafted, internal] = <[Article; 6]>::try_from(written).unwrap();
    let ana = f.as_customer(&f.ana).await;
    // Customers see published public articles only; staff see everything.
    assert_eq!(search(&ana, "router", None).await, [router.id]);
    assert_eq!(
        search(&ivan, "router", None).await,
        [internal.id, drafted.id, router.id]
    );
    assert_eq!(search(&ana, "asistenta", None).await, [ro.id]);
    assert_eq!(search(&ana, "ИНТЕРНЕТА", None).await, [ru.id]);
    assert_eq!(search(&ana, "راهاندازی", None).await, [fa.id]);
    assert!(search(&ana, "router", Some(Russian)).await.is_empty());
    for hidden in [&drafted, &internal] {
        assert!(matches!(
            ana.article(hidden.id).await,
            Err(Error::NotFound { .. })
        ));
    }
    // Suggestions while writing a ticket: title words weigh more.
    assert_eq!(
        suggest(&ana, "My router blinks, how do I restart it?").await,
        [router.id]
    );
    // The draft has router and firmware in its title and body (6), the internal article
    // router and passwords in its title and router in its body (5), the other router in
    // its title and body (3).
    assert_eq!(
        suggest(&ivan, "router firmware passwords").await,
        [drafted.id, internal.id, router.id]
    );
    assert!(suggest(&ana, "a b c").await.is_empty());
    // Votes are counted, one per person, concurrently too: customers and agents alike.
    let mut people = Vec::new();
    for c in [&f.ana, &f.acme, &f.reza] {
        people.push(f.as_customer(c).await);
    }
    for a in [&f.admin, &f.ivan, &f.maria, &f.boss] {
        people.push(f.as_agent(a).await);
    }
    let votes: Vec<_> = (people.into_iter().enumerate())
        .map(|(i, who)| {
            let id = router.id;
            tokio::spawn(async move { who.vote_article(id, i % 3 != 0).await })
        })
        .collect();
    for v in votes {
        v.await.unwrap().unwrap();
    }
    let voted = ana.article(router.id).await.unwrap();
    assert_eq!((voted.helpful, voted.not_helpful), (4, 3));
    assert!(matches!(
        ana.vote_article(drafted.id, true).await,
        Err(Error::NotFound { .. })
    ));
    let by_customer = draft("x", "y", English, Published, Public);
    assert!(matches!(
        ana.create_article(by_customer).await,
        Err(Error::Forbidden { .. })
    ));
    // Rewriting keeps the votes.
    f.tick(1);
    let rewrite = draft(
        "Restart your modem",
        "Modem steps.",
        English,
        Published,
        Public,
    );
    let rewritten = ivan.update_article(router.id, rewrite).await.unwrap();
    assert_eq!((rewritten.helpful, rewritten.not_helpful), (4, 3));
    let kb = store.as_knowledge_store().expect("offered above");
    assert_eq!(
        kb.article(router.id).await.unwrap(),
        Some(rewritten.clone())
    );
    assert!(search(&ana, "router", None).await.is_empty());
    assert_eq!(search(&ana, "modem", None).await, [rewritten.id]);
}

/// The knowledge base's index: customers get the published public articles, staff every
/// one; by category, then title.
pub async fn the_index_lists_by_category_what_the_reader_may_read(store: Arc<dyn Store>) {
    use ArticleStatus::{Draft, Published};
    use Visibility::{Internal, Public};
    if ability(store.as_knowledge_store(), "the knowledge base").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    add_faq(&f).await;
    let system = f.desk.as_system();
    system
        .create_article_category(Category::parse("billing").unwrap())
        .await
        .unwrap();
    let ivan = f.as_agent(&f.ivan).await;
    for (title, category, status, visibility) in [
        ("Zebra printers", "faq", Published, Public),
        ("Invoices", "billing", Published, Public),
        ("Apple devices", "faq", Published, Public),
        ("Unfinished", "faq", Draft, Public),
        ("Staff only", "billing", Published, Internal),
    ] {
        let mut d = draft(title, "Text.", Language::English, status, visibility);
        d.category = Category::parse(category).unwrap();
        ivan.create_article(d).await.unwrap();
    }
    let titles = |index: Vec<Article>| -> Vec<String> {
        index
            .into_iter()
            .map(|a| a.title.as_str().to_owned())
            .collect()
    };
    let ana = f.as_customer(&f.ana).await;
    assert_eq!(
        titles(ana.article_index(500).await.unwrap()),
        ["Invoices", "Apple devices", "Zebra printers"]
    );
    assert_eq!(
        titles(ivan.article_index(500).await.unwrap()),
        [
            "Invoices",
            "Staff only",
            "Apple devices",
            "Unfinished",
            "Zebra printers"
        ]
    );
}

/// The knowledge base in the reader's language: a search, the suggestions and the index give
/// the articles in the reader's language first and those in other languages after them (a
/// fall-back, never hidden), whatever the store's relevance order, with the limit kept.
pub async fn the_readers_language_comes_first_and_other_languages_follow(store: Arc<dyn Store>) {
    use Language::{English, Persian, Romanian};
    if ability(store.as_knowledge_store(), "the knowledge base").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    add_faq(&f).await;
    let ivan = f.as_agent(&f.ivan).await;
    let mut written = Vec::new();
    for (title, text, language) in [
        // The English one matches best: "modem" in its title and twice in its text.
        (
            "Modem lights",
            "Modem lights: the modem blinks when it restarts.",
            English,
        ),
        ("Modemul nu pornește", "Verificați cablul modem.", Romanian),
        ("مودم روشن نمی‌شود", "کابل modem را بررسی کنید.", Persian),
    ] {
        let published = draft(
            title,
            text,
            language,
            ArticleStatus::Published,
            Visibility::Public,
        );
        written.push(ivan.create_article(published).await.unwrap());
        f.tick(1);
    }
    let [en, ro, fa] = <[Article; 3]>::try_from(written).unwrap();
    let ana = f.as_customer(&f.ana).await;
    let searched = |reader, limit| {
        let ana = &ana;
        async move {
            ids(ana
                .search_articles_in("modem", reader, limit)
                .await
                .unwrap())
        }
    };
    let mut found = searched(Romanian, 10).await;
    assert_eq!(found.remove(0), ro.id, "the reader's language first");
    found.sort();
    let mut others = vec![en.id, fa.id];
    others.sort();
    assert_eq!(found, others, "the other languages follow");
    assert_eq!(searched(Persian, 1).await, [fa.id], "the limit is kept");
    assert_eq!(searched(English, 10).await[0], en.id);
    // No article in Russian: the others, as found.
    assert_eq!(searched(Language::Russian, 10).await.len(), 3);

    let suggested = ids(ana
        .suggest_articles_in("The modem does not start", Persian, 5)
        .await
        .unwrap());
    assert_eq!(suggested.first(), Some(&fa.id), "{suggested:?}");
    assert_eq!(suggested.len(), 3, "{suggested:?}");

    let index = ids(ana.article_index_in(100, Romanian).await.unwrap());
    assert_eq!(index.first(), Some(&ro.id), "{index:?}");
    assert_eq!(index.len(), 3);
    let index = ids(ana.article_index_in(100, Persian).await.unwrap());
    assert_eq!(index.first(), Some(&fa.id), "{index:?}");
}
