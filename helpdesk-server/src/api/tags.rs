//! Tags (staff only): the tags in use for completing what is typed, tags put on and taken
//! off one ticket (`If-Match` as for any command), and a selection of tickets tagged in one
//! call, all of them or none.

use std::collections::BTreeSet;

use axum::Json;
use axum::Router;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use helpdesk::domain::{Tag, TicketKey};
use helpdesk::machine::Command;
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::commands::{OutcomeView, expected_version};
use super::items;
use crate::api::openapi::answers::{TicketWrite, Unsupported};
use crate::api::openapi::params::{IfMatch, TicketPath};
use crate::api::openapi::views::{TagCountList, TaggedTickets};
use crate::error::{ApiResult, Body, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The tag routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tags", get(tags_in_use))
        .route("/tags/bulk", post(bulk_tag))
        .route("/tickets/{ticket}/tags", post(tag_ticket))
}

/// The query of `GET /tags`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TagQuery {
    /// What was typed so far (compared folded: case and diacritics ignored); empty or left
    /// out: every tag.
    pub prefix: Option<String>,
    /// At most this many tags (1–100, default 20).
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u32>,
}

/// The tags in use.
#[utoipa::path(get, path = "/api/v1/tags", tag = "tickets",
    summary = "The tags in use that start with `prefix`, the most used first, on the tickets the agent may read (staff)",
    params(TagQuery),
    responses((status = 200, description = "the tags with how many tickets carry each", body = TagCountList), Unsupported))]
pub(crate) async fn tags_in_use(
    Caller { acting, .. }: Caller,
    Query(query): Query<TagQuery>,
) -> ApiResult<Json<Value>> {
    let prefix = query.prefix.unwrap_or_default();
    let found = acting
        .tags_in_use(&prefix, query.limit.unwrap_or(20))
        .await?;
    Ok(items(found))
}

/// The body of `POST /tickets/{ticket}/tags` (and, with `tickets`, of `POST /tags/bulk`).
#[derive(Deserialize, ToSchema)]
pub(crate) struct TagChange {
    /// The tags to put on (each 1–50 characters, no commas).
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    add: BTreeSet<Tag>,
    /// The tags to take off.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    remove: BTreeSet<Tag>,
}

/// Tags one ticket.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket}/tags", tag = "tickets",
    summary = "Put tags on and take tags off a ticket (agents with the edit permission)",
    description = "One history entry (`tagged`) with the change; asking for what already is changes nothing. `If-Match: VERSION` for optimistic concurrency.",
    params(TicketPath, IfMatch),
    request_body = TagChange,
    responses((status = 200, description = "what it did", body = OutcomeView), TicketWrite))]
pub(crate) async fn tag_ticket(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
    headers: HeaderMap,
    Body(change): Body<TagChange>,
) -> ApiResult<Json<OutcomeView>> {
    let options = expected_version(&headers)?;
    let command = Command::Tag {
        add: change.add,
        remove: change.remove,
    };
    let outcome = acting.execute_with(key, command, options).await?;
    Ok(Json(outcome.into()))
}

/// The body of `POST /tags/bulk`.
#[derive(Deserialize, ToSchema)]
pub(crate) struct BulkTagChange {
    /// The tickets, by id or number (1 to 200).
    tickets: Vec<String>,
    /// The tags to put on each.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    add: BTreeSet<Tag>,
    /// The tags to take off each.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    remove: BTreeSet<Tag>,
}

/// Tags a selection of tickets.
#[utoipa::path(post, path = "/api/v1/tags/bulk", tag = "tickets",
    summary = "Put tags on and take tags off a selection of tickets, all of them or none (agents)",
    description = "Each ticket is authorized as for one; the first refusal (not found, outside the agent's departments, no edit permission, merged) refuses the whole selection and nothing changes. Answers every ticket as it is after, in the order named.",
    request_body = BulkTagChange,
    responses((status = 200, description = "the tickets after", body = TaggedTickets), TicketWrite))]
pub(crate) async fn bulk_tag(
    Caller { acting, .. }: Caller,
    Body(change): Body<BulkTagChange>,
) -> ApiResult<Json<Value>> {
    let keys = (change.tickets.iter())
        .map(|t| TicketKey::parse(t))
        .collect::<Result<Vec<_>, _>>()?;
    let tickets = acting.tag_tickets(&keys, change.add, change.remove).await?;
    Ok(items(tickets))
}
