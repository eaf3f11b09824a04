//! `GET /api/v1/tickets` page by page: `next` is an opaque cursor passed back as `after`, in
//! every order and for relevance-ranked searches; tickets that change between two pages are
//! listed at most once and reported in `changed`; `total` counts what the caller may see;
//! a cursor the server never gave out is a 400 that says so.

use axum::http::StatusCode;
use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::support::*;

/// The ids of a list's `items`.
fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The page after `page`: its `next`, passed back as it is.
async fn after(fx: &Fixture, query: &str, page: &Value, token: &str) -> Value {
    let next = page["next"].as_str().expect("an opaque cursor");
    fx.get(
        &format!("/api/v1/tickets?{query}&after={}", urlencode(next)),
        token,
    )
    .await
    .expect(StatusCode::OK)
    .json()
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn pages_follow_an_opaque_cursor_while_tickets_change_and_report_what_changed() {
    let fx = fixture().await;
    let mut opened = Vec::new();
    for i in 0..6 {
        opened.push(fx.open(&fx.ana, &format!("Router {i} drops")).await);
    }
    fx.open(&fx.john, "John's printer").await;
    fx.clock.advance(TimeDelta::hours(1));

    let query = "limit=2&order=priority";
    let first = fx
        .get(&format!("/api/v1/tickets?{query}"), &fx.ana)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(first["total"], 6, "Ana may see her six: {first}");
    assert!(first["changed"].is_null(), "{first}");
    let next = first["next"].as_str().unwrap();
    assert!(
        !next.contains(&ids(&first)[1]),
        "the cursor is the list's own position, not a ticket id: {next}"
    );

    // Between two pages an agent notes on a ticket already listed, which moves it later in
    // the queue (and would list it again), and on one not listed yet.
    let mut listed = ids(&first);
    let not_yet = opened
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .find(|id| !listed.contains(id))
        .unwrap();
    for id in [&listed[0], &not_yet] {
        fx.post(
            &format!("/api/v1/tickets/{id}/messages"),
            &fx.ivan,
            json!({"body": "Looked at it.", "internal": true}),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    let mut page = first;
    let mut changed = Value::Null;
    while !page["next"].is_null() {
        page = after(&fx, query, &page, &fx.ana).await;
        listed.extend(ids(&page));
        changed = page["changed"].clone();
        assert_eq!(page["total"], 6);
    }
    let mut distinct = listed.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), listed.len(), "listed twice: {listed:?}");
    assert!(
        !listed.contains(&not_yet),
        "a changed ticket is reported, not listed"
    );
    let mut reported: Vec<String> = changed["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect();
    reported.sort();
    let mut touched = vec![listed[0].clone(), not_yet.clone()];
    touched.sort();
    assert_eq!(reported, touched, "{changed}");
    assert_eq!(changed["more"], false);
    assert!(changed["since"].is_string(), "{changed}");
    assert_eq!(
        listed.len(),
        5,
        "every ticket but the one reported: {listed:?}"
    );
}

#[tokio::test]
async fn relevance_ranked_searches_page_with_the_cursor() {
    let fx = fixture().await;
    let both = fx.open(&fx.ana, "Router and modem dead").await;
    let one = fx.open(&fx.ana, "Router resets").await;
    let neither = fx.open(&fx.ana, "Slow line").await;
    for (ticket, body) in [
        (&one, "The modem is fine."),
        (&neither, "The router and the modem are old."),
    ] {
        fx.post(
            &format!(
                "/api/v1/tickets/{}/messages",
                ticket["id"].as_str().unwrap()
            ),
            &fx.ana,
            json!({ "body": body }),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    fx.clock.advance(TimeDelta::hours(1));
    let query = "q=router%20modem&limit=1";
    let mut page = fx
        .get(&format!("/api/v1/tickets?{query}"), &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .json();
    assert!(page["total"].is_null(), "searches are not counted: {page}");
    let mut ranked = ids(&page);
    while !page["next"].is_null() {
        page = after(&fx, query, &page, &fx.ivan).await;
        ranked.extend(ids(&page));
    }
    let want: Vec<String> = [&both, &one, &neither]
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ranked, want);
}

#[tokio::test]
async fn a_cursor_the_server_never_gave_out_is_a_400_naming_after() {
    let fx = fixture().await;
    fx.open(&fx.ana, "One").await;
    fx.open(&fx.ana, "Two").await;
    let ticket_id = fx.open(&fx.ana, "Three").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for garbage in ["garbage", "p.0.2", ticket_id.as_str()] {
        let reply = fx
            .get(&format!("/api/v1/tickets?after={garbage}"), &fx.ana)
            .await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "validation");
        let error = &reply.json()["error"];
        assert_eq!(error["field"], "after", "{error}");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains("not a cursor"), "{message}");
        assert!(message.contains("`next`"), "{message}");
    }
    // A cursor of one order does not page another.
    fx.clock.advance(TimeDelta::hours(1));
    let first = fx
        .get("/api/v1/tickets?limit=1&order=priority", &fx.ana)
        .await
        .json();
    let next = urlencode(first["next"].as_str().unwrap());
    let other = fx
        .get(
            &format!("/api/v1/tickets?limit=1&order=waiting&after={next}"),
            &fx.ana,
        )
        .await;
    assert_error(&other, StatusCode::BAD_REQUEST, "validation");
    assert!(
        other.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("another order")
    );
    // Without `order`, the cursor's own order goes on.
    let second = fx
        .get(&format!("/api/v1/tickets?limit=1&after={next}"), &fx.ana)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_openapi_document_describes_the_cursor_and_the_total() {
    let fx = fixture().await;
    let doc = fx.openapi().await;
    let list = &doc["components"]["schemas"]["TicketList"]["properties"];
    // OpenAPI 3.1: a nullable field is typed `[T, "null"]`, a nullable reference is `oneOf`
    // with `null`.
    assert_eq!(list["next"]["type"], json!(["string", "null"]));
    assert!(list["next"].get("format").is_none(), "{list}");
    assert_eq!(list["total"]["type"], json!(["integer", "null"]));
    assert!(
        list["changed"]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["$ref"] == "#/components/schemas/ChangedTickets"),
        "{list}"
    );
    let params = doc["paths"]["/api/v1/tickets"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let after = params.iter().find(|p| p["name"] == "after").unwrap();
    assert_eq!(after["in"], "query");
    assert_eq!(after["schema"]["type"], "string");
}
