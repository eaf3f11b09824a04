//! Addresses marked undeliverable after a permanent bounce, through the API and the admin
//! page (admins): listed by address with the status and the ticket, cleared; the mail
//! settings that govern them (VERP, how long a mark lasts) set on `/admin/mail`; others are
//! refused.

use axum::http::StatusCode;
use helpdesk::Helpdesk;
use helpdesk::domain::{Email, TicketId};
use helpdesk::service::{Ingested, MailDefaults};
use serde_json::json;

use crate::support::*;

/// The undeliverable-address routes, tested below with a success and an error each
/// (`routes.rs` checks the OpenAPI table against these and its own lists).
pub(crate) const UNDELIVERABLE_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/mail/undeliverable"),
    ("delete", "/api/v1/mail/undeliverable/{address}"),
];

/// The fixture's desk with its mail settings stored, taking mail into support.
async fn mail_desk(fx: &Fixture) -> Helpdesk {
    let desk = fx.desk.clone().unwrap();
    desk.as_system()
        .set_mail_settings(MailDefaults {
            from: Some(Email::parse("help@desk.example").unwrap()),
            inbound_department: Some(fx.support.parse().unwrap()),
            ..MailDefaults::default()
        })
        .await
        .unwrap();
    desk
}

/// Ana writes (a ticket and its acknowledgement), and the acknowledgement bounces for good:
/// her address is marked. The ticket.
async fn ana_bounced(desk: &Helpdesk) -> TicketId {
    let mail = b"From: Ana <ana@example.ro>\r\nTo: help@desk.example\r\nSubject: Imprimanta\r\n\
Message-ID: <u1@example.ro>\r\n\r\nNu merge.\r\n";
    let Ingested::Opened(ticket) = desk.ingest_email(mail).await.unwrap() else {
        panic!("no ticket");
    };
    let ack = desk.store().ticket_emails(ticket.id).await.unwrap()[0].clone();
    let bounce = format!(
        "From: MAILER-DAEMON@mx.example.ro\r\nTo: help@desk.example\r\nSubject: Undelivered\r\n\
Message-ID: <dsn-u1@mx.example.ro>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n\
--R\r\nContent-Type: text/plain\r\n\r\nNo luck.\r\n\
--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.ro\r\n\r\n\
Final-Recipient: rfc822; ana@example.ro\r\nAction: failed\r\nStatus: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n\
--R\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{}>\r\n\r\n--R--\r\n",
        ack.message_id
    );
    assert_eq!(
        desk.ingest_email(bounce.as_bytes()).await.unwrap(),
        Ingested::BounceNoted(ticket.id)
    );
    ticket.id
}

#[tokio::test]
async fn admins_list_and_clear_undeliverable_addresses_through_the_api() {
    let fx = fixture().await;
    let desk = mail_desk(&fx).await;
    let ticket = ana_bounced(&desk).await;

    // The list: by address, paged; 403 for an agent; 400 for a bad limit or cursor.
    let page = fx
        .get("/api/v1/mail/undeliverable?limit=1", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    let mark = &page["items"][0];
    assert_eq!(mark["address"], "ana@example.ro");
    assert_eq!(mark["status"], "5.1.1");
    assert_eq!(mark["diagnostic"], "smtp; 550 5.1.1 User unknown");
    assert_eq!(mark["ticket_id"], json!(ticket));
    assert_eq!(page["next"], "ana@example.ro");
    let after = fx
        .get(
            "/api/v1/mail/undeliverable?limit=1&after=ana@example.ro",
            &fx.admin,
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(after, json!({"items": [], "next": null}));
    assert_error(
        &fx.get("/api/v1/mail/undeliverable", &fx.ivan).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_error(
        &fx.get("/api/v1/mail/undeliverable?limit=0", &fx.admin)
            .await,
        StatusCode::BAD_REQUEST,
        "validation",
    );
    assert_error(
        &fx.get("/api/v1/mail/undeliverable?after=nobody", &fx.admin)
            .await,
        StatusCode::BAD_REQUEST,
        "validation",
    );

    // Clear: 403 for an agent, 204, then 404; 400 for what is no address.
    let uri = "/api/v1/mail/undeliverable/ana@example.ro";
    assert_error(
        &fx.call("DELETE", uri, Some(&fx.ivan), None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    fx.call("DELETE", uri, Some(&fx.admin), None)
        .await
        .expect(StatusCode::NO_CONTENT);
    assert_error(
        &fx.call("DELETE", uri, Some(&fx.admin), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &fx.call(
            "DELETE",
            "/api/v1/mail/undeliverable/nobody",
            Some(&fx.admin),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
        "validation",
    );
    let empty = fx
        .get("/api/v1/mail/undeliverable", &fx.admin)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(empty, json!({"items": [], "next": null}));
}

#[tokio::test]
async fn the_mail_settings_api_sets_verp_and_how_long_a_mark_lasts() {
    let fx = fixture().await;
    let set = fx
        .call(
            "PUT",
            "/api/v1/settings/mail",
            Some(&fx.admin),
            Some(json!({"verp": false, "undeliverable_hours": 48})),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(set["verp"], false);
    assert_eq!(set["undeliverable_hours"], 48);
    assert_error(
        &fx.call(
            "PUT",
            "/api/v1/settings/mail",
            Some(&fx.admin),
            Some(json!({"undeliverable_hours": 9000})),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "validation",
    );
}

#[tokio::test]
async fn the_undeliverable_page_lists_marks_and_its_button_clears_one() {
    let fx = fixture().await;
    let desk = mail_desk(&fx).await;
    let ticket = ana_bounced(&desk).await;
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin/undeliverable")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("ana@example.ro"), "{html}");
    assert!(html.contains("550 5.1.1 User unknown"), "{html}");
    assert!(
        html.contains(&format!("href=\"/tickets/{ticket}\"")),
        "{html}"
    );
    assert!(
        html.contains("action=\"/admin/undeliverable/clear\""),
        "{html}"
    );
    crate::admin_pages::saved(
        &form(
            &fx,
            &root,
            "/admin/undeliverable/clear",
            "address=ana%40example.ro",
        )
        .await,
    );
    let html = page(&fx, &root, "/admin/undeliverable").await.text();
    assert!(!html.contains("id=\"undeliverable-0\""), "{html}");
    // Gone: 404; an agent is refused the page and the button.
    let again = form(
        &fx,
        &root,
        "/admin/undeliverable/clear",
        "address=ana%40example.ro",
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let ivan = page_login(&fx, "ivan@example.com").await;
    assert_eq!(
        page(&fx, &ivan, "/admin/undeliverable").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        form(
            &fx,
            &ivan,
            "/admin/undeliverable/clear",
            "address=ana%40example.ro"
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // The mail settings page sets VERP and the hours a mark lasts.
    let html = page(&fx, &root, "/admin/mail").await.text();
    assert!(html.contains("name=\"verp\""), "{html}");
    assert!(html.contains("name=\"undeliverable_hours\""), "{html}");
    crate::admin_pages::saved(
        &form(
            &fx,
            &root,
            "/admin/mail",
            "from=help%40desk.example&verp=false&undeliverable_hours=24",
        )
        .await,
    );
    let stored = desk.as_system().mail_settings().await.unwrap();
    assert_eq!(stored.desk.verp, Some(false));
    assert_eq!(stored.desk.undeliverable_hours, Some(24));
    let refused = form(&fx, &root, "/admin/mail", "undeliverable_hours=many").await;
    assert!(!refused.status.is_redirection());
}
