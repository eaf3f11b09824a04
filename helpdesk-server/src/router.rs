//! The whole application: the JSON API under `/api/v1`, the OpenAPI document and its
//! Swagger UI page (`/api/docs`), the chat socket and the pages.

use std::sync::Arc;

use axum::Router;
use helpdesk::Helpdesk;

use crate::accounts::Accounts;
use crate::state::{AppState, Options};
use crate::{api, chat, edge, pages};

/// The router over `desk`, signing people in with `accounts`.
pub fn router(desk: Helpdesk, accounts: Arc<Accounts>, options: Options) -> Router {
    let limits = desk.attachment_limits().clone();
    let state = AppState {
        desk,
        accounts,
        options: Arc::new(options),
        chats: Arc::default(),
    };
    // One follower of the change feed per router (per server process): what other
    // processes commit reaches this one's chat sockets.
    crate::feed_follower::spawn(&state.desk, &state.chats);
    let app = Router::new()
        .nest("/api/v1", api::routes())
        .route(
            "/api/openapi.json",
            axum::routing::get(api::openapi::document),
        )
        .merge(api::docs::routes())
        .merge(chat::routes())
        .merge(pages::routes())
        .fallback(pages::error_page::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::error_page::error_pages,
        ));
    edge::harden(app, &limits).with_state(state)
}
