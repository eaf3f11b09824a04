//! A ticket's thread: read it, reply or add an internal note (JSON, or multipart with files),
//! and download an attachment.

use axum::Json;
use axum::Router;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::response::Response;
use axum::routing::get;
use helpdesk::domain::{MessageBody, MessageId, TicketKey};
use helpdesk::machine::Command;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::commands::{OutcomeView, expected_version};
use super::created;
use crate::api::openapi::answers::{NotFound, TicketWrite, Unsupported, Uploads};
use crate::api::openapi::params::{AttachmentPath, IfMatch, TicketPath};
use crate::api::openapi::views::{MessageForm, MessageList};
use crate::error::{ApiError, ApiResult, Body, Query};
use crate::extract::{Caller, Id, Signed, act_as, parse, principal_refused};
use crate::state::AppState;
use crate::uploads::{file_response, is_multipart, read_multipart};

/// The thread's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/tickets/{ticket}/messages",
            get(list_messages).post(add_message),
        )
        .route(
            "/tickets/{ticket}/messages/{message}/attachments/{sha256}",
            get(download_attachment),
        )
}

/// The messages of a thread page when the query names no `limit`.
pub const THREAD_PAGE: u32 = 100;

/// The query of a thread page.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ThreadQuery {
    /// The messages written just before this one (the `older` of the page after them);
    /// default: the newest.
    #[param(value_type = Option<Uuid>)]
    before: Option<MessageId>,
    /// At most this many messages, 1 to 500 (default 100).
    limit: Option<u32>,
}

/// A page of a ticket's thread: the newest messages, or with `before` older ones.
#[utoipa::path(get, path = "/api/v1/tickets/{ticket}/messages", tag = "tickets",
    summary = "A page of the thread (newest first page; internal notes for staff only)",
    params(TicketPath, ThreadQuery),
    responses((status = 200, description = "the messages, oldest first, and the cursor to older ones", body = MessageList), NotFound))]
pub(crate) async fn list_messages(
    State(state): State<AppState>,
    Signed(credential): Signed,
    Id(key): Id<TicketKey>,
    Query(q): Query<ThreadQuery>,
) -> ApiResult<Json<Value>> {
    let (actor, limit) = (credential.actor, q.limit.unwrap_or(THREAD_PAGE));
    let page = match q.before {
        // The newest page: the principal, the ticket and the page in one store call.
        None => {
            let (_, shown) = (state.desk)
                .ticket_with_thread_as(actor, key, limit)
                .await
                .map_err(|e| principal_refused(actor, e))?;
            shown.thread
        }
        Some(before) => {
            let acting = act_as(&state.desk, actor).await?;
            acting.thread_page(key, Some(before), limit).await?
        }
    };
    Ok(Json(json!({ "items": page.items, "older": page.older })))
}

/// The body of `POST /tickets/{ticket}/messages`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMessage {
    /// The text.
    #[schema(value_type = String, min_length = 1, max_length = 100000)]
    pub body: MessageBody,
    /// An internal note (agents only) instead of a reply.
    #[serde(default)]
    pub internal: bool,
}

impl NewMessage {
    /// The command: a reply, or an internal note.
    pub fn into_command(self) -> Command {
        if self.internal {
            Command::note(self.body)
        } else {
            Command::reply(self.body)
        }
    }
}

/// Whether a form's `internal` field asks for an internal note.
pub fn is_internal(value: Option<&String>) -> bool {
    matches!(value.map(|s| s.trim()), Some("true" | "on" | "1"))
}

/// A reply or an internal note.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket}/messages", tag = "tickets",
    summary = "Reply, or add an internal note (`internal: true`); multipart for files",
    description = "`If-Match: VERSION` for optimistic concurrency.",
    params(TicketPath, IfMatch),
    request_body(content(
        (NewMessage = "application/json"),
        (MessageForm = "multipart/form-data"),
    )),
    responses((status = 201, description = "what it did", body = super::commands::OutcomeView), TicketWrite, Uploads))]
pub(crate) async fn add_message(
    State(state): State<AppState>,
    Signed(credential): Signed,
    Id(key): Id<TicketKey>,
    req: Request,
) -> ApiResult<Response> {
    let actor = credential.actor;
    let options = expected_version(req.headers())?;
    let (message, uploads) = if is_multipart(&req) {
        let multipart = Multipart::from_request(req, &state)
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        let (fields, uploads) = read_multipart(multipart).await?;
        let body = fields.get("body").map(String::as_str).unwrap_or_default();
        let message = NewMessage {
            body: MessageBody::parse(body)?,
            internal: is_internal(fields.get("internal")),
        };
        (message, uploads)
    } else {
        let Body(message) = Body::<NewMessage>::from_request(req, &state).await?;
        (message, Vec::new())
    };
    // Without files the principal is read with the command's reads (one store call fewer);
    // files are staged by the desk acting as them first.
    let outcome = if uploads.is_empty() {
        (state.desk)
            .execute_as_with(actor, key, message.into_command(), options)
            .await
            .map_err(|e| principal_refused(actor, e))?
    } else {
        let acting = act_as(&state.desk, actor).await?;
        (acting)
            .execute_with_uploads(key, message.into_command(), uploads, options)
            .await?
    };
    Ok(created(OutcomeView::from(outcome)))
}

/// An attachment's bytes.
#[utoipa::path(get, path = "/api/v1/tickets/{ticket}/messages/{message}/attachments/{sha256}", tag = "tickets",
    summary = "Download an attachment",
    params(AttachmentPath),
    responses((status = 200, description = "the file", content_type = "application/octet-stream", body = Vec<u8>), NotFound, Unsupported))]
pub(crate) async fn download_attachment(
    Caller { acting, .. }: Caller,
    Path((key, message, sha256)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    let key: TicketKey = parse(&key)?;
    let message: MessageId = parse(&message)?;
    let (attachment, bytes) = acting.attachment(key, message, &sha256).await?;
    Ok(file_response(
        attachment.content_type(),
        attachment.file_name(),
        bytes,
    ))
}
