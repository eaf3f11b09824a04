//! What the caller may say about a ticket now besides messages (issue 21): the priorities
//! they may ask for in a priority request, and whether they may rate it. Forms offer only
//! these; the requests themselves are commands (`request_priority`, `rate_satisfaction`).

use axum::Json;
use axum::Router;
use axum::routing::get;
use helpdesk::domain::{Priority, TicketKey};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::openapi::answers::NotFound;
use crate::api::openapi::model;
use crate::api::openapi::params::TicketPath;
use crate::error::ApiResult;
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The feedback route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/tickets/{ticket}/feedback-offers", get(feedback_offers))
}

/// What the caller may say about a ticket now.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FeedbackOffers {
    /// The priorities the caller may ask for, lowest first: above the ticket's own and within
    /// the customer's cap; empty for staff and on a closed ticket.
    #[schema(value_type = Vec<model::Priority>)]
    requestable_priorities: Vec<Priority>,
    /// Whether the caller may rate the ticket: its customer, once it is closed as solved, once.
    may_rate: bool,
}

/// `GET /tickets/{ticket}/feedback-offers`.
#[utoipa::path(get, path = "/api/v1/tickets/{ticket}/feedback-offers", tag = "tickets",
    summary = "What the caller may say about the ticket now: the priorities they may request, whether they may rate it",
    params(TicketPath),
    responses((status = 200, description = "what the caller may do", body = FeedbackOffers), NotFound))]
pub(crate) async fn feedback_offers(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
) -> ApiResult<Json<FeedbackOffers>> {
    let ticket = acting.ticket(key).await?;
    Ok(Json(FeedbackOffers {
        requestable_priorities: acting.requestable_priorities(ticket.id).await?,
        may_rate: acting.may_rate(ticket.id).await?,
    }))
}
