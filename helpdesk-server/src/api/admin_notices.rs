//! Notices to admins about the desk itself (issue 23, item 3): an admin lists their own
//! (today: webhook endpoints the desk disabled after repeated failures) and marks one read.

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use helpdesk::domain::AdminNoticeId;
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

use super::items;
use crate::api::openapi::answers::{NotFound, Unsupported};
use crate::error::{ApiResult, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The admin notice routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin-notices", get(list_admin_notices))
        .route("/admin-notices/{notice}/read", post(mark_admin_notice_read))
}

/// The query of `GET /admin-notices`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct NoticesQuery {
    /// At most this many (default 50, at most 200).
    limit: Option<u32>,
}

/// The acting admin's notices, newest first.
#[utoipa::path(get, path = "/api/v1/admin-notices", tag = "webhooks",
    summary = "The acting admin's notices about the desk (a webhook endpoint disabled after repeated failures), newest first (admins)",
    params(NoticesQuery),
    responses((status = 200, description = "`{items: [{id, recipient, kind: \"webhook_disabled\", endpoint, url, reason, created_at, read_at}]}`", body = Object), Unsupported))]
pub(crate) async fn list_admin_notices(
    Caller { acting, .. }: Caller,
    Query(q): Query<NoticesQuery>,
) -> ApiResult<Json<Value>> {
    Ok(items(acting.admin_notices(q.limit.unwrap_or(50)).await?))
}

/// Marks one of the acting admin's notices read.
#[utoipa::path(post, path = "/api/v1/admin-notices/{notice}/read", tag = "webhooks",
    summary = "Mark one of your notices read (admins)",
    params(("notice" = String, Path, description = "the notice's id")),
    responses((status = 204, description = "read"), NotFound, Unsupported))]
pub(crate) async fn mark_admin_notice_read(
    Caller { acting, .. }: Caller,
    Id(id): Id<AdminNoticeId>,
) -> ApiResult<StatusCode> {
    acting.mark_admin_notice_read(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
