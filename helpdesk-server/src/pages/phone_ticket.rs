//! Templates and canned responses in the agent's forms (issue 11), without script: the
//! agent's new-ticket (phone ticket) page at `/console/new`, where choosing a template
//! pre-fills the department, priority and body skeleton and asks for its required custom
//! fields; and, on the agent's ticket view, a list of canned responses whose `?canned=ID`
//! pre-fills the reply with its placeholders filled in.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::header::HOST;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use helpdesk::Helpdesk;
use helpdesk::domain::{
    Actor, CannedResponseId, Channel, ContractNumber, CustomFields, CustomerId, DepartmentId,
    Email, FieldValue, Language, MessageBody, Priority, Subject, TemplateId, Ticket,
    TicketTemplate, TicketType,
};
use helpdesk::machine::{Command, NewTicket};
use helpdesk::search::CustomerLookup;
use helpdesk::service::FromTemplate;
use maud::{Markup, html};

use super::AppState;
use super::auth::{self, PageUser};
use super::error::ApiError;
use super::pages::{PageError, Posted, layout};

/// The agent's new-ticket page and its form.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/new", get(new_ticket_page))
        .route("/console/tickets", post(create_ticket))
}

// ---------------------------------------------------------------------------------------------
// Canned responses on the agent's ticket view

/// What the ticket view was asked to insert (`?canned=ID`), and the address links in the
/// filled-in text point to.
pub struct CannedAsk {
    /// The canned response asked for.
    pub id: Option<String>,
    /// `http://HOST/tickets/`.
    pub link_base: String,
}

impl<S: Send + Sync> FromRequestParts<S> for CannedAsk {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let id = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|Query(q)| q.get("canned").cloned())
            .filter(|v| !v.trim().is_empty());
        let host = parts
            .headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1:8080");
        Ok(CannedAsk {
            id,
            link_base: format!("http://{host}/tickets/"),
        })
    }
}

/// The canned-response picker of a ticket view and the reply text it pre-fills.
#[derive(Default)]
pub struct Canned {
    /// The picker (empty for customers and where there are none).
    pub picker: Markup,
    /// The reply's starting text.
    pub text: String,
}

/// The canned responses for `ticket`'s department in the agent's language and the
/// customer's (all of them when none is in either), and the one `ask` names, filled in.
pub async fn canned(
    desk: &Helpdesk,
    user: &PageUser,
    ticket: &Ticket,
    ask: &CannedAsk,
) -> Result<Canned, ApiError> {
    if matches!(user.actor, Actor::Customer(_)) {
        return Ok(Canned::default());
    }
    let all = desk
        .canned_responses(user.actor, Some(ticket.department), None)
        .await?;
    let customer_language = match ticket.customer {
        Some(id) => desk
            .customer(Actor::System, id)
            .await
            .ok()
            .and_then(|c| c.language),
        None => None,
    };
    let wanted = |l: Language| l == user.language || Some(l) == customer_language;
    let mut shown: Vec<_> = all.iter().filter(|c| wanted(c.language)).collect();
    if shown.is_empty() {
        shown = all.iter().collect();
    }
    shown.sort_by_key(|c| (c.language != user.language, c.name.to_string()));
    let text = match &ask.id {
        Some(raw) => {
            let id: CannedResponseId = raw.parse()?;
            desk.fill_canned_response(user.actor, id, ticket.id, &ask.link_base)
                .await?
                .to_string()
        }
        None => String::new(),
    };
    let picker = if shown.is_empty() {
        html! {}
    } else {
        html! {
            form #canned method="get" action={ "/tickets/" (ticket.id) } {
                label { "Canned response " select name="canned" {
                    @for c in &shown {
                        option value=(c.id) selected[ask.id.as_deref() == Some(c.id.to_string().as_str())] {
                            (c.name) " (" (c.language.code()) ")"
                        }
                    }
                } }
                button type="submit" { "Insert into the reply" }
            }
        }
    };
    Ok(Canned { picker, text })
}

// ---------------------------------------------------------------------------------------------
// The agent's new-ticket (phone ticket) page

/// What the form holds: the fields typed so far, to show again with an error.
#[derive(Default)]
struct Draft {
    fields: HashMap<String, String>,
    error: Option<String>,
}

impl Draft {
    fn get(&self, key: &str) -> &str {
        self.fields.get(key).map(String::as_str).unwrap_or_default()
    }
}

async fn new_ticket_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let draft = Draft {
        fields: query,
        error: None,
    };
    form_page(&state.desk, &user, draft, StatusCode::OK).await
}

async fn form_page(
    desk: &Helpdesk,
    user: &PageUser,
    draft: Draft,
    status: StatusCode,
) -> Result<Response, PageError> {
    if matches!(user.actor, Actor::Customer(_)) {
        return Err(ApiError::from(helpdesk::Error::forbidden(
            helpdesk::error::ForbiddenReason::AgentsOnly,
        ))
        .into());
    }
    let departments = desk.departments(user.actor).await?;
    let templates = desk.templates(user.actor).await?;
    let chosen: Option<&TicketTemplate> = templates
        .iter()
        .find(|t| t.id.to_string() == draft.get("template"));
    // What the template fills in, unless the agent already changed it.
    let pick = |key: &str, from_template: Option<String>| -> String {
        match draft.fields.get(key) {
            Some(v) if !v.is_empty() => v.clone(),
            _ => from_template.unwrap_or_default(),
        }
    };
    let department = pick("department", chosen.map(|t| t.department.to_string()));
    let priority = pick(
        "priority",
        chosen.and_then(|t| t.priority.map(|p| p.as_str().to_owned())),
    );
    let ticket_type = pick(
        "ticket_type",
        chosen.map(|t| t.ticket_type.as_str().to_owned()),
    );
    let body_text = pick("body", chosen.map(|t| t.body.to_string()));
    let body = html! {
        h1 { "New phone ticket" }
        form #choose-template method="get" action="/console/new" {
            label { "Template " select name="template" {
                option value="" { "No template" }
                @for t in &templates {
                    option value=(t.id) selected[chosen.is_some_and(|c| c.id == t.id)] { (t.name) " (" (t.ticket_type.as_str()) ")" }
                }
            } }
            button type="submit" { "Use template" }
        }
        @if let Some(error) = &draft.error { p.error #form-error { (error) } }
        form #phone-ticket method="post" action="/console/tickets" {
            input type="hidden" name=(auth::CSRF_FIELD) value=(user.csrf);
            @if let Some(t) = chosen { input type="hidden" name="template" value=(t.id); }
            label { "Customer (e-mail, phone or contract number) "
                input type="text" name="customer" value=(draft.get("customer")); }
            label { "Subject " @if let Some(prefix) = chosen.and_then(|t| t.subject_prefix.as_ref()) { strong #subject-prefix { (prefix) ": " } }
                input type="text" name="subject" value=(draft.get("subject")) required; }
            label { "Department " select name="department" {
                @for d in &departments { option value=(d.id) selected[department == d.id.to_string()] { (d.name) } }
            } }
            label { "Priority " select name="priority" {
                option value="" { "by the rules" }
                @for p in Priority::ALL { option value=(p.as_str()) selected[priority == p.as_str()] { (p.as_str()) } }
            } }
            @if chosen.is_none() {
                label { "Type " select name="ticket_type" {
                    @for ty in TicketType::BUILT_IN { option value=(ty.as_str()) selected[ticket_type == ty.as_str()] { (ty.as_str()) } }
                } }
            }
            @if let Some(t) = chosen {
                @if !t.required_fields.is_empty() {
                    fieldset #required-fields {
                        legend { "Required for " (t.name) }
                        @for key in &t.required_fields {
                            @let name = format!("field.{key}");
                            label { (key.as_str().replace('_', " ")) " * "
                                input type="text" name=(name) value=(draft.get(&name)); }
                        }
                    }
                }
            }
            label { "What the customer said " textarea name="body" required { (body_text) } }
            button type="submit" { "Open the ticket" }
        }
    };
    Ok((status, layout("New phone ticket", Some(user), body)).into_response())
}

/// The customer an agent typed: an e-mail, else a contract number, else a phone number.
async fn customer_of(
    desk: &Helpdesk,
    actor: Actor,
    typed: &str,
) -> Result<Option<CustomerId>, ApiError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let lookups = if typed.contains('@') {
        vec![CustomerLookup::Email(Email::parse(typed)?)]
    } else {
        let mut l = Vec::new();
        if let Ok(c) = ContractNumber::parse(typed) {
            l.push(CustomerLookup::ContractNumber(c));
        }
        if let Ok(p) = CustomerLookup::phone(typed) {
            l.push(p);
        }
        l
    };
    for lookup in lookups {
        if let Some(c) = desk
            .find_customers(actor, &lookup)
            .await?
            .into_iter()
            .next()
        {
            return Ok(Some(c.id));
        }
    }
    Err(ApiError::not_found(format!(
        "no customer found for {typed:?}"
    )))
}

async fn open(
    desk: &Helpdesk,
    actor: Actor,
    form: &HashMap<String, String>,
) -> Result<Ticket, ApiError> {
    let field = |k: &str| form.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let customer = customer_of(desk, actor, field("customer").unwrap_or_default()).await?;
    let department: DepartmentId = field("department")
        .ok_or_else(|| ApiError::bad_request("department: choose one"))?
        .parse()?;
    let priority = match field("priority") {
        Some(raw) => Some(
            Priority::ALL
                .into_iter()
                .find(|p| p.as_str() == raw)
                .ok_or_else(|| ApiError::bad_request("unknown priority"))?,
        ),
        None => None,
    };
    let body = MessageBody::parse(field("body").unwrap_or_default())?;
    let subject = field("subject").unwrap_or_default().to_owned();
    match field("template") {
        Some(raw) => {
            let template: TemplateId = raw.parse()?;
            let mut custom_fields = CustomFields::new();
            for (key, value) in form {
                if let Some(key) = key.strip_prefix("field.")
                    && !value.trim().is_empty()
                {
                    custom_fields =
                        custom_fields.with(key, FieldValue::Text(value.trim().to_owned()))?;
                }
            }
            let input = FromTemplate {
                customer,
                subject,
                body: Some(body),
                custom_fields,
                channel: Channel::Phone,
            };
            let mut ticket = desk.open_from_template(actor, template, input).await?;
            // The agent may have changed what the template pre-filled.
            let template = desk
                .templates(actor)
                .await?
                .into_iter()
                .find(|t| t.id == template);
            if template
                .as_ref()
                .is_some_and(|t| t.department != department)
            {
                ticket = desk
                    .execute(actor, ticket.id, Command::MoveToDepartment { department })
                    .await?
                    .ticket()
                    .clone();
            }
            if let Some(priority) = priority
                && template
                    .as_ref()
                    .is_some_and(|t| t.priority != Some(priority))
                && priority != ticket.priority
            {
                ticket = desk
                    .execute(actor, ticket.id, Command::ChangePriority { priority })
                    .await?
                    .ticket()
                    .clone();
            }
            Ok(ticket)
        }
        None => {
            let mut new = NewTicket::new(Subject::parse(&subject)?, body, department);
            new.customer = customer;
            new.priority = priority;
            new.channel = Channel::Phone;
            if let Some(ty) = field("ticket_type") {
                new.ticket_type = ty.parse()?;
            }
            Ok(desk.open_ticket(actor, new).await?)
        }
    }
}

async fn create_ticket(
    State(state): State<AppState>,
    Posted { user, form }: Posted,
) -> Result<Response, PageError> {
    match open(&state.desk, user.actor, &form).await {
        Ok(ticket) => Ok(Redirect::to(&format!("/tickets/{}", ticket.id)).into_response()),
        Err(e) if e.status == StatusCode::FORBIDDEN || e.status.is_server_error() => Err(e.into()),
        Err(e) => {
            let status = e.status;
            let draft = Draft {
                fields: form,
                error: Some(e.message),
            };
            form_page(&state.desk, &user, draft, status).await
        }
    }
}
