//! Snoozed notifications on the pages (issue 21): the agents' notification centre and the
//! customer's portal list what "remind me later" hid, with the time it comes back in the
//! reader's zone; dismissed, it is gone.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

/// The snoozed section of a page, its time and ids replaced.
fn snoozed_section(html: &str, ids: &[(&str, &str)]) -> String {
    let start = html
        .find("<section id=\"snoozed-notifications\">")
        .unwrap_or_else(|| panic!("no snoozed section: {html}"));
    let end = start + html[start..].find("</section>").unwrap() + "</section>".len();
    let mut part = html[start..end].to_owned();
    while let Some(at) = part.find("<time") {
        let close = at + part[at..].find("</time>").unwrap() + "</time>".len();
        part.replace_range(at..close, "[time]");
    }
    while let Some(at) = part.find("name=\"csrf\" value=\"") {
        let from = at + "name=\"csrf\" value=\"".len();
        let to = from + part[from..].find('"').unwrap();
        part.replace_range(at..to + 1, "name=\"csrf\" [csrf]");
    }
    for (id, name) in ids {
        part = part.replace(id, name);
    }
    part
}

/// The first notification of `token`'s list.
async fn first_notification(fx: &Fixture, token: &str) -> String {
    let list = fx
        .get("/api/v1/notifications", token)
        .await
        .expect(StatusCode::OK);
    list.items()[0]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_centre_and_the_portal_list_snoozed_notifications_with_their_time() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Routerul nu pornește").await;
    let id = ticket["id"].as_str().unwrap().to_owned();

    // Ivan's new-ticket notice, snoozed: off the list, in the snoozed section, in his zone.
    let notice = first_notification(&fx, &fx.ivan).await;
    fx.call(
        "PUT",
        "/api/v1/me/settings",
        Some(&fx.ivan),
        Some(json!({"time_zone": "Europe/Moscow"})),
    )
    .await
    .expect(StatusCode::OK);
    let ivan = page_login(&fx, "ivan@example.com").await;
    let before = page(&fx, &ivan, "/console/notifications").await.text();
    assert!(
        !before.contains("snoozed-notifications"),
        "none snoozed yet"
    );
    fx.post(
        &format!("/api/v1/notifications/{notice}/snooze"),
        &fx.ivan,
        json!({"minutes": 90}),
    )
    .await
    .expect(StatusCode::OK);
    let centre = page(&fx, &ivan, "/console/notifications")
        .await
        .expect(StatusCode::OK)
        .text();
    let section = snoozed_section(&centre, &[(&notice, "[notice]"), (&id, "[ticket]")]);
    assert!(centre.contains("Europe/Moscow</time>"), "{centre}");
    insta::assert_snapshot!("centre_snoozed_en", section);

    // Ana's reply notice, snoozed from the portal's button: listed there with its time.
    fx.post(
        &format!("/api/v1/tickets/{id}/messages"),
        &fx.ivan,
        json!({"body": "Reporniți routerul."}),
    )
    .await
    .expect(StatusCode::CREATED);
    let hers = first_notification(&fx, &fx.ana).await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let snoozed = form(&fx, &ana, &format!("/notifications/{hers}/snooze"), "").await;
    assert!(snoozed.status.is_redirection(), "{}", snoozed.status);
    let portal = page(&fx, &ana, "/portal?lang=fa")
        .await
        .expect(StatusCode::OK)
        .text();
    let section = snoozed_section(&portal, &[(&hers, "[notice]"), (&id, "[ticket]")]);
    insta::assert_snapshot!("portal_snoozed_fa", section);

    // Dismissed from the centre, it is gone.
    let dismissed = form(
        &fx,
        &ivan,
        &format!("/notifications/{notice}/dismiss"),
        "back=%2Fconsole%2Fnotifications",
    )
    .await;
    assert!(dismissed.status.is_redirection(), "{}", dismissed.status);
    let after = page(&fx, &ivan, "/console/notifications").await.text();
    assert!(!after.contains("snoozed-notifications"), "{after}");
}
