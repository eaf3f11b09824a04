//! The caller's notifications: list them, and mark one read, snooze it or dismiss it.

use axum::Json;
use axum::Router;
use axum::extract::Path;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use helpdesk::domain::{NotificationAction, NotificationId};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::items;
use crate::api::openapi::answers::NotFound;
use crate::api::openapi::directory::{DismissedAll, Notification, NotificationList};
use crate::api::openapi::params::NotificationPath;
use crate::error::{ApiError, ApiResult, Query};
use crate::extract::{Caller, parse};
use crate::state::AppState;

/// The notification routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(notifications))
        .route("/notifications/dismiss-all", post(dismiss_all))
        .route("/notifications/{notification}/read", post(read))
        .route("/notifications/{notification}/snooze", post(snooze))
        .route("/notifications/{notification}/dismiss", post(dismiss))
}

/// The query of `GET /notifications`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct NotificationQuery {
    /// At most this many (default 50).
    limit: Option<u32>,
}

/// The caller's notifications.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", summary = "The caller's notifications",
    params(NotificationQuery),
    responses((status = 200, description = "the notifications", body = NotificationList)))]
pub(crate) async fn notifications(
    Caller { acting, .. }: Caller,
    Query(q): Query<NotificationQuery>,
) -> ApiResult<Json<Value>> {
    Ok(items(acting.notifications(q.limit.unwrap_or(50)).await?))
}

/// The body of `POST /notifications/{id}/snooze`: until when, or for how many minutes.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SnoozeBody {
    /// Until this instant.
    pub until: Option<DateTime<Utc>>,
    /// For this many minutes (default 60).
    pub minutes: Option<i64>,
}

/// The action named in a notification route.
pub fn notification_action(action: &str, snooze: SnoozeBody) -> ApiResult<NotificationAction> {
    match action {
        "read" => Ok(NotificationAction::Read),
        "dismiss" => Ok(NotificationAction::Dismiss),
        "snooze" => {
            let until = match snooze.until {
                Some(until) => until,
                None => {
                    let minutes = snooze.minutes.unwrap_or(60).clamp(1, 60 * 24 * 365);
                    Utc::now() + chrono::Duration::minutes(minutes)
                }
            };
            Ok(NotificationAction::Snooze { until })
        }
        other => Err(ApiError::not_found(format!(
            "no notification action {other:?}; use read, snooze or dismiss"
        ))),
    }
}

/// Marks a notification read.
#[utoipa::path(post, path = "/api/v1/notifications/{notification}/read", tag = "notifications",
    summary = "Mark read", params(NotificationPath),
    responses((status = 200, description = "the notification", body = Notification), NotFound))]
pub(crate) async fn read(
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    act_on_notification(caller, &id, "read", &body).await
}

/// Snoozes a notification.
#[utoipa::path(post, path = "/api/v1/notifications/{notification}/snooze", tag = "notifications",
    summary = "Remind later (`until` or `minutes`, default 60)", params(NotificationPath),
    request_body(content = Option<SnoozeBody>, description = "optional: in an hour without it"),
    responses((status = 200, description = "the notification", body = Notification), NotFound))]
pub(crate) async fn snooze(
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    act_on_notification(caller, &id, "snooze", &body).await
}

/// Dismisses a notification.
#[utoipa::path(post, path = "/api/v1/notifications/{notification}/dismiss", tag = "notifications",
    summary = "Dismiss (the ticket stays)", params(NotificationPath),
    responses((status = 200, description = "the notification", body = Notification), NotFound))]
pub(crate) async fn dismiss(
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    act_on_notification(caller, &id, "dismiss", &body).await
}

/// Dismisses every notification the caller is shown now.
#[utoipa::path(post, path = "/api/v1/notifications/dismiss-all", tag = "notifications",
    summary = "Dismiss all shown now (snoozed ones stay snoozed; the tickets stay)",
    responses((status = 200, description = "how many were dismissed", body = DismissedAll)))]
pub(crate) async fn dismiss_all(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    let dismissed = acting.dismiss_all_notifications().await?;
    Ok(Json(json!({ "dismissed": dismissed })))
}

/// Acts on the caller's notification `id` (an optional snooze body for `snooze`).
async fn act_on_notification(
    Caller { acting, .. }: Caller,
    id: &str,
    action: &str,
    body: &[u8],
) -> ApiResult<Json<Value>> {
    let id: NotificationId = parse(id)?;
    let snooze = if body.iter().all(u8::is_ascii_whitespace) {
        SnoozeBody::default()
    } else {
        serde_json::from_slice(body).map_err(|e| ApiError::bad_request(e.to_string()))?
    };
    let action = notification_action(action, snooze)?;
    let notification = acting.act_on_notification(id, action).await?;
    Ok(Json(json!(notification)))
}
