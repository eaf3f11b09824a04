//! Signing in over the API: a login and password for an API token, the caller's sessions
//! and tokens, revoking them, and who the caller is.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use helpdesk::domain::{Language, TokenHash, TokenKind};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::{created, items};
use crate::api::openapi::answers::{NotFound, SignIn};
use crate::api::openapi::params::TokenPath;
use crate::api::openapi::views::{Me, TokenIssued, TokenList};
use crate::error::{ApiError, ApiResult, Body};
use crate::extract::{Caller, ClientAddr, Id, profile};
use crate::state::AppState;

/// The sign-in routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/token", post(token).delete(revoke_current))
        .route("/auth/tokens", get(list_tokens))
        .route("/auth/tokens/{token}", delete(revoke_token))
        .route("/me", get(me))
        .route("/me/language", put(set_my_language))
}

/// A login and password.
#[derive(Deserialize, ToSchema)]
pub(crate) struct Credentials {
    /// The login name.
    login: String,
    /// The password (at most 1024 bytes).
    password: String,
}

/// `POST /auth/token`: a login and password for an API token (throttled; 503 when the
/// store cannot be read).
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth",
    summary = "Exchange a login and password for an API token",
    security(()),
    request_body = Credentials,
    responses((status = 201, description = "the token", body = TokenIssued), SignIn))]
pub(crate) async fn token(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Body(c): Body<Credentials>,
) -> ApiResult<Response> {
    let login = state
        .accounts
        .sign_in(&c.login, &c.password, &client)
        .await
        .map_err(|e| e.api_error())?;
    // A disabled customer or agent gets no token, even with the right password.
    if !state.desk.may_sign_in(login.actor).await? {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "this account is disabled",
        ));
    }
    let token = state
        .accounts
        .issue(login.actor, TokenKind::ApiToken)
        .await?;
    Ok(created(
        json!({"token": token, "token_type": "Bearer", "actor": login.actor}),
    ))
}

/// Revokes the token (or session) the request is signed in with.
#[utoipa::path(delete, path = "/api/v1/auth/token", tag = "auth",
    summary = "Revoke the API token (or session) the request is signed in with",
    responses((status = 204, description = "revoked")))]
pub(crate) async fn revoke_current(
    State(state): State<AppState>,
    Caller { credential, .. }: Caller,
) -> ApiResult<StatusCode> {
    state
        .accounts
        .revoke(credential.actor, &credential.hash)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in actor's live sessions and API tokens (by the hash of their secret).
#[utoipa::path(get, path = "/api/v1/auth/tokens", tag = "auth",
    summary = "The signed-in person's live sessions and API tokens (by the SHA-256 of their secret)",
    responses((status = 200, description = "the tokens", body = TokenList)))]
pub(crate) async fn list_tokens(
    State(state): State<AppState>,
    Caller { credential, .. }: Caller,
) -> ApiResult<Json<Value>> {
    let found: Vec<Value> = state
        .accounts
        .tokens_of(credential.actor)
        .await?
        .into_iter()
        .map(|t| {
            json!({
                "id": t.hash, "kind": t.kind, "created_at": t.created_at,
                "expires_at": t.expires_at, "last_used": t.last_used,
                "current": t.hash == credential.hash,
            })
        })
        .collect();
    Ok(items(found))
}

/// Revokes one of the signed-in actor's sessions or API tokens; 404 for anyone else's.
#[utoipa::path(delete, path = "/api/v1/auth/tokens/{token}", tag = "auth",
    summary = "Revoke one of the signed-in person's sessions or API tokens",
    params(TokenPath),
    responses((status = 204, description = "revoked"), NotFound))]
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    Caller { credential, .. }: Caller,
    Id(hash): Id<TokenHash>,
) -> ApiResult<StatusCode> {
    if state.accounts.revoke(credential.actor, &hash).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("no such token"))
    }
}

/// `GET /me`: the caller, their login, name and language.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", summary = "Who the token or session is",
    responses((status = 200, description = "the caller", body = Me)))]
pub(crate) async fn me(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
) -> ApiResult<Json<Value>> {
    let actor = acting.actor();
    let login = state.accounts.login_of(actor).await?;
    let (name, language) = profile(acting.principal());
    Ok(Json(json!({
        "actor": actor,
        "login": login.map(|l| l.name),
        "name": name,
        "language": language,
    })))
}

/// The body of `PUT /me/language`.
#[derive(Deserialize, ToSchema)]
pub(crate) struct LanguageBody {
    /// The language of the customer's pages and mail.
    #[schema(value_type = crate::api::openapi::model::Language)]
    language: Language,
}

/// `PUT /me/language`: a customer sets their own language, as the pages' switch does
/// (customers only: staff keep none).
#[utoipa::path(put, path = "/api/v1/me/language", tag = "auth",
    summary = "Set the signed-in customer's own language (customers only)",
    request_body = LanguageBody,
    responses((status = 200, description = "the caller", body = Me)))]
pub(crate) async fn set_my_language(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
    Body(body): Body<LanguageBody>,
) -> ApiResult<Json<Value>> {
    let customer = acting.set_own_language(body.language).await?;
    let actor = acting.actor();
    let login = state.accounts.login_of(actor).await?;
    Ok(Json(json!({
        "actor": actor,
        "login": login.map(|l| l.name),
        "name": customer.name,
        "language": body.language,
    })))
}
