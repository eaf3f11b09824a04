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
use utoipa::{IntoParams, ToSchema};

use super::super::{created, items};
use crate::api::openapi::answers::{DirectoryWrite, NotFound};
use crate::api::openapi::directory::{Agent, Customer, Department};
use crate::api::openapi::model;
use crate::api::openapi::params::{AgentPath, CustomerPath, DepartmentPath};
use crate::api::openapi::templates::{
    CannedResponse, CannedResponseList, TemplateList, TicketTemplate,
};
use crate::api::openapi::views::LoginSet;
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

/// The body of `PUT /departments/{department}`: fields left out stay.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DepartmentBody {
    /// A new name (1–200 characters).
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    name: Option<Name>,
    /// What a customer's reply to a closed ticket does.
    #[schema(value_type = Option<model::FollowUpPolicy>)]
    follow_up: Option<FollowUpPolicy>,
    /// Whether it takes new tickets.
    active: Option<bool>,
}

/// Edits a department.
#[utoipa::path(put, path = "/api/v1/departments/{department}", tag = "directory",
    summary = "Rename a department, change its follow-up policy (`follow_up`) or (de)activate it (`active`); fields left out stay (admins)",
    params(DepartmentPath),
    request_body = DepartmentBody,
    responses((status = 200, description = "the department", body = Department), DirectoryWrite))]
pub(crate) async fn update_department(
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
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginBody {
    /// The login name.
    login: String,
    /// The password (at most 1024 bytes).
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

/// The body of `POST /agents`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewAgentBody {
    /// Their name (1–200 characters).
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    name: Name,
    /// Their e-mail address.
    #[schema(value_type = String, format = Email)]
    email: Email,
    /// Their role (`agent` by default).
    #[serde(default = "agent_role")]
    #[schema(value_type = model::Role)]
    role: Role,
    /// Their departments, each with the standard permissions.
    #[serde(default)]
    #[schema(value_type = Vec<Uuid>)]
    departments: Vec<DepartmentId>,
    /// A login to sign in with.
    #[serde(default)]
    login: Option<LoginBody>,
}

fn agent_role() -> Role {
    Role::Agent
}

/// Adds an agent.
#[utoipa::path(post, path = "/api/v1/agents", tag = "directory",
    summary = "Add an agent, optionally with a login (admins)",
    request_body = NewAgentBody,
    responses((status = 201, description = "the agent", body = Agent), DirectoryWrite))]
pub(crate) async fn create_agent(
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

/// The body of `PUT /agents/{agent}`: fields left out stay.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AgentBody {
    /// Their role.
    #[schema(value_type = Option<model::Role>)]
    role: Option<Role>,
    /// Their departments (replacing the old), each with the standard permissions.
    #[schema(value_type = Option<Vec<Uuid>>)]
    departments: Option<Vec<DepartmentId>>,
    /// Whether they may sign in and work; deactivating revokes their sessions and tokens.
    active: Option<bool>,
}

/// Edits an agent.
#[utoipa::path(put, path = "/api/v1/agents/{agent}", tag = "directory",
    summary = "Change an agent's `role`, `departments` or `active`; deactivating revokes their sessions and tokens (admins)",
    params(AgentPath),
    request_body = AgentBody,
    responses((status = 200, description = "the agent", body = Agent), DirectoryWrite))]
pub(crate) async fn update_agent(
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

/// Sets an agent's login.
#[utoipa::path(put, path = "/api/v1/agents/{agent}/login", tag = "directory",
    summary = "Set an agent's `login` and `password` (admins, or the agent themselves: a password change)",
    params(AgentPath),
    request_body = LoginBody,
    responses((status = 200, description = "the login", body = LoginSet), DirectoryWrite))]
pub(crate) async fn agent_login(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
    Id(id): Id<AgentId>,
    Body(body): Body<LoginBody>,
) -> ApiResult<Json<Value>> {
    set_login(&state, &acting, Actor::Agent(id), &body).await
}

/// Sets a customer's login.
#[utoipa::path(put, path = "/api/v1/customers/{customer}/login", tag = "directory",
    summary = "Set a customer's `login` and `password` (admins, or the customer themselves)",
    params(CustomerPath),
    request_body = LoginBody,
    responses((status = 200, description = "the login", body = LoginSet), DirectoryWrite))]
pub(crate) async fn customer_login(
    State(state): State<AppState>,
    Caller { acting, .. }: Caller,
    Id(id): Id<CustomerId>,
    Body(body): Body<LoginBody>,
) -> ApiResult<Json<Value>> {
    set_login(&state, &acting, Actor::Customer(id), &body).await
}

/// The body of `POST /customers`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewCustomerBody {
    /// A person or an organisation.
    #[schema(value_type = model::CustomerKind)]
    kind: CustomerKind,
    /// Their name (1–200 characters).
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    name: Name,
    /// Their e-mail address.
    #[schema(value_type = Option<String>, format = Email)]
    email: Option<Email>,
    /// Their phone number.
    phone: Option<String>,
    /// Their contract number (1–64 characters).
    #[schema(value_type = Option<String>, min_length = 1, max_length = 64)]
    contract_number: Option<ContractNumber>,
    /// Their address (1–500 characters).
    address: Option<String>,
    /// The language the desk writes to them in.
    #[schema(value_type = Option<model::Language>)]
    language: Option<Language>,
    /// The organisation a person belongs to (a customer of kind organisation).
    #[schema(value_type = Option<uuid::Uuid>)]
    organisation: Option<CustomerId>,
}

/// Adds a customer.
#[utoipa::path(post, path = "/api/v1/customers", tag = "directory",
    summary = "Add a customer (staff)",
    request_body = NewCustomerBody,
    responses((status = 201, description = "the customer", body = Customer), DirectoryWrite))]
pub(crate) async fn create_customer(
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
    if let Some(o) = body.organisation {
        new = new.with_organisation(o);
    }
    Ok(created(acting.create_customer(new).await?))
}

/// The ticket templates.
#[utoipa::path(get, path = "/api/v1/templates", tag = "templates", summary = "The ticket templates",
    responses((status = 200, description = "the templates", body = TemplateList)))]
pub(crate) async fn templates(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(items(acting.templates().await?))
}

/// The body of `POST /templates`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TemplateBody {
    /// Its name (1–200 characters).
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub(crate) name: Name,
    /// The department of the tickets it opens.
    #[schema(value_type = Uuid)]
    pub(crate) department: DepartmentId,
    /// Their type.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub(crate) ticket_type: TicketType,
    /// What their subjects start with (1–200 characters).
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub(crate) subject_prefix: Option<Name>,
    /// Their priority.
    #[schema(value_type = Option<model::Priority>)]
    pub(crate) priority: Option<Priority>,
    /// The custom fields a ticket from it must fill in.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub(crate) required_fields: Vec<FieldKey>,
    /// The first message's text.
    #[schema(value_type = String, min_length = 1, max_length = 100000)]
    pub(crate) body: MessageBody,
}

/// Adds a ticket template.
#[utoipa::path(post, path = "/api/v1/templates", tag = "templates",
    summary = "Add a ticket template (admins)",
    request_body = TemplateBody,
    responses((status = 201, description = "the template", body = TicketTemplate), DirectoryWrite))]
pub(crate) async fn create_template(
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

/// The query of `GET /canned-responses`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CannedQuery {
    /// The department (its own and the general ones; none: the general ones).
    #[param(value_type = Option<Uuid>)]
    department: Option<DepartmentId>,
    /// Only those in this language.
    #[param(value_type = Option<model::Language>)]
    language: Option<Language>,
}

/// The canned responses.
#[utoipa::path(get, path = "/api/v1/canned-responses", tag = "templates",
    summary = "The canned responses of a `department` (its own and the general ones) in a `language` (staff)",
    params(CannedQuery),
    responses((status = 200, description = "the canned responses", body = CannedResponseList), NotFound))]
pub(crate) async fn canned_responses(
    Caller { acting, .. }: Caller,
    Query(q): Query<CannedQuery>,
) -> ApiResult<Json<Value>> {
    Ok(items(
        acting.canned_responses(q.department, q.language).await?,
    ))
}

/// The body of `POST /canned-responses`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CannedBody {
    /// Its name (1–200 characters).
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub(crate) name: Name,
    /// Its language.
    #[schema(value_type = model::Language)]
    pub(crate) language: Language,
    /// Its department (none: every one).
    #[schema(value_type = Option<Uuid>)]
    pub(crate) department: Option<DepartmentId>,
    /// The text, with placeholders.
    #[schema(value_type = String, min_length = 1, max_length = 100000)]
    pub(crate) body: MessageBody,
}

/// Adds a canned response.
#[utoipa::path(post, path = "/api/v1/canned-responses", tag = "templates",
    summary = "Add a canned response: `name`, `language`, `department` (none: every one), `body` with placeholders (staff)",
    request_body = CannedBody,
    responses((status = 201, description = "the canned response", body = CannedResponse), DirectoryWrite))]
pub(crate) async fn create_canned_response(
    Caller { acting, .. }: Caller,
    Body(body): Body<CannedBody>,
) -> ApiResult<Response> {
    let response = acting
        .create_canned_response(body.department, body.name, body.language, body.body)
        .await?;
    Ok(created(response))
}
