//! The session cookie and CSRF tokens.
//!
//! The session cookie (`hd_session`) is HttpOnly and SameSite=Lax, and Secure with
//! `--secure-cookies`. Forms and cookie-authenticated API writes carry a CSRF token derived
//! from the session's secret, so only someone who holds the cookie can know it and nothing
//! more is stored. The sign-in form, before any session, carries a CSRF token derived the
//! same way from a random secret in its own short-lived cookie (`hd_login`), so a page
//! elsewhere cannot sign a browser in to someone else's account.

use axum::http::header::COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use helpdesk::domain::TokenHash;

use crate::accounts::SESSION_LIFETIME;
use crate::error::ApiError;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "hd_session";
/// The name of the sign-in form's cookie (its CSRF token's secret).
pub const LOGIN_COOKIE: &str = "hd_login";
/// How long a sign-in form may be left open, in seconds.
pub const LOGIN_FORM_LIFETIME_SECS: u32 = 60 * 60;
/// The form field of the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
/// The header of the CSRF token on cookie-authenticated API writes.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The CSRF token of a session.
pub fn csrf_token(session_secret: &str) -> String {
    TokenHash::of(&format!("csrf:{session_secret}")).to_string()
}

/// Whether `given` is the CSRF token of the session `secret`.
pub fn csrf_matches(session_secret: &str, given: Option<&str>) -> bool {
    given.is_some_and(|g| g == csrf_token(session_secret))
}

/// 403 for a form or write without the session's CSRF token.
pub fn csrf_refused() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "the CSRF token is missing or wrong: reload the page and try again",
    )
}

/// The session cookie's value in `parts`, if any.
pub fn session_cookie(parts: &Parts) -> Option<String> {
    cookie(&parts.headers, SESSION_COOKIE)
}

/// The value of the cookie `name` in `headers`, if any (the first one).
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_owned())
}

/// The `Set-Cookie` value of the sign-in form's secret: HttpOnly, SameSite=Strict, only
/// sent to `/login`, and Secure when `secure`.
pub fn login_set_cookie(secret: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{LOGIN_COOKIE}={secret}; Path=/login; HttpOnly; SameSite=Strict; \
         Max-Age={LOGIN_FORM_LIFETIME_SECS}{secure}"
    )
}

/// The `Set-Cookie` value that opens (or, with `None`, clears) a session: HttpOnly,
/// SameSite=Lax, and Secure when `secure`.
pub fn session_set_cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(token) => format!(
            "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            SESSION_LIFETIME.num_seconds()
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}
