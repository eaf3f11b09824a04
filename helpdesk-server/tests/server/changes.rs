//! The change feed through the JSON API (issue 23): `GET /api/v1/changes` answers each
//! caller only what they may see and where to read on, and with `wait` it is a long poll
//! answered by the next change the caller may see. Answers are checked against the OpenAPI
//! document (`schema_check`).

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

/// The routes tested here, each with a success and an error (with `routes::TESTED`).
pub(crate) const CHANGES_TESTED: &[(&str, &str)] = &[("get", "/api/v1/changes")];

fn changes(reply: &Reply) -> Vec<Value> {
    reply.json()["changes"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_customer_reads_only_their_public_changes_and_resumes_past_the_rest() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Routerul nu merge").await;
    let id = ticket["id"].as_str().unwrap().to_owned();
    fx.post(
        &format!("/api/v1/tickets/{id}/messages"),
        &fx.ivan,
        json!({"body": "SECRET internal remark", "internal": true}),
    )
    .await
    .expect(StatusCode::CREATED);
    fx.open(&fx.john, "Another customer's problem").await;

    let all = fx
        .get("/api/v1/changes", &fx.admin)
        .await
        .expect(StatusCode::OK);
    let theirs = fx
        .get("/api/v1/changes", &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert_eq!(theirs.json()["next"], all.json()["next"]);
    assert!(
        changes(&all)
            .iter()
            .any(|c| c["change"]["scope"] == "internal")
    );
    let seen = changes(&theirs);
    assert!(!seen.is_empty());
    for entry in &seen {
        assert_eq!(entry["change"]["ticket"], id.as_str(), "{entry}");
        assert_ne!(entry["change"]["scope"], "internal", "{entry}");
    }
    assert_eq!(seen[0]["change"]["kind"], "ticket_created");
    // Maria (billing) sees nothing of support's tickets.
    let marias = fx
        .get("/api/v1/changes", &fx.maria)
        .await
        .expect(StatusCode::OK);
    assert!(
        changes(&marias)
            .iter()
            .all(|c| c["change"]["kind"] == "availability_changed"),
        "{}",
        marias.text()
    );
    // Paged: one at a time, resuming from `next`.
    let first = fx
        .get("/api/v1/changes?limit=1", &fx.ana)
        .await
        .expect(StatusCode::OK);
    let next = first.json()["next"].as_u64().unwrap();
    let rest = fx
        .get(&format!("/api/v1/changes?after={next}"), &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert_eq!(changes(&first).len() + changes(&rest).len(), seen.len());
    // A limit out of range: a validation error.
    for bad in ["/api/v1/changes?limit=0", "/api/v1/changes?limit=5000"] {
        assert_error(
            &fx.get(bad, &fx.ana).await,
            StatusCode::BAD_REQUEST,
            "validation",
        );
    }
}

#[tokio::test]
async fn a_long_poll_is_answered_by_the_next_change_the_caller_may_see() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Routerul nu merge").await;
    let id = ticket["id"].as_str().unwrap().to_owned();
    let now = fx
        .get("/api/v1/changes", &fx.ana)
        .await
        .expect(StatusCode::OK);
    let next = now.json()["next"].as_u64().unwrap();
    let poll = format!("/api/v1/changes?after={next}&wait=25");
    let (answer, _) = tokio::join!(fx.get(&poll, &fx.ana), async {
        tokio::task::yield_now().await;
        // A change Ana may not see first, then one she may.
        fx.open(&fx.john, "Another customer's problem").await;
        fx.post(
            &format!("/api/v1/tickets/{id}/messages"),
            &fx.ivan,
            json!({"body": "Please restart it", "internal": false}),
        )
        .await
        .expect(StatusCode::CREATED);
    });
    let answer = answer.expect(StatusCode::OK);
    let seen = changes(&answer);
    assert!(!seen.is_empty(), "{}", answer.text());
    assert!(seen.iter().all(|c| c["change"]["ticket"] == id.as_str()));
    assert!(
        seen.iter()
            .any(|c| c["change"]["kind"] == "message_added" && c["change"]["scope"] == "public")
    );
    assert!(answer.json()["next"].as_u64().unwrap() > next);
}
