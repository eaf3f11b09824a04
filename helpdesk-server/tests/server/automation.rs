//! Triggers and macros (issue 22, items 1 and 3) through the JSON API: admins manage rules
//! and read their log, a rule fires on a new ticket, agents apply a macro with an outcome
//! per ticket. Every API answer is checked against the OpenAPI document (`schema_check`).

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

/// The routes tested here, each with a success and an error (with `routes::TESTED`).
pub(crate) const AUTOMATION_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/rules"),
    ("post", "/api/v1/rules"),
    ("put", "/api/v1/rules/{rule}"),
    ("delete", "/api/v1/rules/{rule}"),
    ("post", "/api/v1/rules/dry-run"),
    ("get", "/api/v1/rule-firings"),
    ("get", "/api/v1/macros"),
    ("post", "/api/v1/macros"),
    ("delete", "/api/v1/macros/{macro}"),
    ("post", "/api/v1/macros/{macro}/apply"),
    // Tested in `macro_pages.rs`.
    ("get", "/api/v1/macros/{macro}"),
    ("put", "/api/v1/macros/{macro}"),
];

#[tokio::test]
async fn admins_manage_rules_and_a_rule_fires_on_a_new_ticket() {
    let fx = fixture().await;
    let body = json!({
        "name": "Internet",
        "position": 1,
        "conditions": {"events": ["created"], "text": "internet"},
        "actions": [{"action": "add_tag", "tag": "network"}],
    });
    fx.post("/api/v1/rules", &fx.ivan, body.clone())
        .await
        .expect(StatusCode::FORBIDDEN);
    fx.post(
        "/api/v1/rules",
        &fx.admin,
        json!({"name": "x", "actions": []}),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
    let rule = fx
        .post("/api/v1/rules", &fx.admin, body)
        .await
        .expect(StatusCode::CREATED)
        .json();
    let id = rule["id"].as_str().unwrap().to_owned();
    let listed = fx
        .get("/api/v1/rules", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(listed.len(), 1);
    fx.get("/api/v1/rules", &fx.ivan)
        .await
        .expect(StatusCode::FORBIDDEN);

    let t = fx.open(&fx.ana, "Nu merge internetul").await;
    assert_eq!(t["tags"], json!(["network"]));
    let log = fx
        .get("/api/v1/rule-firings", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["rule"], json!(id));
    fx.get("/api/v1/rule-firings", &fx.ivan)
        .await
        .expect(StatusCode::FORBIDDEN);

    let found = fx
        .post(
            "/api/v1/rules/dry-run",
            &fx.admin,
            json!({"conditions": {"text": "internet"}}),
        )
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(found.len(), 1);
    fx.post(
        "/api/v1/rules/dry-run",
        &fx.admin,
        json!({"conditions": {"colour": "red"}}),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);

    let uri = format!("/api/v1/rules/{id}");
    let replaced = fx
        .call(
            "PUT",
            &uri,
            Some(&fx.admin),
            Some(json!({"name": "Internet", "active": false,
                        "actions": [{"action": "add_tag", "tag": "net"}]})),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(replaced["active"], json!(false));
    fx.call(
        "PUT",
        "/api/v1/rules/not-an-id",
        Some(&fx.admin),
        Some(json!({})),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
    fx.call("DELETE", &uri, Some(&fx.admin), None)
        .await
        .expect(StatusCode::NO_CONTENT);
    fx.call("DELETE", &uri, Some(&fx.admin), None)
        .await
        .expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_agent_applies_a_macro_with_an_outcome_per_ticket() {
    let fx = fixture().await;
    let body = json!({
        "name": "Check",
        "actions": [{"action": "add_tag", "tag": "checked"},
                    {"action": "add_note", "body": "Checked"}],
    });
    fx.post("/api/v1/macros", &fx.ivan, body.clone())
        .await
        .expect(StatusCode::FORBIDDEN);
    let m = fx
        .post("/api/v1/macros", &fx.admin, body)
        .await
        .expect(StatusCode::CREATED)
        .json();
    let id = m["id"].as_str().unwrap().to_owned();
    assert_eq!(
        fx.get("/api/v1/macros", &fx.ivan)
            .await
            .expect(StatusCode::OK)
            .items()
            .len(),
        1
    );
    fx.get("/api/v1/macros", &fx.ana)
        .await
        .expect(StatusCode::FORBIDDEN);
    let t = fx.open(&fx.ana, "Router").await;
    let ticket = t["id"].as_str().unwrap().to_owned();
    let apply = format!("/api/v1/macros/{id}/apply");
    let results = fx
        .post(&apply, &fx.ivan, json!({"tickets": [ticket]}))
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(results[0]["outcome"], json!("changed"));
    assert_eq!(results[0]["ticket_after"]["tags"], json!(["checked"]));
    fx.post(&apply, &fx.ivan, json!({"tickets": []}))
        .await
        .expect(StatusCode::BAD_REQUEST);
    let uri = format!("/api/v1/macros/{id}");
    fx.call("DELETE", &uri, Some(&fx.admin), None)
        .await
        .expect(StatusCode::NO_CONTENT);
    fx.call("DELETE", &uri, Some(&fx.admin), None)
        .await
        .expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn admins_add_scheduled_rules_that_refuse_events_and_dry_run_with_their_schedule() {
    let fx = fixture().await;
    let schedule = json!({"every_minutes": 60,
                          "unchanged_for": {"amount": 10, "unit": "business_days"}});
    let body = json!({
        "name": "Close stale",
        "conditions": {"statuses": ["pending_customer"]},
        "actions": [{"action": "add_note", "body": "Închis după zece zile"},
                    {"action": "close", "resolution": "unsolved"},
                    {"action": "notify", "to": "assignee"}],
        "schedule": schedule,
    });
    let rule = fx
        .post("/api/v1/rules", &fx.admin, body)
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(rule["schedule"], schedule);
    assert_eq!(
        rule["actions"][2],
        json!({"action": "notify", "to": "assignee"})
    );
    // A scheduled rule runs on time, never on events; a bad unit is refused.
    fx.post(
        "/api/v1/rules",
        &fx.admin,
        json!({"name": "Both", "conditions": {"events": ["created"]},
               "actions": [{"action": "add_tag", "tag": "x"}],
               "schedule": {"every_minutes": 5}}),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
    fx.post(
        "/api/v1/rules",
        &fx.admin,
        json!({"name": "Weeks", "actions": [{"action": "add_tag", "tag": "x"}],
               "schedule": {"every_minutes": 5, "unchanged_for": {"amount": 1, "unit": "weeks"}}}),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
    fx.open(&fx.ana, "Nou").await;
    let found = fx
        .post(
            "/api/v1/rules/dry-run",
            &fx.admin,
            json!({"conditions": {}, "schedule": schedule}),
        )
        .await
        .expect(StatusCode::OK)
        .items();
    assert!(found.is_empty(), "a ticket opened now is not ten days old");
    let listed = fx
        .get("/api/v1/rules", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(listed[0]["schedule"]["every_minutes"], json!(60));
}
