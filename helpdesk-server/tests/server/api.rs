//! The JSON API in-process (called through `tower::ServiceExt::oneshot`, on an in-memory
//! SQLite database): tickets, isolation between customers, the error shape, notifications,
//! the knowledge base, admin, and the OpenAPI document.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn tickets_are_created_and_read_over_http() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Nu funcționează internetul").await;
    let id = ticket["id"].as_str().unwrap();
    assert_eq!(ticket["status"], "new");
    assert_eq!(ticket["subject"], "Nu funcționează internetul");

    let by_id = fx
        .get(&format!("/api/v1/tickets/{id}"), &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert_eq!(by_id.json()["id"], id);

    let short = ticket["number"]["short"].as_str().unwrap();
    let by_number = fx
        .get(&format!("/api/v1/tickets/{short}"), &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(by_number.json()["id"], id);

    let listed = fx
        .get("/api/v1/tickets?status=new", &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert_eq!(listed.items().len(), 1);

    // Pages: two more tickets, one per page.
    let second = fx.open(&fx.ana, "Second").await;
    let third = fx.open(&fx.ana, "Third").await;
    // A pass lists on later pages the tickets unchanged since its first page (less a margin).
    fx.clock.advance(chrono::TimeDelta::minutes(1));
    let first_page = fx.get("/api/v1/tickets?limit=2", &fx.ana).await.json();
    assert_eq!(first_page["items"][0]["id"], third["id"]);
    assert_eq!(first_page["items"][1]["id"], second["id"]);
    let next = first_page["next"].as_str().expect("a next page");
    let last_page = fx
        .get(&format!("/api/v1/tickets?limit=2&after={next}"), &fx.ana)
        .await
        .json();
    assert_eq!(last_page["items"].as_array().unwrap().len(), 1);
    assert_eq!(last_page["items"][0]["id"], id);
    assert!(last_page["next"].is_null());

    // Search folds diacritics: "functioneaza" finds "funcționează".
    let found = fx
        .get("/api/v1/tickets?q=functioneaza", &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(found.json()["items"][0]["id"], id);

    // The agent replies, assigns, raises the priority and resolves; the customer confirms.
    fx.post(
        &format!("/api/v1/tickets/{id}/messages"),
        &fx.ivan,
        json!({"body": "Am resetat linia."}),
    )
    .await
    .expect(StatusCode::CREATED);
    let assigned = fx
        .post(
            &format!("/api/v1/tickets/{id}/assign"),
            &fx.ivan,
            json!({"agent": fx.ivan_id}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(assigned.json()["ticket"]["assignee"], fx.ivan_id.as_str());
    let priority = fx
        .post(
            &format!("/api/v1/tickets/{id}/priority"),
            &fx.ivan,
            json!({"priority": "low"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(priority.json()["ticket"]["priority"], "low");
    // Individuals are never above normal (seed 004): a typed 403.
    let capped = fx
        .post(
            &format!("/api/v1/tickets/{id}/priority"),
            &fx.ivan,
            json!({"priority": "urgent"}),
        )
        .await;
    assert_error(&capped, StatusCode::FORBIDDEN, "forbidden");
    let resolved = fx
        .post(
            &format!("/api/v1/tickets/{id}/transitions"),
            &fx.ivan,
            json!({"command": "resolve", "body": null}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(resolved.json()["ticket"]["status"], "resolved");
    let closed = fx
        .post(
            &format!("/api/v1/tickets/{id}/transitions"),
            &fx.ana,
            json!({"command": "confirm_resolution"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(closed.json()["ticket"]["status"], "closed:solved");

    let history = fx
        .get(&format!("/api/v1/tickets/{id}/history"), &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert!(history.items().len() >= 4);

    let departments = fx.get("/api/v1/departments", &fx.ana).await;
    assert_eq!(departments.items().len(), 2);
    let me = fx.get("/api/v1/me", &fx.ana).await;
    assert_eq!(me.json()["language"], "ro");
}

#[tokio::test]
async fn customers_see_only_their_tickets_and_never_internal_notes() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Private problem").await;
    let id = ticket["id"].as_str().unwrap();

    fx.post(
        &format!("/api/v1/tickets/{id}/messages"),
        &fx.ivan,
        json!({"body": "SECRET internal remark", "internal": true}),
    )
    .await
    .expect(StatusCode::CREATED);

    // Another customer: the ticket does not exist for them.
    for uri in [
        format!("/api/v1/tickets/{id}"),
        format!("/api/v1/tickets/{id}/messages"),
        format!("/api/v1/tickets/{id}/history"),
    ] {
        let other = fx.get(&uri, &fx.john).await;
        assert_error(&other, StatusCode::NOT_FOUND, "not_found");
    }
    let listed = fx.get("/api/v1/tickets", &fx.john).await;
    assert!(listed.items().is_empty());
    let searched = fx.get("/api/v1/tickets?q=Private", &fx.john).await;
    assert!(searched.items().is_empty());

    // The owner sees the thread without the note; the agent sees it.
    let own = fx
        .get(&format!("/api/v1/tickets/{id}/messages"), &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert!(!own.text().contains("SECRET"), "{}", own.text());
    assert_eq!(own.items().len(), 1);
    let staff = fx
        .get(&format!("/api/v1/tickets/{id}/messages"), &fx.ivan)
        .await;
    assert!(staff.text().contains("SECRET"));

    // Nor can the customer search for the note's words.
    let search = fx.get("/api/v1/tickets?q=SECRET", &fx.ana).await;
    assert!(search.items().is_empty());

    // A customer cannot write an internal note.
    let sneaky = fx
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            &fx.ana,
            json!({"body": "note?", "internal": true}),
        )
        .await;
    assert_error(&sneaky, StatusCode::FORBIDDEN, "forbidden");

    // Agents-only directory routes.
    let agents = fx.get("/api/v1/agents", &fx.ana).await;
    assert_error(&agents, StatusCode::FORBIDDEN, "forbidden");
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
        .post(
            "/api/v1/tickets",
            &fx.ana,
            json!({"subject": "  ", "body": "x", "department": fx.support}),
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
        &fx.get("/api/v1/tickets?status=bogus", &fx.ana).await,
        StatusCode::BAD_REQUEST,
        "validation",
    );

    // 404: an unknown ticket, an unknown route.
    let unknown = uuid::Uuid::now_v7();
    assert_error(
        &fx.get(&format!("/api/v1/tickets/{unknown}"), &fx.ivan)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &fx.get("/api/v1/nope", &fx.ivan).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    let ticket = fx.open(&fx.ana, "Errors").await;
    let id = ticket["id"].as_str().unwrap();
    let version = ticket["version"].as_u64().unwrap();

    // 422: confirming a resolution that never happened.
    let confirm = fx
        .post(
            &format!("/api/v1/tickets/{id}/transitions"),
            &fx.ana,
            json!({"command": "confirm_resolution"}),
        )
        .await;
    assert_error(
        &confirm,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_transition",
    );

    // 409: a command with a stale If-Match version.
    fx.post(
        &format!("/api/v1/tickets/{id}/messages"),
        &fx.ivan,
        json!({"body": "first"}),
    )
    .await
    .expect(StatusCode::CREATED);
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
    fx.post(
        &format!("/api/v1/tickets/{id}/messages"),
        &fx.ivan,
        json!({"body": "We replied."}),
    )
    .await
    .expect(StatusCode::CREATED);

    let list = fx
        .get("/api/v1/notifications", &fx.ana)
        .await
        .expect(StatusCode::OK);
    let items = list.items().clone();
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
        .await
        .expect(StatusCode::OK);
    assert!(read.json()["state"]["read_at"].is_string());

    let snoozed = fx
        .post(
            &format!("/api/v1/notifications/{nid}/snooze"),
            &fx.ana,
            json!({"minutes": 30}),
        )
        .await
        .expect(StatusCode::OK);
    assert!(snoozed.json()["state"]["snoozed_until"].is_string());

    let dismissed = fx
        .call(
            "POST",
            &format!("/api/v1/notifications/{nid}/dismiss"),
            Some(&fx.ana),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert!(dismissed.json()["state"]["dismissed_at"].is_string());
    let after = fx.get("/api/v1/notifications", &fx.ana).await;
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
async fn the_openapi_document_describes_the_routes() {
    let fx = fixture().await;
    let doc = fx.openapi().await;
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

#[tokio::test]
async fn the_knowledge_base_is_written_by_agents_and_searched_by_customers() {
    let fx = fixture().await;
    crate::content_settings::add_category(&fx, "internet").await;
    let article = json!({
        "title": "Cum resetați routerul",
        "body": "Scoateți routerul din priză 30 de secunde.",
        "category": "internet",
        "language": "ro",
    });
    let denied = fx
        .post("/api/v1/kb/articles", &fx.ana, article.clone())
        .await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    let created = fx
        .post("/api/v1/kb/articles", &fx.ivan, article)
        .await
        .expect(StatusCode::CREATED);
    let id = created.json()["id"].as_str().unwrap().to_owned();

    let found = fx
        .get("/api/v1/kb/articles?q=resetati", &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert_eq!(found.json()["items"][0]["id"], id.as_str());
    let suggested = fx
        .get("/api/v1/kb/suggest?text=routerul%20nu%20merge", &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert_eq!(suggested.json()["items"][0]["id"], id.as_str());
    let voted = fx
        .post(
            &format!("/api/v1/kb/articles/{id}/votes"),
            &fx.ana,
            json!({"helpful": true}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(voted.json()["helpful"], 1);
}

#[tokio::test]
async fn admins_manage_departments_signatures_and_customer_access() {
    let fx = fixture().await;
    let department = json!({"name": "Facturare"});
    let denied = fx
        .post("/api/v1/departments", &fx.ivan, department.clone())
        .await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    fx.post("/api/v1/departments", &fx.admin, department)
        .await
        .expect(StatusCode::CREATED);

    let signature = fx
        .call(
            "PUT",
            &format!("/api/v1/agents/{}/signature", fx.ivan_id),
            Some(&fx.ivan),
            Some(json!({"signature": "Иван, техподдержка"})),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(signature.json()["signature"], "Иван, техподдержка");

    // Look Ana up and disable her access from the admin page; her token stops working.
    let root = page_login(&fx, "root@example.com").await;
    let departments = page(&fx, &root, "/admin/departments")
        .await
        .expect(StatusCode::OK);
    assert!(departments.text().contains("Facturare"));
    let admin = page(&fx, &root, "/admin/customers?by=email&q=ana%40example.ro")
        .await
        .expect(StatusCode::OK);
    let html = admin.text();
    assert!(html.contains("access enabled"), "{html}");
    let looked_up = fx
        .get("/api/v1/customers?email=ana@example.ro", &fx.ivan)
        .await;
    let ana_id = looked_up.json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ivan = page_login(&fx, "ivan@example.com").await;
    form(
        &fx,
        &ivan,
        &format!("/admin/customers/{ana_id}/access"),
        "enabled=false",
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    let disabled = form(
        &fx,
        &root,
        &format!("/admin/customers/{ana_id}/access"),
        "enabled=false",
    )
    .await;
    assert!(disabled.status.is_redirection(), "{}", disabled.text());
    // Disabling revoked her token, and she cannot get another.
    let refused = fx.get("/api/v1/tickets", &fx.ana).await;
    assert_error(&refused, StatusCode::UNAUTHORIZED, "unauthorized");
    let again = fx
        .call(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(json!({"login": "ana@example.ro", "password": PASSWORD})),
        )
        .await;
    assert_error(&again, StatusCode::FORBIDDEN, "forbidden");
    fx.call(
        "PUT",
        &format!("/api/v1/customers/{ana_id}/access"),
        Some(&fx.admin),
        Some(json!({"enabled": true})),
    )
    .await
    .expect(StatusCode::OK);
    let ana = fx.login("ana@example.ro").await;
    assert_eq!(fx.get("/api/v1/tickets", &ana).await.status, StatusCode::OK);
}
