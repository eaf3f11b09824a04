//! Followers and CC (issue 20): a ticket's CC addresses (its customer and staff who may
//! reply change them; whoever sees the ticket reads them), and the agents following it
//! (staff only: an agent follows or unfollows a ticket they may read; the assignee always
//! counts as a follower).

use axum::Json;
use axum::Router;
use axum::routing::{get, put};
use helpdesk::domain::{AgentId, Email, TicketId, TicketKey};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::openapi::answers::{TicketWrite, Unsupported};
use crate::api::openapi::params::TicketPath;
use crate::error::{ApiResult, Body, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The follower routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/tickets/{ticket}/cc",
            get(ticket_cc).post(add_cc).delete(remove_cc),
        )
        .route("/tickets/{ticket}/followers", get(ticket_followers))
        .route(
            "/tickets/{ticket}/follow",
            put(follow_ticket).delete(unfollow_ticket),
        )
        .route("/followed-tickets", get(followed_tickets))
}

/// `{"items": [...]}` of a ticket's CC addresses, sorted.
#[derive(Serialize, ToSchema)]
pub(crate) struct CcList {
    /// The addresses copied on the ticket's public thread.
    items: Vec<String>,
}

impl CcList {
    fn of(addresses: Vec<Email>) -> Json<Self> {
        Json(Self {
            items: addresses.into_iter().map(String::from).collect(),
        })
    }
}

/// `{"items": [...]}` of agents' ids.
#[derive(Serialize, ToSchema)]
pub(crate) struct FollowerList {
    /// The agents following the ticket (the assignee among them), by id.
    items: Vec<Uuid>,
}

impl FollowerList {
    fn of(agents: Vec<AgentId>) -> Json<Self> {
        Json(Self {
            items: agents.into_iter().map(|a| a.as_uuid()).collect(),
        })
    }
}

/// `{"items": [...]}` of tickets' ids.
#[derive(Serialize, ToSchema)]
pub(crate) struct FollowedTickets {
    /// The tickets the agent follows (and may still read), by id.
    items: Vec<Uuid>,
}

/// The body of `POST /tickets/{ticket}/cc`.
#[derive(Deserialize, ToSchema)]
pub(crate) struct CcAddition {
    /// The addresses to add (valid e-mail addresses; neither the customer's nor the desk's;
    /// at most 20 on a ticket in all).
    addresses: Vec<String>,
}

/// The query of `DELETE /tickets/{ticket}/cc`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CcAddress {
    /// The address to take off.
    pub address: String,
}

/// A ticket's CC addresses.
#[utoipa::path(get, path = "/api/v1/tickets/{ticket}/cc", tag = "tickets",
    summary = "The addresses copied on a ticket's public thread (whoever sees the ticket)",
    params(TicketPath),
    responses((status = 200, description = "the addresses, sorted", body = CcList), TicketWrite, Unsupported))]
pub(crate) async fn ticket_cc(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
) -> ApiResult<Json<CcList>> {
    Ok(CcList::of(acting.ticket_cc(key).await?))
}

/// Adds CC addresses.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket}/cc", tag = "tickets",
    summary = "Copy addresses on a ticket's public thread (its customer, or staff who may reply)",
    description = "They get the agents' public replies by e-mail (never internal notes), and their mail to the ticket is added to its thread. An invalid address is a 422 and nothing is added.",
    params(TicketPath),
    request_body = CcAddition,
    responses((status = 200, description = "the addresses after", body = CcList), TicketWrite, Unsupported))]
pub(crate) async fn add_cc(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
    Body(body): Body<CcAddition>,
) -> ApiResult<Json<CcList>> {
    let addresses: Vec<&str> = body.addresses.iter().map(String::as_str).collect();
    Ok(CcList::of(acting.add_cc(key, &addresses).await?))
}

/// Removes a CC address.
#[utoipa::path(delete, path = "/api/v1/tickets/{ticket}/cc", tag = "tickets",
    summary = "Take an address off a ticket's CC (its customer, or staff who may reply)",
    params(TicketPath, CcAddress),
    responses((status = 200, description = "the addresses left", body = CcList), TicketWrite, Unsupported))]
pub(crate) async fn remove_cc(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
    Query(query): Query<CcAddress>,
) -> ApiResult<Json<CcList>> {
    Ok(CcList::of(acting.remove_cc(key, &query.address).await?))
}

/// The agents following a ticket.
#[utoipa::path(get, path = "/api/v1/tickets/{ticket}/followers", tag = "tickets",
    summary = "The agents following a ticket, its assignee among them (staff)",
    params(TicketPath),
    responses((status = 200, description = "the agents, by id", body = FollowerList), TicketWrite, Unsupported))]
pub(crate) async fn ticket_followers(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
) -> ApiResult<Json<FollowerList>> {
    Ok(FollowerList::of(acting.ticket_followers(key).await?))
}

/// Follows a ticket.
#[utoipa::path(put, path = "/api/v1/tickets/{ticket}/follow", tag = "tickets",
    summary = "Follow a ticket the agent may read: be told of replies, notes and status changes (agents)",
    params(TicketPath),
    responses((status = 200, description = "the ticket's followers after", body = FollowerList), TicketWrite, Unsupported))]
pub(crate) async fn follow_ticket(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
) -> ApiResult<Json<FollowerList>> {
    Ok(FollowerList::of(acting.follow_ticket(key).await?))
}

/// Stops following a ticket.
#[utoipa::path(delete, path = "/api/v1/tickets/{ticket}/follow", tag = "tickets",
    summary = "Stop following a ticket (agents; the assignee still counts while assigned)",
    params(TicketPath),
    responses((status = 200, description = "the ticket's followers after", body = FollowerList), TicketWrite, Unsupported))]
pub(crate) async fn unfollow_ticket(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
) -> ApiResult<Json<FollowerList>> {
    Ok(FollowerList::of(acting.unfollow_ticket(key).await?))
}

/// The tickets the agent follows.
#[utoipa::path(get, path = "/api/v1/followed-tickets", tag = "tickets",
    summary = "The tickets the signed-in agent chose to follow (agents, their own list)",
    responses((status = 200, description = "the tickets, by id", body = FollowedTickets), Unsupported))]
pub(crate) async fn followed_tickets(
    Caller { acting, .. }: Caller,
) -> ApiResult<Json<FollowedTickets>> {
    let ids: Vec<TicketId> = acting.followed_tickets().await?;
    Ok(Json(FollowedTickets {
        items: ids.into_iter().map(|t| t.as_uuid()).collect(),
    }))
}
