//! Agents: the list (staff), and an agent's signature.

use axum::Json;
use axum::Router;
use axum::routing::{get, put};
use helpdesk::domain::{AgentId, Signature};
use serde::Deserialize;
use serde_json::{Value, json};

use super::items;
use crate::error::{ApiResult, Body};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The agent routes (the live chat's `/agents/me/…` are in `chat`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agents", get(agents))
        .route("/agents/{agent}/signature", put(agent_signature))
}

async fn agents(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(items(acting.agents().await?))
}

#[derive(Deserialize)]
struct SignatureBody {
    signature: Signature,
}

async fn agent_signature(
    Caller { acting, .. }: Caller,
    Id(id): Id<AgentId>,
    Body(body): Body<SignatureBody>,
) -> ApiResult<Json<Value>> {
    let agent = acting.set_signature(id, body.signature).await?;
    Ok(Json(json!(agent)))
}
