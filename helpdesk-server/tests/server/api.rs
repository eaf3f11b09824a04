//! HTTP tests of the example server (`examples/server`): its router runs in-process and is
//! called through `tower::ServiceExt::oneshot`, on an in-memory SQLite database.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

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
async fn an_agent_outside_the_department_gets_403() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Support only").await;
    let id = ticket["id"].as_str().unwrap();
    let read = fx.get(&format!("/api/v1/tickets/{id}"), &fx.maria).await;
    assert_error(&read, StatusCode::FORBIDDEN, "forbidden");
    let reply = fx
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            &fx.maria,
            json!({"body": "hello"}),
        )
        .await;
    assert_error(&reply, StatusCode::FORBIDDEN, "forbidden");
    // Her queue does not list it.
    let listed = fx.get("/api/v1/tickets", &fx.maria).await;
    assert!(listed.items().is_empty());
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
        .await
        .expect(StatusCode::CREATED);
    let id = created.json()["id"].as_str().unwrap().to_owned();

    let thread = fx
        .get(&format!("/api/v1/tickets/{id}/messages"), &fx.ivan)
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
    let download = fx.get(&uri, &fx.ivan).await.expect(StatusCode::OK);
    assert_eq!(download.bytes, png);
    assert_eq!(download.headers[header::CONTENT_TYPE], "image/png");
    let disposition = download.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(download.headers["x-content-type-options"], "nosniff");

    // The owner can download it too; another customer cannot.
    assert_eq!(fx.get(&uri, &fx.ana).await.bytes, png);
    assert_error(
        &fx.get(&uri, &fx.john).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    // A reply with an attachment, by an agent.
    let (name, value) = bearer(&fx.ivan);
    fx.multipart(
        &format!("/api/v1/tickets/{id}/messages"),
        (name, &value),
        &[("body", "Here is the log.")],
        &[("log.txt", "text/plain", b"all good")],
    )
    .await
    .expect(StatusCode::CREATED);
}

/// A command from outside carries no stored attachments: a customer who names another
/// customer's file (its stored metadata, sha256 and all) in a reply to their own ticket gets
/// a reply without it, and cannot download the file through their ticket.
#[tokio::test]
async fn a_command_cannot_attach_another_customers_file() {
    let fx = fixture().await;
    let (name, value) = bearer(&fx.john);
    let secret: &[u8] = b"John's contract, scanned";
    let johns = fx
        .multipart(
            "/api/v1/tickets",
            (name, &value),
            &[
                ("subject", "My contract"),
                ("body", "Attached."),
                ("department", &fx.support),
            ],
            &[("contract.pdf", "application/pdf", secret)],
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let johns_id = johns["id"].as_str().unwrap();
    let thread = fx
        .get(&format!("/api/v1/tickets/{johns_id}/messages"), &fx.john)
        .await
        .expect(StatusCode::OK);
    let johns_message = thread.items()[0]["id"].as_str().unwrap().to_owned();
    let stored = thread.items()[0]["attachments"][0].clone();
    let sha256 = stored["sha256"].as_str().unwrap().to_owned();

    let anas = fx.open(&fx.ana, "Nu merge").await;
    let anas_id = anas["id"].as_str().unwrap();
    let reply = fx
        .post(
            &format!("/api/v1/tickets/{anas_id}/commands"),
            &fx.ana,
            json!({"command": "reply", "body": "See the file.", "attachments": [stored]}),
        )
        .await;
    // Either refused outright, or the reply carries nothing of John's.
    assert!(
        reply.status == StatusCode::OK || reply.status == StatusCode::BAD_REQUEST,
        "{}",
        reply.text()
    );
    let thread = fx
        .get(&format!("/api/v1/tickets/{anas_id}/messages"), &fx.ana)
        .await
        .expect(StatusCode::OK);
    for message in thread.items() {
        assert_eq!(message["attachments"], json!([]), "{message}");
        let uri = format!(
            "/api/v1/tickets/{anas_id}/messages/{}/attachments/{sha256}",
            message["id"].as_str().unwrap()
        );
        assert_error(
            &fx.get(&uri, &fx.ana).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
    }
    // Nor through John's ticket, which Ana may not see.
    let uri = format!("/api/v1/tickets/{johns_id}/messages/{johns_message}/attachments/{sha256}");
    assert_error(
        &fx.get(&uri, &fx.ana).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_eq!(
        fx.get(&uri, &fx.john).await.expect(StatusCode::OK).bytes,
        secret
    );
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
    let portal = page(&fx, &cookie, "/portal").await.expect(StatusCode::OK);
    let html = portal.text();
    assert!(
        html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; more"),
        "{html}"
    );
    assert!(!html.contains("<script>alert"), "user content is escaped");
    assert!(html.contains("lang=\"ro\""), "Ana's pages are in Romanian");

    let view = page(&fx, &cookie, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK);
    assert!(!view.text().contains("<script>alert"));

    // The Persian customer's pages are right to left.
    let zahra = page_login(&fx, "zahra@example.ir").await;
    let portal = page(&fx, &zahra, "/portal").await;
    assert!(portal.text().contains("dir=\"rtl\""), "{}", portal.text());
    // ...and Ana's ticket is not there for her.
    page(&fx, &zahra, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::NOT_FOUND);

    // The agent console lists the ticket, escaped too.
    let ivan = page_login(&fx, "ivan@example.com").await;
    let queue = page(&fx, &ivan, "/console").await.expect(StatusCode::OK);
    assert!(queue.text().contains("&lt;script&gt;"));
    assert!(!queue.text().contains("<script>alert"));
}

#[tokio::test]
async fn the_openapi_document_describes_the_routes() {
    let fx = fixture().await;
    let doc = fx
        .call("GET", "/api/openapi.json", None, None)
        .await
        .expect(StatusCode::OK);
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

/// The browser scenario of issue 7, through the pages' forms: the customer searches the
/// knowledge base, finds nothing, opens a ticket with an attachment; the agent adds an
/// internal note and a reply; the customer sees the reply and not the note, confirms the
/// solution, and the ticket shows Closed.
#[tokio::test]
async fn the_portal_and_console_pages_carry_a_ticket_to_closed() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let kb = page(&fx, &ana, "/portal/kb?q=imprimanta")
        .await
        .expect(StatusCode::OK);
    assert!(kb.text().contains("id=\"nothing\""), "{}", kb.text());

    let new = page(&fx, &ana, "/portal/new").await.expect(StatusCode::OK);
    assert!(
        new.text().contains(&fx.support),
        "the form offers the departments"
    );

    let created = fx
        .multipart(
            "/portal/tickets",
            ("cookie", &ana.cookie),
            &[
                ("csrf", &ana.csrf),
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
            ("cookie", &ivan.cookie),
            &[
                ("csrf", &ivan.csrf),
                ("body", "NOTE: driver issue"),
                ("internal", "true"),
            ],
            &[],
        )
        .await;
    assert!(note.status.is_redirection(), "{}", note.text());
    let reply = fx
        .multipart(
            &format!("{location}/message"),
            ("cookie", &ivan.cookie),
            &[
                ("csrf", &ivan.csrf),
                ("body", "Reinstalați driverul, vă rog."),
            ],
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
    form(
        &fx,
        &ana,
        &format!("{location}/action"),
        &format!("action=assign&agent={}", fx.ivan_id),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
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
    let admin = page(&fx, &root, "/admin?by=email&q=ana%40example.ro")
        .await
        .expect(StatusCode::OK);
    let html = admin.text();
    assert!(
        html.contains("Facturare") && html.contains("access enabled"),
        "{html}"
    );
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
    let refused = fx.get("/api/v1/tickets", &fx.ana).await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    fx.call(
        "PUT",
        &format!("/api/v1/customers/{ana_id}/access"),
        Some(&fx.admin),
        Some(json!({"enabled": true})),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(
        fx.get("/api/v1/tickets", &fx.ana).await.status,
        StatusCode::OK
    );
}

/// Logins, API tokens and sessions live in the database: a server restarted on the same
/// SQLite file still knows them.
#[tokio::test]
async fn logins_tokens_and_sessions_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("helpdesk.db").to_str().unwrap().to_owned();
    let first = fixture_at(&url, helpdesk_server::Options::default()).await;
    let token = first.ana.clone();
    let session = page_login(&first, "ana@example.ro").await;
    first.get("/api/v1/me", &token).await.expect(StatusCode::OK);
    drop(first);

    let (router, _) = app(desk_at(&url).await, helpdesk_server::Options::default());
    let second = Fixture::bare(router);
    let me = second
        .get("/api/v1/me", &token)
        .await
        .expect(StatusCode::OK);
    assert_eq!(me.json()["login"], "ana@example.ro");
    assert_eq!(me.json()["language"], "ro");
    page(&second, &session, "/portal")
        .await
        .expect(StatusCode::OK);
    // The password still signs in, and makes a new token.
    let again = second.login("ana@example.ro").await;
    assert_ne!(again, token);
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_login() {
    let fx = fixture().await;
    let wrong = json!({"login": "ana@example.ro", "password": "wrong"});
    for _ in 0..helpdesk_server::accounts::THROTTLE_FAILURES {
        let reply = fx.call("POST", "/api/v1/auth/token", None, Some(wrong.clone()));
        assert_error(&reply.await, StatusCode::UNAUTHORIZED, "unauthorized");
    }
    // Now even the right password waits, on the API and on the sign-in page.
    let right = json!({"login": "ana@example.ro", "password": PASSWORD});
    let throttled = fx.call("POST", "/api/v1/auth/token", None, Some(right));
    let throttled = throttled.await;
    assert_error(
        &throttled,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_requests",
    );
    let page = sign_in_page(&fx, "ANA@example.ro", PASSWORD).await;
    assert_eq!(
        page.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        page.text()
    );
    // Other logins are not affected.
    fx.login("john@example.com").await;
}

#[tokio::test]
async fn forms_and_cookie_writes_need_the_sessions_csrf_token() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "CSRF").await;
    let action = format!("/tickets/{}/action", ticket["id"].as_str().unwrap());
    let ivan = page_login(&fx, "ivan@example.com").await;
    let other = page_login(&fx, "maria@example.com").await;
    assert_ne!(ivan.csrf, other.csrf, "one token per session");

    for body in [
        "action=resolve".to_owned(),
        "action=resolve&csrf=forged".to_owned(),
        format!("action=resolve&csrf={}", other.csrf),
    ] {
        let refused = form_raw(&fx, &ivan.cookie, &action, &body).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{body}");
    }
    let logout = form_raw(&fx, &ivan.cookie, "/logout", "").await;
    assert_eq!(logout.status, StatusCode::FORBIDDEN);
    let uri = format!("/api/v1/tickets/{}", ticket["id"].as_str().unwrap());
    assert_eq!(fx.get(&uri, &fx.ivan).await.json()["status"], "new");
    let resolved = form(&fx, &ivan, &action, "action=resolve").await;
    assert!(resolved.status.is_redirection(), "{}", resolved.text());

    // The JSON API with the session cookie: writes need the token in a header.
    let write = |csrf: Option<&str>| {
        let mut request = Request::builder()
            .method("POST")
            .uri(format!("{uri}/messages"))
            .header(header::COOKIE, &ivan.cookie)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        let body = json!({"body": "A reply from the console"});
        request.body(Body::from(body.to_string())).unwrap()
    };
    assert_error(
        &fx.send(write(None)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    fx.send(write(Some(&ivan.csrf)))
        .await
        .expect(StatusCode::CREATED);
}

#[tokio::test]
async fn tokens_and_sessions_are_listed_and_revoked() {
    let fx = fixture().await;
    let second = fx.login("ana@example.ro").await;
    let listed = fx.get("/api/v1/auth/tokens", &fx.ana).await;
    let items = listed.expect(StatusCode::OK).items();
    assert_eq!(items.len(), 2, "{items:?}");
    let current: Vec<&Value> = items.iter().filter(|t| t["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["kind"], "api_token");
    let other_id = items.iter().find(|t| t["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Someone else's token is not there for John.
    let uri = format!("/api/v1/auth/tokens/{other_id}");
    let johns = fx.call("DELETE", &uri, Some(&fx.john), None).await;
    assert_error(&johns, StatusCode::NOT_FOUND, "not_found");
    fx.get("/api/v1/me", &second).await.expect(StatusCode::OK);
    let revoked = fx.call("DELETE", &uri, Some(&fx.ana), None).await;
    revoked.expect(StatusCode::NO_CONTENT);
    let gone = fx.get("/api/v1/me", &second).await;
    assert_error(&gone, StatusCode::UNAUTHORIZED, "unauthorized");

    // A token revokes itself.
    let itself = fx.call("DELETE", "/api/v1/auth/token", Some(&fx.ana), None);
    itself.await.expect(StatusCode::NO_CONTENT);
    let gone = fx.get("/api/v1/me", &fx.ana).await;
    assert_error(&gone, StatusCode::UNAUTHORIZED, "unauthorized");

    // Signing out ends the session for good.
    let ana = page_login(&fx, "ana@example.ro").await;
    let out = form(&fx, &ana, "/logout", "").await;
    assert!(out.status.is_redirection(), "{}", out.text());
    let cleared = out.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let after = page(&fx, &ana, "/portal").await;
    assert_eq!(after.headers[header::LOCATION], "/login");
}

#[tokio::test]
async fn session_cookies_are_secure_when_asked() {
    let options = helpdesk_server::Options {
        secure_cookies: true,
    };
    let fx = fixture_at(":memory:", options).await;
    let reply = sign_in_page(&fx, "ana@example.ro", PASSWORD).await;
    let cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
}

/// `--demo` twice on one database: the people and their logins are made once.
#[tokio::test]
async fn the_demo_loads_once_and_its_logins_sign_in() {
    let desk = desk_at(":memory:").await;
    let (router, accounts) = app(desk.clone(), helpdesk_server::Options::default());
    let first = helpdesk_server::demo::load(&desk, &accounts).await.unwrap();
    let second = helpdesk_server::demo::load(&desk, &accounts).await.unwrap();
    let names = |logins: &[helpdesk_server::demo::Login]| -> Vec<String> {
        let mut names: Vec<String> = logins.iter().map(|l| l.login.clone()).collect();
        names.sort();
        names
    };
    assert_eq!(names(&first), names(&second));
    assert_eq!(desk.as_system().departments().await.unwrap().len(), 2);
    let fx = Fixture::bare(router);
    let credentials =
        json!({"login": "ana@demo.example", "password": helpdesk_server::demo::PASSWORD});
    let reply = fx.call("POST", "/api/v1/auth/token", None, Some(credentials));
    reply.await.expect(StatusCode::CREATED);
}
