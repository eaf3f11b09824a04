//! The automation admin pages (issue 22) driven as a browser does: rules (triggers and
//! scheduled ones) are listed and added with their conditions and actions, a refused form
//! comes back with its input kept and the reason inline, a rule's page shows its dry run and
//! its firing log; macros are added and an agent applies one from the ticket page; anyone but
//! an admin is refused the admin pages.

use axum::http::StatusCode;
use serde_json::json;

use crate::admin_pages::{enc, form_html, saved};
use crate::support::*;

/// `html` with every UUID (they differ per run) written `[id]`.
fn without_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while !rest.is_empty() {
        let uuid = rest.get(..36).filter(|s| uuid::Uuid::parse_str(s).is_ok());
        match uuid {
            Some(_) => {
                out.push_str("[id]");
                rest = &rest[36..];
            }
            None => {
                let c = rest.chars().next().unwrap();
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

#[tokio::test]
async fn admins_add_scheduled_rules_on_the_page_and_see_their_dry_run_and_log() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin/rules")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"rule-add\""), "{html}");
    // Only real choices: the desk's departments among the actions.
    assert!(html.contains("Billing") && html.contains("close:unsolved"));
    assert!(!html.contains("close:merged"));

    // A schedule of zero minutes is refused inline, the input kept.
    let bad = form(
        &fx,
        &root,
        "/admin/rules",
        &format!(
            "name={}&position=5&active=on&kind=scheduled&every_minutes=0&held_amount=10\
             &held_unit=business_days&status_pending_customer=on&action_0=note&action_0_text={}",
            enc("Închide cele vechi"),
            enc("Închis automat")
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let kept = form_html(&bad.text(), "rule-add");
    assert!(kept.contains("role=\"alert\""), "{kept}");
    assert!(kept.contains("Închide cele vechi"), "{kept}");
    assert!(kept.contains("value=\"business_days\" selected"), "{kept}");
    insta::assert_snapshot!("scheduled_rule_refused", without_ids(&kept));

    saved(
        &form(
            &fx,
            &root,
            "/admin/rules",
            &format!(
                "name={}&position=5&active=on&kind=scheduled&every_minutes=60&held_amount=10\
                 &held_unit=business_days&status_pending_customer=on&action_0=note\
                 &action_0_text={}&action_1=close%3Aunsolved&action_2=notify_assignee",
                enc("Închide cele vechi"),
                enc("Închis automat")
            ),
        )
        .await,
    );
    let rules = fx.get("/api/v1/rules", &fx.admin).await.items();
    assert_eq!(rules.len(), 1);
    assert_eq!(
        rules[0]["schedule"],
        json!({"every_minutes": 60, "unchanged_for": {"amount": 10, "unit": "business_days"}})
    );
    assert_eq!(
        rules[0]["conditions"]["statuses"],
        json!(["pending_customer"])
    );
    assert_eq!(rules[0]["actions"].as_array().unwrap().len(), 3);
    let id = rules[0]["id"].as_str().unwrap().to_owned();

    // A trigger that fires, for the log.
    saved(
        &form(
            &fx,
            &root,
            "/admin/rules",
            "name=Net&kind=trigger&active=on&event_created=on&text=internet&action_0=add_tag&action_0_text=net",
        )
        .await,
    );
    let t = fx.open(&fx.ana, "Nu merge internetul").await;
    assert_eq!(t["tags"], json!(["net"]));
    let html = page(&fx, &root, "/admin/rules")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains(&format!("/tickets/{}", t["id"].as_str().unwrap())));

    // The rule's page: its form filled in, its dry run (nothing is ten days old) and log.
    let uri = format!("/admin/rules/{id}");
    let html = page(&fx, &root, &uri).await.expect(StatusCode::OK).text();
    let edit = form_html(&html, "rule-edit");
    assert!(
        edit.contains("name=\"status_pending_customer\" value=\"on\" checked"),
        "{edit}"
    );
    assert!(edit.contains("value=\"close:unsolved\" selected"), "{edit}");
    assert!(html.contains("class=\"dry-run\""));
    // A blank name is refused, the rest kept.
    let bad = form(
        &fx,
        &root,
        &uri,
        "name=+&kind=scheduled&every_minutes=30&action_0=add_tag&action_0_text=vechi",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let kept = form_html(&bad.text(), "rule-edit");
    assert!(kept.contains("value=\"30\""), "{kept}");
    assert!(kept.contains("value=\"vechi\""), "{kept}");

    // Deleting needs the box ticked.
    let unticked = form(&fx, &root, &format!("{uri}/delete"), "").await;
    assert_eq!(unticked.status, StatusCode::BAD_REQUEST);
    saved(&form(&fx, &root, &format!("{uri}/delete"), "confirm=on").await);
    assert_eq!(fx.get("/api/v1/rules", &fx.admin).await.items().len(), 1);

    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, "/admin/rules")
        .await
        .expect(StatusCode::FORBIDDEN);
    page(&fx, &ivan, "/admin/macros")
        .await
        .expect(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_agent_applies_a_macro_from_the_ticket_page() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let bad = form(
        &fx,
        &root,
        "/admin/macros",
        "name=Check&action_0=add_tag&action_0_text=+",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let kept = form_html(&bad.text(), "macro-add");
    assert!(
        kept.contains("role=\"alert\"") && kept.contains("value=\"Check\""),
        "{kept}"
    );
    saved(
        &form(
            &fx,
            &root,
            "/admin/macros",
            "name=Check&action_0=add_tag&action_0_text=checked&action_1=note&action_1_text=Verificat",
        )
        .await,
    );
    let macros = fx.get("/api/v1/macros", &fx.ivan).await.items();
    let id = macros[0]["id"].as_str().unwrap().to_owned();

    let t = fx.open(&fx.ana, "Router").await;
    let ticket = t["id"].as_str().unwrap();
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, &format!("/tickets/{ticket}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"macros\""), "{html}");
    saved(
        &form(
            &fx,
            &ivan,
            &format!("/tickets/{ticket}/macro"),
            &format!("macro={id}"),
        )
        .await,
    );
    let after = fx
        .get(&format!("/api/v1/tickets/{ticket}"), &fx.ivan)
        .await
        .json();
    assert_eq!(after["tags"], json!(["checked"]));
    // The customer sees no macro form.
    let ana = page_login(&fx, "ana@example.ro").await;
    let html = page(&fx, &ana, &format!("/tickets/{ticket}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(!html.contains("id=\"macros\""));
}
