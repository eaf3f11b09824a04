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

#[tokio::test]
async fn the_sign_in_form_needs_its_own_csrf_token_and_cookie() {
    let fx = fixture().await;
    let post = |cookie: Option<String>, body: String| {
        let mut request = Request::builder()
            .method("POST")
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        fx.send(request.body(Body::from(body)).unwrap())
    };
    let right = "login=ana%40example.ro&password=correct+horse+battery+staple";
    let (cookie, csrf) = login_form(&fx).await;
    let (other_cookie, _) = login_form(&fx).await;
    let refused = [
        ("no token, no cookie", post(None, right.to_owned()).await),
        (
            "the cookie, no token",
            post(Some(cookie.clone()), right.to_owned()).await,
        ),
        (
            "the token, no cookie",
            post(None, format!("{right}&csrf={csrf}")).await,
        ),
        (
            "another form's cookie",
            post(Some(other_cookie), format!("{right}&csrf={csrf}")).await,
        ),
        (
            "a made-up token",
            post(
                Some(cookie.clone()),
                format!("{right}&csrf={}", "0".repeat(64)),
            )
            .await,
        ),
    ];
    for (what, reply) in refused {
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{what}: {}",
            reply.text()
        );
        let set = reply
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect::<Vec<_>>();
        assert!(
            set.iter().all(|c| !c.starts_with("hd_session=")),
            "{what}: no session is opened: {set:?}"
        );
        assert!(
            reply.text().contains("name=\"csrf\""),
            "{what}: a fresh form"
        );
    }
    // The form's own cookie and token sign in.
    let reply = post(Some(cookie), format!("{right}&csrf={csrf}")).await;
    assert!(reply.status.is_redirection(), "{}", reply.text());
    let set = reply.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.starts_with("hd_session="), "{set}");
}

#[tokio::test]
async fn the_form_cookie_is_httponly_strict_and_secure_when_asked() {
    for secure in [false, true] {
        let fx = fixture_at(
            ":memory:",
            helpdesk_server::Options {
                secure_cookies: secure,
            },
        )
        .await;
        let form = fx
            .call("GET", "/login", None, None)
            .await
            .expect(StatusCode::OK);
        let set = form.headers[header::SET_COOKIE].to_str().unwrap();
        assert!(set.starts_with("hd_login="), "{set}");
        assert!(set.contains("HttpOnly"), "{set}");
        assert!(set.contains("SameSite=Strict"), "{set}");
        assert!(set.contains("Path=/login"), "{set}");
        assert_eq!(set.contains("Secure"), secure, "{set}");
    }
}

#[tokio::test]
async fn throttled_sign_ins_say_when_to_retry() {
    let fx = fixture().await;
    let wrong = json!({"login": "ana@example.ro", "password": "wrong"});
    for _ in 0..helpdesk_server::accounts::THROTTLE_FAILURES {
        let reply = fx
            .call("POST", "/api/v1/auth/token", None, Some(wrong.clone()))
            .await;
        assert_error(&reply, StatusCode::UNAUTHORIZED, "unauthorized");
        assert!(reply.headers.get(header::RETRY_AFTER).is_none());
    }
    let window = helpdesk_server::accounts::THROTTLE_WINDOW.as_secs();
    let retry = |reply: &Reply| -> u64 {
        reply.headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let reply = fx
        .call("POST", "/api/v1/auth/token", None, Some(wrong.clone()))
        .await;
    assert_error(&reply, StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
    let seconds = retry(&reply);
    assert!(seconds > window - 60 && seconds <= window, "{seconds}");
    let page = sign_in_page(&fx, "ana@example.ro", PASSWORD).await;
    assert_eq!(
        page.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        page.text()
    );
    let seconds = retry(&page);
    assert!(seconds > window - 60 && seconds <= window, "{seconds}");
}

/// Failed sign-ins are counted in the database: a server restarted on it, and a second
/// server process sharing it, refuse the same sign-ins.
#[tokio::test]
async fn the_throttle_survives_a_restart_and_is_shared_by_servers_on_one_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("helpdesk.db").to_str().unwrap().to_owned();
    let first = fixture_at(&url, helpdesk_server::Options::default()).await;
    let (second_router, _) = app(desk_at(&url).await, helpdesk_server::Options::default());
    let second = Fixture::bare(second_router);
    let wrong = json!({"login": "ivan@example.com", "password": "wrong"});
    // The failures alternate between the two servers; together they reach the limit.
    for i in 0..helpdesk_server::accounts::THROTTLE_FAILURES {
        let server = if i % 2 == 0 { &first } else { &second };
        let reply = server.call("POST", "/api/v1/auth/token", None, Some(wrong.clone()));
        assert_error(&reply.await, StatusCode::UNAUTHORIZED, "unauthorized");
    }
    let right = json!({"login": "ivan@example.com", "password": PASSWORD});
    for server in [&first, &second] {
        let reply = server.call("POST", "/api/v1/auth/token", None, Some(right.clone()));
        assert_error(
            &reply.await,
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
        );
    }
    drop((first, second));
    // A restart forgets nothing.
    let (router, _) = app(desk_at(&url).await, helpdesk_server::Options::default());
    let restarted = Fixture::bare(router);
    let reply = restarted.call("POST", "/api/v1/auth/token", None, Some(right.clone()));
    assert_error(
        &reply.await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_requests",
    );
    // Another login from the same address is not held back.
    let ana = json!({"login": "ana@example.ro", "password": PASSWORD});
    restarted
        .call("POST", "/api/v1/auth/token", None, Some(ana))
        .await
        .expect(StatusCode::CREATED);
}

#[tokio::test]
async fn a_ticket_outside_an_agents_departments_is_not_found_not_forbidden() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Support only").await;
    let id = ticket["id"].as_str().unwrap();
    let number = ticket["number"]["full"].as_str().unwrap();
    // Maria works in Billing: the Support ticket is not there for her, by id or number,
    // exactly as a ticket that does not exist.
    for key in [id.to_owned(), number.to_owned()] {
        let reply = fx.get(&format!("/api/v1/tickets/{key}"), &fx.maria).await;
        assert_error(&reply, StatusCode::NOT_FOUND, "not_found");
        let reply = fx
            .post(
                &format!("/api/v1/tickets/{key}/messages"),
                &fx.maria,
                json!({"body": "Peeking."}),
            )
            .await;
        assert_error(&reply, StatusCode::NOT_FOUND, "not_found");
    }
    let missing = fx
        .get(
            &format!("/api/v1/tickets/{}", uuid::Uuid::now_v7()),
            &fx.maria,
        )
        .await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not_found");
    // Her queue does not list it; Ivan, in Support, sees it.
    let listed = fx.get("/api/v1/tickets", &fx.maria).await;
    assert!(listed.items().is_empty());
    fx.get(&format!("/api/v1/tickets/{id}"), &fx.ivan)
        .await
        .expect(StatusCode::OK);
}

#[tokio::test]
async fn the_channel_is_the_desks_to_set_not_a_customers() {
    let fx = fixture().await;
    for channel in ["phone", "email", "chat", "internal"] {
        let new = json!({"subject": "Mine", "body": "Hello.", "department": fx.support, "channel": channel});
        let reply = fx.post("/api/v1/tickets", &fx.ana, new).await;
        assert_error(&reply, StatusCode::FORBIDDEN, "forbidden");
    }
    let listed = fx
        .get("/api/v1/tickets", &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert!(listed.items().is_empty(), "nothing was opened");
    // A customer's ticket comes in on the web; an agent's phone ticket is a phone ticket.
    let opened = fx.open(&fx.ana, "Web").await;
    assert_eq!(opened["channel"], "web");
    let customer = fx.get("/api/v1/me", &fx.ana).await.json()["actor"].clone();
    let customer = customer["id"]
        .as_str()
        .or(customer.as_str())
        .unwrap()
        .to_owned();
    let phone = json!({"subject": "Called", "body": "On the phone.", "department": fx.support,
        "customer": customer, "channel": "phone"});
    let reply = fx
        .post("/api/v1/tickets", &fx.ivan, phone)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(reply.json()["channel"], "phone");
}

/// The Swagger UI page and its assets come from the server itself (vendored into the build),
/// reading the server's own OpenAPI document.
#[tokio::test]
async fn the_swagger_ui_page_is_served_from_the_server() {
    let fx = fixture().await;
    let page = fx
        .call("GET", "/api/docs/", None, None)
        .await
        .expect(StatusCode::OK);
    let html = page.text();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(
        !html.contains("https://"),
        "no asset from elsewhere: {html}"
    );
    for asset in [
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-initializer.js",
    ] {
        let reply = fx
            .call("GET", &format!("/api/docs/{asset}"), None, None)
            .await
            .expect(StatusCode::OK);
        assert!(reply.bytes.len() > 100, "{asset}");
        assert!(
            reply.headers.get(header::CONTENT_SECURITY_POLICY).is_some(),
            "{asset}"
        );
    }
    let initializer = fx
        .call("GET", "/api/docs/swagger-initializer.js", None, None)
        .await
        .text();
    assert!(initializer.contains("/api/openapi.json"), "{initializer}");
    // `/api/docs` itself leads to the page.
    let bare = fx.call("GET", "/api/docs", None, None).await;
    assert!(bare.status.is_redirection(), "{}", bare.status);
}

#[tokio::test]
async fn the_document_declares_security_per_operation_retry_after_and_body_limits() {
    let fx = fixture().await;
    let doc = fx.openapi().await;
    let sign_in = &doc["paths"]["/api/v1/auth/token"]["post"];
    assert_eq!(sign_in["security"], json!([]), "signing in is public");
    assert!(sign_in["responses"]["429"]["headers"]["Retry-After"].is_object());
    let revoke = &doc["paths"]["/api/v1/auth/token"]["delete"];
    assert_ne!(revoke["security"], json!([]), "revoking needs the token");
    assert!(revoke["responses"]["401"].is_object());
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let security = op["security"].as_array().unwrap_or_else(|| {
                panic!("{method} {path}: no security declared");
            });
            // Signing in, and the password links (the link or the e-mail is the credential).
            let public = method == "post"
                && [
                    "/api/v1/auth/token",
                    "/api/v1/auth/password-reset",
                    "/api/v1/auth/setup-password",
                ]
                .contains(&path.as_str());
            if public {
                assert_eq!(op["security"], json!([]), "{method} {path} is public");
            } else {
                assert!(!security.is_empty(), "{method} {path} is not public");
                assert!(op["responses"]["401"].is_object(), "{method} {path}: 401");
            }
            if op.get("requestBody").is_some() {
                assert!(op["responses"]["413"].is_object(), "{method} {path}: 413");
            }
        }
    }
}

/// Every `<script` of `html` loads a file; no `<style>` element, no `style` attribute.
fn assert_no_inline_code(uri: &str, html: &str) {
    assert!(!html.contains("<style"), "{uri}: an inline style sheet");
    assert!(!html.contains(" style=\""), "{uri}: an inline style");
    for (at, _) in html.match_indices("<script") {
        assert!(
            html[at..].starts_with("<script src=\"/assets/"),
            "{uri}: an inline script at {at}"
        );
    }
}

#[tokio::test]
async fn pages_carry_no_inline_script_or_style_and_the_policy_allows_none() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    let ticket = fx.open(&fx.ana, "Router").await;
    let ticket_page = format!("/tickets/{}", ticket["id"].as_str().unwrap());
    for (session, uri) in [
        (&ana, "/portal"),
        (&ana, "/portal/new"),
        (&ana, "/portal/kb"),
        (&ana, ticket_page.as_str()),
        (&ivan, "/console"),
        (&ivan, ticket_page.as_str()),
    ] {
        let reply = page(&fx, session, uri).await.expect(StatusCode::OK);
        let policy = reply.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert_no_inline_code(uri, &reply.text());
    }
    let login = fx
        .call("GET", "/login", None, None)
        .await
        .expect(StatusCode::OK);
    assert_no_inline_code("/login", &login.text());
}

#[tokio::test]
async fn the_pages_style_sheets_and_scripts_are_served_with_their_types() {
    let fx = fixture().await;
    for (asset, kind, holds) in [
        ("site.css", "text/css", "body{"),
        (
            "site.css",
            "text/css",
            ".status[data-status=\"closed:solved\"]{background:#",
        ),
        ("chat.css", "text/css", "#chat-widget"),
        ("chat-widget.js", "text/javascript", "chat-widget"),
        ("chat-console.js", "text/javascript", "presence"),
        ("suggest.js", "text/javascript", "suggestions"),
    ] {
        let reply = fx
            .call("GET", &format!("/assets/{asset}"), None, None)
            .await
            .expect(StatusCode::OK);
        let content_type = reply.headers[header::CONTENT_TYPE].to_str().unwrap();
        assert!(content_type.starts_with(kind), "{asset}: {content_type}");
        assert!(reply.text().contains(holds), "{asset}");
    }
    fx.call("GET", "/assets/../Cargo.toml", None, None)
        .await
        .expect(StatusCode::NOT_FOUND);
    fx.call("GET", "/assets/other.js", None, None)
        .await
        .expect(StatusCode::NOT_FOUND);
}
