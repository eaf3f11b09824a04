//! The rules of the records format version 3 added, and the article record's two forms.

use chrono::{DateTime, Utc};

use super::extras::{ArticleRecord, PersonSettingsRecord};
use super::record::{Header, Record, Trailer};
use super::restore::Restore;
use crate::domain::{
    Actor, AgentId, Article, ArticleId, ArticleStatus, ArticleTitle, ArticleVote, Category,
    Language, Login, LoginName, MessageBody, PasswordHash, PersonSettings, RuleId, Visibility,
    Voter,
};
use crate::error::{Error, Result};
use crate::testkit::samples::{agent, customer, department};

/// A restore that has seen a header of `version`, a department, an agent and a customer.
fn started(version: u32) -> (Restore, Actor, Actor) {
    let mut restore = Restore::new();
    let mut header = Header::new(Utc::now(), 1);
    header.version = version;
    let d = department("Support");
    let a = agent("Ivan", "ivan@example.com", &[d.id]);
    let c = customer("Ana", Some("ana@example.com"));
    let (ivan, ana) = (Actor::Agent(a.id), Actor::Customer(c.id));
    for record in [
        Record::Header(header),
        Record::Department(d),
        Record::Agent(a),
        Record::Customer(c),
    ] {
        restore.check(&record).unwrap();
    }
    (restore, ivan, ana)
}

fn login(name: &str, actor: Actor) -> Record {
    let hash = PasswordHash::parse("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA").unwrap();
    Record::Login(Login {
        name: LoginName::parse(name).unwrap(),
        actor,
        password_hash: hash,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    })
}

fn article(helpful: u32, not_helpful: u32) -> Article {
    let at = DateTime::<Utc>::UNIX_EPOCH;
    Article {
        id: ArticleId::new(),
        title: ArticleTitle::parse("Router").unwrap(),
        body: MessageBody::parse("Opriți-l și porniți-l.").unwrap(),
        category: Category::parse("internet").unwrap(),
        language: Language::Romanian,
        status: ArticleStatus::Published,
        visibility: Visibility::Public,
        helpful,
        not_helpful,
        created_at: at,
        updated_at: at,
    }
}

fn voted(article: &Article, votes: &[(Actor, bool)]) -> Record {
    Record::Article(ArticleRecord {
        article: article.clone(),
        votes: (votes.iter())
            .map(|(who, helpful)| ArticleVote {
                article: article.id,
                voter: Voter::of(*who).unwrap(),
                helpful: *helpful,
                at: Utc::now(),
            })
            .collect(),
    })
}

fn field(result: Result<()>) -> String {
    match result {
        Err(Error::Validation(v)) => v.field().to_owned(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_version_3_record_in_a_version_2_stream_is_refused() {
    let (mut restore, ivan, _) = started(2);
    assert_eq!(field(restore.check(&login("ivan", ivan))), "version");
    let settings = Record::PersonSettings(PersonSettingsRecord {
        person: ivan,
        settings: PersonSettings::default(),
    });
    assert_eq!(field(restore.check(&settings)), "version");
    let a = article(1, 0);
    assert_eq!(field(restore.check(&voted(&a, &[(ivan, true)]))), "version");
    // Without votes, an article is a version 2 record.
    restore.check(&voted(&a, &[])).unwrap();
}

#[test]
fn a_login_names_a_person_of_the_export_and_is_one_per_person_and_per_name() {
    let (mut restore, ivan, ana) = started(3);
    let stranger = Actor::Agent(AgentId::new());
    assert_eq!(field(restore.check(&login("x", stranger))), "actor");
    assert_eq!(field(restore.check(&login("x", Actor::System))), "actor");
    restore.check(&login("ivan", ivan)).unwrap();
    assert_eq!(field(restore.check(&login("ivan2", ivan))), "login");
    assert_eq!(field(restore.check(&login("ivan", ana))), "login");
    restore.check(&login("ana", ana)).unwrap();
    assert_eq!(restore.counts().people, 2);
}

#[test]
fn a_rule_run_follows_its_rule_once() {
    let (mut restore, _, _) = started(3);
    let rule = RuleId::new();
    let run = Record::RuleRun {
        rule,
        at: Utc::now(),
    };
    assert_eq!(field(restore.check(&run)), "rule");
    let json = serde_json::json!({
        "record": "rule", "id": rule, "name": "Vechi", "position": 0, "active": true,
        "conditions": {}, "actions": [], "created_at": "2026-03-01T09:00:00Z",
        "schedule": {"every_minutes": 60}
    });
    let record: Record = serde_json::from_value(json).unwrap();
    restore.check(&record).unwrap();
    assert_eq!(field(restore.check(&record)), "rule", "the rule twice");
    restore.check(&run).unwrap();
    assert_eq!(field(restore.check(&run)), "rule", "two runs");
    assert_eq!(restore.counts().automation, 2);
}

#[test]
fn an_articles_votes_are_by_people_of_the_export_once_each_and_within_its_counts() {
    let (mut restore, ivan, ana) = started(3);
    let stranger = Actor::Customer(crate::domain::CustomerId::new());
    let a = article(1, 1);
    assert_eq!(
        field(restore.check(&voted(&a, &[(stranger, true)]))),
        "voter"
    );
    let b = article(2, 0);
    assert_eq!(
        field(restore.check(&voted(&b, &[(ivan, true), (ivan, true)]))),
        "vote"
    );
    let c = article(0, 1);
    assert_eq!(field(restore.check(&voted(&c, &[(ana, true)]))), "vote");
    let d = article(3, 1);
    restore
        .check(&voted(&d, &[(ana, true), (ivan, false)]))
        .unwrap();
    assert_eq!(field(restore.check(&voted(&d, &[]))), "article", "twice");
    assert_eq!(restore.counts().votes, 2);
}

#[test]
fn an_article_is_written_back_with_its_counts_less_its_votes() {
    let (_, ivan, ana) = started(3);
    let a = article(3, 1);
    let Record::Article(record) = voted(&a, &[(ana, true), (ivan, false)]) else {
        unreachable!()
    };
    let before = record.before_votes().unwrap();
    assert_eq!((before.helpful, before.not_helpful), (2, 0));
    let Record::Article(over) = voted(&article(0, 0), &[(ana, false)]) else {
        unreachable!()
    };
    assert_eq!(over.before_votes(), None);
}

#[test]
fn an_article_record_of_version_2_reads_and_one_with_votes_keeps_them() {
    let a = article(1, 0);
    let mut old = serde_json::to_value(&a).unwrap();
    old["record"] = "article".into();
    let read: Record = serde_json::from_value(old).unwrap();
    assert_eq!(read, Record::Article(ArticleRecord::from(a.clone())));
    let (_, ivan, _) = started(3);
    let with = voted(&a, &[(ivan, true)]);
    let text = serde_json::to_string(&with).unwrap();
    assert_eq!(serde_json::from_str::<Record>(&text).unwrap(), with);
    // The trailer of a version 2 stream reads with no version 3 counts.
    let trailer: Trailer = serde_json::from_str(
        r#"{"departments":1,"agents":0,"customers":0,"settings":0,"organisations":0,
            "tickets":0,"messages":0,"attachments":0,"content":2}"#,
    )
    .unwrap();
    assert_eq!(
        (trailer.people, trailer.automation, trailer.votes),
        (0, 0, 0)
    );
}

fn endpoint() -> crate::webhooks::WebhookEndpoint {
    crate::webhooks::WebhookEndpoint {
        id: crate::domain::WebhookId::new(),
        url: crate::webhooks::WebhookUrl::parse("https://hooks.example.com/in").unwrap(),
        description: String::new(),
        events: crate::webhooks::WebhookEvents::all(),
        secret: crate::webhooks::WebhookSecret::generate(),
        enabled: true,
        disabled_reason: None,
        consecutive_failures: 0,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

#[test]
fn webhooks_come_after_the_tickets_and_a_delivery_after_its_endpoint() {
    use crate::testkit::samples::{message, number, ticket};
    let (mut restore, _, _) = started(3);
    let orphan = crate::webhooks::ping_delivery(crate::domain::WebhookId::new(), Utc::now());
    let orphan = Record::WebhookDelivery(orphan);
    assert_eq!(field(restore.check(&orphan)), "webhook");
    let e = endpoint();
    let ping = Record::WebhookDelivery(crate::webhooks::ping_delivery(e.id, Utc::now()));
    restore.check(&Record::Webhook(e)).unwrap();
    restore.check(&ping).unwrap();
    assert_eq!(field(restore.check(&ping)), "delivery", "twice");
    assert_eq!(restore.counts().automation, 2);
    // Nothing of the directory or the tickets after the endpoints.
    let d = department("Late");
    let t = ticket(number(1), d.id, crate::domain::CustomerId::new());
    let whole = Record::Ticket(Box::new(super::record::TicketRecord {
        messages: vec![message(&t, "Salut", Visibility::Public)],
        history: Vec::new(),
        time_entries: Vec::new(),
        ticket: t,
        cc: Vec::new(),
        followers: Vec::new(),
    }));
    assert_eq!(field(restore.check(&whole)), "record");
    assert_eq!(field(restore.check(&Record::Department(d))), "record");
}
