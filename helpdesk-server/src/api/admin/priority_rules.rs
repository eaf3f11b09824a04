//! The priority rules kept in the store, through the API (admins, issue 20): the tickets of
//! an organisation's customers start at its rule's priority and may be set up to its
//! ceiling. `GET /settings/priority-rules`, `PUT`/`DELETE /settings/priority-rules/{name}`.

use axum::Json;
use axum::Router;
use axum::extract::Path;
use axum::routing::{get, put};
use helpdesk::domain::{CustomerId, Name, Priority};
use helpdesk::policy::PriorityRuleSetting;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::api::openapi::answers::{DirectoryWrite, Unsupported};
use crate::api::openapi::model;
use crate::api::openapi::params::NamePath;
use crate::error::{ApiResult, Body};
use crate::extract::Caller;
use crate::state::AppState;

/// The priority-rule routes of the admin surface.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/priority-rules", get(priority_rules))
        .route(
            "/settings/priority-rules/{name}",
            put(put_priority_rule).delete(delete_priority_rule),
        )
}

/// The stored priority rules, in order.
#[derive(ToSchema)]
#[allow(dead_code)] // Read only by the derive: the answer is the library's JSON.
pub(crate) struct PriorityRules {
    /// The rules; an organisation is named by one rule at most.
    rules: Vec<StoredPriorityRule>,
}

/// A stored priority rule.
#[derive(ToSchema)]
#[allow(dead_code)] // Read only by the derive.
pub(crate) struct StoredPriorityRule {
    /// Its name, unique on the desk.
    name: String,
    /// The organisations it names (customers of kind organisation).
    #[schema(value_type = Vec<Uuid>)]
    organisations: Vec<String>,
    /// The priority their customers' new tickets get.
    #[schema(value_type = model::Priority)]
    initial: String,
    /// The highest priority an agent may set without the override permission (absent: the
    /// usual one, at least `initial`).
    #[schema(nullable = false, value_type = Option<model::Priority>)]
    ceiling: Option<String>,
}

/// A priority rule as `PUT` takes it (its name is the path's).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PriorityRuleBody {
    /// The organisations it names (customers of kind organisation), at least one.
    #[schema(value_type = Vec<Uuid>)]
    organisations: Vec<CustomerId>,
    /// The priority their customers' new tickets get, whatever is asked for.
    #[schema(value_type = model::Priority)]
    initial: Priority,
    /// The highest priority an agent may set without the override permission (null or
    /// absent: the usual one, at least `initial`); not below `initial`.
    #[serde(default)]
    #[schema(value_type = Option<model::Priority>)]
    ceiling: Option<Priority>,
}

/// A name from the path, validated.
fn name(raw: &str) -> ApiResult<Name> {
    Ok(Name::parse(raw).map_err(helpdesk::Error::from)?)
}

/// The stored priority rules.
#[utoipa::path(get, path = "/api/v1/settings/priority-rules", tag = "settings",
    summary = "The stored priority rules that match on the organisation (admins)",
    responses((status = 200, description = "the priority rules", body = PriorityRules), Unsupported))]
pub(crate) async fn priority_rules(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.priority_rule_settings().await?)))
}

/// Adds or replaces a priority rule.
#[utoipa::path(put, path = "/api/v1/settings/priority-rules/{name}", tag = "settings",
    summary = "Add a priority rule for organisations, or replace the one of that name (admins)",
    params(NamePath),
    request_body = PriorityRuleBody,
    responses((status = 200, description = "the priority rules", body = PriorityRules), DirectoryWrite, Unsupported))]
pub(crate) async fn put_priority_rule(
    Caller { acting, .. }: Caller,
    Path(raw): Path<String>,
    Body(body): Body<PriorityRuleBody>,
) -> ApiResult<Json<Value>> {
    let rule = PriorityRuleSetting::new(name(&raw)?, body.organisations, body.initial)
        .with_ceiling(body.ceiling);
    Ok(Json(json!(acting.put_priority_rule(rule).await?)))
}

/// Removes a priority rule.
#[utoipa::path(delete, path = "/api/v1/settings/priority-rules/{name}", tag = "settings",
    summary = "Remove a priority rule (admins)",
    params(NamePath),
    responses((status = 200, description = "the priority rules", body = PriorityRules), DirectoryWrite, Unsupported))]
pub(crate) async fn delete_priority_rule(
    Caller { acting, .. }: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(
        acting.delete_priority_rule(&name(&raw)?).await?
    )))
}
