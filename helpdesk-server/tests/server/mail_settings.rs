//! The mail settings kept in the store, through the API and the admin pages: the desk-wide
//! ones and each department's own address, set by admins only, refused with the reason
//! (inline on the pages, the input kept), audited, and applied by the desk on its next mail.

use axum::http::StatusCode;
use helpdesk::service::Ingested;
use serde_json::{Value, json};

use crate::admin_pages::{form_html, saved};
use crate::support::*;

/// The mail settings routes, tested below with a success and an error each (`routes.rs`
/// checks the OpenAPI table against these and its own lists).
pub(crate) const MAIL_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/settings/mail"),
    ("put", "/api/v1/settings/mail"),
    (
        "put",
        "/api/v1/settings/departments/{department}/mail-address",
    ),
];

async fn put(fx: &Fixture, uri: &str, token: &str, body: Value) -> Reply {
    fx.call("PUT", uri, Some(token), Some(body)).await
}

async fn billing(fx: &Fixture) -> String {
    let all = fx
        .get("/api/v1/departments", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    all.iter().find(|d| d["name"] == "Billing").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn admins_set_mail_settings_and_department_addresses_through_the_api() {
    let fx = fixture().await;
    let billing = billing(&fx).await;

    // GET: 200 for an admin (nothing stored yet); 403 for an agent.
    let empty = fx
        .get("/api/v1/settings/mail", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(empty, json!({}));
    assert_error(
        &fx.get("/api/v1/settings/mail", &fx.ivan).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );

    // PUT: 200; 400 for a bad address or too many answers; 404 for a missing department;
    // 403 for a customer.
    let body = json!({
        "from": "Help@Desk.example",
        "from_name": "Desk Help",
        "inbound_department": fx.support,
        "unknown_senders": "reject",
        "auto_answers_per_hour": 3,
        "list_mail": "ignore",
    });
    let set = put(&fx, "/api/v1/settings/mail", &fx.admin, body)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(set["from"], "help@desk.example");
    assert_eq!(set["unknown_senders"], "reject");
    assert_eq!(set["auto_answers_per_hour"], 3);
    for bad in [
        json!({"from": "not an address"}),
        json!({"auto_answers_per_hour": 10001}),
        json!({"list_mail": "sometimes"}),
        json!({"colour": "blue"}),
    ] {
        let reply = put(&fx, "/api/v1/settings/mail", &fx.admin, bad.clone()).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "validation");
    }
    let missing = put(
        &fx,
        "/api/v1/settings/mail",
        &fx.admin,
        json!({"inbound_department": "0190c3e2-0000-7000-8000-000000000000"}),
    )
    .await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not_found");
    let refused = put(
        &fx,
        "/api/v1/settings/mail",
        &fx.ana,
        json!({"from": "evil@example.com"}),
    )
    .await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");

    // PUT a department's address: 200; 409 when it is the desk's; 404 for no department.
    let uri = format!("/api/v1/settings/departments/{billing}/mail-address");
    let set = put(
        &fx,
        &uri,
        &fx.admin,
        json!({"address": "billing@desk.example", "list_mail": "ignore"}),
    )
    .await
    .expect(StatusCode::OK)
    .json();
    assert_eq!(
        set["departments"][&billing],
        json!({"address": "billing@desk.example", "list_mail": "ignore"})
    );
    let support_uri = format!("/api/v1/settings/departments/{}/mail-address", fx.support);
    let taken = put(
        &fx,
        &support_uri,
        &fx.admin,
        json!({"address": "help@desk.example"}),
    )
    .await;
    assert_error(&taken, StatusCode::CONFLICT, "conflict");
    let nowhere = put(
        &fx,
        "/api/v1/settings/departments/0190c3e2-0000-7000-8000-000000000000/mail-address",
        &fx.admin,
        json!({"address": "x@desk.example"}),
    )
    .await;
    assert_error(&nowhere, StatusCode::NOT_FOUND, "not_found");
    let agent = put(&fx, &uri, &fx.ivan, json!({"address": null})).await;
    assert_error(&agent, StatusCode::FORBIDDEN, "forbidden");

    // The desk applies them on its next mail, though it was opened without mail settings.
    let desk = fx.desk.clone().unwrap();
    let raw = b"From: ana@example.ro\r\nTo: billing@desk.example\r\nSubject: Invoice\r\n\
        Message-ID: <i1@example.ro>\r\n\r\nWrong amount.\r\n";
    match desk.ingest_email(raw).await.unwrap() {
        Ingested::Appended(t) | Ingested::Opened(t) => {
            assert_eq!(t.department.to_string(), billing)
        }
        other => panic!("{other:?}"),
    }

    // Every change is in the audit trail; removing the address too.
    put(&fx, &uri, &fx.admin, json!({"address": null}))
        .await
        .expect(StatusCode::OK);
    let audit = fx
        .get("/api/v1/settings/audit", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    let mail: Vec<_> = audit.iter().filter(|c| c["key"] == "mail").collect();
    assert_eq!(mail.len(), 3, "{audit:?}");
    assert!(mail.iter().all(|c| c["actor"]["kind"] == "agent"));
}

#[tokio::test]
async fn the_mail_settings_page_and_department_address_form_keep_refused_input() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let billing = billing(&fx).await;
    let html = page(&fx, &root, "/admin/mail")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("form id=\"mail-settings\""), "{html}");

    // A count that is no number: refused inline, the input kept.
    let bad = form(
        &fx,
        &root,
        "/admin/mail",
        "from=help%40desk.example&from_name=Desk&inbound_department=&unknown_senders=reject&auto_answers_per_hour=lots&list_mail=",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let refused = form_html(&bad.text(), "mail-settings");
    assert!(refused.contains("role=\"alert\""), "{refused}");
    assert!(refused.contains("value=\"lots\""), "{refused}");
    assert!(refused.contains("value=\"help@desk.example\""), "{refused}");

    saved(
        &form(
            &fx,
            &root,
            "/admin/mail",
            &format!(
                "from=help%40desk.example&from_name=Desk&inbound_department={}&unknown_senders=reject&auto_answers_per_hour=4&list_mail=take_in",
                fx.support
            ),
        )
        .await,
    );
    let stored = fx
        .get("/api/v1/settings/mail", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(stored["auto_answers_per_hour"], 4);
    assert_eq!(stored["inbound_department"], fx.support);

    // The department form: saved; the desk's own address refused inline, input kept.
    let uri = format!("/admin/departments/{billing}/mail-address");
    saved(
        &form(
            &fx,
            &root,
            &uri,
            "address=billing%40desk.example&list_mail=ignore",
        )
        .await,
    );
    let html = page(&fx, &root, "/admin/departments").await.text();
    assert!(html.contains("value=\"billing@desk.example\""), "{html}");
    let support_uri = format!("/admin/departments/{}/mail-address", fx.support);
    let taken = form(
        &fx,
        &root,
        &support_uri,
        "address=help%40desk.example&list_mail=take_in",
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    let refused = form_html(&taken.text(), &format!("mail-address-{}", fx.support));
    assert!(refused.contains("role=\"alert\""), "{refused}");
    assert!(refused.contains("value=\"help@desk.example\""), "{refused}");

    // The audit page names the setting; an agent is refused the page.
    let audit = page(&fx, &root, "/admin/audit").await.text();
    assert!(audit.contains("Mail settings"), "{audit}");
    let ivan = page_login(&fx, "ivan@example.com").await;
    assert_eq!(
        page(&fx, &ivan, "/admin/mail").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_servers_mail_from_flag_writes_the_stored_address_once() {
    let fx = fixture().await;
    let desk = fx.desk.clone().unwrap();
    let from = helpdesk::domain::Email::parse("desk@example.com").unwrap();
    helpdesk_server::setup::store_mail_from(&desk, &from)
        .await
        .unwrap();
    helpdesk_server::setup::store_mail_from(&desk, &from)
        .await
        .unwrap();
    let stored = fx
        .get("/api/v1/settings/mail", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(stored, json!({"from": "desk@example.com"}));
    let audit = fx
        .get("/api/v1/settings/audit", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(
        audit.len(),
        1,
        "the same address again writes nothing: {audit:?}"
    );
    assert_eq!(audit[0]["actor"]["kind"], "system");
}

/// `--demo` stores mail settings once: the desk's address and name on the example domain,
/// new mail to Support, an address for each department; `/admin/mail` shows them, and a
/// second `--demo` writes nothing more.
#[tokio::test]
async fn the_demo_stores_mail_settings_once_and_admin_mail_shows_them() {
    let desk = desk_at(":memory:").await;
    let (router, accounts) = app(desk.clone(), helpdesk_server::Options::default());
    helpdesk_server::demo::load(&desk, &accounts).await.unwrap();
    helpdesk_server::demo::load(&desk, &accounts).await.unwrap();
    let system = desk.as_system();
    let changes = system.setting_changes(500).await.unwrap();
    assert_eq!(
        changes
            .iter()
            .filter(|c| c.key == helpdesk::store::SettingKey::Mail)
            .count(),
        3,
        "the desk's settings and two addresses, once: {changes:?}"
    );

    let fx = Fixture::bare(router);
    let admin = fx
        .call(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(
                json!({"login": "admin@demo.example", "password": helpdesk_server::demo::PASSWORD}),
            ),
        )
        .await
        .expect(StatusCode::CREATED)
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mail = fx
        .get("/api/v1/settings/mail", &admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(mail["from"], "help@demo.example", "{mail}");
    assert_eq!(mail["from_name"], "Demo help desk", "{mail}");
    let support = desk
        .as_system()
        .departments()
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.name.as_str() == "Support")
        .unwrap();
    assert_eq!(mail["inbound_department"], support.id.to_string());
    let addresses: Vec<&str> = mail["departments"]
        .as_object()
        .unwrap()
        .values()
        .map(|a| a["address"].as_str().unwrap())
        .collect();
    assert_eq!(addresses.len(), 2, "{mail}");
    assert!(addresses.contains(&"support@demo.example"), "{mail}");
    assert!(addresses.contains(&"billing@demo.example"), "{mail}");

    let signed_in = sign_in_page(&fx, "admin@demo.example", helpdesk_server::demo::PASSWORD).await;
    let cookie = signed_in.headers[axum::http::header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let session = Session {
        cookie,
        csrf: String::new(),
    };
    let html = page(&fx, &session, "/admin/mail")
        .await
        .expect(StatusCode::OK)
        .text();
    for shown in [
        "help@demo.example",
        "Demo help desk",
        "billing@demo.example",
    ] {
        assert!(html.contains(shown), "{shown} on /admin/mail");
    }
}
