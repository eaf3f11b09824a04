//! Customers: look them up (by contract, phone, e-mail or address pattern), read one, and
//! enable or disable their access (admins).

use axum::Json;
use axum::Router;
use axum::routing::{get, put};
use helpdesk::domain::{ContractNumber, CustomerId, Email};
use helpdesk::search::CustomerLookup;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::items;
use crate::api::openapi::answers::NotFound;
use crate::api::openapi::directory::{Customer, CustomerList};
use crate::api::openapi::params::CustomerPath;
use crate::error::{ApiError, ApiResult, Body, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The customer routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers", get(find_customers))
        .route("/customers/{customer}", get(customer))
        .route("/customers/{customer}/access", put(customer_access))
}

/// The look-up of `GET /customers`: one of these (the first given counts).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CustomerQuery {
    /// A contract number.
    contract: Option<String>,
    /// A phone number.
    phone: Option<String>,
    /// An e-mail address.
    email: Option<String>,
    /// An address pattern (`%` for any text).
    address: Option<String>,
}

/// Looks customers up.
#[utoipa::path(get, path = "/api/v1/customers", tag = "directory",
    summary = "Look customers up by contract, phone, email or address pattern (%); one is required (400)",
    params(CustomerQuery),
    responses((status = 200, description = "the customers", body = CustomerList)))]
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
        return Err(ApiError::bad_request(
            "give one of contract, phone, email or address",
        ));
    };
    Ok(items(acting.find_customers(&lookup).await?))
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
