//! Sign-in accounts ([`AccountStore`](crate::store::AccountStore)): logins, sessions and API
//! tokens read back, names and token hashes unique, tokens touched, revoked and expired.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::clock::to_micros;
use crate::domain::{
    Actor, AgentId, AuthToken, CustomerId, Login, LoginName, PasswordHash, TokenHash, TokenKind,
};
use crate::error::{ConflictKind, Entity, Error};
use crate::store::Store;

fn now() -> DateTime<Utc> {
    to_micros(Utc::now())
}

fn name(raw: &str) -> LoginName {
    LoginName::parse(raw).unwrap()
}

fn hash(salt: &str) -> PasswordHash {
    PasswordHash::parse(&format!("$argon2id$v=19$m=256,t=1,p=1${salt}$aGFzaGhhc2g")).unwrap()
}

fn login(raw: &str, actor: Actor, at: DateTime<Utc>) -> Login {
    Login::new(name(raw), actor, hash("c2FsdA"), at).unwrap()
}

fn token(secret: &str, actor: Actor, kind: TokenKind, at: DateTime<Utc>) -> AuthToken {
    AuthToken::new(TokenHash::of(secret), actor, kind, at, Duration::days(14))
}

fn assert_duplicate(result: crate::Result<()>, entity: Entity, field: &str) {
    match result {
        Err(Error::Conflict {
            entity: e,
            kind: ConflictKind::Duplicate { field: f },
        }) if e == entity && f == field => {}
        other => panic!("expected a Duplicate {field:?} conflict on {entity}, got {other:?}"),
    }
}

pub async fn logins_round_trip_are_replaced_per_actor_and_names_are_unique(store: Arc<dyn Store>) {
    let Some(accounts) = crate::testkit::ability(store.as_account_store(), "accounts") else {
        return;
    };
    let at = now();
    let ivan = Actor::Agent(AgentId::new());
    let ana = Actor::Customer(CustomerId::new());
    assert_eq!(
        accounts.login(&name("ivan@example.com")).await.unwrap(),
        None
    );
    assert_eq!(accounts.login_of(ivan).await.unwrap(), None);

    let ivans = login("Ivan@Example.com", ivan, at);
    accounts.put_login(&ivans).await.unwrap();
    let anas = login("ana@example.ro", ana, at);
    accounts.put_login(&anas).await.unwrap();
    assert_eq!(
        accounts.login(&name("IVAN@example.com")).await.unwrap(),
        Some(ivans.clone()),
        "names ignore case"
    );
    assert_eq!(accounts.login_of(ana).await.unwrap(), Some(anas.clone()));

    // Another actor cannot take Ivan's name; nothing changes.
    let taken = login("ivan@example.com", ana, at);
    assert_duplicate(accounts.put_login(&taken).await, Entity::Login, "login");
    assert_eq!(accounts.login_of(ana).await.unwrap(), Some(anas.clone()));
    let stranger = login("ivan@example.com", Actor::Agent(AgentId::new()), at);
    assert_duplicate(accounts.put_login(&stranger).await, Entity::Login, "login");
    assert_eq!(accounts.login_of(stranger.actor).await.unwrap(), None);

    // Ivan changes his name and password: one login, the old name is free.
    let mut renamed = ivans.clone();
    renamed.name = name("ivan.petrov@example.com");
    renamed.password_hash = hash("bmV3c2FsdA");
    renamed.updated_at = at + Duration::minutes(5);
    accounts.put_login(&renamed).await.unwrap();
    assert_eq!(
        accounts.login_of(ivan).await.unwrap(),
        Some(renamed.clone())
    );
    assert_eq!(
        accounts.login(&name("ivan@example.com")).await.unwrap(),
        None
    );
    assert_eq!(
        accounts
            .login(&name("ivan.petrov@example.com"))
            .await
            .unwrap(),
        Some(renamed)
    );
    // ...so Ana may take it now.
    let mut anas_new = anas.clone();
    anas_new.name = name("ivan@example.com");
    accounts.put_login(&anas_new).await.unwrap();
    assert_eq!(
        accounts.login(&name("ivan@example.com")).await.unwrap(),
        Some(anas_new)
    );

    assert!(accounts.delete_login(ana).await.unwrap());
    assert!(!accounts.delete_login(ana).await.unwrap());
    assert_eq!(accounts.login_of(ana).await.unwrap(), None);
    assert_eq!(
        accounts.login(&name("ivan@example.com")).await.unwrap(),
        None
    );
    assert!(accounts.login_of(ivan).await.unwrap().is_some());
}

pub async fn tokens_are_found_by_hash_touched_listed_and_revoked(store: Arc<dyn Store>) {
    let Some(accounts) = crate::testkit::ability(store.as_account_store(), "accounts") else {
        return;
    };
    let at = now();
    let ivan = Actor::Agent(AgentId::new());
    let ana = Actor::Customer(CustomerId::new());
    let session = token("session secret", ivan, TokenKind::Session, at);
    let api = token(
        "api secret",
        ivan,
        TokenKind::ApiToken,
        at + Duration::seconds(1),
    );
    let anas = token("ana's secret", ana, TokenKind::Session, at);
    for t in [&api, &session, &anas] {
        accounts.put_token(t).await.unwrap();
    }
    assert_eq!(
        accounts
            .token(&TokenHash::of("session secret"))
            .await
            .unwrap(),
        Some(session.clone())
    );
    assert_eq!(
        accounts
            .token(&TokenHash::of("no such secret"))
            .await
            .unwrap(),
        None
    );
    // A taken hash conflicts and changes nothing.
    let again = token("session secret", ana, TokenKind::ApiToken, at);
    assert_duplicate(accounts.put_token(&again).await, Entity::Session, "hash");
    assert_eq!(
        accounts.token(&session.hash).await.unwrap(),
        Some(session.clone())
    );

    assert_eq!(
        accounts.tokens_of(ivan).await.unwrap(),
        vec![session.clone(), api.clone()],
        "oldest first"
    );
    assert_eq!(accounts.tokens_of(ana).await.unwrap(), vec![anas.clone()]);
    assert!(
        accounts
            .tokens_of(Actor::Agent(AgentId::new()))
            .await
            .unwrap()
            .is_empty()
    );

    let used = at + Duration::minutes(3);
    assert!(accounts.touch_token(&api.hash, used).await.unwrap());
    assert!(
        !accounts
            .touch_token(&TokenHash::of("no such secret"), used)
            .await
            .unwrap()
    );
    let touched = accounts.token(&api.hash).await.unwrap().unwrap();
    assert_eq!(touched.last_used, Some(used));
    assert_eq!(
        AuthToken {
            last_used: None,
            ..touched
        },
        api
    );

    assert!(accounts.delete_token(&session.hash).await.unwrap());
    assert!(!accounts.delete_token(&session.hash).await.unwrap());
    assert_eq!(accounts.token(&session.hash).await.unwrap(), None);
    assert_eq!(accounts.tokens_of(ivan).await.unwrap().len(), 1);
    assert_eq!(accounts.tokens_of(ana).await.unwrap(), vec![anas]);
}

pub async fn expired_tokens_are_deleted_and_live_ones_kept(store: Arc<dyn Store>) {
    let Some(accounts) = crate::testkit::ability(store.as_account_store(), "accounts") else {
        return;
    };
    let at = now();
    let ana = Actor::Customer(CustomerId::new());
    let short = AuthToken::new(
        TokenHash::of("short"),
        ana,
        TokenKind::Session,
        at,
        Duration::hours(1),
    );
    let edge = AuthToken::new(
        TokenHash::of("edge"),
        ana,
        TokenKind::Session,
        at,
        Duration::hours(2),
    );
    let long = AuthToken::new(
        TokenHash::of("long"),
        ana,
        TokenKind::ApiToken,
        at,
        Duration::days(365),
    );
    for t in [&short, &edge, &long] {
        accounts.put_token(t).await.unwrap();
    }
    assert!(!short.is_expired(at) && short.is_expired(at + Duration::hours(1)));
    assert_eq!(accounts.delete_expired_tokens(at).await.unwrap(), 0);
    // Expired at the instant itself: `expires_at <= now`.
    let later = at + Duration::hours(2);
    assert_eq!(accounts.delete_expired_tokens(later).await.unwrap(), 2);
    assert_eq!(accounts.token(&short.hash).await.unwrap(), None);
    assert_eq!(accounts.token(&edge.hash).await.unwrap(), None);
    assert_eq!(accounts.tokens_of(ana).await.unwrap(), vec![long]);
    assert_eq!(accounts.delete_expired_tokens(later).await.unwrap(), 0);
}
