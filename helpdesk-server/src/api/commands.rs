//! Commands on a ticket: any command, the status transitions, assignment and priority, with
//! `If-Match: VERSION` for optimistic concurrency.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use helpdesk::domain::{Actor, AgentId, Priority, Ticket, TicketId, TicketKey, Version};
use helpdesk::machine::{Command, CommandKind};
use helpdesk::service::{Acting, ExecOptions, Outcome};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::openapi::answers::TicketWrite;
use crate::api::openapi::commands::{Command as CommandSchema, Transition};
use crate::api::openapi::model::{self, Ticket as TicketSchema};
use crate::api::openapi::params::{IfMatch, TicketPath};
use crate::error::{ApiError, ApiResult, Body};
use crate::extract::{Caller, Id, Signed, principal_refused};
use crate::state::AppState;

/// The command routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tickets/{ticket}/commands", post(run_command))
        .route("/tickets/{ticket}/transitions", post(transition))
        .route("/tickets/{ticket}/assign", post(assign))
        .route("/tickets/{ticket}/priority", post(priority))
}

/// What a command did, as JSON.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeView {
    /// `changed`, `unchanged` or `follow_up_opened`.
    #[schema(value_type = OutcomeKind)]
    pub outcome: &'static str,
    /// The ticket the actor is left looking at.
    #[schema(value_type = TicketSchema)]
    pub ticket: Ticket,
    /// The closed ticket a follow-up was opened for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Uuid>, nullable = false)]
    pub closed: Option<TicketId>,
}

/// The values of [`OutcomeView::outcome`].
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// The command changed the ticket.
    Changed,
    /// It changed nothing (it was already so).
    Unchanged,
    /// A reply to a closed ticket opened a follow-up (`closed` names the closed one).
    FollowUpOpened,
}

impl From<Outcome> for OutcomeView {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Changed(ticket) => Self {
                outcome: "changed",
                ticket,
                closed: None,
            },
            Outcome::Unchanged(ticket) => Self {
                outcome: "unchanged",
                ticket,
                closed: None,
            },
            Outcome::FollowUpOpened { closed, ticket } => Self {
                outcome: "follow_up_opened",
                ticket,
                closed: Some(closed),
            },
        }
    }
}

/// The version in an `If-Match` header, for optimistic concurrency (409 when stale).
pub fn expected_version(headers: &HeaderMap) -> ApiResult<ExecOptions> {
    let mut options = ExecOptions::default();
    if let Some(value) = headers.get("if-match") {
        let raw = value
            .to_str()
            .ok()
            .map(|v| v.trim().trim_matches('"'))
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or_else(|| ApiError::bad_request("If-Match must be a ticket version number"))?;
        options.expected = Some(Version::new(raw));
    }
    Ok(options)
}

/// `command` run as `actor`, the principal read with the command's reads
/// ([`Helpdesk::execute_as_with`](helpdesk::Helpdesk::execute_as_with)): one store call
/// fewer than [`Caller`] then [`execute`]; the principal's errors answered as [`Caller`]
/// answers them.
pub async fn execute_as(
    state: &AppState,
    actor: Actor,
    key: TicketKey,
    command: Command,
    headers: &HeaderMap,
) -> ApiResult<Outcome> {
    let options = expected_version(headers)?;
    (state.desk)
        .execute_as_with(actor, key, command, options)
        .await
        .map_err(|e| principal_refused(actor, e))
}

async fn execute(
    acting: &Acting,
    key: TicketKey,
    command: Command,
    headers: &HeaderMap,
) -> ApiResult<Json<OutcomeView>> {
    let options = expected_version(headers)?;
    let outcome = acting.execute_with(key, command, options).await?;
    Ok(Json(outcome.into()))
}

/// `POST /tickets/{ticket}/commands`: any command. Attachments come only as uploads (the
/// multipart messages route); a command never carries stored ones.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket}/commands", tag = "tickets",
    summary = "Run any command on a ticket, named by `command`, each with its own fields",
    description = "`If-Match: VERSION` for optimistic concurrency.",
    params(TicketPath, IfMatch),
    request_body = CommandSchema,
    responses((status = 200, description = "what it did", body = OutcomeView), TicketWrite))]
pub(crate) async fn run_command(
    State(state): State<AppState>,
    Signed(credential): Signed,
    Id(key): Id<TicketKey>,
    headers: HeaderMap,
    Body(command): Body<Command>,
) -> ApiResult<Json<OutcomeView>> {
    let outcome = execute_as(&state, credential.actor, key, command, &headers).await?;
    Ok(Json(outcome.into()))
}

/// The commands `POST /tickets/{ticket}/transitions` takes: the ones that change the status.
pub fn is_transition(kind: CommandKind) -> bool {
    matches!(
        kind,
        CommandKind::AskCustomer
            | CommandKind::PutOnHold
            | CommandKind::Resolve
            | CommandKind::ConfirmResolution
            | CommandKind::Close
            | CommandKind::Reopen
            | CommandKind::MergeInto
    )
}

/// A status transition.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket}/transitions", tag = "tickets",
    summary = "A status transition (ask_customer, put_on_hold, resolve, confirm_resolution, close, reopen, merge_into; another command is a 400)",
    params(TicketPath, IfMatch),
    request_body = Transition,
    responses((status = 200, description = "what it did", body = OutcomeView), TicketWrite))]
pub(crate) async fn transition(
    State(state): State<AppState>,
    Signed(credential): Signed,
    Id(key): Id<TicketKey>,
    headers: HeaderMap,
    Body(command): Body<Command>,
) -> ApiResult<Json<OutcomeView>> {
    if !is_transition(command.kind()) {
        return Err(ApiError::bad_request(format!(
            "{:?} is not a transition; use /commands",
            command.kind()
        )));
    }
    let outcome = execute_as(&state, credential.actor, key, command, &headers).await?;
    Ok(Json(outcome.into()))
}

/// The body of `POST /tickets/{ticket}/assign`.
#[derive(Deserialize, ToSchema)]
pub(crate) struct AssignBody {
    /// The agent, or `null` (or left out) to unassign.
    #[schema(value_type = Option<Uuid>)]
    agent: Option<AgentId>,
}

/// Assigns or unassigns.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket}/assign", tag = "tickets",
    summary = "Assign to an agent (or `null` to unassign)",
    params(TicketPath, IfMatch),
    request_body = AssignBody,
    responses((status = 200, description = "what it did", body = OutcomeView), TicketWrite))]
pub(crate) async fn assign(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
    headers: HeaderMap,
    Body(body): Body<AssignBody>,
) -> ApiResult<Json<OutcomeView>> {
    let command = Command::Assign { agent: body.agent };
    execute(&acting, key, command, &headers).await
}

/// The body of `POST /tickets/{ticket}/priority`.
#[derive(Deserialize, ToSchema)]
pub(crate) struct PriorityBody {
    /// The new priority.
    #[schema(value_type = model::Priority)]
    priority: Priority,
}

/// Changes the priority.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket}/priority", tag = "tickets",
    summary = "Change the priority",
    params(TicketPath, IfMatch),
    request_body = PriorityBody,
    responses((status = 200, description = "what it did", body = OutcomeView), TicketWrite))]
pub(crate) async fn priority(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
    headers: HeaderMap,
    Body(body): Body<PriorityBody>,
) -> ApiResult<Json<OutcomeView>> {
    let command = Command::ChangePriority {
        priority: body.priority,
    };
    execute(&acting, key, command, &headers).await
}
