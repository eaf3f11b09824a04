//! The public pages of password links: `/setup-password?token=…`, where an invitation or a
//! password-reset link's holder chooses a password, and `/forgot-password`, where a person
//! asks for a reset link by e-mail. Both forms carry a CSRF token as the sign-in form does
//! (its cookie's secret); refusals are shown beside the form. Words follow the browser's
//! `Accept-Language`.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use helpdesk::Error;
use helpdesk::domain::{Language, TokenHash};
use helpdesk::error::ForbiddenReason;
use maud::{Markup, html};

use super::PageResult;
use super::layout::{layout, t};
use super::sign_in::form_secret;
use crate::error::ApiError;
use crate::forms::StrictForm;
use crate::session::{
    CSRF_FIELD, LOGIN_COOKIE, cookie, csrf_matches, csrf_token, login_set_cookie,
};
use crate::state::AppState;

/// The routes of the password-link pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/setup-password", get(setup_form).post(setup))
        .route("/forgot-password", get(forgot_form).post(forgot))
}

/// The language of a signed-out page: the switch, its cookie, the browser's (see
/// [`super::choice`]).
fn language(_headers: &HeaderMap) -> Language {
    super::choice::current()
}

/// The language a form was shown in (its hidden `lang`), else the browser's.
fn form_language(headers: &HeaderMap, form: &HashMap<String, String>) -> Language {
    let code = form.get("lang").map(String::as_str).unwrap_or_default();
    Language::ALL
        .into_iter()
        .find(|l| l.code() == code)
        .unwrap_or_else(|| language(headers))
}

/// `markup` answered with `status`, the form's secret cookie set when it is new.
fn answer(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    page: impl FnOnce(&str) -> Markup,
) -> Response {
    let (secret, new) = form_secret(headers);
    let markup = page(&csrf_token(&secret));
    if new {
        let cookie = login_set_cookie(&secret, state.options.secure_cookies);
        (status, [(SET_COOKIE, cookie)], markup).into_response()
    } else {
        (status, markup).into_response()
    }
}

/// Whether the form's CSRF token matches its cookie's secret.
fn csrf_ok(headers: &HeaderMap, form: &HashMap<String, String>) -> bool {
    cookie(headers, LOGIN_COOKIE)
        .is_some_and(|s| csrf_matches(&s, form.get(CSRF_FIELD).map(String::as_str)))
}

fn setup_page(lang: Language, csrf: &str, token: &str, message: Option<&str>) -> Markup {
    layout(
        t(lang, "setup_password_title"),
        None,
        html! {
            h1 { (t(lang, "setup_password_title")) }
            @if let Some(message) = message { p.error { (message) } }
            form method="post" action="/setup-password" {
                input type="hidden" name=(CSRF_FIELD) value=(csrf);
                input type="hidden" name="token" value=(token);
                input type="hidden" name="lang" value=(lang.code());
                label { (t(lang, "new_password")) " " input type="password" name="password" autocomplete="new-password"; }
                label { (t(lang, "repeat_password")) " " input type="password" name="repeat" autocomplete="new-password"; }
                button type="submit" { (t(lang, "set_password")) }
            }
        },
    )
}

/// `GET /setup-password?token=…`: the form.
async fn setup_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = language(&headers);
    let token = query.get("token").cloned().unwrap_or_default();
    answer(&state, &headers, StatusCode::OK, |csrf| {
        setup_page(lang, csrf, &token, None)
    })
}

/// Why a password was not set, in the page's words: the link's refusals by their codes,
/// else the desk's message.
fn refusal(lang: Language, error: &ApiError) -> String {
    match error.code {
        "link_expired" => t(lang, "link_expired").to_owned(),
        "link_invalid" => t(lang, "link_invalid").to_owned(),
        _ if error.status == StatusCode::FORBIDDEN => t(lang, "account_disabled").to_owned(),
        _ => error.message.clone(),
    }
}

/// `POST /setup-password`: sets the password with the link, or shows the form again with
/// why not.
async fn setup(
    State(state): State<AppState>,
    headers: HeaderMap,
    StrictForm(form): StrictForm,
) -> PageResult {
    let lang = form_language(&headers, &form);
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let token = field("token").trim().to_owned();
    let again = |status, message: &str| {
        Ok(answer(&state, &headers, status, |csrf| {
            setup_page(lang, csrf, &token, Some(message))
        }))
    };
    if !csrf_ok(&headers, &form) {
        return again(StatusCode::FORBIDDEN, t(lang, "form_expired"));
    }
    if field("password") != field("repeat") {
        return again(StatusCode::BAD_REQUEST, t(lang, "passwords_differ"));
    }
    let result: Result<_, ApiError> = async {
        // An unknown link costs no hashing.
        let known = state
            .desk
            .account_store()?
            .account_link(&TokenHash::of(&token))
            .await?;
        if known.is_none() {
            return Err(Error::forbidden(ForbiddenReason::LinkInvalid).into());
        }
        let hash = state.accounts.hash_password(field("password")).await?;
        Ok(state.desk.set_password_with_link(&token, hash).await?)
    }
    .await;
    match result {
        Ok(login) => {
            let body = html! {
                h1 { (t(lang, "setup_password_title")) }
                p { (t(lang, "password_set")) " (" (login.name.as_str()) ")" }
                p { a href="/login" { (t(lang, "sign_in")) } }
            };
            Ok((
                StatusCode::OK,
                layout(t(lang, "setup_password_title"), None, body),
            )
                .into_response())
        }
        Err(e) if e.status.is_server_error() => Err(e.into()),
        Err(e) => again(e.status, &refusal(lang, &e)),
    }
}

fn forgot_page(lang: Language, csrf: &str, message: Option<&str>, sent: bool) -> Markup {
    layout(
        t(lang, "forgot_title"),
        None,
        html! {
            h1 { (t(lang, "forgot_title")) }
            @if let Some(message) = message { p.error { (message) } }
            @if sent {
                p.notice { (t(lang, "forgot_sent")) }
                p { a href="/login" { (t(lang, "sign_in")) } }
            } @else {
                p.meta { (t(lang, "forgot_hint")) }
                form method="post" action="/forgot-password" {
                    input type="hidden" name=(CSRF_FIELD) value=(csrf);
                    input type="hidden" name="lang" value=(lang.code());
                    label { (t(lang, "login_or_email")) " " input type="text" name="login" autocomplete="username"; }
                    button type="submit" { (t(lang, "send_link")) }
                }
            }
        },
    )
}

/// `GET /forgot-password`: the request form.
async fn forgot_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = language(&headers);
    answer(&state, &headers, StatusCode::OK, |csrf| {
        forgot_page(lang, csrf, None, false)
    })
}

/// `POST /forgot-password`: the same answer whether or not the login exists.
async fn forgot(
    State(state): State<AppState>,
    headers: HeaderMap,
    StrictForm(form): StrictForm,
) -> PageResult {
    let lang = form_language(&headers, &form);
    if !csrf_ok(&headers, &form) {
        return Ok(answer(&state, &headers, StatusCode::FORBIDDEN, |csrf| {
            forgot_page(lang, csrf, Some(t(lang, "form_expired")), false)
        }));
    }
    let login = form.get("login").map(String::as_str).unwrap_or_default();
    state
        .desk
        .request_password_reset(login)
        .await
        .map_err(ApiError::from)?;
    Ok(answer(&state, &headers, StatusCode::OK, |csrf| {
        forgot_page(lang, csrf, None, true)
    }))
}
