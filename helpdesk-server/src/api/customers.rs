//! Customers: look them up (by contract, phone, e-mail or address pattern), read one, and
//! enable or disable their access (admins).

use axum::Json;
use axum::Router;
use axum::routing::{get, put};
use helpdesk::domain::{ContractNumber, CustomerId, Email};
use helpdesk::search::CustomerLookup;
use serde::Deserialize;
use serde_json::{Value, json};

use super::items;
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

#[derive(Deserialize)]
struct CustomerQuery {
    contract: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
}

async fn find_customers(
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

async fn customer(Caller { acting, .. }: Caller, Id(id): Id<CustomerId>) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.customer(id).await?)))
}

#[derive(Deserialize)]
struct AccessBody {
    enabled: bool,
}

async fn customer_access(
    Caller { acting, .. }: Caller,
    Id(id): Id<CustomerId>,
    Body(body): Body<AccessBody>,
) -> ApiResult<Json<Value>> {
    let customer = acting.set_customer_access(id, body.enabled).await?;
    Ok(Json(json!(customer)))
}
