//! `/admin/agents`: the agents, new ones (with a login or without), and each agent's page:
//! role, departments and the permissions in each, signature, login, and disabling (which
//! revokes their sessions and tokens) or enabling again.

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use helpdesk::domain::{
    Actor, Agent, AgentId, Department, Email, Language, Name, Permission, PermissionSet, Role,
    Signature, standard_permissions,
};
use helpdesk::service::NewAgent;
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageResult, see_other};
use super::form::{
    Kept, Refused, admin_page, admins_only, field, login_fields, login_name, post_form, refused,
    text_field, tick_box, ticked, typed_login,
};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The agent routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/agents", get(agents).post(create))
        .route("/admin/agents/{id}", get(agent).post(update))
        .route("/admin/agents/{id}/login", post(set_login))
        .route("/admin/agents/{id}/active", post(set_active))
        .route("/admin/agents/{id}/signature", post(set_signature))
}

/// The word of a role.
fn role_word(lang: Language, role: Role) -> &'static str {
    match role {
        Role::Admin => t(lang, "role_admin"),
        Role::Supervisor => t(lang, "role_supervisor"),
        Role::Agent => t(lang, "role_agent"),
    }
}

/// The word of a permission.
fn permission_word(lang: Language, permission: Permission) -> &'static str {
    match permission {
        Permission::Read => t(lang, "perm_read"),
        Permission::Reply => t(lang, "perm_reply"),
        Permission::Note => t(lang, "perm_note"),
        Permission::Assign => t(lang, "perm_assign"),
        Permission::ChangePriority => t(lang, "perm_change_priority"),
        Permission::RaisePriority => t(lang, "perm_raise_priority"),
        Permission::Edit => t(lang, "perm_edit"),
        Permission::Close => t(lang, "perm_close"),
    }
}

/// A choice of role, `current` selected.
fn role_select(lang: Language, current: &str) -> Markup {
    html! {
        label { (t(lang, "admin_role")) " "
            select name="role" {
                @for role in Role::ALL {
                    option value=(role.as_str()) selected[role.as_str() == current] { (role_word(lang, role)) }
                }
            }
        }
    }
}

async fn agents(user: PageUser) -> PageResult {
    list(&user, None).await
}

/// The list of agents and the form of a new one, with `refused` shown inline.
async fn list(user: &PageUser, refused: Option<&Refused>) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let agents = user.acting.agents().await?;
    let departments = user.acting.departments().await?;
    let id = "new-agent";
    let body = html! {
        @for a in &agents {
            section.card {
                h2 { a href={ "/admin/agents/" (a.id) } { (a.name) } }
                p.meta {
                    (a.email.as_str()) " · " (role_word(lang, a.role))
                    @if !a.active { " · " (t(lang, "admin_disabled")) }
                }
                p { @for d in departments.iter().filter(|d| a.departments.contains_key(&d.id)) { (d.name) " " } }
            }
        }
        h2 { (t(lang, "admin_new_agent")) }
        (post_form(user, id, "/admin/agents", html! {
            (kept.error(id, lang))
            (text_field(t(lang, "admin_name"), "name", &kept.value(id, "name", ""), true))
            (text_field(t(lang, "admin_email"), "email", &kept.value(id, "email", ""), true))
            (role_select(lang, &kept.value(id, "role", "agent")))
            fieldset {
                legend { (t(lang, "admin_departments")) }
                @for d in departments.iter().filter(|d| d.active) {
                    @let name = format!("department_{}", d.id);
                    (tick_box(d.name.as_str(), &name, kept.ticked(id, &name, false)))
                }
            }
            p.meta { (t(lang, "admin_login_optional")) }
            (login_fields(lang, kept, id, ""))
            button { (t(lang, "admin_add")) }
        }))
    };
    admin_page(user, "admin_agents", refused, body)
}

/// Adds an agent (with the standard permissions in each department ticked) and, when
/// typed, their login; the login is checked before anything is written.
async fn create(State(state): State<AppState>, Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> = async {
        let role: Role = parse(field(&form, "role"))?;
        let mut new = NewAgent::new(
            Name::parse(field(&form, "name"))?,
            Email::parse(field(&form, "email"))?,
            role,
        );
        for d in user.acting.departments().await? {
            if ticked(&form, &format!("department_{}", d.id)) {
                new = new.in_department(d.id, standard_permissions());
            }
        }
        let login = typed_login(&state, &form).await?;
        let agent = user.acting.create_agent(new).await?;
        if let Some((name, hash)) = login {
            user.acting
                .set_login(Actor::Agent(agent.id), name, hash)
                .await?;
        }
        Ok(agent)
    }
    .await;
    match result {
        Ok(agent) => Ok(see_other(&format!("/admin/agents/{}", agent.id))),
        Err(e) => list(&user, Some(&refused(e, "new-agent", form)?)).await,
    }
}

async fn agent(Path(id): Path<String>, user: PageUser) -> PageResult {
    let id: AgentId = parse(&id)?;
    page(&user, id, None).await
}

/// The form of an agent's role, departments and permissions in each.
fn membership_form(
    user: &PageUser,
    agent: &Agent,
    departments: &[Department],
    kept: Kept<'_>,
) -> Markup {
    let lang = user.language;
    let id = "membership";
    post_form(
        user,
        id,
        &format!("/admin/agents/{}", agent.id),
        html! {
            (kept.error(id, lang))
            (role_select(lang, &kept.value(id, "role", agent.role.as_str())))
            p.meta { (t(lang, "admin_permissions_hint")) }
            @for d in departments.iter().filter(|d| d.active || agent.departments.contains_key(&d.id)) {
                @let held = agent.departments.get(&d.id);
                fieldset {
                    legend {
                        @let member = format!("member_{}", d.id);
                        (tick_box(d.name.as_str(), &member, kept.ticked(id, &member, held.is_some())))
                    }
                    @for p in Permission::ALL {
                        @let name = format!("perm_{}_{}", d.id, p);
                        @let has = held.map_or_else(|| standard_permissions().contains(&p), |set| set.contains(&p));
                        (tick_box(permission_word(lang, p), &name, kept.ticked(id, &name, has)))
                    }
                }
            }
            button { (t(lang, "admin_save")) }
        },
    )
}

/// An agent's page, with `refused` shown inline.
async fn page(user: &PageUser, id: AgentId, refused: Option<&Refused>) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let agent = user.acting.agent(id).await?;
    let departments = user.acting.departments().await?;
    let login = login_name(user, Actor::Agent(id)).await?;
    let body = html! {
        h2 { (agent.name) }
        p.meta {
            (agent.email.as_str()) " · "
            @if agent.active { (t(lang, "admin_enabled")) } @else { (t(lang, "admin_disabled")) }
        }
        h3 { (t(lang, "admin_role_and_departments")) }
        (membership_form(user, &agent, &departments, kept))
        h3 { (t(lang, "admin_signature")) }
        (post_form(user, "signature", &format!("/admin/agents/{id}/signature"), html! {
            (kept.error("signature", lang))
            textarea name="signature" { (kept.value("signature", "signature", agent.signature.as_str())) }
            button { (t(lang, "admin_save")) }
        }))
        h3 { (t(lang, "admin_login")) }
        p.meta { @match &login { Some(l) => (l), None => (t(lang, "admin_no_login")) } }
        (post_form(user, "login", &format!("/admin/agents/{id}/login"), html! {
            (kept.error("login", lang))
            (login_fields(lang, kept, "login", login.as_deref().unwrap_or_default()))
            button { (t(lang, "admin_set_login")) }
        }))
        (super::links::section(user, "link", &format!("/admin/agents/{id}/link"), login.is_some()))
        h3 { (t(lang, "admin_access")) }
        (post_form(user, "active", &format!("/admin/agents/{id}/active"), html! {
            (kept.error("active", lang))
            input type="hidden" name="enabled" value=(!agent.active);
            @if agent.active {
                p.meta { (t(lang, "admin_disable_hint")) }
                button { (t(lang, "admin_disable")) }
            } @else {
                button { (t(lang, "admin_enable")) }
            }
        }))
    };
    admin_page(user, "admin_agents", refused, body)
}

/// The departments and permissions ticked on the membership form.
fn memberships(
    form: &HashMap<String, String>,
    departments: &[Department],
) -> BTreeMap<helpdesk::domain::DepartmentId, PermissionSet> {
    departments
        .iter()
        .filter(|d| ticked(form, &format!("member_{}", d.id)))
        .map(|d| {
            let set = Permission::ALL
                .into_iter()
                .filter(|p| ticked(form, &format!("perm_{}_{}", d.id, p)))
                .collect();
            (d.id, set)
        })
        .collect()
}

/// Sets an agent's role, departments and permissions.
async fn update(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id: AgentId = parse(&id)?;
    let result: Result<_, ApiError> = async {
        let agent = user.acting.agent(id).await?;
        let role: Role = parse(field(&form, "role"))?;
        let departments = memberships(&form, &user.acting.departments().await?);
        Ok(user
            .acting
            .update_agent(id, role, departments, agent.active)
            .await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/agents/{id}"))),
        Err(e) => page(&user, id, Some(&refused(e, "membership", form)?)).await,
    }
}

/// Sets an agent's login and password.
async fn set_login(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { user, form }: Posted,
) -> PageResult {
    let id: AgentId = parse(&id)?;
    let result: Result<_, ApiError> = async {
        let (name, hash) = match typed_login(&state, &form).await? {
            Some(login) => login,
            None => {
                return Err(
                    helpdesk::error::ValidationError::new("login", "must not be empty").into(),
                );
            }
        };
        Ok(user.acting.set_login(Actor::Agent(id), name, hash).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/agents/{id}"))),
        Err(e) => page(&user, id, Some(&refused(e, "login", form)?)).await,
    }
}

/// Disables an agent (revoking their sessions and tokens) or enables them again.
async fn set_active(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id: AgentId = parse(&id)?;
    let result: Result<_, ApiError> = async {
        if field(&form, "enabled") == "true" {
            let agent = user.acting.agent(id).await?;
            Ok(user
                .acting
                .update_agent(id, agent.role, agent.departments, true)
                .await?)
        } else {
            Ok(user.acting.disable_agent(id).await?)
        }
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/agents/{id}"))),
        Err(e) => page(&user, id, Some(&refused(e, "active", form)?)).await,
    }
}

/// Sets an agent's signature.
async fn set_signature(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id: AgentId = parse(&id)?;
    let result: Result<_, ApiError> = async {
        let signature = Signature::parse(form.get("signature").map_or("", String::as_str))?;
        Ok(user.acting.set_signature(id, signature).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/agents/{id}"))),
        Err(e) => page(&user, id, Some(&refused(e, "signature", form)?)).await,
    }
}
