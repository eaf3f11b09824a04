//! The IMAP mailboxes stored for departments, through the API (admins): list, read, add,
//! edit, remove. The password is write-only: sent when adding (and when changing it), never
//! answered. Every change is audited (`GET /settings/audit`); the server watching mail
//! picks changes up within a minute.

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use helpdesk::domain::{DepartmentId, MailboxId};
use helpdesk::service::{DEFAULT_POLL_SECONDS, MailboxPassword};
use helpdesk::store::{MailboxAfter, MailboxSecurity, MailboxSettings};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::openapi::answers::{DirectoryWrite, NotFound, Unsupported};
use crate::api::openapi::mail::{Mailbox, MailboxList};
use crate::api::openapi::params::MailboxPath;
use crate::api::{created, items};
use crate::error::{ApiResult, Body};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The stored mailboxes routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/mail/mailboxes", get(list_mailboxes).post(add_mailbox))
        .route(
            "/mail/mailboxes/{mailbox}",
            get(mailbox).put(edit_mailbox).delete(remove_mailbox),
        )
}

/// A mailbox's settings as a whole; those missing take their defaults.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MailboxBody {
    /// The department new tickets from the mailbox go to.
    #[schema(value_type = Uuid)]
    department: DepartmentId,
    /// The IMAP server's host name or address.
    host: String,
    /// Its port (default 993 with TLS, 143 without).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 65535)]
    port: Option<u16>,
    /// `tls` (default) or `plain`.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(tls|plain)$")]
    security: Option<MailboxSecurity>,
    /// The login's user name.
    user: String,
    /// The login's password: needed to add a mailbox; when editing, missing or `null`
    /// keeps the stored one. Never answered.
    #[serde(default)]
    password: Option<String>,
    /// The folder read (default `INBOX`).
    #[serde(default)]
    folder: Option<String>,
    /// What happens to a message once stored: `flag` (default), `move` (to `move_to`) or
    /// `delete`.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(flag|move|delete)$")]
    after: Option<MailboxAfter>,
    /// The folder messages are moved to, with `after` = `move` only.
    #[serde(default)]
    move_to: Option<String>,
    /// Whether the desk fetches from it (default true).
    #[serde(default)]
    enabled: Option<bool>,
    /// Seconds between rounds without IDLE, and the longest IDLE wait (10–1500, default
    /// 60).
    #[serde(default)]
    #[schema(minimum = 10, maximum = 1500)]
    poll_seconds: Option<u32>,
}

impl MailboxBody {
    /// The settings and the password typed (checked; `None` when none was sent).
    fn split(self) -> ApiResult<(MailboxSettings, Option<MailboxPassword>)> {
        let security = self.security.unwrap_or_default();
        let password = self
            .password
            .as_deref()
            .map(MailboxPassword::parse)
            .transpose()?;
        let settings = MailboxSettings {
            department: self.department,
            host: self.host,
            port: self.port.unwrap_or(security.default_port()),
            security,
            user: self.user,
            folder: self.folder.unwrap_or_else(|| "INBOX".to_owned()),
            after: self.after.unwrap_or_default(),
            move_to: self.move_to.filter(|m| !m.is_empty()),
            enabled: self.enabled.unwrap_or(true),
            poll_seconds: self.poll_seconds.unwrap_or(DEFAULT_POLL_SECONDS),
        };
        Ok((settings, password))
    }
}

/// Every stored mailbox.
#[utoipa::path(get, path = "/api/v1/mail/mailboxes", tag = "mail",
    summary = "The IMAP mailboxes stored for departments, oldest first, each with its last round (`last_round`: when, messages taken, error); never a password (admins)",
    responses((status = 200, description = "`items`", body = MailboxList), Unsupported))]
pub(crate) async fn list_mailboxes(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(items(acting.mailboxes().await?))
}

/// One stored mailbox.
#[utoipa::path(get, path = "/api/v1/mail/mailboxes/{mailbox}", tag = "mail",
    summary = "A stored mailbox with its last round, without its password (admins)",
    params(MailboxPath),
    responses((status = 200, description = "the mailbox", body = Mailbox), NotFound, Unsupported))]
pub(crate) async fn mailbox(
    Caller { acting, .. }: Caller,
    Id(id): Id<MailboxId>,
) -> ApiResult<Json<Value>> {
    Ok(Json(serde_json::json!(acting.mailbox(id).await?)))
}

/// Stores a mailbox.
#[utoipa::path(post, path = "/api/v1/mail/mailboxes", tag = "mail",
    summary = "Store an IMAP mailbox for a department, with its password; the server starts fetching from it within a minute (admins)",
    request_body = MailboxBody,
    responses((status = 201, description = "the mailbox, without its password", body = Mailbox), DirectoryWrite, Unsupported))]
pub(crate) async fn add_mailbox(
    Caller { acting, .. }: Caller,
    Body(body): Body<MailboxBody>,
) -> ApiResult<Response> {
    let (settings, password) = body.split()?;
    let password = match password {
        Some(password) => password,
        None => MailboxPassword::parse("")?,
    };
    Ok(created(acting.add_mailbox(settings, password).await?))
}

/// Replaces a stored mailbox's settings.
#[utoipa::path(put, path = "/api/v1/mail/mailboxes/{mailbox}", tag = "mail",
    summary = "Replace a stored mailbox's settings as a whole; without `password` the stored one is kept (admins)",
    params(MailboxPath),
    request_body = MailboxBody,
    responses((status = 200, description = "the mailbox, without its password", body = Mailbox), DirectoryWrite, Unsupported))]
pub(crate) async fn edit_mailbox(
    Caller { acting, .. }: Caller,
    Id(id): Id<MailboxId>,
    Body(body): Body<MailboxBody>,
) -> ApiResult<Json<Value>> {
    let (settings, password) = body.split()?;
    Ok(Json(serde_json::json!(
        acting.edit_mailbox(id, settings, password).await?
    )))
}

/// Removes a stored mailbox.
#[utoipa::path(delete, path = "/api/v1/mail/mailboxes/{mailbox}", tag = "mail",
    summary = "Remove a stored mailbox: the desk stops fetching from it (admins)",
    params(MailboxPath),
    responses((status = 204, description = "removed"), NotFound, Unsupported))]
pub(crate) async fn remove_mailbox(
    Caller { acting, .. }: Caller,
    Id(id): Id<MailboxId>,
) -> ApiResult<Response> {
    acting.remove_mailbox(id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
