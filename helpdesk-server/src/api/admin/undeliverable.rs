//! Addresses marked undeliverable after a permanent bounce, through the API (admins): the
//! marks in force, by address, and clearing one (the outbox sends there again).

use axum::Json;
use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use helpdesk::domain::Email;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

use crate::api::openapi::answers::{NotFound, Unsupported};
use crate::api::openapi::mail::UndeliverablePage;
use crate::api::openapi::params::AddressPath;
use crate::error::{ApiResult, Query};
use crate::extract::Caller;
use crate::state::AppState;

/// The default page size of the list.
const PAGE: u32 = 50;

/// The undeliverable-address routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/mail/undeliverable", get(list_undeliverable))
        .route("/mail/undeliverable/{address}", delete(clear_undeliverable))
}

/// The query of a page of marks.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct UndeliverableQuery {
    /// The address listed just before (the `next` of the page before); default: from the
    /// first.
    after: Option<String>,
    /// At most this many, 1 to 500 (default 50).
    limit: Option<u32>,
}

/// A page of the addresses marked undeliverable now.
#[utoipa::path(get, path = "/api/v1/mail/undeliverable", tag = "mail",
    summary = "Addresses marked undeliverable now, by address: until when, the status and the mail server's words, the ticket and outbox e-mail that bounced; `next` is the cursor of the next page (admins)",
    params(UndeliverableQuery),
    responses((status = 200, description = "`items` and `next`", body = UndeliverablePage), Unsupported))]
pub(crate) async fn list_undeliverable(
    Caller { acting, .. }: Caller,
    Query(q): Query<UndeliverableQuery>,
) -> ApiResult<Json<Value>> {
    let after = q.after.as_deref().map(Email::parse).transpose()?;
    let limit = q.limit.unwrap_or(PAGE);
    let items = acting
        .undeliverable_addresses(after.as_ref(), limit)
        .await?;
    let next = (items.len() == limit as usize)
        .then(|| items.last().map(|m| m.address.clone()))
        .flatten();
    Ok(Json(json!({ "items": items, "next": next })))
}

/// Clears the mark of an address.
#[utoipa::path(delete, path = "/api/v1/mail/undeliverable/{address}", tag = "mail",
    summary = "Clear the undeliverable mark of an address: the outbox sends there again (admins)",
    params(AddressPath),
    responses((status = 204, description = "cleared"), NotFound, Unsupported))]
pub(crate) async fn clear_undeliverable(
    Caller { acting, .. }: Caller,
    Path(raw): Path<String>,
) -> ApiResult<Response> {
    let address = Email::parse(&raw)?;
    acting.clear_undeliverable(&address).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
