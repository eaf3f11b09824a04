//! The live chat's JSON routes: a customer starts a chat, anyone in it reads where it
//! stands, agents see the queue and their chats and set their presence. The conversation
//! itself goes over the WebSocket (`crate::chat::socket`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use helpdesk::Error;
use helpdesk::domain::{ChatId, DepartmentId, MessageBody, Presence};
use helpdesk::error::ForbiddenReason;
use helpdesk::service::Acting;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::chat::hub::{ChatEvent, Topic};
use crate::chat::views::{articles_view, chat_view, place_view};
use crate::error::{ApiResult, Body, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The chat routes under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/chats", post(start))
        .route("/chats/queue", get(queue))
        .route("/chats/{chat}", get(chat))
        .route("/agents/me/presence", get(presence).post(set_presence))
        .route("/agents/me/chats", get(my_chats))
}

/// The body of `POST /api/v1/chats`.
#[derive(Debug, Deserialize)]
struct StartChat {
    department: DepartmentId,
    text: MessageBody,
}

/// `POST /api/v1/chats`: a customer starts a chat; 201 with the chat, its ticket and the
/// assistant's suggestions.
async fn start(Caller { acting, .. }: Caller, Body(body): Body<StartChat>) -> ApiResult<Response> {
    let started = acting.start_chat(body.department, body.text).await?;
    let view = json!({
        "chat": chat_view(&acting, &started.chat).await,
        "ticket": started.ticket,
        "suggestions": articles_view(&started.suggestions),
        "place": {"state": "assistant"},
    });
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// `GET /api/v1/chats/{chat}`: the chat and where it stands.
async fn chat(Caller { acting, .. }: Caller, Id(id): Id<ChatId>) -> ApiResult<Json<Value>> {
    let chat = acting.chat(id).await?;
    let place = acting.chat_place(id).await?;
    Ok(Json(json!({
        "chat": chat_view(&acting, &chat).await,
        "place": place_view(acting.desk(), place).await,
    })))
}

#[derive(Debug, Deserialize)]
struct QueueQuery {
    department: Option<DepartmentId>,
}

/// The acting agent's departments; 403 for anyone else.
fn own_departments(acting: &Acting) -> ApiResult<Vec<DepartmentId>> {
    let agent = acting
        .principal()
        .agent()
        .ok_or_else(|| Error::forbidden(ForbiddenReason::AgentsOnly))?;
    Ok(agent.departments.keys().copied().collect())
}

/// `GET /api/v1/chats/queue?department=`: the waiting chats of a department (or of all the
/// agent's departments), first in line first.
async fn queue(
    Caller { acting, .. }: Caller,
    Query(q): Query<QueueQuery>,
) -> ApiResult<Json<Value>> {
    let departments = match q.department {
        Some(d) => vec![d],
        None => own_departments(&acting)?,
    };
    let mut items = Vec::new();
    for department in departments {
        for chat in acting.chat_queue(department).await? {
            items.push(chat_view(&acting, &chat).await);
        }
    }
    Ok(Json(json!({ "items": items })))
}

/// `GET /api/v1/agents/me/chats`: the chats the agent is in now.
async fn my_chats(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    let mut items = Vec::new();
    for chat in acting.my_chats().await? {
        items.push(chat_view(&acting, &chat).await);
    }
    Ok(Json(json!({ "items": items })))
}

/// The body of `POST /api/v1/agents/me/presence`.
#[derive(Debug, Deserialize)]
struct SetPresence {
    presence: Presence,
    #[serde(default)]
    max_chats: Option<u32>,
}

/// `GET /api/v1/agents/me/presence`: the agent's availability (offline when never set).
async fn presence(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.my_availability().await?)))
}

/// `POST /api/v1/agents/me/presence`: online, away or offline (and how many chats at once);
/// waiting chats may be routed to the agent at once, so their customers hear of it.
async fn set_presence(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
    Body(body): Body<SetPresence>,
) -> ApiResult<Json<Value>> {
    let availability = acting.set_presence(body.presence, body.max_chats).await?;
    for department in own_departments(&acting)? {
        state
            .chats
            .publish(Topic::Department(department), ChatEvent::Changed);
    }
    Ok(Json(json!(availability)))
}
