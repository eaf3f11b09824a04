//! The desk's settings (admins): its public URL, from which every link the desk sends is
//! built (never from a request's `Host`).

use axum::Json;
use axum::Router;
use axum::routing::get;
use helpdesk::domain::PublicUrl;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{ApiResult, Body};
use crate::extract::Caller;
use crate::state::AppState;

/// The settings routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/settings", get(settings).put(set_settings))
}

async fn settings(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.settings().await?)))
}

/// The settings as a whole: a missing or `null` public URL unsets it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsBody {
    #[serde(default)]
    public_url: Option<String>,
}

async fn set_settings(
    Caller { acting, .. }: Caller,
    Body(body): Body<SettingsBody>,
) -> ApiResult<Json<Value>> {
    let url = body
        .public_url
        .as_deref()
        .map(PublicUrl::parse)
        .transpose()?;
    acting.set_public_url(url).await?;
    Ok(Json(json!(acting.settings().await?)))
}
