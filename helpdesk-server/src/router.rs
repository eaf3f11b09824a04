//! The whole application: the JSON API under `/api/v1`, the OpenAPI document, the chat
//! socket and the pages.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use helpdesk::Helpdesk;

use crate::accounts::Accounts;
use crate::state::{AppState, Options};
use crate::{api, chat, pages};

/// The router over `desk`, signing people in with `accounts`.
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
        .nest("/api/v1", api::routes())
        .route(
            "/api/openapi.json",
            axum::routing::get(api::openapi::document),
        )
        .merge(chat::routes())
        .merge(pages::routes())
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}
