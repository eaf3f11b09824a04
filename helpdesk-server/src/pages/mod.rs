//! Server-rendered pages (maud, which escapes every spliced value), a file per part: signing
//! in, the customer portal, the agent console, the ticket view, notifications, admin,
//! reports, the agent's phone ticket with templates, and the live chat's widget and panel.
//!
//! Every page handler takes its principal as a [`PageUser`](crate::extract::PageUser) (or a
//! [`Posted`](crate::extract::Posted) form); errors are shown as a page ([`PageError`]).

pub mod account_links;
pub mod admin;
pub mod admin_notice_section;
pub mod assets;
pub mod canned;
pub mod charts;
pub mod chat;
pub mod choice;
pub mod console;
pub mod console_bulk;
pub mod error_page;
pub mod followers;
pub mod layout;
pub mod locale;
pub mod message_authors;
pub mod notices;
pub mod notification_centre;
pub mod notification_prefs;
pub mod notifications;
pub mod phone_ticket;
pub mod portal;
pub mod refusals;
pub mod reports;
pub mod shortcuts;
pub mod sign_in;
pub mod tags;
pub mod ticket_actions;
pub mod ticket_clocks;
pub mod ticket_customer;
pub mod ticket_feedback;
pub mod ticket_links;
pub mod tickets;
pub mod words;
// The customer portal's parts (issue 21).
pub mod portal_feedback;
pub mod portal_kb;
pub mod portal_notices;
// Everyone's own settings: time zone, page language (issue 21).
pub mod person_settings;
// Snoozed notifications with their time (issue 21).
pub mod snoozed_notices;
// Macros on the ticket page (issue 22).
pub mod ticket_macros;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use maud::Markup;

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
        .merge(console_bulk::routes())
        .merge(notification_centre::routes())
        .merge(admin_notice_section::routes())
        .merge(tickets::routes())
        .merge(notifications::routes())
        .merge(admin::routes())
        .merge(reports::routes())
        .merge(phone_ticket::routes())
        .merge(tags::routes())
        .merge(notification_prefs::routes())
        .merge(followers::routes())
        .merge(portal_kb::routes())
        .merge(portal_feedback::routes())
        .merge(person_settings::routes())
        .merge(ticket_macros::routes())
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
        error_page::marked(self.0)
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

/// An instant as the pages show it, in the page's language and the reader's zone (see [`locale::instant`]).
fn when(at: DateTime<Utc>) -> Markup {
    locale::instant(choice::current(), choice::zone(), at)
}

/// An instant as text in the page's language (for a message's argument).
fn when_text(at: DateTime<Utc>) -> String {
    locale::instant_text(choice::current(), choice::zone(), at)
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
