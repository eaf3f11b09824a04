//! "Did this help?" over the API and on the portal: one vote per person per article,
//! changeable, counted once, and the person's own answer shown back to them.

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use crate::support::*;

/// A published public article Ivan wrote; its id.
async fn article(fx: &Fixture) -> String {
    crate::content_settings::add_category(fx, "retea").await;
    let created = fx
        .post(
            "/api/v1/kb/articles",
            &fx.ivan,
            json!({"title": "Resetarea routerului", "body": "Opriți routerul și porniți-l din nou.",
                   "category": "retea", "language": "ro"}),
        )
        .await
        .expect(StatusCode::CREATED);
    created.json()["id"].as_str().unwrap().to_owned()
}

async fn vote(fx: &Fixture, token: &str, id: &str, helpful: bool) -> Value {
    fx.post(
        &format!("/api/v1/kb/articles/{id}/votes"),
        token,
        json!({ "helpful": helpful }),
    )
    .await
    .expect(StatusCode::OK)
    .json()
}

async fn mine(fx: &Fixture, token: &str, id: &str) -> Value {
    fx.get(&format!("/api/v1/kb/articles/{id}/votes/mine"), token)
        .await
        .expect(StatusCode::OK)
        .json()["helpful"]
        .clone()
}

fn counts(article: &Value) -> (u64, u64) {
    (
        article["helpful"].as_u64().unwrap(),
        article["not_helpful"].as_u64().unwrap(),
    )
}

#[tokio::test]
async fn api_votes_count_once_per_person_and_move_when_changed() {
    let fx = fixture().await;
    let id = article(&fx).await;
    assert_eq!(mine(&fx, &fx.ana, &id).await, Value::Null);
    assert_eq!(counts(&vote(&fx, &fx.ana, &id, true).await), (1, 0));
    assert_eq!(counts(&vote(&fx, &fx.ana, &id, true).await), (1, 0));
    assert_eq!(mine(&fx, &fx.ana, &id).await, json!(true));
    assert_eq!(counts(&vote(&fx, &fx.ana, &id, false).await), (0, 1));
    assert_eq!(mine(&fx, &fx.ana, &id).await, json!(false));
    // Another customer and an agent count once each.
    assert_eq!(counts(&vote(&fx, &fx.john, &id, true).await), (1, 1));
    assert_eq!(counts(&vote(&fx, &fx.maria, &id, true).await), (2, 1));
    assert_eq!(mine(&fx, &fx.ivan, &id).await, Value::Null);
    let read = fx
        .get(&format!("/api/v1/kb/articles/{id}"), &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert_eq!(counts(&read.json()), (2, 1));
}

#[tokio::test]
async fn the_portal_shows_the_persons_vote_and_changes_it() {
    let fx = fixture().await;
    let id = article(&fx).await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let search = "/portal/kb?q=routerul";
    let before = page(&fx, &ana, search).await.expect(StatusCode::OK).text();
    assert!(before.contains(&format!("id=\"vote-{id}\"")), "{before}");
    assert!(before.contains("V-a fost de folos?"), "in Ana's Romanian");
    assert!(!before.contains("your-vote"), "no answer yet: {before}");
    assert!(!before.contains("aria-pressed=\"true\""));

    let voted = form(
        &fx,
        &ana,
        &format!("/portal/kb/{id}/vote"),
        "helpful=true&q=routerul",
    )
    .await;
    assert!(voted.status.is_redirection(), "{}", voted.text());
    assert_eq!(
        voted.headers[header::LOCATION],
        format!("/portal/kb?q=routerul#article-{id}").as_str()
    );
    let after = page(&fx, &ana, search).await.text();
    assert!(
        after.contains("Răspunsul dvs.: Da, m-a ajutat"),
        "her answer is shown: {after}"
    );
    assert_eq!(after.matches("aria-pressed=\"true\"").count(), 1);

    // Changed: it moves; twice the same: counted once.
    for _ in 0..2 {
        form(
            &fx,
            &ana,
            &format!("/portal/kb/{id}/vote"),
            "helpful=false&q=routerul",
        )
        .await;
    }
    let changed = page(&fx, &ana, search).await.text();
    assert!(
        changed.contains("Răspunsul dvs.: Nu, nu m-a ajutat"),
        "{changed}"
    );
    let read = fx
        .get(&format!("/api/v1/kb/articles/{id}"), &fx.ana)
        .await
        .json();
    assert_eq!(counts(&read), (0, 1));

    // Another person sees their own answer, not hers.
    let john = page_login(&fx, "john@example.com").await;
    let theirs = page(&fx, &john, search).await.text();
    assert!(!theirs.contains("your-vote"), "{theirs}");

    // Neither yes nor no: a validation error, nothing counted.
    form(
        &fx,
        &ana,
        &format!("/portal/kb/{id}/vote"),
        "helpful=maybe&q=routerul",
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
}
