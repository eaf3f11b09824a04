//! Tickets linked to others: a master ticket's linked tickets, splitting messages off into a
//! new ticket, and a merged ticket's number leading to the ticket it was merged into.
//! (Merging is the `merge_into` command of `POST /tickets/{ticket}/commands`.)

use axum::Json;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use helpdesk::domain::{MessageId, Subject, Ticket, TicketKey};
use helpdesk::machine::SplitRequest;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::{created, items};
use crate::api::openapi::answers::{NotFound, TicketWrite};
use crate::api::openapi::model;
use crate::api::openapi::params::TicketPath;
use crate::error::{ApiResult, Body};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The routes of linked tickets.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tickets/{ticket}/linked", get(linked))
        .route("/tickets/{ticket}/split", post(split))
        .route("/tickets/{ticket}/merged-target", get(merged_target))
}

/// `{"items": [...]}` of the tickets linked to a master.
#[derive(ToSchema)]
#[allow(dead_code)] // Read only by the derive.
pub(crate) struct LinkedList {
    /// The linked tickets, oldest first, each with its status.
    items: Vec<model::Ticket>,
}

/// The tickets linked to a master ticket.
#[utoipa::path(get, path = "/api/v1/tickets/{ticket}/linked", tag = "tickets",
    summary = "The tickets linked to a master ticket, with their states (staff; empty for customers)",
    params(TicketPath),
    responses((status = 200, description = "the linked tickets", body = LinkedList), NotFound))]
pub(crate) async fn linked(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
) -> ApiResult<Json<Value>> {
    Ok(items(acting.linked_tickets(key).await?))
}

/// The body of `POST /tickets/{ticket}/split`.
#[derive(Deserialize, ToSchema)]
pub(crate) struct SplitBody {
    /// The ids of the messages to move to the new ticket: at least one, all on this ticket,
    /// not every one of its messages.
    #[schema(value_type = Vec<Uuid>)]
    messages: Vec<MessageId>,
    /// The new ticket's subject; this ticket's when left out.
    #[serde(default)]
    subject: Option<String>,
}

/// What a split did.
#[derive(Serialize, ToSchema)]
pub(crate) struct SplitView {
    /// The ticket the messages left.
    #[schema(value_type = model::Ticket)]
    original: Ticket,
    /// The new ticket holding them.
    #[schema(value_type = model::Ticket)]
    split: Ticket,
}

/// Splits messages off a ticket into a new one.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket}/split", tag = "tickets",
    summary = "Move chosen messages into a new ticket of the same customer and department",
    description = "One atomic change: the messages move (with their files) to a new ticket, each marked with the ticket it came from, and both histories record the split. Agents with the edit right in the ticket's department; a closed ticket is a 422 (`invalid_transition`); no message, a message of another ticket, or every message of the ticket is a 400 (`validation`) on `messages`. Nothing changes on an error.",
    params(TicketPath),
    request_body = SplitBody,
    responses((status = 201, description = "the two tickets", body = SplitView), TicketWrite))]
pub(crate) async fn split(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
    Body(body): Body<SplitBody>,
) -> ApiResult<Response> {
    let subject = body
        .subject
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(Subject::parse)
        .transpose()
        .map_err(crate::error::ApiError::from)?;
    let done = acting
        .split_ticket(
            key,
            SplitRequest {
                messages: body.messages,
                subject,
            },
        )
        .await?;
    Ok(created(SplitView {
        original: done.original,
        split: done.split,
    }))
}

/// Where a ticket lives on: itself, or the ticket it was merged into.
#[utoipa::path(get, path = "/api/v1/tickets/{ticket}/merged-target", tag = "tickets",
    summary = "The ticket a ticket lives on in: itself, or (for a merged one) a redirect to the ticket it was merged into",
    params(TicketPath),
    responses(
        (status = 200, description = "not merged: the ticket itself", body = model::Ticket),
        (status = 307, description = "merged: `Location` names the ticket it was merged into, by id"),
        NotFound))]
pub(crate) async fn merged_target(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
) -> ApiResult<Response> {
    let ticket = acting.ticket(key).await?;
    if ticket.merged_into.is_none() {
        return Ok(Json(ticket).into_response());
    }
    let target = acting.merge_target(ticket).await?;
    Ok(redirect_to(&target))
}

/// A 307 to the API's address of `ticket`.
pub(crate) fn redirect_to(ticket: &Ticket) -> Response {
    let location = format!("/api/v1/tickets/{}", ticket.id.as_uuid());
    (
        StatusCode::TEMPORARY_REDIRECT,
        [(header::LOCATION, location)],
    )
        .into_response()
}
