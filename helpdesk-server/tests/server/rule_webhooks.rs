//! Rules that call a webhook (issue 22, item 1) through the JSON API and the rules page:
//! a `call_webhook` action naming no endpoint is refused on `endpoint`; one naming an
//! endpoint writes a `rule_fired` delivery each time the rule fires; the rules form offers
//! the endpoints to choose from and saves the choice. Every API answer is checked against
//! the OpenAPI document (`schema_check`).

use axum::http::StatusCode;
use serde_json::json;

use crate::admin_pages::saved;
use crate::routes::id_of;
use crate::support::*;

/// An endpoint that wants no ticket event: only the rules' calls reach it.
async fn endpoint(fx: &Fixture) -> String {
    let made = fx
        .post(
            "/api/v1/webhooks",
            &fx.admin,
            json!({"url": "https://hooks.example.com/crm", "events": ["availability_changed"],
                   "description": "CRM"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    id_of(&made["endpoint"])
}

#[tokio::test]
async fn a_rule_calls_a_webhook_each_time_it_fires_and_a_missing_endpoint_is_refused() {
    let fx = fixture().await;
    let refused = fx
        .post(
            "/api/v1/rules",
            &fx.admin,
            json!({"name": "CRM", "conditions": {"events": ["created"]},
                   "actions": [{"action": "call_webhook",
                                "endpoint": "00000000-0000-4000-8000-000000000000"}]}),
        )
        .await
        .expect(StatusCode::BAD_REQUEST)
        .json();
    assert_eq!(refused["error"]["field"], "endpoint", "{refused}");
    assert!(
        (fx.get("/api/v1/rules", &fx.admin).await)
            .items()
            .is_empty()
    );

    let hook = endpoint(&fx).await;
    let rule = fx
        .post(
            "/api/v1/rules",
            &fx.admin,
            json!({"name": "CRM", "conditions": {"events": ["created"]},
                   "actions": [{"action": "call_webhook", "endpoint": hook}]}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(rule["actions"][0]["endpoint"], json!(hook));
    let t = fx.open(&fx.ana, "Router is red").await;
    fx.open(&fx.ana, "And the printer").await;
    let sent = fx
        .get(&format!("/api/v1/webhooks/{hook}/deliveries"), &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|d| d["event"] == "rule_fired"));
    let payloads: Vec<serde_json::Value> = (sent.iter())
        .map(|d| serde_json::from_str(d["payload"].as_str().unwrap()).unwrap())
        .collect();
    assert!(
        payloads
            .iter()
            .any(|p| p["data"]["ticket"]["id"] == t["id"] && p["data"]["rule"]["id"] == rule["id"])
    );
}

#[tokio::test]
async fn the_rules_form_offers_the_endpoints_and_saves_the_call() {
    let fx = fixture().await;
    let hook = endpoint(&fx).await;
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin/rules")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        html.contains(&format!("value=\"call_webhook:{hook}\"")),
        "{html}"
    );
    assert!(html.contains("Call a webhook") && html.contains("Call CRM"));
    saved(
        &form(
            &fx,
            &root,
            "/admin/rules",
            &format!(
                "name=CRM&kind=trigger&active=on&event_created=on&action_0=call_webhook%3A{hook}"
            ),
        )
        .await,
    );
    let rules = fx.get("/api/v1/rules", &fx.admin).await.items();
    assert_eq!(
        rules[0]["actions"],
        json!([{"action": "call_webhook", "endpoint": hook}])
    );
}
