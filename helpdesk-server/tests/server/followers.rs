//! Followers and CC (issue 20, item 3) through the JSON API and the pages: CC addresses
//! added and removed by the ticket's customer and staff, agents following tickets, and a
//! mention's notification with its typed kind. Every API answer is checked against the
//! OpenAPI document (`schema_check`).

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

/// The routes tested here, each with a success and an error (with `routes::TESTED`).
pub(crate) const FOLLOWERS_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/tickets/{ticket}/cc"),
    ("post", "/api/v1/tickets/{ticket}/cc"),
    ("delete", "/api/v1/tickets/{ticket}/cc"),
    ("get", "/api/v1/tickets/{ticket}/followers"),
    ("put", "/api/v1/tickets/{ticket}/follow"),
    ("delete", "/api/v1/tickets/{ticket}/follow"),
    ("get", "/api/v1/followed-tickets"),
];

fn id(ticket: &serde_json::Value) -> String {
    ticket["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_customer_and_staff_change_cc_and_an_invalid_address_is_a_typed_error() {
    let fx = fixture().await;
    let t = id(&fx.open(&fx.ana, "Routerul nu merge").await);
    let cc = format!("/api/v1/tickets/{t}/cc");

    let added = fx
        .post(
            &cc,
            &fx.ana,
            json!({"addresses": ["Bogdan@Partner.example"]}),
        )
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(added, vec![json!("bogdan@partner.example")]);
    let added = fx
        .post(
            &cc,
            &fx.ivan,
            json!({"addresses": ["carla@partner.example"]}),
        )
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(added.len(), 2);
    // An invalid address: a validation error on `cc`, nothing added.
    let bad = fx
        .post(
            &cc,
            &fx.ana,
            json!({"addresses": ["dan@partner.example", "no address"]}),
        )
        .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    // Someone else's ticket, or an agent of another department: not found.
    let refused = fx
        .post(&cc, &fx.john, json!({"addresses": ["x@partner.example"]}))
        .await;
    assert_error(&refused, StatusCode::NOT_FOUND, "not_found");
    let refused = fx.get(&cc, &fx.maria).await;
    assert_error(&refused, StatusCode::NOT_FOUND, "not_found");

    let removed = fx
        .call(
            "DELETE",
            &format!("{cc}?address=bogdan%40partner.example"),
            Some(&fx.ana),
            None,
        )
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(removed, vec![json!("carla@partner.example")]);
    let refused = fx
        .call("DELETE", &format!("{cc}?address=nope"), Some(&fx.ana), None)
        .await;
    assert_error(&refused, StatusCode::BAD_REQUEST, "validation");
    let listed = fx.get(&cc, &fx.ana).await.expect(StatusCode::OK).items();
    assert_eq!(listed, vec![json!("carla@partner.example")]);
}

#[tokio::test]
async fn agents_follow_tickets_are_told_of_mentions_and_customers_see_no_followers() {
    let fx = fixture().await;
    let t = id(&fx.open(&fx.ana, "Camera 12").await);
    let follow = format!("/api/v1/tickets/{t}/follow");

    let followers = fx
        .call("PUT", &follow, Some(&fx.ivan), None)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(followers, vec![json!(fx.ivan_id)]);
    let mine = fx
        .get("/api/v1/followed-tickets", &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(mine, vec![json!(t)]);
    let listed = fx
        .get(&format!("/api/v1/tickets/{t}/followers"), &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(listed, vec![json!(fx.ivan_id)]);

    // Customers neither follow nor see followers; Maria may not read support tickets.
    for refused in [
        fx.call("PUT", &follow, Some(&fx.ana), None).await,
        fx.get(&format!("/api/v1/tickets/{t}/followers"), &fx.ana)
            .await,
        fx.get("/api/v1/followed-tickets", &fx.ana).await,
    ] {
        assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    }
    let refused = fx.call("DELETE", &follow, Some(&fx.maria), None).await;
    assert_error(&refused, StatusCode::NOT_FOUND, "not_found");

    let left = fx
        .call("DELETE", &follow, Some(&fx.ivan), None)
        .await
        .expect(StatusCode::OK)
        .items();
    assert!(left.is_empty());

    // The admin's note mentions Ivan: a `mention` notification, typed in the document.
    fx.post(
        &format!("/api/v1/tickets/{t}/messages"),
        &fx.admin,
        json!({"body": "@Ivan te rog verifică", "internal": true}),
    )
    .await
    .expect(StatusCode::CREATED);
    let told = fx
        .get("/api/v1/notifications", &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .items();
    assert!(
        told.iter().any(|n| n["kind"]["kind"] == "mention"),
        "{told:?}"
    );
    let kinds = &fx.openapi().await["components"]["schemas"]["NotificationKind"];
    assert!(kinds.to_string().contains("\"mention\""), "{kinds}");
    assert!(kinds.to_string().contains("\"status_changed\""), "{kinds}");
}

#[tokio::test]
async fn the_ticket_page_shows_cc_and_followers_with_their_forms() {
    let fx = fixture().await;
    let t = id(&fx.open(&fx.ana, "Camera 12").await);
    let ana = page_login(&fx, "ana@example.ro").await;
    let ivan = page_login(&fx, "ivan@example.com").await;

    let added = form(
        &fx,
        &ana,
        &format!("/tickets/{t}/cc"),
        "action=add&address=bogdan%40partner.example",
    )
    .await;
    assert!(added.status.is_redirection(), "{}", added.status);
    let html = page(&fx, &ana, &format!("/tickets/{t}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"cc\""), "{html}");
    assert!(html.contains("bogdan@partner.example"), "{html}");
    assert!(
        !html.contains("id=\"followers\""),
        "customers see no followers"
    );

    // A refused address comes back beside the form, in her language.
    let refused = form(
        &fx,
        &ana,
        &format!("/tickets/{t}/cc"),
        "action=add&address=nope",
    )
    .await;
    let back = refused.headers["location"].to_str().unwrap().to_owned();
    assert!(back.contains("cc_refused=validation"), "{back}");
    let html = page(&fx, &ana, &back).await.expect(StatusCode::OK).text();
    assert!(html.contains("id=\"cc-error\""), "{html}");
    assert!(html.contains("CC-ul nu a fost schimbat"), "{html}");

    let followed = form(&fx, &ivan, &format!("/tickets/{t}/follow"), "action=follow").await;
    assert!(followed.status.is_redirection(), "{}", followed.status);
    let html = page(&fx, &ivan, &format!("/tickets/{t}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"followers\""), "{html}");
    assert!(html.contains("value=\"unfollow\""), "{html}");

    let removed = form(
        &fx,
        &ivan,
        &format!("/tickets/{t}/cc"),
        "action=remove&address=bogdan%40partner.example",
    )
    .await;
    assert!(removed.status.is_redirection(), "{}", removed.status);
    let html = page(&fx, &ana, &format!("/tickets/{t}")).await.text();
    assert!(!html.contains("bogdan@partner.example"), "{html}");
}
