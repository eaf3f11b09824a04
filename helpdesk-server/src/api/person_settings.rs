//! People's own settings (issue 21): the caller's time zone (an IANA name) and page
//! language, read and changed under `/me/settings` by agents and customers alike.

use axum::Json;
use axum::Router;
use axum::routing::get;
use helpdesk::domain::{Language, TimeZone};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::error::{ApiResult, Body};
use crate::extract::Caller;
use crate::state::AppState;

/// The settings routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/me/settings", get(my_settings).put(set_my_settings))
}

/// A person's own settings; what is not chosen is null (UTC; the language from the
/// switch or the browser).
#[derive(ToSchema)]
pub struct PersonSettings {
    /// The IANA name of the time zone of their pages (`Europe/Bucharest`).
    #[schema(required = true, example = "Europe/Bucharest")]
    pub time_zone: Option<String>,
    /// The language of their pages (a customer's is their profile's).
    #[schema(required = true, value_type = Option<crate::api::openapi::model::Language>)]
    pub language: Option<Language>,
}

/// The body of `PUT /me/settings`: what to change; what is left out stays.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsChange {
    /// The IANA name of the time zone (`Asia/Tehran`); an unknown name is refused.
    #[schema(value_type = Option<String>, example = "Asia/Tehran")]
    pub time_zone: Option<TimeZone>,
    /// The language of the pages.
    #[schema(value_type = Option<crate::api::openapi::model::Language>)]
    pub language: Option<Language>,
}

/// The caller's own settings.
#[utoipa::path(get, path = "/api/v1/me/settings", tag = "auth",
    summary = "The caller's time zone and page language",
    responses((status = 200, description = "the settings", body = PersonSettings)))]
pub(crate) async fn my_settings(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.own_settings().await?)))
}

/// Changes the caller's own settings.
#[utoipa::path(put, path = "/api/v1/me/settings", tag = "auth",
    summary = "Change the caller's time zone or page language",
    request_body = SettingsChange,
    responses((status = 200, description = "the settings as stored", body = PersonSettings)))]
pub(crate) async fn set_my_settings(
    Caller { acting, .. }: Caller,
    Body(body): Body<SettingsChange>,
) -> ApiResult<Json<Value>> {
    let changed = acting
        .change_own_settings(body.time_zone, body.language)
        .await?;
    Ok(Json(json!(changed)))
}
