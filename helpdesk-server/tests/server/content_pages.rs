//! The admin pages of content settings (issue 18) driven as a browser does: templates and
//! canned responses edited (the form filled with the one edited) and deleted after a
//! confirmation; the knowledge base's categories added, renamed and deleted, and its
//! articles written, edited and deleted. A refusal shows the form again with the reason
//! inline and the input kept; anyone but an admin is refused.

use axum::http::StatusCode;
use serde_json::json;

use crate::admin_pages::{form_html, saved};
use crate::routes::id_of;
use crate::support::*;

#[tokio::test]
async fn templates_and_canned_responses_are_edited_and_deleted_on_the_admin_page() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let support = fx.support.clone();
    let made = fx
        .post(
            "/api/v1/templates",
            &fx.admin,
            json!({"name": "Router", "department": support, "priority": "high",
                   "required_fields": ["address"], "body": "The router does not work."}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let id = id_of(&made);
    // `?template=` fills the form with it, posting to its address.
    let html = page(&fx, &root, &format!("/admin/templates?template={id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    let filled = form_html(&html, "template");
    assert!(
        filled.contains(&format!("action=\"/admin/templates/{id}\""))
            && filled.contains("value=\"Router\"")
            && filled.contains("value=\"high\" selected")
            && filled.contains("value=\"address\""),
        "{filled}"
    );
    // A bad edit is refused inline, the input kept and the form still on the template.
    let bad = form(
        &fx,
        &root,
        &format!("/admin/templates/{id}"),
        &format!("name=Ruter&department={support}&ticket_type=question&priority=&body="),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let kept = form_html(&bad.text(), "template");
    assert!(
        kept.contains("role=\"alert\"")
            && kept.contains("value=\"Ruter\"")
            && kept.contains(&format!("action=\"/admin/templates/{id}\"")),
        "{kept}"
    );
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/templates/{id}"),
            &format!("name=Ruter&department={support}&ticket_type=question&priority=&required_fields=address+phone&body=Nu+merge."),
        )
        .await,
    );
    let templates = fx.get("/api/v1/templates", &fx.admin).await.items();
    assert_eq!(templates[0]["name"], "Ruter");
    assert_eq!(templates[0]["priority"], serde_json::Value::Null);
    assert_eq!(templates[0]["required_fields"], json!(["address", "phone"]));
    // Deleting needs the box ticked: without it, refused inline and nothing deleted.
    let unconfirmed = form(&fx, &root, &format!("/admin/templates/{id}/delete"), "").await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    let refusal = form_html(&unconfirmed.text(), &format!("delete-template-{id}"));
    assert!(refusal.contains("role=\"alert\""), "{refusal}");
    assert_eq!(
        fx.get("/api/v1/templates", &fx.admin).await.items().len(),
        1
    );
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/templates/{id}/delete"),
            "confirm=on",
        )
        .await,
    );
    assert!(
        fx.get("/api/v1/templates", &fx.admin)
            .await
            .items()
            .is_empty()
    );

    // Canned responses likewise.
    let made = fx
        .post(
            "/api/v1/canned-responses",
            &fx.admin,
            json!({"name": "Salut", "language": "ro", "body": "Bună ziua, {{customer_name}}."}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let id = id_of(&made);
    let html = page(&fx, &root, &format!("/admin/templates?canned={id}"))
        .await
        .text();
    let filled = form_html(&html, "canned");
    assert!(
        filled.contains(&format!("action=\"/admin/canned/{id}\""))
            && filled.contains("value=\"ro\" selected")
            && filled.contains("Bună ziua, {{customer_name}}."),
        "{filled}"
    );
    let bad = form(
        &fx,
        &root,
        &format!("/admin/canned/{id}"),
        "name=Salut&language=ro&department=&body=%7B%7Bnope%7D%7D",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let kept = form_html(&bad.text(), "canned");
    assert!(
        kept.contains("role=\"alert\"") && kept.contains("{{nope}}"),
        "{kept}"
    );
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/canned/{id}"),
            &format!("name=Privet&language=ru&department={support}&body=%D0%97%D0%B4%D1%80%D0%B0%D0%B2%D1%81%D1%82%D0%B2%D1%83%D0%B9%D1%82%D0%B5"),
        )
        .await,
    );
    let canned = fx.get("/api/v1/canned-responses", &fx.admin).await.items();
    assert_eq!(canned[0]["language"], "ru");
    assert_eq!(canned[0]["body"], "Здравствуйте");
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/canned/{id}/delete"),
            "confirm=on",
        )
        .await,
    );
    assert!(
        fx.get("/api/v1/canned-responses", &fx.admin)
            .await
            .items()
            .is_empty()
    );

    // Agents are refused the page and its forms.
    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, "/admin/templates")
        .await
        .expect(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn categories_and_articles_are_managed_on_the_knowledge_page() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin/knowledge")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("href=\"/admin/knowledge\""), "in the menu");
    // No category yet: no article form, a word saying why.
    assert!(!html.contains("<form id=\"article\""), "{html}");
    saved(&form(&fx, &root, "/admin/knowledge/categories", "name=Internet").await);
    saved(&form(&fx, &root, "/admin/knowledge/categories", "name=Telefon").await);
    let twice = form(&fx, &root, "/admin/knowledge/categories", "name=Internet").await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let kept = form_html(&twice.text(), "category");
    assert!(
        kept.contains("role=\"alert\"") && kept.contains("value=\"Internet\""),
        "{kept}"
    );

    // An article, written on the page; a bad one is refused with its input kept.
    let bad = form(
        &fx,
        &root,
        "/admin/knowledge/articles",
        "title=&category=Internet&language=ro&status=draft&visibility=internal&body=Reporni%C8%9Bi+routerul.",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let kept = form_html(&bad.text(), "article");
    assert!(
        kept.contains("Reporniți routerul.")
            && kept.contains("value=\"draft\" selected")
            && kept.contains("value=\"internal\" selected"),
        "{kept}"
    );
    saved(
        &form(
            &fx,
            &root,
            "/admin/knowledge/articles",
            "title=Routerul&category=Internet&language=ro&status=draft&visibility=public&body=Reporni%C8%9Bi+routerul.",
        )
        .await,
    );
    let listed = fx.get("/api/v1/kb/articles", &fx.ivan).await.items();
    assert_eq!(listed.len(), 1);
    let id = id_of(&listed[0]);
    assert_eq!(listed[0]["status"], "draft");
    let html = page(&fx, &root, &format!("/admin/knowledge?article={id}"))
        .await
        .text();
    let filled = form_html(&html, "article");
    assert!(
        filled.contains(&format!("action=\"/admin/knowledge/articles/{id}\""))
            && filled.contains("value=\"Routerul\""),
        "{filled}"
    );
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/knowledge/articles/{id}"),
            "title=Telefonul&category=Telefon&language=ro&status=published&visibility=public&body=Reporni%C8%9Bi+telefonul.",
        )
        .await,
    );
    let read = fx
        .get(&format!("/api/v1/kb/articles/{id}"), &fx.ana)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(read["category"], "Telefon");

    // A category with an article is not deleted (refused inline); renaming moves it.
    let in_use = form(
        &fx,
        &root,
        "/admin/knowledge/categories/delete",
        "name=Telefon&confirm=on",
    )
    .await;
    assert_eq!(in_use.status, StatusCode::CONFLICT);
    assert!(form_html(&in_use.text(), "delete-category-Telefon").contains("role=\"alert\""));
    let taken = form(
        &fx,
        &root,
        "/admin/knowledge/categories/rename",
        "from=Telefon&name=Internet",
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(form_html(&taken.text(), "rename-category-Telefon").contains("value=\"Internet\""));
    saved(
        &form(
            &fx,
            &root,
            "/admin/knowledge/categories/rename",
            "from=Telefon&name=%D0%A2%D0%B5%D0%BB%D0%B5%D1%84%D0%BE%D0%BD",
        )
        .await,
    );
    let read = fx
        .get(&format!("/api/v1/kb/articles/{id}"), &fx.ana)
        .await
        .json();
    assert_eq!(read["category"], "Телефон");
    // Deleting the article needs the box; then the category may go.
    let unconfirmed = form(
        &fx,
        &root,
        &format!("/admin/knowledge/articles/{id}/delete"),
        "",
    )
    .await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/knowledge/articles/{id}/delete"),
            "confirm=on",
        )
        .await,
    );
    saved(
        &form(
            &fx,
            &root,
            "/admin/knowledge/categories/delete",
            "name=%D0%A2%D0%B5%D0%BB%D0%B5%D1%84%D0%BE%D0%BD&confirm=on",
        )
        .await,
    );
    let categories = fx.get("/api/v1/kb/categories", &fx.ivan).await.items();
    assert_eq!(categories, [json!("Internet")]);

    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, "/admin/knowledge")
        .await
        .expect(StatusCode::FORBIDDEN);
}
