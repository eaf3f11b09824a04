//! The server's router and everything it needs, kept apart from `main.rs` so that
//! `tests/server_api.rs` can build the same router in-process.

pub mod api;
pub mod auth;
pub mod charts;
pub mod chat;
pub mod chat_hub;
pub mod compose;
pub mod demo;
pub mod error;
pub mod forms;
pub mod openapi;
pub mod pages;
pub mod reports;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use helpdesk::Helpdesk;

pub use auth::Accounts;

/// How the router behaves.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Mark the session cookie `Secure` (set when the server is reached over https).
    pub secure_cookies: bool,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The desk.
    pub desk: Helpdesk,
    /// Logins, API tokens and sessions.
    pub accounts: Arc<Accounts>,
    /// The router's options.
    pub options: Arc<Options>,
    /// The live chat's fan-out between sockets.
    pub chats: Arc<chat_hub::ChatHub>,
}

/// The whole application: the JSON API under `/api/v1`, the OpenAPI document, and the pages.
pub fn router(desk: Helpdesk, accounts: Arc<Accounts>, options: Options) -> Router {
    let limits = desk.attachment_limits().clone();
    // Room for every attachment at its largest, plus the form fields around them; the desk
    // itself answers 413 with the JSON error shape for files over its limits.
    let body_limit = (limits.max_size as usize)
        .saturating_mul(limits.max_count.max(1))
        .saturating_add(1024 * 1024);
    let state = AppState {
        desk,
        accounts,
        options: Arc::new(options),
        chats: Arc::default(),
    };
    Router::new()
        .nest("/api/v1", api::routes().merge(chat::api_routes()))
        .route("/api/openapi.json", axum::routing::get(openapi::document))
        .merge(pages::routes())
        .merge(chat::routes())
        .merge(reports::routes())
        .merge(compose::routes())
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}
