//! Mail the desk could not take in, kept whole in the quarantine, and the log of ignored
//! mail, through the API (admins): list, read (metadata, or the message itself), reprocess,
//! discard.

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use helpdesk::domain::{IgnoredMailId, QuarantineId};
use helpdesk::service::Ingested;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

use crate::api::openapi::answers::{NotFound, Unsupported};
use crate::api::openapi::mail::{IgnoredPage, QuarantinePage, QuarantinedMail, Reprocessed};
use crate::api::openapi::params::QuarantinePath;
use crate::error::{ApiResult, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;
use crate::uploads::file_response;

/// The default page size of the lists.
const PAGE: u32 = 50;

/// The quarantine routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/mail/quarantine", get(list_quarantine))
        .route(
            "/mail/quarantine/{mail}",
            get(quarantined_mail).delete(discard_mail),
        )
        .route("/mail/quarantine/{mail}/raw", get(raw_mail))
        .route("/mail/quarantine/{mail}/reprocess", post(reprocess_mail))
        .route("/mail/ignored", get(list_ignored))
}

/// The query of a page of quarantined mail.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct QuarantineQuery {
    /// The mail kept just before this one (the `older` of the page before); default: the
    /// newest.
    #[param(value_type = Option<Uuid>)]
    before: Option<QuarantineId>,
    /// At most this many, 1 to 500 (default 50).
    limit: Option<u32>,
}

/// The query of a page of the ignored-mail log.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct IgnoredQuery {
    /// The entry logged just before this one (the `older` of the page before); default: the
    /// newest.
    #[param(value_type = Option<Uuid>)]
    before: Option<IgnoredMailId>,
    /// At most this many, 1 to 500 (default 50).
    limit: Option<u32>,
}

/// A page of quarantined mail.
#[utoipa::path(get, path = "/api/v1/mail/quarantine", tag = "mail",
    summary = "Mail the desk could not take in, newest first, with the reason; `older` is the cursor of the next page (admins)",
    params(QuarantineQuery),
    responses((status = 200, description = "`items` and `older`", body = QuarantinePage), Unsupported))]
pub(crate) async fn list_quarantine(
    Caller { acting, .. }: Caller,
    Query(q): Query<QuarantineQuery>,
) -> ApiResult<Json<Value>> {
    let limit = q.limit.unwrap_or(PAGE);
    let items = acting.quarantined_mails(q.before, limit).await?;
    let older = (items.len() == limit as usize)
        .then(|| items.last().map(|m| m.id))
        .flatten();
    Ok(Json(json!({ "items": items, "older": older })))
}

/// One quarantined mail, without its bytes.
#[utoipa::path(get, path = "/api/v1/mail/quarantine/{mail}", tag = "mail",
    summary = "A quarantined mail: when, why, sender, subject, Message-ID, size (admins)",
    params(QuarantinePath),
    responses((status = 200, description = "the quarantined mail", body = QuarantinedMail), NotFound, Unsupported))]
pub(crate) async fn quarantined_mail(
    Caller { acting, .. }: Caller,
    Id(id): Id<QuarantineId>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.quarantined_mail(id).await?)))
}

/// The quarantined message itself, byte for byte.
#[utoipa::path(get, path = "/api/v1/mail/quarantine/{mail}/raw", tag = "mail",
    summary = "The quarantined message exactly as received (admins)",
    params(QuarantinePath),
    responses((status = 200, description = "the message", content_type = "message/rfc822", body = Vec<u8>), NotFound, Unsupported))]
pub(crate) async fn raw_mail(
    Caller { acting, .. }: Caller,
    Id(id): Id<QuarantineId>,
) -> ApiResult<Response> {
    let bytes = acting.quarantined_mail_bytes(id).await?;
    Ok(file_response("message/rfc822", &format!("{id}.eml"), bytes))
}

/// Takes a quarantined mail in again.
#[utoipa::path(post, path = "/api/v1/mail/quarantine/{mail}/reprocess", tag = "mail",
    summary = "Take a quarantined mail in again: `outcome` says what became of it; `quarantined` means it failed again and stays with the new reason (admins)",
    params(QuarantinePath),
    responses((status = 200, description = "`outcome`, with `ticket`, `ticket_id` or `mail`", body = Reprocessed), NotFound, Unsupported))]
pub(crate) async fn reprocess_mail(
    Caller { acting, .. }: Caller,
    Id(id): Id<QuarantineId>,
) -> ApiResult<Json<Value>> {
    let done = acting.reprocess_quarantined(id).await?;
    Ok(Json(outcome(&done)))
}

/// What became of a mail, as JSON: `outcome`, and the ticket or the quarantined mail.
fn outcome(done: &Ingested) -> Value {
    match done {
        Ingested::Opened(t) | Ingested::Appended(t) => {
            json!({ "outcome": done.code(), "ticket": t })
        }
        Ingested::Duplicate(id) | Ingested::BounceNoted(id) => {
            json!({ "outcome": done.code(), "ticket_id": id })
        }
        Ingested::Quarantined(id) => json!({ "outcome": done.code(), "mail": id }),
        other => json!({ "outcome": other.code() }),
    }
}

/// Removes a quarantined mail for good.
#[utoipa::path(delete, path = "/api/v1/mail/quarantine/{mail}", tag = "mail",
    summary = "Discard a quarantined mail for good (admins)",
    params(QuarantinePath),
    responses((status = 204, description = "discarded"), NotFound, Unsupported))]
pub(crate) async fn discard_mail(
    Caller { acting, .. }: Caller,
    Id(id): Id<QuarantineId>,
) -> ApiResult<Response> {
    acting.discard_quarantined(id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A page of the ignored-mail log.
#[utoipa::path(get, path = "/api/v1/mail/ignored", tag = "mail",
    summary = "Mail ignored on purpose (list mail), newest first: when, why, sender, subject, Message-ID; `older` is the cursor of the next page (admins)",
    params(IgnoredQuery),
    responses((status = 200, description = "`items` and `older`", body = IgnoredPage), Unsupported))]
pub(crate) async fn list_ignored(
    Caller { acting, .. }: Caller,
    Query(q): Query<IgnoredQuery>,
) -> ApiResult<Json<Value>> {
    let limit = q.limit.unwrap_or(PAGE);
    let items = acting.ignored_mails(q.before, limit).await?;
    let older = (items.len() == limit as usize)
        .then(|| items.last().map(|m| m.id))
        .flatten();
    Ok(Json(json!({ "items": items, "older": older })))
}
