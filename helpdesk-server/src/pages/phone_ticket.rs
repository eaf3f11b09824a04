//! The agent's new-ticket (phone ticket) page at `/console/new` (issue 11), without script:
//! choosing a template pre-fills the department, priority and body skeleton and asks for its
//! required custom fields.

use std::collections::HashMap;

use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use helpdesk::Error;
use helpdesk::domain::{
    Channel, CommandKind, ContractNumber, CustomFields, CustomerId, DepartmentId, Email,
    FieldValue, MessageBody, Notice, Priority, Subject, TemplateId, Ticket, TicketTemplate,
    TicketType,
};
use helpdesk::error::ForbiddenReason;
use helpdesk::machine::{Command, NewTicket, required_permission};
use helpdesk::search::CustomerLookup;
use helpdesk::service::{Acting, FromTemplate};
use maud::html;

use super::PageResult;
use super::layout::{layout, t, t_args, ticket_type_word};
use super::notices::priority_word;
use super::words::text as arg;
use crate::error::{ApiError, ApiResult};
use crate::extract::{PageUser, Posted};
use crate::session::CSRF_FIELD;
use crate::state::AppState;

/// The agent's new-ticket page and its form.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/new", get(new_ticket_page))
        .route("/console/tickets", post(create_ticket))
}

/// What the form holds: the fields typed so far, to show again with an error.
#[derive(Default)]
struct Draft {
    fields: HashMap<String, String>,
    error: Option<ApiError>,
}

impl Draft {
    fn get(&self, key: &str) -> &str {
        self.fields.get(key).map(String::as_str).unwrap_or_default()
    }
}

/// `/console/new`: the form, pre-filled by the template chosen (`?template=ID`).
async fn new_ticket_page(
    user: PageUser,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let draft = Draft {
        fields: query,
        error: None,
    };
    form_page(&user, draft, StatusCode::OK).await
}

async fn form_page(user: &PageUser, draft: Draft, status: StatusCode) -> PageResult {
    if user.is_customer() {
        return Err(ApiError::from(Error::forbidden(ForbiddenReason::AgentsOnly)).into());
    }
    // Only the departments where the agent may open a ticket for a customer.
    let needed = required_permission(CommandKind::Create);
    let departments: Vec<_> = user
        .acting
        .departments()
        .await?
        .into_iter()
        .filter(|d| {
            user.acting
                .principal()
                .agent()
                .is_none_or(|a| a.can(needed, d.id))
        })
        .collect();
    let templates = user.acting.templates().await?;
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
    // The priorities that apply as chosen: those of the customer typed (an internal
    // ticket's without one), in the department chosen (else the first offered).
    let in_department = departments
        .iter()
        .find(|d| d.id.to_string() == department)
        .or(departments.first());
    let customer = customer_of(&user.acting, draft.get("customer"))
        .await
        .ok()
        .flatten();
    let priorities = match in_department {
        Some(d) => user.acting.new_ticket_priorities(d.id, customer).await?,
        None => Vec::new(),
    };
    let lang = user.language;
    let body = html! {
        h1 { (t(lang, "phone_new")) }
        form #choose-template method="get" action="/console/new" {
            label { (t(lang, "template")) " " select name="template" {
                option value="" { (t(lang, "no_template")) }
                @for tpl in &templates {
                    option value=(tpl.id) selected[chosen.is_some_and(|c| c.id == tpl.id)] { (tpl.name) " (" (ticket_type_word(lang, &tpl.ticket_type)) ")" }
                }
            } }
            button type="submit" { (t(lang, "use_template")) }
        }
        @if departments.is_empty() { p.error #no-department role="alert" { (t(lang, "phone_no_department")) } }
        @if let Some(error) = &draft.error { (super::refusals::inline(lang, error)) }
        form #phone-ticket method="post" action="/console/tickets" {
            input type="hidden" name=(CSRF_FIELD) value=(user.csrf);
            @if let Some(tpl) = chosen { input type="hidden" name="template" value=(tpl.id); }
            label { (t(lang, "phone_customer")) " "
                input type="text" name="customer" value=(draft.get("customer")); }
            label { (t(lang, "subject")) " " @if let Some(prefix) = chosen.and_then(|tpl| tpl.subject_prefix.as_ref()) { strong #subject-prefix { (prefix) ": " } }
                input type="text" name="subject" dir="auto" value=(draft.get("subject")) required; }
            label { (t(lang, "department")) " " select name="department" {
                @for d in &departments { option value=(d.id) selected[department == d.id.to_string()] { (d.name) } }
            } }
            label { (t(lang, "priority")) " " select name="priority" {
                option value="" { (t(lang, "by_rules")) }
                @for p in &priorities { option value=(p.as_str()) selected[priority == p.as_str()] { (priority_word(lang, *p)) } }
            } }
            @if chosen.is_none() {
                label { (t(lang, "ticket_type")) " " select name="ticket_type" {
                    @for ty in TicketType::BUILT_IN { option value=(ty.as_str()) selected[ticket_type == ty.as_str()] { (ticket_type_word(lang, &ty)) } }
                } }
            }
            @if let Some(tpl) = chosen {
                @if !tpl.required_fields.is_empty() {
                    fieldset #required-fields {
                        legend { (t_args(lang, "required_for", &[("template", arg(tpl.name.as_str()))])) }
                        @for key in &tpl.required_fields {
                            @let name = format!("field.{key}");
                            label { (key.as_str().replace('_', " ")) " * "
                                input type="text" name=(name) value=(draft.get(&name)); }
                        }
                    }
                }
            }
            label { (t(lang, "customer_said")) " " textarea name="body" dir="auto" required { (body_text) } }
            button type="submit" { (t(lang, "open_ticket")) }
        }
    };
    Ok((status, layout(t(lang, "phone_new"), Some(user), body)).into_response())
}

/// The customer an agent typed: an e-mail, else a contract number, else a phone number.
async fn customer_of(acting: &Acting, typed: &str) -> ApiResult<Option<CustomerId>> {
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
        if let Some(c) = acting.find_customers(&lookup).await?.into_iter().next() {
            return Ok(Some(c.id));
        }
    }
    Err(ApiError::not_found(format!(
        "no customer found for {typed:?}"
    )))
}

/// Opens the ticket the form describes; what the desk did otherwise than asked (a priority
/// the rules do not allow) comes with it.
async fn open(acting: &Acting, form: &HashMap<String, String>) -> ApiResult<(Ticket, Vec<Notice>)> {
    let field = |k: &str| form.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let customer = customer_of(acting, field("customer").unwrap_or_default()).await?;
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
            let mut ticket = acting.open_from_template(template, input).await?;
            // The agent may have changed what the template pre-filled.
            let template = acting
                .templates()
                .await?
                .into_iter()
                .find(|t| t.id == template);
            if template
                .as_ref()
                .is_some_and(|t| t.department != department)
            {
                ticket = acting
                    .execute(ticket.id, Command::MoveToDepartment { department })
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
                ticket = acting
                    .execute(ticket.id, Command::ChangePriority { priority })
                    .await?
                    .ticket()
                    .clone();
            }
            Ok((ticket, Vec::new()))
        }
        None => {
            let mut new = NewTicket::new(Subject::parse(&subject)?, body, department);
            new.customer = customer;
            new.priority = priority;
            new.channel = Channel::Phone;
            if let Some(ty) = field("ticket_type") {
                new.ticket_type = ty.parse()?;
            }
            let opened = acting.open_ticket_with_notices(new, Vec::new()).await?;
            Ok((opened.ticket, opened.notices))
        }
    }
}

/// The form posted: the ticket, or the form again with the error and what was typed.
async fn create_ticket(Posted { user, form }: Posted) -> PageResult {
    match open(&user.acting, &form).await {
        Ok((ticket, notices)) => {
            let to = format!("/tickets/{}{}", ticket.id, super::notices::query(&notices));
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) if e.status.is_server_error() => Err(e.into()),
        Err(e) => {
            let status = e.status;
            let draft = Draft {
                fields: form,
                error: Some(e),
            };
            form_page(&user, draft, status).await
        }
    }
}
