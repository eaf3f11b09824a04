//! Content settings over the API (issue 18): ticket templates and canned responses edited
//! and deleted, knowledge-base articles rewritten and deleted, and the stored categories
//! articles are filed in, added, renamed and deleted; each route with its success and its
//! errors.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::routes::id_of;
use crate::support::*;

/// The routes tested here (with `routes::TESTED` and `admin_setup::ADMIN_TESTED`).
pub(crate) const CONTENT_TESTED: &[(&str, &str)] = &[
    ("put", "/api/v1/templates/{template}"),
    ("delete", "/api/v1/templates/{template}"),
    ("put", "/api/v1/canned-responses/{canned_response}"),
    ("delete", "/api/v1/canned-responses/{canned_response}"),
    ("put", "/api/v1/kb/articles/{article}"),
    ("delete", "/api/v1/kb/articles/{article}"),
    ("get", "/api/v1/kb/categories"),
    ("post", "/api/v1/kb/categories"),
    ("put", "/api/v1/kb/categories/{category}"),
    ("delete", "/api/v1/kb/categories/{category}"),
];

/// Adds the knowledge-base category `name` as the admin (articles need a stored one).
pub(crate) async fn add_category(fx: &Fixture, name: &str) {
    fx.post("/api/v1/kb/categories", &fx.admin, json!({ "name": name }))
        .await
        .expect(StatusCode::CREATED);
}

async fn put(fx: &Fixture, uri: &str, token: &str, body: Value) -> Reply {
    fx.call("PUT", uri, Some(token), Some(body)).await
}

async fn delete(fx: &Fixture, uri: &str, token: &str) -> Reply {
    fx.call("DELETE", uri, Some(token), None).await
}

#[tokio::test]
async fn templates_are_edited_and_deleted_by_admins_only() {
    let fx = fixture().await;
    let template = json!({
        "name": "Line down",
        "department": fx.support,
        "subject_prefix": "Нет связи",
        "priority": "high",
        "required_fields": ["address"],
        "body": "Адрес: …",
    });
    let made = fx
        .post("/api/v1/templates", &fx.admin, template)
        .await
        .expect(StatusCode::CREATED)
        .json();
    let uri = format!("/api/v1/templates/{}", id_of(&made));
    let changed = json!({
        "name": "Линия не работает",
        "department": fx.support,
        "body": "Адрес и номер: …",
    });
    // PUT: 403 for agents, 400 for a bad body, 404 for an unknown template, 200 for admins.
    let denied = put(&fx, &uri, &fx.ivan, changed.clone()).await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    let bad = put(&fx, &uri, &fx.admin, json!({"name": ""})).await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    let unknown = format!("/api/v1/templates/{}", uuid::Uuid::new_v4());
    let missing = put(&fx, &unknown, &fx.admin, changed.clone()).await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not_found");
    let edited = put(&fx, &uri, &fx.admin, changed)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(edited["name"], "Линия не работает");
    assert_eq!(edited["priority"], Value::Null);
    assert_eq!(edited["subject_prefix"], Value::Null);
    assert_eq!(edited["created_at"], made["created_at"]);
    let listed = fx.get("/api/v1/templates", &fx.ivan).await.json();
    assert_eq!(listed["items"], json!([edited]));
    // DELETE: 403 for agents, 204 for admins, then 404.
    let denied = delete(&fx, &uri, &fx.ivan).await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    delete(&fx, &uri, &fx.admin)
        .await
        .expect(StatusCode::NO_CONTENT);
    let gone = delete(&fx, &uri, &fx.admin).await;
    assert_error(&gone, StatusCode::NOT_FOUND, "not_found");
    let listed = fx.get("/api/v1/templates", &fx.ivan).await.json();
    assert_eq!(listed["items"], json!([]));
}

#[tokio::test]
async fn canned_responses_are_edited_and_deleted_by_staff() {
    let fx = fixture().await;
    let made = fx
        .post(
            "/api/v1/canned-responses",
            &fx.ivan,
            json!({"name": "Salut", "language": "ro", "body": "Bună ziua, {{customer_name}}!"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let uri = format!("/api/v1/canned-responses/{}", id_of(&made));
    let changed = json!({
        "name": "Привет",
        "language": "ru",
        "department": fx.support,
        "body": "Здравствуйте, {{customer_name}}!",
    });
    // PUT: 403 for customers, 400 for an unknown placeholder, 404 for an unknown one.
    let denied = put(&fx, &uri, &fx.ana, changed.clone()).await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    let mut bad = changed.clone();
    bad["body"] = json!("{{password}}");
    let refused = put(&fx, &uri, &fx.ivan, bad).await;
    assert_error(&refused, StatusCode::BAD_REQUEST, "validation");
    let unknown = format!("/api/v1/canned-responses/{}", uuid::Uuid::new_v4());
    let missing = put(&fx, &unknown, &fx.ivan, changed.clone()).await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not_found");
    let edited = put(&fx, &uri, &fx.ivan, changed)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(edited["language"], "ru");
    assert_eq!(edited["department"].as_str(), Some(fx.support.as_str()));
    let listed = fx
        .get(
            &format!("/api/v1/canned-responses?department={}", fx.support),
            &fx.ivan,
        )
        .await
        .json();
    assert_eq!(listed["items"], json!([edited]));
    // DELETE: 403 for customers, 204 for staff, then 404.
    let denied = delete(&fx, &uri, &fx.ana).await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    delete(&fx, &uri, &fx.ivan)
        .await
        .expect(StatusCode::NO_CONTENT);
    let gone = delete(&fx, &uri, &fx.ivan).await;
    assert_error(&gone, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn articles_are_rewritten_and_deleted_in_stored_categories() {
    let fx = fixture().await;
    let article = json!({
        "title": "Cum resetați routerul",
        "body": "Scoateți routerul din priză.",
        "category": "internet",
        "language": "ro",
        "status": "draft",
    });
    // An article in a category that is not stored is refused.
    let refused = fx
        .post("/api/v1/kb/articles", &fx.ivan, article.clone())
        .await;
    assert_error(&refused, StatusCode::BAD_REQUEST, "validation");
    assert_eq!(refused.json()["error"]["field"], "category");
    add_category(&fx, "internet").await;
    add_category(&fx, "Телефон").await;
    let made = fx
        .post("/api/v1/kb/articles", &fx.ivan, article)
        .await
        .expect(StatusCode::CREATED)
        .json();
    let uri = format!("/api/v1/kb/articles/{}", id_of(&made));
    let rewrite = json!({
        "title": "Перезагрузка телефона",
        "body": "Выключите телефон.",
        "category": "Телефон",
        "language": "ru",
    });
    // PUT: 404 for customers (a draft is not theirs to know of), 400 for an unknown
    // category, 404 for an unknown article.
    let hidden = put(&fx, &uri, &fx.ana, rewrite.clone()).await;
    assert_error(&hidden, StatusCode::NOT_FOUND, "not_found");
    let mut elsewhere = rewrite.clone();
    elsewhere["category"] = json!("nowhere");
    let refused = put(&fx, &uri, &fx.ivan, elsewhere).await;
    assert_error(&refused, StatusCode::BAD_REQUEST, "validation");
    let unknown = format!("/api/v1/kb/articles/{}", uuid::Uuid::new_v4());
    let missing = put(&fx, &unknown, &fx.ivan, rewrite.clone()).await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not_found");
    let rewritten = put(&fx, &uri, &fx.ivan, rewrite)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(rewritten["category"], "Телефон");
    assert_eq!(rewritten["status"], "draft", "left out, it stays");
    assert_eq!(rewritten["created_at"], made["created_at"]);
    // Without `q`, staff list every article (drafts too), of a category if given.
    let listed = fx
        .get(
            "/api/v1/kb/articles?category=%D0%A2%D0%B5%D0%BB%D0%B5%D1%84%D0%BE%D0%BD",
            &fx.ivan,
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(listed["items"], json!([rewritten]));
    let denied = fx.get("/api/v1/kb/articles", &fx.ana).await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    // DELETE: 403 for customers, 204 for agents, then 404.
    let denied = delete(&fx, &uri, &fx.ana).await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    delete(&fx, &uri, &fx.ivan)
        .await
        .expect(StatusCode::NO_CONTENT);
    let gone = fx.get(&uri, &fx.ivan).await;
    assert_error(&gone, StatusCode::NOT_FOUND, "not_found");
    let gone = delete(&fx, &uri, &fx.ivan).await;
    assert_error(&gone, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn categories_are_managed_by_admins_and_kept_while_in_use() {
    let fx = fixture().await;
    // GET: anyone signed in; empty at first.
    let listed = fx.get("/api/v1/kb/categories", &fx.ana).await;
    assert_eq!(listed.expect(StatusCode::OK).json()["items"], json!([]));
    // POST: 403 for agents, 400 for a bad name, 201, then 409 for the same again.
    let denied = fx
        .post("/api/v1/kb/categories", &fx.ivan, json!({"name": "faq"}))
        .await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    let bad = fx
        .post("/api/v1/kb/categories", &fx.admin, json!({"name": ""}))
        .await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "validation");
    let made = fx
        .post("/api/v1/kb/categories", &fx.admin, json!({"name": "faq"}))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(made.json(), json!({"name": "faq"}));
    let again = fx
        .post("/api/v1/kb/categories", &fx.admin, json!({"name": "faq"}))
        .await;
    assert_error(&again, StatusCode::CONFLICT, "conflict");
    add_category(&fx, "Întrebări").await;
    let article = fx
        .post(
            "/api/v1/kb/articles",
            &fx.ivan,
            json!({"title": "Parola", "body": "Resetați parola.", "category": "faq", "language": "ro"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    // PUT (rename): 403 for agents, 404 for an unknown one, 409 for a taken name, 200 with
    // the articles moved.
    let denied = put(
        &fx,
        "/api/v1/kb/categories/faq",
        &fx.ivan,
        json!({"name": "help"}),
    )
    .await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    let missing = put(
        &fx,
        "/api/v1/kb/categories/none",
        &fx.admin,
        json!({"name": "x"}),
    )
    .await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not_found");
    let taken = put(
        &fx,
        "/api/v1/kb/categories/faq",
        &fx.admin,
        json!({"name": "Întrebări"}),
    )
    .await;
    assert_error(&taken, StatusCode::CONFLICT, "conflict");
    let renamed = put(
        &fx,
        "/api/v1/kb/categories/faq",
        &fx.admin,
        json!({"name": "Ajutor"}),
    )
    .await
    .expect(StatusCode::OK)
    .json();
    assert_eq!(renamed, json!({"name": "Ajutor", "moved": 1}));
    let read = fx
        .get(&format!("/api/v1/kb/articles/{}", id_of(&article)), &fx.ana)
        .await
        .json();
    assert_eq!(read["category"], "Ajutor");
    let listed = fx.get("/api/v1/kb/categories", &fx.ivan).await.json();
    assert_eq!(listed["items"], json!(["Ajutor", "Întrebări"]));
    // DELETE: 403 for agents, 409 while an article is filed in it, 204 once it is not, 404.
    let denied = delete(&fx, "/api/v1/kb/categories/Ajutor", &fx.ivan).await;
    assert_error(&denied, StatusCode::FORBIDDEN, "forbidden");
    let in_use = delete(&fx, "/api/v1/kb/categories/Ajutor", &fx.admin).await;
    assert_error(&in_use, StatusCode::CONFLICT, "conflict");
    delete(
        &fx,
        &format!("/api/v1/kb/articles/{}", id_of(&article)),
        &fx.ivan,
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    delete(&fx, "/api/v1/kb/categories/Ajutor", &fx.admin)
        .await
        .expect(StatusCode::NO_CONTENT);
    let gone = delete(&fx, "/api/v1/kb/categories/Ajutor", &fx.admin).await;
    assert_error(&gone, StatusCode::NOT_FOUND, "not_found");
    let listed = fx.get("/api/v1/kb/categories", &fx.ivan).await.json();
    assert_eq!(listed["items"], json!(["Întrebări"]));
}
