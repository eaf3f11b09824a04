//! The JSON API under `/api/v1`.

use std::collections::{BTreeSet, HashMap};

use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Request, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use helpdesk::Helpdesk;
use helpdesk::domain::{
    Actor, AgentId, ArticleId, Category, Channel, CustomerId, DepartmentId, Language, MessageBody,
    MessageId, NotificationAction, NotificationId, Priority, ServiceName, Status, Subject, Ticket,
    TicketId, TicketType, TokenHash, TokenKind, Version,
};
use helpdesk::machine::{Command, CommandKind, NewTicket};
use helpdesk::search::CustomerLookup;
use helpdesk::service::{ExecOptions, Outcome, Upload};
use helpdesk::store::{AssigneeFilter, Cursor, PageRequest, TicketFilter, TicketOrder};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::AppState;
use super::auth::{self, Authed, ClientAddr, Credential};
use super::error::{ApiError, ApiResult, Body, Query};

/// The routes under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/token", post(token).delete(revoke_current))
        .route("/auth/tokens", get(list_tokens))
        .route("/auth/tokens/{token}", delete(revoke_token))
        .route("/me", get(me))
        .route("/tickets", get(list_tickets).post(create_ticket))
        .route("/tickets/{ticket}", get(get_ticket))
        .route(
            "/tickets/{ticket}/messages",
            get(list_messages).post(add_message),
        )
        .route(
            "/tickets/{ticket}/messages/{message}/attachments/{sha256}",
            get(download_attachment),
        )
        .route("/tickets/{ticket}/commands", post(run_command))
        .route("/tickets/{ticket}/transitions", post(transition))
        .route("/tickets/{ticket}/assign", post(assign))
        .route("/tickets/{ticket}/priority", post(priority))
        .route("/tickets/{ticket}/history", get(history))
        .route("/tickets/{ticket}/time-entries", get(time_entries))
        .route("/departments", get(departments).post(create_department))
        .route("/agents", get(agents))
        .route("/agents/{agent}/signature", put(agent_signature))
        .route("/customers", get(find_customers))
        .route("/customers/{customer}", get(customer))
        .route("/customers/{customer}/access", put(customer_access))
        .route("/kb/articles", get(search_articles).post(create_article))
        .route("/kb/articles/{article}", get(article))
        .route("/kb/articles/{article}/votes", post(vote))
        .route("/kb/suggest", get(suggest))
        .route("/notifications", get(notifications))
        .route(
            "/notifications/{notification}/{action}",
            post(act_on_notification),
        )
        .fallback(|| async { ApiError::not_found("no such API route") })
}

fn parse<T: std::str::FromStr<Err = helpdesk::error::ValidationError>>(raw: &str) -> ApiResult<T> {
    raw.parse::<T>().map_err(ApiError::from)
}

/// The desk and the signed-in actor of an API request (401 when not signed in).
pub struct Caller {
    /// The desk.
    pub desk: Helpdesk,
    /// Who is asking.
    pub actor: Actor,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let Authed(actor) = Authed::from_request_parts(parts, state).await?;
        Ok(Caller {
            desk: state.desk.clone(),
            actor,
        })
    }
}

/// The one path parameter of a route, parsed (400 when it does not parse).
pub struct Id<T>(pub T);

impl<T, S> FromRequestParts<S> for Id<T>
where
    T: std::str::FromStr<Err = helpdesk::error::ValidationError> + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        parse(&raw).map(Id)
    }
}

/// A JSON list: `{"items": [...]}`.
fn items(items: impl Serialize) -> Json<Value> {
    Json(json!({ "items": items }))
}

/// 201 with `value` as JSON.
fn created(value: impl Serialize) -> Response {
    (StatusCode::CREATED, Json(value)).into_response()
}

/// A ticket by id (a UUID) or by number (full or short, `#` allowed).
pub async fn find_ticket(desk: &Helpdesk, actor: Actor, key: &str) -> helpdesk::Result<Ticket> {
    match key.parse::<TicketId>() {
        Ok(id) => desk.ticket(actor, id).await,
        Err(_) => desk.ticket_by_number(actor, key).await,
    }
}

// ---------------------------------------------------------------------------------------------
// Auth

#[derive(Deserialize)]
struct Credentials {
    login: String,
    password: String,
}

async fn token(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Body(c): Body<Credentials>,
) -> ApiResult<Response> {
    let login = state
        .accounts
        .sign_in(&c.login, &c.password, &client)
        .await
        .map_err(auth::SignInError::api_error)?;
    let token = state
        .accounts
        .issue(login.actor, TokenKind::ApiToken)
        .await?;
    Ok(created(
        json!({"token": token, "token_type": "Bearer", "actor": login.actor}),
    ))
}

/// Revokes the token (or session) the request is signed in with.
async fn revoke_current(
    State(state): State<AppState>,
    credential: Credential,
) -> ApiResult<StatusCode> {
    state
        .accounts
        .revoke(credential.actor, &credential.hash)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in actor's live sessions and API tokens (by the hash of their secret).
async fn list_tokens(
    State(state): State<AppState>,
    credential: Credential,
) -> ApiResult<Json<Value>> {
    let found: Vec<Value> = state
        .accounts
        .tokens_of(credential.actor)
        .await?
        .into_iter()
        .map(|t| {
            json!({
                "id": t.hash, "kind": t.kind, "created_at": t.created_at,
                "expires_at": t.expires_at, "last_used": t.last_used,
                "current": t.hash == credential.hash,
            })
        })
        .collect();
    Ok(items(found))
}

/// Revokes one of the signed-in actor's sessions or API tokens; 404 for anyone else's.
async fn revoke_token(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Id(hash): Id<TokenHash>,
) -> ApiResult<StatusCode> {
    if state.accounts.revoke(actor, &hash).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("no such token"))
    }
}

async fn me(State(state): State<AppState>, Authed(actor): Authed) -> ApiResult<Json<Value>> {
    let login = state.accounts.login_of(actor).await;
    let (name, language) = auth::profile(&state.desk, actor).await;
    Ok(Json(json!({
        "actor": actor,
        "login": login.map(|l| l.name),
        "name": name,
        "language": language,
    })))
}

// ---------------------------------------------------------------------------------------------
// Tickets

/// The query of `GET /tickets`: every filter, and `q` for a full-text search.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// Full-text query (words, "phrases", prefix*, -excluded, % patterns).
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
    pub customer: Option<CustomerId>,
    /// An agent id, or `none` for unassigned tickets.
    pub assignee: Option<String>,
    /// The master ticket.
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
    /// `last_update` (default), `priority`, `waiting` or `relevance`.
    pub order: Option<TicketOrder>,
    /// At most this many tickets (1–200, default 50).
    pub limit: Option<u32>,
    /// The page after this ticket (the `next` of the previous page); not with `q`.
    pub after: Option<TicketId>,
}

fn list<T: std::str::FromStr<Err = helpdesk::error::ValidationError>>(
    raw: &Option<String>,
) -> ApiResult<Option<Vec<T>>> {
    raw.as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.split(',').map(|one| parse::<T>(one.trim())).collect())
        .transpose()
}

fn priority_of(raw: &str) -> ApiResult<Priority> {
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
        filter.created.from = self.created_from;
        filter.created.to = self.created_to;
        filter.updated.from = self.updated_from;
        filter.updated.to = self.updated_to;
        Ok(filter)
    }

    /// Runs the listing or the search: the tickets, and the id to pass as `after` for the
    /// next page (`None` on the last page).
    pub async fn run(
        &self,
        desk: &Helpdesk,
        actor: Actor,
    ) -> ApiResult<(Vec<Ticket>, Option<TicketId>)> {
        let filter = self.filter()?;
        let limit = self.limit.unwrap_or(50);
        let query = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
        let order = self.order.unwrap_or(if query.is_some() {
            TicketOrder::Relevance
        } else {
            TicketOrder::LastUpdate
        });
        let mut page = PageRequest::first(order, limit);
        if let Some(after) = self.after {
            if order == TicketOrder::Relevance {
                return Err(ApiError::bad_request(
                    "`after` pages listings; relevance-ordered searches return one page",
                ));
            }
            let last = desk.ticket(actor, after).await?;
            page = page.after(Cursor::after(order, &last))?;
        }
        let found = match query {
            Some(q) => desk.search_tickets(actor, q, filter, page).await?,
            None => desk.list_tickets(actor, filter, page).await?,
        };
        let next = found
            .next
            .and_then(|_| found.items.last().map(|t| t.id))
            .filter(|_| order != TicketOrder::Relevance);
        Ok((found.items, next))
    }
}

async fn list_tickets(
    Caller { desk, actor }: Caller,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let (items, next) = query.run(&desk, actor).await?;
    Ok(Json(json!({"items": items, "next": next})))
}

/// The body of `POST /tickets` (JSON, or the same fields as multipart form data with files).
#[derive(Debug, Deserialize)]
pub struct CreateTicket {
    /// One line, 1–255 characters.
    pub subject: Subject,
    /// The first message.
    pub body: MessageBody,
    /// The department (queue).
    pub department: DepartmentId,
    /// The customer (staff opening a ticket for a customer).
    pub customer: Option<CustomerId>,
    /// The priority ("importance"); the desk's rules may cap it.
    pub priority: Option<Priority>,
    /// The ticket type.
    pub ticket_type: Option<TicketType>,
    /// Categories.
    #[serde(default)]
    pub categories: BTreeSet<Category>,
    /// The service.
    pub service: Option<ServiceName>,
    /// An internal ticket (agents only).
    #[serde(default)]
    pub internal: bool,
    /// The master ticket.
    pub master: Option<TicketId>,
    /// How it came in (`web` by default; `phone` for an operator's tickets).
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
            get(name).ok_or_else(|| {
                ApiError::from(helpdesk::error::ValidationError::new(name, "is required"))
            })
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

/// Form fields and files of a multipart body.
pub async fn read_multipart(
    mut multipart: Multipart,
) -> ApiResult<(HashMap<String, String>, Vec<Upload>)> {
    let mut fields = HashMap::new();
    let mut uploads = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(e.status(), e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                let content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| multipart_error(e.status(), e.body_text()))?;
                // A browser sends an empty file part when no file was chosen.
                if !(file_name.is_empty() && bytes.is_empty()) {
                    uploads.push(Upload::new(file_name, content_type, bytes.to_vec()));
                }
            }
            None => {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| multipart_error(e.status(), e.body_text()))?;
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                    ApiError::bad_request(format!("the field `{name}` is not valid UTF-8"))
                })?;
                fields.insert(name, text);
            }
        }
    }
    Ok((fields, uploads))
}

fn multipart_error(status: StatusCode, text: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(status, "too_large", text)
    } else {
        ApiError::bad_request(text)
    }
}

fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

async fn create_ticket(
    State(state): State<AppState>,
    Authed(actor): Authed,
    req: Request,
) -> ApiResult<Response> {
    let (new, uploads) = if is_multipart(&req) {
        let multipart = Multipart::from_request(req, &state)
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        let (fields, uploads) = read_multipart(multipart).await?;
        (CreateTicket::from_fields(&fields)?, uploads)
    } else {
        let Body(new) = Body::<CreateTicket>::from_request(req, &state).await?;
        (new, Vec::new())
    };
    let ticket = state
        .desk
        .open_ticket_with_uploads(actor, new.into_new_ticket(), uploads)
        .await?;
    Ok(created(ticket))
}

async fn get_ticket(
    Caller { desk, actor }: Caller,
    Path(key): Path<String>,
) -> ApiResult<Json<Ticket>> {
    Ok(Json(find_ticket(&desk, actor, &key).await?))
}

async fn list_messages(
    Caller { desk, actor }: Caller,
    Path(key): Path<String>,
) -> ApiResult<Json<Value>> {
    let ticket = find_ticket(&desk, actor, &key).await?;
    let messages = desk.thread(actor, ticket.id).await?;
    Ok(items(messages))
}

/// The body of `POST /tickets/{ticket}/messages`.
#[derive(Debug, Deserialize)]
pub struct NewMessage {
    /// The text.
    pub body: MessageBody,
    /// An internal note (agents only) instead of a reply.
    #[serde(default)]
    pub internal: bool,
}

/// What a command did, as JSON.
#[derive(Debug, Serialize)]
pub struct OutcomeView {
    /// `changed`, `unchanged` or `follow_up_opened`.
    pub outcome: &'static str,
    /// The ticket the actor is left looking at.
    pub ticket: Ticket,
    /// The closed ticket a follow-up was opened for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<TicketId>,
}

impl From<Outcome> for OutcomeView {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Changed(ticket) => Self {
                outcome: "changed",
                ticket,
                closed: None,
            },
            Outcome::Unchanged(ticket) => Self {
                outcome: "unchanged",
                ticket,
                closed: None,
            },
            Outcome::FollowUpOpened { closed, ticket } => Self {
                outcome: "follow_up_opened",
                ticket,
                closed: Some(closed),
            },
        }
    }
}

/// The version in an `If-Match` header, for optimistic concurrency (409 when stale).
fn expected_version(headers: &HeaderMap) -> ApiResult<ExecOptions> {
    let mut options = ExecOptions::default();
    if let Some(value) = headers.get("if-match") {
        let raw = value
            .to_str()
            .ok()
            .map(|v| v.trim().trim_matches('"'))
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or_else(|| ApiError::bad_request("If-Match must be a ticket version number"))?;
        options.expected = Some(Version::new(raw));
    }
    Ok(options)
}

async fn add_message(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(key): Path<String>,
    req: Request,
) -> ApiResult<Response> {
    let options = expected_version(req.headers())?;
    let (message, uploads) = if is_multipart(&req) {
        let multipart = Multipart::from_request(req, &state)
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        let (fields, uploads) = read_multipart(multipart).await?;
        let body = fields.get("body").map(String::as_str).unwrap_or_default();
        let internal = matches!(
            fields.get("internal").map(|s| s.trim()),
            Some("true" | "on" | "1")
        );
        let message = NewMessage {
            body: MessageBody::parse(body)?,
            internal,
        };
        (message, uploads)
    } else {
        let Body(message) = Body::<NewMessage>::from_request(req, &state).await?;
        (message, Vec::new())
    };
    let ticket = find_ticket(&state.desk, actor, &key).await?;
    let command = if message.internal {
        Command::AddNote {
            body: message.body,
            attachments: Vec::new(),
        }
    } else {
        Command::Reply {
            body: message.body,
            attachments: Vec::new(),
        }
    };
    let outcome = state
        .desk
        .execute_with_uploads(actor, ticket.id, command, uploads, options)
        .await?;
    Ok(created(OutcomeView::from(outcome)))
}

async fn download_attachment(
    Caller { desk, actor }: Caller,
    Path((key, message, sha256)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    let ticket = find_ticket(&desk, actor, &key).await?;
    let message: MessageId = parse(&message)?;
    let (attachment, bytes) = desk.attachment(actor, ticket.id, message, &sha256).await?;
    Ok(file_response(
        attachment.content_type(),
        attachment.file_name(),
        bytes,
    ))
}

/// A download: the bytes as an attachment, never rendered in the site's origin.
pub fn file_response(content_type: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename*=UTF-8''{encoded}");
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    response
}

async fn execute(
    state: &AppState,
    actor: Actor,
    key: &str,
    command: Command,
    options: ExecOptions,
) -> ApiResult<Json<OutcomeView>> {
    let ticket = find_ticket(&state.desk, actor, key).await?;
    let outcome = state
        .desk
        .execute_with(actor, ticket.id, command, options)
        .await?;
    Ok(Json(outcome.into()))
}

async fn run_command(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(key): Path<String>,
    headers: HeaderMap,
    Body(command): Body<Command>,
) -> ApiResult<Json<OutcomeView>> {
    let options = expected_version(&headers)?;
    execute(&state, actor, &key, command, options).await
}

/// The commands `POST /tickets/{ticket}/transitions` takes: the ones that change the status.
pub fn is_transition(kind: CommandKind) -> bool {
    matches!(
        kind,
        CommandKind::AskCustomer
            | CommandKind::PutOnHold
            | CommandKind::Resolve
            | CommandKind::ConfirmResolution
            | CommandKind::Close
            | CommandKind::Reopen
            | CommandKind::MergeInto
    )
}

async fn transition(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(key): Path<String>,
    headers: HeaderMap,
    Body(command): Body<Command>,
) -> ApiResult<Json<OutcomeView>> {
    if !is_transition(command.kind()) {
        return Err(ApiError::bad_request(format!(
            "{:?} is not a transition; use /commands",
            command.kind()
        )));
    }
    let options = expected_version(&headers)?;
    execute(&state, actor, &key, command, options).await
}

#[derive(Deserialize)]
struct AssignBody {
    agent: Option<AgentId>,
}

async fn assign(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(key): Path<String>,
    headers: HeaderMap,
    Body(body): Body<AssignBody>,
) -> ApiResult<Json<OutcomeView>> {
    let options = expected_version(&headers)?;
    let command = Command::Assign { agent: body.agent };
    execute(&state, actor, &key, command, options).await
}

#[derive(Deserialize)]
struct PriorityBody {
    priority: Priority,
}

async fn priority(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(key): Path<String>,
    headers: HeaderMap,
    Body(body): Body<PriorityBody>,
) -> ApiResult<Json<OutcomeView>> {
    let options = expected_version(&headers)?;
    let command = Command::ChangePriority {
        priority: body.priority,
    };
    execute(&state, actor, &key, command, options).await
}

async fn history(
    Caller { desk, actor }: Caller,
    Path(key): Path<String>,
) -> ApiResult<Json<Value>> {
    let ticket = find_ticket(&desk, actor, &key).await?;
    let events = desk.history(actor, ticket.id).await?;
    Ok(items(events))
}

async fn time_entries(
    Caller { desk, actor }: Caller,
    Path(key): Path<String>,
) -> ApiResult<Json<Value>> {
    let ticket = find_ticket(&desk, actor, &key).await?;
    let entries = desk.time_entries(actor, ticket.id).await?;
    Ok(items(entries))
}

// ---------------------------------------------------------------------------------------------
// Directory

async fn departments(Caller { desk, actor }: Caller) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "items": desk.departments(actor).await? })))
}

#[derive(Deserialize)]
struct NewDepartment {
    name: helpdesk::domain::Name,
    #[serde(default)]
    follow_up: helpdesk::policy::FollowUpPolicy,
}

async fn create_department(
    Caller { desk, actor }: Caller,
    Body(new): Body<NewDepartment>,
) -> ApiResult<Response> {
    let department = desk
        .create_department(actor, new.name, new.follow_up)
        .await?;
    Ok(created(department))
}

#[derive(Deserialize)]
struct SignatureBody {
    signature: helpdesk::domain::Signature,
}

async fn agent_signature(
    Caller { desk, actor }: Caller,
    Id(id): Id<AgentId>,
    Body(body): Body<SignatureBody>,
) -> ApiResult<Json<Value>> {
    let agent = desk.set_signature(actor, id, body.signature).await?;
    Ok(Json(json!(agent)))
}

async fn agents(State(state): State<AppState>, Authed(actor): Authed) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "items": state.desk.agents(actor).await? })))
}

#[derive(Deserialize)]
struct CustomerQuery {
    contract: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
}

async fn find_customers(
    Caller { desk, actor }: Caller,
    Query(q): Query<CustomerQuery>,
) -> ApiResult<Json<Value>> {
    let lookup = if let Some(c) = q.contract {
        CustomerLookup::ContractNumber(helpdesk::domain::ContractNumber::parse(c)?)
    } else if let Some(p) = q.phone {
        CustomerLookup::phone(&p)?
    } else if let Some(e) = q.email {
        CustomerLookup::Email(helpdesk::domain::Email::parse(&e)?)
    } else if let Some(a) = q.address {
        CustomerLookup::address(&a)?
    } else {
        return Err(ApiError::bad_request(
            "give one of contract, phone, email or address",
        ));
    };
    let found = desk.find_customers(actor, &lookup).await?;
    Ok(items(found))
}

async fn customer(
    Caller { desk, actor }: Caller,
    Id(id): Id<CustomerId>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(desk.customer(actor, id).await?)))
}

#[derive(Deserialize)]
struct AccessBody {
    enabled: bool,
}

async fn customer_access(
    Caller { desk, actor }: Caller,
    Id(id): Id<CustomerId>,
    Body(body): Body<AccessBody>,
) -> ApiResult<Json<Value>> {
    let customer = desk.set_customer_access(actor, id, body.enabled).await?;
    Ok(Json(json!(customer)))
}

// ---------------------------------------------------------------------------------------------
// Knowledge base

#[derive(Deserialize)]
struct ArticleQuery {
    q: Option<String>,
    text: Option<String>,
    lang: Option<Language>,
    limit: Option<u32>,
}

async fn search_articles(
    Caller { desk, actor }: Caller,
    Query(q): Query<ArticleQuery>,
) -> ApiResult<Json<Value>> {
    let query = q.q.unwrap_or_default();
    let found = desk
        .search_articles(actor, &query, q.lang, q.limit.unwrap_or(20))
        .await?;
    Ok(items(found))
}

/// The body of `POST /kb/articles` (agents).
#[derive(Debug, Deserialize)]
pub struct NewArticle {
    /// The title.
    pub title: helpdesk::domain::ArticleTitle,
    /// The text.
    pub body: MessageBody,
    /// The section.
    pub category: Category,
    /// Its language.
    pub language: Language,
    /// `published` (default) or `draft`.
    pub status: Option<helpdesk::domain::ArticleStatus>,
    /// `public` (default) or `internal`.
    pub visibility: Option<helpdesk::domain::Visibility>,
}

async fn create_article(
    Caller { desk, actor }: Caller,
    Body(new): Body<NewArticle>,
) -> ApiResult<Response> {
    let draft = helpdesk::service::ArticleDraft {
        title: new.title,
        body: new.body,
        category: new.category,
        language: new.language,
        status: new
            .status
            .unwrap_or(helpdesk::domain::ArticleStatus::Published),
        visibility: new
            .visibility
            .unwrap_or(helpdesk::domain::Visibility::Public),
    };
    let article = desk.create_article(actor, draft).await?;
    Ok(created(article))
}

async fn suggest(
    Caller { desk, actor }: Caller,
    Query(q): Query<ArticleQuery>,
) -> ApiResult<Json<Value>> {
    let text = q.text.or(q.q).unwrap_or_default();
    let found = desk
        .suggest_articles(actor, &text, q.lang, q.limit.unwrap_or(5))
        .await?;
    Ok(items(found))
}

async fn article(Caller { desk, actor }: Caller, Id(id): Id<ArticleId>) -> ApiResult<Json<Value>> {
    Ok(Json(json!(desk.article(actor, id).await?)))
}

#[derive(Deserialize)]
struct VoteBody {
    helpful: bool,
}

async fn vote(
    Caller { desk, actor }: Caller,
    Id(id): Id<ArticleId>,
    Body(body): Body<VoteBody>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(
        desk.vote_article(actor, id, body.helpful).await?
    )))
}

// ---------------------------------------------------------------------------------------------
// Notifications

#[derive(Deserialize)]
struct NotificationQuery {
    limit: Option<u32>,
}

async fn notifications(
    Caller { desk, actor }: Caller,
    Query(q): Query<NotificationQuery>,
) -> ApiResult<Json<Value>> {
    let found = desk.notifications(actor, q.limit.unwrap_or(50)).await?;
    Ok(items(found))
}

/// The body of `POST /notifications/{id}/snooze`: until when, or for how many minutes.
#[derive(Debug, Default, Deserialize)]
pub struct SnoozeBody {
    /// Until this instant.
    pub until: Option<DateTime<Utc>>,
    /// For this many minutes (default 60).
    pub minutes: Option<i64>,
}

/// The action named in a notification route.
pub fn notification_action(action: &str, snooze: SnoozeBody) -> ApiResult<NotificationAction> {
    match action {
        "read" => Ok(NotificationAction::Read),
        "dismiss" => Ok(NotificationAction::Dismiss),
        "snooze" => {
            let until = match snooze.until {
                Some(until) => until,
                None => {
                    let minutes = snooze.minutes.unwrap_or(60).clamp(1, 60 * 24 * 365);
                    Utc::now() + chrono::Duration::minutes(minutes)
                }
            };
            Ok(NotificationAction::Snooze { until })
        }
        other => Err(ApiError::not_found(format!(
            "no notification action {other:?}; use read, snooze or dismiss"
        ))),
    }
}

async fn act_on_notification(
    Caller { desk, actor }: Caller,
    Path((id, action)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let id: NotificationId = parse(&id)?;
    let snooze = if body.iter().all(u8::is_ascii_whitespace) {
        SnoozeBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request(e.to_string()))?
    };
    let action = notification_action(&action, snooze)?;
    let notification = desk.act_on_notification(actor, id, action).await?;
    Ok(Json(json!(notification)))
}
