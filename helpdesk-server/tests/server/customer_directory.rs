//! The customer directory through the API: `GET /api/v1/customers` without a look-up lists
//! customers by name with filters, a page at a time with the total; `PUT
//! /api/v1/customers/{customer}` edits one, refusing what the library refuses and writing
//! nothing then.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::routes::id_of;
use crate::support::*;

async fn put(fx: &Fixture, uri: &str, token: &str, body: Value) -> Reply {
    fx.call("PUT", uri, Some(token), Some(body)).await
}

/// Adds an organisation as the admin; its id.
async fn organisation(fx: &Fixture, name: &str) -> String {
    let body = json!({"kind": "organisation", "name": name});
    id_of(
        &fx.post("/api/v1/customers", &fx.admin, body)
            .await
            .expect(StatusCode::CREATED)
            .json(),
    )
}

fn names(reply: &Reply) -> Vec<String> {
    reply
        .items()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_directory_lists_customers_by_name_a_page_at_a_time_with_the_total() {
    let fx = fixture().await;
    let acme = organisation(&fx, "Acme SRL").await;
    // The fixture's three customers are named after their e-mails.
    let first = fx
        .get("/api/v1/customers?limit=2", &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(first.json()["total"], 4);
    assert_eq!(names(&first), ["Acme SRL", "ana@example.ro"]);
    let next = first.json()["next"].as_str().unwrap().to_owned();
    let second = fx
        .get(&format!("/api/v1/customers?limit=2&after={next}"), &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(names(&second), ["john@example.com", "zahra@example.ir"]);
    assert_eq!(
        (
            second.json()["total"].clone(),
            second.json()["next"].clone()
        ),
        (json!(4), Value::Null)
    );

    let orgs = fx
        .get("/api/v1/customers?kind=organisation", &fx.admin)
        .await
        .expect(StatusCode::OK);
    assert_eq!(names(&orgs), ["Acme SRL"]);
    let text = fx
        .get("/api/v1/customers?q=EXAMPLE.R", &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(names(&text), ["ana@example.ro"]);

    let ana = id_of(&text.items()[0]);
    put(
        &fx,
        &format!("/api/v1/customers/{ana}/access"),
        &fx.admin,
        json!({"enabled": false}),
    )
    .await
    .expect(StatusCode::OK);
    let disabled = fx
        .get("/api/v1/customers?access=false", &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(names(&disabled), ["ana@example.ro"]);
    put(
        &fx,
        &format!("/api/v1/customers/{ana}"),
        &fx.ivan,
        json!({"organisation": acme}),
    )
    .await
    .expect(StatusCode::OK);
    let members = fx
        .get(&format!("/api/v1/customers?organisation={acme}"), &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (names(&members), members.json()["total"].clone()),
        (vec!["ana@example.ro".to_owned()], json!(1))
    );
}

#[tokio::test]
async fn the_directory_is_refused_to_customers_and_bad_filters_are_400() {
    let fx = fixture().await;
    let denied = fx.get("/api/v1/customers?q=a", &fx.ana).await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    for bad in [
        "after=junk",
        "q=%20%20",
        "kind=robot",
        "access=maybe",
        "organisation=x",
    ] {
        let reply = fx.get(&format!("/api/v1/customers?{bad}"), &fx.ivan).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{bad}: {}",
            reply.text()
        );
    }
}

#[tokio::test]
async fn an_edit_changes_what_it_names_and_null_clears() {
    let fx = fixture().await;
    let acme = organisation(&fx, "Acme SRL").await;
    let found = fx
        .get("/api/v1/customers?email=john@example.com", &fx.ivan)
        .await
        .expect(StatusCode::OK);
    let john = id_of(&found.items()[0]);
    let uri = format!("/api/v1/customers/{john}");
    let edited = put(
        &fx,
        &uri,
        &fx.ivan,
        json!({"name": "John Smith", "phone": "+44 20 7946 0958", "contract_number": "UK-1",
               "address": "10 Downing St", "language": "ro", "organisation": acme}),
    )
    .await
    .expect(StatusCode::OK)
    .json();
    assert_eq!(edited["name"], "John Smith");
    assert_eq!(edited["email"], "john@example.com", "left out, kept");
    assert_eq!(edited["organisation"], acme.as_str());
    assert_eq!(edited["language"], "ro");
    let cleared = put(
        &fx,
        &uri,
        &fx.admin,
        json!({"organisation": null, "phone": null}),
    )
    .await
    .expect(StatusCode::OK)
    .json();
    assert_eq!(
        (cleared["organisation"].clone(), cleared["phone"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(cleared["contract_number"], "UK-1");
    let read = fx.get(&uri, &fx.ivan).await.expect(StatusCode::OK).json();
    assert_eq!(read, cleared);
}

#[tokio::test]
async fn refused_edits_are_typed_and_write_nothing() {
    let fx = fixture().await;
    let acme = organisation(&fx, "Acme SRL").await;
    let found = fx
        .get("/api/v1/customers?email=john@example.com", &fx.ivan)
        .await
        .expect(StatusCode::OK);
    let john = id_of(&found.items()[0]);
    let ana = id_of(
        &fx.get("/api/v1/customers?email=ana@example.ro", &fx.ivan)
            .await
            .expect(StatusCode::OK)
            .items()[0],
    );
    let uri = format!("/api/v1/customers/{john}");
    let before = fx.get(&uri, &fx.ivan).await.expect(StatusCode::OK).json();
    let cases = [
        (
            json!({"name": "X", "email": "ana@example.ro"}),
            StatusCode::CONFLICT,
            "conflict",
        ),
        (
            json!({"name": "X", "organisation": ana}),
            StatusCode::BAD_REQUEST,
            "validation",
        ),
        (
            json!({"name": "X", "organisation": "00000000-0000-0000-0000-000000000001"}),
            StatusCode::BAD_REQUEST,
            "validation",
        ),
        (json!({"name": ""}), StatusCode::BAD_REQUEST, "validation"),
        (
            json!({"name": "X", "colour": "red"}),
            StatusCode::BAD_REQUEST,
            "validation",
        ),
    ];
    for (body, status, code) in cases {
        let reply = put(&fx, &uri, &fx.ivan, body.clone()).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], code, "{body}");
        let after = fx.get(&uri, &fx.ivan).await.expect(StatusCode::OK).json();
        assert_eq!(after, before, "nothing written for {body}");
    }
    // An organisation belongs to none.
    let reply = put(
        &fx,
        &format!("/api/v1/customers/{acme}"),
        &fx.admin,
        json!({"organisation": acme}),
    )
    .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "validation");
    let denied = put(&fx, &uri, &fx.john, json!({"name": "Me"})).await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    let missing = put(
        &fx,
        "/api/v1/customers/00000000-0000-0000-0000-000000000001",
        &fx.admin,
        json!({"name": "Nobody"}),
    )
    .await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_person_is_added_in_an_organisation_and_a_person_is_no_organisation() {
    let fx = fixture().await;
    let acme = organisation(&fx, "Acme SRL").await;
    let ion = fx
        .post(
            "/api/v1/customers",
            &fx.ivan,
            json!({"kind": "individual", "name": "Ion Acme", "organisation": acme}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(ion["organisation"], acme.as_str());
    let ion_id = ion["id"].as_str().unwrap();
    let refused = fx
        .post(
            "/api/v1/customers",
            &fx.ivan,
            json!({"kind": "individual", "name": "Into Ion", "organisation": ion_id}),
        )
        .await
        .expect(StatusCode::BAD_REQUEST)
        .json();
    assert!(refused.to_string().contains("organisation"), "{refused}");
}
