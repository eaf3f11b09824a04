//! `GET /api/v1/tickets/{ticket}/messages` page by page: the newest messages first, each
//! page oldest first with `older`, the cursor to the page before it, until the page holding
//! the first message; a customer's pages never hold internal notes; a bad limit or a cursor
//! from another ticket is a 400.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

fn bodies(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_long_thread_comes_in_pages_newest_first_and_each_message_once() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "A long conversation").await;
    let id = ticket["id"].as_str().unwrap().to_owned();
    let uri = format!("/api/v1/tickets/{id}/messages");
    for i in 0..129 {
        let (who, body) = if i % 3 == 2 {
            (
                &fx.ivan,
                json!({ "body": format!("note {i}"), "internal": true }),
            )
        } else {
            (&fx.ivan, json!({ "body": format!("reply {i}") }))
        };
        fx.post(&uri, who, body).await.expect(StatusCode::CREATED);
    }

    let first = fx.get(&uri, &fx.ivan).await.expect(StatusCode::OK).json();
    assert_eq!(bodies(&first).len(), 100, "100 by default");
    assert_eq!(
        bodies(&first).last().unwrap(),
        "note 128",
        "the newest last"
    );
    let mut seen = bodies(&first);
    let mut page = first;
    while let Some(older) = page["older"].as_str() {
        page = fx
            .get(&format!("{uri}?before={older}&limit=7"), &fx.ivan)
            .await
            .expect(StatusCode::OK)
            .json();
        assert!(bodies(&page).len() <= 7);
        seen.splice(0..0, bodies(&page));
    }
    assert_eq!(page["older"], Value::Null);
    assert_eq!(
        seen.len(),
        130,
        "the opening message and 129 more, each once"
    );
    assert_eq!(seen[1], "reply 0");

    let customer = fx
        .get(&format!("{uri}?limit=500"), &fx.ana)
        .await
        .expect(StatusCode::OK)
        .json();
    let theirs = bodies(&customer);
    assert_eq!(theirs.len(), 130 - 43, "no internal note");
    assert!(theirs.iter().all(|b| !b.starts_with("note")));
}

#[tokio::test]
async fn a_bad_limit_or_a_cursor_of_another_ticket_is_a_400() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "One").await;
    let other = fx.open(&fx.ana, "Two").await;
    let (id, other_id) = (
        ticket["id"].as_str().unwrap(),
        other["id"].as_str().unwrap(),
    );
    let others = fx
        .get(&format!("/api/v1/tickets/{other_id}/messages"), &fx.ana)
        .await
        .expect(StatusCode::OK)
        .json();
    let foreign = others["items"][0]["id"].as_str().unwrap();
    for query in [
        "limit=0",
        "limit=501",
        &format!("before={foreign}"),
        "before=nope",
    ] {
        fx.get(&format!("/api/v1/tickets/{id}/messages?{query}"), &fx.ana)
            .await
            .expect(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn the_ticket_page_shows_the_newest_fifty_messages_and_links_to_older_ones() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Un fir lung").await;
    let id = ticket["id"].as_str().unwrap().to_owned();
    let uri = format!("/api/v1/tickets/{id}/messages");
    for i in 0..59 {
        fx.post(&uri, &fx.ivan, json!({ "body": format!("Răspuns {i}.") }))
            .await
            .expect(StatusCode::CREATED);
    }
    let ana = page_login(&fx, "ana@example.ro").await;
    let newest = page(&fx, &ana, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(newest.contains("Răspuns 58."), "the newest message");
    assert!(!newest.contains("Răspuns 8."), "not the older ones");
    assert!(
        newest.contains("Mesaje mai vechi"),
        "in the customer's language"
    );
    let (_, rest) = newest
        .split_once("id=\"older-messages\" href=\"")
        .expect("a link to the older messages");
    let older_uri = rest.split('"').next().unwrap().replace("&amp;", "&");
    let older = page(&fx, &ana, &older_uri)
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(older.contains("Răspuns 8."), "{older_uri}");
    assert!(!older.contains("Răspuns 9."), "each message on one page");
    assert!(
        !older.contains("older-messages"),
        "the first page is the last"
    );
    assert!(older.contains("newest-messages"));
    page(&fx, &ana, &format!("/tickets/{id}?before=nonsense"))
        .await
        .expect(StatusCode::BAD_REQUEST);
}
