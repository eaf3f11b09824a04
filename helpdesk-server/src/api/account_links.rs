//! Invitations and password-reset links through the API: admins invite agents and customers
//! (agents invite customers) and make reset links, answered with the link; anyone asks for a
//! reset of their own login (always 202, whether or not it exists) and sets a password with
//! a link's secret. The library decides who may do what
//! ([`Acting::invite`](helpdesk::service::Acting::invite),
//! [`Helpdesk::set_password_with_link`](helpdesk::Helpdesk::set_password_with_link)).

#![allow(dead_code)] // The schema structs are read only by the derives.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use chrono::{DateTime, Utc};
use helpdesk::domain::{Actor, AgentId, CustomerId, LoginName, TokenHash};
use helpdesk::error::ForbiddenReason;
use helpdesk::service::IssuedLink;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::created;
use crate::api::openapi::answers::{DirectoryWrite, LinkUse, NotFound};
use crate::api::openapi::model;
use crate::api::openapi::params::{AgentPath, CustomerPath};
use crate::api::openapi::views::LoginSet;
use crate::error::{ApiResult, Body};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The routes of invitations and password-reset links.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agents/{agent}/invitation", post(invite_agent))
        .route("/customers/{customer}/invitation", post(invite_customer))
        .route("/agents/{agent}/reset-link", post(agent_reset_link))
        .route(
            "/customers/{customer}/reset-link",
            post(customer_reset_link),
        )
        .route("/auth/password-reset", post(request_reset))
        .route("/auth/setup-password", post(setup_password))
}

/// A link just made.
#[derive(ToSchema)]
pub(crate) struct LinkIssued {
    /// The secret (shown once: the desk keeps only its hash); what
    /// `POST /auth/setup-password` takes.
    token: String,
    /// An invitation or a password reset.
    #[schema(inline)]
    kind: LinkKind,
    /// Whose password it sets.
    actor: model::Actor,
    /// The login name whose password it sets.
    login: String,
    /// When it stops working (an invitation after 7 days, a reset after 1 hour).
    expires_at: DateTime<Utc>,
    /// The page that takes it, when the desk has a public URL.
    url: Option<String>,
    /// The address it was e-mailed to, when the desk could send it.
    #[schema(format = Email)]
    emailed_to: Option<String>,
}

/// What a link is for.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(crate) enum LinkKind {
    /// Creates a login.
    Invitation,
    /// Replaces a password and signs the person out everywhere.
    PasswordReset,
}

fn issued(link: &IssuedLink) -> Response {
    created(json!({
        "token": link.token,
        "kind": link.kind,
        "actor": link.actor,
        "login": link.login,
        "expires_at": link.expires_at,
        "url": link.url,
        "emailed_to": link.emailed_to,
    }))
}

/// The body of an invitation.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InvitationBody {
    /// The login name to create (by default the person's e-mail address).
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 254)]
    login: Option<LoginName>,
}

/// Invites an agent.
#[utoipa::path(post, path = "/api/v1/agents/{agent}/invitation", tag = "directory",
    summary = "Invite an agent to sign in: a one-time link (7 days) to choose the password of a login named `login` (default: their e-mail), e-mailed when the desk can (admins)",
    params(AgentPath),
    request_body = InvitationBody,
    responses((status = 201, description = "the link", body = LinkIssued), DirectoryWrite))]
pub(crate) async fn invite_agent(
    Caller { acting, .. }: Caller,
    Id(id): Id<AgentId>,
    Body(body): Body<InvitationBody>,
) -> ApiResult<Response> {
    Ok(issued(&acting.invite(Actor::Agent(id), body.login).await?))
}

/// Invites a customer.
#[utoipa::path(post, path = "/api/v1/customers/{customer}/invitation", tag = "directory",
    summary = "Invite a customer to sign in: a one-time link (7 days) to choose the password of a login named `login` (default: their e-mail), e-mailed when the desk can (staff)",
    params(CustomerPath),
    request_body = InvitationBody,
    responses((status = 201, description = "the link", body = LinkIssued), DirectoryWrite))]
pub(crate) async fn invite_customer(
    Caller { acting, .. }: Caller,
    Id(id): Id<CustomerId>,
    Body(body): Body<InvitationBody>,
) -> ApiResult<Response> {
    Ok(issued(
        &acting.invite(Actor::Customer(id), body.login).await?,
    ))
}

/// A password-reset link for an agent.
#[utoipa::path(post, path = "/api/v1/agents/{agent}/reset-link", tag = "directory",
    summary = "A one-time password-reset link (1 hour) for an agent's login, e-mailed when the desk can (admins)",
    params(AgentPath),
    responses((status = 201, description = "the link", body = LinkIssued), NotFound))]
pub(crate) async fn agent_reset_link(
    Caller { acting, .. }: Caller,
    Id(id): Id<AgentId>,
) -> ApiResult<Response> {
    Ok(issued(&acting.reset_link(Actor::Agent(id)).await?))
}

/// A password-reset link for a customer.
#[utoipa::path(post, path = "/api/v1/customers/{customer}/reset-link", tag = "directory",
    summary = "A one-time password-reset link (1 hour) for a customer's login, e-mailed when the desk can (admins)",
    params(CustomerPath),
    responses((status = 201, description = "the link", body = LinkIssued), NotFound))]
pub(crate) async fn customer_reset_link(
    Caller { acting, .. }: Caller,
    Id(id): Id<CustomerId>,
) -> ApiResult<Response> {
    Ok(issued(&acting.reset_link(Actor::Customer(id)).await?))
}

/// The body of `POST /auth/password-reset`.
#[derive(Deserialize, ToSchema)]
pub(crate) struct ResetRequest {
    /// The login name or e-mail address of the person.
    #[schema(max_length = 254)]
    login: String,
}

/// Asks for a password-reset link by e-mail.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth",
    summary = "Ask for a password-reset link for a login (its name or the person's e-mail address): e-mailed when the login exists and the desk can send it; the answer is the same either way",
    security(()),
    request_body = ResetRequest,
    responses((status = 202, description = "taken: a link is e-mailed if the login exists")))]
pub(crate) async fn request_reset(
    State(state): State<AppState>,
    Body(body): Body<ResetRequest>,
) -> ApiResult<StatusCode> {
    state.desk.request_password_reset(&body.login).await?;
    Ok(StatusCode::ACCEPTED)
}

/// The body of `POST /auth/setup-password`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SetupPassword {
    /// The link's secret (its `token`).
    #[schema(max_length = 256)]
    token: String,
    /// The new password (1–1024 bytes).
    #[schema(min_length = 1)]
    password: String,
}

/// Sets a password with a link.
#[utoipa::path(post, path = "/api/v1/auth/setup-password", tag = "auth",
    summary = "Set a password with an invitation or password-reset link's `token`: an invitation creates the login, a reset replaces the password and revokes every session and API token",
    security(()),
    request_body = SetupPassword,
    responses((status = 200, description = "the login", body = LoginSet), LinkUse))]
pub(crate) async fn setup_password(
    State(state): State<AppState>,
    Body(body): Body<SetupPassword>,
) -> ApiResult<Json<Value>> {
    // An unknown link costs no hashing.
    let known = state
        .desk
        .account_store()?
        .account_link(&TokenHash::of(&body.token))
        .await?;
    if known.is_none() {
        return Err(helpdesk::Error::forbidden(ForbiddenReason::LinkInvalid).into());
    }
    let hash = state.accounts.hash_password(&body.password).await?;
    let login = state.desk.set_password_with_link(&body.token, hash).await?;
    Ok(Json(
        json!({"login": login.name.as_str(), "actor": login.actor}),
    ))
}
