//! Links the desk sends (issue 24): built from its public URL, a setting admins keep in the
//! store (API, admin page), never from what a request says about itself; and the short
//! number customers are told, which the ticket pages answer to.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use helpdesk::domain::{CannedResponse, Language, MessageBody, Name};
use serde_json::json;

use crate::support::*;

async fn canned(fx: &Fixture, body: &str) -> CannedResponse {
    fx.desk
        .as_ref()
        .unwrap()
        .as_system()
        .create_canned_response(
            Some(fx.support.parse().unwrap()),
            Name::parse("Link").unwrap(),
            Language::English,
            MessageBody::parse(body).unwrap(),
        )
        .await
        .unwrap()
}

/// `uri` from `session`'s browser, with this `Host` header (or none).
async fn page_from_host(fx: &Fixture, session: &Session, uri: &str, host: Option<&str>) -> Reply {
    let mut request = Request::builder()
        .uri(uri)
        .header(header::COOKIE, &session.cookie);
    if let Some(host) = host {
        request = request.header(header::HOST, host);
    }
    fx.send(request.body(Body::empty()).unwrap()).await
}

async fn put_settings(fx: &Fixture, token: &str, body: serde_json::Value) -> Reply {
    fx.call("PUT", "/api/v1/settings", Some(token), Some(body))
        .await
}

#[tokio::test]
async fn a_canned_link_uses_the_public_url_whatever_the_host_header() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Nu merge internetul").await;
    let short = ticket["number"]["short"].as_str().unwrap().to_owned();
    let id = ticket["id"].as_str().unwrap().to_owned();
    let link = canned(&fx, "Ticket {{ticket_number}}: {{ticket_link}}").await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    let uri = format!("/tickets/{id}?canned={}", link.id);

    // No public URL yet: the response is refused, naming the setting, and the page stays.
    let html = page_from_host(&fx, &ivan, &uri, Some("evil.example"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"canned-error\""), "{html}");
    assert!(html.contains("public_url"), "{html}");
    assert!(html.contains("required></textarea>"), "an empty reply");
    assert!(!html.contains("evil.example"), "{html}");

    // An admin sets it: the link is the public URL, whatever Host the request carries.
    put_settings(
        &fx,
        &fx.admin,
        json!({"public_url": "Help.Desk.example/support"}),
    )
    .await
    .expect(StatusCode::OK);
    let expected = format!(
        "required>Ticket {short}: https://help.desk.example/support/tickets/{short}</textarea>"
    );
    for host in [Some("evil.example"), Some("127.0.0.1:8080"), None] {
        let html = page_from_host(&fx, &ivan, &uri, host)
            .await
            .expect(StatusCode::OK)
            .text();
        assert!(html.contains(&expected), "Host {host:?}: {html}");
        assert!(!html.contains("evil.example") && !html.contains("http://"));
    }
}

#[tokio::test]
async fn only_admins_read_and_set_the_settings_over_the_api() {
    let fx = fixture().await;
    let get = |token: String| {
        let fx = &fx;
        async move { fx.get("/api/v1/settings", &token).await }
    };
    let body = get(fx.admin.clone()).await.expect(StatusCode::OK).json();
    assert_eq!(body, json!({"public_url": null}));

    // Typed without a scheme: https; http only when written; stored normalised.
    let set = put_settings(&fx, &fx.admin, json!({"public_url": "desk.example.com"}))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(set, json!({"public_url": "https://desk.example.com/"}));
    let demo = put_settings(
        &fx,
        &fx.admin,
        json!({"public_url": "http://127.0.0.1:8080"}),
    )
    .await
    .expect(StatusCode::OK)
    .json();
    assert_eq!(demo["public_url"], "http://127.0.0.1:8080/");

    // Bad URLs and unknown fields: 400, naming the field; nothing changes.
    for bad in [
        json!({"public_url": "ftp://desk.example"}),
        json!({"public_url": "https://desk.example/?from=mail"}),
        json!({"public_url": "https://user:pw@desk.example/"}),
        json!({"public_url": ""}),
    ] {
        let reply = put_settings(&fx, &fx.admin, bad).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "validation");
        assert_eq!(reply.json()["error"]["field"], "public_url");
    }
    let reply = put_settings(&fx, &fx.admin, json!({"publicUrl": "https://x.example"})).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "validation");

    // Agents and customers: 403; nobody signed in: 401.
    for token in [&fx.ivan, &fx.ana] {
        assert_error(
            &get(token.clone()).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        );
        let reply = put_settings(&fx, token, json!({"public_url": "https://evil.example"})).await;
        assert_error(&reply, StatusCode::FORBIDDEN, "forbidden");
    }
    let anonymous = fx.call("GET", "/api/v1/settings", None, None).await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED, "unauthorized");
    let body = get(fx.admin.clone()).await.expect(StatusCode::OK).json();
    assert_eq!(body["public_url"], "http://127.0.0.1:8080/");

    // null unsets it.
    let unset = put_settings(&fx, &fx.admin, json!({"public_url": null}))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(unset, json!({"public_url": null}));
}

#[tokio::test]
async fn the_admin_page_sets_the_public_url() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"settings\""), "{html}");
    assert!(html.contains("No public URL is set"), "{html}");

    let saved = form(
        &fx,
        &root,
        "/admin/settings",
        "public_url=help.example.com%2Fdesk",
    )
    .await;
    assert!(saved.status.is_redirection(), "{}", saved.text());
    let html = page(&fx, &root, "/admin").await.text();
    assert!(
        html.contains("value=\"https://help.example.com/desk/\""),
        "{html}"
    );
    let bad = form(&fx, &root, "/admin/settings", "public_url=ftp%3A%2F%2Fx").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
    assert!(bad.text().contains("public_url"));

    // An agent who is no admin sees no settings and may not post them.
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, "/admin").await.text();
    assert!(!html.contains("id=\"settings\""), "{html}");
    let refused = form(&fx, &ivan, "/admin/settings", "public_url=").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());

    // An empty field unsets it.
    let cleared = form(&fx, &root, "/admin/settings", "public_url=").await;
    assert!(cleared.status.is_redirection());
    let body = fx.get("/api/v1/settings", &fx.admin).await.json();
    assert_eq!(body["public_url"], serde_json::Value::Null);
}

#[tokio::test]
async fn ticket_pages_answer_the_short_number_for_the_customer_and_the_agent() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Nu merge internetul").await;
    let short = ticket["number"]["short"].as_str().unwrap().to_owned();
    let full = ticket["number"]["full"].as_str().unwrap().to_owned();
    assert_ne!(short, full);
    let uri = format!("/tickets/{short}");

    let ana = page_login(&fx, "ana@example.ro").await;
    let html = page(&fx, &ana, &uri).await.expect(StatusCode::OK).text();
    assert!(
        html.contains(&format!("#{short} <bdi>Nu merge internetul</bdi>")),
        "{html}"
    );
    assert!(!html.contains(&full), "customers are told one number");
    let portal = page(&fx, &ana, "/portal")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        portal.contains(&short) && !portal.contains(&full),
        "{portal}"
    );

    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, &uri).await.expect(StatusCode::OK).text();
    assert!(
        html.contains(&format!("#{short} <bdi>Nu merge internetul</bdi>")),
        "{html}"
    );

    // Another customer's short number is nothing to them.
    let john = page_login(&fx, "john@example.com").await;
    page(&fx, &john, &uri).await.expect(StatusCode::NOT_FOUND);
}
