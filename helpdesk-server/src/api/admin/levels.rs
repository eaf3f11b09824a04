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

use super::super::items;
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

async fn service_levels(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.service_level_settings().await?)))
}

async fn put_calendar(
    Caller { acting, .. }: Caller,
    Path(raw): Path<String>,
    Body(spec): Body<CalendarSpec>,
) -> ApiResult<Json<Value>> {
    let calendar = spec.to_calendar().map_err(helpdesk::Error::from)?;
    Ok(Json(json!(
        acting.put_calendar(name(&raw)?, calendar).await?
    )))
}

async fn delete_calendar(
    Caller { acting, .. }: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.delete_calendar(&name(&raw)?).await?)))
}

/// A calendar by name, or `null`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarChoice {
    calendar: Option<Name>,
}

async fn default_calendar(
    Caller { acting, .. }: Caller,
    Body(body): Body<CalendarChoice>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(
        acting.set_default_calendar(body.calendar).await?
    )))
}

async fn department_calendar(
    Caller { acting, .. }: Caller,
    Id(id): Id<DepartmentId>,
    Body(body): Body<CalendarChoice>,
) -> ApiResult<Json<Value>> {
    let levels = acting.set_department_calendar(id, body.calendar).await?;
    Ok(Json(json!(levels)))
}

async fn put_sla_policy(
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

async fn delete_sla_policy(
    Caller { acting, .. }: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.delete_sla_policy(&name(&raw)?).await?)))
}

async fn attachment_limits(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.attachment_settings().await?)))
}

/// A department's limits (the default's without one); `null` limits remove them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsBody {
    #[serde(default)]
    department: Option<DepartmentId>,
    limits: Option<AttachmentLimits>,
}

async fn set_attachment_limits(
    Caller { acting, .. }: Caller,
    Body(body): Body<LimitsBody>,
) -> ApiResult<Json<Value>> {
    let settings = acting
        .set_attachment_limits(body.department, body.limits)
        .await?;
    Ok(Json(json!(settings)))
}

#[derive(Deserialize)]
struct AuditQuery {
    #[serde(default = "fifty")]
    limit: u32,
}

fn fifty() -> u32 {
    50
}

async fn audit(
    Caller { acting, .. }: Caller,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Value>> {
    Ok(items(acting.setting_changes(q.limit).await?))
}
