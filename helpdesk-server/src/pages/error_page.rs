//! Error pages with no dead end: a refused or failed page is shown in the layout, with the
//! person's menu and sign-out, in their language, with a "back" to the page they came from
//! (the form that caused it); an unknown address is a real 404 page; a customer whose
//! access was disabled while signed in is told so and can sign out.
//!
//! A handler's [`PageError`](super::PageError) leaves a [`Failed`] mark on its response;
//! [`error_pages`], around every route, renders the page for it (it alone knows the
//! request: who asks, in which language, from where).

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{CONTENT_LENGTH, HOST, REFERER};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use helpdesk::domain::{Actor, Language, TokenKind};
use maud::{Markup, html};

use super::layout::{layout_in, t};
use super::refusals::refusal_key;
use crate::error::ApiError;
use crate::extract::{PageRefusal, PageUser};
use crate::session::{CSRF_FIELD, csrf_token, session_cookie};
use crate::state::AppState;

/// What a page failed with, left on its response for [`error_pages`].
#[derive(Debug, Clone)]
pub struct Failed {
    /// The key of what to say (see [`refusal_key`]).
    key: &'static str,
    /// The desk's own words, shown under "details".
    message: String,
}

/// The response of a page that failed with `error`: a plain page, marked for
/// [`error_pages`] to show in the layout.
pub fn marked(error: ApiError) -> Response {
    let key = if error.status == StatusCode::NOT_FOUND {
        "error_not_found"
    } else {
        refusal_key(&error)
    };
    let page = html! { h1 { "Something went wrong" } p.error { (error.message) } p { a href="/" { "Back" } } };
    let mut response = (error.status, page).into_response();
    response.extensions_mut().insert(Failed {
        key,
        message: error.message,
    });
    response
}

/// An address no route answers: the 404 page (a JSON 404 under `/api/`).
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::not_found("no such API route").into_response()
    } else {
        marked(ApiError::not_found(format!("no page at {}", uri.path())))
    }
}

/// Who reads an error page.
enum Reader {
    /// Signed in.
    User(Box<PageUser>),
    /// A customer signed in whose access was disabled since: their language and the
    /// session's CSRF token for the sign-out button.
    Disabled(Language, String),
    /// Nobody signed in: the browser's language.
    Nobody(Language),
}

async fn reader(state: &AppState, headers: &HeaderMap, uri: &Uri) -> Reader {
    let (mut parts, ()) = Request::new(()).into_parts();
    parts.headers = headers.clone();
    // The address too: its `?lang=` switch is the reader's choice.
    parts.uri = uri.clone();
    // The switch, its cookie, else the browser's language.
    let browser = super::choice::of_request(uri.query(), headers);
    match PageUser::from_request_parts(&mut parts, state).await {
        Ok(user) => Reader::User(Box::new(user)),
        Err(PageRefusal::Error(e)) if e.reason == Some("access_disabled") => {
            let Some(secret) = session_cookie(&parts) else {
                return Reader::Nobody(browser);
            };
            let lang = match state.accounts.actor_of(&secret, TokenKind::Session).await {
                Ok(Some(Actor::Customer(id))) => state
                    .desk
                    .as_system()
                    .customer(id)
                    .await
                    .ok()
                    .and_then(|c| c.language)
                    .unwrap_or(browser),
                _ => browser,
            };
            Reader::Disabled(lang, csrf_token(&secret))
        }
        Err(_) => Reader::Nobody(browser),
    }
}

/// Where "back" goes: the page the browser came from on this site, else `/`.
fn back(headers: &HeaderMap) -> String {
    let referer = headers.get(REFERER).and_then(|v| v.to_str().ok());
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    referer
        .and_then(|r| r.parse::<Uri>().ok())
        .filter(|u| u.authority().is_none_or(|a| Some(a.as_str()) == host))
        .and_then(|u| u.path_and_query().map(|p| p.as_str().to_owned()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".to_owned())
}

/// Around every route: a response marked [`Failed`] gets its page in the layout.
pub async fn error_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let headers = req.headers().clone();
    let uri = req.uri().clone();
    let response = next.run(req).await;
    let Some(failed) = response.extensions().get::<Failed>().cloned() else {
        return response;
    };
    let page = render(&state, &headers, &uri, &failed).await;
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page.into_string()))
}

async fn render(state: &AppState, headers: &HeaderMap, uri: &Uri, failed: &Failed) -> Markup {
    let body = |lang: Language| {
        html! {
            h1 { (t(lang, "error_title")) }
            p.error #error role="alert" { (t(lang, failed.key)) }
            details.meta lang="en" dir="ltr" {
                summary { (t(lang, "refused_details")) }
                (failed.message)
            }
            p { a #back href=(back(headers)) { (t(lang, "back")) } }
        }
    };
    match reader(state, headers, uri).await {
        Reader::User(user) => {
            let lang = user.language;
            layout_in(lang, t(lang, "error_title"), Some(&user), body(lang))
        }
        Reader::Nobody(lang) => layout_in(lang, t(lang, "error_title"), None, body(lang)),
        Reader::Disabled(lang, csrf) => layout_in(
            lang,
            t(lang, "account_disabled_title"),
            None,
            html! {
                h1 { (t(lang, "account_disabled_title")) }
                p.error #account-disabled role="alert" { (t(lang, "account_disabled_signed_in")) }
                form method="post" action="/logout" {
                    input type="hidden" name=(CSRF_FIELD) value=(csrf);
                    button #sign-out type="submit" { (t(lang, "sign_out")) }
                }
            },
        ),
    }
}
