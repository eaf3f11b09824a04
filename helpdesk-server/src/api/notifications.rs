//! The caller's notifications: list them, and mark one read, snooze it or dismiss it.

use axum::Json;
use axum::Router;
use axum::extract::Path;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use helpdesk::domain::{NotificationAction, NotificationId};
use serde::Deserialize;
use serde_json::{Value, json};

use super::items;
use crate::error::{ApiError, ApiResult, Query};
use crate::extract::{Caller, parse};
use crate::state::AppState;

/// The notification routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(notifications))
        .route(
            "/notifications/{notification}/{action}",
            post(act_on_notification),
        )
}

#[derive(Deserialize)]
struct NotificationQuery {
    limit: Option<u32>,
}

async fn notifications(
    Caller { acting, .. }: Caller,
    Query(q): Query<NotificationQuery>,
) -> ApiResult<Json<Value>> {
    Ok(items(acting.notifications(q.limit.unwrap_or(50)).await?))
}

/// The body of `POST /notifications/{id}/snooze`: until when, or for how many minutes.
#[derive(Debug, Default, Deserialize)]
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

async fn act_on_notification(
    Caller { acting, .. }: Caller,
    Path((id, action)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let id: NotificationId = parse(&id)?;
    let snooze = if body.iter().all(u8::is_ascii_whitespace) {
        SnoozeBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request(e.to_string()))?
    };
    let action = notification_action(&action, snooze)?;
    let notification = acting.act_on_notification(id, action).await?;
    Ok(Json(json!(notification)))
}
