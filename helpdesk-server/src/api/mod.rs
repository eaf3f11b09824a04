//! The JSON API under `/api/v1`, a file per resource. Every handler takes its principal as a
//! [`Caller`](crate::extract::Caller) and answers errors as JSON
//! ([`ApiError`](crate::error::ApiError)); `openapi` describes every route.

pub mod account_links;
pub mod admin;
pub mod admin_notices;
pub mod agents;
pub mod auth;
pub mod automation;
pub mod changes;
pub mod chat;
pub mod commands;
pub mod customers;
pub mod departments;
pub mod docs;
pub mod erasure;
pub mod feedback;
pub mod followers;
pub mod knowledge;
pub mod links;
pub mod messages;
pub mod notification_prefs;
pub mod notifications;
pub mod openapi;
pub mod organisations;
pub mod person_settings;
pub mod presence;
pub mod reports;
pub mod settings;
pub mod tags;
pub mod tickets;
pub mod webhooks;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::AppState;

/// The routes under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(auth::routes())
        .merge(tickets::routes())
        .merge(messages::routes())
        .merge(commands::routes())
        .merge(departments::routes())
        .merge(agents::routes())
        .merge(customers::routes())
        .merge(knowledge::routes())
        .merge(notifications::routes())
        .merge(notification_prefs::routes())
        .merge(person_settings::routes())
        .merge(reports::routes())
        .merge(settings::routes())
        .merge(chat::routes())
        .merge(presence::routes())
        .merge(admin::routes())
        .merge(account_links::routes())
        .merge(organisations::routes())
        .merge(erasure::routes())
        .merge(links::routes())
        .merge(tags::routes())
        .merge(followers::routes())
        .merge(feedback::routes())
        .merge(automation::routes())
        .merge(changes::routes())
        .merge(webhooks::routes())
        .merge(admin_notices::routes())
        .fallback(|| async { ApiError::not_found("no such API route") })
}

/// A JSON list: `{"items": [...]}`.
pub fn items(items: impl Serialize) -> Json<Value> {
    Json(json!({ "items": items }))
}

/// 201 with `value` as JSON.
pub fn created(value: impl Serialize) -> Response {
    (StatusCode::CREATED, Json(value)).into_response()
}
