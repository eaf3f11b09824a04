//! Priority rules kept in the store, through the API (issue 20):
//! `GET /api/v1/settings/priority-rules`, `PUT`/`DELETE /api/v1/settings/priority-rules/{name}`.
//! A stored rule decides the priority of the new tickets of the organisation and its members;
//! bad rules are refused on their field and nothing is written; only admins reach them.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::routes::id_of;
use crate::support::*;

/// The routes these tests call, each with a success and an error.
pub(crate) const PRIORITY_RULES_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/settings/priority-rules"),
    ("put", "/api/v1/settings/priority-rules/{name}"),
    ("delete", "/api/v1/settings/priority-rules/{name}"),
];

async fn put(fx: &Fixture, uri: &str, token: &str, body: Value) -> Reply {
    fx.call("PUT", uri, Some(token), Some(body)).await
}

#[tokio::test]
async fn a_stored_priority_rule_decides_the_new_tickets_of_an_organisation_and_its_members() {
    let fx = fixture().await;
    let acme = id_of(
        &fx.post(
            "/api/v1/customers",
            &fx.admin,
            json!({"kind": "organisation", "name": "Acme SRL"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json(),
    );
    let ana = id_of(
        &fx.get("/api/v1/customers?email=ana@example.ro", &fx.ivan)
            .await
            .expect(StatusCode::OK)
            .items()[0],
    );
    put(
        &fx,
        &format!("/api/v1/customers/{ana}"),
        &fx.ivan,
        json!({"organisation": acme}),
    )
    .await
    .expect(StatusCode::OK);
    let uri = "/api/v1/settings/priority-rules";
    let empty = fx.get(uri, &fx.admin).await.expect(StatusCode::OK).json();
    assert_eq!(empty, json!({"rules": []}));

    // Refused on the field at fault, and nothing written.
    let cases = [
        (
            json!({"organisations": [ana], "initial": "urgent"}),
            "organisations",
        ),
        (
            json!({"organisations": [], "initial": "urgent"}),
            "organisations",
        ),
        (
            json!({"organisations": [acme], "initial": "urgent", "ceiling": "high"}),
            "ceiling",
        ),
    ];
    for (body, field) in cases {
        let bad = put(&fx, &format!("{uri}/vip"), &fx.admin, body).await;
        assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
        assert_eq!(bad.json()["error"]["field"], field, "{}", bad.json());
    }
    let unknown = put(
        &fx,
        &format!("{uri}/vip"),
        &fx.admin,
        json!({"organisations": [acme], "initial": "loudest"}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let forbidden = put(
        &fx,
        &format!("{uri}/vip"),
        &fx.ivan,
        json!({"organisations": [acme], "initial": "urgent"}),
    )
    .await;
    assert_error(&forbidden, StatusCode::FORBIDDEN, "forbidden");
    assert_error(
        &fx.get(uri, &fx.ana).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_eq!(fx.get(uri, &fx.admin).await.json(), empty);

    let stored = put(
        &fx,
        &format!("{uri}/vip"),
        &fx.admin,
        json!({"organisations": [acme], "initial": "urgent"}),
    )
    .await
    .expect(StatusCode::OK)
    .json();
    assert_eq!(
        stored,
        json!({"rules": [{"name": "vip", "organisations": [acme], "initial": "urgent"}]})
    );
    assert_eq!(fx.get(uri, &fx.admin).await.json(), stored);

    // Ana, a member, asks for low and gets the rule's urgent.
    let opened = fx
        .post(
            "/api/v1/tickets",
            &fx.ana,
            json!({"subject": "Internet down", "body": "Tot biroul e fără internet.",
                   "department": fx.support, "priority": "low"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(opened["priority"], "urgent", "{opened}");
    // So does the organisation's own ticket, opened by an agent.
    let by_agent = fx
        .post(
            "/api/v1/tickets",
            &fx.ivan,
            json!({"subject": "Factura", "body": "Factura lipsește.", "department": fx.support,
                   "customer": acme, "channel": "phone"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(by_agent["priority"], "urgent", "{by_agent}");

    // Removed: the usual rules again (an individual at most normal).
    let missing = fx
        .call("DELETE", &format!("{uri}/nothing"), Some(&fx.admin), None)
        .await;
    assert_error(&missing, StatusCode::BAD_REQUEST, "validation");
    let left = fx
        .call("DELETE", &format!("{uri}/vip"), Some(&fx.admin), None)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(left, empty);
    let after = fx
        .post(
            "/api/v1/tickets",
            &fx.ana,
            json!({"subject": "Again", "body": "Iar nu merge.", "department": fx.support,
                   "priority": "urgent"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(after["priority"], "normal", "{after}");
}

#[tokio::test]
async fn the_organisation_page_sets_and_removes_its_priority_rule_with_refusals_inline() {
    use crate::admin_pages::{enc, form_html, saved};
    let fx = fixture().await;
    let acme = id_of(
        &fx.post(
            "/api/v1/customers",
            &fx.admin,
            json!({"kind": "organisation", "name": "Acme SRL"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json(),
    );
    let root = page_login(&fx, "root@example.com").await;
    let org_page = format!("/admin/customers/{acme}");
    let html = page(&fx, &root, &org_page)
        .await
        .expect(StatusCode::OK)
        .text();
    let part = form_html(&html, "customer-priority-rule");
    assert!(part.contains("Priority of new tickets"), "{part}");
    assert!(
        !html.contains("customer-priority-rule-delete"),
        "nothing to remove yet"
    );
    let uri = "/api/v1/settings/priority-rules";
    // A ceiling below the initial priority: refused inline, what was typed kept.
    let bad = form(
        &fx,
        &root,
        &format!("{org_page}/priority-rule"),
        &format!("name={}&initial=urgent&ceiling=low", enc("Acme VIP")),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
    let refused = form_html(&bad.text(), "customer-priority-rule");
    assert!(refused.contains("Acme VIP"), "{refused}");
    assert_eq!(
        fx.get(uri, &fx.admin).await.json(),
        json!({"rules": []}),
        "nothing written"
    );
    saved(
        &form(
            &fx,
            &root,
            &format!("{org_page}/priority-rule"),
            &format!("name={}&initial=urgent&ceiling=", enc("Acme VIP")),
        )
        .await,
    );
    assert_eq!(
        fx.get(uri, &fx.admin).await.json(),
        json!({"rules": [{"name": "Acme VIP", "organisations": [acme], "initial": "urgent"}]})
    );
    let html = page(&fx, &root, &org_page)
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("customer-priority-rule-delete"), "{html}");
    saved(
        &form(
            &fx,
            &root,
            &format!("{org_page}/priority-rule/delete"),
            "confirm=on",
        )
        .await,
    );
    assert_eq!(fx.get(uri, &fx.admin).await.json(), json!({"rules": []}));
}
