//! Server-rendered pages (maud, which escapes every spliced value), a file per part: signing
//! in, the customer portal, the agent console, the ticket view, notifications, admin,
//! reports, the agent's phone ticket with templates, and the live chat's widget and panel.
//!
//! Every page handler takes its principal as a [`PageUser`](crate::extract::PageUser) (or a
//! [`Posted`](crate::extract::Posted) form); errors are shown as a page ([`PageError`]).

pub mod account_links;
pub mod admin;
pub mod assets;
pub mod canned;
pub mod charts;
pub mod chat;
pub mod choice;
pub mod console;
pub mod followers;
pub mod layout;
pub mod locale;
pub mod notices;
pub mod notification_prefs;
pub mod notifications;
pub mod phone_ticket;
pub mod portal;
pub mod reports;
pub mod sign_in;
pub mod tags;
pub mod ticket_links;
pub mod tickets;
pub mod words;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use maud::{Markup, html};

use crate::error::ApiError;
use crate::extract::PageRefusal;
use crate::state::AppState;

/// The pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(assets::routes())
        .merge(sign_in::routes())
        .merge(account_links::routes())
        .merge(portal::routes())
        .merge(console::routes())
        .merge(tickets::routes())
        .merge(notifications::routes())
        .merge(admin::routes())
        .merge(reports::routes())
        .merge(phone_ticket::routes())
        .merge(tags::routes())
        .merge(notification_prefs::routes())
        .merge(followers::routes())
        .layer(axum::middleware::from_fn(choice::middleware))
}

/// An error shown as a page.
pub struct PageError(pub ApiError);

impl<E: Into<ApiError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let lang = choice::current();
        let body = layout::layout(
            layout::t(lang, "error_title"),
            None,
            html! {
                h1 { (layout::t(lang, "error_heading")) }
                p.error { (locale::number(lang, i64::from(self.0.status.as_u16()))) " — " (layout::t(lang, error_key(self.0.code, self.0.status))) }
                p.meta { bdi lang="en" { (self.0.message) } }
                p { a href="/" { (layout::t(lang, "error_back")) } }
            },
        );
        (self.0.status, body).into_response()
    }
}

/// The catalogue's key for what a refusal means: by its code where one says more than its
/// status, else by its status.
fn error_key(code: &str, status: StatusCode) -> &'static str {
    match code {
        "invalid_transition" => return "error_invalid_transition",
        "validation" => return "error_validation",
        "link_expired" | "link_invalid" => return "error_link",
        "too_many_attachments" => return "error_too_many_attachments",
        "unsupported_content_type" => return "error_unsupported_type",
        _ => {}
    }
    match status.as_u16() {
        400 | 422 => "error_bad_request",
        401 => "error_unauthorized",
        403 => "error_forbidden",
        404 => "error_not_found",
        409 => "error_conflict",
        413 => "error_too_large",
        429 => "error_too_many",
        500..=599 => "error_unavailable",
        _ => "error_other",
    }
}

impl IntoResponse for PageRefusal {
    fn into_response(self) -> Response {
        match self {
            PageRefusal::SignIn => Redirect::to("/login").into_response(),
            PageRefusal::Error(e) => PageError(e).into_response(),
        }
    }
}

/// What a page handler returns.
pub type PageResult = Result<Response, PageError>;

/// A page with this status.
fn html_response(status: StatusCode, markup: Markup) -> Response {
    (status, markup).into_response()
}

/// An instant as the pages show it, in the page's language (see [`locale::instant`]).
fn when(at: DateTime<Utc>) -> Markup {
    locale::instant(choice::current(), chrono_tz::UTC, at)
}

/// An instant as text in the page's language (for a message's argument).
fn when_text(at: DateTime<Utc>) -> String {
    locale::instant_text(choice::current(), chrono_tz::UTC, at)
}

/// 303 to `to`.
/// 303 to `to`; a target that cannot be a header value (a control character from some
/// form's field) is a 400, never a panic.
fn see_other(to: &str) -> Response {
    match axum::http::HeaderValue::from_str(to) {
        Ok(_) => Redirect::to(to).into_response(),
        Err(_) => {
            PageError(ApiError::bad_request("the target address is not valid")).into_response()
        }
    }
}
