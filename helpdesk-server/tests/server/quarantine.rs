//! Mail the desk could not take in, kept in the quarantine, and the ignored-mail log,
//! through the API (admins): listed newest first, read, downloaded byte for byte,
//! reprocessed (it leaves once taken in), discarded; others are refused.

use axum::http::{StatusCode, header};
use helpdesk::Helpdesk;
use helpdesk::domain::{Department, DepartmentId, Email};
use helpdesk::service::{Ingested, ListMail, MailDefaults};
use serde_json::json;

use crate::support::*;

/// The quarantine routes, tested below with a success and an error each (`routes.rs`
/// checks the OpenAPI table against these and its own lists).
pub(crate) const QUARANTINE_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/mail/quarantine"),
    ("get", "/api/v1/mail/quarantine/{mail}"),
    ("delete", "/api/v1/mail/quarantine/{mail}"),
    ("get", "/api/v1/mail/quarantine/{mail}/raw"),
    ("post", "/api/v1/mail/quarantine/{mail}/reprocess"),
    ("get", "/api/v1/mail/ignored"),
];

const MISSING: &str = "0190c3e2-0000-7000-8000-000000000000";

fn mail(message_id: &str, headers: &str) -> Vec<u8> {
    format!(
        "From: Ana <ana@example.ro>\r\nTo: help@desk.example\r\nSubject: Imprimanta\r\n\
         Message-ID: <{message_id}>\r\n{headers}\r\nNu merge.\r\n"
    )
    .into_bytes()
}

/// Support, open or closed to new tickets.
async fn set_support_active(fx: &Fixture, active: bool) {
    let desk = fx.desk.as_ref().unwrap();
    let id: DepartmentId = fx.support.parse().unwrap();
    let support: Department = desk.store().department(id).await.unwrap().unwrap();
    desk.store()
        .put_department(&Department { active, ..support })
        .await
        .unwrap();
}

/// The fixture's desk with its mail settings stored (as the server keeps them), taking mail
/// into support.
async fn mail_desk(fx: &Fixture, list_mail: ListMail) -> Helpdesk {
    let desk = fx.desk.clone().unwrap();
    desk.as_system()
        .set_mail_settings(MailDefaults {
            from: Some(Email::parse("help@desk.example").unwrap()),
            inbound_department: Some(fx.support.parse().unwrap()),
            list_mail: Some(list_mail),
            ..MailDefaults::default()
        })
        .await
        .unwrap();
    desk
}

#[tokio::test]
async fn admins_list_read_reprocess_and_discard_quarantined_mail_through_the_api() {
    let fx = fixture().await;
    let desk = mail_desk(&fx, ListMail::TakeIn).await;
    set_support_active(&fx, false).await;
    let raw = mail("q1@example.ro", "");
    let Ingested::Quarantined(first) = desk.ingest_email(&raw).await.unwrap() else {
        panic!("not quarantined");
    };
    let Ingested::Quarantined(second) =
        desk.ingest_email(&mail("q2@example.ro", "")).await.unwrap()
    else {
        panic!("not quarantined");
    };

    // The list: newest first, paged; 403 for an agent; 400 for a bad limit.
    let page = fx
        .get("/api/v1/mail/quarantine?limit=1", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(page["items"][0]["id"], json!(second));
    assert_eq!(page["older"], json!(second));
    let next = fx
        .get(
            &format!("/api/v1/mail/quarantine?limit=1&before={second}"),
            &fx.admin,
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(next["items"][0]["id"], json!(first));
    assert_eq!(next["items"][0]["code"], "validation");
    assert_eq!(next["items"][0]["summary"]["sender"], "ana@example.ro");
    assert_error(
        &fx.get("/api/v1/mail/quarantine", &fx.ivan).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_error(
        &fx.get("/api/v1/mail/quarantine?limit=0", &fx.admin).await,
        StatusCode::BAD_REQUEST,
        "validation",
    );

    // One: metadata, and the bytes as received; 404 for a missing one, 400 for a bad id.
    let one = fx
        .get(&format!("/api/v1/mail/quarantine/{first}"), &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(one["summary"]["message_id"], "q1@example.ro");
    assert!(
        one["reason"]
            .as_str()
            .unwrap()
            .contains("not accepting tickets")
    );
    let bytes = fx
        .get(&format!("/api/v1/mail/quarantine/{first}/raw"), &fx.admin)
        .await
        .expect(StatusCode::OK);
    assert_eq!(bytes.headers[header::CONTENT_TYPE], "message/rfc822");
    assert_eq!(bytes.bytes, raw);
    assert_error(
        &fx.get(&format!("/api/v1/mail/quarantine/{MISSING}"), &fx.admin)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &fx.get(&format!("/api/v1/mail/quarantine/{MISSING}/raw"), &fx.admin)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &fx.get("/api/v1/mail/quarantine/not-an-id", &fx.admin).await,
        StatusCode::BAD_REQUEST,
        "validation",
    );

    // Reprocess: still failing, it stays; taken in, it leaves; 404 then; 403 for a customer.
    let uri = format!("/api/v1/mail/quarantine/{first}/reprocess");
    let again = fx
        .call("POST", &uri, Some(&fx.admin), None)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(again, json!({"outcome": "quarantined", "mail": first}));
    assert_error(
        &fx.call("POST", &uri, Some(&fx.ana), None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    set_support_active(&fx, true).await;
    let taken = fx
        .call("POST", &uri, Some(&fx.admin), None)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(taken["outcome"], "opened");
    assert_eq!(taken["ticket"]["subject"], "Imprimanta");
    assert_error(
        &fx.call("POST", &uri, Some(&fx.admin), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    // Discard: 204, then 404; 403 for an agent.
    let uri = format!("/api/v1/mail/quarantine/{second}");
    assert_error(
        &fx.call("DELETE", &uri, Some(&fx.ivan), None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    fx.call("DELETE", &uri, Some(&fx.admin), None)
        .await
        .expect(StatusCode::NO_CONTENT);
    assert_error(
        &fx.call("DELETE", &uri, Some(&fx.admin), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let empty = fx
        .get("/api/v1/mail/quarantine", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(empty, json!({"items": [], "older": null}));
}

#[tokio::test]
async fn admins_read_the_log_of_ignored_list_mail_through_the_api() {
    let fx = fixture().await;
    let desk = mail_desk(&fx, ListMail::Ignore).await;
    let list = mail("l1@example.ro", "List-Id: <printers.example.ro>\r\n");
    assert!(matches!(
        desk.ingest_email(&list).await.unwrap(),
        Ingested::Ignored(_)
    ));
    let log = fx
        .get("/api/v1/mail/ignored", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .items();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["why"], "list mail");
    assert_eq!(log[0]["summary"]["message_id"], "l1@example.ro");
    assert_error(
        &fx.get("/api/v1/mail/ignored", &fx.ivan).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_error(
        &fx.get("/api/v1/mail/ignored?before=nope", &fx.admin).await,
        StatusCode::BAD_REQUEST,
        "validation",
    );
}

#[tokio::test]
async fn the_quarantine_page_lists_kept_mail_and_its_buttons_reprocess_and_discard_it() {
    let fx = fixture().await;
    let desk = mail_desk(&fx, ListMail::TakeIn).await;
    set_support_active(&fx, false).await;
    let Ingested::Quarantined(first) = desk.ingest_email(&mail("p1@example.ro", "")).await.unwrap()
    else {
        panic!("not quarantined");
    };
    let Ingested::Quarantined(second) =
        desk.ingest_email(&mail("p2@example.ro", "")).await.unwrap()
    else {
        panic!("not quarantined");
    };
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin/quarantine")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains(&format!("id=\"mail-{first}\"")), "{html}");
    assert!(html.contains("not accepting tickets"), "{html}");
    assert!(
        html.contains(&format!("action=\"/admin/quarantine/{second}/reprocess\"")),
        "{html}"
    );

    // Still failing: back to the list, still there; taken in once support is open again.
    let uri = format!("/admin/quarantine/{first}/reprocess");
    crate::admin_pages::saved(&form(&fx, &root, &uri, "").await);
    let html = page(&fx, &root, "/admin/quarantine").await.text();
    assert!(html.contains(&format!("id=\"mail-{first}\"")), "{html}");
    set_support_active(&fx, true).await;
    crate::admin_pages::saved(&form(&fx, &root, &uri, "").await);
    let discard = format!("/admin/quarantine/{second}/discard");
    crate::admin_pages::saved(&form(&fx, &root, &discard, "").await);
    let html = page(&fx, &root, "/admin/quarantine").await.text();
    assert!(!html.contains("id=\"mail-"), "{html}");
    // Gone: 404; an agent is refused the page and the buttons.
    assert_eq!(
        form(&fx, &root, &discard, "").await.status,
        StatusCode::NOT_FOUND
    );
    let ivan = page_login(&fx, "ivan@example.com").await;
    assert_eq!(
        page(&fx, &ivan, "/admin/quarantine").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        form(&fx, &ivan, &uri, "").await.status,
        StatusCode::FORBIDDEN
    );
}
