//! The retention page (issue 22, item 4), `/admin/retention`: off by default; an admin sets
//! the rule, a refusal comes back inline with the input kept, the page tells what the rule's
//! last run did; only admins see it.

use axum::http::StatusCode;
use chrono::TimeDelta;
use serde_json::json;

use crate::admin_pages::{form_html, saved};
use crate::support::*;

#[tokio::test]
async fn admins_set_the_retention_rule_on_its_page_and_see_its_last_run() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin/retention")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"retention-current\""), "{html}");
    assert!(
        !form_html(&html, "retention").contains("checked"),
        "off by default"
    );

    // No number of days: refused inline, the choice kept, nothing stored.
    let bad = form(
        &fx,
        &root,
        "/admin/retention",
        "enabled=on&closed_days=&mode=erase",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let kept = form_html(&bad.text(), "retention");
    assert!(kept.contains("role=\"alert\""), "{kept}");
    assert!(kept.contains("value=\"erase\" selected"), "{kept}");
    let uri = "/api/v1/settings/retention";
    assert_eq!(fx.get(uri, &fx.admin).await.json(), json!({"rule": null}));
    // Too many days: the library's refusal.
    let bad = form(
        &fx,
        &root,
        "/admin/retention",
        "enabled=on&closed_days=99999&mode=anonymise",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(form_html(&bad.text(), "retention").contains("value=\"99999\""));

    saved(
        &form(
            &fx,
            &root,
            "/admin/retention",
            "enabled=on&closed_days=1&mode=anonymise",
        )
        .await,
    );
    assert_eq!(
        fx.get(uri, &fx.admin).await.json(),
        json!({"rule": {"closed_days": 1, "mode": "anonymise"}})
    );

    // A closed ticket two days old: the next due work anonymises it; the page says so.
    let t = fx.open(&fx.ana, "Vechi").await;
    let id = t["id"].as_str().unwrap();
    fx.post(
        &format!("/api/v1/tickets/{id}/transitions"),
        &fx.ivan,
        json!({"command": "close", "resolution": "solved"}),
    )
    .await
    .expect(StatusCode::OK);
    fx.clock.advance(TimeDelta::days(2));
    let desk = fx.desk.as_ref().unwrap();
    desk.run_due(desk.now()).await.unwrap();
    let html = page(&fx, &root, "/admin/retention")
        .await
        .expect(StatusCode::OK)
        .text();
    let start = html.find("id=\"retention-last-run\"").unwrap();
    let last = &html[start..start + html[start..].find("</p>").unwrap()];
    assert!(last.contains("<strong>1</strong>"), "{last}");

    // Turned off again.
    saved(
        &form(
            &fx,
            &root,
            "/admin/retention",
            "closed_days=1&mode=anonymise",
        )
        .await,
    );
    assert_eq!(fx.get(uri, &fx.admin).await.json(), json!({"rule": null}));

    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, "/admin/retention")
        .await
        .expect(StatusCode::FORBIDDEN);
}
