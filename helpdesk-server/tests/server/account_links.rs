//! Invitations and password-reset links over the API and the pages: each route with its
//! success and its errors, a link used once and only in its time, a reset signing the person
//! out, and the public forms with their CSRF token and refusals.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::support::*;

/// The routes tested here (see `routes::every_documented_route_is_tested_here`).
pub(crate) const LINKS_TESTED: &[(&str, &str)] = &[
    ("post", "/api/v1/agents/{agent}/invitation"),
    ("post", "/api/v1/customers/{customer}/invitation"),
    ("post", "/api/v1/agents/{agent}/reset-link"),
    ("post", "/api/v1/customers/{customer}/reset-link"),
    ("post", "/api/v1/auth/password-reset"),
    ("post", "/api/v1/auth/setup-password"),
];

async fn public(fx: &Fixture, uri: &str, body: Value) -> Reply {
    fx.call("POST", uri, None, Some(body)).await
}

async fn setup(fx: &Fixture, token: &str, password: &str) -> Reply {
    public(
        fx,
        "/api/v1/auth/setup-password",
        json!({"token": token, "password": password}),
    )
    .await
}

#[tokio::test]
async fn invitation_and_reset_link_routes_succeed_and_fail() {
    let fx = fixture().await;
    // An agent without a login, invited by an admin (not by an agent).
    let nadia = fx
        .post(
            "/api/v1/agents",
            &fx.admin,
            json!({"name": "Nadia", "email": "nadia@example.com"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let nadia_id = nadia["id"].as_str().unwrap();
    let uri = format!("/api/v1/agents/{nadia_id}/invitation");
    assert_error(
        &fx.post(&uri, &fx.ivan, json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let unknown = format!("/api/v1/agents/{}/invitation", uuid::Uuid::now_v7());
    assert_error(
        &fx.post(&unknown, &fx.admin, json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let invited = fx
        .post(&uri, &fx.admin, json!({}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(invited["kind"], "invitation");
    assert_eq!(invited["login"], "nadia@example.com");
    assert_eq!(invited["url"], Value::Null, "no public URL");
    assert_eq!(invited["emailed_to"], Value::Null);
    let token = invited["token"].as_str().unwrap().to_owned();

    // The link sets the password once; she signs in with it.
    let set = setup(&fx, &token, "nadia's password")
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(set["login"], "nadia@example.com");
    assert_error(
        &setup(&fx, &token, "again").await,
        StatusCode::FORBIDDEN,
        "link_invalid",
    );
    assert_error(
        &setup(&fx, "not a link", "x").await,
        StatusCode::FORBIDDEN,
        "link_invalid",
    );
    let signed_in = public(
        &fx,
        "/api/v1/auth/token",
        json!({"login": "nadia@example.com", "password": "nadia's password"}),
    )
    .await;
    assert_eq!(
        signed_in.status,
        StatusCode::CREATED,
        "{}",
        signed_in.text()
    );

    // A customer, invited by an agent under a name of their own.
    let customer = fx
        .post(
            "/api/v1/customers",
            &fx.admin,
            json!({"kind": "individual", "name": "Olga", "email": "olga@example.com"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let olga = customer["id"].as_str().unwrap();
    let uri = format!("/api/v1/customers/{olga}/invitation");
    assert_error(
        &fx.post(&uri, &fx.ivan, json!({"login": "two words"})).await,
        StatusCode::BAD_REQUEST,
        "validation",
    );
    assert_error(
        &fx.post("/api/v1/customers/nope/invitation", &fx.ivan, json!({}))
            .await,
        StatusCode::BAD_REQUEST,
        "validation",
    );
    assert_error(
        &fx.post(&uri, &fx.ivan, json!({"login": "ivan@example.com"}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    );
    let invited = fx
        .post(&uri, &fx.ivan, json!({"login": "olga"}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(invited["login"], "olga");
    let token = invited["token"].as_str().unwrap().to_owned();
    // Too long a password is refused before anything is used; too large a body is too.
    let long = "x".repeat(1025);
    assert_error(
        &setup(&fx, &token, &long).await,
        StatusCode::BAD_REQUEST,
        "validation",
    );
    let huge = "x".repeat(10 * 1024);
    let too_large = setup(&fx, &token, &huge).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    setup(&fx, &token, "olga's password")
        .await
        .expect(StatusCode::OK);

    // Reset links: admins only, for people with a login.
    let reset_uri = format!("/api/v1/agents/{}/reset-link", fx.ivan_id);
    assert_error(
        &fx.post(&reset_uri, &fx.ivan, json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let no_login = fx
        .post(
            "/api/v1/agents",
            &fx.admin,
            json!({"name": "Pavel", "email": "pavel@example.com"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let pavel = format!(
        "/api/v1/agents/{}/reset-link",
        no_login["id"].as_str().unwrap()
    );
    assert_error(
        &fx.post(&pavel, &fx.admin, json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let reset = fx
        .call("POST", &reset_uri, Some(&fx.admin), None)
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(reset["kind"], "password_reset");
    assert_eq!(reset["login"], "ivan@example.com");
    // Using it signs Ivan out everywhere.
    setup(&fx, reset["token"].as_str().unwrap(), "ivan's new password")
        .await
        .expect(StatusCode::OK);
    assert_error(
        &fx.get("/api/v1/me", &fx.ivan).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );

    // A customer's reset link stops working after an hour.
    let customer_reset = format!("/api/v1/customers/{olga}/reset-link");
    assert_error(
        &fx.call("POST", &customer_reset, Some(&fx.maria), None)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let reset = fx
        .call("POST", &customer_reset, Some(&fx.admin), None)
        .await
        .expect(StatusCode::CREATED)
        .json();
    fx.clock.advance(TimeDelta::hours(1));
    assert_error(
        &setup(&fx, reset["token"].as_str().unwrap(), "too late").await,
        StatusCode::FORBIDDEN,
        "link_expired",
    );

    // Asking for a reset answers the same for a login that exists and one that does not.
    for login in ["olga", "nobody@example.com"] {
        let asked = public(&fx, "/api/v1/auth/password-reset", json!({"login": login})).await;
        assert_eq!(asked.status, StatusCode::ACCEPTED, "{}", asked.text());
        assert!(asked.bytes.is_empty());
    }
    assert_error(
        &public(&fx, "/api/v1/auth/password-reset", json!({})).await,
        StatusCode::BAD_REQUEST,
        "validation",
    );
}

/// A public form as a browser gets it: its cookie (`name=value`) and CSRF token.
async fn public_form(fx: &Fixture, uri: &str, language: &str) -> (String, String, String) {
    let request = Request::builder()
        .uri(uri)
        .header(header::ACCEPT_LANGUAGE, language)
        .body(Body::empty())
        .unwrap();
    let reply = fx.send(request).await.expect(StatusCode::OK);
    let cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let html = reply.text();
    let (_, rest) = html
        .split_once("name=\"csrf\" value=\"")
        .expect("the form carries a CSRF token");
    let csrf = rest.split('"').next().unwrap().to_owned();
    (cookie, csrf, html)
}

#[tokio::test]
async fn the_setup_password_page_sets_a_password_once_and_shows_refusals_inline() {
    let fx = fixture().await;
    let nadia = fx
        .post(
            "/api/v1/agents",
            &fx.admin,
            json!({"name": "Nadia", "email": "nadia@example.com"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let uri = format!(
        "/api/v1/agents/{}/invitation",
        nadia["id"].as_str().unwrap()
    );
    let invited = fx
        .post(&uri, &fx.admin, json!({}))
        .await
        .expect(StatusCode::CREATED)
        .json();
    let token = invited["token"].as_str().unwrap();

    let (cookie, csrf, html) =
        public_form(&fx, &format!("/setup-password?token={token}"), "ro").await;
    assert!(html.contains("Alegeți-vă parola"), "{html}");
    assert!(html.contains(&format!("name=\"token\" value=\"{token}\"")));
    let differ = form_raw(
        &fx,
        &cookie,
        "/setup-password",
        &format!("token={token}&password=one&repeat=two&lang=ro&csrf={csrf}"),
    )
    .await;
    assert_eq!(differ.status, StatusCode::BAD_REQUEST);
    assert!(
        differ.text().contains("Cele două parole diferă"),
        "{}",
        differ.text()
    );
    let no_csrf = form_raw(
        &fx,
        &cookie,
        "/setup-password",
        &format!("token={token}&password=one&repeat=one"),
    )
    .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    let body = format!("token={token}&password=a+good+one&repeat=a+good+one&lang=ro&csrf={csrf}");
    let done = form_raw(&fx, &cookie, "/setup-password", &body).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert!(done.text().contains("nadia@example.com"));
    let again = form_raw(&fx, &cookie, "/setup-password", &body).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert!(again.text().contains("deja folosit"), "{}", again.text());
    assert_eq!(
        sign_in_page(&fx, "nadia@example.com", "a good one")
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    // The sign-in page links to the request form, which answers alike for anyone.
    let login = fx.call("GET", "/login", None, None).await.text();
    assert!(login.contains("href=\"/forgot-password\""));
    let (cookie, csrf, html) = public_form(&fx, "/forgot-password", "ru").await;
    assert!(html.contains("Новый пароль"), "{html}");
    for who in ["nadia%40example.com", "nobody"] {
        let sent = form_raw(
            &fx,
            &cookie,
            "/forgot-password",
            &format!("login={who}&csrf={csrf}"),
        )
        .await;
        assert_eq!(sent.status, StatusCode::OK);
        assert!(
            sent.text().contains("If the login exists")
                || sent.text().contains("Если такой логин есть")
        );
    }

    // The admin's agent page makes a reset link for an agent with a login.
    let admin = page_login(&fx, "root@example.com").await;
    let agent_page = page(&fx, &admin, &format!("/admin/agents/{}", fx.ivan_id))
        .await
        .text();
    assert!(agent_page.contains(&format!("/admin/agents/{}/link", fx.ivan_id)));
    let made = form(
        &fx,
        &admin,
        &format!("/admin/agents/{}/link", fx.ivan_id),
        "x=1",
    )
    .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text());
    assert!(
        made.text().contains("/setup-password?token="),
        "{}",
        made.text()
    );
    let customers = page(&fx, &admin, "/admin/customers?by=email&q=ana%40example.ro")
        .await
        .text();
    assert!(
        customers.contains("/link\""),
        "the customers' rows carry the link form"
    );
}
