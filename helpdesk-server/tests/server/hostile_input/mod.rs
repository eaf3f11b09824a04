//! Hostile input through the server (issue 10), one test each: oversized bodies and
//! uploads, path-traversal file names, invalid UTF-8, HTML and script in every text field,
//! SQL and full-text metacharacters in every filter, huge page sizes, bursts of failed
//! sign-ins, and the flags of every session cookie.
//!
//! The server's router runs in-process, on an in-memory SQLite database, with attachments in
//! a temporary directory. This file holds the desk they share; the tests are in `bodies`
//! (sizes, file names, UTF-8), `markup` (escaping, metacharacters, page sizes) and `sign_in`
//! (throttling, cookie flags).

mod bodies;
mod markup;
mod sign_in;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use helpdesk::domain::{Actor, CustomerKind, Email, Name, Role, standard_permissions};
use helpdesk::policy::FollowUpPolicy;
use helpdesk::service::{AttachmentLimits, NewAgent, NewCustomer};
use helpdesk::{FsBlobStore, Helpdesk};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

pub(super) const PASSWORD: &str = "correct horse battery staple";
pub(super) const MAX_FILE: u64 = 16 * 1024;
pub(super) const XSS: &str = "<script>alert('xss')</script><img src=x onerror=alert(1)>";

pub(super) struct Reply {
    pub(super) status: StatusCode,
    pub(super) headers: axum::http::HeaderMap,
    pub(super) bytes: Vec<u8>,
}

impl Reply {
    pub(super) fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }

    pub(super) fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    #[track_caller]
    pub(super) fn expect(self, status: StatusCode) -> Self {
        assert_eq!(self.status, status, "{}", self.text());
        self
    }
}

pub(super) struct Desk {
    pub(super) app: Router,
    pub(super) desk: Helpdesk,
    pub(super) blobs: tempfile::TempDir,
    pub(super) support: String,
    pub(super) ivan_id: String,
    pub(super) admin: String,
    pub(super) ivan: String,
    pub(super) ana: String,
}

/// A desk whose department, people and signature carry HTML when `hostile` is set.
pub(super) async fn desk(options: helpdesk_server::Options, hostile: bool) -> Desk {
    let blobs = tempfile::tempdir().unwrap();
    let store = helpdesk::connect(":memory:").await.unwrap();
    let limits = AttachmentLimits {
        max_size: MAX_FILE,
        ..AttachmentLimits::default()
    };
    let fs = FsBlobStore::open(blobs.path()).await.unwrap();
    let desk = Helpdesk::new(store).with_blobs(Arc::new(fs), limits);
    let accounts = Arc::new(helpdesk_server::Accounts::for_tests(desk.store().clone()).unwrap());
    let app = helpdesk_server::router(desk.clone(), accounts.clone(), options);
    let label = |plain: &str| {
        let text = if hostile {
            format!("{plain} {XSS}")
        } else {
            plain.to_owned()
        };
        Name::parse(text).unwrap()
    };
    let support = desk
        .as_system()
        .create_department(label("Support"), FollowUpPolicy::Reopen)
        .await
        .unwrap();
    let admin = desk
        .as_system()
        .create_agent(NewAgent::new(
            label("Root"),
            Email::parse("root@example.com").unwrap(),
            Role::Admin,
        ))
        .await
        .unwrap();
    let ivan = desk
        .as_system()
        .create_agent(
            NewAgent::new(
                label("Ivan"),
                Email::parse("ivan@example.com").unwrap(),
                Role::Agent,
            )
            .in_department(support.id, standard_permissions()),
        )
        .await
        .unwrap();
    let ana = desk
        .as_system()
        .create_customer(
            NewCustomer::new(CustomerKind::Individual, label("Ana"))
                .with_email(Email::parse("ana@example.ro").unwrap()),
        )
        .await
        .unwrap();
    for (login, actor) in [
        ("root@example.com", Actor::Agent(admin.id)),
        ("ivan@example.com", Actor::Agent(ivan.id)),
        ("ana@example.ro", Actor::Customer(ana.id)),
    ] {
        accounts.set_login(login, PASSWORD, actor).await.unwrap();
    }
    let mut d = Desk {
        app,
        desk,
        blobs,
        support: support.id.to_string(),
        ivan_id: ivan.id.to_string(),
        admin: String::new(),
        ivan: String::new(),
        ana: String::new(),
    };
    d.admin = d.token("root@example.com").await;
    d.ivan = d.token("ivan@example.com").await;
    d.ana = d.token("ana@example.ro").await;
    d
}

impl Desk {
    pub(super) async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            bytes: bytes.to_vec(),
        }
    }

    pub(super) async fn raw(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        ct: &str,
        body: Vec<u8>,
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, ct);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    pub(super) async fn get(&self, uri: &str, token: &str) -> Reply {
        let request = Request::builder()
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    pub(super) async fn post(&self, uri: &str, token: &str, body: Value) -> Reply {
        let bytes = body.to_string().into_bytes();
        self.raw("POST", uri, Some(token), "application/json", bytes)
            .await
    }

    pub(super) async fn put(&self, uri: &str, token: &str, body: Value) -> Reply {
        let bytes = body.to_string().into_bytes();
        self.raw("PUT", uri, Some(token), "application/json", bytes)
            .await
    }

    pub(super) async fn token(&self, login: &str) -> String {
        let body = json!({"login": login, "password": PASSWORD});
        let reply = self
            .raw(
                "POST",
                "/api/v1/auth/token",
                None,
                "application/json",
                body.to_string().into_bytes(),
            )
            .await
            .expect(StatusCode::CREATED);
        reply.json()["token"].as_str().unwrap().to_owned()
    }

    pub(super) async fn open(&self, token: &str, subject: &str, body: &str) -> Value {
        let new = json!({"subject": subject, "body": body, "department": self.support});
        self.post("/api/v1/tickets", token, new)
            .await
            .expect(StatusCode::CREATED)
            .json()
    }

    /// A multipart body with `fields` and `files` (name, content type, bytes).
    pub(super) async fn multipart(
        &self,
        uri: &str,
        token: &str,
        fields: &[(&str, &[u8])],
        files: &[(&str, &str, &[u8])],
    ) -> Reply {
        let boundary = "----hostile-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                    .as_bytes(),
            );
            body.extend_from_slice(value);
            body.extend_from_slice(b"\r\n");
        }
        for (file_name, content_type, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; \
                     filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let ct = format!("multipart/form-data; boundary={boundary}");
        self.raw("POST", uri, Some(token), &ct, body).await
    }

    /// Every ticket the admin sees.
    pub(super) async fn ticket_count(&self) -> usize {
        let listed = self.get("/api/v1/tickets?limit=200", &self.admin).await;
        listed.json()["items"].as_array().map_or(0, Vec::len)
    }

    /// Signs in on the page: the session cookie (`name=value`) and the `Set-Cookie` line.
    pub(super) async fn page_session(&self, login: &str) -> (String, String) {
        let reply = self.sign_in_page(login, PASSWORD).await;
        assert!(reply.status.is_redirection(), "{}", reply.text());
        let set_cookie = reply.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_owned();
        (set_cookie.split(';').next().unwrap().to_owned(), set_cookie)
    }

    /// Signs in on the page as a browser does: the form (its cookie and CSRF token), then
    /// the post.
    pub(super) async fn sign_in_page(&self, login: &str, password: &str) -> Reply {
        let form = self
            .send(
                Request::builder()
                    .uri("/login")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .expect(StatusCode::OK);
        let cookie = form.headers[header::SET_COOKIE].to_str().unwrap();
        let cookie = cookie.split(';').next().unwrap().to_owned();
        let html = form.text();
        let csrf = html
            .split_once("name=\"csrf\" value=\"")
            .and_then(|(_, rest)| rest.split('"').next())
            .unwrap()
            .to_owned();
        let body = format!(
            "login={}&password={}&csrf={csrf}",
            encode(login.as_bytes()),
            encode(password.as_bytes())
        );
        let request = Request::builder()
            .method("POST")
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub(super) async fn page(&self, cookie: &str, uri: &str) -> Reply {
        let request = Request::builder()
            .uri(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }
}

/// Percent-encodes every byte that is not unreserved.
pub(super) fn encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Every file under `dir`.
pub(super) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}
