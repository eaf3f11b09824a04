//! Ticket templates and canned responses edited and deleted through the API (they are listed
//! and added in [`directory`](super::directory)); the library checks who may: admins for
//! templates, staff for canned responses.

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::put;
use helpdesk::domain::{CannedResponseId, TemplateId};
use helpdesk::service::TemplateDraft;
use serde_json::{Value, json};

use super::directory::{CannedBody, TemplateBody};
use crate::api::openapi::answers::DirectoryWrite;
use crate::api::openapi::params::{CannedResponsePath, TemplatePath};
use crate::api::openapi::templates::{CannedResponse, TicketTemplate};
use crate::error::{ApiResult, Body};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The routes that edit and delete templates and canned responses.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/templates/{template}",
            put(update_template).delete(delete_template),
        )
        .route(
            "/canned-responses/{canned_response}",
            put(update_canned_response).delete(delete_canned_response),
        )
}

/// Rewrites a ticket template.
#[utoipa::path(put, path = "/api/v1/templates/{template}", tag = "templates",
    summary = "Rewrite a ticket template: the same fields as adding one; its categories and creation instant stay (admins)",
    params(TemplatePath),
    request_body = TemplateBody,
    responses((status = 200, description = "the template", body = TicketTemplate), DirectoryWrite))]
pub(crate) async fn update_template(
    Caller { acting, .. }: Caller,
    Id(id): Id<TemplateId>,
    Body(body): Body<TemplateBody>,
) -> ApiResult<Json<Value>> {
    let old = acting.template(id).await?;
    let draft = TemplateDraft {
        name: body.name,
        ticket_type: body.ticket_type,
        subject_prefix: body.subject_prefix,
        department: body.department,
        priority: body.priority,
        categories: old.categories,
        required_fields: body.required_fields,
        body: body.body,
    };
    Ok(Json(json!(acting.update_template(id, draft).await?)))
}

/// Deletes a ticket template.
#[utoipa::path(delete, path = "/api/v1/templates/{template}", tag = "templates",
    summary = "Delete a ticket template; tickets opened from it keep what they were opened with (admins)",
    params(TemplatePath),
    responses((status = 204, description = "deleted"), DirectoryWrite))]
pub(crate) async fn delete_template(
    Caller { acting, .. }: Caller,
    Id(id): Id<TemplateId>,
) -> ApiResult<StatusCode> {
    acting.delete_template(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Rewrites a canned response.
#[utoipa::path(put, path = "/api/v1/canned-responses/{canned_response}", tag = "templates",
    summary = "Rewrite a canned response: the same fields as adding one, placeholders checked (staff)",
    params(CannedResponsePath),
    request_body = CannedBody,
    responses((status = 200, description = "the canned response", body = CannedResponse), DirectoryWrite))]
pub(crate) async fn update_canned_response(
    Caller { acting, .. }: Caller,
    Id(id): Id<CannedResponseId>,
    Body(body): Body<CannedBody>,
) -> ApiResult<Json<Value>> {
    let response = acting
        .update_canned_response(id, body.department, body.name, body.language, body.body)
        .await?;
    Ok(Json(json!(response)))
}

/// Deletes a canned response.
#[utoipa::path(delete, path = "/api/v1/canned-responses/{canned_response}", tag = "templates",
    summary = "Delete a canned response (staff)",
    params(CannedResponsePath),
    responses((status = 204, description = "deleted"), DirectoryWrite))]
pub(crate) async fn delete_canned_response(
    Caller { acting, .. }: Caller,
    Id(id): Id<CannedResponseId>,
) -> ApiResult<StatusCode> {
    acting.delete_canned_response(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
