//! Organisations through the API (issue 20): `PUT/GET /api/v1/customers/{customer}/domains`
//! (unique across organisations; a new person at one joins it) and
//! `/api/v1/customers/{customer}/organisation-tickets` (a member who sees the organisation's
//! tickets lists and reads them, public messages only).

use axum::http::StatusCode;
use helpdesk::domain::Email;
use serde_json::{Value, json};

use crate::routes::id_of;
use crate::support::*;

/// The routes these tests call, each with a success and an error.
pub(crate) const ORGANISATIONS_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/customers/{customer}/domains"),
    ("put", "/api/v1/customers/{customer}/domains"),
    ("get", "/api/v1/customers/{customer}/organisation-tickets"),
    ("put", "/api/v1/customers/{customer}/organisation-tickets"),
];

async fn put(fx: &Fixture, uri: &str, token: &str, body: Value) -> Reply {
    fx.call("PUT", uri, Some(token), Some(body)).await
}

async fn organisation(fx: &Fixture, name: &str) -> String {
    let body = json!({"kind": "organisation", "name": name});
    id_of(
        &fx.post("/api/v1/customers", &fx.admin, body)
            .await
            .expect(StatusCode::CREATED)
            .json(),
    )
}

async fn customer_id(fx: &Fixture, email: &str) -> String {
    let desk = fx.desk.as_ref().unwrap();
    let email = Email::parse(email).unwrap();
    desk.as_system()
        .find_customers(&helpdesk::search::CustomerLookup::Email(email))
        .await
        .unwrap()[0]
        .id
        .to_string()
}

#[tokio::test]
async fn domains_are_stored_unique_and_a_new_person_at_one_joins_the_organisation() {
    let fx = fixture().await;
    let acme = organisation(&fx, "Acme SRL").await;
    let uri = format!("/api/v1/customers/{acme}/domains");
    let set = put(
        &fx,
        &uri,
        &fx.ivan,
        json!({"domains": ["Acme.example", "acme.ro"]}),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(set.json(), json!({"domains": ["acme.example", "acme.ro"]}));
    let shown = fx.get(&uri, &fx.admin).await.expect(StatusCode::OK);
    assert_eq!(shown.json(), set.json());
    let other = organisation(&fx, "Other SRL").await;
    let taken = put(
        &fx,
        &format!("/api/v1/customers/{other}/domains"),
        &fx.admin,
        json!({"domains": ["acme.ro"]}),
    )
    .await;
    assert_error(&taken, StatusCode::CONFLICT, "conflict");
    let bad = put(&fx, &uri, &fx.admin, json!({"domains": ["not a domain"]})).await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    assert_eq!(bad.json()["error"]["field"], "domain");
    // Nothing changed.
    assert_eq!(fx.get(&uri, &fx.admin).await.json(), set.json());
    let customer = fx.get(&uri, &fx.ana).await;
    assert_eq!(
        customer.status,
        StatusCode::FORBIDDEN,
        "{}",
        customer.text()
    );

    let ion = fx
        .post(
            "/api/v1/customers",
            &fx.admin,
            json!({"kind": "individual", "name": "Ion", "email": "ion@acme.ro"}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(ion.json()["organisation"], json!(acme));
}

#[tokio::test]
async fn a_member_with_the_flag_lists_and_reads_the_organisations_tickets() {
    let fx = fixture().await;
    let acme = organisation(&fx, "Acme SRL").await;
    let (ana, john) = (
        customer_id(&fx, "ana@example.ro").await,
        customer_id(&fx, "john@example.com").await,
    );
    for member in [&ana, &john] {
        put(
            &fx,
            &format!("/api/v1/customers/{member}"),
            &fx.ivan,
            json!({"organisation": acme}),
        )
        .await
        .expect(StatusCode::OK);
    }
    let johns = fx.open(&fx.john, "Imprimanta nu merge").await;
    let ticket = johns["id"].as_str().unwrap().to_owned();
    let flag = format!("/api/v1/customers/{ana}/organisation-tickets");
    let off = fx.get(&flag, &fx.ana).await.expect(StatusCode::OK);
    assert_eq!(off.json(), json!({"sees": false}));
    // Another customer's flag is not hers to read.
    let johns_flag = format!("/api/v1/customers/{john}/organisation-tickets");
    let other = fx.get(&johns_flag, &fx.ana).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.text());
    let hidden = fx.get(&format!("/api/v1/tickets/{ticket}"), &fx.ana).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    // Customers may not set it.
    let refused = put(&fx, &flag, &fx.ana, json!({"sees": true})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());

    let on = put(&fx, &flag, &fx.ivan, json!({"sees": true}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(on.json(), json!({"sees": true}));
    let listed = fx
        .get("/api/v1/tickets", &fx.ana)
        .await
        .expect(StatusCode::OK);
    let ids: Vec<Value> = listed.items().iter().map(|t| t["id"].clone()).collect();
    assert_eq!(ids, [json!(ticket)]);
    fx.get(&format!("/api/v1/tickets/{ticket}"), &fx.ana)
        .await
        .expect(StatusCode::OK);
    fx.post(
        &format!("/api/v1/tickets/{ticket}/messages"),
        &fx.ana,
        json!({"body": "La fel și la mine."}),
    )
    .await
    .expect(StatusCode::CREATED);
    // John, without the flag, still sees only his own.
    let mine = fx
        .get("/api/v1/tickets", &fx.john)
        .await
        .expect(StatusCode::OK);
    assert_eq!(mine.items().len(), 1);
}

#[tokio::test]
async fn the_admin_page_sets_an_organisations_domains_and_a_members_flag() {
    use crate::admin_pages::{enc, form_html, saved};
    let fx = fixture().await;
    let acme = organisation(&fx, "Acme SRL").await;
    let ana = customer_id(&fx, "ana@example.ro").await;
    let root = page_login(&fx, "root@example.com").await;
    let org_page = format!("/admin/customers/{acme}");
    let html = page(&fx, &root, &org_page)
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("Mail domains (comma-separated)"), "{html}");
    saved(
        &form(
            &fx,
            &root,
            &format!("{org_page}/domains"),
            &format!("domains={}", enc("acme.example, Acme.ro")),
        )
        .await,
    );
    let stored = fx
        .get(&format!("/api/v1/customers/{acme}/domains"), &fx.admin)
        .await
        .json();
    assert_eq!(stored, json!({"domains": ["acme.example", "acme.ro"]}));
    // A malformed one: refused inline with what was typed, nothing written.
    let bad = form(
        &fx,
        &root,
        &format!("{org_page}/domains"),
        &format!("domains={}", enc("acme.example, bad domain")),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
    let refused = form_html(&bad.text(), "customer-domains");
    assert!(refused.contains("acme.example, bad domain"), "{refused}");
    assert_eq!(
        fx.get(&format!("/api/v1/customers/{acme}/domains"), &fx.admin)
            .await
            .json(),
        stored
    );

    // A member: the box, ticked and saved.
    put(
        &fx,
        &format!("/api/v1/customers/{ana}"),
        &fx.admin,
        json!({"organisation": acme}),
    )
    .await
    .expect(StatusCode::OK);
    let member_page = format!("/admin/customers/{ana}");
    let html = page(&fx, &root, &member_page)
        .await
        .expect(StatusCode::OK)
        .text();
    let flag = form_html(&html, "customer-organisation-tickets");
    assert!(flag.contains("Sees all of the organisation"), "{flag}");
    saved(
        &form(
            &fx,
            &root,
            &format!("{member_page}/organisation-tickets"),
            "sees=on",
        )
        .await,
    );
    let sees = fx
        .get(
            &format!("/api/v1/customers/{ana}/organisation-tickets"),
            &fx.admin,
        )
        .await
        .json();
    assert_eq!(sees, json!({"sees": true}));
}
