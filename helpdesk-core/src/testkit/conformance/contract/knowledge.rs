//! The knowledge base ([`KnowledgeStore`]): articles in the four languages read back, are
//! searched and suggested as the reference searches and suggests them in every scope, before
//! and after rewrites and votes; votes are one per person, counted once, concurrent ones
//! too, and a rewrite keeps the counts.

use std::sync::Arc;

use chrono::Duration;

use crate::domain::{
    AgentId, Article, ArticleId, ArticleStatus, ArticleTitle, ArticleVote, Category, CustomerId,
    Language, MessageBody, Visibility, Voter,
};
use crate::error::{Entity, Error};
use crate::search::{ArticleScope, ArticleSearch, ArticleSuggest, SearchQuery};
use crate::store::{KnowledgeStore, MemoryStore, Store};
use crate::testkit::ability;
use crate::testkit::samples::t0;

/// Title, body, language, status, visibility.
type Row = (
    &'static str,
    &'static str,
    Language,
    ArticleStatus,
    Visibility,
);

const ARTICLES: [Row; 16] = {
    use ArticleStatus::{Draft, Published};
    use Language::{English, Persian, Romanian, Russian};
    use Visibility::{Internal, Public};
    [
        (
            "How to restart your router",
            "Unplug the router, wait ten seconds, plug it in. The lights blink while it starts.",
            English,
            Published,
            Public,
        ),
        (
            "Router firmware update",
            "Update the router firmware from the admin page; the router restarts by itself.",
            English,
            Draft,
            Public,
        ),
        (
            "Router passwords for agents",
            "The router admin password is in the vault. Never tell customers.",
            English,
            Published,
            Internal,
        ),
        (
            "Asistență tehnică: routerul nu funcționează",
            "Reporniți routerul. Dacă nu funcționează, sunați la asistenţă; 50% din cazuri se rezolvă așa.",
            Romanian,
            Published,
            Public,
        ),
        (
            "Internet lent seara",
            "Viteza scade seara: routerul, cablul și Wi-Fi. Asistență tehnică 24/7.",
            Romanian,
            Draft,
            Internal,
        ),
        (
            "Нет интернета",
            "Перезагрузите роутер. Ёлка, ул. Кольцевая, д. 14: связь пропала — нет связи у всех.",
            Russian,
            Published,
            Public,
        ),
        (
            "Связь пропала",
            "Если нет интернета, проверьте кабель. Интернет не работает? Позвоните: 8 800 123.",
            Russian,
            Published,
            Public,
        ),
        (
            "Роутер мигает красным",
            "Красный индикатор — нет интернета. Звоните: 8-800-100-00-00.",
            Russian,
            Published,
            Internal,
        ),
        (
            "اینترنت کار نمی‌کند",
            "مودم را خاموش و روشن كنيد. شماره تماس ۰۹۱۲۳۴۵۶۷۸۹ است؛ كامپيوتر را هم بررسی کنید.",
            Persian,
            Published,
            Public,
        ),
        (
            "مودم چراغ قرمز",
            "چراغ قرمز یعنی اینترنت قطع است؛ كِتَابٌ و کابل",
            Persian,
            Draft,
            Public,
        ),
        (
            "Router router",
            "router_internal a_b c\\d x%y",
            English,
            Draft,
            Internal,
        ),
        (
            "Router not working",
            "Restart the router. If the internet still is not working, check the cable.",
            English,
            Published,
            Public,
        ),
        (
            "Printer E-42 error",
            "x86_64 driver v2.0; e_mail@example.com; 100% ink \\back\\slash 'quoted'",
            English,
            Published,
            Internal,
        ),
        (
            "Internet internet INTERNET",
            "router router",
            English,
            Draft,
            Public,
        ),
        ("Cable", "cable cable cable", English, Published, Public),
        (
            "Routerul nu funcționează",
            "Reporniți routerul. Dacă internetul tot nu funcționează, verificați cablul.",
            Romanian,
            Published,
            Public,
        ),
    ]
};

/// `voter`'s vote on `article`, cast at `t0()` plus `seconds`.
pub(super) fn vote(article: ArticleId, voter: Voter, helpful: bool, seconds: i64) -> ArticleVote {
    ArticleVote {
        article,
        voter,
        helpful,
        at: t0() + Duration::seconds(seconds),
    }
}

/// `n` different people, customers and agents in turn.
pub(super) fn people(n: usize) -> Vec<Voter> {
    (0..n)
        .map(|i| {
            if i % 2 == 0 {
                Voter::Customer(CustomerId::new())
            } else {
                Voter::Agent(AgentId::new())
            }
        })
        .collect()
}

pub(super) fn articles() -> Vec<Article> {
    ARTICLES
        .iter()
        .enumerate()
        .map(|(i, (title, body, language, status, visibility))| Article {
            id: ArticleId::new(),
            title: ArticleTitle::parse(*title).unwrap(),
            body: MessageBody::parse(*body).unwrap(),
            category: Category::parse(["Общее", "network", "hardware"][i % 3]).unwrap(),
            language: *language,
            status: *status,
            visibility: *visibility,
            helpful: (i as u32 * 7) % 4,
            not_helpful: i as u32 % 3,
            created_at: t0(),
            // Some share their instant: the id decides.
            updated_at: t0() + Duration::minutes((i % 5) as i64),
        })
        .collect()
}

/// What customers and staff see in every language, and the two other mixes in any.
fn scopes() -> Vec<ArticleScope> {
    let mut scopes = Vec::new();
    for language in std::iter::once(None).chain(Language::ALL.into_iter().map(Some)) {
        for shown in [false, true] {
            scopes.push(ArticleScope {
                language,
                include_drafts: shown,
                include_internal: shown,
            });
        }
    }
    for (include_drafts, include_internal) in [(true, false), (false, true)] {
        scopes.push(ArticleScope {
            language: None,
            include_drafts,
            include_internal,
        });
    }
    scopes
}

const EVERYTHING: ArticleScope = ArticleScope {
    language: None,
    include_drafts: true,
    include_internal: true,
};

const QUERIES: &[&str] = &[
    "router",
    "rout*",
    "routerul",
    "router -firmware",
    "router -\"admin page\"",
    "\"restart your router\"",
    "\"router restart\"",
    "\"router firmware\"",
    "asistenta",
    "asistență tehnică",
    "functioneaza",
    "\"nu funcționează\"",
    "%50\\%%",
    "%a_b%",
    "%c\\d%",
    "%x%y%",
    "%ab%",
    "%ink%back%",
    "e_mail",
    "интернет",
    "интернета",
    "интернет -роутер",
    "елка",
    "роутер*",
    "\"нет связи\"",
    "\"связи нет\"",
    "%Кольц%14%",
    "связь -интернет*",
    "كامپيوتر",
    "کامپیوتر",
    "کنید",
    "اینترنت",
    "كابل",
    "کابل",
    "۰۹۱۲۳۴۵۶۷۸۹",
    "09123456789",
    "ten -seconds",
    "NEAR(router modem)",
    "router_internal",
    "cable -router",
    "internet",
];

const SUGGEST_TEXTS: &[&str] = &[
    "My router blinks, how do I restart it?",
    "router firmware passwords",
    "Asistenta: routerul nu functioneaza",
    "routerul nu funcționează, internet lent",
    "Нет интернета, связь пропала",
    "Интернет не работает, роутер мигает",
    "اینترنت كار نمی کند",
    "اینترنت قطع است، مودم چراغ قرمز",
    "cable",
    "a an it",
    "a b c",
    "",
];

/// Every search and suggestion gives what the reference gives: in every scope with room for
/// all, and cut short by small limits in two scopes.
pub(super) async fn assert_articles_agree(store: &dyn KnowledgeStore, reference: &MemoryStore) {
    let english = ArticleScope {
        language: Some(Language::English),
        ..EVERYTHING
    };
    for scope in scopes() {
        let limits: &[u32] = if scope == EVERYTHING || scope == english {
            &[0, 2, 100]
        } else {
            &[100]
        };
        for q in QUERIES {
            let search = ArticleSearch {
                query: SearchQuery::parse(q).unwrap(),
                scope,
            };
            for &limit in limits {
                assert_eq!(
                    store.search_articles(&search, limit).await.unwrap(),
                    reference.search_articles(&search, limit).await.unwrap(),
                    "{q:?} in {scope:?}, limit {limit}"
                );
            }
        }
        let mut suggests: Vec<ArticleSuggest> = SUGGEST_TEXTS
            .iter()
            .map(|text| ArticleSuggest::new(text, scope))
            .collect();
        // Hand-made: repeated and short words count as the reference counts them.
        suggests.push(ArticleSuggest {
            words: [
                "router",
                "router",
                "it",
                "cable",
                "\0",
                "",
                "интернет",
                "passwords",
            ]
            .map(str::to_owned)
            .to_vec(),
            scope,
        });
        for suggest in &suggests {
            for &limit in limits {
                assert_eq!(
                    store.suggest_articles(suggest, limit).await.unwrap(),
                    reference.suggest_articles(suggest, limit).await.unwrap(),
                    "{suggest:?}, limit {limit}"
                );
            }
        }
    }
}

pub async fn article_search_and_suggestions_agree_with_the_reference(store: Arc<dyn Store>) {
    let Some(kb) = ability(store.as_knowledge_store(), "the knowledge base") else {
        return;
    };
    let reference = MemoryStore::new();
    let mut all = articles();
    for a in &all {
        kb.put_article(a).await.unwrap();
        reference.put_article(a).await.unwrap();
        assert_eq!(kb.article(a.id).await.unwrap().as_ref(), Some(a));
    }
    assert_eq!(kb.article(ArticleId::new()).await.unwrap(), None);
    assert_articles_agree(kb, &reference).await;
    // The data exercises something.
    let count = |q: &str| {
        let search = ArticleSearch {
            query: SearchQuery::parse(q).unwrap(),
            scope: EVERYTHING,
        };
        async move { kb.search_articles(&search, 100).await.unwrap().len() }
    };
    assert_eq!(count("\"restart your router\"").await, 1);
    assert_eq!(count("\"router restart\"").await, 0);
    assert_eq!(count("\"нет связи\"").await, 1);
    assert_eq!(count("%a_b%").await, 1);
    assert!(count("router").await > 5);
    let suggested = kb
        .suggest_articles(&ArticleSuggest::new("router cable", EVERYTHING), 100)
        .await
        .unwrap();
    assert!(suggested.len() > 3, "{suggested:?}");

    // Votes, and rewrites: the old words no longer find an article, votes change the order.
    let voters = people(3);
    for (i, a) in all.iter_mut().enumerate() {
        for (n, voter) in voters.iter().enumerate().take(1 + i % 3) {
            let v = vote(a.id, *voter, (i + n) % 3 != 0, 0);
            let want = reference.vote_article(&v).await.unwrap();
            assert_eq!(kb.vote_article(&v).await.unwrap(), want);
            *a = want;
        }
    }
    match kb
        .vote_article(&vote(ArticleId::new(), voters[0], true, 0))
        .await
    {
        Err(Error::NotFound {
            entity: Entity::Article,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    all[0].title = ArticleTitle::parse("Перезагрузка модема").unwrap();
    all[0].body = MessageBody::parse("Выключите модем и включите снова.").unwrap();
    // A replace keeps the stored counts: votes change them, nothing else.
    let counted = all[0].helpful;
    all[0].helpful = 40;
    all[0].updated_at = t0() + Duration::hours(1);
    all[8].language = Language::Russian;
    all[8].status = ArticleStatus::Draft;
    all[11].title = ArticleTitle::parse("Modem offline").unwrap();
    all[11].body = MessageBody::parse("Check the modem lights.").unwrap();
    for i in [0, 8, 11] {
        kb.put_article(&all[i]).await.unwrap();
        reference.put_article(&all[i]).await.unwrap();
    }
    all[0].helpful = counted;
    assert_eq!(kb.article(all[0].id).await.unwrap().as_ref(), Some(&all[0]));
    assert_articles_agree(kb, &reference).await;
    let modem_router = ArticleSearch {
        query: SearchQuery::parse("modem router").unwrap(),
        scope: EVERYTHING,
    };
    assert!(
        kb.search_articles(&modem_router, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Thirty people's votes at once are all counted, and each sees the totals just after it.
pub async fn concurrent_votes_are_all_counted(store: Arc<dyn Store>) {
    let Some(kb) = ability(store.as_knowledge_store(), "the knowledge base") else {
        return;
    };
    let article = articles().remove(0);
    kb.put_article(&article).await.unwrap();
    let votes: Vec<_> = (people(30).into_iter().enumerate())
        .map(|(i, voter)| {
            let store = store.clone();
            let v = vote(article.id, voter, i % 3 != 0, i as i64);
            tokio::spawn(async move {
                let kb = store.as_knowledge_store().expect("offered above");
                kb.vote_article(&v).await.unwrap()
            })
        })
        .collect();
    let mut seen = Vec::new();
    for v in votes {
        let after = v.await.unwrap();
        seen.push((after.helpful, after.not_helpful));
    }
    let stored = kb.article(article.id).await.unwrap().unwrap();
    assert_eq!(stored.helpful, article.helpful + 20);
    assert_eq!(stored.not_helpful, article.not_helpful + 10);
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 30, "each vote sees its own totals");
}

/// A person's vote is stored once per article and read back; the same vote again writes
/// nothing, a changed one moves their count; votes on an unknown article are refused and
/// stored nowhere; a replace of the article keeps its counts.
pub async fn each_person_has_one_vote_per_article(store: Arc<dyn Store>) {
    let Some(kb) = ability(store.as_knowledge_store(), "the knowledge base") else {
        return;
    };
    let mut all = articles();
    let (a, b) = (all.remove(0), all.remove(0));
    for x in [&a, &b] {
        kb.put_article(x).await.unwrap();
    }
    let [ana, ivan] = <[Voter; 2]>::try_from(people(2)).unwrap();
    let counts = |x: &Article| (x.helpful, x.not_helpful);
    let (h, n) = counts(&a);

    let first = kb.vote_article(&vote(a.id, ana, true, 1)).await.unwrap();
    assert_eq!(counts(&first), (h + 1, n));
    let again = kb.vote_article(&vote(a.id, ana, true, 2)).await.unwrap();
    assert_eq!(again, first, "the same vote again changes nothing");
    let moved = kb.vote_article(&vote(a.id, ana, false, 3)).await.unwrap();
    assert_eq!(counts(&moved), (h, n + 1));
    let other = kb.vote_article(&vote(a.id, ivan, false, 4)).await.unwrap();
    assert_eq!(counts(&other), (h, n + 2), "two people count two");
    kb.vote_article(&vote(b.id, ivan, true, 5)).await.unwrap();
    let unknown = ArticleId::new();
    assert!(matches!(
        kb.vote_article(&vote(unknown, ana, true, 6)).await,
        Err(Error::NotFound {
            entity: Entity::Article,
            ..
        })
    ));

    // Their votes, by article id, once each; the first vote's instant is kept by the
    // repeat, the change's is stored.
    let asked = [b.id, unknown, a.id, b.id, a.id];
    let mut want = vec![vote(a.id, ana, false, 3)];
    assert_eq!(kb.article_votes(ana, &asked).await.unwrap(), want);
    want = vec![vote(a.id, ivan, false, 4), vote(b.id, ivan, true, 5)];
    want.sort_by_key(|v| v.article);
    assert_eq!(kb.article_votes(ivan, &asked).await.unwrap(), want);
    assert!(kb.article_votes(ana, &[]).await.unwrap().is_empty());
    let stranger = Voter::Customer(CustomerId::new());
    assert!(kb.article_votes(stranger, &asked).await.unwrap().is_empty());

    // A rewrite with other counts keeps the stored ones.
    let mut rewritten = other.clone();
    rewritten.title = ArticleTitle::parse("Restart the modem").unwrap();
    (rewritten.helpful, rewritten.not_helpful) = (0, 0);
    kb.put_article(&rewritten).await.unwrap();
    let stored = kb.article(a.id).await.unwrap().unwrap();
    assert_eq!(stored.title, rewritten.title);
    assert_eq!(counts(&stored), (h, n + 2));
}

/// Twenty votes of one person at once, changing their mind, count once: the counts grow by
/// one in all, the way their stored vote says.
pub async fn one_persons_concurrent_votes_count_once(store: Arc<dyn Store>) {
    let Some(kb) = ability(store.as_knowledge_store(), "the knowledge base") else {
        return;
    };
    let article = articles().remove(1);
    kb.put_article(&article).await.unwrap();
    let ana = Voter::Customer(CustomerId::new());
    let votes: Vec<_> = (0..20)
        .map(|i| {
            let store = store.clone();
            let v = vote(article.id, ana, i % 2 == 0, i);
            tokio::spawn(async move {
                let kb = store.as_knowledge_store().expect("offered above");
                kb.vote_article(&v).await.unwrap()
            })
        })
        .collect();
    let total = article.helpful + article.not_helpful;
    for v in votes {
        let after = v.await.unwrap();
        assert_eq!(after.helpful + after.not_helpful, total + 1, "{after:?}");
    }
    let stored = kb.article(article.id).await.unwrap().unwrap();
    let theirs = kb.article_votes(ana, &[article.id]).await.unwrap();
    assert_eq!(theirs.len(), 1);
    let want = if theirs[0].helpful {
        (article.helpful + 1, article.not_helpful)
    } else {
        (article.helpful, article.not_helpful + 1)
    };
    assert_eq!((stored.helpful, stored.not_helpful), want);
}
