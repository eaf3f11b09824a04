//! Customer look-ups, the knowledge base and saved searches on the SQLite store, compared
//! with the memory store on varied data in the four languages (on a database file, so that
//! reads go through the reader connections).

use std::path::PathBuf;

use helpdesk_core::domain::{
    Address, AgentId, Article, ArticleId, ArticleStatus, ArticleTitle, Category, ContractNumber,
    Customer, Email, Language, MessageBody, Name, Phone, SavedSearchId, Status, Visibility,
};
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::search::SavedSearch;
use helpdesk_core::search::{
    ArticleScope, ArticleSearch, ArticleSuggest, CustomerLookup, SearchQuery,
};
use helpdesk_core::store::{KnowledgeStore, SavedSearchStore};
use helpdesk_core::store::{MemoryStore, Store, TicketFilter, TicketOrder};
use helpdesk_core::testkit::samples::{self, at};
use helpdesk_sqlite::SqliteStore;

fn db_path() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("helpdesk-sqlite");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{}.db", uuid::Uuid::now_v7().simple()))
}

async fn stores() -> (MemoryStore, SqliteStore) {
    (
        MemoryStore::new(),
        SqliteStore::open(db_path()).await.unwrap(),
    )
}

/// [`samples::customer`] with the phone, contract number and address given.
fn customer(
    name: &str,
    email: Option<&str>,
    phone: Option<&str>,
    contract: Option<&str>,
    address: Option<&str>,
) -> Customer {
    Customer {
        phone: phone.map(|p| Phone::parse(p).unwrap()),
        contract_number: contract.map(|c| ContractNumber::parse(c).unwrap()),
        address: address.map(|a| Address::parse(a).unwrap()),
        ..samples::customer(name, email)
    }
}

fn customers() -> Vec<Customer> {
    vec![
        customer(
            "Иван Петров",
            Some("ivan@example.ru"),
            Some("+7 (495) 123-45-67"),
            Some("Д-0042"),
            Some("ул. Кольцевая, д. 14, кв. 15"),
        ),
        customer(
            "Иван Петров",
            None,
            Some("8 495 123 45 67"),
            Some("Д-0043"),
            Some("ул. Кольцевая, д. 14, кв. 1"),
        ),
        customer(
            "Ана Ионеску",
            Some("Ana.Ionescu@Example.ro"),
            Some("0721 234 567"),
            Some("RO-7"),
            Some("Str. Ştefan cel Mare 12, ap. 3, Chişinău"),
        ),
        customer(
            "Ана Ионеску",
            Some("ana2@example.ro"),
            Some("0721-234-567"),
            None,
            Some("Strada Ștefan cel Mare nr. 12"),
        ),
        customer(
            "علی رضایی",
            Some("ali@example.ir"),
            Some("۰۹۱۲۳۴۵۶۷۸۹"),
            Some("ق-۱۲"),
            Some("تهران، خیابان ولیعصر، پلاک ۱۲"),
        ),
        customer(
            "John Smith",
            Some("john@example.com"),
            Some("+44 20 7946 0958"),
            Some("UK_1"),
            Some("10 Downing St_reet, London a\\c 50% off"),
        ),
        customer(
            "Zoë Ångström",
            None,
            Some("0912 345 6789"),
            Some("uk%1"),
            Some("Åsgatan 5, Ölands kommun"),
        ),
        customer("Nobody", None, None, None, None),
    ]
}

fn address(pattern: &str) -> CustomerLookup {
    CustomerLookup::address(pattern).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn customer_look_ups_match_the_memory_store() {
    let (memory, sqlite) = stores().await;
    let all = customers();
    for c in &all {
        memory.put_customer(c).await.unwrap();
        sqlite.put_customer(c).await.unwrap();
    }
    // A rewrite moves the address key along with the address.
    let mut moved = all[1].clone();
    moved.address = Some(Address::parse("пр. Мира, д. 7").unwrap());
    memory.put_customer(&moved).await.unwrap();
    sqlite.put_customer(&moved).await.unwrap();

    let mut lookups = vec![
        CustomerLookup::ContractNumber(ContractNumber::parse("Д-0042").unwrap()),
        CustomerLookup::ContractNumber(ContractNumber::parse("д-0042").unwrap()),
        CustomerLookup::ContractNumber(ContractNumber::parse("UK_1").unwrap()),
        CustomerLookup::ContractNumber(ContractNumber::parse("UK%1").unwrap()),
        CustomerLookup::ContractNumber(ContractNumber::parse("ق-۱۲").unwrap()),
        CustomerLookup::phone("+7 495 123 45 67").unwrap(),
        CustomerLookup::phone("84951234567").unwrap(),
        CustomerLookup::phone("0721234567").unwrap(),
        CustomerLookup::phone("09123456789").unwrap(),
        CustomerLookup::phone("۰۹۱۲ ۳۴۵ ۶۷۸۹").unwrap(),
        CustomerLookup::phone("123").unwrap(),
        CustomerLookup::Email(Email::parse("ANA.IONESCU@example.ro").unwrap()),
        CustomerLookup::Email(Email::parse("ali@example.ir").unwrap()),
        CustomerLookup::Email(Email::parse("nobody@example.ir").unwrap()),
        // Hand-made patterns the constructor would never give: upper case, `_`.
        CustomerLookup::Address("%КОЛЬЦ%".into()),
        CustomerLookup::Address("%STEFAN%".into()),
        CustomerLookup::Address("%stefan%".into()),
        CustomerLookup::Address("%_%".into()),
        CustomerLookup::Address("%".into()),
    ];
    for pattern in [
        "%Кольц%14%кв.15",
        "%Кольц%14%кв.1",
        "%кольцевая%",
        "%мира%",
        "%ştefan%12%",
        "%Stefan cel mare%",
        "%ȘTEFAN%",
        "str%",
        "%chisinau",
        "%ولیعصر%۱۲",
        "%ولیعصر%12",
        "%يعصر%",
        "%downing%",
        "%st_reet%",
        "%st?reet%",
        "%a\\c%",
        "%50%off",
        "%50_off",
        "%a%",
        "%asgatan%",
        "%ölands%",
        "%olands%",
        "%12",
        "10downingst_reet,londona\\c50%off",
    ] {
        lookups.push(address(pattern));
    }
    for lookup in &lookups {
        for limit in [0, 1, 2, 100] {
            let expected = memory.find_customers(lookup, limit).await.unwrap();
            let actual = sqlite.find_customers(lookup, limit).await.unwrap();
            assert_eq!(actual, expected, "{lookup:?}, limit {limit}");
        }
    }
    // The data exercises something.
    let found = |l: &CustomerLookup| {
        let sqlite = sqlite.clone();
        let l = l.clone();
        async move { sqlite.find_customers(&l, 100).await.unwrap().len() }
    };
    assert_eq!(found(&address("%Кольц%14%кв.15")).await, 1);
    assert_eq!(
        found(&CustomerLookup::phone("0721234567").unwrap()).await,
        2
    );
    assert_eq!(found(&address("%stefan%12%")).await, 2);
    assert_eq!(found(&address("%ولیعصر%12")).await, 1);
    assert_eq!(found(&address("%st_reet%")).await, 1);
    assert_eq!(found(&address("%st?reet%")).await, 0);
    assert_eq!(found(&CustomerLookup::Address("%STEFAN%".into())).await, 0);
    sqlite.close().await.unwrap();
}

#[allow(clippy::too_many_arguments)]
fn article(
    title: &str,
    body: &str,
    language: Language,
    status: ArticleStatus,
    visibility: Visibility,
    helpful: u32,
    updated: i64,
) -> Article {
    Article {
        id: ArticleId::new(),
        title: ArticleTitle::parse(title).unwrap(),
        body: MessageBody::parse(body).unwrap(),
        category: Category::parse("Общее").unwrap(),
        language,
        status,
        visibility,
        helpful,
        not_helpful: 0,
        created_at: at(0),
        updated_at: at(updated),
    }
}

fn articles() -> Vec<Article> {
    use ArticleStatus::{Draft, Published};
    use Language::{English, Persian, Romanian, Russian};
    use Visibility::{Internal, Public};
    vec![
        article(
            "How to restart your router",
            "Unplug the router, wait ten seconds, plug it in. The lights blink while it starts.",
            English,
            Published,
            Public,
            3,
            10,
        ),
        article(
            "Router firmware update",
            "Update the router firmware from the admin page; the router restarts by itself.",
            English,
            Draft,
            Public,
            0,
            20,
        ),
        article(
            "Router passwords for agents",
            "The router admin password is in the vault. Never tell customers.",
            English,
            Published,
            Internal,
            9,
            20,
        ),
        article(
            "Asistență tehnică: routerul nu funcționează",
            "Reporniți routerul. Dacă nu funcționează, sunați la asistenţă; 50% din cazuri se rezolvă așa.",
            Romanian,
            Published,
            Public,
            3,
            15,
        ),
        article(
            "Нет интернета",
            "Перезагрузите роутер. Ёлка, ул. Кольцевая, д. 14: связь пропала — нет связи у всех.",
            Russian,
            Published,
            Public,
            1,
            30,
        ),
        article(
            "Связь пропала",
            "Если нет интернета, проверьте кабель. Интернет не работает? Позвоните: 8 800 123.",
            Russian,
            Published,
            Public,
            1,
            30,
        ),
        article(
            "اینترنت کار نمی‌کند",
            "مودم را خاموش و روشن كنيد. شماره تماس ۰۹۱۲۳۴۵۶۷۸۹ است؛ كامپيوتر را هم بررسی کنید.",
            Persian,
            Published,
            Public,
            2,
            5,
        ),
        article(
            "Router router",
            "router_internal a_b c\\d x%y",
            English,
            Draft,
            Internal,
            3,
            10,
        ),
    ]
}

fn scopes() -> Vec<ArticleScope> {
    let mut scopes = Vec::new();
    for language in [
        None,
        Some(Language::English),
        Some(Language::Romanian),
        Some(Language::Russian),
        Some(Language::Persian),
    ] {
        for include_drafts in [false, true] {
            for include_internal in [false, true] {
                scopes.push(ArticleScope {
                    language,
                    include_drafts,
                    include_internal,
                });
            }
        }
    }
    scopes
}

const QUERIES: &[&str] = &[
    "router",
    "Router",
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
    "50%",
    "%50\\%%",
    "%a_b%",
    "%c\\d%",
    "%x%y%",
    "%ab%",
    "интернет",
    "интернета",
    "интер*",
    "елка",
    "\"нет связи\"",
    "\"связи нет\"",
    "%Кольц%14%",
    "связь -интернет*",
    "كامپيوتر",
    "کامپیوتر",
    "کنید",
    "۰۹۱۲۳۴۵۶۷۸۹",
    "09123456789",
    "%0912%",
    "123",
    "ten -seconds",
    "NEAR(router modem)",
    "router_internal",
];

#[tokio::test(flavor = "multi_thread")]
async fn article_search_suggestions_and_votes_match_the_memory_store() {
    let (memory, sqlite) = stores().await;
    let mut all = articles();
    for a in &all {
        memory.put_article(a).await.unwrap();
        sqlite.put_article(a).await.unwrap();
    }
    for a in &all {
        assert_eq!(sqlite.article(a.id).await.unwrap().as_ref(), Some(a));
    }
    assert_eq!(sqlite.article(ArticleId::new()).await.unwrap(), None);

    async fn compare(memory: &MemoryStore, sqlite: &SqliteStore) {
        for q in QUERIES {
            let query = SearchQuery::parse(q).unwrap();
            for scope in scopes() {
                let search = ArticleSearch {
                    query: query.clone(),
                    scope,
                };
                for limit in [1, 3, 100] {
                    assert_eq!(
                        sqlite.search_articles(&search, limit).await.unwrap(),
                        memory.search_articles(&search, limit).await.unwrap(),
                        "{q:?} in {scope:?}, limit {limit}"
                    );
                }
            }
        }
        let texts = [
            "My router blinks, how do I restart it?",
            "router firmware passwords",
            "Asistenta: routerul nu functioneaza",
            "Нет интернета, связь пропала",
            "اینترنت كار نمی کند",
            "a b c",
            "",
        ];
        let mut suggests: Vec<ArticleSuggest> = Vec::new();
        for text in texts {
            for scope in scopes() {
                suggests.push(ArticleSuggest::new(text, scope));
            }
        }
        // Words given twice count twice, as in `ArticleSuggest::score`.
        suggests.push(ArticleSuggest {
            words: vec!["router".into(), "router".into(), "passwords".into()],
            scope: ArticleScope {
                language: None,
                include_drafts: true,
                include_internal: true,
            },
        });
        for suggest in &suggests {
            for limit in [1, 2, 100] {
                assert_eq!(
                    sqlite.suggest_articles(suggest, limit).await.unwrap(),
                    memory.suggest_articles(suggest, limit).await.unwrap(),
                    "{suggest:?}, limit {limit}"
                );
            }
        }
    }
    compare(&memory, &sqlite).await;
    // The data exercises something.
    let everything = ArticleScope {
        language: None,
        include_drafts: true,
        include_internal: true,
    };
    let count = |q: &str| {
        let search = ArticleSearch {
            query: SearchQuery::parse(q).unwrap(),
            scope: everything,
        };
        let sqlite = sqlite.clone();
        async move { sqlite.search_articles(&search, 100).await.unwrap().len() }
    };
    assert_eq!(count("router").await, 4);
    assert_eq!(count("\"restart your router\"").await, 1);
    assert_eq!(count("\"router restart\"").await, 0);
    assert_eq!(count("\"нет связи\"").await, 1);
    assert_eq!(count("کامپیوتر").await, 1);
    assert_eq!(count("%a_b%").await, 1);
    assert_eq!(count("%ab%").await, 0);
    let suggested = sqlite
        .suggest_articles(
            &ArticleSuggest::new("router firmware passwords", everything),
            100,
        )
        .await
        .unwrap();
    assert_eq!(suggested.len(), 4);

    // Votes.
    for (i, a) in all.iter().enumerate() {
        let helpful = i % 3 != 0;
        assert_eq!(
            sqlite.vote_article(a.id, helpful).await.unwrap(),
            memory.vote_article(a.id, helpful).await.unwrap()
        );
    }
    assert!(matches!(
        sqlite.vote_article(ArticleId::new(), true).await,
        Err(Error::NotFound {
            entity: Entity::Article,
            ..
        })
    ));

    // Rewrites replace the indexed words: the old ones no longer find the article.
    all[0].title = ArticleTitle::parse("Перезагрузка модема").unwrap();
    all[0].body = MessageBody::parse("Выключите модем и включите снова.").unwrap();
    all[0].helpful = 7;
    all[0].updated_at = at(40);
    all[6].language = Language::Russian;
    all[6].status = ArticleStatus::Draft;
    for a in [&all[0], &all[6]] {
        memory.put_article(a).await.unwrap();
        sqlite.put_article(a).await.unwrap();
    }
    assert_eq!(
        sqlite.article(all[0].id).await.unwrap().as_ref(),
        Some(&all[0])
    );
    compare(&memory, &sqlite).await;
    sqlite.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_votes_are_all_counted() {
    let sqlite = SqliteStore::open(db_path()).await.unwrap();
    let a = articles().remove(0);
    sqlite.put_article(&a).await.unwrap();
    let votes: Vec<_> = (0..20)
        .map(|i| {
            let store = sqlite.clone();
            tokio::spawn(async move { store.vote_article(a.id, i % 4 != 0).await })
        })
        .collect();
    for v in votes {
        v.await.unwrap().unwrap();
    }
    let voted = sqlite.article(a.id).await.unwrap().unwrap();
    assert_eq!((voted.helpful, voted.not_helpful), (a.helpful + 15, 5));
    sqlite.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn saved_searches_match_the_memory_store() {
    let (memory, sqlite) = stores().await;
    let (ivan, ana) = (AgentId::new(), AgentId::new());
    let saved = |agent, name: &str, query: Option<&str>, order| SavedSearch {
        id: SavedSearchId::new(),
        agent,
        name: Name::parse(name).unwrap(),
        query: query.map(str::to_owned),
        filter: TicketFilter {
            statuses: Some(vec![Status::New, Status::Open]),
            internal: Some(false),
            ..TicketFilter::default()
        },
        order,
        created_at: at(1),
    };
    let mut all = vec![
        saved(
            ivan,
            "Очередь",
            Some("нет интернета"),
            TicketOrder::Priority,
        ),
        saved(ivan, "Очередь", None, TicketOrder::Waiting),
        saved(
            ivan,
            "Asistență",
            Some("%Кольц%14%"),
            TicketOrder::LastUpdate,
        ),
        saved(ana, "صف من", Some("كامپيوتر"), TicketOrder::Waiting),
        saved(ana, "Mine", None, TicketOrder::LastUpdate),
    ];
    all[4].filter = TicketFilter::default();
    for s in &all {
        memory.put_saved_search(s).await.unwrap();
        sqlite.put_saved_search(s).await.unwrap();
    }
    let compare = || async {
        for agent in [ivan, ana, AgentId::new()] {
            assert_eq!(
                sqlite.saved_searches(agent).await.unwrap(),
                memory.saved_searches(agent).await.unwrap()
            );
        }
    };
    compare().await;
    assert_eq!(sqlite.saved_searches(ivan).await.unwrap().len(), 3);

    // An upsert renames and moves it.
    all[0].name = Name::parse("Zzz").unwrap();
    all[0].agent = ana;
    all[0].order = TicketOrder::LastUpdate;
    memory.put_saved_search(&all[0]).await.unwrap();
    sqlite.put_saved_search(&all[0]).await.unwrap();
    compare().await;

    for id in [all[1].id, all[1].id, SavedSearchId::new(), all[3].id] {
        assert_eq!(
            sqlite.delete_saved_search(id).await.unwrap(),
            memory.delete_saved_search(id).await.unwrap()
        );
    }
    compare().await;
    sqlite.close().await.unwrap();
}
