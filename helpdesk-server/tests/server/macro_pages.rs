//! Macros kept and applied in bulk, and when scheduled rules run next (issue 22): an admin
//! changes a macro on its page (a refusal comes back inline with the input kept) and through
//! the API; an agent applies a macro to the tickets ticked in the queue, each with its
//! result; the rules list says when each scheduled rule runs next, in the API and on the page.

use axum::http::StatusCode;
use serde_json::json;

use crate::admin_pages::{enc, form_html, saved};
use crate::support::*;

#[tokio::test]
async fn admins_change_a_macro_on_its_page_and_a_refusal_keeps_the_input() {
    let fx = fixture().await;
    let created = fx
        .post(
            "/api/v1/macros",
            &fx.admin,
            json!({"name": "Verifică", "actions": [{"action": "add_tag", "tag": "verificat"}]}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let id = created["id"].as_str().unwrap().to_owned();
    let uri = format!("/admin/macros/{id}");
    let root = page_login(&fx, "root@example.com").await;
    let list = page(&fx, &root, "/admin/macros")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(list.contains(&format!("href=\"{uri}\"")), "{list}");
    let html = page(&fx, &root, &uri).await.expect(StatusCode::OK).text();
    let edit = form_html(&html, "macro-edit");
    assert!(edit.contains("value=\"Verifică\""), "{edit}");
    assert!(edit.contains("value=\"verificat\""), "{edit}");

    // A blank name: refused inline, the actions typed kept, nothing changed.
    let bad = form(
        &fx,
        &root,
        &uri,
        "name=+&action_0=add_tag&action_0_text=urgent-vip",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let kept = form_html(&bad.text(), "macro-edit");
    assert!(kept.contains("role=\"alert\""), "{kept}");
    assert!(kept.contains("value=\"urgent-vip\""), "{kept}");
    let stored = fx
        .get(&format!("/api/v1/macros/{id}"), &fx.ivan)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(stored, created);

    saved(
        &form(
            &fx,
            &root,
            &uri,
            &format!(
                "name={}&action_0=add_tag&action_0_text=vip&action_1=note&action_1_text={}",
                enc("VIP și notă"),
                enc("Client important")
            ),
        )
        .await,
    );
    let stored = fx
        .get(&format!("/api/v1/macros/{id}"), &fx.ivan)
        .await
        .json();
    assert_eq!(stored["name"], "VIP și notă");
    assert_eq!(stored["actions"].as_array().unwrap().len(), 2, "{stored}");
    assert_eq!(stored["created_at"], created["created_at"]);

    // The API: admins only, the same checks.
    let body = json!({"name": "Doar etichetă", "actions": [{"action": "add_tag", "tag": "vip"}]});
    let refused = fx
        .call(
            "PUT",
            &format!("/api/v1/macros/{id}"),
            Some(&fx.ivan),
            Some(body.clone()),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let empty = json!({"name": "Gol", "actions": []});
    let refused = fx
        .call(
            "PUT",
            &format!("/api/v1/macros/{id}"),
            Some(&fx.admin),
            Some(empty),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let replaced = fx
        .call(
            "PUT",
            &format!("/api/v1/macros/{id}"),
            Some(&fx.admin),
            Some(body),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(replaced["name"], "Doar etichetă");
    let missing = fx
        .get(
            &format!("/api/v1/macros/{}", uuid::Uuid::new_v4()),
            &fx.ivan,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, &uri).await.expect(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn ticked_tickets_get_a_macro_each_with_its_result() {
    let fx = fixture().await;
    let created = fx
        .post(
            "/api/v1/macros",
            &fx.admin,
            json!({"name": "VIP", "actions": [
                {"action": "add_tag", "tag": "vip"},
                {"action": "set_priority", "priority": "low"}
            ]}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let id = created["id"].as_str().unwrap().to_owned();
    let a = fx.open(&fx.ana, "Routerul").await;
    let b = fx.open(&fx.ana, "Modemul").await;
    let (a, b) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let nowhere = uuid::Uuid::new_v4();

    let ivan = page_login(&fx, "ivan@example.com").await;
    let queue = page(&fx, &ivan, "/console")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(queue.contains("id=\"bulk-macro\""), "{queue}");
    assert!(queue.contains(&format!("value=\"{id}\"")), "{queue}");

    let done = form(
        &fx,
        &ivan,
        "/console/bulk",
        &format!("sel_{a}=on&sel_{b}=on&sel_{nowhere}=on&bulk=macro&macro={id}"),
    )
    .await
    .expect(StatusCode::OK)
    .text();
    assert!(done.contains("id=\"bulk-summary\""), "{done}");
    assert!(done.contains("<strong>2</strong> / 3"), "{done}");
    assert_eq!(done.matches("data-done=\"true\"").count(), 2, "{done}");
    assert_eq!(done.matches("data-done=\"false\"").count(), 1, "{done}");
    for t in [a, b] {
        let after = fx
            .get(&format!("/api/v1/tickets/{t}"), &fx.ivan)
            .await
            .json();
        assert_eq!(after["tags"], json!(["vip"]), "{after}");
        assert_eq!(after["priority"], "low", "{after}");
    }

    // No macro named: refused on the page, nothing done.
    let refused = form(
        &fx,
        &ivan,
        "/console/bulk",
        &format!("sel_{a}=on&bulk=macro&macro=nonsense"),
    )
    .await;
    assert!(
        refused.text().contains("role=\"alert\""),
        "{}",
        refused.text()
    );
    assert!(!refused.text().contains("id=\"bulk-results\""));
}

#[tokio::test]
async fn the_rules_list_says_when_each_scheduled_rule_runs_next() {
    let fx = fixture().await;
    fx.post(
        "/api/v1/rules",
        &fx.admin,
        json!({
            "name": "Vechi",
            "conditions": {"statuses": ["new"]},
            "actions": [{"action": "add_tag", "tag": "vechi"}],
            "schedule": {"every_minutes": 60}
        }),
    )
    .await
    .expect(StatusCode::CREATED);
    fx.post(
        "/api/v1/rules",
        &fx.admin,
        json!({
            "name": "Nou",
            "position": 2,
            "conditions": {"events": ["created"]},
            "actions": [{"action": "add_tag", "tag": "nou"}]
        }),
    )
    .await
    .expect(StatusCode::CREATED);
    let rules = fx.get("/api/v1/rules", &fx.admin).await.items();
    // Never run: due at the next run of due work.
    assert!(rules[0]["next_run_at"].is_string(), "{rules:?}");
    assert!(rules[1]["next_run_at"].is_null(), "{rules:?}");

    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin/rules")
        .await
        .expect(StatusCode::OK)
        .text();
    assert_eq!(html.matches("class=\"next-run\"").count(), 1, "{html}");
}
