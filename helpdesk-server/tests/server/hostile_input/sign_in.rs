//! Bursts of failed sign-ins, sequential and concurrent, and the flags of every session
//! cookie.

use axum::http::{StatusCode, header};
use serde_json::json;

use super::*;

#[tokio::test]
async fn a_burst_of_failed_sign_ins_is_throttled() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    let wrong = json!({"login": "ana@example.ro", "password": "wrong"}).to_string();
    let mut statuses = Vec::new();
    for _ in 0..20 {
        let reply = d
            .raw(
                "POST",
                "/api/v1/auth/token",
                None,
                "application/json",
                wrong.clone().into_bytes(),
            )
            .await;
        statuses.push(reply.status);
    }
    let unauthorized = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        unauthorized,
        helpdesk_server::accounts::THROTTLE_FAILURES,
        "{statuses:?}"
    );
    assert_eq!(
        throttled,
        20 - helpdesk_server::accounts::THROTTLE_FAILURES,
        "{statuses:?}"
    );
    // The sign-in page is throttled for that login too, and the right password waits.
    let page = d.sign_in_page("ana@example.ro", PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    // An unknown login is throttled the same way (no telling which logins exist).
    for _ in 0..helpdesk_server::accounts::THROTTLE_FAILURES {
        d.sign_in_page("nobody@example.com", "x")
            .await
            .expect(StatusCode::UNAUTHORIZED);
    }
    d.sign_in_page("nobody@example.com", "x")
        .await
        .expect(StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_concurrent_burst_of_failed_sign_ins_is_throttled() {
    let d = Arc::new(desk(helpdesk_server::Options::default(), false).await);
    let wrong = json!({"login": "ana@example.ro", "password": "wrong"}).to_string();
    let attempts: Vec<_> = (0..20)
        .map(|_| {
            let d = d.clone();
            let wrong = wrong.clone();
            tokio::spawn(async move {
                d.raw(
                    "POST",
                    "/api/v1/auth/token",
                    None,
                    "application/json",
                    wrong.into_bytes(),
                )
                .await
                .status
            })
        })
        .collect();
    let mut unauthorized = 0;
    for a in attempts {
        if a.await.unwrap() == StatusCode::UNAUTHORIZED {
            unauthorized += 1;
        }
    }
    assert!(
        unauthorized <= helpdesk_server::accounts::THROTTLE_FAILURES,
        "{unauthorized} wrong passwords were checked"
    );
}

#[tokio::test]
async fn no_session_cookie_lacks_httponly_samesite_or_secure() {
    for secure in [false, true] {
        let d = desk(
            helpdesk_server::Options {
                secure_cookies: secure,
            },
            false,
        )
        .await;
        let mut cookies = Vec::new();
        let (cookie, set) = d.page_session("ana@example.ro").await;
        cookies.push(set);
        // The page's CSRF token, to sign out.
        let html = d.page(&cookie, "/portal/kb").await.text();
        let csrf = html
            .split_once("name=\"csrf\" value=\"")
            .and_then(|(_, rest)| rest.split('"').next())
            .unwrap()
            .to_owned();
        let request = Request::builder()
            .method("POST")
            .uri("/logout")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf={csrf}")))
            .unwrap();
        let out = d.send(request).await;
        cookies.extend(
            out.headers
                .get_all(header::SET_COOKIE)
                .iter()
                .map(|v| v.to_str().unwrap().to_owned()),
        );
        // Other responses set no cookie at all.
        let token = d
            .raw(
                "POST",
                "/api/v1/auth/token",
                None,
                "application/json",
                json!({"login": "ana@example.ro", "password": PASSWORD})
                    .to_string()
                    .into_bytes(),
            )
            .await;
        assert!(token.headers.get(header::SET_COOKIE).is_none());
        let wrong = d.sign_in_page("ana@example.ro", "wrong").await;
        assert!(wrong.headers.get(header::SET_COOKIE).is_none());
        assert_eq!(cookies.len(), 2, "{cookies:?}");
        for c in &cookies {
            assert!(c.contains("HttpOnly"), "{c}");
            assert!(
                c.contains("SameSite=Lax") || c.contains("SameSite=Strict"),
                "{c}"
            );
            assert_eq!(c.contains("Secure"), secure, "{c}");
        }
    }
}
