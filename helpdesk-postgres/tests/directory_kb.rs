//! Customer look-ups, the knowledge base and saved searches on PostgreSQL, compared with the
//! in-memory reference on varied data in the four languages; concurrent votes; and customers
//! written before migration 0004 keyed by the backfill.

mod common;

use chrono::Duration;
use common::*;
use helpdesk_core::Error;
use helpdesk_core::domain::{
    Address, AgentId, Article, ArticleId, ArticleStatus, ArticleTitle, Category, ContractNumber,
    Customer, Email, Language, MessageBody, Phone, Priority, SavedSearchId, Status, Visibility,
};
use helpdesk_core::error::Entity;
use helpdesk_core::search::SavedSearch;
use helpdesk_core::search::{
    ArticleScope, ArticleSearch, ArticleSuggest, CustomerLookup, SearchQuery,
};
use helpdesk_core::store::{
    AssigneeFilter, MemoryStore, Store, TicketFilter, TicketOrder, TimeRange,
};
use helpdesk_core::store::{KnowledgeStore, SavedSearchStore};
use helpdesk_postgres::{MIGRATOR, PostgresStore, testing};

const LIMITS: [u32; 3] = [0, 2, 100];

/// A customer's name, e-mail, phone, contract number and address.
type CustomerRow<'a> = (
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

/// Customers in the four languages.
fn customers() -> Vec<Customer> {
    let rows: [CustomerRow; 10] = [
        (
            "Иван Петров",
            Some("Ivan@Example.ru"),
            Some("+7 (495) 123-45-67"),
            Some("D-2013/0416"),
            Some("ул. Кольцевая, д. 14, кв. 15"),
        ),
        (
            "Ёлка ООО",
            None,
            Some("8 495 123 45 67"),
            None,
            Some("УЛ. КОЛЬЦЕВАЯ, Д. 14, КВ. 1"),
        ),
        (
            "Ana Popescu",
            Some("ana@example.ro"),
            Some("0721 000 111"),
            Some("RO_2020\\7"),
            Some("Strada Ștefan cel Mare 14, ap. 15, Chișinău"),
        ),
        (
            "Ştefan Ionescu",
            Some("stefan@example.ro"),
            None,
            Some("RO-2020-8"),
            Some("str. Ștefan cel Mare nr. 1_4"),
        ),
        (
            "علی رضایی",
            Some("ali@example.ir"),
            Some("+98 (۲۱) ۸۸۷۷-۶۶۵۵"),
            Some("IR/1403/22"),
            Some("تهران، خیابان ولیعصر، پلاک ۱۴"),
        ),
        (
            "كريم",
            None,
            Some("٠٩١٢ ٣٤٥ ٦٧٨٩"),
            None,
            Some("تهران، خيابان وليعصر، پلاك ١٤"),
        ),
        (
            "Alice Smith",
            Some("alice@example.com"),
            Some("+44 20 7946 0958"),
            Some("UK-1"),
            Some("14 Ring Road\nFlat 15\nLondon 100%"),
        ),
        (
            "alice smith",
            Some("alice2@example.com"),
            Some("020 7946 0958"),
            None,
            None,
        ),
        ("Zed", None, None, Some("Z\\%_"), Some("a\\b_c%d")),
        (
            "Ана",
            Some("ana@example.ru"),
            Some("123"),
            None,
            Some("a b c"),
        ),
    ];
    rows.iter()
        .enumerate()
        .map(|(i, (n, email, phone, contract, address))| {
            let mut c = customer(n, *email);
            c.phone = phone.map(|p| Phone::parse(p).unwrap());
            c.contract_number = contract.map(|n| ContractNumber::parse(n).unwrap());
            c.address = address.map(|a| Address::parse(a).unwrap());
            c.created_at = t0() + Duration::minutes(i as i64);
            c
        })
        .collect()
}

/// The look-ups to compare: parsed ones as people type them, and hand-made ones.
fn lookups() -> Vec<CustomerLookup> {
    let mut out = vec![];
    for n in [
        "D-2013/0416",
        "RO_2020\\7",
        "RO-2020-8",
        "IR/1403/22",
        "Z\\%_",
        "UK-2",
    ] {
        out.push(CustomerLookup::ContractNumber(
            ContractNumber::parse(n).unwrap(),
        ));
    }
    for p in [
        "74951234567",
        "+7 495 123 45 67",
        "84951234567",
        "۰۲۱ ۸۸۷۷ ۶۶۵۵",
        "98 21 8877 6655",
        "09123456789",
        "٠٩١٢٣٤٥٦٧٨٩",
        "020 7946 0958",
        "123",
        "999",
    ] {
        out.push(CustomerLookup::phone(p).unwrap());
    }
    for e in [
        "IVAN@example.RU",
        "ana@example.ro",
        "ana@example.ru",
        "nobody@example.com",
    ] {
        out.push(CustomerLookup::Email(Email::parse(e).unwrap()));
    }
    for a in [
        "%Кольц%14%кв.15",
        "%кольц%14%кв.1",
        "%кольц%14%",
        "%ștefan cel mare%14%",
        "%stefan%1_4",
        "%1_4",
        "%1%4",
        "%ولیعصر%",
        "%وليعصر%",
        "%پلاک ۱۴",
        "%flat15%",
        "%100%",
        "%100\\%",
        "%a\\b%",
        "%\\b_c%",
        "a\\b_c%d",
        "a%d",
        "abc",
        "%b%",
        "%london100%",
        "%",
    ] {
        out.push(match CustomerLookup::address(a) {
            Ok(l) => l,
            Err(_) => CustomerLookup::Address(a.to_owned()),
        });
    }
    // Hand-made: not folded, with SQL wildcards and NULs.
    for a in ["%Кольцевая%", "a_c", "%_%", "%\\%", "\\", "%\0%", "_"] {
        out.push(CustomerLookup::Address(a.to_owned()));
    }
    out.push(CustomerLookup::Phone("12\u{0}3".to_owned()));
    out.push(CustomerLookup::Phone(String::new()));
    out
}

async fn assert_lookups_agree(pg: &PostgresStore, mem: &MemoryStore) {
    for lookup in lookups() {
        for limit in LIMITS {
            let want = mem.find_customers(&lookup, limit).await.unwrap();
            let got = pg.find_customers(&lookup, limit).await.unwrap();
            assert_eq!(got, want, "{lookup:?} limit {limit}");
        }
    }
}

#[tokio::test]
async fn customer_look_ups_agree_with_the_reference() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let mem = MemoryStore::new();
    let mut all = customers();
    for c in &all {
        pg.put_customer(c).await.unwrap();
        mem.put_customer(c).await.unwrap();
    }
    // Something is found at all, and names order bytewise ("Alice" before "alice").
    let found = pg
        .find_customers(&CustomerLookup::address("%кольц%14%").unwrap(), 10)
        .await
        .unwrap();
    assert_eq!(found.len(), 2);
    assert_lookups_agree(&pg, &mem).await;

    // Changed addresses and phones are looked up by their new keys only.
    all[0].address = Some(Address::parse("Bulevardul Unirii 1").unwrap());
    all[0].phone = None;
    all[4].phone = Some(Phone::parse("0721-000-111").unwrap());
    all[6].address = None;
    for c in [&all[0], &all[4], &all[6]] {
        pg.put_customer(c).await.unwrap();
        mem.put_customer(c).await.unwrap();
    }
    assert_lookups_agree(&pg, &mem).await;
    let unirii = CustomerLookup::address("%unirii%").unwrap();
    assert_eq!(
        pg.find_customers(&unirii, 10).await.unwrap(),
        vec![all[0].clone()]
    );
    testing::discard(pg).await.unwrap();
}

#[tokio::test]
async fn customers_written_before_migration_4_are_keyed_by_the_backfill() {
    let Some(url) = testing::database_url() else {
        return;
    };
    let pg = testing::unmigrated_store_at(&url).await.unwrap();
    MIGRATOR.run_to(3, pg.pool()).await.unwrap();
    let mem = MemoryStore::new();
    let all = customers();
    for c in &all {
        sqlx::query(
            "INSERT INTO customers (id, kind, name, email, phone, contract_number, address, \
             custom_fields, language, access_enabled, created_at) \
             VALUES ($1, 'individual', $2, $3, $4, $5, $6, '{}'::jsonb, NULL, TRUE, $7)",
        )
        .bind(c.id.as_uuid())
        .bind(c.name.as_str())
        .bind(c.email.as_ref().map(|e| e.as_str()))
        .bind(c.phone.as_ref().map(|p| p.as_str()))
        .bind(c.contract_number.as_ref().map(|n| n.as_str()))
        .bind(c.address.as_ref().map(|a| a.as_str()))
        .bind(c.created_at)
        .execute(pg.pool())
        .await
        .unwrap();
        mem.put_customer(c).await.unwrap();
    }
    // Two at once, as two processes starting together would.
    let (a, b) = tokio::join!(pg.migrate(), pg.migrate());
    a.unwrap();
    b.unwrap();
    for c in &all {
        assert_eq!(pg.customer(c.id).await.unwrap().as_ref(), Some(c));
    }
    assert_lookups_agree(&pg, &mem).await;
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM customer_backfill")
        .fetch_one(pg.pool())
        .await
        .unwrap();
    assert_eq!(pending, 0);
    testing::discard(pg).await.unwrap();
}

/// Articles in the four languages, drafts and internal ones among them.
fn articles() -> Vec<Article> {
    let texts: [(&str, &str, Language); 10] = [
        (
            "Routerul nu funcționează",
            "Reporniți routerul. Dacă internetul tot nu funcționează, verificați cablul.",
            Language::Romanian,
        ),
        (
            "Internet lent seara",
            "Viteza scade seara: routerul, cablul și Wi-Fi. Asistență tehnică 24/7.",
            Language::Romanian,
        ),
        (
            "Интернет не работает",
            "Перезагрузите роутер. Ёлка: проверьте кабель и роутер ещё раз.",
            Language::Russian,
        ),
        (
            "Роутер мигает красным",
            "Красный индикатор — нет интернета. Звоните: 8-800-100-00-00.",
            Language::Russian,
        ),
        (
            "اینترنت کار نمی‌کند",
            "مودم را خاموش و روشن کنید. كابل را بررسی کنید. شماره ۰۹۱۲۳۴۵۶۷۸۹",
            Language::Persian,
        ),
        (
            "مودم چراغ قرمز",
            "چراغ قرمز یعنی اینترنت قطع است؛ كِتَابٌ و کابل",
            Language::Persian,
        ),
        (
            "Router not working",
            "Restart the router. If the internet still is not working, check the cable.",
            Language::English,
        ),
        (
            "Printer E-42 error",
            "x86_64 driver v2.0; e_mail@example.com; 100% ink \\back\\slash 'quoted'",
            Language::English,
        ),
        (
            "Internet internet INTERNET",
            "router router",
            Language::English,
        ),
        ("Cable", "cable cable cable", Language::English),
    ];
    texts
        .iter()
        .enumerate()
        .map(|(i, (title, body, language))| Article {
            id: ArticleId::new(),
            title: ArticleTitle::parse(*title).unwrap(),
            body: MessageBody::parse(*body).unwrap(),
            category: Category::parse(["network", "hardware"][i % 2]).unwrap(),
            language: *language,
            status: if i % 4 == 3 {
                ArticleStatus::Draft
            } else {
                ArticleStatus::Published
            },
            visibility: if i % 3 == 2 {
                Visibility::Internal
            } else {
                Visibility::Public
            },
            helpful: (i as u32 * 7) % 4,
            not_helpful: i as u32 % 3,
            created_at: t0(),
            // Some share their instant: the id decides.
            updated_at: t0() + Duration::minutes((i % 5) as i64),
        })
        .collect()
}

fn scopes() -> Vec<ArticleScope> {
    let mut out = vec![];
    for language in [
        None,
        Some(Language::English),
        Some(Language::Romanian),
        Some(Language::Russian),
        Some(Language::Persian),
    ] {
        for (include_drafts, include_internal) in
            [(false, false), (true, false), (false, true), (true, true)]
        {
            out.push(ArticleScope {
                language,
                include_drafts,
                include_internal,
            });
        }
    }
    out
}

const QUERIES: [&str; 16] = [
    "router",
    "rout*",
    "routerul funcționează",
    "functioneaza",
    "\"nu funcționează\"",
    "интернет -роутер",
    "ЕЛКА",
    "роутер*",
    "اینترنت",
    "كابل",
    "کابل",
    "۰۹۱۲۳۴۵۶۷۸۹",
    "%ink%back%",
    "e_mail",
    "cable -router",
    "internet",
];

const SUGGEST_TEXTS: [&str; 6] = [
    "My router is not working, the internet is down",
    "Интернет не работает, роутер мигает",
    "routerul nu funcționează, internet lent",
    "اینترنت قطع است، مودم چراغ قرمز",
    "cable",
    "a an it",
];

async fn assert_articles_agree(pg: &PostgresStore, mem: &MemoryStore) {
    for scope in scopes() {
        for q in QUERIES {
            let search = ArticleSearch {
                query: SearchQuery::parse(q).unwrap(),
                scope,
            };
            for limit in LIMITS {
                let want = mem.search_articles(&search, limit).await.unwrap();
                let got = pg.search_articles(&search, limit).await.unwrap();
                assert_eq!(got, want, "{q:?} {scope:?} limit {limit}");
            }
        }
        for text in SUGGEST_TEXTS {
            let suggest = ArticleSuggest::new(text, scope);
            for limit in LIMITS {
                let want = mem.suggest_articles(&suggest, limit).await.unwrap();
                let got = pg.suggest_articles(&suggest, limit).await.unwrap();
                assert_eq!(got, want, "{text:?} {scope:?} limit {limit}");
            }
        }
        // Hand-made: repeated and short words count as the reference counts them.
        let suggest = ArticleSuggest {
            words: ["router", "router", "it", "cable", "\0", "", "интернет"]
                .map(str::to_owned)
                .to_vec(),
            scope,
        };
        assert_eq!(
            pg.suggest_articles(&suggest, 100).await.unwrap(),
            mem.suggest_articles(&suggest, 100).await.unwrap(),
            "{suggest:?}"
        );
    }
}

#[tokio::test]
async fn knowledge_base_search_and_suggestions_agree_with_the_reference() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let mem = MemoryStore::new();
    let mut all = articles();
    for a in &all {
        pg.put_article(a).await.unwrap();
        mem.put_article(a).await.unwrap();
        assert_eq!(pg.article(a.id).await.unwrap().as_ref(), Some(a));
    }
    // Something is found at all.
    let everything = ArticleScope {
        language: None,
        include_drafts: true,
        include_internal: true,
    };
    let found = pg
        .suggest_articles(&ArticleSuggest::new("router cable", everything), 100)
        .await
        .unwrap();
    assert_eq!(found.len(), 3, "{found:?}");
    assert_articles_agree(&pg, &mem).await;

    // Rewritten articles are found by their new text only; votes change the order.
    all[6].title = ArticleTitle::parse("Modem offline").unwrap();
    all[6].body = MessageBody::parse("Check the modem lights.").unwrap();
    all[6].updated_at = t0() + Duration::hours(1);
    all[2].status = ArticleStatus::Draft;
    all[9].helpful = 40;
    for a in [&all[6], &all[2], &all[9]] {
        pg.put_article(a).await.unwrap();
        mem.put_article(a).await.unwrap();
    }
    for (i, helpful) in [(0, true), (1, true), (1, false), (4, true)] {
        let want = mem.vote_article(all[i].id, helpful).await.unwrap();
        assert_eq!(pg.vote_article(all[i].id, helpful).await.unwrap(), want);
    }
    assert_articles_agree(&pg, &mem).await;
    let modem = ArticleSearch {
        query: SearchQuery::parse("modem router").unwrap(),
        scope: everything,
    };
    assert!(pg.search_articles(&modem, 10).await.unwrap().is_empty());

    let missing = ArticleId::new();
    assert!(pg.article(missing).await.unwrap().is_none());
    match pg.vote_article(missing, true).await {
        Err(Error::NotFound {
            entity: Entity::Article,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    testing::discard(pg).await.unwrap();
}

#[tokio::test]
async fn concurrent_votes_are_all_counted() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let article = articles().remove(0);
    pg.put_article(&article).await.unwrap();
    let votes = (0..30).map(|i| {
        let pg = pg.clone();
        tokio::spawn(async move { pg.vote_article(article.id, i % 3 != 0).await.unwrap() })
    });
    let mut seen = Vec::new();
    for v in votes {
        let after = v.await.unwrap();
        seen.push((after.helpful, after.not_helpful));
    }
    let stored = pg.article(article.id).await.unwrap().unwrap();
    assert_eq!(stored.helpful, article.helpful + 20);
    assert_eq!(stored.not_helpful, article.not_helpful + 10);
    // Each vote saw its own state after it: thirty distinct totals.
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 30);
    testing::discard(pg).await.unwrap();
}

#[tokio::test]
async fn saved_searches_agree_with_the_reference() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let mem = MemoryStore::new();
    let (ivan, ana) = (AgentId::new(), AgentId::new());
    let full_filter = TicketFilter {
        statuses: Some(vec![Status::Open, Status::PendingCustomer]),
        departments: Some(vec![]),
        assignee: Some(AssigneeFilter::Agent(ivan)),
        customer: None,
        priorities: Some(vec![Priority::Urgent]),
        ticket_type: None,
        category: Some(Category::parse("сеть").unwrap()),
        master: None,
        internal: Some(false),
        created: TimeRange {
            from: Some(t0()),
            to: Some(t0() + Duration::microseconds(1_500_001)),
        },
        updated: TimeRange::default(),
    };
    let mut saved: Vec<SavedSearch> = [
        (
            ivan,
            "Срочные",
            Some("роутер -кабель"),
            TicketOrder::Priority,
        ),
        (ivan, "alpha", None, TicketOrder::LastUpdate),
        (
            ivan,
            "Alpha",
            Some("\"nu funcționează\""),
            TicketOrder::Waiting,
        ),
        (ivan, "Alpha", None, TicketOrder::LastUpdate),
        (ana, "مودم", Some("اینترنت"), TicketOrder::Waiting),
        (ana, "Ștefan", Some(""), TicketOrder::Priority),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (agent, n, query, order))| SavedSearch {
        id: SavedSearchId::new(),
        agent,
        name: name(n),
        query: query.map(str::to_owned),
        filter: if i % 2 == 0 {
            full_filter.clone()
        } else {
            TicketFilter::default()
        },
        order,
        created_at: t0() + Duration::minutes(i as i64),
    })
    .collect();
    for s in &saved {
        pg.put_saved_search(s).await.unwrap();
        mem.put_saved_search(s).await.unwrap();
    }
    let check = async |pg: &PostgresStore, mem: &MemoryStore| {
        for agent in [ivan, ana, AgentId::new()] {
            assert_eq!(
                pg.saved_searches(agent).await.unwrap(),
                mem.saved_searches(agent).await.unwrap()
            );
        }
    };
    check(&pg, &mem).await;
    assert_eq!(pg.saved_searches(ivan).await.unwrap().len(), 4);

    // Replaced (renamed, moved to another agent), and deleted once.
    saved[1].name = name("Ω last");
    saved[3].agent = ana;
    saved[3].filter = full_filter.clone();
    for s in [&saved[1], &saved[3]] {
        pg.put_saved_search(s).await.unwrap();
        mem.put_saved_search(s).await.unwrap();
    }
    check(&pg, &mem).await;
    for id in [saved[0].id, saved[0].id, SavedSearchId::new()] {
        assert_eq!(
            pg.delete_saved_search(id).await.unwrap(),
            mem.delete_saved_search(id).await.unwrap()
        );
    }
    check(&pg, &mem).await;
    testing::discard(pg).await.unwrap();
}
