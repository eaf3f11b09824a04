//! The change feed through the JSON API (issue 23): `GET /api/v1/changes` answers each
//! caller only what they may see and where to read on, and with `wait` it is a long poll
//! answered by the next change the caller may see. Answers are checked against the OpenAPI
//! document (`schema_check`). `GET /api/v1/changes/stream` sends the same records as
//! server-sent events as they are committed, to each reader only what they may see.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::*;

/// The routes tested here, each with a success and an error (with `routes::TESTED`).
pub(crate) const CHANGES_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/changes"),
    ("get", "/api/v1/changes/stream"),
];

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

/// An open `GET /api/v1/changes/stream`: its body and what was read of it.
struct Events {
    body: Body,
    buffer: String,
}

impl Events {
    /// Opens the stream as `token`, after `last_event_id` when given.
    async fn open(fx: &Fixture, token: &str, last_event_id: Option<&str>) -> Events {
        let mut request = Request::builder()
            .uri("/api/v1/changes/stream")
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = fx
            .app
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/event-stream"
        );
        Events {
            body: response.into_body(),
            buffer: String::new(),
        }
    }

    /// The next event (5 s at most): its id and its data (comments are skipped).
    async fn next(&mut self) -> (u64, Value) {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let event: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    event
                        .lines()
                        .find_map(|l| l.strip_prefix(name))
                        .map(str::to_owned)
                };
                let Some(data) = field("data: ") else {
                    continue;
                };
                assert!(field("event: ").is_none(), "{event}");
                let id = field("id: ").unwrap().parse().unwrap();
                return (id, serde_json::from_str(&data).unwrap());
            }
            let frame = tokio::time::timeout(Duration::from_secs(5), self.body.frame())
                .await
                .expect("an event within 5 s")
                .expect("the stream is open")
                .unwrap();
            if let Ok(bytes) = frame.into_data() {
                self.buffer.push_str(std::str::from_utf8(&bytes).unwrap());
            }
        }
    }

    /// Events until a public message is added; every event read, in order.
    async fn until_public_message(&mut self) -> Vec<(u64, Value)> {
        self.until(|_, entry| {
            entry["change"]["kind"] == "message_added" && entry["change"]["scope"] == "public"
        })
        .await
    }

    /// Events until one for which `done` holds; every event read, in order.
    async fn until(&mut self, done: impl Fn(u64, &Value) -> bool) -> Vec<(u64, Value)> {
        let mut read = Vec::new();
        loop {
            let (id, entry) = self.next().await;
            assert_eq!(entry["position"].as_u64(), Some(id), "{entry}");
            let done = done(id, &entry);
            read.push((id, entry));
            if done {
                return read;
            }
        }
    }
}

#[tokio::test]
async fn the_stream_sends_each_reader_only_what_they_may_see_as_it_is_committed() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Routerul nu merge").await;
    let id = ticket["id"].as_str().unwrap().to_owned();
    // Opened now: from the head on.
    let mut anas = Events::open(&fx, &fx.ana, None).await;
    let mut admins = Events::open(&fx, &fx.admin, None).await;

    // An internal note on her ticket, another customer's ticket, then a public answer.
    let path = format!("/api/v1/tickets/{id}/messages");
    let internal = json!({"body": "SECRET internal remark", "internal": true});
    fx.post(&path, &fx.ivan, internal)
        .await
        .expect(StatusCode::CREATED);
    fx.open(&fx.john, "Another customer's problem").await;
    fx.post(&path, &fx.ivan, json!({"body": "Please restart it"}))
        .await
        .expect(StatusCode::CREATED);

    let hers = anas.until_public_message().await;
    for (_, entry) in &hers {
        assert_eq!(entry["change"]["ticket"], id.as_str(), "{entry}");
        assert_ne!(entry["change"]["scope"], "internal", "{entry}");
        assert_ne!(entry["change"]["kind"], "ticket_created", "{entry}");
    }
    let all = admins.until_public_message().await;
    assert!(all.iter().any(|(_, e)| e["change"]["scope"] == "internal"));
    assert!(
        all.iter()
            .any(|(_, e)| e["change"]["kind"] == "ticket_created")
    );
    assert!(all.windows(2).all(|w| w[0].0 < w[1].0));

    // A reconnecting EventSource names the last id it got: the stream resumes after it,
    // here from the start, still without the note or John's ticket.
    let mut again = Events::open(&fx, &fx.ana, Some("0")).await;
    let last = hers.last().unwrap().0;
    let replayed = again.until(|id, _| id >= last).await;
    assert_eq!(replayed[0].1["change"]["kind"], "ticket_created");
    for (_, entry) in &replayed {
        assert_eq!(entry["change"]["ticket"], id.as_str(), "{entry}");
        assert_ne!(entry["change"]["scope"], "internal", "{entry}");
    }
    assert_eq!(replayed.last().unwrap().0, last);
    assert_eq!(&replayed[replayed.len() - hers.len()..], &hers[..]);
}

#[tokio::test]
async fn the_stream_refuses_a_stranger_and_a_bad_last_event_id() {
    let fx = fixture().await;
    assert_error(
        &fx.call("GET", "/api/v1/changes/stream", None, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
    let request = Request::builder()
        .uri("/api/v1/changes/stream")
        .header(header::AUTHORIZATION, format!("Bearer {}", fx.ana))
        .header("last-event-id", "yesterday")
        .body(Body::empty())
        .unwrap();
    assert_error(
        &fx.send(request).await,
        StatusCode::BAD_REQUEST,
        "validation",
    );
}

#[tokio::test]
async fn admins_set_how_long_the_feed_keeps_changes_through_the_api_and_the_settings_page() {
    let fx = fixture().await;
    let set = fx
        .call(
            "PUT",
            "/api/v1/settings",
            Some(&fx.admin),
            Some(json!({"feed_retention_days": 30})),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(set, json!({"public_url": null, "feed_retention_days": 30}));
    // Out of bounds: refused before anything of the request is written.
    let refused = fx
        .call(
            "PUT",
            "/api/v1/settings",
            Some(&fx.admin),
            Some(json!({"public_url": "help.example.com", "feed_retention_days": 0})),
        )
        .await;
    assert_error(&refused, StatusCode::BAD_REQUEST, "validation");
    let shown = fx.get("/api/v1/settings", &fx.admin).await.json();
    assert_eq!(
        shown,
        json!({"public_url": null, "feed_retention_days": 30})
    );
    let forbidden = fx
        .call(
            "PUT",
            "/api/v1/settings",
            Some(&fx.ivan),
            Some(json!({"feed_retention_days": 1})),
        )
        .await;
    assert_error(&forbidden, StatusCode::FORBIDDEN, "forbidden");

    // The settings page shows it; a bad value is refused inline with the text kept; an empty
    // field goes back to the default week.
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        html.contains("name=\"feed_retention\"") && html.contains("value=\"30\""),
        "{html}"
    );
    let bad = form(
        &fx,
        &root,
        "/admin/settings",
        "public_url=&feed_retention=99999",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let html = bad.text();
    assert!(
        html.contains("feed_retention_days") || html.contains("3650"),
        "{html}"
    );
    assert!(html.contains("value=\"99999\""), "the text is kept: {html}");
    form(&fx, &root, "/admin/settings", "public_url=&feed_retention=")
        .await
        .expect(StatusCode::SEE_OTHER);
    let shown = fx.get("/api/v1/settings", &fx.admin).await.json();
    assert_eq!(shown, json!({"public_url": null}));
}
