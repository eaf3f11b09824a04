//! Erasure and anonymisation of a customer (issue 22, item 4; admins): erase them with their
//! tickets, or replace their personal data and keep the tickets for reports; the audit
//! trail of erasures, which names who and when, never whose data.

#![allow(dead_code)] // The schema structs are read only by the derives.

use axum::Json;
use axum::Router;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use helpdesk::domain::CustomerId;
use helpdesk::service::Retention;
use helpdesk::store::{ErasureMode, ErasureRecord};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::items;
use crate::api::openapi::answers::{NotFound, Unsupported};
use crate::api::openapi::model;
use crate::api::openapi::params::CustomerPath;
use crate::error::{ApiResult, Body, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The erasure routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{customer}/erase", post(erase_customer))
        .route("/erasures", get(erasures))
        .route("/settings/retention", get(retention).put(set_retention))
}

/// Erase or anonymise.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Mode {
    /// The customer, their tickets, messages, attachments, mail, notifications, search
    /// entries and logins go.
    Erase,
    /// Their personal data and the text of their tickets are replaced by `anonymised`; the
    /// tickets stay, with their metrics, for reports.
    Anonymise,
}

impl From<ErasureMode> for Mode {
    fn from(mode: ErasureMode) -> Self {
        match mode {
            ErasureMode::Erase => Mode::Erase,
            ErasureMode::Anonymise => Mode::Anonymise,
        }
    }
}

impl From<Mode> for ErasureMode {
    fn from(mode: Mode) -> Self {
        match mode {
            Mode::Erase => ErasureMode::Erase,
            Mode::Anonymise => ErasureMode::Anonymise,
        }
    }
}

/// The body of `POST /customers/{customer}/erase`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EraseCustomer {
    /// Erase or anonymise.
    mode: Mode,
}

/// Why an erasure ran.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(crate) enum Cause {
    /// An admin asked for it.
    Request,
    /// The retention rule.
    Retention,
}

/// An erasure as the audit trail keeps it: who, when, how and how many tickets.
#[derive(ToSchema)]
pub(crate) struct Erasure {
    /// Erased or anonymised.
    mode: Mode,
    /// Why.
    #[schema(inline)]
    cause: Cause,
    /// Who.
    actor: model::Actor,
    /// When.
    at: DateTime<Utc>,
    /// How many tickets it handled.
    #[schema(minimum = 0)]
    tickets: u64,
    /// Whether a customer's record was part of it.
    customer: bool,
}

/// The erasures, newest first.
#[derive(ToSchema)]
pub(crate) struct ErasureList {
    /// The erasures.
    items: Vec<Erasure>,
}

/// The query of `GET /erasures`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ErasureQuery {
    /// At most this many (default 50, at most 1000).
    limit: Option<u32>,
}

/// Erases or anonymises a customer.
#[utoipa::path(post, path = "/api/v1/customers/{customer}/erase", tag = "directory",
    summary = "Erase a customer with everything of theirs, or anonymise them and keep their tickets for reports (admins)",
    params(CustomerPath),
    request_body = EraseCustomer,
    responses((status = 200, description = "the audit entry written", body = Erasure), NotFound, Unsupported))]
pub(crate) async fn erase_customer(
    Caller { acting, .. }: Caller,
    Id(id): Id<CustomerId>,
    Body(body): Body<EraseCustomer>,
) -> ApiResult<Json<ErasureRecord>> {
    Ok(Json(acting.erase_customer(id, body.mode.into()).await?))
}

/// The audit trail of erasures.
#[utoipa::path(get, path = "/api/v1/erasures", tag = "directory",
    summary = "The erasures and anonymisations done, newest first: who, when, how many tickets (admins)",
    params(ErasureQuery),
    responses((status = 200, description = "the erasures", body = ErasureList), Unsupported))]
pub(crate) async fn erasures(
    Caller { acting, .. }: Caller,
    Query(q): Query<ErasureQuery>,
) -> ApiResult<Json<Value>> {
    Ok(items(acting.erasures(q.limit.unwrap_or(50)).await?))
}

/// The retention rule: closed tickets nobody changed for `closed_days` days are erased or
/// anonymised by the desk's timers.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetentionRule {
    /// Days since the closed ticket last changed.
    #[schema(minimum = 1, maximum = 36600)]
    closed_days: u32,
    /// Erase or anonymise them.
    mode: Mode,
}

/// The retention setting (`rule` null: off, the default).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetentionSetting {
    /// The rule, or null when off.
    rule: Option<RetentionRule>,
}

impl RetentionSetting {
    fn of(rule: Option<Retention>) -> Json<Self> {
        Json(Self {
            rule: rule.map(|r| RetentionRule {
                closed_days: r.closed_days,
                mode: r.mode.into(),
            }),
        })
    }
}

/// The retention rule.
#[utoipa::path(get, path = "/api/v1/settings/retention", tag = "settings",
    summary = "The retention rule for closed tickets (admins)",
    responses((status = 200, description = "the rule", body = RetentionSetting), Unsupported))]
pub(crate) async fn retention(Caller { acting, .. }: Caller) -> ApiResult<Json<RetentionSetting>> {
    Ok(RetentionSetting::of(acting.retention_rule().await?))
}

/// Sets the retention rule, or turns it off.
#[utoipa::path(put, path = "/api/v1/settings/retention", tag = "settings",
    summary = "Set the retention rule for closed tickets, or turn it off with a null rule (admins, audited)",
    request_body = RetentionSetting,
    responses((status = 200, description = "the rule now in force", body = RetentionSetting), Unsupported))]
pub(crate) async fn set_retention(
    Caller { acting, .. }: Caller,
    Body(body): Body<RetentionSetting>,
) -> ApiResult<Json<RetentionSetting>> {
    let rule = body.rule.map(|r| Retention {
        closed_days: r.closed_days,
        mode: r.mode.into(),
    });
    acting.set_retention(rule).await?;
    Ok(RetentionSetting::of(acting.retention_rule().await?))
}
