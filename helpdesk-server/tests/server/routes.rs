//! Every route of the example server's API, each with its success and an error case (the
//! OpenAPI route table is checked against the list of routes tested here), and the reports,
//! canned-response and ticket-template pages of issue 11.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use helpdesk::domain::{
    Actor, CannedResponse, Category, Email, FieldKey, Language, MessageBody, Name, Priority, Role,
    TicketTemplate, TicketType, standard_permissions,
};
use helpdesk::service::{NewAgent, TemplateDraft};
use serde_json::{Value, json};

use crate::support::*;

/// The routes the tests below call, each with a success and an error.
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
    ("get", "/api/v1/departments"),
    ("post", "/api/v1/departments"),
    ("get", "/api/v1/agents"),
    ("put", "/api/v1/agents/{agent}/signature"),
    ("get", "/api/v1/customers"),
    ("get", "/api/v1/customers/{customer}"),
    ("put", "/api/v1/customers/{customer}/access"),
    ("get", "/api/v1/kb/articles"),
    ("post", "/api/v1/kb/articles"),
    ("get", "/api/v1/kb/articles/{article}"),
    ("post", "/api/v1/kb/articles/{article}/votes"),
    ("get", "/api/v1/kb/suggest"),
    ("get", "/api/v1/notifications"),
    ("post", "/api/v1/notifications/{notification}/read"),
    ("post", "/api/v1/notifications/{notification}/snooze"),
    ("post", "/api/v1/notifications/{notification}/dismiss"),
    ("get", "/api/v1/reports"),
];

#[tokio::test]
async fn every_documented_route_is_tested_here() {
    let fx = fixture().await;
    let doc = fx
        .call("GET", "/api/openapi.json", None, None)
        .await
        .expect(StatusCode::OK)
        .json();
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
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(
        documented, tested,
        "the OpenAPI table and the tested routes"
    );
}

fn id_of(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

async fn put(fx: &Fixture, uri: &str, token: &str, body: Value) -> Reply {
    fx.call("PUT", uri, Some(token), Some(body)).await
}

/// A supervisor of Support, signed in with a token.
async fn supervisor(fx: &Fixture) -> String {
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
    assert_error(&outside, StatusCode::FORBIDDEN, "forbidden");

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

    // GET /customers: 200; 400 without a look-up.
    let found = fx
        .get("/api/v1/customers?email=john@example.com", &fx.ivan)
        .await
        .expect(StatusCode::OK);
    let john = id_of(&found.items()[0]);
    let bad = fx.get("/api/v1/customers", &fx.ivan).await;
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

/// Tickets in Support (and one in Billing), one answered, resolved and closed, with time
/// logged; the ids of the Support tickets.
async fn some_tickets(fx: &Fixture) -> Vec<String> {
    let first = id_of(&fx.open(&fx.ana, "Internetul nu merge").await);
    let second = id_of(&fx.open(&fx.john, "Slow line").await);
    fx.post(
        &format!("/api/v1/tickets/{first}/messages"),
        &fx.ivan,
        json!({"body": "Restart the router."}),
    )
    .await
    .expect(StatusCode::CREATED);
    fx.post(
        &format!("/api/v1/tickets/{first}/assign"),
        &fx.ivan,
        json!({"agent": fx.ivan_id}),
    )
    .await
    .expect(StatusCode::OK);
    fx.post(
        &format!("/api/v1/tickets/{first}/commands"),
        &fx.ivan,
        json!({"command": "log_time", "minutes": 90, "billable": true, "note": "call"}),
    )
    .await
    .expect(StatusCode::OK);
    for command in ["resolve", "close"] {
        let body = if command == "close" {
            json!({"command": "close", "resolution": "solved"})
        } else {
            json!({"command": "resolve", "body": null})
        };
        fx.post(
            &format!("/api/v1/tickets/{first}/transitions"),
            &fx.ivan,
            body,
        )
        .await
        .expect(StatusCode::OK);
    }
    vec![first, second]
}

#[tokio::test]
async fn the_reports_api_answers_supervisors_and_admins_only() {
    let fx = fixture().await;
    some_tickets(&fx).await;
    let sofia = supervisor(&fx).await;

    // Admins: JSON with names and derived figures.
    let report = fx
        .get("/api/v1/reports?group=department", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(report["group"], "department");
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{report}");
    assert_eq!(rows[0]["name"], "Support");
    assert_eq!(rows[0]["opened"], 2);
    assert_eq!(rows[0]["closed"], 1);
    assert_eq!(rows[0]["backlog"], 1);
    assert_eq!(rows[0]["billable_hours"], 1.5);

    // Per customer, names instead of ids; per agent, "(unassigned)" for nobody's tickets.
    let by_customer = fx
        .get("/api/v1/reports?group=customer", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    let names: BTreeSet<&str> = by_customer["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["ana@example.ro", "john@example.com"])
    );

    // CSV with format=csv.
    let csv = fx
        .get(
            "/api/v1/reports?group=department&department=support&format=csv",
            &sofia,
        )
        .await
        .expect(StatusCode::OK);
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let text = csv.text();
    assert!(text.starts_with("name,opened,closed,backlog,"), "{text}");
    assert!(text.contains("\r\nSupport,2,1,1,"), "{text}");

    // Errors: agents and customers 403, no token 401, bad values 400, unknown department 404.
    let agent = fx.get("/api/v1/reports", &fx.ivan).await;
    assert_error(&agent, StatusCode::FORBIDDEN, "forbidden");
    let customer = fx.get("/api/v1/reports", &fx.ana).await;
    assert_error(&customer, StatusCode::FORBIDDEN, "forbidden");
    let anonymous = fx.call("GET", "/api/v1/reports", None, None).await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED, "unauthorized");
    for query in [
        "group=week",
        "from=yesterday",
        "from=2026-02-01&to=2026-01-01",
        "format=xml",
    ] {
        let bad = fx.get(&format!("/api/v1/reports?{query}"), &fx.admin).await;
        assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    }
    let unknown = fx
        .get("/api/v1/reports?department=Nowhere", &fx.admin)
        .await;
    assert_error(&unknown, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn the_reports_page_shows_a_table_charts_and_a_csv_link() {
    let fx = fixture().await;
    some_tickets(&fx).await;
    supervisor(&fx).await;
    let sofia = page_login(&fx, "sofia@example.com").await;
    let html = page(&fx, &sofia, "/reports?group=agent")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"report\""), "{html}");
    assert!(html.contains("<svg id=\"chart-volume\""), "{html}");
    assert!(html.contains("<svg id=\"chart-sla\""), "{html}");
    assert!(html.contains("ivan@example.com"), "agents by name: {html}");
    assert!(
        html.contains("href=\"/reports\""),
        "the nav links to reports"
    );
    let (_, rest) = html.split_once("id=\"csv\" href=\"").expect("a CSV link");
    let link = rest.split('"').next().unwrap().replace("&amp;", "&");
    assert!(link.starts_with("/reports.csv?from="), "{link}");
    let csv = page(&fx, &sofia, &link).await.expect(StatusCode::OK);
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.text().contains("ivan@example.com,"), "{}", csv.text());

    // A bad range: the form again, with the error.
    let bad = page(&fx, &sofia, "/reports?from=2026-03-01&to=2026-01-01").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("id=\"report-error\""));

    // Agents and customers may not read reports.
    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, "/reports")
        .await
        .expect(StatusCode::FORBIDDEN);
    page(&fx, &ivan, "/reports.csv")
        .await
        .expect(StatusCode::FORBIDDEN);
    let ana = page_login(&fx, "ana@example.ro").await;
    page(&fx, &ana, "/reports")
        .await
        .expect(StatusCode::FORBIDDEN);
}

async fn canned(fx: &Fixture, name: &str, language: Language, body: &str) -> CannedResponse {
    fx.desk
        .as_ref()
        .unwrap()
        .as_system()
        .create_canned_response(
            Some(fx.support.parse().unwrap()),
            Name::parse(name).unwrap(),
            language,
            MessageBody::parse(body).unwrap(),
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn canned_responses_fill_the_agents_reply() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Nu merge <nimic>").await;
    let id = id_of(&ticket);
    let short = ticket["number"]["short"].as_str().unwrap().to_owned();
    let hello = canned(
        &fx,
        "Greeting",
        Language::English,
        "Hello {{customer_name}}, about ticket {{ticket_number}}: {{ticket_link}}\nRegards, {{agent_name}}",
    )
    .await;
    canned(
        &fx,
        "Salut",
        Language::Romanian,
        "Bună ziua, {{customer_name}}!",
    )
    .await;
    canned(&fx, "Привет", Language::Russian, "Здравствуйте!").await;

    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"canned\""), "{html}");
    assert!(html.contains("Greeting (en)"), "the agent's language");
    assert!(html.contains("Salut (ro)"), "the customer's language");
    assert!(
        !html.contains("Привет"),
        "neither the agent's nor the customer's"
    );

    let filled = page(&fx, &ivan, &format!("/tickets/{id}?canned={}", hello.id))
        .await
        .expect(StatusCode::OK)
        .text();
    let expected = format!(
        "Hello ana@example.ro, about ticket {short}: http://127.0.0.1:8080/tickets/{short}\nRegards, ivan@example.com"
    );
    assert!(
        filled.contains(&format!("required>{expected}</textarea>")),
        "{filled}"
    );

    // An id that is not one: 400; a customer sees no canned responses.
    page(&fx, &ivan, &format!("/tickets/{id}?canned=nope"))
        .await
        .expect(StatusCode::BAD_REQUEST);
    let ana = page_login(&fx, "ana@example.ro").await;
    let html = page(&fx, &ana, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(!html.contains("id=\"canned\""));
}

async fn line_down_template(fx: &Fixture) -> TicketTemplate {
    let desk = fx.desk.as_ref().unwrap();
    let admin = desk
        .as_system()
        .agents()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.role == Role::Admin)
        .unwrap();
    desk.acting_as(Actor::Agent(admin.id))
        .await
        .unwrap()
        .create_template(TemplateDraft {
            name: Name::parse("Line down").unwrap(),
            ticket_type: TicketType::Incident,
            subject_prefix: Some(Name::parse("Line down").unwrap()),
            department: fx.support.parse().unwrap(),
            priority: Some(Priority::High),
            categories: BTreeSet::from([Category::parse("telephony").unwrap()]),
            required_fields: ["address", "failing_number", "callback_number"]
                .map(|k| FieldKey::parse(k).unwrap())
                .to_vec(),
            body: MessageBody::parse("Address:\nNumber that fails:\nCallback number:").unwrap(),
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn templates_prefill_the_agents_phone_ticket_and_require_their_fields() {
    let fx = fixture().await;
    let template = line_down_template(&fx).await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(
        &fx,
        &ivan,
        &format!("/console/new?template={}", template.id),
    )
    .await
    .expect(StatusCode::OK)
    .text();
    assert!(html.contains("id=\"required-fields\""), "{html}");
    for key in [
        "field.address",
        "field.failing_number",
        "field.callback_number",
    ] {
        assert!(html.contains(&format!("name=\"{key}\"")), "{key}");
    }
    assert!(html.contains("Line down: "), "the subject prefix");
    assert!(
        html.contains("Address:\nNumber that fails:"),
        "the body skeleton"
    );
    assert!(
        html.contains("value=\"high\" selected"),
        "the template's priority"
    );

    // A required field left empty: the core's error, on the page, with what was typed.
    let base = format!(
        "template={}&customer=ana%40example.ro&subject=No+dial+tone&department={}&priority=high&body=Line+is+dead&field.address=Strada+Mare+1&field.failing_number=&field.callback_number=0721000111",
        template.id, fx.support
    );
    let refused = form(&fx, &ivan, "/console/tickets", &base).await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "{}",
        refused.text()
    );
    let text = refused.text();
    assert!(text.contains("id=\"form-error\""), "{text}");
    assert!(text.contains("failing_number"), "{text}");
    assert!(
        text.contains("value=\"Strada Mare 1\""),
        "what was typed stays"
    );

    // Everything filled in: the ticket, with the prefix, type and fields of the template.
    let ok = form(
        &fx,
        &ivan,
        "/console/tickets",
        &base.replace("field.failing_number=", "field.failing_number=021+300+4000"),
    )
    .await;
    assert!(ok.status.is_redirection(), "{}", ok.text());
    let location = ok.headers[header::LOCATION].to_str().unwrap();
    let id = location.trim_start_matches("/tickets/");
    let ticket = fx
        .get(&format!("/api/v1/tickets/{id}"), &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(ticket["subject"], "Line down: No dial tone");
    assert_eq!(ticket["ticket_type"], "incident");
    assert_eq!(ticket["channel"], "phone");
    assert_eq!(
        ticket["custom_fields"]["failing_number"]["value"],
        "021 300 4000"
    );

    // Without a template: a plain phone ticket; customers may not use the page.
    let plain = form(
        &fx,
        &ivan,
        "/console/tickets",
        &format!(
            "customer=john%40example.com&subject=Question&department={}&priority=&ticket_type=question&body=How+much%3F",
            fx.support
        ),
    )
    .await;
    assert!(plain.status.is_redirection(), "{}", plain.text());
    let ana = page_login(&fx, "ana@example.ro").await;
    page(&fx, &ana, "/console/new")
        .await
        .expect(StatusCode::FORBIDDEN);
}
