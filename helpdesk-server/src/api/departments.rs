//! Departments (queues): list them, add one (admins).

use axum::Json;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use helpdesk::domain::Name;
use helpdesk::policy::FollowUpPolicy;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::{created, items};
use crate::api::openapi::answers::DirectoryWrite;
use crate::api::openapi::directory::{Department, DepartmentList};
use crate::api::openapi::model;
use crate::error::{ApiResult, Body};
use crate::extract::Caller;
use crate::state::AppState;

/// The department routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/departments", get(departments).post(create_department))
}

/// The departments.
#[utoipa::path(get, path = "/api/v1/departments", tag = "directory", summary = "Departments",
    responses((status = 200, description = "the departments", body = DepartmentList)))]
pub(crate) async fn departments(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(items(acting.departments().await?))
}

/// The body of `POST /departments`.
#[derive(Deserialize, ToSchema)]
pub(crate) struct NewDepartment {
    /// Its name (1–200 characters).
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    name: Name,
    /// What a customer's reply to a closed ticket does (`reopen` by default).
    #[serde(default)]
    #[schema(value_type = Option<model::FollowUpPolicy>)]
    follow_up: FollowUpPolicy,
}

/// Adds a department.
#[utoipa::path(post, path = "/api/v1/departments", tag = "directory", summary = "Add a department (admins)",
    request_body = NewDepartment,
    responses((status = 201, description = "the department", body = Department), DirectoryWrite))]
pub(crate) async fn create_department(
    Caller { acting, .. }: Caller,
    Body(new): Body<NewDepartment>,
) -> ApiResult<Response> {
    let department = acting.create_department(new.name, new.follow_up).await?;
    Ok(created(department))
}
