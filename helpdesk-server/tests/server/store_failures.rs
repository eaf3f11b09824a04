//! What the server answers when its store fails or lacks an ability: a sign-in the store
//! cannot check is a 503 (logged, not counted toward throttling), and a route whose ability
//! the store does not offer is a 501 with the JSON error shape.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use helpdesk::Helpdesk;
use helpdesk::domain::{
    AccountLink, Actor, AuthToken, Email, Login, LoginName, Name, Role, TokenHash,
};
use helpdesk::service::NewAgent;
use helpdesk::store::{
    AccountStore, ChatStore, KnowledgeStore, ReportStore, SavedSearchStore, Store, TemplateStore,
};
use helpdesk::{Error, Result};
use helpdesk_server::accounts::THROTTLE_FAILURES;
use helpdesk_server::{Accounts, Options};
use serde_json::json;

use crate::support::{Fixture, PASSWORD, assert_error};

/// A SQLite store whose sign-in look-up fails while `logins_fail` is set, and which offers
/// the knowledge base only when `knowledge` is.
#[derive(Debug)]
struct BrokenStore {
    inner: Arc<dyn Store>,
    logins_fail: AtomicBool,
    knowledge: bool,
}

helpdesk::delegate_store! {
    impl Store for BrokenStore {
        via |this| this.inner;

        fn as_account_store(&self) -> Option<&dyn AccountStore> {
            Some(self)
        }

        fn as_sign_in_throttle(&self) -> Option<&dyn helpdesk::store::SignInThrottle> {
            self.inner.as_sign_in_throttle()
        }
        fn as_chat_store(&self) -> Option<&dyn ChatStore> {
            self.inner.as_chat_store()
        }

        fn as_report_store(&self) -> Option<&dyn ReportStore> {
            self.inner.as_report_store()
        }

        fn as_knowledge_store(&self) -> Option<&dyn KnowledgeStore> {
            self.inner.as_knowledge_store().filter(|_| self.knowledge)
        }

        fn as_saved_search_store(&self) -> Option<&dyn SavedSearchStore> {
            self.inner.as_saved_search_store()
        }

        fn as_template_store(&self) -> Option<&dyn TemplateStore> {
            self.inner.as_template_store()
        }
    }
}

impl BrokenStore {
    fn accounts(&self) -> Result<&dyn AccountStore> {
        self.inner
            .as_account_store()
            .ok_or_else(|| Error::backend("the inner store keeps no accounts"))
    }
}

#[async_trait]
impl AccountStore for BrokenStore {
    async fn login(&self, name: &LoginName) -> Result<Option<Login>> {
        if self.logins_fail.load(Ordering::SeqCst) {
            return Err(Error::backend("the database is down"));
        }
        self.accounts()?.login(name).await
    }

    async fn put_login(&self, login: &Login) -> Result<()> {
        self.accounts()?.put_login(login).await
    }

    async fn login_of(&self, actor: Actor) -> Result<Option<Login>> {
        self.accounts()?.login_of(actor).await
    }

    async fn delete_login(&self, actor: Actor) -> Result<bool> {
        self.accounts()?.delete_login(actor).await
    }

    async fn put_token(&self, token: &AuthToken) -> Result<()> {
        self.accounts()?.put_token(token).await
    }

    async fn token(&self, hash: &TokenHash) -> Result<Option<AuthToken>> {
        self.accounts()?.token(hash).await
    }

    async fn touch_token(&self, hash: &TokenHash, at: DateTime<Utc>) -> Result<bool> {
        self.accounts()?.touch_token(hash, at).await
    }

    async fn delete_token(&self, hash: &TokenHash) -> Result<bool> {
        self.accounts()?.delete_token(hash).await
    }

    async fn delete_expired_tokens(&self, now: DateTime<Utc>) -> Result<u64> {
        self.accounts()?.delete_expired_tokens(now).await
    }

    async fn tokens_of(&self, actor: Actor) -> Result<Vec<AuthToken>> {
        self.accounts()?.tokens_of(actor).await
    }

    async fn put_account_link(&self, link: &AccountLink) -> Result<()> {
        self.accounts()?.put_account_link(link).await
    }

    async fn account_link(&self, hash: &TokenHash) -> Result<Option<AccountLink>> {
        self.accounts()?.account_link(hash).await
    }

    async fn take_account_link(&self, hash: &TokenHash) -> Result<Option<AccountLink>> {
        self.accounts()?.take_account_link(hash).await
    }

    async fn account_links_of(&self, actor: Actor) -> Result<Vec<AccountLink>> {
        self.accounts()?.account_links_of(actor).await
    }

    async fn delete_account_links_of(&self, actor: Actor) -> Result<u64> {
        self.accounts()?.delete_account_links_of(actor).await
    }

    async fn delete_expired_account_links(&self, now: DateTime<Utc>) -> Result<u64> {
        self.accounts()?.delete_expired_account_links(now).await
    }
}

/// The server over a [`BrokenStore`], with an admin who can sign in.
async fn server(knowledge: bool) -> (Fixture, Arc<BrokenStore>) {
    let store = Arc::new(BrokenStore {
        inner: helpdesk::connect(":memory:").await.unwrap(),
        logins_fail: AtomicBool::new(false),
        knowledge,
    });
    let desk = Helpdesk::new(store.clone());
    let accounts = Arc::new(Accounts::for_tests(desk.store().clone()).unwrap());
    let admin = desk
        .as_system()
        .create_agent(NewAgent::new(
            Name::parse("Root").unwrap(),
            Email::parse("root@example.com").unwrap(),
            Role::Admin,
        ))
        .await
        .unwrap();
    accounts
        .set_login("root@example.com", PASSWORD, Actor::Agent(admin.id))
        .await
        .unwrap();
    let app = helpdesk_server::router(desk, accounts, Options::default());
    (Fixture::bare(app), store)
}

#[tokio::test]
async fn a_sign_in_the_store_cannot_check_is_503_and_not_counted_toward_throttling() {
    let (fx, store) = server(true).await;
    let credentials = json!({"login": "root@example.com", "password": PASSWORD});

    store.logins_fail.store(true, Ordering::SeqCst);
    for _ in 0..THROTTLE_FAILURES + 2 {
        let reply = fx
            .call(
                "POST",
                "/api/v1/auth/token",
                None,
                Some(credentials.clone()),
            )
            .await;
        assert_error(&reply, StatusCode::SERVICE_UNAVAILABLE, "unavailable");
        let message = reply.json()["error"]["message"].to_string();
        assert!(!message.contains("database is down"), "{message}");
    }

    // The store is back: none of those attempts counted, so the right password signs in.
    store.logins_fail.store(false, Ordering::SeqCst);
    let reply = fx
        .call("POST", "/api/v1/auth/token", None, Some(credentials))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
}

#[tokio::test]
async fn the_sign_in_page_says_503_when_the_store_cannot_check() {
    let (fx, store) = server(true).await;
    store.logins_fail.store(true, Ordering::SeqCst);
    let reply = crate::support::sign_in_page(&fx, "root@example.com", PASSWORD).await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.text()
    );
    assert!(!reply.text().contains("Wrong e-mail or password"));
}

#[tokio::test]
async fn a_route_whose_ability_the_store_lacks_is_501_with_the_json_error_shape() {
    let (fx, _) = server(false).await;
    let token = fx.login("root@example.com").await;
    let reply = fx.get("/api/v1/kb/articles?q=router", &token).await;
    assert_error(&reply, StatusCode::NOT_IMPLEMENTED, "unsupported");
    // A store without settings: the desk's settings are 501 too.
    let reply = fx.get("/api/v1/settings", &token).await;
    assert_error(&reply, StatusCode::NOT_IMPLEMENTED, "unsupported");

    // The document says so where an ability is needed, and only there.
    let spec = fx.call("GET", "/api/openapi.json", None, None).await.json();
    let kb = &spec["paths"]["/api/v1/kb/articles"]["get"]["responses"];
    assert!(kb["501"]["content"]["application/json"].is_object(), "{kb}");
    let settings = &spec["paths"]["/api/v1/settings"]["put"]["responses"];
    assert!(settings["501"].is_object(), "{settings}");
    let ticket = &spec["paths"]["/api/v1/tickets/{ticket}"]["get"]["responses"];
    assert!(ticket.get("501").is_none(), "{ticket}");
}
