//! The desk's settings (admins): its public URL, from which every link the desk sends is
//! built (never from a request's `Host`).

use axum::Json;
use axum::Router;
use axum::routing::get;
use helpdesk::domain::{PresenceTimeout, PublicUrl};
use helpdesk::feed::FeedRetention;
use helpdesk::search::PhoneRegion;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::api::openapi::answers::Unsupported;
use crate::error::{ApiResult, Body};
use crate::extract::Caller;
use crate::state::AppState;

/// The settings routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/settings", get(settings).put(set_settings))
}

/// The desk's settings.
#[utoipa::path(get, path = "/api/v1/settings", tag = "settings",
    summary = "The desk's settings: its public URL, default phone region, presence timeout and how long the change feed keeps its records (admins)",
    responses((status = 200, description = "the settings", body = SettingsBody), Unsupported))]
pub(crate) async fn settings(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.settings().await?)))
}

/// The settings as a whole: a missing or `null` public URL unsets it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SettingsBody {
    /// An absolute http(s) URL without query or fragment, stored normalised with a trailing
    /// slash; typed without a scheme it gets https; links are
    /// `<public_url>tickets/<short number>`.
    #[serde(default)]
    public_url: Option<String>,
    /// The country whose phone numbers may be typed without their country code, as a
    /// two-letter code (`RO`): search and the customer look-up then read `0721 000 111` as
    /// `+40 721 000 111`. Missing or `null` unsets it.
    #[serde(default)]
    phone_region: Option<String>,
    /// How long an agent counts as present after their last heartbeat, in whole seconds (6
    /// to 86400). Missing or `null`: the default, 60.
    #[serde(default)]
    #[schema(minimum = 6, maximum = 86400)]
    presence_timeout_seconds: Option<u32>,
    /// How many days the change feed (`/api/v1/changes`) keeps its records (1 to 3650);
    /// `run_due` prunes older ones. Missing or `null`: the default, 7.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 3650)]
    feed_retention_days: Option<u32>,
}

/// Sets the desk's settings.
#[utoipa::path(put, path = "/api/v1/settings", tag = "settings",
    summary = "Set the desk's settings (admins): the public URL every link the desk sends starts with, the default phone region, the presence timeout and the change feed's retention; null unsets any of them",
    request_body = SettingsBody,
    responses((status = 200, description = "the settings", body = SettingsBody), Unsupported))]
pub(crate) async fn set_settings(
    Caller { acting, .. }: Caller,
    Body(body): Body<SettingsBody>,
) -> ApiResult<Json<Value>> {
    let url = body
        .public_url
        .as_deref()
        .map(PublicUrl::parse)
        .transpose()?;
    let region = body
        .phone_region
        .as_deref()
        .map(PhoneRegion::parse)
        .transpose()?;
    let presence_timeout = body
        .presence_timeout_seconds
        .map(PresenceTimeout::from_seconds)
        .transpose()?;
    let feed_retention = body
        .feed_retention_days
        .map(FeedRetention::from_days)
        .transpose()?;
    acting.set_public_url(url).await?;
    acting.set_phone_region(region).await?;
    acting.set_presence_timeout(presence_timeout).await?;
    acting.set_feed_retention(feed_retention).await?;
    Ok(Json(json!(acting.settings().await?)))
}
