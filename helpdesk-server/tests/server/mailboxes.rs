//! The IMAP mailboxes stored for departments, through the API and the admin page: admins
//! add, read, edit and remove them, refused with the reason (inline on the page, the input
//! kept), audited; the password is never answered, shown or audited.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::admin_pages::{form_html, saved};
use crate::support::*;

/// The stored mailboxes routes, tested below with a success and an error each (`routes.rs`
/// checks the OpenAPI table against these and its own lists).
pub(crate) const MAILBOXES_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/mail/mailboxes"),
    ("post", "/api/v1/mail/mailboxes"),
    ("get", "/api/v1/mail/mailboxes/{mailbox}"),
    ("put", "/api/v1/mail/mailboxes/{mailbox}"),
    ("delete", "/api/v1/mail/mailboxes/{mailbox}"),
];

const SECRET: &str = "s3cret-pässword";

#[tokio::test]
async fn admins_store_mailboxes_through_the_api_and_the_password_is_never_answered() {
    let fx = fixture().await;
    let body = json!({
        "department": fx.support,
        "host": "imap.desk.example",
        "security": "plain",
        "user": "help@desk.example",
        "password": SECRET,
        "after": "move",
        "move_to": "Preluate",
    });

    // POST: 201 without the password; 400 without one, or with bad settings; 404 for a
    // missing department; 409 for the same folder again; 403 for an agent.
    let added = fx
        .post("/api/v1/mail/mailboxes", &fx.admin, body.clone())
        .await
        .expect(StatusCode::CREATED)
        .json();
    assert_eq!(added["port"], 143, "{added}");
    assert_eq!(added["folder"], "INBOX");
    assert_eq!(added["enabled"], true);
    assert_eq!(added["last_round"], Value::Null);
    assert!(added.get("password").is_none(), "{added}");
    let id = added["id"].as_str().unwrap().to_owned();
    let mut no_password = body.clone();
    no_password.as_object_mut().unwrap().remove("password");
    for (bad, field) in [
        (no_password, "password"),
        (
            json!({"department": fx.support, "host": "imap.desk.example", "user": "x", "password": "p", "poll_seconds": 1}),
            "poll_seconds",
        ),
        (
            json!({"department": fx.support, "host": "imaps://imap.desk.example", "user": "x", "password": "p"}),
            "host",
        ),
        (
            json!({"department": fx.support, "host": "h", "user": "x", "password": "p", "after": "move"}),
            "move_to",
        ),
    ] {
        let reply = fx.post("/api/v1/mail/mailboxes", &fx.admin, bad).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "validation");
        assert_eq!(reply.json()["error"]["field"], field);
    }
    let mut nowhere = body.clone();
    nowhere["department"] = json!(uuid::Uuid::now_v7());
    assert_error(
        &fx.post("/api/v1/mail/mailboxes", &fx.admin, nowhere).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &fx.post("/api/v1/mail/mailboxes", &fx.admin, body.clone())
            .await,
        StatusCode::CONFLICT,
        "conflict",
    );
    assert_error(
        &fx.post("/api/v1/mail/mailboxes", &fx.ivan, body.clone())
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );

    // GET (list and one): 200 for an admin, never the password; 404 for another id; 403 for
    // an agent.
    let uri = format!("/api/v1/mail/mailboxes/{id}");
    let listed = fx
        .get("/api/v1/mail/mailboxes", &fx.admin)
        .await
        .expect(StatusCode::OK);
    assert_eq!(listed.items().len(), 1);
    let one = fx.get(&uri, &fx.admin).await.expect(StatusCode::OK);
    assert_eq!(one.json()["id"], id.as_str());
    assert_error(
        &fx.get(
            &format!("/api/v1/mail/mailboxes/{}", uuid::Uuid::now_v7()),
            &fx.admin,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &fx.get("/api/v1/mail/mailboxes", &fx.ivan).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );

    // PUT: 200, the password kept when not sent; 400 for bad settings.
    let mut edit = body.clone();
    edit.as_object_mut().unwrap().remove("password");
    edit["after"] = json!("flag");
    edit["move_to"] = Value::Null;
    edit["enabled"] = json!(false);
    let edited = fx
        .call("PUT", &uri, Some(&fx.admin), Some(edit.clone()))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(edited["after"], "flag");
    assert_eq!(edited["enabled"], false);
    let desk = fx.desk.clone().unwrap();
    let login = desk.mailbox_login(id.parse().unwrap()).await.unwrap();
    assert_eq!(login.password.expose(), SECRET, "kept");
    let mut bad = edit.clone();
    bad["port"] = json!(0);
    assert_error(
        &fx.call("PUT", &uri, Some(&fx.admin), Some(bad)).await,
        StatusCode::BAD_REQUEST,
        "validation",
    );
    let mut new_password = edit.clone();
    new_password["password"] = json!("another-secret");
    fx.call("PUT", &uri, Some(&fx.admin), Some(new_password))
        .await
        .expect(StatusCode::OK);

    // The audit says the password changed, never what it is.
    let audit = fx
        .get("/api/v1/settings/audit", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(audit.contains(r#""key":"mailbox""#), "{audit}");
    assert!(audit.contains(r#"\"password\":\"changed\""#), "{audit}");
    assert!(
        !audit.contains("s3cret") && !audit.contains("another-secret"),
        "{audit}"
    );
    for reply in [
        fx.get("/api/v1/mail/mailboxes", &fx.admin).await,
        fx.get(&uri, &fx.admin).await,
    ] {
        assert!(!reply.text().contains("s3cret") && !reply.text().contains("another-secret"));
    }

    // DELETE: 204, then 404.
    fx.call("DELETE", &uri, Some(&fx.admin), None)
        .await
        .expect(StatusCode::NO_CONTENT);
    assert_error(
        &fx.call("DELETE", &uri, Some(&fx.admin), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

#[tokio::test]
async fn the_mailboxes_page_adds_edits_and_removes_and_keeps_refused_input_but_no_password() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin/mailboxes")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("form id=\"add-mailbox\""), "{html}");

    // A poll interval out of range: refused inline, the input kept, the password not.
    let typed = |poll: &str| {
        format!(
            "department={}&host=imap.desk.example&port=143&security=plain&user=help&password=s3cret-typed&folder=INBOX&after=flag&move_to=&poll_seconds={poll}&enabled=on",
            fx.support
        )
    };
    let bad = form(&fx, &root, "/admin/mailboxes", &typed("5")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let refused = form_html(&bad.text(), "add-mailbox");
    assert!(refused.contains("role=\"alert\""), "{refused}");
    assert!(refused.contains("value=\"imap.desk.example\""), "{refused}");
    assert!(refused.contains("value=\"5\""), "{refused}");
    assert!(
        !bad.text().contains("s3cret-typed"),
        "the password is never shown again"
    );

    saved(&form(&fx, &root, "/admin/mailboxes", &typed("90")).await);
    let stored = fx
        .get("/api/v1/mail/mailboxes", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["poll_seconds"], 90);
    let id = stored[0]["id"].as_str().unwrap().to_owned();
    let html = page(&fx, &root, "/admin/mailboxes").await.text();
    assert!(
        html.contains(&format!("form id=\"mailbox-{id}\"")),
        "{html}"
    );
    assert!(!html.contains("s3cret-typed"), "{html}");

    // Edited with the password left empty: the stored one is kept.
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/mailboxes/{id}"),
            &typed("120").replace("password=s3cret-typed", "password="),
        )
        .await,
    );
    let desk = fx.desk.clone().unwrap();
    let login = desk.mailbox_login(id.parse().unwrap()).await.unwrap();
    assert_eq!(login.password.expose(), "s3cret-typed");
    assert_eq!(login.mailbox.settings.poll_seconds, 120);

    // Removed once confirmed.
    let unconfirmed = form(&fx, &root, &format!("/admin/mailboxes/{id}/delete"), "").await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/mailboxes/{id}/delete"),
            "confirm=on",
        )
        .await,
    );
    assert!(
        fx.get("/api/v1/mail/mailboxes", &fx.admin)
            .await
            .expect(StatusCode::OK)
            .items()
            .is_empty()
    );
    let ivan = page_login(&fx, "ivan@example.com").await;
    assert_eq!(
        page(&fx, &ivan, "/admin/mailboxes").await.status,
        StatusCode::FORBIDDEN
    );
}
