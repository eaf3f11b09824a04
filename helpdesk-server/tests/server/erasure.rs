//! Erasure and anonymisation through the API (issue 22): `POST
//! /api/v1/customers/{customer}/erase` (admins), `GET /api/v1/erasures`, and the retention
//! rule at `/api/v1/settings/retention`.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

/// The routes these tests call, each with a success and an error.
pub(crate) const ERASURE_TESTED: &[(&str, &str)] = &[
    ("post", "/api/v1/customers/{customer}/erase"),
    ("get", "/api/v1/erasures"),
    ("get", "/api/v1/settings/retention"),
    ("put", "/api/v1/settings/retention"),
];

async fn customer_id(fx: &Fixture, email: &str) -> String {
    let desk = fx.desk.as_ref().unwrap();
    let email = helpdesk::domain::Email::parse(email).unwrap();
    desk.as_system()
        .find_customers(&helpdesk::search::CustomerLookup::Email(email))
        .await
        .unwrap()[0]
        .id
        .to_string()
}

async fn found(fx: &Fixture, q: &str) -> usize {
    let reply = fx
        .get(&format!("/api/v1/tickets?q={q}"), &fx.admin)
        .await
        .expect(StatusCode::OK);
    reply.json()["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn an_admin_erases_a_customer_and_the_audit_keeps_no_data() {
    let fx = fixture().await;
    let body =
        json!({"subject": "Quokkafjord router", "department": fx.support, "body": "quokkafjord"});
    fx.post("/api/v1/tickets", &fx.ana, body)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(found(&fx, "quokkafjord").await, 1);
    let ana = customer_id(&fx, "ana@example.ro").await;
    let uri = format!("/api/v1/customers/{ana}/erase");
    let refused = fx.post(&uri, &fx.ivan, json!({"mode": "erase"})).await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    let bad = fx.post(&uri, &fx.admin, json!({"mode": "shred"})).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let unknown = fx
        .post(
            "/api/v1/customers/01a24eef-e712-73c0-8bef-5820b90e66ac/erase",
            &fx.admin,
            json!({"mode": "erase"}),
        )
        .await;
    assert_error(&unknown, StatusCode::NOT_FOUND, "not_found");
    let done = fx
        .post(&uri, &fx.admin, json!({"mode": "erase"}))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(
        (
            &done["mode"],
            &done["cause"],
            &done["tickets"],
            &done["customer"]
        ),
        (&json!("erase"), &json!("request"), &json!(1), &json!(true))
    );
    assert_eq!(found(&fx, "quokkafjord").await, 0);
    let trail = fx
        .get("/api/v1/erasures", &fx.admin)
        .await
        .expect(StatusCode::OK);
    assert_eq!(trail.json()["items"], json!([done]));
    let text = trail.json().to_string();
    assert!(
        !text.contains("ana") && !text.contains("quokkafjord"),
        "{text}"
    );
    let other = fx.get("/api/v1/erasures", &fx.ivan).await;
    assert_error(&other, StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn an_admin_sets_the_retention_rule_which_is_off_by_default() {
    let fx = fixture().await;
    let uri = "/api/v1/settings/retention";
    let shown = fx.get(uri, &fx.admin).await.expect(StatusCode::OK);
    assert_eq!(shown.json(), json!({"rule": null}));
    let rule = json!({"rule": {"closed_days": 365, "mode": "anonymise"}});
    let set = fx
        .call("PUT", uri, Some(&fx.admin), Some(rule.clone()))
        .await
        .expect(StatusCode::OK);
    assert_eq!(set.json(), rule);
    let zero = json!({"rule": {"closed_days": 0, "mode": "erase"}});
    let bad = fx.call("PUT", uri, Some(&fx.admin), Some(zero)).await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    let agent = fx.get(uri, &fx.ivan).await;
    assert_error(&agent, StatusCode::FORBIDDEN, "forbidden");
    let off = fx
        .call("PUT", uri, Some(&fx.admin), Some(json!({"rule": null})))
        .await
        .expect(StatusCode::OK);
    assert_eq!(off.json(), json!({"rule": null}));
    let _: Value = fx.get(uri, &fx.admin).await.json();
}

#[tokio::test]
async fn the_admin_page_anonymises_a_customer_behind_a_confirmation() {
    use crate::admin_pages::{form_html, saved};
    let fx = fixture().await;
    let ana = customer_id(&fx, "ana@example.ro").await;
    let root = page_login(&fx, "root@example.com").await;
    let uri = format!("/admin/customers/{ana}");
    let html = page(&fx, &root, &uri).await.expect(StatusCode::OK).text();
    let part = form_html(&html, "customer-erase");
    assert!(
        part.contains("Anonymise (keep the tickets for reports)"),
        "{part}"
    );
    // Without the box ticked nothing happens.
    let unconfirmed = form(&fx, &root, &format!("{uri}/erase"), "mode=erase").await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    assert!(
        fx.get(&format!("/api/v1/customers/{ana}"), &fx.admin)
            .await
            .status
            == StatusCode::OK
    );
    saved(
        &form(
            &fx,
            &root,
            &format!("{uri}/erase"),
            "mode=anonymise&confirm=on",
        )
        .await,
    );
    let kept = fx
        .get(&format!("/api/v1/customers/{ana}"), &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(kept["name"], "anonymised");
    assert!(kept.get("email").is_none_or(Value::is_null), "{kept}");
    let html = page(&fx, &root, &uri).await.expect(StatusCode::OK).text();
    assert!(
        html.contains("This customer has been anonymised."),
        "{html}"
    );
}
