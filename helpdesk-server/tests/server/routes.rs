//! Every route of the server's API, each with its success and an error case (the OpenAPI
//! route table is checked against the list of routes tested here, in `reports`, in
//! `priorities` and in `links`).

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use helpdesk::domain::{Actor, Email, Name, Role, standard_permissions};
use helpdesk::service::NewAgent;
use serde_json::{Value, json};

use crate::support::*;

/// The routes the tests below (and `reports`, `priorities`, `links` and
/// `customer_directory`) call, each with a success and an error.
const TESTED: &[(&str, &str)] = &[
    ("post", "/api/v1/auth/token"),
    ("delete", "/api/v1/auth/token"),
    ("get", "/api/v1/auth/tokens"),
    ("delete", "/api/v1/auth/tokens/{token}"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/tickets"),
    ("post", "/api/v1/tickets"),
    ("get", "/api/v1/tickets/{ticket}"),
    ("get", "/api/v1/tickets/{ticket}/messages"),
    ("post", "/api/v1/tickets/{ticket}/messages"),
    (
        "get",
        "/api/v1/tickets/{ticket}/messages/{message}/attachments/{sha256}",
    ),
    ("post", "/api/v1/tickets/{ticket}/commands"),
    ("post", "/api/v1/tickets/{ticket}/transitions"),
    ("post", "/api/v1/tickets/{ticket}/assign"),
    ("post", "/api/v1/tickets/{ticket}/priority"),
    ("get", "/api/v1/tickets/{ticket}/history"),
    ("get", "/api/v1/tickets/{ticket}/time-entries"),
    ("get", "/api/v1/tickets/{ticket}/priorities"),
    ("get", "/api/v1/priorities"),
    ("get", "/api/v1/departments"),
    ("post", "/api/v1/departments"),
    ("get", "/api/v1/agents"),
    ("put", "/api/v1/agents/{agent}/signature"),
    ("get", "/api/v1/customers"),
    ("get", "/api/v1/customers/{customer}"),
    ("put", "/api/v1/customers/{customer}"),
    ("put", "/api/v1/customers/{customer}/access"),
    ("get", "/api/v1/kb/articles"),
    ("post", "/api/v1/kb/articles"),
    ("get", "/api/v1/kb/articles/{article}"),
    ("post", "/api/v1/kb/articles/{article}/votes"),
    ("get", "/api/v1/kb/articles/{article}/votes/mine"),
    ("get", "/api/v1/kb/suggest"),
    ("get", "/api/v1/notifications"),
    ("post", "/api/v1/notifications/{notification}/read"),
    ("post", "/api/v1/notifications/{notification}/snooze"),
    ("post", "/api/v1/notifications/{notification}/dismiss"),
    // Tested in `queue_pages` (the notification centre).
    ("post", "/api/v1/notifications/dismiss-all"),
    ("get", "/api/v1/reports"),
    ("get", "/api/v1/settings"),
    ("put", "/api/v1/settings"),
];

#[tokio::test]
async fn every_documented_route_is_tested_here() {
    let fx = fixture().await;
    let doc = fx.openapi().await;
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    // The live chat's routes have their own tests, over a real socket (`tests/chat_ws.rs`).
    documented.retain(|(_, path)| {
        !(path.starts_with("/api/v1/chats") || path.starts_with("/api/v1/agents/me/"))
    });
    let tested: BTreeSet<(String, String)> = TESTED
        .iter()
        .chain(crate::admin_setup::ADMIN_TESTED)
        .chain(crate::mail_settings::MAIL_TESTED)
        .chain(crate::content_settings::CONTENT_TESTED)
        .chain(crate::account_links::LINKS_TESTED)
        .chain(crate::quarantine::QUARANTINE_TESTED)
        .chain(crate::undeliverable::UNDELIVERABLE_TESTED)
        .chain(crate::mailboxes::MAILBOXES_TESTED)
        .chain(crate::organisations::ORGANISATIONS_TESTED)
        .chain(crate::ticket_links::TICKET_LINKS_TESTED)
        .chain(crate::tags::TAGS_TESTED)
        .chain(crate::languages::LANGUAGES_TESTED)
        .chain(crate::notification_prefs::PREFERENCES_TESTED)
        .chain(crate::erasure::ERASURE_TESTED)
        .chain(crate::followers::FOLLOWERS_TESTED)
        .chain(crate::portal_pages::PORTAL_TESTED)
        .chain(crate::priority_rules::PRIORITY_RULES_TESTED)
        .chain(crate::automation::AUTOMATION_TESTED)
        .chain(crate::changes::CHANGES_TESTED)
        .chain(crate::webhooks::WEBHOOKS_TESTED)
        .chain(crate::admin_notices::ADMIN_NOTICES_TESTED)
        .chain(crate::presence::PRESENCE_TESTED)
        .chain(crate::person_settings::PERSON_SETTINGS_TESTED)
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(
        documented, tested,
        "the OpenAPI table and the tested routes"
    );
}

/// The `id` of a JSON object.
pub(crate) fn id_of(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

async fn put(fx: &Fixture, uri: &str, token: &str, body: Value) -> Reply {
    fx.call("PUT", uri, Some(token), Some(body)).await
}

/// A supervisor of Support, signed in with a token.
pub(crate) async fn supervisor(fx: &Fixture) -> String {
    let desk = fx.desk.as_ref().unwrap();
    let support = fx.support.parse().unwrap();
    let new = NewAgent::new(
        Name::parse("Sofia Supervisor").unwrap(),
        Email::parse("sofia@example.com").unwrap(),
        Role::Supervisor,
    )
    .in_department(support, standard_permissions());
    let sofia = desk.as_system().create_agent(new).await.unwrap();
    fx.accounts
        .as_ref()
        .unwrap()
        .set_login("sofia@example.com", PASSWORD, Actor::Agent(sofia.id))
        .await
        .unwrap();
    fx.login("sofia@example.com").await
}

#[tokio::test]
async fn auth_routes_succeed_and_fail() {
    let fx = fixture().await;
    // POST /auth/token: 201, and 400 for a malformed body, 401 for a wrong password.
    let bad = fx
        .call(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(json!({"login": "ana@example.ro"})),
        )
        .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    let wrong = fx
        .call(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(json!({"login": "ana@example.ro", "password": "nope"})),
        )
        .await;
    assert_error(&wrong, StatusCode::UNAUTHORIZED, "unauthorized");
    let token = fx.login("ana@example.ro").await;

    // GET /me and GET /auth/tokens: 200, and 401 without a token.
    let me = fx.get("/api/v1/me", &token).await.expect(StatusCode::OK);
    assert_eq!(me.json()["login"], "ana@example.ro", "{}", me.text());
    let anonymous = fx.call("GET", "/api/v1/me", None, None).await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED, "unauthorized");
    let tokens = fx
        .get("/api/v1/auth/tokens", &token)
        .await
        .expect(StatusCode::OK)
        .items();
    assert!(tokens.iter().any(|t| t["current"] == true));
    let other = tokens
        .iter()
        .find(|t| t["current"] == false)
        .map(id_of)
        .expect("the fixture's token is listed too");
    let anonymous = fx.call("GET", "/api/v1/auth/tokens", None, None).await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED, "unauthorized");

    // DELETE /auth/tokens/{token}: 204 for one's own, 404 for someone else's, 400 for junk.
    let johns = fx
        .get("/api/v1/auth/tokens", &fx.john)
        .await
        .items()
        .iter()
        .map(id_of)
        .next()
        .unwrap();
    let foreign = fx
        .call(
            "DELETE",
            &format!("/api/v1/auth/tokens/{johns}"),
            Some(&token),
            None,
        )
        .await;
    assert_error(&foreign, StatusCode::NOT_FOUND, "not_found");
    let junk = fx
        .call("DELETE", "/api/v1/auth/tokens/xyz", Some(&token), None)
        .await;
    assert_error(&junk, StatusCode::BAD_REQUEST, "validation");
    fx.call(
        "DELETE",
        &format!("/api/v1/auth/tokens/{other}"),
        Some(&token),
        None,
    )
    .await
    .expect(StatusCode::NO_CONTENT);

    // DELETE /auth/token: 204, then the token is gone (401).
    fx.call("DELETE", "/api/v1/auth/token", Some(&token), None)
        .await
        .expect(StatusCode::NO_CONTENT);
    let revoked = fx
        .call("DELETE", "/api/v1/auth/token", Some(&token), None)
        .await;
    assert_error(&revoked, StatusCode::UNAUTHORIZED, "unauthorized");
}

#[tokio::test]
async fn ticket_routes_succeed_and_fail() {
    let fx = fixture().await;
    // POST /tickets: 201; 400 without a subject.
    let ticket = fx.open(&fx.ana, "Internetul nu merge").await;
    let id = id_of(&ticket);
    let short = ticket["number"]["short"].as_str().unwrap().to_owned();
    let bad = fx
        .post(
            "/api/v1/tickets",
            &fx.ana,
            json!({"body": "x", "department": fx.support}),
        )
        .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");

    // GET /tickets: 200; 400 for an unknown status.
    let list = fx
        .get("/api/v1/tickets", &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(list.items().len(), 1);
    let bad = fx.get("/api/v1/tickets?priority=huge", &fx.ivan).await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");

    // GET /tickets/{ticket}: 200 by number; 404 for another customer.
    fx.get(&format!("/api/v1/tickets/{short}"), &fx.ana)
        .await
        .expect(StatusCode::OK);
    let other = fx.get(&format!("/api/v1/tickets/{id}"), &fx.john).await;
    assert_error(&other, StatusCode::NOT_FOUND, "not_found");

    // POST and GET /tickets/{ticket}/messages: 201 and 200; 400 for an empty body, 404 for
    // another customer.
    fx.post(
        &format!("/api/v1/tickets/{id}/messages"),
        &fx.ivan,
        json!({"body": "Restart the router, please."}),
    )
    .await
    .expect(StatusCode::CREATED);
    let empty = fx
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            &fx.ivan,
            json!({"body": "  "}),
        )
        .await;
    assert_error(&empty, StatusCode::BAD_REQUEST, "validation");
    let thread = fx
        .get(&format!("/api/v1/tickets/{id}/messages"), &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert_eq!(thread.items().len(), 2);
    let other = fx
        .get(&format!("/api/v1/tickets/{id}/messages"), &fx.john)
        .await;
    assert_error(&other, StatusCode::NOT_FOUND, "not_found");

    // GET .../attachments/{sha256}: 200; 404 for a file the message does not have.
    let (name, value) = bearer(&fx.ana);
    fx.multipart(
        &format!("/api/v1/tickets/{id}/messages"),
        (name, &value),
        &[("body", "The log.")],
        &[("log.txt", "text/plain", b"link down at 09:00")],
    )
    .await
    .expect(StatusCode::CREATED);
    let thread = fx
        .get(&format!("/api/v1/tickets/{id}/messages"), &fx.ana)
        .await
        .items();
    let message = thread.last().unwrap();
    let sha = message["attachments"][0]["sha256"].as_str().unwrap();
    let mid = id_of(message);
    let file = fx
        .get(
            &format!("/api/v1/tickets/{id}/messages/{mid}/attachments/{sha}"),
            &fx.ivan,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(file.bytes, b"link down at 09:00");
    let missing = fx
        .get(
            &format!(
                "/api/v1/tickets/{id}/messages/{mid}/attachments/{}",
                "0".repeat(64)
            ),
            &fx.ivan,
        )
        .await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not_found");

    // POST /tickets/{ticket}/assign: 200; 403 for an agent of another department.
    let assigned = fx
        .post(
            &format!("/api/v1/tickets/{id}/assign"),
            &fx.ivan,
            json!({"agent": fx.ivan_id}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(assigned.json()["ticket"]["assignee"], fx.ivan_id.as_str());
    let outside = fx
        .post(
            &format!("/api/v1/tickets/{id}/assign"),
            &fx.maria,
            json!({"agent": null}),
        )
        .await;
    // A ticket outside her departments is not there for Maria.
    assert_error(&outside, StatusCode::NOT_FOUND, "not_found");

    // POST /tickets/{ticket}/priority: 200; 400 for an unknown priority.
    fx.post(
        &format!("/api/v1/tickets/{id}/priority"),
        &fx.ivan,
        json!({"priority": "low"}),
    )
    .await
    .expect(StatusCode::OK);
    let bad = fx
        .post(
            &format!("/api/v1/tickets/{id}/priority"),
            &fx.ivan,
            json!({"priority": "whenever"}),
        )
        .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");

    // POST /tickets/{ticket}/commands: 200 (log time); 409 for a stale If-Match.
    let logged = fx
        .post(
            &format!("/api/v1/tickets/{id}/commands"),
            &fx.ivan,
            json!({"command": "log_time", "minutes": 25, "billable": true, "note": "on the phone"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(logged.json()["outcome"], "changed");
    let request = Request::builder()
        .method("POST")
        .uri(format!("/api/v1/tickets/{id}/commands"))
        .header(header::AUTHORIZATION, format!("Bearer {}", fx.ivan))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::IF_MATCH, "1")
        .body(Body::from(
            json!({"command": "change_priority", "priority": "high"}).to_string(),
        ))
        .unwrap();
    let stale = fx.send(request).await;
    assert_error(&stale, StatusCode::CONFLICT, "conflict");

    // GET /tickets/{ticket}/time-entries: 200 for staff; 403 or 404 for the customer.
    let entries = fx
        .get(&format!("/api/v1/tickets/{id}/time-entries"), &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(entries.items()[0]["minutes"], 25);
    let customer = fx
        .get(&format!("/api/v1/tickets/{id}/time-entries"), &fx.john)
        .await;
    assert_error(&customer, StatusCode::NOT_FOUND, "not_found");

    // POST /tickets/{ticket}/transitions: 200; 422 for a transition the status refuses.
    fx.post(
        &format!("/api/v1/tickets/{id}/transitions"),
        &fx.ivan,
        json!({"command": "resolve", "body": null}),
    )
    .await
    .expect(StatusCode::OK);
    let refused = fx
        .post(
            &format!("/api/v1/tickets/{id}/transitions"),
            &fx.ivan,
            json!({"command": "resolve", "body": null}),
        )
        .await;
    assert_error(
        &refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_transition",
    );

    // GET /tickets/{ticket}/history: 200; 400 for an id that is not one.
    let history = fx
        .get(&format!("/api/v1/tickets/{id}/history"), &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert!(history.items().len() >= 4, "{}", history.text());
    let unknown = fx
        .get(
            "/api/v1/tickets/00000000-0000-7000-8000-000000000000/history",
            &fx.ivan,
        )
        .await;
    assert_error(&unknown, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn directory_routes_succeed_and_fail() {
    let fx = fixture().await;
    // GET /departments: 200; 401 without a token.
    let departments = fx
        .get("/api/v1/departments", &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert!(departments.items().len() >= 2);
    let anonymous = fx.call("GET", "/api/v1/departments", None, None).await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED, "unauthorized");

    // POST /departments: 201 for the admin; 403 for an agent; 400 for an empty name.
    fx.post("/api/v1/departments", &fx.admin, json!({"name": "Sales"}))
        .await
        .expect(StatusCode::CREATED);
    let denied = fx
        .post("/api/v1/departments", &fx.ivan, json!({"name": "Mine"}))
        .await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    let empty = fx
        .post("/api/v1/departments", &fx.admin, json!({"name": " "}))
        .await;
    assert_error(&empty, StatusCode::BAD_REQUEST, "validation");

    // GET /agents: 200 for staff; 403 for customers.
    fx.get("/api/v1/agents", &fx.ivan)
        .await
        .expect(StatusCode::OK);
    let denied = fx.get("/api/v1/agents", &fx.ana).await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");

    // PUT /agents/{agent}/signature: 200 for the admin; 403 for a customer.
    let uri = format!("/api/v1/agents/{}/signature", fx.ivan_id);
    let signed = put(&fx, &uri, &fx.admin, json!({"signature": "Ivan, Support"}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(signed.json()["signature"], "Ivan, Support");
    let denied = put(&fx, &uri, &fx.ana, json!({"signature": "hacked"})).await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");

    // GET /customers: 200; 400 for a cursor of no list (more in `customer_directory`).
    let found = fx
        .get("/api/v1/customers?email=john@example.com", &fx.ivan)
        .await
        .expect(StatusCode::OK);
    let john = id_of(&found.items()[0]);
    let bad = fx.get("/api/v1/customers?after=junk", &fx.ivan).await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");

    // GET /customers/{customer}: 200; 403 for another customer.
    fx.get(&format!("/api/v1/customers/{john}"), &fx.ivan)
        .await
        .expect(StatusCode::OK);
    let other = fx.get(&format!("/api/v1/customers/{john}"), &fx.ana).await;
    assert_error(&other, StatusCode::FORBIDDEN, "forbidden");

    // PUT /customers/{customer}/access: 200 for the admin; 403 for an agent.
    let off = put(
        &fx,
        &format!("/api/v1/customers/{john}/access"),
        &fx.admin,
        json!({"enabled": false}),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(off.json()["access_enabled"], false);
    let denied = put(
        &fx,
        &format!("/api/v1/customers/{john}/access"),
        &fx.ivan,
        json!({"enabled": true}),
    )
    .await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn knowledge_base_and_notification_routes_succeed_and_fail() {
    let fx = fixture().await;
    crate::content_settings::add_category(&fx, "internet").await;
    let article = json!({
        "title": "Cum resetați routerul",
        "body": "Scoateți routerul din priză 30 de secunde.",
        "category": "internet",
        "language": "ro",
        "status": "published",
    });
    // POST /kb/articles: 201 for agents; 403 for customers.
    let created = fx
        .post("/api/v1/kb/articles", &fx.ivan, article.clone())
        .await
        .expect(StatusCode::CREATED);
    let id = id_of(&created.json());
    let denied = fx.post("/api/v1/kb/articles", &fx.ana, article).await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");

    // GET /kb/articles: 200; 400 for an unknown language.
    let found = fx
        .get("/api/v1/kb/articles?q=routerul", &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert_eq!(found.items().len(), 1, "{}", found.text());
    let bad = fx.get("/api/v1/kb/articles?q=x&lang=xx", &fx.ana).await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");

    // GET /kb/articles/{article}: 200; 404 for an unknown one.
    fx.get(&format!("/api/v1/kb/articles/{id}"), &fx.ana)
        .await
        .expect(StatusCode::OK);
    let unknown = "00000000-0000-7000-8000-000000000000";
    let missing = fx
        .get(&format!("/api/v1/kb/articles/{unknown}"), &fx.ana)
        .await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not_found");

    // POST /kb/articles/{article}/votes: 200; 404 for an unknown one.
    fx.post(
        &format!("/api/v1/kb/articles/{id}/votes"),
        &fx.ana,
        json!({"helpful": true}),
    )
    .await
    .expect(StatusCode::OK);
    let missing = fx
        .post(
            &format!("/api/v1/kb/articles/{unknown}/votes"),
            &fx.ana,
            json!({"helpful": true}),
        )
        .await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not_found");

    // GET /kb/articles/{article}/votes/mine: 200; 404 for an unknown one.
    fx.get(&format!("/api/v1/kb/articles/{id}/votes/mine"), &fx.ana)
        .await
        .expect(StatusCode::OK);
    let missing = fx
        .get(
            &format!("/api/v1/kb/articles/{unknown}/votes/mine"),
            &fx.ana,
        )
        .await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not_found");

    // GET /kb/suggest: 200; 400 for an unknown language.
    let suggested = fx
        .get("/api/v1/kb/suggest?text=routerul%20nu%20merge", &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert_eq!(suggested.items().len(), 1, "{}", suggested.text());
    let bad = fx.get("/api/v1/kb/suggest?text=x&lang=xx", &fx.ana).await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");

    // GET /notifications: 200; 400 for a limit that is not a number.
    let ticket = fx.open(&fx.ana, "Notify me").await;
    fx.post(
        &format!("/api/v1/tickets/{}/messages", id_of(&ticket)),
        &fx.ivan,
        json!({"body": "We replied."}),
    )
    .await
    .expect(StatusCode::CREATED);
    let notes = fx
        .get("/api/v1/notifications", &fx.ana)
        .await
        .expect(StatusCode::OK)
        .items();
    let nid = id_of(&notes[0]);
    let bad = fx.get("/api/v1/notifications?limit=many", &fx.ana).await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");

    // POST /notifications/{id}/read|snooze|dismiss: 200; 404 for someone else's.
    for (action, body) in [
        ("read", None),
        ("snooze", Some(json!({"minutes": 30}))),
        ("dismiss", None),
    ] {
        let uri = format!("/api/v1/notifications/{nid}/{action}");
        fx.call("POST", &uri, Some(&fx.ana), body.clone())
            .await
            .expect(StatusCode::OK);
        let foreign = fx.call("POST", &uri, Some(&fx.john), body).await;
        assert_error(&foreign, StatusCode::NOT_FOUND, "not_found");
    }
}
