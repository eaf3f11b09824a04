//! The admin pages of the settings driven as a browser does — calendars, SLA policies,
//! attachment limits, templates and canned responses, the audit trail: each renders for an
//! admin, a form posted changes the store, a bad input shows the form again with the reason
//! inline and the input kept, and anyone but an admin is refused.

use axum::http::StatusCode;

use crate::admin_pages::{form_html, saved};
use crate::support::*;

#[tokio::test]
async fn calendars_the_default_and_sla_policies_are_set_and_audited() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    page(&fx, &root, "/admin/service-levels")
        .await
        .expect(StatusCode::OK);

    // A zone that does not exist: refused inline, the hours and holidays kept.
    let bad = form(
        &fx,
        &root,
        "/admin/calendars",
        "name=Office&zone=Mars%2FOlympus&hours=mon-fri+09%3A00-18%3A00&holidays=2026-12-25&yearly_holidays=01-01",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let refused = form_html(&bad.text(), "calendar");
    insta::assert_snapshot!("calendar_refused", refused);

    saved(
        &form(
            &fx,
            &root,
            "/admin/calendars",
            "name=Office&zone=Europe%2FBucharest&hours=mon-fri+09%3A00-18%3A00&holidays=2026-12-25&yearly_holidays=01-01",
        )
        .await,
    );
    saved(&form(&fx, &root, "/admin/default-calendar", "calendar=Office").await);
    let levels = fx
        .get("/api/v1/settings/service-levels", &fx.admin)
        .await
        .json();
    assert_eq!(levels["default_calendar"], "Office");
    let html = page(&fx, &root, "/admin/service-levels").await.text();
    assert!(
        html.contains("mon-fri 09:00-18:00")
            && html.contains("2026-12-25")
            && html.contains("01-01"),
        "{html}"
    );

    // A policy without a target is refused inline, its ticks kept.
    let bad = form(
        &fx,
        &root,
        "/admin/sla-policies",
        "name=Urgent&priority_urgent=on",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let sla = form_html(&bad.text(), "sla");
    assert!(
        sla.contains("name=\"priority_urgent\" value=\"on\" checked"),
        "{sla}"
    );
    saved(
        &form(
            &fx,
            &root,
            "/admin/sla-policies",
            "name=Urgent&priority_urgent=on&kind_organisation=on&first_response_minutes=30&resolution_minutes=240&calendar=Office&warn_percent=75",
        )
        .await,
    );
    let levels = fx
        .get("/api/v1/settings/service-levels", &fx.admin)
        .await
        .json();
    let policy = &levels["policies"][0];
    assert_eq!(policy["priorities"], serde_json::json!(["urgent"]));
    assert_eq!(
        policy["customer_kinds"],
        serde_json::json!(["organisation"])
    );
    assert_eq!(policy["first_response_minutes"], 30);
    assert_eq!(policy["calendar"], "Office");
    // A calendar in use may not be deleted; the refusal is shown on its delete button.
    // Each calendar and policy opens in its form to be edited.
    let html = page(
        &fx,
        &root,
        "/admin/service-levels?calendar=Office&sla=Urgent",
    )
    .await
    .expect(StatusCode::OK)
    .text();
    let calendar = form_html(&html, "calendar");
    for kept in [
        "value=\"Office\"",
        "value=\"Europe/Bucharest\"",
        "mon-fri 09:00-18:00</textarea>",
        "value=\"2026-12-25\"",
        "value=\"01-01\"",
    ] {
        assert!(calendar.contains(kept), "{kept} in {calendar}");
    }
    let sla = form_html(&html, "sla");
    for kept in [
        "value=\"Urgent\"",
        "name=\"priority_urgent\" value=\"on\" checked",
        "name=\"kind_organisation\" value=\"on\" checked",
        "name=\"first_response_minutes\" value=\"30\"",
        "value=\"Office\" selected",
        "value=\"75\"",
    ] {
        assert!(sla.contains(kept), "{kept} in {sla}");
    }
    assert!(
        !sla.contains("name=\"priority_low\" value=\"on\" checked"),
        "{sla}"
    );
    let bad = form(&fx, &root, "/admin/calendars/delete", "name=Office").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(form_html(&bad.text(), "delete-calendar-Office").contains("role=\"alert\""));
    saved(&form(&fx, &root, "/admin/sla-policies/delete", "name=Urgent").await);
    let levels = fx
        .get("/api/v1/settings/service-levels", &fx.admin)
        .await
        .json();
    assert_eq!(levels["policies"], serde_json::json!([]));

    // The audit shows who changed what, before and after.
    let html = page(&fx, &root, "/admin/audit")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        html.contains("root@example.com") && html.contains("Calendars and SLA"),
        "{html}"
    );
    assert!(html.contains("Europe/Bucharest"), "{html}");

    let ivan = page_login(&fx, "ivan@example.com").await;
    for uri in ["/admin/service-levels", "/admin/audit"] {
        page(&fx, &ivan, uri).await.expect(StatusCode::FORBIDDEN);
    }
    form(&fx, &ivan, "/admin/default-calendar", "calendar=")
        .await
        .expect(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn attachment_limits_are_set_per_department_including_files_per_ticket() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    page(&fx, &root, "/admin/attachments")
        .await
        .expect(StatusCode::OK);
    let support = fx.support.clone();
    let bad = form(
        &fx,
        &root,
        "/admin/attachments",
        &format!("department={support}&max_size=lots&max_count=5&max_per_ticket=1&allowed_types=image%2F*"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let kept = form_html(&bad.text(), &format!("limits-{support}"));
    assert!(
        kept.contains("value=\"lots\"") && kept.contains("role=\"alert\""),
        "{kept}"
    );

    saved(
        &form(
            &fx,
            &root,
            "/admin/attachments",
            &format!("department={support}&max_size=1000&max_count=1&max_per_ticket=1&allowed_types=image%2F*+application%2Fpdf"),
        )
        .await,
    );
    let limits = fx
        .get("/api/v1/settings/attachment-limits", &fx.admin)
        .await
        .json();
    let stored = &limits["departments"][&support];
    assert_eq!(stored["max_per_ticket"], 1);
    assert_eq!(
        stored["allowed_types"],
        serde_json::json!(["image/*", "application/pdf"])
    );
    saved(
        &form(
            &fx,
            &root,
            "/admin/attachments",
            &format!("department={support}&action=remove"),
        )
        .await,
    );
    let limits = fx
        .get("/api/v1/settings/attachment-limits", &fx.admin)
        .await
        .json();
    assert!(limits["departments"].get(&support).is_none(), "{limits}");

    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, "/admin/attachments")
        .await
        .expect(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn templates_and_canned_responses_are_listed_and_created() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let support = fx.support.clone();
    let bad = form(
        &fx,
        &root,
        "/admin/templates",
        &format!("name=Router&department={support}&ticket_type=question&priority=high&body="),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let kept = form_html(&bad.text(), "template");
    assert!(
        kept.contains("value=\"Router\"") && kept.contains("value=\"question\" selected"),
        "{kept}"
    );
    saved(
        &form(
            &fx,
            &root,
            "/admin/templates",
            &format!("name=Router&department={support}&ticket_type=question&priority=high&subject_prefix=Router&body=The+router+does+not+work."),
        )
        .await,
    );
    let templates = fx.get("/api/v1/templates", &fx.admin).await.items();
    assert_eq!(templates[0]["name"], "Router");
    assert_eq!(templates[0]["priority"], "high");

    saved(
        &form(
            &fx,
            &root,
            "/admin/canned",
            "name=Salut&language=ro&department=&body=Bun%C4%83+ziua%2C+%7B%7Bcustomer_name%7D%7D.",
        )
        .await,
    );
    // An unknown placeholder is refused inline.
    let bad = form(
        &fx,
        &root,
        "/admin/canned",
        "name=Bad&language=en&department=&body=%7B%7Bnope%7D%7D",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(form_html(&bad.text(), "canned").contains("role=\"alert\""));
    let html = page(&fx, &root, "/admin/templates")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        html.contains("Router") && html.contains("Bună ziua"),
        "{html}"
    );

    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, "/admin/templates")
        .await
        .expect(StatusCode::FORBIDDEN);
    form(
        &fx,
        &ivan,
        "/admin/templates",
        &format!("name=X&department={support}&ticket_type=question&body=x"),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    // The library lets agents add canned responses; a customer may not.
    let ana = page_login(&fx, "ana@example.ro").await;
    form(
        &fx,
        &ana,
        "/admin/canned",
        "name=X&language=en&department=&body=x",
    )
    .await
    .expect(StatusCode::FORBIDDEN);
}
