//! Agents replying to one ticket at once through the API, without `If-Match`: every reply is
//! accepted (never a 409), and the thread holds each exactly once.

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_two_concurrent_replies_without_if_match_are_all_accepted_once() {
    let fx = Arc::new(fixture().await);
    let ticket = fx.open(&fx.ana, "Everyone answers").await;
    let id = ticket["id"].as_str().unwrap().to_owned();
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let (fx, id) = (fx.clone(), id.clone());
            tokio::spawn(async move {
                let agent = if i % 2 == 0 { &fx.ivan } else { &fx.admin };
                let uri = format!("/api/v1/tickets/{id}/messages");
                let reply = fx
                    .post(&uri, agent, json!({ "body": format!("reply {i}") }))
                    .await;
                (reply.status, reply.text())
            })
        })
        .collect();
    for task in tasks {
        let (status, text) = task.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{text}");
    }
    let after = fx
        .get(&format!("/api/v1/tickets/{id}"), &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(after["version"], 33);
    let store = fx.desk.as_ref().unwrap().store().clone();
    let ticket_id = id.parse().unwrap();
    let mut bodies: Vec<String> = store
        .messages(ticket_id, true)
        .await
        .unwrap()
        .into_iter()
        .skip(1)
        // The first line: agents' signatures follow it.
        .map(|m| {
            m.body
                .as_str()
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    bodies.sort();
    let mut want: Vec<String> = (0..32).map(|i| format!("reply {i}")).collect();
    want.sort();
    assert_eq!(bodies, want);
}
