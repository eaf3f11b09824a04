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
use utoipa::{IntoParams, ToSchema};

use crate::api::openapi::answers::{NotFound, TicketWrite, Unsupported};
use crate::api::openapi::chat::ChatList;
use crate::api::openapi::model::{self, Availability};
use crate::api::openapi::params::ChatPath;
use crate::api::openapi::views::{ChatStarted, ChatState};
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
        .route("/chats/{chat}/end", post(end))
        .route("/agents/me/presence", get(presence).post(set_presence))
        .route("/agents/me/chats", get(my_chats))
}

/// The body of `POST /api/v1/chats`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct StartChat {
    /// The department asked.
    #[schema(value_type = Uuid)]
    department: DepartmentId,
    /// The customer's first words.
    #[schema(value_type = String, min_length = 1, max_length = 100000)]
    text: MessageBody,
}

/// `POST /api/v1/chats`: a customer starts a chat; 201 with the chat, its ticket and the
/// assistant's suggestions.
#[utoipa::path(post, path = "/api/v1/chats", tag = "chat",
    summary = "A customer starts a chat in a department: its ticket (channel chat) and the assistant's knowledge-base suggestions",
    description = "Then talk through the WebSocket `/chat/ws?chat=ID` (outside this document).",
    request_body = StartChat,
    responses((status = 201, description = "the chat", body = ChatStarted), TicketWrite, Unsupported))]
pub(crate) async fn start(
    Caller { acting, .. }: Caller,
    Body(body): Body<StartChat>,
) -> ApiResult<Response> {
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
#[utoipa::path(get, path = "/api/v1/chats/{chat}", tag = "chat",
    summary = "A chat and where it stands (assistant, queued with its position, with an agent, ended)",
    params(ChatPath),
    responses((status = 200, description = "the chat", body = ChatState), NotFound, Unsupported))]
pub(crate) async fn chat(
    Caller { acting, .. }: Caller,
    Id(id): Id<ChatId>,
) -> ApiResult<Json<Value>> {
    let chat = acting.chat(id).await?;
    let place = acting.chat_place(id).await?;
    Ok(Json(json!({
        "chat": chat_view(&acting, &chat).await,
        "place": place_view(acting.desk(), place).await,
    })))
}

/// The body of `POST /api/v1/chats/{chat}/end`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EndChat {
    /// The customer asks for the transcript by e-mail, sent once as the chat ends (default
    /// false).
    #[serde(default)]
    transcript: bool,
}

/// `POST /api/v1/chats/{chat}/end`: its customer leaves, or its agent ends it; the customer
/// may ask for the transcript.
#[utoipa::path(post, path = "/api/v1/chats/{chat}/end", tag = "chat",
    summary = "End a chat (its customer or its agent); the customer may ask for the transcript by e-mail",
    params(ChatPath),
    request_body(content = Option<EndChat>, description = "optional: no transcript without it"),
    responses((status = 200, description = "the chat", body = ChatState), NotFound, Unsupported))]
pub(crate) async fn end(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
    Id(id): Id<ChatId>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let body: EndChat = if body.iter().all(u8::is_ascii_whitespace) {
        EndChat::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| crate::error::ApiError::bad_request(e.to_string()))?
    };
    let chat = acting.end_chat_with(id, body.transcript).await?;
    state.chats.publish(Topic::Chat(id), ChatEvent::Changed);
    state
        .chats
        .publish(Topic::Department(chat.department), ChatEvent::Changed);
    let place = acting.chat_place(id).await?;
    Ok(Json(json!({
        "chat": chat_view(&acting, &chat).await,
        "place": place_view(acting.desk(), place).await,
    })))
}

/// The query of `GET /chats/queue`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct QueueQuery {
    /// The department (default: all the agent's).
    #[param(value_type = Option<Uuid>)]
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
#[utoipa::path(get, path = "/api/v1/chats/queue", tag = "chat",
    summary = "The waiting chats of a `department` (default: all the agent's), first in line first, with their waiting seconds",
    params(QueueQuery),
    responses((status = 200, description = "the chats", body = ChatList), NotFound, Unsupported))]
pub(crate) async fn queue(
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
#[utoipa::path(get, path = "/api/v1/agents/me/chats", tag = "chat",
    summary = "The chats the signed-in agent is in now",
    responses((status = 200, description = "the chats", body = ChatList), Unsupported))]
pub(crate) async fn my_chats(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    let mut items = Vec::new();
    for chat in acting.my_chats().await? {
        items.push(chat_view(&acting, &chat).await);
    }
    Ok(Json(json!({ "items": items })))
}

/// The body of `POST /api/v1/agents/me/presence`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct SetPresence {
    /// Online, away or offline.
    #[schema(value_type = model::Presence)]
    presence: Presence,
    /// How many chats at once (at most 50; unchanged when left out).
    #[serde(default)]
    #[schema(maximum = 50)]
    max_chats: Option<u32>,
}

/// `GET /api/v1/agents/me/presence`: the agent's availability (offline when never set).
#[utoipa::path(get, path = "/api/v1/agents/me/presence", tag = "chat",
    summary = "The signed-in agent's availability for chats",
    responses((status = 200, description = "the availability", body = Availability), Unsupported))]
pub(crate) async fn presence(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
) -> ApiResult<Json<Value>> {
    let every = state.desk.presence_timeout().await?.heartbeat_seconds();
    Ok(Json(crate::api::presence::with_heartbeat(
        &acting.my_availability().await?,
        every,
    )))
}

/// `POST /api/v1/agents/me/presence`: online, away or offline (and how many chats at once);
/// waiting chats may be routed to the agent at once, so their customers hear of it. It
/// counts as a heartbeat.
#[utoipa::path(post, path = "/api/v1/agents/me/presence", tag = "chat",
    summary = "Online, away or offline, and how many chats at once (`max_chats`, at most 50); going online takes waiting chats",
    request_body = SetPresence,
    responses((status = 200, description = "the availability", body = Availability), TicketWrite, Unsupported))]
pub(crate) async fn set_presence(
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
    let every = state.desk.presence_timeout().await?.heartbeat_seconds();
    Ok(Json(crate::api::presence::with_heartbeat(
        &availability,
        every,
    )))
}
