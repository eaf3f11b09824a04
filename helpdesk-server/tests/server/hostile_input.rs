//! Hostile input through the example server (issue 10), one test each: oversized bodies and
//! uploads, path-traversal file names, invalid UTF-8, HTML and script in every text field,
//! SQL and full-text metacharacters in every filter, huge page sizes, bursts of failed
//! sign-ins, and the flags of every session cookie.
//!
//! The server's router runs in-process (the same `web` module `tests/server_api.rs` builds),
//! on an in-memory SQLite database, with attachments in a temporary directory.

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

const PASSWORD: &str = "correct horse battery staple";
const MAX_FILE: u64 = 16 * 1024;
const XSS: &str = "<script>alert('xss')</script><img src=x onerror=alert(1)>";

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    #[track_caller]
    fn expect(self, status: StatusCode) -> Self {
        assert_eq!(self.status, status, "{}", self.text());
        self
    }
}

struct Desk {
    app: Router,
    desk: Helpdesk,
    blobs: tempfile::TempDir,
    support: String,
    ivan_id: String,
    admin: String,
    ivan: String,
    ana: String,
}

/// A desk whose department, people and signature carry HTML when `hostile` is set.
async fn desk(options: helpdesk_server::Options, hostile: bool) -> Desk {
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
    async fn send(&self, request: Request<Body>) -> Reply {
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

    async fn raw(
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

    async fn get(&self, uri: &str, token: &str) -> Reply {
        let request = Request::builder()
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    async fn post(&self, uri: &str, token: &str, body: Value) -> Reply {
        let bytes = body.to_string().into_bytes();
        self.raw("POST", uri, Some(token), "application/json", bytes)
            .await
    }

    async fn put(&self, uri: &str, token: &str, body: Value) -> Reply {
        let bytes = body.to_string().into_bytes();
        self.raw("PUT", uri, Some(token), "application/json", bytes)
            .await
    }

    async fn token(&self, login: &str) -> String {
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

    async fn open(&self, token: &str, subject: &str, body: &str) -> Value {
        let new = json!({"subject": subject, "body": body, "department": self.support});
        self.post("/api/v1/tickets", token, new)
            .await
            .expect(StatusCode::CREATED)
            .json()
    }

    /// A multipart body with `fields` and `files` (name, content type, bytes).
    async fn multipart(
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
    async fn ticket_count(&self) -> usize {
        let listed = self.get("/api/v1/tickets?limit=200", &self.admin).await;
        listed.json()["items"].as_array().map_or(0, Vec::len)
    }

    /// Signs in on the page: the session cookie (`name=value`) and the `Set-Cookie` line.
    async fn page_session(&self, login: &str) -> (String, String) {
        let reply = self.sign_in_page(login, PASSWORD).await;
        assert!(reply.status.is_redirection(), "{}", reply.text());
        let set_cookie = reply.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_owned();
        (set_cookie.split(';').next().unwrap().to_owned(), set_cookie)
    }

    async fn sign_in_page(&self, login: &str, password: &str) -> Reply {
        let body = format!(
            "login={}&password={}",
            encode(login.as_bytes()),
            encode(password.as_bytes())
        );
        let request = Request::builder()
            .method("POST")
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    async fn page(&self, cookie: &str, uri: &str) -> Reply {
        let request = Request::builder()
            .uri(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }
}

/// Percent-encodes every byte that is not unreserved.
fn encode(bytes: &[u8]) -> String {
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
fn files_under(dir: &Path) -> Vec<PathBuf> {
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

#[tokio::test]
async fn oversized_bodies_and_uploads_are_413_and_store_nothing() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    // A JSON body larger than the router's limit.
    let huge = json!({"subject": "big", "body": "x".repeat(3 << 20), "department": d.support});
    let reply = d.post("/api/v1/tickets", &d.ana, huge).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    // A multipart body larger than the router's limit.
    let big = vec![b'a'; 3 << 20];
    let fields: [(&str, &[u8]); 3] = [
        ("subject", b"big upload"),
        ("body", b"see file"),
        ("department", d.support.as_bytes()),
    ];
    let reply = d
        .multipart(
            "/api/v1/tickets",
            &d.ana,
            &fields,
            &[("big.txt", "text/plain", &big)],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    // A file over the desk's size limit, and more files than it allows.
    let over = vec![b'a'; MAX_FILE as usize + 1];
    let reply = d
        .multipart(
            "/api/v1/tickets",
            &d.ana,
            &fields,
            &[("over.txt", "text/plain", &over)],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    let small: &[u8] = b"small";
    let many: Vec<(&str, &str, &[u8])> = (0..6).map(|_| ("one.txt", "text/plain", small)).collect();
    let reply = d.multipart("/api/v1/tickets", &d.ana, &fields, &many).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    assert_eq!(d.ticket_count().await, 0, "no ticket was stored");

    // On an existing ticket: the reply is refused whole.
    let ticket = d.open(&d.ana, "Existing", "first").await;
    let uri = format!(
        "/api/v1/tickets/{}/messages",
        ticket["id"].as_str().unwrap()
    );
    let fields: [(&str, &[u8]); 1] = [("body", b"with a big file")];
    let reply = d
        .multipart(&uri, &d.ivan, &fields, &[("over.txt", "text/plain", &over)])
        .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    let thread = d.get(&uri, &d.ivan).await.json();
    assert_eq!(thread["items"].as_array().unwrap().len(), 1, "{thread}");
    assert_eq!(
        files_under(d.blobs.path()),
        Vec::<PathBuf>::new(),
        "no blob was left behind"
    );
}

#[tokio::test]
async fn path_traversal_file_names_are_stored_sanitised() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    let fields: [(&str, &[u8]); 3] = [
        ("subject", b"Traversal"),
        ("body", b"files with hostile names"),
        ("department", d.support.as_bytes()),
    ];
    let names = [
        "../../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "/etc/shadow",
        "....//....//x.txt",
        "..",
        "a/../../b.txt",
    ];
    let payloads: Vec<Vec<u8>> = (0..5)
        .map(|i| format!("payload {i}").into_bytes())
        .collect();
    let files: Vec<(&str, &str, &[u8])> = names
        .iter()
        .zip(&payloads)
        .map(|(n, p)| (*n, "text/plain", p.as_slice()))
        .collect();
    let created = d
        .multipart("/api/v1/tickets", &d.ana, &fields, &files)
        .await
        .expect(StatusCode::CREATED);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let thread = d
        .get(&format!("/api/v1/tickets/{id}/messages"), &d.ivan)
        .await
        .json();
    let message = &thread["items"][0];
    let attachments = message["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 5);
    for a in attachments {
        let stored = a["file_name"].as_str().unwrap();
        assert!(
            !stored.contains('/')
                && !stored.contains('\\')
                && !stored.starts_with('.')
                && !stored.is_empty(),
            "stored name {stored:?}"
        );
        let uri = format!(
            "/api/v1/tickets/{id}/messages/{}/attachments/{}",
            message["id"].as_str().unwrap(),
            a["sha256"].as_str().unwrap()
        );
        let download = d.get(&uri, &d.ana).await.expect(StatusCode::OK);
        let disposition = download.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        let given = disposition.split("''").nth(1).unwrap_or_default();
        for bad in ["/", "\\", "%2F", "%5C", "\"", "\r", "\n"] {
            assert!(!given.contains(bad), "{bad} in {disposition}");
        }
    }
    // Nothing was written outside the blob directory.
    let parent = d.blobs.path().parent().unwrap();
    for name in ["passwd", "shadow", "win.ini", "x.txt", "b.txt"] {
        assert!(!parent.join(name).exists(), "{name} written outside");
        assert!(
            !d.blobs.path().join(name).exists(),
            "{name} written by name"
        );
    }
    // Sanitised names on the page too: the ticket page shows no path.
    let (cookie, _) = d.page_session("ivan@example.com").await;
    let page = d
        .page(&cookie, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK);
    assert!(!page.text().contains("href=\"/etc/"), "{}", page.text());
    let _ = &d.desk;
}

#[tokio::test]
async fn invalid_utf8_in_json_bodies_is_400() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    let mut json_body = br#"{"subject": "bad "#.to_vec();
    json_body.extend_from_slice(b"\xff\xfe\xc3\x28");
    json_body.extend_from_slice(
        format!(r#"", "body": "x", "department": "{}"}}"#, d.support).as_bytes(),
    );
    let reply = d
        .raw(
            "POST",
            "/api/v1/tickets",
            Some(&d.ana),
            "application/json",
            json_body,
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    assert_eq!(reply.json()["error"]["code"], "validation");
    // A token request with invalid UTF-8.
    let reply = d
        .raw(
            "POST",
            "/api/v1/auth/token",
            None,
            "application/json",
            b"{\"login\": \"\xc0\xaf\", \"password\": \"x\"}".to_vec(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    assert_eq!(d.ticket_count().await, 0);
}

#[tokio::test]
async fn invalid_utf8_in_multipart_fields_is_400() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    let fields: [(&str, &[u8]); 3] = [
        ("subject", b"\xff\xfe bad"),
        ("body", b"body"),
        ("department", d.support.as_bytes()),
    ];
    let reply = d.multipart("/api/v1/tickets", &d.ana, &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    assert_eq!(d.ticket_count().await, 0);
}

#[tokio::test]
async fn invalid_utf8_in_form_bodies_is_400() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    for body in [
        b"login=%FF%FE&password=x".to_vec(),
        b"login=\xff\xfe&password=x".to_vec(),
    ] {
        let request = Request::builder()
            .method("POST")
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let reply = d.send(request).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    }
}

/// Whether `html` shows hostile markup raw.
fn unescaped(html: &str) -> bool {
    html.contains("<script>alert") || html.contains("<img src=x")
}

#[tokio::test]
async fn html_and_script_in_every_field_are_escaped_on_every_page() {
    let d = desk(helpdesk_server::Options::default(), true).await;
    let ticket = d
        .open(&d.ana, &format!("Subject {XSS}"), &format!("Body {XSS}"))
        .await;
    let id = ticket["id"].as_str().unwrap().to_owned();
    let messages = format!("/api/v1/tickets/{id}/messages");
    d.post(&messages, &d.ivan, json!({"body": format!("Reply {XSS}")}))
        .await
        .expect(StatusCode::CREATED);
    d.post(
        &messages,
        &d.ivan,
        json!({"body": format!("Note {XSS}"), "internal": true}),
    )
    .await
    .expect(StatusCode::CREATED);
    d.put(
        &format!("/api/v1/agents/{}/signature", d.ivan_id),
        &d.admin,
        json!({"signature": format!("Sig {XSS}")}),
    )
    .await
    .expect(StatusCode::OK);
    d.post(
        "/api/v1/kb/articles",
        &d.ivan,
        json!({
            "title": format!("Article {XSS}"),
            "body": format!("Article body {XSS}"),
            "category": "xss",
            "language": "en",
        }),
    )
    .await
    .expect(StatusCode::CREATED);
    let fields: [(&str, &[u8]); 1] = [("body", b"a file with a hostile name")];
    d.multipart(
        &messages,
        &d.ivan,
        &fields,
        &[("<script>alert('f')</script>.txt", "text/plain", b"x")],
    )
    .await
    .expect(StatusCode::CREATED);
    let log = json!({"command": "log_time", "minutes": 5, "billable": true, "note": format!("Time {XSS}")});
    d.post(&format!("/api/v1/tickets/{id}/commands"), &d.ivan, log)
        .await
        .expect(StatusCode::OK);

    let q = encode(XSS.as_bytes());
    let pages = [
        ("ana@example.ro", "/portal".to_owned()),
        ("ana@example.ro", format!("/tickets/{id}")),
        ("ana@example.ro", format!("/portal/kb?q={q}")),
        ("ana@example.ro", "/portal/kb?q=Article".to_owned()),
        ("ana@example.ro", "/portal/new".to_owned()),
        ("ivan@example.com", "/console".to_owned()),
        ("ivan@example.com", format!("/console?q={q}")),
        ("ivan@example.com", format!("/tickets/{id}")),
        ("root@example.com", "/admin".to_owned()),
        ("root@example.com", format!("/admin?by=email&q={q}")),
        (
            "root@example.com",
            "/admin?by=email&q=ana%40example.ro".to_owned(),
        ),
    ];
    let mut escaped_somewhere = false;
    for (login, uri) in pages {
        let (cookie, _) = d.page_session(login).await;
        let page = d.page(&cookie, &uri).await;
        assert!(
            page.status.is_success() || page.status.is_client_error(),
            "{uri}: {}",
            page.status
        );
        let html = page.text();
        assert!(!unescaped(&html), "{login} {uri} shows markup raw:\n{html}");
        escaped_somewhere |= html.contains("&lt;script&gt;");
    }
    assert!(escaped_somewhere, "the hostile text is shown, escaped");
    // The login page's error and a 404 page echo nothing raw either.
    let wrong = d.sign_in_page(XSS, "x").await;
    assert!(!unescaped(&wrong.text()));
    let (cookie, _) = d.page_session("ana@example.ro").await;
    let missing = d.page(&cookie, &format!("/tickets/{q}")).await;
    assert!(!unescaped(&missing.text()), "{}", missing.text());
}

/// Metacharacters of SQL, LIKE patterns and full-text query languages.
const METACHARACTERS: [&str; 24] = [
    "'",
    "\"",
    "%",
    "_",
    "\\",
    "*",
    "--",
    ";",
    "' OR '1'='1",
    "\"; DROP TABLE tickets; --",
    "%%",
    "_%_",
    "\\%",
    "a*",
    "*a",
    "\"unterminated",
    "NEAR(a b)",
    "a AND OR NOT b",
    "a:b",
    "(a",
    "^a",
    "a -",
    "-",
    "{a}",
];

#[tokio::test]
async fn metacharacters_in_filters_and_searches_give_results_or_400_never_500() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    d.open(
        &d.ana,
        "It's 100% down_now \\ \"quoted\" * -- ;",
        "a body with % and _",
    )
    .await;
    let (cookie, _) = d.page_session("ivan@example.com").await;
    let mut checked = 0;
    for meta in METACHARACTERS {
        let m = encode(meta.as_bytes());
        let api = [
            format!("/api/v1/tickets?q={m}"),
            format!("/api/v1/tickets?q={m}&status=open&priority=normal"),
            format!("/api/v1/tickets?status={m}"),
            format!("/api/v1/tickets?department={m}"),
            format!("/api/v1/tickets?priority={m}"),
            format!("/api/v1/tickets?type={m}"),
            format!("/api/v1/tickets?category={m}"),
            format!("/api/v1/tickets?assignee={m}"),
            format!("/api/v1/tickets?customer={m}"),
            format!("/api/v1/tickets?order={m}"),
            format!("/api/v1/tickets?created_from={m}"),
            format!("/api/v1/tickets?after={m}"),
            format!("/api/v1/tickets/{m}"),
            format!("/api/v1/customers?address={m}"),
            format!("/api/v1/customers?phone={m}"),
            format!("/api/v1/customers?email={m}"),
            format!("/api/v1/customers?contract={m}"),
            format!("/api/v1/kb/articles?q={m}"),
            format!("/api/v1/kb/suggest?text={m}"),
        ];
        for uri in &api {
            for token in [&d.ivan, &d.ana] {
                let reply = d.get(uri, token).await;
                let s = reply.status;
                assert!(
                    s == StatusCode::OK
                        || s == StatusCode::BAD_REQUEST
                        || s == StatusCode::NOT_FOUND
                        || s == StatusCode::FORBIDDEN,
                    "{uri}: {s} {}",
                    reply.text()
                );
                checked += 1;
            }
        }
        for uri in [
            format!("/console?q={m}"),
            format!("/console?status={m}"),
            format!("/console?department={m}"),
            format!("/portal?q={m}"),
            format!("/portal/kb?q={m}"),
            format!("/tickets/{m}"),
        ] {
            let reply = d.page(&cookie, &uri).await;
            assert!(!reply.status.is_server_error(), "{uri}: {}", reply.status);
            checked += 1;
        }
    }
    // The ticket is still found by its words.
    let found = d
        .get("/api/v1/tickets?q=quoted", &d.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(found.json()["items"].as_array().unwrap().len(), 1);
    assert!(checked > 900);
}

#[tokio::test]
async fn huge_page_sizes_are_capped() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    for i in 0..205 {
        d.open(&d.ana, &format!("Ticket {i}"), "body").await;
    }
    for limit in ["201", "1000000", "4294967295"] {
        let reply = d
            .get(&format!("/api/v1/tickets?limit={limit}"), &d.ivan)
            .await
            .expect(StatusCode::OK);
        let json = reply.json();
        assert_eq!(
            json["items"].as_array().unwrap().len(),
            200,
            "limit={limit}"
        );
        assert!(json["next"].is_string(), "a next page");
    }
    for limit in ["-1", "99999999999999999999", "ten"] {
        let reply = d
            .get(&format!("/api/v1/tickets?limit={limit}"), &d.ivan)
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "limit={limit}");
    }
    let zero = d.get("/api/v1/tickets?limit=0", &d.ivan).await;
    assert!(!zero.status.is_server_error());
    let searched = d
        .get("/api/v1/tickets?q=Ticket&limit=1000000", &d.ivan)
        .await
        .expect(StatusCode::OK);
    assert!(searched.json()["items"].as_array().unwrap().len() <= 200);
    let notes = d
        .get("/api/v1/notifications?limit=4294967295", &d.ivan)
        .await
        .expect(StatusCode::OK);
    assert!(notes.json()["items"].as_array().unwrap().len() <= 205);
    for uri in [
        "/api/v1/kb/articles?q=a&limit=4294967295",
        "/api/v1/kb/suggest?text=a&limit=4294967295",
    ] {
        let reply = d.get(uri, &d.ana).await;
        assert!(!reply.status.is_server_error(), "{uri}: {}", reply.status);
    }
}

#[tokio::test]
async fn a_burst_of_failed_sign_ins_is_throttled() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    let wrong = json!({"login": "ana@example.ro", "password": "wrong"}).to_string();
    let mut statuses = Vec::new();
    for _ in 0..20 {
        let reply = d
            .raw(
                "POST",
                "/api/v1/auth/token",
                None,
                "application/json",
                wrong.clone().into_bytes(),
            )
            .await;
        statuses.push(reply.status);
    }
    let unauthorized = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        unauthorized,
        helpdesk_server::accounts::THROTTLE_FAILURES,
        "{statuses:?}"
    );
    assert_eq!(
        throttled,
        20 - helpdesk_server::accounts::THROTTLE_FAILURES,
        "{statuses:?}"
    );
    // The sign-in page is throttled for that login too, and the right password waits.
    let page = d.sign_in_page("ana@example.ro", PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    // An unknown login is throttled the same way (no telling which logins exist).
    for _ in 0..helpdesk_server::accounts::THROTTLE_FAILURES {
        d.sign_in_page("nobody@example.com", "x")
            .await
            .expect(StatusCode::UNAUTHORIZED);
    }
    d.sign_in_page("nobody@example.com", "x")
        .await
        .expect(StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_concurrent_burst_of_failed_sign_ins_is_throttled() {
    let d = Arc::new(desk(helpdesk_server::Options::default(), false).await);
    let wrong = json!({"login": "ana@example.ro", "password": "wrong"}).to_string();
    let attempts: Vec<_> = (0..20)
        .map(|_| {
            let d = d.clone();
            let wrong = wrong.clone();
            tokio::spawn(async move {
                d.raw(
                    "POST",
                    "/api/v1/auth/token",
                    None,
                    "application/json",
                    wrong.into_bytes(),
                )
                .await
                .status
            })
        })
        .collect();
    let mut unauthorized = 0;
    for a in attempts {
        if a.await.unwrap() == StatusCode::UNAUTHORIZED {
            unauthorized += 1;
        }
    }
    assert!(
        unauthorized <= helpdesk_server::accounts::THROTTLE_FAILURES,
        "{unauthorized} wrong passwords were checked"
    );
}

#[tokio::test]
async fn no_session_cookie_lacks_httponly_samesite_or_secure() {
    for secure in [false, true] {
        let d = desk(
            helpdesk_server::Options {
                secure_cookies: secure,
            },
            false,
        )
        .await;
        let mut cookies = Vec::new();
        let (cookie, set) = d.page_session("ana@example.ro").await;
        cookies.push(set);
        // The page's CSRF token, to sign out.
        let html = d.page(&cookie, "/portal/kb").await.text();
        let csrf = html
            .split_once("name=\"csrf\" value=\"")
            .and_then(|(_, rest)| rest.split('"').next())
            .unwrap()
            .to_owned();
        let request = Request::builder()
            .method("POST")
            .uri("/logout")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf={csrf}")))
            .unwrap();
        let out = d.send(request).await;
        cookies.extend(
            out.headers
                .get_all(header::SET_COOKIE)
                .iter()
                .map(|v| v.to_str().unwrap().to_owned()),
        );
        // Other responses set no cookie at all.
        let token = d
            .raw(
                "POST",
                "/api/v1/auth/token",
                None,
                "application/json",
                json!({"login": "ana@example.ro", "password": PASSWORD})
                    .to_string()
                    .into_bytes(),
            )
            .await;
        assert!(token.headers.get(header::SET_COOKIE).is_none());
        let wrong = d.sign_in_page("ana@example.ro", "wrong").await;
        assert!(wrong.headers.get(header::SET_COOKIE).is_none());
        assert_eq!(cookies.len(), 2, "{cookies:?}");
        for c in &cookies {
            assert!(c.contains("HttpOnly"), "{c}");
            assert!(
                c.contains("SameSite=Lax") || c.contains("SameSite=Strict"),
                "{c}"
            );
            assert_eq!(c.contains("Secure"), secure, "{c}");
        }
    }
}
