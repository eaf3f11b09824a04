//! Agents: the list (staff), and an agent's signature.

use axum::Json;
use axum::Router;
use axum::routing::{get, put};
use helpdesk::domain::{AgentId, Signature};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::items;
use crate::api::openapi::answers::NotFound;
use crate::api::openapi::directory::{Agent, AgentList};
use crate::api::openapi::params::AgentPath;
use crate::error::{ApiResult, Body};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The agent routes (the live chat's `/agents/me/…` are in `chat`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agents", get(agents))
        .route("/agents/{agent}/signature", put(agent_signature))
}

/// The agents.
#[utoipa::path(get, path = "/api/v1/agents", tag = "directory", summary = "Agents (staff only)",
    responses((status = 200, description = "the agents", body = AgentList)))]
pub(crate) async fn agents(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(items(acting.agents().await?))
}

/// The body of `PUT /agents/{agent}/signature`.
#[derive(Deserialize, ToSchema)]
pub(crate) struct SignatureBody {
    /// The signature appended to the agent's public replies (at most 2000 characters).
    #[schema(value_type = String, max_length = 2000)]
    signature: Signature,
}

/// Sets an agent's signature.
#[utoipa::path(put, path = "/api/v1/agents/{agent}/signature", tag = "directory",
    summary = "Set an agent's signature",
    params(AgentPath),
    request_body = SignatureBody,
    responses((status = 200, description = "the agent", body = Agent), NotFound))]
pub(crate) async fn agent_signature(
    Caller { acting, .. }: Caller,
    Id(id): Id<AgentId>,
    Body(body): Body<SignatureBody>,
) -> ApiResult<Json<Value>> {
    let agent = acting.set_signature(id, body.signature).await?;
    Ok(Json(json!(agent)))
}
