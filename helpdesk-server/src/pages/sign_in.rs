//! Signing in and out with the session cookie; `/` sends people where they belong.

use axum::Router;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use helpdesk::domain::{Actor, TokenKind};
use maud::{Markup, html};

use super::layout::layout;
use super::{PageResult, html_response, see_other};
use crate::accounts::SignInError;
use crate::error::ApiError;
use crate::extract::{ClientAddr, Posted};
use crate::forms::StrictForm;
use crate::session::{session_cookie, session_set_cookie};
use crate::state::AppState;

/// The sign-in routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
}

/// `/`: customers to their portal, staff to the console, anyone else to sign in.
async fn home(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let actor = match cookie_from(&headers) {
        Some(secret) => state
            .accounts
            .actor_of(&secret, TokenKind::Session)
            .await
            .map_err(|e| ApiError::unavailable(&e))?,
        None => None,
    };
    Ok(match actor {
        Some(Actor::Customer(_)) => see_other("/portal"),
        Some(_) => see_other("/console"),
        None => see_other("/login"),
    })
}

fn cookie_from(headers: &HeaderMap) -> Option<String> {
    let (mut parts, ()) = axum::http::Request::new(()).into_parts();
    parts.headers = headers.clone();
    session_cookie(&parts)
}

fn login_page(message: Option<&str>) -> Markup {
    layout(
        "Sign in",
        None,
        html! {
            h1 { "Sign in" }
            @if let Some(message) = message { p.error { (message) } }
            form method="post" action="/login" {
                label { "E-mail " input type="text" name="login" autocomplete="username"; }
                label { "Password " input type="password" name="password" autocomplete="current-password"; }
                button type="submit" { "Sign in" }
            }
        },
    )
}

async fn login_form() -> Markup {
    login_page(None)
}

async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    StrictForm(form): StrictForm,
) -> PageResult {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    match state
        .accounts
        .sign_in(field("login"), field("password"), &client)
        .await
    {
        Ok(login) => {
            let secret = state
                .accounts
                .issue(login.actor, TokenKind::Session)
                .await?;
            let cookie = session_set_cookie(Some(&secret), state.options.secure_cookies);
            Ok(([(SET_COOKIE, cookie)], Redirect::to("/")).into_response())
        }
        Err(SignInError::Invalid(_)) => Ok(html_response(
            StatusCode::BAD_REQUEST,
            login_page(Some("Wrong e-mail or password.")),
        )),
        Err(SignInError::Wrong) => Ok(html_response(
            StatusCode::UNAUTHORIZED,
            login_page(Some("Wrong e-mail or password.")),
        )),
        Err(SignInError::Throttled) => Ok(html_response(
            StatusCode::TOO_MANY_REQUESTS,
            login_page(Some(
                "Too many failed attempts: wait 15 minutes and try again.",
            )),
        )),
        Err(SignInError::Unavailable(e)) => {
            let error = ApiError::unavailable(&e);
            Ok(html_response(
                error.status,
                login_page(Some(
                    "Signing in is not possible right now: try again in a moment.",
                )),
            ))
        }
    }
}

async fn logout(State(state): State<AppState>, Posted { user, .. }: Posted) -> PageResult {
    state.accounts.revoke(user.actor(), &user.session).await?;
    let cookie = session_set_cookie(None, state.options.secure_cookies);
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}
