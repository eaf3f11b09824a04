//! Notification preferences (issue 20) through the API and the pages: an agent reads and
//! changes their own (`/api/v1/me/notification-preferences`), an admin anyone's
//! (`/api/v1/agents/{agent}/notification-preferences`); the agent's page form; and ending a
//! chat with or without its transcript (`POST /api/v1/chats/{chat}/end`).

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

/// The routes these tests call, each with a success and an error.
pub(crate) const PREFERENCES_TESTED: &[(&str, &str)] = &[
    ("get", "/api/v1/me/notification-preferences"),
    ("put", "/api/v1/me/notification-preferences"),
    ("get", "/api/v1/agents/{agent}/notification-preferences"),
    ("put", "/api/v1/agents/{agent}/notification-preferences"),
];

const MINE: &str = "/api/v1/me/notification-preferences";

async fn put(fx: &Fixture, uri: &str, token: &str, body: Value) -> Reply {
    fx.call("PUT", uri, Some(token), Some(body)).await
}

#[tokio::test]
async fn an_agent_reads_and_changes_their_notification_preferences_and_an_admin_anyones() {
    let fx = fixture().await;
    let defaults = fx.get(MINE, &fx.ivan).await.expect(StatusCode::OK).json();
    assert_eq!(defaults["agent"], fx.ivan_id.as_str());
    assert_eq!(defaults["language"], "en");
    assert_eq!(defaults["channels"]["new_ticket"], "in_app");
    assert_eq!(defaults["channels"]["assigned"], "both");
    assert_eq!(defaults["channels"]["sla_breached"], "both");
    assert_eq!(defaults["channels"]["mention"], "in_app");
    assert_eq!(defaults["channels"].as_object().unwrap().len(), 9);

    let changed = put(
        &fx,
        MINE,
        &fx.ivan,
        json!({"language": "ro", "channels": {"assigned": "email", "chat_waiting": "none"}}),
    )
    .await
    .expect(StatusCode::OK)
    .json();
    assert_eq!(changed["language"], "ro");
    assert_eq!(changed["channels"]["assigned"], "email");
    assert_eq!(changed["channels"]["chat_waiting"], "none");
    assert_eq!(
        changed["channels"]["new_ticket"], "in_app",
        "the rest stays"
    );
    assert_eq!(fx.get(MINE, &fx.ivan).await.json(), changed);

    // Bad input is refused and changes nothing.
    for bad in [
        json!({"channels": {"assigned": "pigeon"}}),
        json!({"channels": {"weather": "email"}}),
        json!({"language": "xx"}),
        json!({"colour": "red"}),
    ] {
        let refused = put(&fx, MINE, &fx.ivan, bad.clone()).await;
        assert_eq!(
            refused.status,
            StatusCode::BAD_REQUEST,
            "{bad}: {}",
            refused.text()
        );
    }
    assert_eq!(fx.get(MINE, &fx.ivan).await.json(), changed);

    // Customers have none.
    let theirs = fx.get(MINE, &fx.ana).await;
    assert_error(&theirs, StatusCode::FORBIDDEN, "forbidden");

    // An admin reads and changes an agent's; another agent may not.
    let ivans = format!("/api/v1/agents/{}/notification-preferences", fx.ivan_id);
    assert_eq!(
        fx.get(&ivans, &fx.admin)
            .await
            .expect(StatusCode::OK)
            .json(),
        changed
    );
    let by_admin = put(
        &fx,
        &ivans,
        &fx.admin,
        json!({"channels": {"sla_warning": "both"}}),
    )
    .await
    .expect(StatusCode::OK)
    .json();
    assert_eq!(by_admin["channels"]["sla_warning"], "both");
    assert_eq!(by_admin["language"], "ro");
    assert_error(
        &fx.get(&ivans, &fx.maria).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let refused = put(&fx, &ivans, &fx.maria, json!({"language": "ru"})).await;
    assert_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(fx.get(MINE, &fx.ivan).await.json(), by_admin);
    // Their own, under the agent's path too.
    fx.get(&ivans, &fx.ivan).await.expect(StatusCode::OK);
    let nobody = format!(
        "/api/v1/agents/{}/notification-preferences",
        uuid::Uuid::new_v4()
    );
    assert_error(
        &fx.get(&nobody, &fx.admin).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let refused = put(&fx, &nobody, &fx.admin, json!({})).await;
    assert_error(&refused, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn the_agents_page_sets_the_notification_preferences_in_their_language() {
    let fx = fixture().await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, "/console/notification-preferences")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("Notification preferences"), "{html}");
    assert!(html.contains("id=\"notification-preferences\""), "{html}");
    assert!(html.contains("Ticket assigned to me"), "{html}");
    assert!(
        html.contains("name=\"assigned\" value=\"both\"") && html.contains("checked"),
        "{html}"
    );
    // (The shortcuts' help names the key `?`: not a missing word.)
    let words = html.replace("<kbd>?</kbd>", "");
    assert!(
        !words.contains(">?<"),
        "every word is in the catalogue: {html}"
    );
    let saved = form(
        &fx,
        &ivan,
        "/console/notification-preferences",
        "assigned=none&new_ticket=email&language=ru",
    )
    .await;
    assert!(saved.status.is_redirection(), "{}", saved.status);
    let now = fx.get(MINE, &fx.ivan).await.expect(StatusCode::OK).json();
    assert_eq!(now["channels"]["assigned"], "none");
    assert_eq!(now["channels"]["new_ticket"], "email");
    assert_eq!(now["language"], "ru");
    // A channel that is none of the four is refused; nothing changes.
    let refused = form(
        &fx,
        &ivan,
        "/console/notification-preferences",
        "assigned=pigeon",
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(fx.get(MINE, &fx.ivan).await.json(), now);
    // A customer's page has no such form.
    let ana = page_login(&fx, "ana@example.ro").await;
    let theirs = page(&fx, &ana, "/console/notification-preferences").await;
    assert!(!theirs.status.is_success(), "{}", theirs.status);
}

#[tokio::test]
async fn a_chat_ends_through_the_api_and_a_transcript_needs_the_desks_mail() {
    let fx = fixture().await;
    let started = fx
        .post(
            "/api/v1/chats",
            &fx.ana,
            json!({"department": fx.support, "text": "Routerul clipește"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let chat = started["chat"]["id"].as_str().unwrap().to_owned();
    let end = format!("/api/v1/chats/{chat}/end");
    // No mail on this desk: the transcript cannot go, and the chat goes on.
    let refused = fx.post(&end, &fx.ana, json!({"transcript": true})).await;
    assert_eq!(
        refused.status,
        StatusCode::NOT_IMPLEMENTED,
        "{}",
        refused.text()
    );
    let still = fx
        .get(&format!("/api/v1/chats/{chat}"), &fx.ana)
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(still["place"]["state"], "assistant", "{still}");
    // A stranger cannot end it.
    assert_error(
        &fx.post(&end, &fx.john, json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let ended = fx
        .post(&end, &fx.ana, json!({"transcript": false}))
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(ended["place"]["state"], "ended", "{ended}");
}
