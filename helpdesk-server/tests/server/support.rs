//! The server's router in-process and the HTTP helpers its tests share: a fixture with
//! people and tokens, JSON and form calls, signed-in page sessions.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, TimeDelta, Utc};
use helpdesk::Helpdesk;
use helpdesk::clock::Clock;
use helpdesk::domain::{Actor, CustomerKind, Email, Language, Name, Role, standard_permissions};
use helpdesk::policy::FollowUpPolicy;
use helpdesk::service::{AttachmentLimits, NewAgent, NewCustomer};
use helpdesk::store::MemoryBlobStore;
use helpdesk_server::{Accounts, Options};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery staple";
pub const MAX_FILE: u64 = 16 * 1024;

pub struct Fixture {
    pub app: Router,
    pub support: String,
    pub ana: String,
    pub john: String,
    pub ivan: String,
    pub maria: String,
    pub ivan_id: String,
    pub admin: String,
    /// The desk behind `app` (`None` for a bare fixture).
    pub desk: Option<Helpdesk>,
    /// Its accounts (`None` for a bare fixture).
    pub accounts: Option<Arc<Accounts>>,
    /// The desk's clock: the system's, which a test may move ahead.
    pub clock: Arc<AheadClock>,
}

/// The system clock, moved ahead by what a test adds: the desk's time still runs, and a
/// test can let an hour pass at once.
#[derive(Debug, Default)]
pub struct AheadClock {
    ahead: Mutex<TimeDelta>,
}

impl AheadClock {
    /// Moves the clock `by` ahead.
    pub fn advance(&self, by: TimeDelta) {
        *self.ahead.lock().unwrap() += by;
    }
}

impl Clock for AheadClock {
    fn now(&self) -> DateTime<Utc> {
        helpdesk::clock::to_micros(Utc::now() + *self.ahead.lock().unwrap())
    }
}

/// The desk on the database at `url`, attachments in memory.
pub async fn desk_at(url: &str) -> Helpdesk {
    let store = helpdesk::connect(url).await.expect("a SQLite database");
    let limits = AttachmentLimits {
        max_size: MAX_FILE,
        ..AttachmentLimits::default()
    };
    Helpdesk::new(store).with_blobs(Arc::new(MemoryBlobStore::default()), limits)
}

/// The server's router over `desk`, its accounts in the desk's store.
pub fn app(desk: Helpdesk, options: Options) -> (Router, Arc<Accounts>) {
    let accounts = Arc::new(Accounts::for_tests(desk.store().clone()).unwrap());
    (
        helpdesk_server::router(desk, accounts.clone(), options),
        accounts,
    )
}

pub async fn fixture() -> Fixture {
    fixture_at(":memory:", Options::default()).await
}

/// Departments, an admin, two agents and three customers, each with a login and a token.
pub async fn fixture_at(url: &str, options: Options) -> Fixture {
    let clock = Arc::new(AheadClock::default());
    let desk = desk_at(url).await.with_clock(clock.clone());
    let name = |n: &str| Name::parse(n).unwrap();
    let support = desk
        .as_system()
        .create_department(name("Support"), FollowUpPolicy::Reopen)
        .await
        .unwrap();
    let billing = desk
        .as_system()
        .create_department(name("Billing"), FollowUpPolicy::Reopen)
        .await
        .unwrap();
    let (router, accounts) = app(desk.clone(), options);
    let mut agents = vec![("root@example.com", None, Role::Admin)];
    agents.push(("ivan@example.com", Some(support.id), Role::Agent));
    agents.push(("maria@example.com", Some(billing.id), Role::Agent));
    let mut agent_ids = Vec::new();
    for (login, dept, role) in agents {
        let mut new = NewAgent::new(name(login), Email::parse(login).unwrap(), role);
        if let Some(dept) = dept {
            new = new.in_department(dept, standard_permissions());
        }
        let agent = desk.as_system().create_agent(new).await.unwrap();
        let actor = Actor::Agent(agent.id);
        accounts.set_login(login, PASSWORD, actor).await.unwrap();
        agent_ids.push(agent.id);
    }
    for (login, language) in [
        ("ana@example.ro", Language::Romanian),
        ("john@example.com", Language::English),
        ("zahra@example.ir", Language::Persian),
    ] {
        let new = NewCustomer::new(CustomerKind::Individual, name(login))
            .with_email(Email::parse(login).unwrap())
            .with_language(language);
        let customer = desk.as_system().create_customer(new).await.unwrap();
        let actor = Actor::Customer(customer.id);
        accounts.set_login(login, PASSWORD, actor).await.unwrap();
    }
    let mut fx = Fixture::bare(router);
    fx.desk = Some(desk);
    fx.accounts = Some(accounts);
    fx.clock = clock;
    fx.support = support.id.to_string();
    fx.ivan_id = agent_ids[1].to_string();
    fx.admin = fx.login("root@example.com").await;
    fx.ana = fx.login("ana@example.ro").await;
    fx.john = fx.login("john@example.com").await;
    fx.ivan = fx.login("ivan@example.com").await;
    fx.maria = fx.login("maria@example.com").await;
    fx
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.bytes)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

impl Reply {
    /// The reply, after checking its status.
    #[track_caller]
    pub fn expect(self, status: StatusCode) -> Self {
        assert_eq!(self.status, status, "{}", self.text());
        self
    }

    /// The `items` of a JSON list.
    pub fn items(&self) -> Vec<Value> {
        self.json()["items"].as_array().cloned().unwrap_or_default()
    }
}

impl Fixture {
    /// A fixture over `app` with no people in it.
    pub fn bare(app: Router) -> Self {
        Fixture {
            app,
            support: String::new(),
            ana: String::new(),
            john: String::new(),
            ivan: String::new(),
            maria: String::new(),
            ivan_id: String::new(),
            admin: String::new(),
            desk: None,
            accounts: None,
            clock: Arc::default(),
        }
    }

    pub async fn get(&self, uri: &str, token: &str) -> Reply {
        self.call("GET", uri, Some(token), None).await
    }

    pub async fn post(&self, uri: &str, token: &str, body: Value) -> Reply {
        self.call("POST", uri, Some(token), Some(body)).await
    }

    /// Sends `request`; an API response is checked against the OpenAPI document's schema
    /// for its operation and status (see `schema_check`).
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let (method, uri) = (request.method().clone(), request.uri().to_string());
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        crate::schema_check::check_response(&method, &uri, status, &bytes);
        Reply {
            status,
            headers,
            bytes,
        }
    }

    pub async fn call(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(json) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(request.body(body).unwrap()).await
    }

    /// The OpenAPI document, read as anyone may (200 checked).
    pub async fn openapi(&self) -> Value {
        self.call("GET", "/api/openapi.json", None, None)
            .await
            .expect(StatusCode::OK)
            .json()
    }

    pub async fn login(&self, login: &str) -> String {
        let reply = self
            .call(
                "POST",
                "/api/v1/auth/token",
                None,
                Some(json!({"login": login, "password": PASSWORD})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        reply.json()["token"].as_str().unwrap().to_owned()
    }

    pub async fn open(&self, token: &str, subject: &str) -> Value {
        let reply = self
            .call(
                "POST",
                "/api/v1/tickets",
                Some(token),
                Some(json!({"subject": subject, "body": "Routerul clipește roșu.", "department": self.support})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        reply.json()
    }

    pub async fn multipart(
        &self,
        uri: &str,
        auth: (&str, &str),
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Reply {
        let boundary = "----helpdesk-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (file_name, content_type, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = Request::builder()
            .method("POST")
            .uri(uri)
            .header(auth.0, auth.1)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }
}

pub fn bearer(token: &str) -> (&'static str, String) {
    ("authorization", format!("Bearer {token}"))
}

pub fn assert_error(reply: &Reply, status: StatusCode, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "application/json",
        "errors are JSON"
    );
    let body = reply.json();
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        !body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .is_empty(),
        "{body}"
    );
}

/// A signed-in browser: its session cookie, and the CSRF token its forms carry.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub async fn page_login(fx: &Fixture, login: &str) -> Session {
    let reply = sign_in_page(fx, login, PASSWORD).await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let set_cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let mut session = Session {
        cookie,
        csrf: String::new(),
    };
    let html = page(fx, &session, "/portal/kb").await.text();
    let (_, rest) = html
        .split_once("name=\"csrf\" value=\"")
        .expect("pages carry the CSRF token");
    session.csrf = rest.split('"').next().unwrap().to_owned();
    session
}

/// The sign-in form as a browser gets it: its cookie (`name=value`) and CSRF token.
pub async fn login_form(fx: &Fixture) -> (String, String) {
    let form = fx
        .call("GET", "/login", None, None)
        .await
        .expect(StatusCode::OK);
    let cookie = form.headers[header::SET_COOKIE].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let html = form.text();
    let (_, rest) = html
        .split_once("name=\"csrf\" value=\"")
        .expect("the sign-in form carries a CSRF token");
    (cookie, rest.split('"').next().unwrap().to_owned())
}

/// Signs in on the page as a browser does: the form first, then the post.
pub async fn sign_in_page(fx: &Fixture, login: &str, password: &str) -> Reply {
    let (cookie, csrf) = login_form(fx).await;
    let request = Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(format!(
            "login={}&password={}&csrf={csrf}",
            login.replace('@', "%40"),
            password.replace(' ', "+")
        )))
        .unwrap();
    fx.send(request).await
}

pub async fn page(fx: &Fixture, session: &Session, uri: &str) -> Reply {
    let request = Request::builder()
        .uri(uri)
        .header(header::COOKIE, &session.cookie)
        .body(Body::empty())
        .unwrap();
    fx.send(request).await
}

/// A form posted from `session`'s pages, with their CSRF token.
pub async fn form(fx: &Fixture, session: &Session, uri: &str, body: &str) -> Reply {
    let body = format!("{body}&csrf={}", session.csrf);
    form_raw(fx, &session.cookie, uri, &body).await
}

/// A form posted with `cookie`, exactly as given.
pub async fn form_raw(fx: &Fixture, cookie: &str, uri: &str, body: &str) -> Reply {
    let request = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap();
    fx.send(request).await
}
