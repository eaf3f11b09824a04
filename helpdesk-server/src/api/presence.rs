//! Presence kept by heartbeats: the agent console and the chat window say the agent is there
//! (`POST /api/v1/agents/me/presence/heartbeat`, every `heartbeat_seconds`), and staff read
//! who is there (`GET /api/v1/agents/presence`). An agent not seen for the stored presence
//! timeout counts as offline in every process; the store keeps when each was last seen, so
//! no process needs to be the one the agent talks to.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use helpdesk::domain::Availability;
use serde_json::{Value, json};

use crate::api::openapi::answers::Unsupported;
use crate::api::openapi::model::{self, AvailabilityList};
use crate::chat::hub::{ChatEvent, Topic};
use crate::error::ApiResult;
use crate::extract::Caller;
use crate::state::AppState;

/// The presence routes under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agents/me/presence/heartbeat", post(heartbeat))
        .route("/agents/presence", get(availabilities))
}

/// An availability with how often to send the next heartbeat.
pub(crate) fn with_heartbeat(availability: &Availability, heartbeat_seconds: u32) -> Value {
    let mut view = json!(availability);
    view["heartbeat_seconds"] = json!(heartbeat_seconds);
    view
}

/// `POST /api/v1/agents/me/presence/heartbeat`: the agent is there.
#[utoipa::path(post, path = "/api/v1/agents/me/presence/heartbeat", tag = "chat",
    summary = "The signed-in agent is there: a heartbeat of their console or chat window (send one every `heartbeat_seconds`; an agent not seen for the desk's presence timeout counts as offline; an agent online again takes waiting chats)",
    responses((status = 200, description = "the availability as it counts now", body = model::Availability), Unsupported))]
pub(crate) async fn heartbeat(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
) -> ApiResult<Json<Value>> {
    let before = acting.my_availability().await?;
    let availability = acting.heartbeat().await?;
    if before.presence != availability.presence
        && let Some(agent) = acting.principal().agent()
    {
        // Back after their presence expired: waiting chats may have gone to them.
        for department in agent.departments.keys() {
            state
                .chats
                .publish(Topic::Department(*department), ChatEvent::Changed);
        }
    }
    let every = state.desk.presence_timeout().await?.heartbeat_seconds();
    Ok(Json(with_heartbeat(&availability, every)))
}

/// `GET /api/v1/agents/presence`: every agent's availability as it counts now.
#[utoipa::path(get, path = "/api/v1/agents/presence", tag = "chat",
    summary = "Every agent's availability for chats as it counts now: an agent not seen for the desk's presence timeout is offline (staff only)",
    responses((status = 200, description = "the availabilities", body = AvailabilityList), Unsupported))]
pub(crate) async fn availabilities(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(super::items(acting.chat_availabilities().await?))
}
