//! Webhooks (issue 23, item 3): admins list, register (the secret is in the answer, once),
//! change and remove endpoints, read an endpoint's deliveries with their responses, and
//! send a test ping.

#![allow(dead_code)] // The schema structs are read only by the derives.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post, put};
use chrono::{DateTime, Utc};
use helpdesk::domain::WebhookId;
use helpdesk::service::WebhookDraft;
use helpdesk::webhooks::{WebhookEndpoint, WebhookEvents, WebhookUrl};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::{created, items};
use crate::api::openapi::answers::{NotFound, Unsupported};
use crate::error::{ApiResult, Body, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The webhook routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/webhooks", get(list_webhooks).post(create_webhook))
        .route(
            "/webhooks/{webhook}",
            put(update_webhook).delete(delete_webhook),
        )
        .route("/webhooks/{webhook}/deliveries", get(webhook_deliveries))
        .route("/webhooks/{webhook}/ping", post(ping_webhook))
}

/// An endpoint as written.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct WebhookBody {
    /// Where deliveries go: an `http://` or `https://` URL.
    url: String,
    /// A note about it.
    #[serde(default)]
    description: String,
    /// The event kinds it wants: ticket_created, ticket_changed, message_added,
    /// notification_created, chat_changed, availability_changed.
    events: Vec<String>,
    /// Whether deliveries are sent to it (default true); enabling a disabled endpoint
    /// clears its failures.
    #[serde(default = "yes")]
    enabled: bool,
}

fn yes() -> bool {
    true
}

impl WebhookBody {
    fn draft(self) -> ApiResult<WebhookDraft> {
        Ok(WebhookDraft {
            url: WebhookUrl::parse(&self.url)?,
            description: self.description,
            events: WebhookEvents::parse(&self.events)?,
            enabled: self.enabled,
        })
    }
}

/// A stored endpoint (never its secret).
#[derive(ToSchema)]
pub(crate) struct WebhookView {
    id: String,
    url: String,
    description: String,
    events: Vec<String>,
    enabled: bool,
    /// Why the desk disabled it (after repeated failures).
    disabled_reason: Option<String>,
    /// Failed attempts in a row.
    consecutive_failures: u32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A new endpoint, with its signing secret: the only time it is shown.
#[derive(ToSchema)]
pub(crate) struct CreatedWebhookView {
    #[schema(inline)]
    endpoint: WebhookView,
    /// `whsec_` and 64 hex digits: the HMAC key of the `Helpdesk-Signature` header.
    secret: String,
}

/// An endpoint as JSON, without its secret.
pub(crate) fn view(e: &WebhookEndpoint) -> Value {
    json!({
        "id": e.id,
        "url": e.url,
        "description": e.description,
        "events": e.events,
        "enabled": e.enabled,
        "disabled_reason": e.disabled_reason,
        "consecutive_failures": e.consecutive_failures,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
    })
}

/// A delivery and how its attempts went.
#[derive(ToSchema)]
pub(crate) struct DeliveryView {
    id: String,
    endpoint: String,
    event: String,
    /// The request body sent (JSON text).
    payload: String,
    attempts: u32,
    next_attempt_at: DateTime<Utc>,
    /// pending, delivered or failed.
    state: String,
    last_status: Option<u16>,
    /// The start of the last response's body, or why no response came.
    last_response: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// The query of `GET /webhooks/{webhook}/deliveries`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DeliveriesQuery {
    /// At most this many, newest first (default 50, at most 200).
    limit: Option<u32>,
}

/// The endpoints (admins).
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    summary = "The webhook endpoints, oldest first, without their secrets (admins)",
    responses((status = 200, description = "`{items: [webhook]}`", body = Object), Unsupported))]
pub(crate) async fn list_webhooks(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    let all = acting.webhooks().await?;
    Ok(items(all.iter().map(view).collect::<Vec<_>>()))
}

/// Registers an endpoint (admins); the answer holds its secret, once.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks",
    summary = "Register a webhook endpoint (admins); the answer holds its signing secret, shown this once",
    request_body = WebhookBody,
    responses((status = 201, description = "the endpoint and its secret", body = CreatedWebhookView), Unsupported))]
pub(crate) async fn create_webhook(
    Caller { acting, .. }: Caller,
    Body(body): Body<WebhookBody>,
) -> ApiResult<Response> {
    let made = acting.create_webhook(body.draft()?).await?;
    Ok(created(json!({
        "endpoint": view(&made.endpoint),
        "secret": made.secret.expose(),
    })))
}

/// Changes an endpoint (admins).
#[utoipa::path(put, path = "/api/v1/webhooks/{webhook}", tag = "webhooks",
    summary = "Change a webhook endpoint (admins); its secret stays",
    params(("webhook" = String, Path, description = "the endpoint's id")),
    request_body = WebhookBody,
    responses((status = 200, description = "the endpoint", body = WebhookView), NotFound, Unsupported))]
pub(crate) async fn update_webhook(
    Caller { acting, .. }: Caller,
    Id(id): Id<WebhookId>,
    Body(body): Body<WebhookBody>,
) -> ApiResult<Json<Value>> {
    Ok(Json(view(&acting.update_webhook(id, body.draft()?).await?)))
}

/// Removes an endpoint and its deliveries (admins).
#[utoipa::path(delete, path = "/api/v1/webhooks/{webhook}", tag = "webhooks",
    summary = "Remove a webhook endpoint and its deliveries (admins)",
    params(("webhook" = String, Path, description = "the endpoint's id")),
    responses((status = 204, description = "removed"), NotFound, Unsupported))]
pub(crate) async fn delete_webhook(
    Caller { acting, .. }: Caller,
    Id(id): Id<WebhookId>,
) -> ApiResult<axum::http::StatusCode> {
    acting.delete_webhook(id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// An endpoint's deliveries (admins).
#[utoipa::path(get, path = "/api/v1/webhooks/{webhook}/deliveries", tag = "webhooks",
    summary = "An endpoint's deliveries with their last responses, newest first (admins)",
    params(("webhook" = String, Path, description = "the endpoint's id"), DeliveriesQuery),
    responses((status = 200, description = "`{items: [delivery]}`", body = Object), NotFound, Unsupported))]
pub(crate) async fn webhook_deliveries(
    Caller { acting, .. }: Caller,
    Id(id): Id<WebhookId>,
    Query(q): Query<DeliveriesQuery>,
) -> ApiResult<Json<Value>> {
    Ok(items(
        acting.webhook_deliveries(id, q.limit.unwrap_or(50)).await?,
    ))
}

/// Sends a test ping (admins).
#[utoipa::path(post, path = "/api/v1/webhooks/{webhook}/ping", tag = "webhooks",
    summary = "Send a test ping now, with the other due deliveries (admins); the delivery as it stands after the attempt (an endpoint that is disabled gets none: it stays pending)",
    params(("webhook" = String, Path, description = "the endpoint's id")),
    responses((status = 200, description = "the ping's delivery", body = DeliveryView), NotFound, Unsupported))]
pub(crate) async fn ping_webhook(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
    Id(id): Id<WebhookId>,
) -> ApiResult<Json<Value>> {
    let ping = acting.ping_webhook(id).await?;
    crate::webhooks::Dispatcher::default()
        .run_once(&state.desk)
        .await?;
    Ok(Json(json!(acting.webhook_delivery(ping.id).await?)))
}
