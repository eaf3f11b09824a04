//! Hostile values in every field of every form on the pages (issue 18): control characters,
//! CR/LF, NUL, markup, SQL, path tricks, huge numbers and long text. Each is a page or a
//! refusal (4xx), never a 500.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

/// Every field name any page form reads.
const FIELDS: &[&str] = &[
    "action",
    "agent",
    "billable",
    "body",
    "by",
    "canned",
    "customer",
    "customer_kind",
    "department",
    "email",
    "enabled",
    "helpful",
    "internal",
    "login",
    "master",
    "minutes",
    "name",
    "note",
    "note_visible_to_customer",
    "notice",
    "password",
    "priority",
    "priority_adjusted",
    "public_url",
    "q",
    "reason",
    "signature",
    "subject",
    "template",
    "text",
    "ticket",
    "ticket_type",
    "phone",
    "follow_up",
    "role",
    "calendar",
    "zone",
    "hours",
    "holidays",
    "yearly_holidays",
    "kind",
    "language",
    "contract_number",
    "address",
    "first_response_minutes",
    "warn_percent",
    "max_size",
    "max_count",
    "max_per_ticket",
    "allowed_types",
    "subject_prefix",
    "required_fields",
    "from",
    "from_name",
    "inbound_department",
    "unknown_senders",
    "auto_answers_per_hour",
    "list_mail",
    "organisation",
    "max_bytes_per_ticket",
    "tags",
    "address",
];

/// Values no field expects.
fn hostile_values() -> Vec<String> {
    vec![
        "\r\nLocation: https://evil.example/\r\n".to_owned(),
        "line\rbreak\nand\r\n".to_owned(),
        "nul\0byte".to_owned(),
        "\u{7}\u{1b}[31mbell".to_owned(),
        "<script>alert(1)</script>".to_owned(),
        "' OR 1=1; DROP TABLE tickets; --".to_owned(),
        "../../../etc/passwd".to_owned(),
        "%00%0d%0a".to_owned(),
        "99999999999999999999999999".to_owned(),
        "-1".to_owned(),
        "\u{202e}evil\u{202c}".to_owned(),
        "#".to_owned(),
        " ".to_owned(),
        "x".repeat(200_000),
    ]
}

/// Percent-encodes every byte that is not unreserved.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn no_hostile_form_value_gives_a_500() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Hostile forms").await;
    let id = ticket["id"].as_str().unwrap().to_owned();
    // A notification for Ana (her ticket answered), for the notification buttons.
    fx.post(
        &format!("/api/v1/tickets/{id}/messages"),
        &fx.ivan,
        json!({"body": "We replied."}),
    )
    .await
    .expect(StatusCode::CREATED);
    let notifications = fx.get("/api/v1/notifications", &fx.ana).await.items();
    let notification = notifications[0]["id"].as_str().unwrap().to_owned();
    let customer = fx.get("/api/v1/me", &fx.ana).await.json()["actor"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = page_login(&fx, "root@example.com").await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let article = uuid::Uuid::now_v7();
    let routes: Vec<(&Session, String)> = vec![
        (&ana, format!("/notifications/{notification}/view")),
        (&ana, format!("/notifications/{notification}/snooze")),
        (&ana, format!("/portal/kb/{article}/vote")),
        (&ana, "/portal/tickets".to_owned()),
        (&ana, format!("/tickets/{id}/message")),
        (&ana, format!("/tickets/{id}/action")),
        (&ivan, format!("/tickets/{id}/message")),
        (&ivan, format!("/tickets/{id}/action")),
        (&ivan, "/console/tickets".to_owned()),
        (&admin, "/admin/settings".to_owned()),
        (&admin, "/admin/departments".to_owned()),
        (&admin, format!("/admin/agents/{}/signature", fx.ivan_id)),
        (&admin, format!("/admin/customers/{customer}/access")),
        (&admin, format!("/admin/customers/{customer}/login")),
        (&admin, format!("/admin/customers/{customer}")),
        (&admin, "/admin/customers".to_owned()),
        (&admin, "/admin/agents".to_owned()),
        (&admin, format!("/admin/agents/{}", fx.ivan_id)),
        (&admin, format!("/admin/agents/{}/login", fx.ivan_id)),
        (&admin, format!("/admin/agents/{}/active", fx.ivan_id)),
        (&admin, format!("/admin/departments/{}", fx.support)),
        (
            &admin,
            format!("/admin/departments/{}/calendar", fx.support),
        ),
        (&admin, "/admin/calendars".to_owned()),
        (&admin, "/admin/calendars/delete".to_owned()),
        (&admin, "/admin/default-calendar".to_owned()),
        (&admin, "/admin/sla-policies".to_owned()),
        (&admin, "/admin/sla-policies/delete".to_owned()),
        (&admin, "/admin/attachments".to_owned()),
        (&admin, "/admin/mail".to_owned()),
        (
            &admin,
            format!("/admin/departments/{}/mail-address", fx.support),
        ),
        (&admin, "/admin/templates".to_owned()),
        (&admin, "/admin/canned".to_owned()),
        (&ivan, format!("/tickets/{id}/tags")),
        (&ivan, "/console/tags".to_owned()),
        (&ivan, format!("/tickets/{id}/cc")),
        (&ivan, format!("/tickets/{id}/follow")),
    ];
    let mut checked = 0;
    for value in hostile_values() {
        let encoded = encode(&value);
        let body = FIELDS
            .iter()
            .map(|f| format!("{f}={encoded}"))
            .collect::<Vec<_>>()
            .join("&");
        for (session, uri) in &routes {
            let reply = form(&fx, session, uri, &body).await;
            assert!(
                reply.status.is_success()
                    || reply.status.is_redirection()
                    || reply.status.is_client_error(),
                "{uri} with {:?}: {} {}",
                value.chars().take(40).collect::<String>(),
                reply.status,
                reply.text().chars().take(300).collect::<String>()
            );
            checked += 1;
        }
        // Each field alone, beside valid ones, on the notification's view (the ticket field
        // reaches the redirect's Location).
        let reply = form(
            &fx,
            &ana,
            &format!("/notifications/{notification}/view"),
            &format!("ticket={encoded}"),
        )
        .await;
        assert!(
            reply.status.is_client_error() || reply.status.is_redirection(),
            "view with {:?}: {}",
            value.chars().take(40).collect::<String>(),
            reply.status
        );
        if reply.status.is_redirection() {
            let location = reply.headers["location"].to_str().unwrap();
            assert!(!location.contains(['\r', '\n']), "{location:?}");
        }
    }
    assert!(checked > 100, "{checked}");
    // The pages still work: nothing broke along the way.
    page(&fx, &admin, "/admin").await.expect(StatusCode::OK);
    for uri in [
        "/admin/departments",
        "/admin/agents",
        "/admin/customers",
        "/admin/service-levels",
        "/admin/attachments",
        "/admin/mail",
        "/admin/templates",
        "/admin/audit",
    ] {
        page(&fx, &admin, uri).await.expect(StatusCode::OK);
    }
}
