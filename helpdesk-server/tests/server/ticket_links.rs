//! Linked tickets over HTTP (issue 20): a master ticket's resolution reaching its linked
//! tickets and the list of them, splitting, a merged ticket's number redirecting to the
//! target, and the console's merge and split forms with their refusals inline.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

/// The routes these tests cover (see `routes.rs`).
pub(crate) const TICKET_LINKS_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/tickets/{ticket}/linked"),
    ("post", "/api/v1/tickets/{ticket}/split"),
    ("get", "/api/v1/tickets/{ticket}/merged-target"),
];

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

async fn command(fx: &Fixture, ticket: &str, body: Value) -> Reply {
    fx.post(
        &format!("/api/v1/tickets/{ticket}/commands"),
        &fx.ivan,
        body,
    )
    .await
}

#[tokio::test]
async fn resolving_a_master_over_the_api_resolves_its_linked_tickets_and_lists_them() {
    let fx = fixture().await;
    let master = fx
        .post(
            "/api/v1/tickets",
            &fx.ivan,
            json!({"subject": "Outage Nord", "body": "Fibre cut", "department": fx.support, "internal": true}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let mut linked = Vec::new();
    for token in [&fx.ana, &fx.john] {
        let t = fx.open(token, "No internet").await;
        command(
            &fx,
            &id(&t),
            json!({"command": "link_to_master", "master": id(&master)}),
        )
        .await
        .expect(StatusCode::OK);
        linked.push(id(&t));
    }
    command(
        &fx,
        &id(&master),
        json!({"command": "resolve", "body": "Repaired; restart your router."}),
    )
    .await
    .expect(StatusCode::OK);
    let listed = fx
        .get(&format!("/api/v1/tickets/{}/linked", id(&master)), &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(listed.len(), 2);
    for t in &listed {
        assert_eq!(t["status"], "resolved", "{t}");
    }
    let thread = fx
        .get(&format!("/api/v1/tickets/{}/messages", linked[0]), &fx.ana)
        .await
        .expect(StatusCode::OK)
        .json();
    let text = thread.to_string();
    assert!(text.contains("Repaired; restart your router."), "{text}");
    assert!(text.contains("\"kind\":\"master\""), "{text}");
}

#[tokio::test]
async fn splitting_over_the_api_makes_a_new_ticket_and_refuses_bad_choices() {
    let fx = fixture().await;
    let t = fx.open(&fx.ana, "Internet down").await;
    fx.post(
        &format!("/api/v1/tickets/{}/messages", id(&t)),
        &fx.ana,
        json!({"body": "Also my invoice is wrong"}),
    )
    .await
    .expect(StatusCode::CREATED);
    let messages = fx
        .get(&format!("/api/v1/tickets/{}/messages", id(&t)), &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .items();
    let invoice = messages
        .iter()
        .find(|m| m["body"] == "Also my invoice is wrong")
        .unwrap();
    let uri = format!("/api/v1/tickets/{}/split", id(&t));
    let refused = fx.post(&uri, &fx.ivan, json!({"messages": []})).await;
    assert_error(&refused, StatusCode::BAD_REQUEST, "validation");
    let done = fx
        .post(
            &uri,
            &fx.ivan,
            json!({"messages": [id(invoice)], "subject": "Wrong invoice"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(done["split"]["subject"], "Wrong invoice");
    assert_eq!(done["original"]["id"], t["id"]);
    let moved = fx
        .get(
            &format!("/api/v1/tickets/{}/messages", id(&done["split"])),
            &fx.ana,
        )
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0]["origin"]["kind"], "split");
}

#[tokio::test]
async fn a_merged_tickets_number_redirects_to_the_target() {
    let fx = fixture().await;
    let a = fx.open(&fx.ana, "Internet down").await;
    let b = fx.open(&fx.ana, "Internet still down").await;
    let target = format!("/api/v1/tickets/{}/merged-target", id(&a));
    let same = fx
        .get(&target, &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(same["id"], a["id"]);
    command(
        &fx,
        &id(&b),
        json!({"command": "merge_into", "target": id(&a)}),
    )
    .await
    .expect(StatusCode::OK);
    let number = b["number"]["short"].as_str().unwrap();
    let location = format!("/api/v1/tickets/{}", id(&a));
    for uri in [
        format!("/api/v1/tickets/{number}"),
        format!("/api/v1/tickets/{}/merged-target", id(&b)),
    ] {
        let moved = fx.get(&uri, &fx.ana).await;
        assert_eq!(moved.status, StatusCode::TEMPORARY_REDIRECT, "{uri}");
        assert_eq!(moved.headers["location"], location.as_str());
    }
    // By its id the merged ticket itself.
    let itself = fx
        .get(&format!("/api/v1/tickets/{}", id(&b)), &fx.ana)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(itself["merged_into"], a["id"]);
}

#[tokio::test]
async fn the_console_shows_linked_tickets_and_keeps_refused_merge_and_split_input() {
    let fx = fixture().await;
    let master = fx.open(&fx.ana, "Outage").await;
    let child = fx.open(&fx.john, "No internet").await;
    command(
        &fx,
        &id(&child),
        json!({"command": "link_to_master", "master": id(&master)}),
    )
    .await
    .expect(StatusCode::OK);
    let ivan = page_login(&fx, "ivan@example.com").await;
    let location = format!("/tickets/{}", id(&master));
    let view = page(&fx, &ivan, &location)
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(view.contains("id=\"linked-tickets\""), "{view}");
    assert!(view.contains(child["number"]["short"].as_str().unwrap()));
    assert!(view.contains("id=\"merge-form\"") && view.contains("id=\"split-form\""));

    let refused = form(&fx, &ivan, &format!("{location}/merge"), "target=77777777").await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let text = refused.text();
    assert!(text.contains("id=\"merge-error\""), "{text}");
    assert!(
        text.contains("value=\"77777777\""),
        "the input kept: {text}"
    );

    let refused = form(
        &fx,
        &ivan,
        &format!("{location}/split"),
        "subject=Kept+subject",
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let text = refused.text();
    assert!(text.contains("id=\"split-error\""), "{text}");
    assert!(text.contains("value=\"Kept subject\""), "{text}");

    // Merged, its number's page leads to the target's.
    let other = fx.open(&fx.ana, "Outage again").await;
    let merged = form(
        &fx,
        &ivan,
        &format!("/tickets/{}/merge", id(&other)),
        &format!("target={}", master["number"]["short"].as_str().unwrap()),
    )
    .await;
    assert!(merged.status.is_redirection(), "{}", merged.text());
    let number = other["number"]["short"].as_str().unwrap();
    let moved = page(&fx, &ivan, &format!("/tickets/{number}")).await;
    assert!(moved.status.is_redirection());
    assert_eq!(moved.headers["location"], location.as_str());
}
