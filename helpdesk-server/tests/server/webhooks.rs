//! Webhooks (issue 23, item 3) through the JSON API and the dispatcher, with real receivers
//! on loopback: admins manage endpoints (the secret shown once), a new ticket writes a
//! delivery, the dispatcher sends it signed (the receiver checks the signature), follows no
//! redirect, and bounds a silent or huge answer.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use helpdesk::webhooks::{MAX_KEPT_BODY, WebhookSecret, verify};
use helpdesk_server::webhooks::Dispatcher;
use helpdesk_server::webhooks::client::{self, Limits};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::Mutex;

use crate::routes::id_of;
use crate::support::*;

/// The routes tested here, each with a success and an error (with `routes::TESTED`).
pub(crate) const WEBHOOKS_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/webhooks"),
    ("post", "/api/v1/webhooks"),
    ("put", "/api/v1/webhooks/{webhook}"),
    ("delete", "/api/v1/webhooks/{webhook}"),
    ("get", "/api/v1/webhooks/{webhook}/deliveries"),
    ("post", "/api/v1/webhooks/{webhook}/ping"),
];

/// What a receiver got: each request's headers and body.
type Received = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// Serves `app` on a free loopback port; its base URL.
async fn serve(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

/// A receiver answering 200 to every POST, keeping what it got.
async fn receiver() -> (String, Received) {
    let got: Received = Arc::default();
    let keep = got.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let keep = keep.clone();
            async move {
                keep.lock().await.push((headers, body));
                "thanks"
            }
        }),
    );
    (format!("{}/hook", serve(app).await), got)
}

async fn create(fx: &Fixture, url: &str, events: &[&str]) -> (String, WebhookSecret) {
    let made = fx
        .post(
            "/api/v1/webhooks",
            &fx.admin,
            json!({"url": url, "events": events, "description": "CRM"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let secret = WebhookSecret::parse(made["secret"].as_str().unwrap()).unwrap();
    (id_of(&made["endpoint"]), secret)
}

fn desk(fx: &Fixture) -> &helpdesk::Helpdesk {
    fx.desk.as_ref().unwrap()
}

#[tokio::test]
async fn admins_manage_endpoints_and_the_secret_is_shown_once() {
    let fx = fixture().await;
    let body = json!({"url": "https://hooks.example.com/in", "events": ["ticket_created"]});
    fx.post("/api/v1/webhooks", &fx.ivan, body.clone())
        .await
        .expect(StatusCode::FORBIDDEN);
    fx.get("/api/v1/webhooks", &fx.ivan)
        .await
        .expect(StatusCode::FORBIDDEN);
    let refused = fx
        .post(
            "/api/v1/webhooks",
            &fx.admin,
            json!({"url": "ftp://hooks.example.com/", "events": ["ticket_created"]}),
        )
        .await
        .expect(StatusCode::BAD_REQUEST)
        .json();
    assert_eq!(refused["error"]["field"], "url", "{refused}");
    let (id, secret) = create(&fx, "https://hooks.example.com/in", &["ticket_created"]).await;
    let listed = fx
        .get("/api/v1/webhooks", &fx.admin)
        .await
        .expect(StatusCode::OK);
    assert!(!String::from_utf8_lossy(&listed.bytes).contains(secret.expose()));
    assert_eq!(listed.items().len(), 1);

    let path = format!("/api/v1/webhooks/{id}");
    let changed = fx
        .call(
            "PUT",
            &path,
            Some(&fx.admin),
            Some(json!({"url": "https://hooks.example.com/v2", "events": ["message_added"], "enabled": false})),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(changed["enabled"], false);
    assert!(changed.get("secret").is_none());
    fx.call(
        "PUT",
        &path,
        Some(&fx.admin),
        Some(json!({"url": "https://x/", "events": ["nope"]})),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
    fx.call("DELETE", &path, Some(&fx.admin), None)
        .await
        .expect(StatusCode::NO_CONTENT);
    fx.call("DELETE", &path, Some(&fx.admin), None)
        .await
        .expect(StatusCode::NOT_FOUND);
    fx.get(&format!("{path}/deliveries"), &fx.admin)
        .await
        .expect(StatusCode::NOT_FOUND);
    fx.post(&format!("{path}/ping"), &fx.admin, json!({}))
        .await
        .expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_new_ticket_is_delivered_signed_to_a_receiver_on_loopback() {
    let fx = fixture().await;
    let (url, got) = receiver().await;
    let (id, secret) = create(&fx, &url, &["ticket_created"]).await;
    let ticket = fx.open(&fx.ana, "Router is red").await;
    let deliveries = fx
        .get(&format!("/api/v1/webhooks/{id}/deliveries"), &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0]["state"], "pending");

    let round = Dispatcher::default().run_once(desk(&fx)).await.unwrap();
    assert_eq!((round.delivered, round.failed), (1, 0));
    let got = got.lock().await;
    assert_eq!(got.len(), 1);
    let (headers, body) = &got[0];
    let signature = headers["helpdesk-signature"].to_str().unwrap();
    let now = chrono::Utc::now().timestamp();
    verify(&secret, signature, body, now, 300).expect("the signature checks out");
    assert_eq!(headers["helpdesk-event"], "ticket_created");
    assert_eq!(
        headers["helpdesk-delivery"],
        deliveries[0]["id"].as_str().unwrap()
    );
    let payload: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(payload["data"]["ticket"], ticket["id"]);

    let after = fx
        .get(&format!("/api/v1/webhooks/{id}/deliveries"), &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(after[0]["state"], "delivered");
    assert_eq!(after[0]["last_status"], 200);
    assert_eq!(after[0]["last_response"], "thanks");
    // Delivered once: the next round sends nothing.
    let round = Dispatcher::default().run_once(desk(&fx)).await.unwrap();
    assert_eq!((round.delivered, round.failed), (0, 0));
}

#[tokio::test]
async fn a_ping_is_sent_at_once_and_answers_with_the_delivery() {
    let fx = fixture().await;
    let (url, got) = receiver().await;
    let (id, _) = create(&fx, &url, &["ticket_created"]).await;
    let ping = fx
        .post(&format!("/api/v1/webhooks/{id}/ping"), &fx.admin, json!({}))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(ping["event"], "ping");
    assert_eq!(ping["state"], "delivered");
    assert_eq!(got.lock().await.len(), 1);
    fx.post(&format!("/api/v1/webhooks/{id}/ping"), &fx.ivan, json!({}))
        .await
        .expect(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let fx = fixture().await;
    let (target, got) = receiver().await;
    let app = Router::new().route(
        "/hook",
        post(move || {
            let target = target.clone();
            async move { (StatusCode::FOUND, [(axum::http::header::LOCATION, target)]) }
        }),
    );
    let (id, _) = create(
        &fx,
        &format!("{}/hook", serve(app).await),
        &["ticket_created"],
    )
    .await;
    fx.open(&fx.ana, "Redirected").await;
    let round = Dispatcher::default().run_once(desk(&fx)).await.unwrap();
    assert_eq!((round.delivered, round.failed), (0, 1));
    assert!(
        got.lock().await.is_empty(),
        "the redirect's target got nothing"
    );
    let d = fx
        .get(&format!("/api/v1/webhooks/{id}/deliveries"), &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(
        (d[0]["state"].as_str(), d[0]["last_status"].as_u64()),
        (Some("pending"), Some(302))
    );
    assert_eq!(d[0]["attempts"], 1);
}

#[tokio::test]
async fn a_silent_receiver_times_out_and_a_huge_answer_is_read_only_to_the_limit() {
    // A receiver that accepts and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_url = format!("http://{}/hook", silent.local_addr().unwrap());
    let held = Arc::new(AtomicUsize::new(0));
    let count = held.clone();
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            open.push(socket);
        }
    });
    let url = helpdesk::webhooks::WebhookUrl::parse(&silent_url).unwrap();
    let limits = Limits {
        timeout: Duration::from_millis(300),
        max_body: 1024,
    };
    let why = client::post(&url, &[], "{}".to_owned(), limits)
        .await
        .unwrap_err();
    assert!(why.contains("no complete answer"), "{why}");
    assert_eq!(held.load(Ordering::SeqCst), 1);

    // A receiver answering 4 MiB: 1 KiB is read, and the delivery keeps at most 4 KiB.
    let app = Router::new().route("/hook", post(|| async { "x".repeat(4 << 20) }));
    let huge =
        helpdesk::webhooks::WebhookUrl::parse(&format!("{}/hook", serve(app).await)).unwrap();
    let answer = client::post(
        &huge,
        &[],
        "{}".to_owned(),
        Limits {
            max_body: 1024,
            ..Limits::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((answer.status, answer.body.len()), (200, 1024));
    let answer = client::post(&huge, &[], "{}".to_owned(), Limits::default())
        .await
        .unwrap();
    assert_eq!(answer.body.len(), 64 * 1024);
    assert!(helpdesk::webhooks::truncate_body(&answer.body).len() <= MAX_KEPT_BODY);
}

#[tokio::test]
async fn ten_failures_in_a_row_disable_the_endpoint_with_the_reason() {
    let fx = fixture().await;
    let app = Router::new().route("/hook", post(|| async { StatusCode::SERVICE_UNAVAILABLE }));
    let (id, _) = create(
        &fx,
        &format!("{}/hook", serve(app).await),
        &["ticket_created"],
    )
    .await;
    fx.open(&fx.ana, "Down").await;
    let mut disabled = Vec::new();
    for _ in 0..10 {
        let round = Dispatcher::default().run_once(desk(&fx)).await.unwrap();
        assert_eq!(round.failed, 1);
        disabled.extend(round.disabled);
        // The next attempt is due after the backoff (at most 6 hours).
        fx.clock.advance(chrono::TimeDelta::hours(6));
    }
    assert_eq!(disabled.len(), 1);
    let listed = fx
        .get("/api/v1/webhooks", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(listed[0]["id"], id);
    assert_eq!(listed[0]["enabled"], false);
    assert!(
        listed[0]["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("503")
    );
    let round = Dispatcher::default().run_once(desk(&fx)).await.unwrap();
    assert_eq!(
        (round.delivered, round.failed),
        (0, 0),
        "a disabled endpoint gets nothing"
    );
}

#[tokio::test]
async fn the_webhooks_page_adds_shows_the_secret_once_refuses_inline_and_lists_deliveries() {
    use crate::admin_pages::{form_html, saved};
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin/webhooks")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("form id=\"add-webhook\""), "{html}");
    let ivan = page_login(&fx, "ivan@example.com").await;
    assert_eq!(
        page(&fx, &ivan, "/admin/webhooks").await.status,
        StatusCode::FORBIDDEN
    );

    // No event ticked: refused inline, the URL and note kept.
    let typed = "url=https%3A%2F%2Fhooks.example.com%2Fin&description=CRM+sync";
    let bad = form(&fx, &root, "/admin/webhooks", typed).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let refused = form_html(&bad.text(), "add-webhook");
    assert!(refused.contains("role=\"alert\""), "{refused}");
    assert!(
        refused.contains("value=\"https://hooks.example.com/in\""),
        "{refused}"
    );
    assert!(refused.contains("value=\"CRM sync\""), "{refused}");

    let added = form(
        &fx,
        &root,
        "/admin/webhooks",
        &format!("{typed}&event_ticket_created=on"),
    )
    .await
    .expect(StatusCode::OK)
    .text();
    let listed = fx
        .get("/api/v1/webhooks", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(listed.len(), 1);
    let id = listed[0]["id"].as_str().unwrap().to_owned();
    let secret = added
        .split("<code class=\"secret\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the secret is shown once")
        .to_owned();
    assert!(secret.starts_with("whsec_"));
    let again = page(&fx, &root, "/admin/webhooks").await.text();
    assert!(!again.contains(&secret), "shown only once");

    fx.open(&fx.ana, "Router").await;
    let deliveries = page(&fx, &root, &format!("/admin/webhooks/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(deliveries.contains("delivery-"), "{deliveries}");

    saved(&form(&fx, &root, &format!("/admin/webhooks/{id}/toggle"), "").await);
    let listed = fx
        .get("/api/v1/webhooks", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(listed[0]["enabled"], false);
    saved(&form(&fx, &root, &format!("/admin/webhooks/{id}/ping"), "").await);
    let unconfirmed = form(&fx, &root, &format!("/admin/webhooks/{id}/delete"), "").await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/webhooks/{id}/delete"),
            "confirm=on",
        )
        .await,
    );
    assert!(
        fx.get("/api/v1/webhooks", &fx.admin)
            .await
            .expect(StatusCode::OK)
            .items()
            .is_empty()
    );
}
