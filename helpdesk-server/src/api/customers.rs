//! Customers: look them up (by contract, phone, e-mail or address pattern) or list the
//! directory page by page, read and edit one, and enable or disable their access (admins).

use axum::Json;
use axum::Router;
use axum::routing::{get, put};
use helpdesk::domain::{
    Address, ContractNumber, CustomerId, CustomerKind, Email, Language, Name, Phone,
};
use helpdesk::listing::CustomerText;
use helpdesk::search::CustomerLookup;
use helpdesk::service::CustomerEdit;
use helpdesk::store::{CustomerCursor, CustomerFilter, CustomerPageRequest};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::api::openapi::answers::{DirectoryWrite, NotFound};
use crate::api::openapi::directory::{Customer, CustomerDirectory};
use crate::api::openapi::model;
use crate::api::openapi::params::CustomerPath;
use crate::error::{ApiResult, Body, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The customer routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers", get(find_customers))
        .route("/customers/{customer}", get(customer).put(update_customer))
        .route("/customers/{customer}/access", put(customer_access))
}

/// The query of `GET /customers`: a look-up (one of `contract`, `phone`, `email`,
/// `address`; the first given counts), or else a page of the directory by the filters.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CustomerQuery {
    /// Look-up: a contract number.
    contract: Option<String>,
    /// Look-up: a phone number.
    phone: Option<String>,
    /// Look-up: an e-mail address.
    email: Option<String>,
    /// Look-up: an address pattern (`%` for any text).
    address: Option<String>,
    /// Directory: text in the name, e-mail, phone or contract number (any case, 1–200
    /// characters).
    q: Option<String>,
    /// Directory: only persons or only organisations.
    #[param(value_type = Option<model::CustomerKind>)]
    kind: Option<CustomerKind>,
    /// Directory: only those whose access is enabled (`true`) or disabled (`false`).
    access: Option<bool>,
    /// Directory: only the members of this organisation.
    #[param(value_type = Option<Uuid>)]
    organisation: Option<CustomerId>,
    /// Directory: the `next` of the page before.
    after: Option<String>,
    /// Directory: how many at most (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

/// Looks customers up, or lists the directory.
#[utoipa::path(get, path = "/api/v1/customers", tag = "directory",
    summary = "Look customers up by contract, phone, email or address pattern (%), or else list them by name, filtered by `q`, `kind`, `access` and `organisation`, a page at a time (`after`, `limit`) with the `total` (staff)",
    params(CustomerQuery),
    responses((status = 200, description = "the customers", body = CustomerDirectory)))]
pub(crate) async fn find_customers(
    Caller { acting, .. }: Caller,
    Query(q): Query<CustomerQuery>,
) -> ApiResult<Json<Value>> {
    let lookup = if let Some(c) = q.contract {
        CustomerLookup::ContractNumber(ContractNumber::parse(c)?)
    } else if let Some(p) = q.phone {
        CustomerLookup::phone(&p)?
    } else if let Some(e) = q.email {
        CustomerLookup::Email(Email::parse(&e)?)
    } else if let Some(a) = q.address {
        CustomerLookup::address(&a)?
    } else {
        let filter = CustomerFilter {
            text: q.q.as_deref().map(CustomerText::parse).transpose()?,
            kind: q.kind,
            access_enabled: q.access,
            organisation: q.organisation,
        };
        let mut page = CustomerPageRequest::first(q.limit.unwrap_or(50));
        if let Some(after) = &q.after {
            page = page.after(CustomerCursor::decode(after)?);
        }
        let page = acting.list_customers(&filter, &page).await?;
        return Ok(Json(json!({
            "items": page.items,
            "total": page.total,
            "next": page.next.map(|c| c.encode()),
        })));
    };
    let found = acting.find_customers(&lookup).await?;
    Ok(Json(
        json!({"total": found.len(), "items": found, "next": null}),
    ))
}

/// A customer.
#[utoipa::path(get, path = "/api/v1/customers/{customer}", tag = "directory", summary = "A customer",
    params(CustomerPath),
    responses((status = 200, description = "the customer", body = Customer), NotFound))]
pub(crate) async fn customer(
    Caller { acting, .. }: Caller,
    Id(id): Id<CustomerId>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.customer(id).await?)))
}

/// The body of `PUT /customers/{customer}/access`.
#[derive(Deserialize, ToSchema)]
pub(crate) struct AccessBody {
    /// Whether they may sign in; disabling revokes their sessions and tokens.
    enabled: bool,
}

/// Enables or disables a customer's access.
#[utoipa::path(put, path = "/api/v1/customers/{customer}/access", tag = "directory",
    summary = "Enable or disable a customer's access (admins)",
    params(CustomerPath),
    request_body = AccessBody,
    responses((status = 200, description = "the customer", body = Customer), NotFound))]
pub(crate) async fn customer_access(
    Caller { acting, .. }: Caller,
    Id(id): Id<CustomerId>,
    Body(body): Body<AccessBody>,
) -> ApiResult<Json<Value>> {
    let customer = acting.set_customer_access(id, body.enabled).await?;
    Ok(Json(json!(customer)))
}

/// `Some(value)` for a field that is there, null included (`Some(None)`), so that a field
/// left out (`None`, by `default`) can be told from one cleared.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// The body of `PUT /customers/{customer}`: fields left out stay; null clears an optional
/// one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CustomerEditBody {
    /// Their name (1–200 characters).
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    name: Option<Name>,
    /// Their e-mail address; null clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, format = Email)]
    email: Option<Option<Email>>,
    /// Their phone number; null clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    phone: Option<Option<String>>,
    /// The language the desk writes to them in; null for the desk's default.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<model::Language>)]
    language: Option<Option<Language>>,
    /// Their address (1–500 characters); null clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    address: Option<Option<String>>,
    /// Their contract number (1–64 characters); null clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 64)]
    contract_number: Option<Option<ContractNumber>>,
    /// The organisation (a customer of kind `organisation`) a person belongs to; null for
    /// none.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    organisation: Option<Option<CustomerId>>,
}

/// Edits a customer.
#[utoipa::path(put, path = "/api/v1/customers/{customer}", tag = "directory",
    summary = "Change a customer's `name`, `email`, `phone`, `language`, `address`, `contract_number` or the `organisation` a person belongs to; fields left out stay, null clears (staff). 400 for an organisation that is unknown or not one, 409 for a taken e-mail or contract number",
    params(CustomerPath),
    request_body = CustomerEditBody,
    responses((status = 200, description = "the customer", body = Customer), DirectoryWrite))]
pub(crate) async fn update_customer(
    Caller { acting, .. }: Caller,
    Id(id): Id<CustomerId>,
    Body(body): Body<CustomerEditBody>,
) -> ApiResult<Json<Value>> {
    let mut edit = CustomerEdit::of(&acting.customer(id).await?);
    if let Some(name) = body.name {
        edit.name = name;
    }
    if let Some(email) = body.email {
        edit.email = email;
    }
    if let Some(phone) = body.phone {
        edit.phone = phone
            .map(|p| Phone::parse(&p))
            .transpose()
            .map_err(helpdesk::Error::from)?;
    }
    if let Some(language) = body.language {
        edit.language = language;
    }
    if let Some(address) = body.address {
        edit.address = address
            .map(|a| Address::parse(&a))
            .transpose()
            .map_err(helpdesk::Error::from)?;
    }
    if let Some(contract) = body.contract_number {
        edit.contract_number = contract;
    }
    if let Some(organisation) = body.organisation {
        edit.organisation = organisation;
    }
    Ok(Json(json!(acting.update_customer(id, edit).await?)))
}
