//! Notification preferences (issue 20): how an agent hears of each event (in the app, by
//! e-mail, both, none) and the language of their e-mails. Agents read and change their own
//! under `/me`; admins anyone's under `/agents/{agent}`.

use std::collections::BTreeMap;

use axum::Json;
use axum::Router;
use axum::routing::get;
use helpdesk::domain::{AgentId, Language, NotifyChannel, NotifyEvent};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::api::openapi::answers::NotFound;
use crate::api::openapi::directory::{NotificationChannels, NotificationPreferences};
use crate::api::openapi::params::AgentPath;
use crate::error::{ApiResult, Body};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The preference routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/me/notification-preferences",
            get(my_preferences).put(set_my_preferences),
        )
        .route(
            "/agents/{agent}/notification-preferences",
            get(agent_preferences).put(set_agent_preferences),
        )
}

/// The body of `PUT …/notification-preferences`: what to change; what is left out stays.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesChange {
    /// The language of the notification e-mails.
    #[schema(value_type = Option<crate::api::openapi::model::Language>)]
    pub language: Option<Language>,
    /// The channels to change, by event.
    #[serde(default)]
    #[schema(value_type = Option<NotificationChannels>)]
    pub channels: BTreeMap<NotifyEvent, NotifyChannel>,
}

/// The caller's notification preferences.
#[utoipa::path(get, path = "/api/v1/me/notification-preferences", tag = "notifications",
    summary = "The caller's notification preferences (agents)",
    responses((status = 200, description = "the preferences, every event listed",
        body = NotificationPreferences)))]
pub(crate) async fn my_preferences(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.notification_preferences(None).await?)))
}

/// Changes the caller's notification preferences.
#[utoipa::path(put, path = "/api/v1/me/notification-preferences", tag = "notifications",
    summary = "Change the caller's notification preferences (agents)",
    request_body = PreferencesChange,
    responses((status = 200, description = "the preferences, every event listed",
        body = NotificationPreferences)))]
pub(crate) async fn set_my_preferences(
    Caller { acting, .. }: Caller,
    Body(body): Body<PreferencesChange>,
) -> ApiResult<Json<Value>> {
    let changed = acting
        .change_notification_preferences(None, body.language, body.channels)
        .await?;
    Ok(Json(json!(changed)))
}

/// An agent's notification preferences.
#[utoipa::path(get, path = "/api/v1/agents/{agent}/notification-preferences",
    tag = "notifications", summary = "An agent's notification preferences (admins, or the agent)",
    params(AgentPath),
    responses((status = 200, description = "the preferences, every event listed",
        body = NotificationPreferences), NotFound))]
pub(crate) async fn agent_preferences(
    Caller { acting, .. }: Caller,
    Id(id): Id<AgentId>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(
        acting.notification_preferences(Some(id)).await?
    )))
}

/// Changes an agent's notification preferences.
#[utoipa::path(put, path = "/api/v1/agents/{agent}/notification-preferences",
    tag = "notifications",
    summary = "Change an agent's notification preferences (admins, or the agent)",
    params(AgentPath), request_body = PreferencesChange,
    responses((status = 200, description = "the preferences, every event listed",
        body = NotificationPreferences), NotFound))]
pub(crate) async fn set_agent_preferences(
    Caller { acting, .. }: Caller,
    Id(id): Id<AgentId>,
    Body(body): Body<PreferencesChange>,
) -> ApiResult<Json<Value>> {
    let changed = acting
        .change_notification_preferences(Some(id), body.language, body.channels)
        .await?;
    Ok(Json(json!(changed)))
}
