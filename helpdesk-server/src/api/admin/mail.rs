//! The mail settings kept in the store, through the API (admins): the desk's address and
//! name, the inbound department, unknown senders, automatic answers per customer an hour,
//! list mail, VERP, how long a bounced address stays undeliverable, and each department's
//! own address. Every change is audited
//! (`GET /settings/audit`).

use axum::Json;
use axum::Router;
use axum::routing::{get, put};
use helpdesk::domain::{DepartmentId, Email, Name};
use helpdesk::service::{DepartmentAddress, ListMail, MailDefaults, UnknownSenders};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::api::openapi::answers::{DirectoryWrite, Unsupported};
use crate::api::openapi::params::DepartmentPath;
use crate::api::openapi::settings::MailSettings;
use crate::error::{ApiResult, Body};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The mail settings routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/mail", get(mail_settings).put(set_mail_settings))
        .route(
            "/settings/departments/{department}/mail-address",
            put(department_mail_address),
        )
}

/// The stored mail settings.
#[utoipa::path(get, path = "/api/v1/settings/mail", tag = "settings",
    summary = "The stored mail settings: the desk-wide ones and each department's own address under `departments` (admins)",
    responses((status = 200, description = "the mail settings", body = MailSettings), Unsupported))]
pub(crate) async fn mail_settings(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.mail_settings().await?)))
}

/// The desk-wide mail settings as a whole: a missing or `null` one is unset (the value the
/// process was started with applies).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MailBody {
    /// The address the desk sends from and receives at.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    from: Option<Email>,
    /// The display name beside it.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    from_name: Option<Name>,
    /// The department new tickets from mail go to when the mail was sent to no
    /// department's own address.
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    inbound_department: Option<DepartmentId>,
    /// `create_customer` or `reject`: mail from an address no customer has.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(create_customer|reject)$")]
    unknown_senders: Option<UnknownSenders>,
    /// The most "request received" answers one customer gets in an hour (0–10000).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10000)]
    auto_answers_per_hour: Option<u32>,
    /// `take_in` or `ignore`: list mail (`List-Id`, `Precedence: list`) to the desk's
    /// address.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(take_in|ignore)$")]
    list_mail: Option<ListMail>,
    /// Whether each e-mail goes out with an envelope sender naming it (VERP), so its bounce
    /// is matched to it (default on).
    #[serde(default)]
    verp: Option<bool>,
    /// How long, in hours, an address stays marked undeliverable after a permanent bounce
    /// (0–8784; 0: not marked; default 168).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 8784)]
    undeliverable_hours: Option<u32>,
}

/// Sets the desk-wide mail settings.
#[utoipa::path(put, path = "/api/v1/settings/mail", tag = "settings",
    summary = "Set the desk-wide mail settings as a whole; null or missing ones are unset (admins)",
    request_body = MailBody,
    responses((status = 200, description = "the mail settings", body = MailSettings), DirectoryWrite, Unsupported))]
pub(crate) async fn set_mail_settings(
    Caller { acting, .. }: Caller,
    Body(body): Body<MailBody>,
) -> ApiResult<Json<Value>> {
    let defaults = MailDefaults {
        from: body.from,
        from_name: body.from_name,
        inbound_department: body.inbound_department,
        unknown_senders: body.unknown_senders,
        auto_answers_per_hour: body.auto_answers_per_hour,
        list_mail: body.list_mail,
        verp: body.verp,
        undeliverable_hours: body.undeliverable_hours,
    };
    Ok(Json(json!(acting.set_mail_settings(defaults).await?)))
}

/// A department's own address, or `null` to remove it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AddressBody {
    /// The address: mail to it becomes a ticket in the department, and the desk's mail
    /// about the department's tickets goes out from it; `null` removes it.
    #[schema(value_type = Option<String>)]
    address: Option<Email>,
    /// `take_in` (default) or `ignore`: list mail to the address.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(take_in|ignore)$")]
    list_mail: Option<ListMail>,
}

/// Sets a department's own mail address.
#[utoipa::path(put, path = "/api/v1/settings/departments/{department}/mail-address", tag = "settings",
    summary = "A department's own mail `address` and its rule for list mail, or null to remove it (admins)",
    params(DepartmentPath),
    request_body = AddressBody,
    responses((status = 200, description = "the mail settings", body = MailSettings), DirectoryWrite, Unsupported))]
pub(crate) async fn department_mail_address(
    Caller { acting, .. }: Caller,
    Id(id): Id<DepartmentId>,
    Body(body): Body<AddressBody>,
) -> ApiResult<Json<Value>> {
    let address = body.address.map(|address| DepartmentAddress {
        address,
        list_mail: body.list_mail.unwrap_or_default(),
    });
    Ok(Json(json!(
        acting.set_department_mail_address(id, address).await?
    )))
}
