//! Tickets: list and search, open (JSON, or multipart with files), read, and their history
//! and time entries.

use std::collections::{BTreeSet, HashMap};

use axum::Json;
use axum::Router;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use helpdesk::domain::{
    AgentId, Category, Channel, CustomerId, DepartmentId, MessageBody, Notice, Priority,
    ServiceName, Status, Subject, Ticket, TicketId, TicketKey, TicketType, parse_tag_list,
};
use helpdesk::error::ValidationError;
use helpdesk::machine::NewTicket;
use helpdesk::service::{Acting, Opened};
use helpdesk::store::{AssigneeFilter, Changed, Cursor, PageRequest, TicketFilter, TicketOrder};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::{created, items};
use crate::api::openapi::answers::{NotFound, TicketWrite, Uploads};
use crate::api::openapi::history::HistoryList;
use crate::api::openapi::model;
use crate::api::openapi::params::TicketPath;
use crate::api::openapi::views::{
    OpenedTicket, PriorityList, TicketForm, TicketList, TimeEntryList,
};
use crate::error::{ApiError, ApiResult, Body, Query};
use crate::extract::{Caller, Id, Signed, act_as, parse, principal_refused};
use crate::state::AppState;
use crate::uploads::{is_multipart, read_multipart};

/// The ticket routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tickets", get(list_tickets).post(create_ticket))
        .route("/tickets/{ticket}", get(get_ticket))
        .route("/tickets/{ticket}/history", get(history))
        .route("/tickets/{ticket}/time-entries", get(time_entries))
        .route("/tickets/{ticket}/priorities", get(settable_priorities))
        .route("/priorities", get(new_ticket_priorities))
}

/// The query of `GET /tickets`: every filter, and `q` for a full-text search.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Full-text query (words, "phrases", prefix*, -excluded, % patterns); whole words also
    /// find their other forms (English, Romanian, Russian stems; Persian plurals). The box
    /// also reads it as a whole: a ticket number (full or short, any digits) and, for staff,
    /// a customer's name, e-mail or phone (national form in the desk's `phone_region`),
    /// whose tickets come first on the first page.
    pub q: Option<String>,
    /// Comma-separated statuses (`new,open,pending_customer,on_hold,resolved,closed:solved…`).
    pub status: Option<String>,
    /// Comma-separated department ids.
    pub department: Option<String>,
    /// Comma-separated priorities.
    pub priority: Option<String>,
    /// The ticket type.
    #[serde(rename = "type")]
    pub ticket_type: Option<String>,
    /// A category.
    pub category: Option<String>,
    /// The customer.
    #[param(value_type = Option<Uuid>)]
    pub customer: Option<CustomerId>,
    /// An agent id, or `none` for unassigned tickets.
    pub assignee: Option<String>,
    /// The master ticket.
    #[param(value_type = Option<Uuid>)]
    pub master: Option<TicketId>,
    /// Internal tickets only (`true`) or none (`false`).
    pub internal: Option<bool>,
    /// Created at or after.
    pub created_from: Option<DateTime<Utc>>,
    /// Created before.
    pub created_to: Option<DateTime<Utc>>,
    /// Updated at or after.
    pub updated_from: Option<DateTime<Utc>>,
    /// Updated before.
    pub updated_to: Option<DateTime<Utc>>,
    /// `last_update` (default; `relevance` with `q`), `priority`, `waiting` or `relevance`;
    /// with `after`, the cursor's order by default.
    #[param(value_type = Option<model::TicketOrder>)]
    pub order: Option<TicketOrder>,
    /// At most this many tickets (1–200, default 50).
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<u32>,
    /// The page after this cursor: the opaque `next` of the previous page, passed back as it
    /// is (any order, searches too); anything else is a 400 on the field `after`.
    pub after: Option<String>,
    /// Comma-separated tags: tickets carrying any of them (staff; compared folded).
    pub tag: Option<String>,
    /// Something due (the SLA's next deadline or another timer) at or after this.
    pub due_from: Option<DateTime<Utc>>,
    /// Something due before this (`due_to` = now: overdue).
    pub due_to: Option<DateTime<Utc>>,
}

/// A page of `GET /tickets`, as [`ListQuery::run`] reads it.
#[derive(Debug)]
pub struct Listed {
    /// The tickets.
    pub items: Vec<Ticket>,
    /// The cursor of the next page; `None` on the last.
    pub next: Option<Cursor>,
    /// On a page after the first: the tickets that changed since the first, which no later
    /// page of this pass lists (see [`helpdesk::listing::Pass`]).
    pub changed: Option<Changed>,
}

impl From<helpdesk::store::Page<Ticket>> for Listed {
    fn from(found: helpdesk::store::Page<Ticket>) -> Self {
        Self {
            items: found.items,
            next: found.next,
            changed: found.changed,
        }
    }
}

/// A validation error of the cursor, about the `after` parameter.
fn bad_after(e: ValidationError) -> ApiError {
    ValidationError::new("after", e.message().to_owned()).into()
}

fn list<T: std::str::FromStr<Err = ValidationError>>(
    raw: &Option<String>,
) -> ApiResult<Option<Vec<T>>> {
    raw.as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.split(',').map(|one| parse::<T>(one.trim())).collect())
        .transpose()
}

/// A priority by its name (400 for another word).
pub fn priority_of(raw: &str) -> ApiResult<Priority> {
    Priority::ALL
        .into_iter()
        .find(|p| p.as_str() == raw.trim())
        .ok_or_else(|| ApiError::bad_request(format!("unknown priority {raw:?}")))
}

impl ListQuery {
    /// The filter these parameters describe.
    pub fn filter(&self) -> ApiResult<TicketFilter> {
        let mut filter = TicketFilter {
            statuses: list::<Status>(&self.status)?,
            departments: list::<DepartmentId>(&self.department)?,
            customer: self.customer,
            master: self.master,
            internal: self.internal,
            ..TicketFilter::default()
        };
        if let Some(p) = self.priority.as_deref().filter(|s| !s.is_empty()) {
            filter.priorities = Some(p.split(',').map(priority_of).collect::<ApiResult<_>>()?);
        }
        if let Some(t) = self.ticket_type.as_deref().filter(|s| !s.is_empty()) {
            filter.ticket_type = Some(parse::<TicketType>(t)?);
        }
        if let Some(c) = self.category.as_deref().filter(|s| !s.is_empty()) {
            filter.category = Some(Category::parse(c)?);
        }
        if let Some(a) = self.assignee.as_deref().filter(|s| !s.is_empty()) {
            filter.assignee = Some(if a == "none" {
                AssigneeFilter::Unassigned
            } else {
                AssigneeFilter::Agent(parse::<AgentId>(a)?)
            });
        }
        if let Some(t) = self.tag.as_deref().filter(|s| !s.trim().is_empty()) {
            filter.tags = Some(parse_tag_list(t)?.into_iter().collect());
        }
        filter.created.from = self.created_from;
        filter.created.to = self.created_to;
        filter.updated.from = self.updated_from;
        filter.updated.to = self.updated_to;
        filter.due.from = self.due_from;
        filter.due.to = self.due_to;
        Ok(filter)
    }

    /// Runs the listing or the search as `acting`: a page of tickets, the cursor of the next
    /// page, and what changed since the first page of the pass.
    pub async fn run(&self, acting: &Acting) -> ApiResult<Listed> {
        let (query, filter, page) = self.request()?;
        let found = match query {
            Some(q) => acting.search_tickets(q, filter, page).await?,
            None => acting.list_tickets(filter, page).await?,
        };
        Ok(Listed::from(found))
    }

    /// The search query (if any), the filter and the page asked for.
    pub fn request(&self) -> ApiResult<(Option<&str>, TicketFilter, PageRequest)> {
        let filter = self.filter()?;
        let limit = self.limit.unwrap_or(50);
        let query = self.search();
        let cursor = self
            .after
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(Cursor::decode)
            .transpose()
            .map_err(bad_after)?;
        let order = self
            .order
            .or(cursor.map(|c| c.order()))
            .unwrap_or(if query.is_some() {
                TicketOrder::Relevance
            } else {
                TicketOrder::LastUpdate
            });
        let mut page = PageRequest::first(order, limit);
        if let Some(cursor) = cursor {
            page = page.after(cursor).map_err(bad_after)?;
        }
        Ok((query, filter, page))
    }

    /// How many tickets the filter matches, of those `acting` may see; `None` for a search.
    pub async fn total(&self, acting: &Acting) -> ApiResult<Option<u64>> {
        if self.search().is_some() {
            return Ok(None);
        }
        Ok(Some(acting.count_tickets(self.filter()?).await?))
    }

    /// The search query, if one is given.
    fn search(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|q| !q.is_empty())
    }
}

/// Lists tickets with filters, or searches them with `q`.
#[utoipa::path(get, path = "/api/v1/tickets", tag = "tickets",
    summary = "List tickets with filters, or search them with `q`; keyset pages",
    description = "`order`, `limit`, and `after` (the opaque cursor `next` of the previous page). Pages after the first list only tickets unchanged since the first page was read (less 10 seconds) and name those that changed in `changed`: a pass lists each ticket at most once, and reports every ticket it leaves out.",
    params(ListQuery),
    responses((status = 200, description = "a page of tickets", body = TicketList)))]
pub(crate) async fn list_tickets(
    State(state): State<AppState>,
    Signed(credential): Signed,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let actor = credential.actor;
    let (q, filter, page) = query.request()?;
    // A listing reads its principal with the page (one store call fewer); a search acts as
    // them first.
    let (acting, found) = match q {
        Some(q) => {
            let acting = act_as(&state.desk, actor).await?;
            let found = acting.search_tickets(q, filter, page).await?;
            (acting, found)
        }
        None => (state.desk)
            .list_tickets_as(actor, filter, page)
            .await
            .map_err(|e| principal_refused(actor, e))?,
    };
    let listed = Listed::from(found);
    let total = query.total(&acting).await?;
    Ok(Json(json!({
        "items": listed.items,
        "next": listed.next.map(|c| c.encode()),
        "changed": listed.changed,
        "total": total,
    })))
}

/// The body of `POST /tickets` (JSON, or the same fields as multipart form data with files).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateTicket {
    /// One line, 1–255 characters.
    #[schema(value_type = String, min_length = 1, max_length = 255)]
    pub subject: Subject,
    /// The first message.
    #[schema(value_type = String, min_length = 1, max_length = 100000)]
    pub body: MessageBody,
    /// The department (queue).
    #[schema(value_type = Uuid)]
    pub department: DepartmentId,
    /// The customer (staff opening a ticket for a customer).
    #[schema(value_type = Option<Uuid>)]
    pub customer: Option<CustomerId>,
    /// The priority ("importance"); the desk's rules may cap it.
    #[schema(value_type = Option<model::Priority>)]
    pub priority: Option<Priority>,
    /// The ticket type.
    #[schema(value_type = Option<String>)]
    pub ticket_type: Option<TicketType>,
    /// Categories (each 1–64 characters).
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub categories: BTreeSet<Category>,
    /// The service (1–100 characters).
    #[schema(value_type = Option<String>)]
    pub service: Option<ServiceName>,
    /// An internal ticket (agents only).
    #[serde(default)]
    pub internal: bool,
    /// The master ticket.
    #[schema(value_type = Option<Uuid>)]
    pub master: Option<TicketId>,
    /// How it came in (`web` by default; `phone` for an operator's tickets).
    #[schema(value_type = Option<model::Channel>)]
    pub channel: Option<Channel>,
}

impl CreateTicket {
    /// The command for the desk.
    pub fn into_new_ticket(self) -> NewTicket {
        let mut new = NewTicket::new(self.subject, self.body, self.department);
        new.customer = self.customer;
        new.priority = self.priority;
        if let Some(t) = self.ticket_type {
            new.ticket_type = t;
        }
        new.categories = self.categories;
        new.service = self.service;
        new.internal = self.internal;
        new.master = self.master;
        if let Some(c) = self.channel {
            new.channel = c;
        }
        new
    }

    /// From multipart (or url-encoded) form fields.
    pub fn from_fields(fields: &HashMap<String, String>) -> ApiResult<Self> {
        let get = |name: &str| fields.get(name).map(|s| s.trim()).filter(|s| !s.is_empty());
        let required = |name: &'static str| {
            get(name).ok_or_else(|| ApiError::from(ValidationError::new(name, "is required")))
        };
        Ok(Self {
            subject: Subject::parse(required("subject")?)?,
            body: MessageBody::parse(required("body")?)?,
            department: parse(required("department")?)?,
            customer: get("customer").map(parse).transpose()?,
            priority: get("priority").map(priority_of).transpose()?,
            ticket_type: get("ticket_type").map(parse).transpose()?,
            categories: BTreeSet::new(),
            service: get("service").map(ServiceName::parse).transpose()?,
            internal: matches!(get("internal"), Some("true" | "on" | "1")),
            master: get("master").map(parse).transpose()?,
            channel: None,
        })
    }
}

/// Opens a ticket.
///
/// Without files the principal is read with what opening reads
/// ([`Helpdesk::open_ticket_as`](helpdesk::Helpdesk::open_ticket_as)): one store call fewer.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "tickets",
    summary = "Open a ticket (JSON, or multipart form data with files)",
    description = "The answer is the ticket with `notices`: what was applied otherwise than asked, and why (a priority above the customer's cap, or set by the desk's rule for organisations).",
    request_body(content(
        (CreateTicket = "application/json"),
        (TicketForm = "multipart/form-data"),
    )),
    responses((status = 201, description = "the ticket opened", body = OpenedTicket), TicketWrite, Uploads))]
pub(crate) async fn create_ticket(
    State(state): State<AppState>,
    Signed(credential): Signed,
    req: Request,
) -> ApiResult<Response> {
    let actor = credential.actor;
    let opened = if is_multipart(&req) {
        let multipart = Multipart::from_request(req, &state)
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        let (fields, uploads) = read_multipart(multipart).await?;
        let new = CreateTicket::from_fields(&fields)?.into_new_ticket();
        let acting = act_as(&state.desk, actor).await?;
        acting.open_ticket_with_notices(new, uploads).await?
    } else {
        let Body(new) = Body::<CreateTicket>::from_request(req, &state).await?;
        let (_, opened) = (state.desk)
            .open_ticket_as(actor, new.into_new_ticket())
            .await
            .map_err(|e| principal_refused(actor, e))?;
        opened
    };
    Ok(created(OpenedView::from(&opened)))
}

/// A ticket just opened as JSON: the ticket's fields and its `notices`.
#[derive(Debug, Serialize)]
pub struct OpenedView<'a> {
    /// The ticket.
    #[serde(flatten)]
    pub ticket: &'a Ticket,
    /// What was done otherwise than asked.
    pub notices: Vec<NoticeView<'a>>,
}

impl<'a> From<&'a Opened> for OpenedView<'a> {
    fn from(opened: &'a Opened) -> Self {
        Self {
            ticket: &opened.ticket,
            notices: opened.notices.iter().map(NoticeView::from).collect(),
        }
    }
}

/// A notice as JSON: its fields (`kind`, ...) and an English `message`.
#[derive(Debug, Serialize)]
pub struct NoticeView<'a> {
    /// The notice.
    #[serde(flatten)]
    pub notice: &'a Notice,
    /// What was done otherwise than asked, and why, in English.
    pub message: String,
}

impl<'a> From<&'a Notice> for NoticeView<'a> {
    fn from(notice: &'a Notice) -> Self {
        Self {
            notice,
            message: notice.to_string(),
        }
    }
}

/// The query of `GET /priorities`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PrioritiesQuery {
    /// The department the ticket is for.
    #[param(value_type = Uuid)]
    department: DepartmentId,
    /// The customer it is for (staff opening it for one).
    #[param(value_type = Option<Uuid>)]
    customer: Option<CustomerId>,
}

/// `GET /priorities?department=&customer=`: the priorities a new ticket gets as chosen.
#[utoipa::path(get, path = "/api/v1/priorities", tag = "tickets",
    summary = "The priorities a new ticket in `department` (for `customer`, when staff open it) gets as chosen, lowest first",
    params(PrioritiesQuery),
    responses((status = 200, description = "the priorities", body = PriorityList), NotFound))]
pub(crate) async fn new_ticket_priorities(
    Caller { acting, .. }: Caller,
    Query(q): Query<PrioritiesQuery>,
) -> ApiResult<Json<Value>> {
    Ok(items(
        acting
            .new_ticket_priorities(q.department, q.customer)
            .await?,
    ))
}

/// `GET /tickets/{ticket}/priorities`: the priorities the caller may set on it now.
#[utoipa::path(get, path = "/api/v1/tickets/{ticket}/priorities", tag = "tickets",
    summary = "The priorities the caller may set on the ticket now (its current one included; none for customers)",
    params(TicketPath),
    responses((status = 200, description = "the priorities", body = PriorityList), NotFound))]
pub(crate) async fn settable_priorities(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
) -> ApiResult<Json<Value>> {
    Ok(items(acting.settable_priorities(key).await?))
}

/// A ticket by id or number; by the number of a merged ticket, a redirect to the ticket it
/// was merged into.
#[utoipa::path(get, path = "/api/v1/tickets/{ticket}", tag = "tickets",
    summary = "A ticket by id or by number",
    description = "A merged ticket's number leads to the ticket it was merged into: a 307 whose `Location` names it by id (the merged ticket itself stays readable by its id).",
    params(TicketPath),
    responses(
        (status = 200, description = "the ticket", body = model::Ticket),
        (status = 307, description = "the number of a merged ticket: `Location` names the ticket it was merged into"),
        NotFound))]
pub(crate) async fn get_ticket(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
) -> ApiResult<Response> {
    let by_number = matches!(key, TicketKey::Number(_));
    let ticket = acting.ticket(key).await?;
    if by_number && ticket.merged_into.is_some() {
        let target = acting.merge_target(ticket).await?;
        return Ok(super::links::redirect_to(&target));
    }
    Ok(axum::response::IntoResponse::into_response(Json(ticket)))
}

/// A ticket's audit log.
#[utoipa::path(get, path = "/api/v1/tickets/{ticket}/history", tag = "tickets",
    summary = "The audit log of a ticket",
    params(TicketPath),
    responses((status = 200, description = "its entries", body = HistoryList), NotFound))]
pub(crate) async fn history(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
) -> ApiResult<Json<Value>> {
    Ok(items(acting.history(key).await?))
}

/// A ticket's time entries.
#[utoipa::path(get, path = "/api/v1/tickets/{ticket}/time-entries", tag = "tickets",
    summary = "Time logged on a ticket",
    description = "Staff get every entry; customers the billable ones, each note only when the agent made it visible (`note_visible_to_customer`, set by the `log_time` command; hidden by default).",
    params(TicketPath),
    responses((status = 200, description = "the entries", body = TimeEntryList), NotFound))]
pub(crate) async fn time_entries(
    Caller { acting, .. }: Caller,
    Id(key): Id<TicketKey>,
) -> ApiResult<Json<Value>> {
    Ok(items(acting.time_entries(key).await?))
}
