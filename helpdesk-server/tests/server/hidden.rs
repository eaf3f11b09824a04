//! Another customer's ticket answers exactly as a missing one (issue 24): through every API
//! route and page that takes a ticket, the status, code and message are the same, naming
//! only what the customer typed.

use serde_json::{Value, json};

use crate::support::*;

/// What one request answered: the status and body, with what was typed written as
/// `<typed>`.
fn seen(reply: &Reply, typed: &str) -> (u16, String) {
    (
        reply.status.as_u16(),
        reply.text().replace(typed, "<typed>"),
    )
}

/// Every route that takes a ticket, as `token`, with the ticket typed as `key`.
async fn answers(
    fx: &Fixture,
    token: &str,
    session: &Session,
    key: &str,
) -> Vec<(String, (u16, String))> {
    let t = format!("/api/v1/tickets/{key}");
    let mut calls: Vec<(String, Reply)> = Vec::new();
    for path in ["", "/messages", "/history", "/time-entries", "/priorities"] {
        calls.push((
            format!("GET {path}"),
            fx.get(&format!("{t}{path}"), token).await,
        ));
    }
    let posts: [(&str, Value); 6] = [
        ("/messages", json!({"body": "hi"})),
        ("/commands", json!({"command": "reopen"})),
        (
            "/commands",
            json!({"command": "request_priority", "priority": "normal", "reason": "x"}),
        ),
        ("/transitions", json!({"command": "confirm_resolution"})),
        ("/assign", json!({"agent": null})),
        ("/priority", json!({"priority": "low"})),
    ];
    for (path, body) in posts {
        let label = format!("POST {path} {body}");
        calls.push((label, fx.post(&format!("{t}{path}"), token, body).await));
    }
    let with_file = fx
        .multipart(
            &format!("{t}/messages"),
            ("authorization", &format!("Bearer {token}")),
            &[("body", "a file")],
            &[("note.txt", "text/plain", b"hello")],
        )
        .await;
    calls.push(("POST /messages with a file".to_owned(), with_file));
    let sha = "0".repeat(64);
    let message = "01a24651-456f-7565-a823-b71c8450c9d5";
    calls.push((
        "GET attachment".to_owned(),
        fx.get(&format!("{t}/messages/{message}/attachments/{sha}"), token)
            .await,
    ));
    calls.push((
        "the ticket page".to_owned(),
        page(fx, session, &format!("/tickets/{key}")).await,
    ));
    calls
        .into_iter()
        .map(|(label, reply)| (label, seen(&reply, key)))
        .collect()
}

#[tokio::test]
async fn a_customer_gets_the_same_answer_for_another_customers_ticket_as_for_a_missing_one() {
    let fx = fixture().await;
    let theirs = fx.open(&fx.john, "John's secret").await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let full = theirs["number"]["full"].as_str().unwrap();
    let short = theirs["number"]["short"].as_str().unwrap();
    let id = theirs["id"].as_str().unwrap();
    let missing = |n: &str| format!("{}99", &n[..n.len() - 2]);
    for (theirs_typed, missing_typed) in [
        (full.to_owned(), missing(full)),
        (short.to_owned(), missing(short)),
        (
            id.to_owned(),
            "01a24651-4559-77a0-be90-3e7834a63b06".to_owned(),
        ),
    ] {
        let hidden = answers(&fx, &fx.ana, &ana, &theirs_typed).await;
        let absent = answers(&fx, &fx.ana, &ana, &missing_typed).await;
        for ((call, h), (_, m)) in hidden.iter().zip(&absent) {
            assert_eq!(h, m, "{call} with {theirs_typed} and {missing_typed}");
            assert!(h.0 >= 400, "{call}: {h:?}");
            assert!(!h.1.contains("John"), "{call}: {h:?}");
            if theirs_typed != id {
                assert!(!h.1.contains(id), "{call} names the ticket's id: {h:?}");
            }
        }
    }

    // The tickets a request names by id: a master, the page after one.
    let named = |typed: &str| {
        let typed = typed.to_owned();
        let fx = &fx;
        async move {
            let master =
                json!({"subject": "Mine", "body": "x", "department": fx.support, "master": typed});
            let opened = fx.post("/api/v1/tickets", &fx.ana, master).await;
            let after = fx
                .get(&format!("/api/v1/tickets?after={typed}"), &fx.ana)
                .await;
            vec![seen(&opened, &typed), seen(&after, &typed)]
        }
    };
    assert_eq!(
        named(id).await,
        named("01a24651-4559-77a0-be90-3e7834a63b06").await
    );
}
