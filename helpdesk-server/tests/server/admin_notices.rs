//! Notices to admins (issue 23, item 3) through the JSON API: the dispatcher's tenth failed
//! attempt in a row disables an endpoint and tells each active admin; an admin lists their
//! notices and marks one read; the notification centre shows the unread ones to admins
//! only; agents are refused. Every API answer is checked against the
//! OpenAPI document (`schema_check`).

use axum::http::StatusCode;
use helpdesk_server::webhooks::Dispatcher;
use serde_json::json;

use crate::routes::id_of;
use crate::support::*;

/// The routes tested here, each with a success and an error (with `routes::TESTED`).
pub(crate) const ADMIN_NOTICES_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/admin-notices"),
    ("post", "/api/v1/admin-notices/{notice}/read"),
];

#[tokio::test]
async fn an_endpoint_disabled_by_failures_leaves_each_admin_a_notice_they_mark_read() {
    let fx = fixture().await;
    let made = fx
        .post(
            "/api/v1/webhooks",
            &fx.admin,
            // Nothing listens on the discard port: every attempt is refused.
            json!({"url": "http://127.0.0.1:9/hook", "events": ["ticket_created"]}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let hook = id_of(&made["endpoint"]);
    fx.open(&fx.ana, "Down").await;
    let desk = fx.desk.as_ref().unwrap();
    for round in 1..=10 {
        if round == 10 {
            let none = fx
                .get("/api/v1/admin-notices", &fx.admin)
                .await
                .expect(StatusCode::OK)
                .items();
            assert!(none.is_empty(), "{none:?}");
        }
        let done = Dispatcher::default().run_once(desk).await.unwrap();
        assert_eq!(done.failed, 1);
        fx.clock.advance(chrono::TimeDelta::hours(6));
    }
    let notices = fx
        .get("/api/v1/admin-notices", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0]["kind"], "webhook_disabled");
    assert_eq!(notices[0]["endpoint"], json!(hook));
    assert_eq!(notices[0]["read_at"], json!(null));
    fx.get("/api/v1/admin-notices", &fx.ivan)
        .await
        .expect(StatusCode::FORBIDDEN);

    // The notification centre shows it to the admin, with a button that marks it read.
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/console/notifications")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"admin-notices\""), "{html}");
    assert!(html.contains("http://127.0.0.1:9/hook"), "{html}");
    let ivan = page_login(&fx, "ivan@example.com").await;
    let theirs = page(&fx, &ivan, "/console/notifications")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(!theirs.contains("admin-notices"));

    let id = id_of(&notices[0]);
    fx.post(
        &format!("/api/v1/admin-notices/{id}/read"),
        &fx.admin,
        json!({}),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    let read = fx.get("/api/v1/admin-notices", &fx.admin).await.items();
    assert!(read[0]["read_at"].is_string(), "{read:?}");
    let html = page(&fx, &root, "/console/notifications")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        !html.contains("admin-notices"),
        "a read notice leaves the centre"
    );
    // The centre's button on a notice already read: back to the centre, nothing changed.
    let again = form(&fx, &root, &format!("/console/admin-notices/{id}/read"), "").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.text());
    fx.post(
        "/api/v1/admin-notices/00000000-0000-4000-8000-000000000000/read",
        &fx.admin,
        json!({}),
    )
    .await
    .expect(StatusCode::NOT_FOUND);
}
