//! Departments (queues): list them, add one (admins).

use axum::Json;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use helpdesk::domain::Name;
use helpdesk::policy::FollowUpPolicy;
use serde::Deserialize;
use serde_json::Value;

use super::{created, items};
use crate::error::{ApiResult, Body};
use crate::extract::Caller;
use crate::state::AppState;

/// The department routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/departments", get(departments).post(create_department))
}

async fn departments(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(items(acting.departments().await?))
}

#[derive(Deserialize)]
struct NewDepartment {
    name: Name,
    #[serde(default)]
    follow_up: FollowUpPolicy,
}

async fn create_department(
    Caller { acting, .. }: Caller,
    Body(new): Body<NewDepartment>,
) -> ApiResult<Response> {
    let department = acting.create_department(new.name, new.follow_up).await?;
    Ok(created(department))
}
