//! `--demo`: departments with their business-hours calendars and SLA policies, templates,
//! canned responses and mail settings (`demo_settings`), agents, customers, knowledge-base articles and tickets
//! in English, Romanian, Russian and Persian, and a login for each person (password `demo`),
//! created once: a second `--demo` on the same database changes nothing.

use helpdesk::Helpdesk;
use helpdesk::domain::{
    Actor, ArticleStatus, ArticleTitle, Category, CustomerKind, Email, Language, MessageBody, Name,
    Phone, Role, Signature, Subject, Visibility, standard_permissions,
};
use helpdesk::machine::{Command, NewTicket};
use helpdesk::policy::FollowUpPolicy;
use helpdesk::service::{ArticleDraft, NewAgent, NewCustomer};

use crate::accounts::Accounts;

/// The password of every demo account.
pub const PASSWORD: &str = "demo";

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("the demo's own values are valid: {e}"),
    }
}

/// A demo login: who, what they are, and the language of their pages.
pub struct Login {
    /// The e-mail they sign in with.
    pub login: String,
    /// What they are.
    pub what: &'static str,
}

/// Loads the demo data (unless the database already has departments, in which case it only
/// creates the logins the demo people it finds lack) and returns the logins.
pub async fn load(desk: &Helpdesk, accounts: &Accounts) -> helpdesk::Result<Vec<Login>> {
    let system = desk.as_system();
    let mut logins = Vec::new();
    if !system.departments().await?.is_empty() {
        for agent in system.agents().await? {
            let login = agent.email.as_str().to_owned();
            if login.ends_with("@demo.example") {
                accounts
                    .ensure_login(&login, PASSWORD, Actor::Agent(agent.id))
                    .await?;
                logins.push(Login {
                    login,
                    what: "agent",
                });
            }
        }
        for (email, _) in CUSTOMER_LOGINS {
            let lookup = helpdesk::search::CustomerLookup::Email(ok(Email::parse(email)));
            if let Some(c) = system.find_customers(&lookup).await?.into_iter().next() {
                accounts
                    .ensure_login(email, PASSWORD, Actor::Customer(c.id))
                    .await?;
                logins.push(Login {
                    login: email.to_owned(),
                    what: "customer",
                });
            }
        }
        // A demo database made before the demo stored mail settings gets them now.
        let departments = system.departments().await?;
        let named = |n: &str| departments.iter().find(|d| d.name.as_str() == n);
        if let (Some(support), Some(billing)) = (named("Support"), named("Billing")) {
            store_mail(&system, support, billing).await?;
        }
        return Ok(logins);
    }

    let support = system
        .create_department(ok(Name::parse("Support")), FollowUpPolicy::Reopen)
        .await?;
    let billing = system
        .create_department(ok(Name::parse("Billing")), FollowUpPolicy::Reopen)
        .await?;
    crate::demo_settings::load(&system, &support, &billing).await?;

    let mut agent = async |name: &str, email: &str, role: Role, dept, signature: &str, what| {
        let mut new = NewAgent::new(ok(Name::parse(name)), ok(Email::parse(email)), role)
            .with_signature(ok(Signature::parse(signature)));
        if let Some(d) = dept {
            new = new.in_department(d, standard_permissions());
        }
        let created = system.create_agent(new).await?;
        accounts
            .ensure_login(email, PASSWORD, Actor::Agent(created.id))
            .await?;
        logins.push(Login {
            login: email.to_owned(),
            what,
        });
        Ok::<_, helpdesk::Error>(created)
    };
    let _admin = agent(
        "Admin",
        "admin@demo.example",
        Role::Admin,
        None,
        "",
        "admin",
    )
    .await?;
    let ivan = agent(
        "Иван Петров",
        "ivan@demo.example",
        Role::Agent,
        Some(support.id),
        "Иван, техподдержка",
        "agent, Support",
    )
    .await?;
    let _maria = agent(
        "Maria Ionescu",
        "maria@demo.example",
        Role::Agent,
        Some(billing.id),
        "Maria, Billing",
        "agent, Billing",
    )
    .await?;

    let mut customers = Vec::new();
    for (email, language) in CUSTOMER_LOGINS {
        let (name, kind, phone) = match language {
            Language::English => ("John Smith", CustomerKind::Individual, "+1 555 0100"),
            Language::Romanian => ("Ana Popescu", CustomerKind::Individual, "+40 721 000 111"),
            Language::Russian => (
                "ООО «Ромашка»",
                CustomerKind::Organisation,
                "+7 495 000-00-00",
            ),
            Language::Persian => ("زهرا احمدی", CustomerKind::Individual, "۰۹۱۲۳۴۵۶۷۸۹"),
        };
        let customer = system
            .create_customer(
                NewCustomer::new(kind, ok(Name::parse(name)))
                    .with_email(ok(Email::parse(email)))
                    .with_phone(ok(Phone::parse(phone)))
                    .with_language(language),
            )
            .await?;
        accounts
            .ensure_login(email, PASSWORD, Actor::Customer(customer.id))
            .await?;
        logins.push(Login {
            login: email.to_owned(),
            what: "customer",
        });
        customers.push(customer);
    }

    let articles = [
        (
            Language::English,
            "Resetting your router",
            "Unplug the router for 30 seconds, plug it back in and wait until the light is green.",
        ),
        (
            Language::English,
            "How invoices are issued",
            "Invoices are issued on the first working day of each month and sent by e-mail.",
        ),
        (
            Language::Romanian,
            "Cum resetați routerul",
            "Scoateți routerul din priză 30 de secunde, apoi porniți-l din nou și așteptați lumina verde.",
        ),
        (
            Language::Russian,
            "Как перезагрузить роутер",
            "Выключите роутер из розетки на 30 секунд, затем включите и дождитесь зелёного индикатора.",
        ),
        (
            Language::Persian,
            "راه‌اندازی مجدد مودم",
            "مودم را ۳۰ ثانیه از برق بکشید، سپس دوباره وصل کنید و منتظر چراغ سبز بمانید.",
        ),
    ];
    desk.as_system()
        .create_article_category(ok(Category::parse("internet")))
        .await?;
    let ivan = desk.acting_as(Actor::Agent(ivan.id)).await?;
    for (language, title, body) in articles {
        ivan.create_article(ArticleDraft {
            title: ok(ArticleTitle::parse(title)),
            body: ok(MessageBody::parse(body)),
            category: ok(Category::parse("internet")),
            language,
            status: ArticleStatus::Published,
            visibility: Visibility::Public,
        })
        .await?;
    }

    let tickets = [
        (
            0,
            "The internet is down",
            "The router blinks red since last night.",
        ),
        (
            1,
            "Nu funcționează internetul",
            "Routerul clipește roșu de ieri seară.",
        ),
        (
            2,
            "Нет интернета в офисе",
            "С утра не работает интернет на Кольцевой, 14.",
        ),
        (
            3,
            "اینترنت قطع است",
            "از دیشب اینترنت کار نمی‌کند. شماره تماس: ۰۹۱۲۳۴۵۶۷۸۹",
        ),
    ];
    for (i, subject, body) in tickets {
        let customer = desk.acting_as(Actor::Customer(customers[i].id)).await?;
        let ticket = customer
            .open_ticket(NewTicket::new(
                ok(Subject::parse(subject)),
                ok(MessageBody::parse(body)),
                support.id,
            ))
            .await?;
        if i % 2 == 0 {
            ivan.execute(
                ticket.id,
                Command::reply(ok(MessageBody::parse("We are looking into it."))),
            )
            .await?;
            ivan.execute(
                ticket.id,
                Command::note(ok(MessageBody::parse(
                    "Internal: the line test shows a fault.",
                ))),
            )
            .await?;
        }
    }
    // Stored last, so that the demo's own tickets queue no e-mail.
    store_mail(&system, &support, &billing).await?;
    Ok(logins)
}

/// Stores the demo's mail settings ([`load_mail`](crate::demo_settings::load_mail)) where the
/// store keeps settings.
async fn store_mail(
    system: &helpdesk::service::Acting,
    support: &helpdesk::domain::Department,
    billing: &helpdesk::domain::Department,
) -> helpdesk::Result<()> {
    match crate::demo_settings::load_mail(system, support, billing).await {
        Err(helpdesk::Error::Unsupported { .. }) => Ok(()),
        other => other,
    }
}

const CUSTOMER_LOGINS: [(&str, Language); 4] = [
    ("john@demo.example", Language::English),
    ("ana@demo.example", Language::Romanian),
    ("oleg@demo.example", Language::Russian),
    ("zahra@demo.example", Language::Persian),
];
