//! The hardened HTTP edge (issue 18): security headers on every response, a body limit per
//! kind of route, and passwords longer than the maximum refused before hashing.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use helpdesk_server::accounts::MAX_PASSWORD_BYTES;
use helpdesk_server::edge::{BODY_LIMIT, SIGN_IN_BODY_LIMIT};
use serde_json::json;

use crate::support::*;

/// A raw body of `len` bytes posted to `uri` as `content_type`.
async fn post_raw(fx: &Fixture, uri: &str, token: Option<&str>, ct: &str, body: Vec<u8>) -> Reply {
    let mut request = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::CONTENT_TYPE, ct);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    fx.send(request.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Headers").await;
    let session = page_login(&fx, "ana@example.ro").await;
    let replies = [
        ("sign-in page", fx.call("GET", "/login", None, None).await),
        ("portal page", page(&fx, &session, "/portal").await),
        ("API read", fx.get("/api/v1/me", &fx.ana).await),
        (
            "API ticket",
            fx.get(
                &format!("/api/v1/tickets/{}", ticket["id"].as_str().unwrap()),
                &fx.ana,
            )
            .await,
        ),
        ("API 401", fx.call("GET", "/api/v1/me", None, None).await),
        (
            "unknown route",
            fx.get("/api/v1/no-such-thing", &fx.ana).await,
        ),
        (
            "OpenAPI document",
            fx.call("GET", "/api/openapi.json", None, None).await,
        ),
    ];
    for (what, reply) in replies {
        let h = &reply.headers;
        let csp = h
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"))
            .to_str()
            .unwrap();
        assert!(csp.contains("default-src 'self'"), "{what}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        assert_eq!(
            h.get(header::X_FRAME_OPTIONS).map(|v| v.to_str().unwrap()),
            Some("DENY"),
            "{what}"
        );
        assert_eq!(
            h.get(header::X_CONTENT_TYPE_OPTIONS)
                .map(|v| v.to_str().unwrap()),
            Some("nosniff"),
            "{what}"
        );
        assert_eq!(
            h.get(header::REFERRER_POLICY).map(|v| v.to_str().unwrap()),
            Some("same-origin"),
            "{what}"
        );
    }
}

#[tokio::test]
async fn sign_in_bodies_over_the_small_limit_are_413() {
    let fx = fixture().await;
    let password = "p".repeat(SIGN_IN_BODY_LIMIT);
    let body = json!({"login": "ana@example.ro", "password": password}).to_string();
    let reply = post_raw(
        &fx,
        "/api/v1/auth/token",
        None,
        "application/json",
        body.into_bytes(),
    )
    .await;
    assert_error(&reply, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    let form = format!("login=ana%40example.ro&password={password}");
    let reply = post_raw(
        &fx,
        "/login",
        None,
        "application/x-www-form-urlencoded",
        form.into_bytes(),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    // A body just under the limit is read (and the password is then too long: 400).
    let password = "p".repeat(SIGN_IN_BODY_LIMIT - 100);
    let body = json!({"login": "ana@example.ro", "password": password}).to_string();
    let reply = post_raw(
        &fx,
        "/api/v1/auth/token",
        None,
        "application/json",
        body.into_bytes(),
    )
    .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "validation");
}

#[tokio::test]
async fn json_bodies_over_the_limit_are_413_but_uploads_may_be_larger() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Limits").await;
    let id = ticket["id"].as_str().unwrap();
    // A JSON command just over the limit on a route that takes no uploads.
    let body = json!({"command": "add_note", "body": "x".repeat(BODY_LIMIT)}).to_string();
    let reply = post_raw(
        &fx,
        &format!("/api/v1/tickets/{id}/commands"),
        Some(&fx.ivan),
        "application/json",
        body.into_bytes(),
    )
    .await;
    assert_error(&reply, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    // The same size as a multipart reply with a file is read: the upload routes' limit is
    // the desk's attachment limits on top of it.
    let padding = "x".repeat(BODY_LIMIT);
    let file = vec![b'a'; (MAX_FILE / 2) as usize];
    let reply = fx
        .multipart(
            &format!("/api/v1/tickets/{id}/messages"),
            (
                header::AUTHORIZATION.as_str(),
                &format!("Bearer {}", fx.ana),
            ),
            &[("body", "Here is the log."), ("padding", &padding)],
            &[("log.txt", "text/plain", &file)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
}

#[tokio::test]
async fn passwords_longer_than_the_maximum_are_refused_before_hashing() {
    let fx = fixture().await;
    let accounts = fx.accounts.clone().unwrap();
    let actor = accounts
        .sign_in("john@example.com", PASSWORD, "test")
        .await
        .unwrap()
        .actor;
    let longest = "p".repeat(MAX_PASSWORD_BYTES);
    let error = accounts
        .set_login("john@example.com", &format!("{longest}p"), actor)
        .await
        .unwrap_err();
    match error {
        helpdesk::Error::Validation(v) => assert_eq!(v.field(), "password"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    // The longest allowed password is set and signs in.
    accounts
        .set_login("john@example.com", &longest, actor)
        .await
        .unwrap();
    let right = json!({"login": "john@example.com", "password": longest});
    fx.call("POST", "/api/v1/auth/token", None, Some(right))
        .await
        .expect(StatusCode::CREATED);
    // One byte more is a 400 on the password, and not a failed sign-in: the throttle
    // never counts it.
    let over = json!({"login": "john@example.com", "password": format!("{longest}p")});
    for _ in 0..helpdesk_server::accounts::THROTTLE_FAILURES + 1 {
        let reply = fx
            .call("POST", "/api/v1/auth/token", None, Some(over.clone()))
            .await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "validation");
        assert_eq!(reply.json()["error"]["field"], "password");
    }
    let right = json!({"login": "john@example.com", "password": longest});
    fx.call("POST", "/api/v1/auth/token", None, Some(right))
        .await
        .expect(StatusCode::CREATED);
}
