//! Signing in over HTTP: logins, tokens and sessions survive a restart, failed sign-ins are
//! throttled, cookie writes need the CSRF token, sessions and tokens are listed and revoked,
//! cookies are Secure when asked, and the demo's logins sign in.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::support::*;

/// Logins, API tokens and sessions live in the database: a server restarted on the same
/// SQLite file still knows them.
#[tokio::test]
async fn logins_tokens_and_sessions_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("helpdesk.db").to_str().unwrap().to_owned();
    let first = fixture_at(&url, helpdesk_server::Options::default()).await;
    let token = first.ana.clone();
    let session = page_login(&first, "ana@example.ro").await;
    first.get("/api/v1/me", &token).await.expect(StatusCode::OK);
    drop(first);

    let (router, _) = app(desk_at(&url).await, helpdesk_server::Options::default());
    let second = Fixture::bare(router);
    let me = second
        .get("/api/v1/me", &token)
        .await
        .expect(StatusCode::OK);
    assert_eq!(me.json()["login"], "ana@example.ro");
    assert_eq!(me.json()["language"], "ro");
    page(&second, &session, "/portal")
        .await
        .expect(StatusCode::OK);
    // The password still signs in, and makes a new token.
    let again = second.login("ana@example.ro").await;
    assert_ne!(again, token);
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_login() {
    let fx = fixture().await;
    let wrong = json!({"login": "ana@example.ro", "password": "wrong"});
    for _ in 0..helpdesk_server::accounts::THROTTLE_FAILURES {
        let reply = fx.call("POST", "/api/v1/auth/token", None, Some(wrong.clone()));
        assert_error(&reply.await, StatusCode::UNAUTHORIZED, "unauthorized");
    }
    // Now even the right password waits, on the API and on the sign-in page.
    let right = json!({"login": "ana@example.ro", "password": PASSWORD});
    let throttled = fx.call("POST", "/api/v1/auth/token", None, Some(right));
    let throttled = throttled.await;
    assert_error(
        &throttled,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_requests",
    );
    let page = sign_in_page(&fx, "ANA@example.ro", PASSWORD).await;
    assert_eq!(
        page.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        page.text()
    );
    // Other logins are not affected.
    fx.login("john@example.com").await;
}

#[tokio::test]
async fn forms_and_cookie_writes_need_the_sessions_csrf_token() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "CSRF").await;
    let action = format!("/tickets/{}/action", ticket["id"].as_str().unwrap());
    let ivan = page_login(&fx, "ivan@example.com").await;
    let other = page_login(&fx, "maria@example.com").await;
    assert_ne!(ivan.csrf, other.csrf, "one token per session");

    for body in [
        "action=resolve".to_owned(),
        "action=resolve&csrf=forged".to_owned(),
        format!("action=resolve&csrf={}", other.csrf),
    ] {
        let refused = form_raw(&fx, &ivan.cookie, &action, &body).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{body}");
    }
    let logout = form_raw(&fx, &ivan.cookie, "/logout", "").await;
    assert_eq!(logout.status, StatusCode::FORBIDDEN);
    let uri = format!("/api/v1/tickets/{}", ticket["id"].as_str().unwrap());
    assert_eq!(fx.get(&uri, &fx.ivan).await.json()["status"], "new");
    let resolved = form(&fx, &ivan, &action, "action=resolve").await;
    assert!(resolved.status.is_redirection(), "{}", resolved.text());

    // The JSON API with the session cookie: writes need the token in a header.
    let write = |csrf: Option<&str>| {
        let mut request = Request::builder()
            .method("POST")
            .uri(format!("{uri}/messages"))
            .header(header::COOKIE, &ivan.cookie)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        let body = json!({"body": "A reply from the console"});
        request.body(Body::from(body.to_string())).unwrap()
    };
    assert_error(
        &fx.send(write(None)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    fx.send(write(Some(&ivan.csrf)))
        .await
        .expect(StatusCode::CREATED);
}

#[tokio::test]
async fn tokens_and_sessions_are_listed_and_revoked() {
    let fx = fixture().await;
    let second = fx.login("ana@example.ro").await;
    let listed = fx.get("/api/v1/auth/tokens", &fx.ana).await;
    let items = listed.expect(StatusCode::OK).items();
    assert_eq!(items.len(), 2, "{items:?}");
    let current: Vec<&Value> = items.iter().filter(|t| t["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["kind"], "api_token");
    let other_id = items.iter().find(|t| t["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Someone else's token is not there for John.
    let uri = format!("/api/v1/auth/tokens/{other_id}");
    let johns = fx.call("DELETE", &uri, Some(&fx.john), None).await;
    assert_error(&johns, StatusCode::NOT_FOUND, "not_found");
    fx.get("/api/v1/me", &second).await.expect(StatusCode::OK);
    let revoked = fx.call("DELETE", &uri, Some(&fx.ana), None).await;
    revoked.expect(StatusCode::NO_CONTENT);
    let gone = fx.get("/api/v1/me", &second).await;
    assert_error(&gone, StatusCode::UNAUTHORIZED, "unauthorized");

    // A token revokes itself.
    let itself = fx.call("DELETE", "/api/v1/auth/token", Some(&fx.ana), None);
    itself.await.expect(StatusCode::NO_CONTENT);
    let gone = fx.get("/api/v1/me", &fx.ana).await;
    assert_error(&gone, StatusCode::UNAUTHORIZED, "unauthorized");

    // Signing out ends the session for good.
    let ana = page_login(&fx, "ana@example.ro").await;
    let out = form(&fx, &ana, "/logout", "").await;
    assert!(out.status.is_redirection(), "{}", out.text());
    let cleared = out.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let after = page(&fx, &ana, "/portal").await;
    assert_eq!(after.headers[header::LOCATION], "/login");
}

#[tokio::test]
async fn session_cookies_are_secure_when_asked() {
    let options = helpdesk_server::Options {
        secure_cookies: true,
    };
    let fx = fixture_at(":memory:", options).await;
    let reply = sign_in_page(&fx, "ana@example.ro", PASSWORD).await;
    let cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
}

/// `--demo` twice on one database: the people and their logins are made once.
#[tokio::test]
async fn the_demo_loads_once_and_its_logins_sign_in() {
    let desk = desk_at(":memory:").await;
    let (router, accounts) = app(desk.clone(), helpdesk_server::Options::default());
    let first = helpdesk_server::demo::load(&desk, &accounts).await.unwrap();
    let second = helpdesk_server::demo::load(&desk, &accounts).await.unwrap();
    let names = |logins: &[helpdesk_server::demo::Login]| -> Vec<String> {
        let mut names: Vec<String> = logins.iter().map(|l| l.login.clone()).collect();
        names.sort();
        names
    };
    assert_eq!(names(&first), names(&second));
    assert_eq!(desk.as_system().departments().await.unwrap().len(), 2);
    let fx = Fixture::bare(router);
    let credentials =
        json!({"login": "ana@demo.example", "password": helpdesk_server::demo::PASSWORD});
    let reply = fx.call("POST", "/api/v1/auth/token", None, Some(credentials));
    reply.await.expect(StatusCode::CREATED);
}
