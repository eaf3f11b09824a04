//! Organisations through the API (issue 20): `PUT/GET /api/v1/customers/{customer}/domains`
//! (unique across organisations; a new person at one joins it) and
//! `/api/v1/customers/{customer}/organisation-tickets` (a member who sees the organisation's
//! tickets lists and reads them, public messages only).

use axum::http::StatusCode;
use helpdesk::domain::Email;
use serde_json::{Value, json};

use crate::routes::id_of;
use crate::support::*;

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
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bad.text()
    );
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
