//! The search box over the API (issue 20): other forms of a word, a ticket by its number in
//! any digit script, a customer's tickets by e-mail; and the desk's default phone region,
//! an admin setting (API and admin page). Every response is checked against the OpenAPI
//! document by the fixture.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn the_search_route_finds_word_forms_numbers_and_customers() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Facturile nu au sosit").await;
    let id = ticket["id"].clone();
    let short = ticket["number"]["short"].as_str().unwrap().to_owned();
    let persian: String = short
        .chars()
        .map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap()).unwrap())
        .collect();
    for q in [
        "factura",
        "facturii",
        short.as_str(),
        persian.as_str(),
        "ana@example.ro",
    ] {
        let uri = format!("/api/v1/tickets?q={}", urlencode(q));
        let found = fx.get(&uri, &fx.admin).await.expect(StatusCode::OK);
        let ids: Vec<_> = found.items().iter().map(|t| t["id"].clone()).collect();
        assert_eq!(ids, std::slice::from_ref(&id), "{q:?}");
    }
    // Customers get no look-up of the directory: an e-mail is only text to them.
    let uri = format!("/api/v1/tickets?q={}", urlencode("ana@example.ro"));
    let theirs = fx.get(&uri, &fx.ana).await.expect(StatusCode::OK);
    assert!(theirs.items().is_empty());
}

#[tokio::test]
async fn admins_set_the_default_phone_region_over_the_api_and_the_admin_page() {
    let fx = fixture().await;
    let put = |token: String, body: serde_json::Value| {
        let fx = &fx;
        async move {
            fx.call("PUT", "/api/v1/settings", Some(&token), Some(body))
                .await
        }
    };
    let set = put(fx.admin.clone(), json!({"phone_region": "ro"}))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(set, json!({"public_url": null, "phone_region": "RO"}));
    let bad = put(fx.admin.clone(), json!({"phone_region": "Romania"})).await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    assert_eq!(bad.json()["error"]["field"], "phone_region");
    let shown = fx.get("/api/v1/settings", &fx.admin).await.json();
    assert_eq!(
        shown["phone_region"], "RO",
        "a refused change changes nothing"
    );
    let refused = put(fx.ivan.clone(), json!({"phone_region": "RU"})).await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");

    // The admin page shows it, and an empty field unsets it.
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("name=\"phone_region\"") && html.contains("value=\"RO\""));
    form(&fx, &root, "/admin/settings", "public_url=&phone_region=")
        .await
        .expect(StatusCode::SEE_OTHER);
    let shown = fx.get("/api/v1/settings", &fx.admin).await.json();
    assert_eq!(shown, json!({"public_url": null}));
    let bad = form(&fx, &root, "/admin/settings", "public_url=&phone_region=zz").await;
    assert!(bad.text().contains("phone_region"), "{}", bad.text());
}

/// `q` percent-encoded for a query string.
fn urlencode(q: &str) -> String {
    percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC).to_string()
}
