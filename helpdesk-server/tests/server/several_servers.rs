//! Several server instances on one database (issue 23), as processes behind a reverse proxy
//! without sticky sessions: the sign-in throttle counts every instance's failures (it is in
//! the store), and a session or token made on one instance works on the other.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn the_sign_in_throttle_and_sessions_hold_across_two_servers_on_one_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("helpdesk.db").to_str().unwrap().to_owned();
    let first = fixture_at(&url, helpdesk_server::Options::default()).await;
    let (router, _) = app(desk_at(&url).await, helpdesk_server::Options::default());
    let second = Fixture::bare(router);

    // A session and a token made on the first work on the second.
    let session = page_login(&first, "ana@example.ro").await;
    page(&second, &session, "/portal")
        .await
        .expect(StatusCode::OK);
    let me = second
        .get("/api/v1/me", &first.ana)
        .await
        .expect(StatusCode::OK);
    assert_eq!(me.json()["login"], "ana@example.ro");

    // Failures on both count together: the limit is reached across them.
    let wrong = json!({"login": "john@example.com", "password": "wrong"});
    let limit = helpdesk_server::accounts::THROTTLE_FAILURES;
    for i in 0..limit {
        let server = if i % 2 == 0 { &first } else { &second };
        let reply = server.call("POST", "/api/v1/auth/token", None, Some(wrong.clone()));
        assert_error(&reply.await, StatusCode::UNAUTHORIZED, "unauthorized");
    }
    let right = json!({"login": "john@example.com", "password": PASSWORD});
    for server in [&first, &second] {
        let reply = server.call("POST", "/api/v1/auth/token", None, Some(right.clone()));
        assert_error(
            &reply.await,
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
        );
    }
}
