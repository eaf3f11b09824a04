//! The directory through the API: departments renamed and re-ruled, agents and customers
//! added and edited (deactivating revokes their sessions and tokens), logins set (admins for
//! anyone, a person for themselves: a password change), ticket templates and canned
//! responses.

use std::collections::BTreeMap;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post, put};
use helpdesk::domain::{
    Actor, Address, AgentId, ContractNumber, CustomerId, CustomerKind, DepartmentId, Email,
    FieldKey, Language, LoginName, MessageBody, Name, Phone, Priority, Role, TicketType,
    standard_permissions,
};
use helpdesk::policy::FollowUpPolicy;
use helpdesk::service::{NewAgent, NewCustomer, TemplateDraft};
use serde::Deserialize;
use serde_json::{Value, json};

use super::super::{created, items};
use crate::error::{ApiResult, Body, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The longest password accepted, in bytes.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// The directory routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/departments/{department}", put(update_department))
        .route("/agents", post(create_agent))
        .route("/agents/{agent}", put(update_agent))
        .route("/agents/{agent}/login", put(agent_login))
        .route("/customers", post(create_customer))
        .route("/customers/{customer}/login", put(customer_login))
        .route("/templates", get(templates).post(create_template))
        .route(
            "/canned-responses",
            get(canned_responses).post(create_canned_response),
        )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartmentBody {
    name: Option<Name>,
    follow_up: Option<FollowUpPolicy>,
    active: Option<bool>,
}

async fn update_department(
    Caller { acting, .. }: Caller,
    Id(id): Id<DepartmentId>,
    Body(body): Body<DepartmentBody>,
) -> ApiResult<Json<Value>> {
    let old = acting.departments().await?.into_iter().find(|d| d.id == id);
    let old = match old {
        Some(d) => d,
        None => {
            return Err(helpdesk::Error::not_found(helpdesk::error::Entity::Department, id).into());
        }
    };
    let department = acting
        .update_department(
            id,
            body.name.unwrap_or(old.name),
            body.follow_up.unwrap_or(old.follow_up),
            body.active.unwrap_or(old.active),
        )
        .await?;
    Ok(Json(json!(department)))
}

/// A login and password, checked before anything is written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    login: String,
    password: String,
}

/// The login name and the password hashed, or a validation error.
async fn checked_login(
    state: &AppState,
    body: &LoginBody,
) -> ApiResult<(LoginName, helpdesk::domain::PasswordHash)> {
    let name = LoginName::parse(&body.login).map_err(helpdesk::Error::from)?;
    if body.password.len() > MAX_PASSWORD_BYTES {
        return Err(helpdesk::Error::validation("password", "at most 1024 bytes").into());
    }
    let hash = state.accounts.hash_password(&body.password).await?;
    Ok((name, hash))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAgentBody {
    name: Name,
    email: Email,
    #[serde(default = "agent_role")]
    role: Role,
    #[serde(default)]
    departments: Vec<DepartmentId>,
    #[serde(default)]
    login: Option<LoginBody>,
}

fn agent_role() -> Role {
    Role::Agent
}

async fn create_agent(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
    Body(body): Body<NewAgentBody>,
) -> ApiResult<Response> {
    let mut new = NewAgent::new(body.name, body.email, body.role);
    for department in body.departments {
        new = new.in_department(department, standard_permissions());
    }
    let login = match &body.login {
        Some(l) => Some(checked_login(&state, l).await?),
        None => None,
    };
    let agent = acting.create_agent(new).await?;
    if let Some((name, hash)) = login {
        acting.set_login(Actor::Agent(agent.id), name, hash).await?;
    }
    Ok(created(agent))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgentBody {
    role: Option<Role>,
    departments: Option<Vec<DepartmentId>>,
    active: Option<bool>,
}

async fn update_agent(
    Caller { acting, .. }: Caller,
    Id(id): Id<AgentId>,
    Body(body): Body<AgentBody>,
) -> ApiResult<Json<Value>> {
    let agent = acting.agent(id).await?;
    let departments = match body.departments {
        Some(list) => list
            .into_iter()
            .map(|d| (d, standard_permissions()))
            .collect::<BTreeMap<_, _>>(),
        None => agent.departments,
    };
    let agent = acting
        .update_agent(
            id,
            body.role.unwrap_or(agent.role),
            departments,
            body.active.unwrap_or(agent.active),
        )
        .await?;
    Ok(Json(json!(agent)))
}

async fn set_login(
    state: &AppState,
    acting: &helpdesk::service::Acting,
    actor: Actor,
    body: &LoginBody,
) -> ApiResult<Json<Value>> {
    let (name, hash) = checked_login(state, body).await?;
    let login = acting.set_login(actor, name, hash).await?;
    Ok(Json(json!({"login": login.name.as_str(), "actor": actor})))
}

async fn agent_login(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
    Id(id): Id<AgentId>,
    Body(body): Body<LoginBody>,
) -> ApiResult<Json<Value>> {
    set_login(&state, &acting, Actor::Agent(id), &body).await
}

async fn customer_login(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
    Id(id): Id<CustomerId>,
    Body(body): Body<LoginBody>,
) -> ApiResult<Json<Value>> {
    set_login(&state, &acting, Actor::Customer(id), &body).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewCustomerBody {
    kind: CustomerKind,
    name: Name,
    email: Option<Email>,
    phone: Option<String>,
    contract_number: Option<ContractNumber>,
    address: Option<String>,
    language: Option<Language>,
}

async fn create_customer(
    Caller { acting, .. }: Caller,
    Body(body): Body<NewCustomerBody>,
) -> ApiResult<Response> {
    let mut new = NewCustomer::new(body.kind, body.name);
    if let Some(e) = body.email {
        new = new.with_email(e);
    }
    if let Some(p) = body.phone {
        new = new.with_phone(Phone::parse(&p).map_err(helpdesk::Error::from)?);
    }
    if let Some(c) = body.contract_number {
        new = new.with_contract_number(c);
    }
    if let Some(a) = body.address {
        new = new.with_address(Address::parse(&a).map_err(helpdesk::Error::from)?);
    }
    if let Some(l) = body.language {
        new = new.with_language(l);
    }
    Ok(created(acting.create_customer(new).await?))
}

async fn templates(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(items(acting.templates().await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateBody {
    name: Name,
    department: DepartmentId,
    #[serde(default)]
    ticket_type: TicketType,
    subject_prefix: Option<Name>,
    priority: Option<Priority>,
    #[serde(default)]
    required_fields: Vec<FieldKey>,
    body: MessageBody,
}

async fn create_template(
    Caller { acting, .. }: Caller,
    Body(body): Body<TemplateBody>,
) -> ApiResult<Response> {
    let draft = TemplateDraft {
        name: body.name,
        ticket_type: body.ticket_type,
        subject_prefix: body.subject_prefix,
        department: body.department,
        priority: body.priority,
        categories: Default::default(),
        required_fields: body.required_fields,
        body: body.body,
    };
    Ok(created(acting.create_template(draft).await?))
}

#[derive(Deserialize)]
struct CannedQuery {
    department: Option<DepartmentId>,
    language: Option<Language>,
}

async fn canned_responses(
    Caller { acting, .. }: Caller,
    Query(q): Query<CannedQuery>,
) -> ApiResult<Json<Value>> {
    Ok(items(
        acting.canned_responses(q.department, q.language).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CannedBody {
    name: Name,
    language: Language,
    department: Option<DepartmentId>,
    body: MessageBody,
}

async fn create_canned_response(
    Caller { acting, .. }: Caller,
    Body(body): Body<CannedBody>,
) -> ApiResult<Response> {
    let response = acting
        .create_canned_response(body.department, body.name, body.language, body.body)
        .await?;
    Ok(created(response))
}
