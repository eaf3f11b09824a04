//! HTTP tests of the example server (`examples/server`): its router runs in-process and is
//! called through `tower::ServiceExt::oneshot`, on an in-memory SQLite database.

#[allow(dead_code)]
#[path = "../examples/server/web/mod.rs"]
mod web;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use helpdesk::Helpdesk;
use helpdesk::domain::{Actor, CustomerKind, Email, Language, Name, Role, standard_permissions};
use helpdesk::policy::FollowUpPolicy;
use helpdesk::service::{AttachmentLimits, NewAgent, NewCustomer};
use helpdesk::store::MemoryBlobStore;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery staple";
const MAX_FILE: u64 = 16 * 1024;

struct Fixture {
    app: Router,
    support: String,
    ana: String,
    john: String,
    ivan: String,
    maria: String,
    ivan_id: String,
    admin: String,
}

async fn fixture() -> Fixture {
    let store = helpdesk::connect(":memory:")
        .await
        .expect("in-memory SQLite");
    let limits = AttachmentLimits {
        max_size: MAX_FILE,
        ..AttachmentLimits::default()
    };
    let desk = Helpdesk::new(store).with_blobs(Arc::new(MemoryBlobStore::default()), limits);
    let sys = Actor::System;
    let name = |n: &str| Name::parse(n).unwrap();
    let support = desk
        .create_department(sys, name("Support"), FollowUpPolicy::Reopen)
        .await
        .unwrap();
    let billing = desk
        .create_department(sys, name("Billing"), FollowUpPolicy::Reopen)
        .await
        .unwrap();
    let accounts = Arc::new(web::Accounts::for_tests());
    let root = desk
        .create_agent(
            sys,
            NewAgent::new(
                name("Root"),
                Email::parse("root@example.com").unwrap(),
                Role::Admin,
            ),
        )
        .await
        .unwrap();
    accounts
        .add(
            "root@example.com",
            PASSWORD,
            "Root",
            Actor::Agent(root.id),
            Language::English,
        )
        .unwrap();
    let mut agent_ids = Vec::new();
    for (login, dept) in [
        ("ivan@example.com", support.id),
        ("maria@example.com", billing.id),
    ] {
        let agent = desk
            .create_agent(
                sys,
                NewAgent::new(name(login), Email::parse(login).unwrap(), Role::Agent)
                    .in_department(dept, standard_permissions()),
            )
            .await
            .unwrap();
        accounts
            .add(
                login,
                PASSWORD,
                login,
                Actor::Agent(agent.id),
                Language::English,
            )
            .unwrap();
        agent_ids.push(agent.id);
    }
    for (login, language) in [
        ("ana@example.ro", Language::Romanian),
        ("john@example.com", Language::English),
        ("zahra@example.ir", Language::Persian),
    ] {
        let customer = desk
            .create_customer(
                sys,
                NewCustomer::new(CustomerKind::Individual, name(login))
                    .with_email(Email::parse(login).unwrap())
                    .with_language(language),
            )
            .await
            .unwrap();
        accounts
            .add(
                login,
                PASSWORD,
                login,
                Actor::Customer(customer.id),
                language,
            )
            .unwrap();
    }
    let app = web::router(desk, accounts, web::Options::default());
    let mut fx = Fixture {
        app,
        support: support.id.to_string(),
        ana: String::new(),
        john: String::new(),
        ivan: String::new(),
        maria: String::new(),
        ivan_id: agent_ids[0].to_string(),
        admin: String::new(),
    };
    fx.admin = fx.login("root@example.com").await;
    fx.ana = fx.login("ana@example.ro").await;
    fx.john = fx.login("john@example.com").await;
    fx.ivan = fx.login("ivan@example.com").await;
    fx.maria = fx.login("maria@example.com").await;
    fx
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.bytes)))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

impl Fixture {
    async fn send(&self, request: Request<Body>) -> Reply {
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
        Reply {
            status,
            headers,
            bytes,
        }
    }

    async fn call(
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

    async fn login(&self, login: &str) -> String {
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

    async fn open(&self, token: &str, subject: &str) -> Value {
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

    async fn multipart(
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

fn bearer(token: &str) -> (&'static str, String) {
    ("authorization", format!("Bearer {token}"))
}

fn assert_error(reply: &Reply, status: StatusCode, code: &str) {
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

#[tokio::test]
async fn tickets_are_created_and_read_over_http() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Nu funcționează internetul").await;
    let id = ticket["id"].as_str().unwrap();
    assert_eq!(ticket["status"], "new");
    assert_eq!(ticket["subject"], "Nu funcționează internetul");

    let by_id = fx
        .call("GET", &format!("/api/v1/tickets/{id}"), Some(&fx.ana), None)
        .await;
    assert_eq!(by_id.status, StatusCode::OK);
    assert_eq!(by_id.json()["id"], id);

    let short = ticket["number"]["short"].as_str().unwrap();
    let by_number = fx
        .call(
            "GET",
            &format!("/api/v1/tickets/{short}"),
            Some(&fx.ivan),
            None,
        )
        .await;
    assert_eq!(by_number.status, StatusCode::OK, "{}", by_number.text());
    assert_eq!(by_number.json()["id"], id);

    let listed = fx
        .call("GET", "/api/v1/tickets?status=new", Some(&fx.ana), None)
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.json()["items"].as_array().unwrap().len(), 1);

    // Pages: two more tickets, one per page.
    let second = fx.open(&fx.ana, "Second").await;
    let third = fx.open(&fx.ana, "Third").await;
    let first_page = fx
        .call("GET", "/api/v1/tickets?limit=2", Some(&fx.ana), None)
        .await
        .json();
    assert_eq!(first_page["items"][0]["id"], third["id"]);
    assert_eq!(first_page["items"][1]["id"], second["id"]);
    let next = first_page["next"].as_str().expect("a next page");
    let last_page = fx
        .call(
            "GET",
            &format!("/api/v1/tickets?limit=2&after={next}"),
            Some(&fx.ana),
            None,
        )
        .await
        .json();
    assert_eq!(last_page["items"].as_array().unwrap().len(), 1);
    assert_eq!(last_page["items"][0]["id"], id);
    assert!(last_page["next"].is_null());

    // Search folds diacritics: "functioneaza" finds "funcționează".
    let found = fx
        .call(
            "GET",
            "/api/v1/tickets?q=functioneaza",
            Some(&fx.ivan),
            None,
        )
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text());
    assert_eq!(found.json()["items"][0]["id"], id);

    // The agent replies, assigns, raises the priority and resolves; the customer confirms.
    let reply = fx
        .call(
            "POST",
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&fx.ivan),
            Some(json!({"body": "Am resetat linia."})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let assigned = fx
        .call(
            "POST",
            &format!("/api/v1/tickets/{id}/assign"),
            Some(&fx.ivan),
            Some(json!({"agent": fx.ivan_id})),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text());
    assert_eq!(assigned.json()["ticket"]["assignee"], fx.ivan_id.as_str());
    let priority = fx
        .call(
            "POST",
            &format!("/api/v1/tickets/{id}/priority"),
            Some(&fx.ivan),
            Some(json!({"priority": "low"})),
        )
        .await;
    assert_eq!(priority.status, StatusCode::OK, "{}", priority.text());
    assert_eq!(priority.json()["ticket"]["priority"], "low");
    // Individuals are never above normal (seed 004): a typed 403.
    let capped = fx
        .call(
            "POST",
            &format!("/api/v1/tickets/{id}/priority"),
            Some(&fx.ivan),
            Some(json!({"priority": "urgent"})),
        )
        .await;
    assert_error(&capped, StatusCode::FORBIDDEN, "forbidden");
    let resolved = fx
        .call(
            "POST",
            &format!("/api/v1/tickets/{id}/transitions"),
            Some(&fx.ivan),
            Some(json!({"command": "resolve", "body": null})),
        )
        .await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.text());
    assert_eq!(resolved.json()["ticket"]["status"], "resolved");
    let closed = fx
        .call(
            "POST",
            &format!("/api/v1/tickets/{id}/transitions"),
            Some(&fx.ana),
            Some(json!({"command": "confirm_resolution"})),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text());
    assert_eq!(closed.json()["ticket"]["status"], "closed:solved");

    let history = fx
        .call(
            "GET",
            &format!("/api/v1/tickets/{id}/history"),
            Some(&fx.ivan),
            None,
        )
        .await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(history.json()["items"].as_array().unwrap().len() >= 4);

    let departments = fx
        .call("GET", "/api/v1/departments", Some(&fx.ana), None)
        .await;
    assert_eq!(departments.json()["items"].as_array().unwrap().len(), 2);
    let me = fx.call("GET", "/api/v1/me", Some(&fx.ana), None).await;
    assert_eq!(me.json()["language"], "ro");
}

#[tokio::test]
async fn customers_see_only_their_tickets_and_never_internal_notes() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Private problem").await;
    let id = ticket["id"].as_str().unwrap();

    let note = fx
        .call(
            "POST",
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&fx.ivan),
            Some(json!({"body": "SECRET internal remark", "internal": true})),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.text());

    // Another customer: the ticket does not exist for them.
    for uri in [
        format!("/api/v1/tickets/{id}"),
        format!("/api/v1/tickets/{id}/messages"),
        format!("/api/v1/tickets/{id}/history"),
    ] {
        let other = fx.call("GET", &uri, Some(&fx.john), None).await;
        assert_error(&other, StatusCode::NOT_FOUND, "not_found");
    }
    let listed = fx
        .call("GET", "/api/v1/tickets", Some(&fx.john), None)
        .await;
    assert!(listed.json()["items"].as_array().unwrap().is_empty());
    let searched = fx
        .call("GET", "/api/v1/tickets?q=Private", Some(&fx.john), None)
        .await;
    assert!(searched.json()["items"].as_array().unwrap().is_empty());

    // The owner sees the thread without the note; the agent sees it.
    let own = fx
        .call(
            "GET",
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&fx.ana),
            None,
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(!own.text().contains("SECRET"), "{}", own.text());
    assert_eq!(own.json()["items"].as_array().unwrap().len(), 1);
    let staff = fx
        .call(
            "GET",
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&fx.ivan),
            None,
        )
        .await;
    assert!(staff.text().contains("SECRET"));

    // Nor can the customer search for the note's words.
    let search = fx
        .call("GET", "/api/v1/tickets?q=SECRET", Some(&fx.ana), None)
        .await;
    assert!(search.json()["items"].as_array().unwrap().is_empty());

    // A customer cannot write an internal note.
    let sneaky = fx
        .call(
            "POST",
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&fx.ana),
            Some(json!({"body": "note?", "internal": true})),
        )
        .await;
    assert_error(&sneaky, StatusCode::FORBIDDEN, "forbidden");

    // Agents-only directory routes.
    let agents = fx.call("GET", "/api/v1/agents", Some(&fx.ana), None).await;
    assert_error(&agents, StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn an_agent_outside_the_department_gets_403() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Support only").await;
    let id = ticket["id"].as_str().unwrap();
    let read = fx
        .call(
            "GET",
            &format!("/api/v1/tickets/{id}"),
            Some(&fx.maria),
            None,
        )
        .await;
    assert_error(&read, StatusCode::FORBIDDEN, "forbidden");
    let reply = fx
        .call(
            "POST",
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&fx.maria),
            Some(json!({"body": "hello"})),
        )
        .await;
    assert_error(&reply, StatusCode::FORBIDDEN, "forbidden");
    // Her queue does not list it.
    let listed = fx
        .call("GET", "/api/v1/tickets", Some(&fx.maria), None)
        .await;
    assert!(listed.json()["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn errors_have_a_stable_json_shape() {
    let fx = fixture().await;
    // 401: no token, a bad token, a wrong password.
    assert_error(
        &fx.call("GET", "/api/v1/tickets", None, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
    assert_error(
        &fx.call("GET", "/api/v1/tickets", Some("not-a-token"), None)
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
    assert_error(
        &fx.call(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(json!({"login": "ana@example.ro", "password": "wrong"})),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );

    // 400: an empty subject, malformed JSON, a bad filter.
    let empty = fx
        .call(
            "POST",
            "/api/v1/tickets",
            Some(&fx.ana),
            Some(json!({"subject": "  ", "body": "x", "department": fx.support})),
        )
        .await;
    assert_error(&empty, StatusCode::BAD_REQUEST, "validation");
    let request = Request::builder()
        .method("POST")
        .uri("/api/v1/tickets")
        .header(header::AUTHORIZATION, format!("Bearer {}", fx.ana))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    assert_error(
        &fx.send(request).await,
        StatusCode::BAD_REQUEST,
        "validation",
    );
    assert_error(
        &fx.call("GET", "/api/v1/tickets?status=bogus", Some(&fx.ana), None)
            .await,
        StatusCode::BAD_REQUEST,
        "validation",
    );

    // 404: an unknown ticket, an unknown route.
    let unknown = uuid::Uuid::now_v7();
    assert_error(
        &fx.call(
            "GET",
            &format!("/api/v1/tickets/{unknown}"),
            Some(&fx.ivan),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &fx.call("GET", "/api/v1/nope", Some(&fx.ivan), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    let ticket = fx.open(&fx.ana, "Errors").await;
    let id = ticket["id"].as_str().unwrap();
    let version = ticket["version"].as_u64().unwrap();

    // 422: confirming a resolution that never happened.
    let confirm = fx
        .call(
            "POST",
            &format!("/api/v1/tickets/{id}/transitions"),
            Some(&fx.ana),
            Some(json!({"command": "confirm_resolution"})),
        )
        .await;
    assert_error(
        &confirm,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_transition",
    );

    // 409: a command with a stale If-Match version.
    let reply = fx
        .call(
            "POST",
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&fx.ivan),
            Some(json!({"body": "first"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let request = Request::builder()
        .method("POST")
        .uri(format!("/api/v1/tickets/{id}/priority"))
        .header(header::AUTHORIZATION, format!("Bearer {}", fx.ivan))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::IF_MATCH, version.to_string())
        .body(Body::from(json!({"priority": "high"}).to_string()))
        .unwrap();
    assert_error(&fx.send(request).await, StatusCode::CONFLICT, "conflict");

    // 413: a file over the desk's limit.
    let big = vec![b'x'; MAX_FILE as usize + 1];
    let (name, value) = bearer(&fx.ana);
    let upload = fx
        .multipart(
            &format!("/api/v1/tickets/{id}/messages"),
            (name, &value),
            &[("body", "a big log")],
            &[("big.txt", "text/plain", &big)],
        )
        .await;
    assert_error(&upload, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    // ...and a type the desk does not accept.
    let exe = fx
        .multipart(
            &format!("/api/v1/tickets/{id}/messages"),
            (name, &value),
            &[("body", "a program")],
            &[("setup.exe", "application/x-msdownload", b"MZ")],
        )
        .await;
    assert_error(
        &exe,
        StatusCode::PAYLOAD_TOO_LARGE,
        "unsupported_content_type",
    );
}

#[tokio::test]
async fn notifications_can_be_read_snoozed_and_dismissed() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Notify me").await;
    let id = ticket["id"].as_str().unwrap();
    let reply = fx
        .call(
            "POST",
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&fx.ivan),
            Some(json!({"body": "We replied."})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);

    let list = fx
        .call("GET", "/api/v1/notifications", Some(&fx.ana), None)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    let items = list.json()["items"].as_array().unwrap().clone();
    let replied = items
        .iter()
        .find(|n| n["kind"]["kind"] == "agent_replied" && n["ticket_id"] == id)
        .unwrap_or_else(|| panic!("no agent_replied notification in {items:?}"))
        .clone();
    let nid = replied["id"].as_str().unwrap();

    let read = fx
        .call(
            "POST",
            &format!("/api/v1/notifications/{nid}/read"),
            Some(&fx.ana),
            None,
        )
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text());
    assert!(read.json()["state"]["read_at"].is_string());

    let snoozed = fx
        .call(
            "POST",
            &format!("/api/v1/notifications/{nid}/snooze"),
            Some(&fx.ana),
            Some(json!({"minutes": 30})),
        )
        .await;
    assert_eq!(snoozed.status, StatusCode::OK, "{}", snoozed.text());
    assert!(snoozed.json()["state"]["snoozed_until"].is_string());

    let dismissed = fx
        .call(
            "POST",
            &format!("/api/v1/notifications/{nid}/dismiss"),
            Some(&fx.ana),
            None,
        )
        .await;
    assert_eq!(dismissed.status, StatusCode::OK);
    assert!(dismissed.json()["state"]["dismissed_at"].is_string());
    let after = fx
        .call("GET", "/api/v1/notifications", Some(&fx.ana), None)
        .await;
    let active = after.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["id"] == nid && n["state"]["dismissed_at"].is_null());
    assert!(!active, "a dismissed notification is not active");

    // Someone else's notification is not there for them.
    let other = fx
        .call(
            "POST",
            &format!("/api/v1/notifications/{nid}/read"),
            Some(&fx.john),
            None,
        )
        .await;
    assert_error(&other, StatusCode::NOT_FOUND, "not_found");
    let bad = fx
        .call(
            "POST",
            &format!("/api/v1/notifications/{nid}/explode"),
            Some(&fx.ana),
            None,
        )
        .await;
    assert_error(&bad, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn attachments_round_trip() {
    let fx = fixture().await;
    let (name, value) = bearer(&fx.ana);
    let png: &[u8] = b"\x89PNG\r\n\x1a\n fake screenshot bytes \x00\x01\x02";
    let created = fx
        .multipart(
            "/api/v1/tickets",
            (name, &value),
            &[
                ("subject", "Screenshot attached"),
                ("body", "See the picture."),
                ("department", &fx.support),
                ("priority", "normal"),
            ],
            &[("ecran captură.png", "image/png", png)],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let id = created.json()["id"].as_str().unwrap().to_owned();

    let thread = fx
        .call(
            "GET",
            &format!("/api/v1/tickets/{id}/messages"),
            Some(&fx.ivan),
            None,
        )
        .await
        .json();
    let message = &thread["items"][0];
    let attachment = &message["attachments"][0];
    assert_eq!(attachment["content_type"], "image/png");
    assert_eq!(attachment["size"], png.len());
    let uri = format!(
        "/api/v1/tickets/{id}/messages/{}/attachments/{}",
        message["id"].as_str().unwrap(),
        attachment["sha256"].as_str().unwrap()
    );
    let download = fx.call("GET", &uri, Some(&fx.ivan), None).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.bytes, png);
    assert_eq!(download.headers[header::CONTENT_TYPE], "image/png");
    let disposition = download.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(download.headers["x-content-type-options"], "nosniff");

    // The owner can download it too; another customer cannot.
    assert_eq!(fx.call("GET", &uri, Some(&fx.ana), None).await.bytes, png);
    assert_error(
        &fx.call("GET", &uri, Some(&fx.john), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    // A reply with an attachment, by an agent.
    let (name, value) = bearer(&fx.ivan);
    let reply = fx
        .multipart(
            &format!("/api/v1/tickets/{id}/messages"),
            (name, &value),
            &[("body", "Here is the log.")],
            &[("log.txt", "text/plain", b"all good")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
}

async fn page_login(fx: &Fixture, login: &str) -> String {
    let request = Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "login={}&password={}",
            login.replace('@', "%40"),
            PASSWORD.replace(' ', "+")
        )))
        .unwrap();
    let reply = fx.send(request).await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let cookie = reply.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    cookie.split(';').next().unwrap().to_owned()
}

async fn page(fx: &Fixture, cookie: &str, uri: &str) -> Reply {
    let request = Request::builder()
        .uri(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    fx.send(request).await
}

#[tokio::test]
async fn pages_render_with_user_content_escaped() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "<script>alert('x')</script> & more").await;
    let id = ticket["id"].as_str().unwrap();

    // Not signed in: to the sign-in page.
    let anonymous = fx
        .send(
            Request::builder()
                .uri("/portal")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(anonymous.status.is_redirection());
    assert_eq!(anonymous.headers[header::LOCATION], "/login");

    let cookie = page_login(&fx, "ana@example.ro").await;
    let portal = page(&fx, &cookie, "/portal").await;
    assert_eq!(portal.status, StatusCode::OK);
    let html = portal.text();
    assert!(
        html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; more"),
        "{html}"
    );
    assert!(!html.contains("<script>alert"), "user content is escaped");
    assert!(html.contains("lang=\"ro\""), "Ana's pages are in Romanian");

    let view = page(&fx, &cookie, &format!("/tickets/{id}")).await;
    assert_eq!(view.status, StatusCode::OK);
    assert!(!view.text().contains("<script>alert"));

    // The Persian customer's pages are right to left.
    let zahra = page_login(&fx, "zahra@example.ir").await;
    let portal = page(&fx, &zahra, "/portal").await;
    assert!(portal.text().contains("dir=\"rtl\""), "{}", portal.text());
    // ...and Ana's ticket is not there for her.
    let other = page(&fx, &zahra, &format!("/tickets/{id}")).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);

    // The agent console lists the ticket, escaped too.
    let ivan = page_login(&fx, "ivan@example.com").await;
    let queue = page(&fx, &ivan, "/console").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.text().contains("&lt;script&gt;"));
    assert!(!queue.text().contains("<script>alert"));
}

#[tokio::test]
async fn the_openapi_document_describes_the_routes() {
    let fx = fixture().await;
    let doc = fx.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = doc.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/tickets",
        "/api/v1/tickets/{ticket}/messages",
        "/api/v1/notifications/{notification}/snooze",
        "/api/v1/kb/suggest",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    assert_eq!(
        doc["paths"]["/api/v1/tickets"]["post"]["responses"]["413"]["content"]["application/json"]
            ["schema"]["$ref"],
        "#/components/schemas/Error"
    );
}

async fn form(fx: &Fixture, cookie: &str, uri: &str, body: &str) -> Reply {
    let request = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap();
    fx.send(request).await
}

/// The browser scenario of issue 7, through the pages' forms: the customer searches the
/// knowledge base, finds nothing, opens a ticket with an attachment; the agent adds an
/// internal note and a reply; the customer sees the reply and not the note, confirms the
/// solution, and the ticket shows Closed.
#[tokio::test]
async fn the_portal_and_console_pages_carry_a_ticket_to_closed() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let kb = page(&fx, &ana, "/portal/kb?q=imprimanta").await;
    assert_eq!(kb.status, StatusCode::OK);
    assert!(kb.text().contains("id=\"nothing\""), "{}", kb.text());

    let new = page(&fx, &ana, "/portal/new").await;
    assert_eq!(new.status, StatusCode::OK);
    assert!(
        new.text().contains(&fx.support),
        "the form offers the departments"
    );

    let created = fx
        .multipart(
            "/portal/tickets",
            ("cookie", &ana),
            &[
                ("department", &fx.support),
                ("ticket_type", "incident"),
                ("subject", "Imprimanta nu tipărește"),
                ("body", "Mesaj de eroare pe ecran."),
                ("priority", "normal"),
            ],
            &[("eroare.png", "image/png", b"\x89PNG fake")],
        )
        .await;
    assert!(created.status.is_redirection(), "{}", created.text());
    let location = created.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(location.starts_with("/tickets/"));
    let view = page(&fx, &ana, &location).await;
    assert!(
        view.text().contains("eroare.png"),
        "the attachment is listed"
    );

    let ivan = page_login(&fx, "ivan@example.com").await;
    let queue = page(&fx, &ivan, "/console").await;
    assert!(queue.text().contains("Imprimanta nu tipărește"));
    let note = fx
        .multipart(
            &format!("{location}/message"),
            ("cookie", &ivan),
            &[("body", "NOTE: driver issue"), ("internal", "true")],
            &[],
        )
        .await;
    assert!(note.status.is_redirection(), "{}", note.text());
    let reply = fx
        .multipart(
            &format!("{location}/message"),
            ("cookie", &ivan),
            &[("body", "Reinstalați driverul, vă rog.")],
            &[],
        )
        .await;
    assert!(reply.status.is_redirection(), "{}", reply.text());
    let staff_view = page(&fx, &ivan, &location).await.text();
    assert!(staff_view.contains("NOTE: driver issue"));
    assert!(staff_view.contains("id=\"history\""));
    let logged = form(
        &fx,
        &ivan,
        &format!("{location}/action"),
        "action=log_time&minutes=25&billable=true&note=driver",
    )
    .await;
    assert!(logged.status.is_redirection(), "{}", logged.text());
    assert!(page(&fx, &ivan, &location).await.text().contains("25 min"));
    let resolved = form(&fx, &ivan, &format!("{location}/action"), "action=resolve").await;
    assert!(resolved.status.is_redirection(), "{}", resolved.text());

    let customer_view = page(&fx, &ana, &location).await.text();
    assert!(customer_view.contains("Reinstalați driverul"));
    assert!(
        !customer_view.contains("NOTE: driver issue"),
        "notes stay internal"
    );
    assert!(customer_view.contains("id=\"confirm\""));
    let confirmed = form(&fx, &ana, &format!("{location}/action"), "action=confirm").await;
    assert!(confirmed.status.is_redirection(), "{}", confirmed.text());
    let closed = page(&fx, &ana, &location).await.text();
    assert!(closed.contains("data-status=\"closed:solved\""), "{closed}");

    // A customer cannot use the agents' actions.
    let assign = form(
        &fx,
        &ana,
        &format!("{location}/action"),
        &format!("action=assign&agent={}", fx.ivan_id),
    )
    .await;
    assert_eq!(assign.status, StatusCode::FORBIDDEN, "{}", assign.text());
}

#[tokio::test]
async fn the_knowledge_base_is_written_by_agents_and_searched_by_customers() {
    let fx = fixture().await;
    let article = json!({
        "title": "Cum resetați routerul",
        "body": "Scoateți routerul din priză 30 de secunde.",
        "category": "internet",
        "language": "ro",
    });
    let denied = fx
        .call(
            "POST",
            "/api/v1/kb/articles",
            Some(&fx.ana),
            Some(article.clone()),
        )
        .await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    let created = fx
        .call("POST", "/api/v1/kb/articles", Some(&fx.ivan), Some(article))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let id = created.json()["id"].as_str().unwrap().to_owned();

    let found = fx
        .call("GET", "/api/v1/kb/articles?q=resetati", Some(&fx.ana), None)
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text());
    assert_eq!(found.json()["items"][0]["id"], id.as_str());
    let suggested = fx
        .call(
            "GET",
            "/api/v1/kb/suggest?text=routerul%20nu%20merge",
            Some(&fx.ana),
            None,
        )
        .await;
    assert_eq!(suggested.status, StatusCode::OK, "{}", suggested.text());
    assert_eq!(suggested.json()["items"][0]["id"], id.as_str());
    let voted = fx
        .call(
            "POST",
            &format!("/api/v1/kb/articles/{id}/votes"),
            Some(&fx.ana),
            Some(json!({"helpful": true})),
        )
        .await;
    assert_eq!(voted.status, StatusCode::OK, "{}", voted.text());
    assert_eq!(voted.json()["helpful"], 1);
}

#[tokio::test]
async fn admins_manage_departments_signatures_and_customer_access() {
    let fx = fixture().await;
    let department = json!({"name": "Facturare"});
    let denied = fx
        .call(
            "POST",
            "/api/v1/departments",
            Some(&fx.ivan),
            Some(department.clone()),
        )
        .await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    let created = fx
        .call(
            "POST",
            "/api/v1/departments",
            Some(&fx.admin),
            Some(department),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());

    let signature = fx
        .call(
            "PUT",
            &format!("/api/v1/agents/{}/signature", fx.ivan_id),
            Some(&fx.ivan),
            Some(json!({"signature": "Иван, техподдержка"})),
        )
        .await;
    assert_eq!(signature.status, StatusCode::OK, "{}", signature.text());
    assert_eq!(signature.json()["signature"], "Иван, техподдержка");

    // Look Ana up and disable her access from the admin page; her token stops working.
    let root = page_login(&fx, "root@example.com").await;
    let admin = page(&fx, &root, "/admin?by=email&q=ana%40example.ro").await;
    assert_eq!(admin.status, StatusCode::OK, "{}", admin.text());
    let html = admin.text();
    assert!(
        html.contains("Facturare") && html.contains("access enabled"),
        "{html}"
    );
    let looked_up = fx
        .call(
            "GET",
            "/api/v1/customers?email=ana@example.ro",
            Some(&fx.ivan),
            None,
        )
        .await;
    let ana_id = looked_up.json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ivan = page_login(&fx, "ivan@example.com").await;
    let not_admin = form(
        &fx,
        &ivan,
        &format!("/admin/customers/{ana_id}/access"),
        "enabled=false",
    )
    .await;
    assert_eq!(not_admin.status, StatusCode::FORBIDDEN);
    let disabled = form(
        &fx,
        &root,
        &format!("/admin/customers/{ana_id}/access"),
        "enabled=false",
    )
    .await;
    assert!(disabled.status.is_redirection(), "{}", disabled.text());
    let refused = fx.call("GET", "/api/v1/tickets", Some(&fx.ana), None).await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    let enabled = fx
        .call(
            "PUT",
            &format!("/api/v1/customers/{ana_id}/access"),
            Some(&fx.admin),
            Some(json!({"enabled": true})),
        )
        .await;
    assert_eq!(enabled.status, StatusCode::OK, "{}", enabled.text());
    assert_eq!(
        fx.call("GET", "/api/v1/tickets", Some(&fx.ana), None)
            .await
            .status,
        StatusCode::OK
    );
}
