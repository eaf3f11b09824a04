//! The settings kept in the store, through the API (admins): business-hours calendars, the
//! calendar of each department, SLA policies, attachment limits, and the audit trail of
//! every change.

use axum::Json;
use axum::Router;
use axum::extract::Path;
use axum::routing::{get, put};
use helpdesk::domain::{DepartmentId, Name};
use helpdesk::policy::{CalendarSpec, SlaPolicySetting};
use helpdesk::service::AttachmentLimits;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::super::items;
use crate::api::openapi::answers::{DirectoryWrite, Unsupported};
use crate::api::openapi::levels::{
    AttachmentLimits as LimitsSchema, Calendar as CalendarSchema, SlaPolicy,
};
use crate::api::openapi::params::{DepartmentPath, NamePath};
use crate::api::openapi::settings::{AttachmentSettings, AuditList, ServiceLevels};
use crate::error::{ApiResult, Body, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The settings routes of the admin surface.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/service-levels", get(service_levels))
        .route(
            "/settings/calendars/{name}",
            put(put_calendar).delete(delete_calendar),
        )
        .route("/settings/default-calendar", put(default_calendar))
        .route(
            "/settings/departments/{department}/calendar",
            put(department_calendar),
        )
        .route(
            "/settings/sla-policies/{name}",
            put(put_sla_policy).delete(delete_sla_policy),
        )
        .route(
            "/settings/attachment-limits",
            get(attachment_limits).put(set_attachment_limits),
        )
        .route("/settings/audit", get(audit))
}

/// A name from the path, validated.
fn name(raw: &str) -> ApiResult<Name> {
    Ok(Name::parse(raw).map_err(helpdesk::Error::from)?)
}

/// The stored service levels.
#[utoipa::path(get, path = "/api/v1/settings/service-levels", tag = "settings",
    summary = "The stored service levels: calendars, the calendar of each department, SLA policies (admins)",
    responses((status = 200, description = "the service levels", body = ServiceLevels), Unsupported))]
pub(crate) async fn service_levels(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.service_level_settings().await?)))
}

/// Adds or replaces a calendar.
#[utoipa::path(put, path = "/api/v1/settings/calendars/{name}", tag = "settings",
    summary = "Add or replace a business-hours calendar (admins)",
    params(NamePath),
    request_body = CalendarSchema,
    responses((status = 200, description = "the service levels", body = ServiceLevels), DirectoryWrite, Unsupported))]
pub(crate) async fn put_calendar(
    Caller { acting, .. }: Caller,
    Path(raw): Path<String>,
    Body(spec): Body<CalendarSpec>,
) -> ApiResult<Json<Value>> {
    let calendar = spec.to_calendar().map_err(helpdesk::Error::from)?;
    Ok(Json(json!(
        acting.put_calendar(name(&raw)?, calendar).await?
    )))
}

/// Removes a calendar.
#[utoipa::path(delete, path = "/api/v1/settings/calendars/{name}", tag = "settings",
    summary = "Remove a calendar nothing uses (admins)",
    params(NamePath),
    responses((status = 200, description = "the service levels", body = ServiceLevels), DirectoryWrite, Unsupported))]
pub(crate) async fn delete_calendar(
    Caller { acting, .. }: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.delete_calendar(&name(&raw)?).await?)))
}

/// A calendar by name, or `null`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CalendarChoice {
    /// The calendar's name; `null` for the default (a department) or around the clock (the
    /// default).
    #[schema(value_type = Option<String>)]
    calendar: Option<Name>,
}

/// Sets the default calendar.
#[utoipa::path(put, path = "/api/v1/settings/default-calendar", tag = "settings",
    summary = "The `calendar` of departments without their own, or null for around the clock (admins)",
    request_body = CalendarChoice,
    responses((status = 200, description = "the service levels", body = ServiceLevels), DirectoryWrite, Unsupported))]
pub(crate) async fn default_calendar(
    Caller { acting, .. }: Caller,
    Body(body): Body<CalendarChoice>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(
        acting.set_default_calendar(body.calendar).await?
    )))
}

/// Sets a department's calendar.
#[utoipa::path(put, path = "/api/v1/settings/departments/{department}/calendar", tag = "settings",
    summary = "The `calendar` a department works on, or null for the default (admins)",
    params(DepartmentPath),
    request_body = CalendarChoice,
    responses((status = 200, description = "the service levels", body = ServiceLevels), DirectoryWrite, Unsupported))]
pub(crate) async fn department_calendar(
    Caller { acting, .. }: Caller,
    Id(id): Id<DepartmentId>,
    Body(body): Body<CalendarChoice>,
) -> ApiResult<Json<Value>> {
    let levels = acting.set_department_calendar(id, body.calendar).await?;
    Ok(Json(json!(levels)))
}

/// Adds or replaces an SLA policy.
#[utoipa::path(put, path = "/api/v1/settings/sla-policies/{name}", tag = "settings",
    summary = "Add an SLA policy after the others, or replace the one of that name (admins)",
    params(NamePath),
    request_body = SlaPolicy,
    responses((status = 200, description = "the service levels", body = ServiceLevels), DirectoryWrite, Unsupported))]
pub(crate) async fn put_sla_policy(
    Caller { acting, .. }: Caller,
    Path(raw): Path<String>,
    Body(mut body): Body<serde_json::Map<String, Value>>,
) -> ApiResult<Json<Value>> {
    body.insert(
        "name".into(),
        Value::String(name(&raw)?.as_str().to_owned()),
    );
    let policy: SlaPolicySetting = serde_json::from_value(Value::Object(body))
        .map_err(|e| helpdesk::Error::validation("sla", e.to_string()))?;
    Ok(Json(json!(acting.put_sla_policy(policy).await?)))
}

/// Removes an SLA policy.
#[utoipa::path(delete, path = "/api/v1/settings/sla-policies/{name}", tag = "settings",
    summary = "Remove an SLA policy (admins)",
    params(NamePath),
    responses((status = 200, description = "the service levels", body = ServiceLevels), DirectoryWrite, Unsupported))]
pub(crate) async fn delete_sla_policy(
    Caller { acting, .. }: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.delete_sla_policy(&name(&raw)?).await?)))
}

/// The stored attachment limits.
#[utoipa::path(get, path = "/api/v1/settings/attachment-limits", tag = "settings",
    summary = "The stored attachment limits: the `default` and each department's (admins)",
    responses((status = 200, description = "the attachment settings", body = AttachmentSettings), Unsupported))]
pub(crate) async fn attachment_limits(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.attachment_settings().await?)))
}

/// A department's limits (the default's without one); `null` limits remove them.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LimitsBody {
    /// The department (none: the default).
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    department: Option<DepartmentId>,
    /// The limits; `null` removes them.
    #[schema(value_type = Option<LimitsSchema>)]
    limits: Option<AttachmentLimits>,
}

/// Sets attachment limits.
#[utoipa::path(put, path = "/api/v1/settings/attachment-limits", tag = "settings",
    summary = "Set a `department`'s `limits` (the default's without a department; null limits remove them) (admins)",
    request_body = LimitsBody,
    responses((status = 200, description = "the attachment settings", body = AttachmentSettings), DirectoryWrite, Unsupported))]
pub(crate) async fn set_attachment_limits(
    Caller { acting, .. }: Caller,
    Body(body): Body<LimitsBody>,
) -> ApiResult<Json<Value>> {
    let settings = acting
        .set_attachment_limits(body.department, body.limits)
        .await?;
    Ok(Json(json!(settings)))
}

/// The query of `GET /settings/audit`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AuditQuery {
    /// At most this many (1–500, default 50).
    #[serde(default = "fifty")]
    #[param(minimum = 1, maximum = 500, default = 50)]
    limit: u32,
}

fn fifty() -> u32 {
    50
}

/// The audit trail of settings changes.
#[utoipa::path(get, path = "/api/v1/settings/audit", tag = "settings",
    summary = "The audit trail of settings changes, newest first: who, when, before and after (admins)",
    params(AuditQuery),
    responses((status = 200, description = "the changes", body = AuditList), Unsupported))]
pub(crate) async fn audit(
    Caller { acting, .. }: Caller,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Value>> {
    Ok(items(acting.setting_changes(q.limit).await?))
}
