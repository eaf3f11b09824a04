//! The organisation parts of `/admin/customers/{id}` (issue 20): an organisation's mail
//! domains, and whether a member sees the organisation's tickets, each its own form
//! (`POST /admin/customers/{id}/domains`, `POST /admin/customers/{id}/organisation-tickets`).
//! Neither is shown on a store that keeps no organisations.

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use helpdesk::Error;
use helpdesk::domain::{Customer, CustomerId, CustomerKind, OrganisationDomain};
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageResult, see_other};
use super::customer_directory::edit_page;
use super::form::{Kept, admins_only, field, post_form, refused, text_field, tick_box, ticked};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The form ids.
const DOMAINS_FORM: &str = "customer-domains";
const FLAG_FORM: &str = "customer-organisation-tickets";

/// The routes of the two forms.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/customers/{id}/domains", post(save_domains))
        .route(
            "/admin/customers/{id}/organisation-tickets",
            post(save_flag),
        )
}

/// The form of `c`'s organisation part: the domains of an organisation, the flag of a
/// member; nothing for a person in no organisation or on a store without organisations.
pub async fn organisation_part(
    user: &PageUser,
    c: &Customer,
    kept: Kept<'_>,
) -> Result<Markup, ApiError> {
    let lang = user.language;
    let id = c.id;
    if c.kind == CustomerKind::Organisation {
        let domains = match user.acting.organisation_domains(id).await {
            Ok(d) => d,
            Err(Error::Unsupported { .. }) => return Ok(html! {}),
            Err(e) => return Err(e.into()),
        };
        let listed: Vec<&str> = domains.iter().map(OrganisationDomain::as_str).collect();
        return Ok(post_form(
            user,
            DOMAINS_FORM,
            &format!("/admin/customers/{id}/domains"),
            html! {
                (kept.error(DOMAINS_FORM, lang))
                (text_field(t(lang, "admin_domains"), "domains",
                    &kept.value(DOMAINS_FORM, "domains", listed.join(", ")), false))
                button { (t(lang, "admin_save")) }
            },
        ));
    }
    if c.organisation.is_none() {
        return Ok(html! {});
    }
    let sees = match user.acting.sees_organisation_tickets(id).await {
        Ok(sees) => sees,
        Err(Error::Unsupported { .. }) => return Ok(html! {}),
        Err(e) => return Err(e.into()),
    };
    Ok(post_form(
        user,
        FLAG_FORM,
        &format!("/admin/customers/{id}/organisation-tickets"),
        html! {
            (kept.error(FLAG_FORM, lang))
            (tick_box(t(lang, "admin_sees_organisation_tickets"), "sees",
                kept.ticked(FLAG_FORM, "sees", sees)))
            button { (t(lang, "admin_save")) }
        },
    ))
}

/// `POST /admin/customers/{id}/domains`: the domains typed, comma-separated.
async fn save_domains(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    admins_only(&user)?;
    let id: CustomerId = parse(&id)?;
    let result: Result<_, ApiError> = async {
        let domains = field(&form, "domains")
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(OrganisationDomain::parse)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(user.acting.set_organisation_domains(id, domains).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/customers/{id}"))),
        Err(e) => edit_page(&user, id, Some(&refused(e, DOMAINS_FORM, form)?)).await,
    }
}

/// `POST /admin/customers/{id}/organisation-tickets`: the box ticked or not.
async fn save_flag(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    admins_only(&user)?;
    let id: CustomerId = parse(&id)?;
    let sees = ticked(&form, "sees");
    match user.acting.set_sees_organisation_tickets(id, sees).await {
        Ok(()) => Ok(see_other(&format!("/admin/customers/{id}"))),
        Err(e) => edit_page(&user, id, Some(&refused(e.into(), FLAG_FORM, form)?)).await,
    }
}
