//! The admin page: the desk's public URL, departments, agents and their signatures,
//! customers and their access.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use helpdesk::Error;
use helpdesk::domain::{AgentId, ContractNumber, CustomerId, Email, Name, PublicUrl, Signature};
use helpdesk::policy::FollowUpPolicy;
use helpdesk::search::CustomerLookup;
use maud::html;

use super::layout::{csrf_input, layout};
use super::{PageResult, see_other};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The admin routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(admin))
        .route("/admin/settings", post(admin_settings))
        .route("/admin/departments", post(admin_department))
        .route("/admin/agents/{id}/signature", post(admin_signature))
        .route("/admin/customers/{id}/access", post(admin_access))
}

/// `/admin`: the desk's public URL, departments, agents and their signatures, and customers
/// looked up.
async fn admin(user: PageUser, Query(query): Query<HashMap<String, String>>) -> PageResult {
    let acting = &user.acting;
    // Admins see the settings; a store without them says so; agents who are no admins see
    // no settings at all. Other errors are the page's.
    let settings = match acting.settings().await {
        Ok(settings) => Some(Some(settings)),
        Err(Error::Unsupported { .. }) => Some(None),
        Err(Error::Forbidden { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let departments = acting.departments().await?;
    let agents = acting.agents().await?;
    let by = query.get("by").map(String::as_str).unwrap_or("email");
    let q = query
        .get("q")
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    let customers = if q.is_empty() {
        Vec::new()
    } else {
        let lookup = match by {
            "phone" => CustomerLookup::phone(&q),
            "contract" => ContractNumber::parse(&q).map(CustomerLookup::ContractNumber),
            "address" => CustomerLookup::address(&q),
            _ => Email::parse(&q).map(CustomerLookup::Email),
        }
        .map_err(ApiError::from)?;
        acting.find_customers(&lookup).await?
    };
    let dept_name = |id| {
        departments
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.name.to_string())
            .unwrap_or_default()
    };
    let body = html! {
        h1 { "Admin" }
        @if settings.is_some() { h2 { "Settings" } }
        @match &settings {
            None => {}
            Some(Some(settings)) => {
                form #settings method="post" action="/admin/settings" {
                    (csrf_input(&user))
                    label {
                        "Public URL (every link the desk sends starts with it; https unless http:// is written) "
                        input type="text" name="public_url" placeholder="https://help.example.com/"
                            value=(settings.public_url.as_ref().map(PublicUrl::as_str).unwrap_or_default());
                    }
                    button { "Save" }
                }
                @if settings.public_url.is_none() {
                    p.meta { "No public URL is set: e-mails carry no links, and canned responses with {{ticket_link}} are refused." }
                }
            }
            Some(None) => p.meta { "This store keeps no settings." },
        }
        h2 { "Departments" }
        table #departments {
            tr { th { "Name" } th { "Active" } th { "Follow-ups" } }
            @for d in &departments {
                tr { td { (d.name) } td { (d.active) } td { (format!("{:?}", d.follow_up)) } }
            }
        }
        form method="post" action="/admin/departments" {
            (csrf_input(&user))
            input type="text" name="name" placeholder="New department" required;
            button { "Add" }
        }
        h2 { "Agents" }
        table #agents {
            tr { th { "Name" } th { "E-mail" } th { "Role" } th { "Departments" } th { "Active" } th { "Signature" } }
            @for a in &agents {
                tr {
                    td { (a.name) }
                    td { (a.email.as_str()) }
                    td { (format!("{:?}", a.role)) }
                    td { @for d in a.departments.keys() { (dept_name(*d)) " " } }
                    td { (a.active) }
                    td {
                        form method="post" action={ "/admin/agents/" (a.id) "/signature" } {
                            (csrf_input(&user))
                            textarea name="signature" { (a.signature) }
                            button { "Save" }
                        }
                    }
                }
            }
        }
        h2 { "Customers" }
        form method="get" action="/admin" {
            select name="by" {
                @for (value, label) in [("email", "E-mail"), ("phone", "Phone"), ("contract", "Contract"), ("address", "Address (% pattern)")] {
                    option value=(value) selected[by == value] { (label) }
                }
            }
            input type="text" name="q" value=(q);
            button { "Look up" }
        }
        table #customers {
            @for c in &customers {
                tr {
                    td { (c.name) }
                    td { (c.email.as_ref().map(|e| e.as_str()).unwrap_or_default()) }
                    td { (c.phone.as_ref().map(|p| p.as_str()).unwrap_or_default()) }
                    td { @if c.access_enabled { "access enabled" } @else { "access disabled" } }
                    td {
                        form method="post" action={ "/admin/customers/" (c.id) "/access" } {
                            (csrf_input(&user))
                            input type="hidden" name="enabled" value=(!c.access_enabled);
                            button { @if c.access_enabled { "Disable access" } @else { "Enable access" } }
                        }
                    }
                }
            }
        }
    };
    Ok(layout("Admin", Some(&user), body).into_response())
}

/// Sets the desk's public URL; an empty field unsets it.
async fn admin_settings(Posted { user, form }: Posted) -> PageResult {
    let typed = form.get("public_url").map(|s| s.trim()).unwrap_or_default();
    let url = if typed.is_empty() {
        None
    } else {
        Some(PublicUrl::parse(typed).map_err(ApiError::from)?)
    };
    user.acting.set_public_url(url).await?;
    Ok(see_other("/admin"))
}

/// Adds a department.
async fn admin_department(Posted { user, form }: Posted) -> PageResult {
    let name = Name::parse(form.get("name").map(String::as_str).unwrap_or_default())
        .map_err(ApiError::from)?;
    user.acting
        .create_department(name, FollowUpPolicy::Reopen)
        .await?;
    Ok(see_other("/admin"))
}

/// Sets an agent's signature.
async fn admin_signature(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id: AgentId = parse(&id)?;
    let signature = Signature::parse(
        form.get("signature")
            .map(String::as_str)
            .unwrap_or_default(),
    )
    .map_err(ApiError::from)?;
    user.acting.set_signature(id, signature).await?;
    Ok(see_other("/admin"))
}

/// Enables or disables a customer's access.
async fn admin_access(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id: CustomerId = parse(&id)?;
    let enabled = form.get("enabled").is_some_and(|v| v == "true");
    user.acting.set_customer_access(id, enabled).await?;
    Ok(see_other("/admin"))
}
