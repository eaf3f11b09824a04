//! HTML and script in every field, metacharacters in every filter, huge page sizes.

use axum::http::StatusCode;
use serde_json::json;

use super::*;

/// Whether `html` shows hostile markup raw.
fn unescaped(html: &str) -> bool {
    html.contains("<script>alert") || html.contains("<img src=x")
}

#[tokio::test]
async fn html_and_script_in_every_field_are_escaped_on_every_page() {
    let d = desk(helpdesk_server::Options::default(), true).await;
    let ticket = d
        .open(&d.ana, &format!("Subject {XSS}"), &format!("Body {XSS}"))
        .await;
    let id = ticket["id"].as_str().unwrap().to_owned();
    let messages = format!("/api/v1/tickets/{id}/messages");
    d.post(&messages, &d.ivan, json!({"body": format!("Reply {XSS}")}))
        .await
        .expect(StatusCode::CREATED);
    d.post(
        &messages,
        &d.ivan,
        json!({"body": format!("Note {XSS}"), "internal": true}),
    )
    .await
    .expect(StatusCode::CREATED);
    d.put(
        &format!("/api/v1/agents/{}/signature", d.ivan_id),
        &d.admin,
        json!({"signature": format!("Sig {XSS}")}),
    )
    .await
    .expect(StatusCode::OK);
    d.post("/api/v1/kb/categories", &d.admin, json!({"name": "xss"}))
        .await
        .expect(StatusCode::CREATED);
    d.post(
        "/api/v1/kb/articles",
        &d.ivan,
        json!({
            "title": format!("Article {XSS}"),
            "body": format!("Article body {XSS}"),
            "category": "xss",
            "language": "en",
        }),
    )
    .await
    .expect(StatusCode::CREATED);
    let fields: [(&str, &[u8]); 1] = [("body", b"a file with a hostile name")];
    d.multipart(
        &messages,
        &d.ivan,
        &fields,
        &[("<script>alert('f')</script>.txt", "text/plain", b"x")],
    )
    .await
    .expect(StatusCode::CREATED);
    let log = json!({"command": "log_time", "minutes": 5, "billable": true, "note": format!("Time {XSS}")});
    d.post(&format!("/api/v1/tickets/{id}/commands"), &d.ivan, log)
        .await
        .expect(StatusCode::OK);

    let q = encode(XSS.as_bytes());
    let pages = [
        ("ana@example.ro", "/portal".to_owned()),
        ("ana@example.ro", format!("/tickets/{id}")),
        ("ana@example.ro", format!("/portal/kb?q={q}")),
        ("ana@example.ro", "/portal/kb?q=Article".to_owned()),
        ("ana@example.ro", "/portal/new".to_owned()),
        ("ivan@example.com", "/console".to_owned()),
        ("ivan@example.com", format!("/console?q={q}")),
        ("ivan@example.com", format!("/tickets/{id}")),
        ("root@example.com", "/admin".to_owned()),
        ("root@example.com", format!("/admin?by=email&q={q}")),
        (
            "root@example.com",
            "/admin?by=email&q=ana%40example.ro".to_owned(),
        ),
    ];
    let mut escaped_somewhere = false;
    for (login, uri) in pages {
        let (cookie, _) = d.page_session(login).await;
        let page = d.page(&cookie, &uri).await;
        assert!(
            page.status.is_success() || page.status.is_client_error(),
            "{uri}: {}",
            page.status
        );
        let html = page.text();
        assert!(!unescaped(&html), "{login} {uri} shows markup raw:\n{html}");
        escaped_somewhere |= html.contains("&lt;script&gt;");
    }
    assert!(escaped_somewhere, "the hostile text is shown, escaped");
    // The login page's error and a 404 page echo nothing raw either.
    let wrong = d.sign_in_page(XSS, "x").await;
    assert!(!unescaped(&wrong.text()));
    let (cookie, _) = d.page_session("ana@example.ro").await;
    let missing = d.page(&cookie, &format!("/tickets/{q}")).await;
    assert!(!unescaped(&missing.text()), "{}", missing.text());
}

/// Metacharacters of SQL, LIKE patterns and full-text query languages.
const METACHARACTERS: [&str; 24] = [
    "'",
    "\"",
    "%",
    "_",
    "\\",
    "*",
    "--",
    ";",
    "' OR '1'='1",
    "\"; DROP TABLE tickets; --",
    "%%",
    "_%_",
    "\\%",
    "a*",
    "*a",
    "\"unterminated",
    "NEAR(a b)",
    "a AND OR NOT b",
    "a:b",
    "(a",
    "^a",
    "a -",
    "-",
    "{a}",
];

#[tokio::test]
async fn metacharacters_in_filters_and_searches_give_results_or_400_never_500() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    d.open(
        &d.ana,
        "It's 100% down_now \\ \"quoted\" * -- ;",
        "a body with % and _",
    )
    .await;
    let (cookie, _) = d.page_session("ivan@example.com").await;
    let mut checked = 0;
    for meta in METACHARACTERS {
        let m = encode(meta.as_bytes());
        let api = [
            format!("/api/v1/tickets?q={m}"),
            format!("/api/v1/tickets?q={m}&status=open&priority=normal"),
            format!("/api/v1/tickets?status={m}"),
            format!("/api/v1/tickets?department={m}"),
            format!("/api/v1/tickets?priority={m}"),
            format!("/api/v1/tickets?type={m}"),
            format!("/api/v1/tickets?category={m}"),
            format!("/api/v1/tickets?assignee={m}"),
            format!("/api/v1/tickets?customer={m}"),
            format!("/api/v1/tickets?order={m}"),
            format!("/api/v1/tickets?created_from={m}"),
            format!("/api/v1/tickets?after={m}"),
            format!("/api/v1/tickets/{m}"),
            format!("/api/v1/customers?address={m}"),
            format!("/api/v1/customers?phone={m}"),
            format!("/api/v1/customers?email={m}"),
            format!("/api/v1/customers?contract={m}"),
            format!("/api/v1/kb/articles?q={m}"),
            format!("/api/v1/kb/suggest?text={m}"),
        ];
        for uri in &api {
            for token in [&d.ivan, &d.ana] {
                let reply = d.get(uri, token).await;
                let s = reply.status;
                assert!(
                    s == StatusCode::OK
                        || s == StatusCode::BAD_REQUEST
                        || s == StatusCode::NOT_FOUND
                        || s == StatusCode::FORBIDDEN,
                    "{uri}: {s} {}",
                    reply.text()
                );
                checked += 1;
            }
        }
        for uri in [
            format!("/console?q={m}"),
            format!("/console?status={m}"),
            format!("/console?department={m}"),
            format!("/portal?q={m}"),
            format!("/portal/kb?q={m}"),
            format!("/tickets/{m}"),
        ] {
            let reply = d.page(&cookie, &uri).await;
            assert!(!reply.status.is_server_error(), "{uri}: {}", reply.status);
            checked += 1;
        }
    }
    // The ticket is still found by its words.
    let found = d
        .get("/api/v1/tickets?q=quoted", &d.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(found.json()["items"].as_array().unwrap().len(), 1);
    assert!(checked > 900);
}

#[tokio::test]
async fn huge_page_sizes_are_capped() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    for i in 0..205 {
        d.open(&d.ana, &format!("Ticket {i}"), "body").await;
    }
    for limit in ["201", "1000000", "4294967295"] {
        let reply = d
            .get(&format!("/api/v1/tickets?limit={limit}"), &d.ivan)
            .await
            .expect(StatusCode::OK);
        let json = reply.json();
        assert_eq!(
            json["items"].as_array().unwrap().len(),
            200,
            "limit={limit}"
        );
        assert!(json["next"].is_string(), "a next page");
    }
    for limit in ["-1", "99999999999999999999", "ten"] {
        let reply = d
            .get(&format!("/api/v1/tickets?limit={limit}"), &d.ivan)
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "limit={limit}");
    }
    let zero = d.get("/api/v1/tickets?limit=0", &d.ivan).await;
    assert!(!zero.status.is_server_error());
    let searched = d
        .get("/api/v1/tickets?q=Ticket&limit=1000000", &d.ivan)
        .await
        .expect(StatusCode::OK);
    assert!(searched.json()["items"].as_array().unwrap().len() <= 200);
    let notes = d
        .get("/api/v1/notifications?limit=4294967295", &d.ivan)
        .await
        .expect(StatusCode::OK);
    assert!(notes.json()["items"].as_array().unwrap().len() <= 205);
    for uri in [
        "/api/v1/kb/articles?q=a&limit=4294967295",
        "/api/v1/kb/suggest?text=a&limit=4294967295",
    ] {
        let reply = d.get(uri, &d.ana).await;
        assert!(!reply.status.is_server_error(), "{uri}: {}", reply.status);
    }
}
