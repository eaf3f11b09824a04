//! Signing in and out with the session cookie; `/` sends people where they belong.

use axum::Router;
use axum::extract::State;
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use helpdesk::domain::{Actor, TokenHash, TokenKind};
use maud::{Markup, html};

use super::choice;
use super::layout::{layout, t};
use super::{PageResult, html_response, see_other};
use crate::accounts::{SignInError, random_secret};
use crate::error::ApiError;
use crate::extract::ClientAddr;
use crate::forms::StrictForm;
use crate::session::{
    CSRF_FIELD, LOGIN_COOKIE, cookie, csrf_matches, csrf_refused, csrf_token, login_set_cookie,
    session_cookie, session_set_cookie,
};
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

/// The sign-in form's secret: the browser's, or a new one to set with the page (the public
/// forms of password links use it too).
pub(crate) fn form_secret(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, LOGIN_COOKIE)
        .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        Some(secret) => (secret, false),
        None => (random_secret(), true),
    }
}

/// The sign-in page with `status`, its CSRF token from the form's secret in `headers`
/// (a new secret's cookie set with it).
fn login_response(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    message: Option<&str>,
) -> Response {
    let (secret, new) = form_secret(headers);
    let page = login_page(&csrf_token(&secret), message);
    if new {
        let cookie = login_set_cookie(&secret, state.options.secure_cookies);
        (status, [(SET_COOKIE, cookie)], page).into_response()
    } else {
        html_response(status, page)
    }
}

/// The sign-in page in the request's language, with the message of the catalogue's key
/// `message` (a refusal) above the form.
fn login_page(csrf: &str, message: Option<&str>) -> Markup {
    let lang = choice::current();
    layout(
        t(lang, "sign_in"),
        None,
        html! {
            h1 { (t(lang, "sign_in")) }
            @if let Some(message) = message { p.error { (t(lang, message)) } }
            form method="post" action="/login" {
                input type="hidden" name=(CSRF_FIELD) value=(csrf);
                label { (t(lang, "email_label")) " " input type="text" name="login" autocomplete="username"; }
                label { (t(lang, "password")) " " input type="password" name="password" autocomplete="current-password"; }
                button type="submit" { (t(lang, "sign_in")) }
            }
            p { a href="/forgot-password" { (t(lang, "forgot_password")) } }
        },
    )
}

async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    login_response(&state, &headers, StatusCode::OK, None)
}

/// Signs in from the form; without the form's CSRF token (and its cookie) nothing is
/// checked: 403 with a fresh form.
async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    StrictForm(form): StrictForm,
) -> PageResult {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let secret = cookie(&headers, LOGIN_COOKIE);
    if !secret.is_some_and(|s| csrf_matches(&s, form.get(CSRF_FIELD).map(String::as_str))) {
        return Ok(login_response(
            &state,
            &HeaderMap::new(),
            StatusCode::FORBIDDEN,
            Some("login_expired"),
        ));
    }
    let page = |status, message| Ok(login_response(&state, &headers, status, Some(message)));
    match state
        .accounts
        .sign_in(field("login"), field("password"), &client)
        .await
    {
        // A disabled customer or agent gets no session, even with the right password: told
        // so in their own language (a customer's) or the browser's.
        Ok(login) if !state.desk.may_sign_in(login.actor).await? => {
            if let Actor::Customer(id) = login.actor
                && let Some(lang) = state.desk.as_system().customer(id).await?.language
            {
                choice::set_current(lang);
            }
            page(StatusCode::FORBIDDEN, "login_disabled")
        }
        Ok(login) => {
            let secret = state
                .accounts
                .issue(login.actor, TokenKind::Session)
                .await?;
            let cookie = session_set_cookie(Some(&secret), state.options.secure_cookies);
            Ok(([(SET_COOKIE, cookie)], Redirect::to("/")).into_response())
        }
        Err(SignInError::Invalid(_)) => page(StatusCode::BAD_REQUEST, "login_wrong"),
        Err(SignInError::Wrong) => page(StatusCode::UNAUTHORIZED, "login_wrong"),
        Err(SignInError::Throttled { retry_after }) => {
            let mut response = login_response(
                &state,
                &headers,
                StatusCode::TOO_MANY_REQUESTS,
                Some("login_throttled"),
            );
            let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs));
            Ok(response)
        }
        Err(SignInError::Unavailable(e)) => {
            let error = ApiError::unavailable(&e);
            page(error.status, "login_unavailable")
        }
    }
}

/// Signs out: the session's token revoked, its cookie cleared. Only the session's CSRF token
/// is needed, not a usable account: a customer whose access was disabled while signed in
/// signs out too.
async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    StrictForm(form): StrictForm,
) -> PageResult {
    if let Some(secret) = cookie_from(&headers) {
        if !csrf_matches(&secret, form.get(CSRF_FIELD).map(String::as_str)) {
            return Err(csrf_refused().into());
        }
        let actor = state
            .accounts
            .actor_of(&secret, TokenKind::Session)
            .await
            .map_err(|e| ApiError::unavailable(&e))?;
        if let Some(actor) = actor {
            state
                .accounts
                .revoke(actor, &TokenHash::of(&secret))
                .await?;
        }
    }
    let cookie = session_set_cookie(None, state.options.secure_cookies);
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}
