//! Organisations (issue 20): the mail domains an organisation owns, and whether a member
//! sees the organisation's tickets (staff set both; a customer reads their own flag).

use axum::Json;
use axum::Router;
use axum::routing::get;
use helpdesk::domain::{CustomerId, OrganisationDomain};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::openapi::answers::{DirectoryWrite, NotFound, Unsupported};
use crate::api::openapi::params::CustomerPath;
use crate::error::{ApiResult, Body};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The organisation routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/customers/{customer}/domains",
            get(organisation_domains).put(set_organisation_domains),
        )
        .route(
            "/customers/{customer}/organisation-tickets",
            get(sees_organisation_tickets).put(set_sees_organisation_tickets),
        )
}

/// An organisation's mail domains.
#[derive(Serialize, Deserialize, ToSchema)]
pub(crate) struct Domains {
    /// The domains (`hotel.example`), sorted; a person created with an address at one of
    /// them joins the organisation.
    domains: Vec<String>,
}

impl Domains {
    /// The answer for `domains`.
    fn of(domains: &[OrganisationDomain]) -> Json<Self> {
        Json(Self {
            domains: domains.iter().map(|d| d.as_str().to_owned()).collect(),
        })
    }
}

/// Whether a member sees the tickets of their whole organisation.
#[derive(Serialize, Deserialize, ToSchema)]
pub(crate) struct SeesOrganisationTickets {
    /// On: they list, read and reply to the tickets of every member of their organisation
    /// (public messages only).
    sees: bool,
}

/// An organisation's mail domains.
#[utoipa::path(get, path = "/api/v1/customers/{customer}/domains", tag = "directory",
    summary = "The mail domains an organisation owns (staff)",
    params(CustomerPath),
    responses((status = 200, description = "the domains", body = Domains), NotFound, Unsupported))]
pub(crate) async fn organisation_domains(
    Caller { acting, .. }: Caller,
    Id(id): Id<CustomerId>,
) -> ApiResult<Json<Domains>> {
    Ok(Domains::of(&acting.organisation_domains(id).await?))
}

/// Replaces an organisation's mail domains.
#[utoipa::path(put, path = "/api/v1/customers/{customer}/domains", tag = "directory",
    summary = "Replace the mail domains an organisation owns; a domain another organisation owns is a 409 (staff)",
    params(CustomerPath),
    request_body = Domains,
    responses((status = 200, description = "the domains now stored", body = Domains), DirectoryWrite, Unsupported))]
pub(crate) async fn set_organisation_domains(
    Caller { acting, .. }: Caller,
    Id(id): Id<CustomerId>,
    Body(body): Body<Domains>,
) -> ApiResult<Json<Domains>> {
    let typed = (body.domains.iter())
        .map(OrganisationDomain::parse)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Domains::of(
        &acting.set_organisation_domains(id, typed).await?,
    ))
}

/// Whether a member sees their organisation's tickets.
#[utoipa::path(get, path = "/api/v1/customers/{customer}/organisation-tickets", tag = "directory",
    summary = "Whether a member sees the tickets of their whole organisation (staff, or the customer)",
    params(CustomerPath),
    responses((status = 200, description = "the flag", body = SeesOrganisationTickets), NotFound, Unsupported))]
pub(crate) async fn sees_organisation_tickets(
    Caller { acting, .. }: Caller,
    Id(id): Id<CustomerId>,
) -> ApiResult<Json<SeesOrganisationTickets>> {
    let sees = acting.sees_organisation_tickets(id).await?;
    Ok(Json(SeesOrganisationTickets { sees }))
}

/// Lets a member see their organisation's tickets, or stops it.
#[utoipa::path(put, path = "/api/v1/customers/{customer}/organisation-tickets", tag = "directory",
    summary = "Let a member see (list, read, reply to) the tickets of their whole organisation, or stop it (staff)",
    params(CustomerPath),
    request_body = SeesOrganisationTickets,
    responses((status = 200, description = "the flag now", body = SeesOrganisationTickets), NotFound, Unsupported))]
pub(crate) async fn set_sees_organisation_tickets(
    Caller { acting, .. }: Caller,
    Id(id): Id<CustomerId>,
    Body(body): Body<SeesOrganisationTickets>,
) -> ApiResult<Json<SeesOrganisationTickets>> {
    acting.set_sees_organisation_tickets(id, body.sees).await?;
    Ok(Json(SeesOrganisationTickets { sees: body.sees }))
}
