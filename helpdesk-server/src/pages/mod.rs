//! Server-rendered pages (maud, which escapes every spliced value): the customer portal, the
//! agent console and the sign-in page. Persian pages are `dir="rtl"`.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Query, Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::forms::StrictForm;
use chrono::{DateTime, Utc};
use helpdesk::domain::{
    Actor, AgentId, ContractNumber, CustomerId, Email, Language, MessageBody, Minutes, Name,
    NotificationId, Priority, Resolution, ShortNote, Signature, Status, StatusLabels, Ticket,
    TicketType, TokenKind, Visibility,
};
use helpdesk::machine::Command;
use helpdesk::policy::FollowUpPolicy;
use helpdesk::search::CustomerLookup;
use helpdesk::service::ExecOptions;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::AppState;
use super::api::{
    CreateTicket, ListQuery, SnoozeBody, find_ticket, notification_action, read_multipart,
};
use super::auth::{self, ClientAddr, PageUser, SignInError, session_cookie, session_set_cookie};
use super::error::ApiError;

/// The pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/portal", get(portal))
        .route("/portal/kb", get(kb))
        .route("/portal/new", get(new_ticket_form))
        .route("/portal/tickets", post(create_ticket))
        .route("/console", get(console))
        .route("/tickets/{ticket}", get(ticket_page))
        .route("/tickets/{ticket}/message", post(post_message))
        .route("/tickets/{ticket}/action", post(ticket_action))
        .route("/notifications/{id}/{action}", post(notification))
        .route("/admin", get(admin))
        .route("/admin/departments", post(admin_department))
        .route("/admin/agents/{id}/signature", post(admin_signature))
        .route("/admin/customers/{id}/access", post(admin_access))
}

/// An error shown as a page.
pub struct PageError(ApiError);

impl<E: Into<ApiError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let body = layout(
            "Error",
            None,
            html! {
                h1 { "Something went wrong" }
                p.error { (self.0.status.as_u16()) " — " (self.0.message) }
                p { a href="/" { "Back" } }
            },
        );
        (self.0.status, body).into_response()
    }
}

type PageResult = Result<Response, PageError>;

/// A form posted from the pages by a signed-in user, with the session's CSRF token checked:
/// a redirect to the sign-in page without a session, 403 with a missing or wrong token.
pub struct Posted {
    /// Who posted it.
    pub user: PageUser,
    /// Its fields.
    pub form: HashMap<String, String>,
}

impl FromRequest<AppState> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let user = PageUser::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let req = Request::from_parts(parts, body);
        let StrictForm(form) = StrictForm::from_request(req, state)
            .await
            .map_err(|e| PageError(e).into_response())?;
        user.check_csrf(form.get(auth::CSRF_FIELD))
            .map_err(|e| PageError(e).into_response())?;
        Ok(Posted { user, form })
    }
}

const CSS: &str = r#"
body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#222}
header{background:#263238;color:#fff;padding:.6em 1em;display:flex;gap:1em;align-items:center;flex-wrap:wrap}
header a{color:#fff} header form{margin:0} main{padding:1em;max-width:70em;margin:auto}
table{border-collapse:collapse;width:100%;background:#fff} td,th{border-bottom:1px solid #ddd;padding:.4em;text-align:start}
.status{color:#fff;border-radius:.3em;padding:.1em .5em;white-space:nowrap}
.msg{background:#fff;border:1px solid #ddd;border-radius:.3em;padding:.6em;margin:.6em 0;white-space:pre-wrap}
.msg.internal{background:#fff8e1;border-color:#ffb300}
.meta{color:#666;font-size:.85em} .error{color:#b71c1c} .notice{background:#e3f2fd;padding:.5em;margin:.3em 0;border-radius:.3em}
form.inline{display:inline} label{display:block;margin:.4em 0} input[type=text],textarea,select{width:100%;max-width:40em}
textarea{min-height:6em} pre{white-space:pre-wrap;background:#fff;padding:.6em}
"#;

/// The words of the interface in the four languages, one key a line (`words.txt`).
const WORDS: &str = include_str!("words.txt");

/// A word of the interface in `lang` (`?` for a key `words.txt` lacks).
fn t(lang: Language, key: &str) -> &'static str {
    let column = match lang {
        Language::English => 1,
        Language::Romanian => 2,
        Language::Russian => 3,
        Language::Persian => 4,
    };
    WORDS
        .lines()
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .find(|row| row.len() == 5 && row[0] == key)
        .map_or("?", |row| row[column])
}

pub(super) fn layout(title: &str, user: Option<&PageUser>, body: Markup) -> Markup {
    let lang = user.map_or(Language::English, |u| u.language);
    let dir = if lang.is_rtl() { "rtl" } else { "ltr" };
    html! {
        (DOCTYPE)
        html lang=(lang.code()) dir=(dir) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Helpdesk" }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    strong { "Helpdesk" }
                    @if let Some(user) = user {
                        @match user.actor {
                            Actor::Customer(_) => {
                                a href="/portal" { (t(lang, "my_tickets")) }
                                a href="/portal/new" { (t(lang, "new_ticket")) }
                                a href="/portal/kb" { (t(lang, "kb")) }
                            }
                            _ => {
                                a href="/console" { "Queue" }
                                a href="/admin" { "Admin" }
                                a href="/console/new" { "Phone ticket" }
                                a href="/reports" { "Reports" }
                            }
                        }
                        span { (user.name) }
                        form.inline method="post" action="/logout" {
                            (csrf_input(user))
                            button type="submit" { (t(lang, "sign_out")) }
                        }
                    }
                }
                main { (body) }
                @if let Some(user) = user { (super::chat::widget(user)) }
            }
        }
    }
}

/// The hidden field with the session's CSRF token, in every form that posts.
fn csrf_input(user: &PageUser) -> Markup {
    html! { input type="hidden" name=(auth::CSRF_FIELD) value=(user.csrf); }
}

fn html_response(status: StatusCode, markup: Markup) -> Response {
    (status, markup).into_response()
}

fn status_badge(lang: Language, status: Status) -> Markup {
    let labels = StatusLabels::new(lang);
    html! {
        span.status style={ "background:" (StatusLabels::colour(status)) } data-status=(status.as_str()) {
            (labels.label(status))
        }
    }
}

fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn waited(since: Option<DateTime<Utc>>) -> String {
    match since {
        Some(since) => {
            let minutes = (Utc::now() - since).num_minutes().max(0);
            format!("{}h {:02}m", minutes / 60, minutes % 60)
        }
        None => "—".to_owned(),
    }
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

// ---------------------------------------------------------------------------------------------
// Sign-in

async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let actor = match cookie_from(&headers) {
        Some(secret) => state.accounts.actor_of(&secret, TokenKind::Session).await,
        None => None,
    };
    match actor {
        Some(Actor::Customer(_)) => see_other("/portal"),
        Some(_) => see_other("/console"),
        None => see_other("/login"),
    }
}

fn cookie_from(headers: &HeaderMap) -> Option<String> {
    let (mut parts, ()) = axum::http::Request::new(()).into_parts();
    parts.headers = headers.clone();
    session_cookie(&parts)
}

fn login_page(message: Option<&str>) -> Markup {
    layout(
        "Sign in",
        None,
        html! {
            h1 { "Sign in" }
            @if let Some(message) = message { p.error { (message) } }
            form method="post" action="/login" {
                label { "E-mail " input type="text" name="login" autocomplete="username"; }
                label { "Password " input type="password" name="password" autocomplete="current-password"; }
                button type="submit" { "Sign in" }
            }
        },
    )
}

async fn login_form() -> Markup {
    login_page(None)
}

async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    StrictForm(form): StrictForm,
) -> PageResult {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    match state
        .accounts
        .sign_in(field("login"), field("password"), &client)
        .await
    {
        Ok(login) => {
            let secret = state
                .accounts
                .issue(login.actor, TokenKind::Session)
                .await?;
            let cookie = session_set_cookie(Some(&secret), state.options.secure_cookies);
            Ok(([(SET_COOKIE, cookie)], Redirect::to("/")).into_response())
        }
        Err(SignInError::Wrong) => Ok(html_response(
            StatusCode::UNAUTHORIZED,
            login_page(Some("Wrong e-mail or password.")),
        )),
        Err(SignInError::Throttled) => Ok(html_response(
            StatusCode::TOO_MANY_REQUESTS,
            login_page(Some(
                "Too many failed attempts: wait 15 minutes and try again.",
            )),
        )),
    }
}

async fn logout(State(state): State<AppState>, Posted { user, .. }: Posted) -> PageResult {
    state.accounts.revoke(user.actor, &user.session).await?;
    let cookie = session_set_cookie(None, state.options.secure_cookies);
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

// ---------------------------------------------------------------------------------------------
// Customer portal

async fn portal(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let lang = user.language;
    let pick = |k: &str| query.get(k).filter(|v| !v.is_empty()).cloned();
    let list = ListQuery {
        status: pick("status"),
        ticket_type: pick("type"),
        created_from: pick("from").and_then(|d| day(&d)),
        created_to: pick("to")
            .and_then(|d| day(&d))
            .map(|d| d + chrono::Duration::days(1)),
        limit: Some(100),
        ..ListQuery::default()
    };
    let (tickets, _) = list.run(&state.desk, user.actor).await?;
    let notes = state.desk.notifications(user.actor, 20).await?;
    let now = Utc::now();
    let labels = StatusLabels::new(lang);
    let body = html! {
        @let active: Vec<_> = notes.iter().filter(|n| n.is_active(now)).collect();
        @if !active.is_empty() {
            section #notifications {
                h2 { (t(lang, "notifications")) }
                @for n in active {
                    @let number = tickets.iter().find(|t| t.id == n.ticket_id).map(|t| t.number.short().to_owned());
                    div.notice {
                        (n.kind.as_str()) " #" (number.unwrap_or_default()) " " span.meta { (when(n.created_at)) } " "
                        form.inline method="post" action={ "/notifications/" (n.id) "/snooze" } { (csrf_input(&user)) button { (t(lang, "remind")) } }
                        " "
                        form.inline method="post" action={ "/notifications/" (n.id) "/view" } {
                            (csrf_input(&user))
                            input type="hidden" name="ticket" value=(n.ticket_id);
                            button { (t(lang, "view")) }
                        }
                        " "
                        form.inline method="post" action={ "/notifications/" (n.id) "/dismiss" } { (csrf_input(&user)) button { (t(lang, "dismiss")) } }
                    }
                }
            }
        }
        form method="get" action="/portal/kb" {
            input type="text" name="q" placeholder=(t(lang, "kb"));
            button { (t(lang, "search")) }
        }
        h1 { (t(lang, "my_tickets")) }
        form method="get" action="/portal" {
            select name="status" {
                option value="" { "—" }
                @for s in Status::ALL {
                    option value=(s.as_str()) selected[pick("status").as_deref() == Some(s.as_str())] { (labels.label(s)) }
                }
            }
            select name="type" {
                option value="" { "—" }
                @for ty in TicketType::BUILT_IN {
                    option value=(ty.as_str()) selected[pick("type").as_deref() == Some(ty.as_str())] { (ty.as_str()) }
                }
            }
            input type="date" name="from" value=(pick("from").unwrap_or_default());
            input type="date" name="to" value=(pick("to").unwrap_or_default());
            button { (t(lang, "search")) }
        }
        table #tickets {
            tr { th { "#" } th { "Ticket" } th { "Topic" } th { "Status" } th { "Last update" } th {} }
            @for (i, ticket) in tickets.iter().enumerate() {
                tr {
                    td { (i + 1) }
                    td { (ticket.number.short()) }
                    td { (ticket.subject) }
                    td { (status_badge(lang, ticket.status)) }
                    td { (when(ticket.updated_at)) }
                    td { a href={ "/tickets/" (ticket.id) } { (t(lang, "view")) } }
                }
            }
        }
    };
    Ok(layout(t(lang, "my_tickets"), Some(&user), body).into_response())
}

fn day(raw: &str) -> Option<DateTime<Utc>> {
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

async fn kb(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let lang = user.language;
    let q = query.get("q").cloned().unwrap_or_default();
    let found = if q.trim().is_empty() {
        Vec::new()
    } else {
        state.desk.search_articles(user.actor, &q, None, 20).await?
    };
    let body = html! {
        h1 { (t(lang, "kb")) }
        form method="get" action="/portal/kb" {
            input type="text" name="q" value=(q);
            button { (t(lang, "search")) }
        }
        @if !q.trim().is_empty() && found.is_empty() {
            p #nothing { (t(lang, "nothing")) " " a href="/portal/new" { (t(lang, "new_ticket")) } }
        }
        @for article in &found {
            article.msg lang=(article.language.code()) dir=(if article.language.is_rtl() { "rtl" } else { "ltr" }) {
                h3 { (article.title) }
                (article.body)
            }
        }
    };
    Ok(layout(t(lang, "kb"), Some(&user), body).into_response())
}

const SUGGEST_JS: &str = r#"
(function(){
  var box=document.getElementById('suggestions'), timer=null;
  function update(){
    var text=document.getElementById('subject').value+' '+document.getElementById('body').value;
    fetch('/api/v1/kb/suggest?text='+encodeURIComponent(text)).then(function(r){return r.json()}).then(function(d){
      box.textContent='';
      (d.items||[]).forEach(function(a){var e=document.createElement('div');e.className='notice';
        var h=document.createElement('strong');h.textContent=a.title;e.appendChild(h);
        var p=document.createElement('div');p.textContent=a.body;e.appendChild(p);box.appendChild(e);});
    }).catch(function(){});
  }
  ['subject','body'].forEach(function(id){document.getElementById(id).addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(update,300);});});
})();
"#;

async fn new_ticket_form(State(state): State<AppState>, user: PageUser) -> PageResult {
    let lang = user.language;
    let departments = state.desk.departments(user.actor).await?;
    let body = html! {
        h1 { (t(lang, "new_ticket")) }
        form #new-ticket method="post" action="/portal/tickets" enctype="multipart/form-data" {
            (csrf_input(&user))
            label { "Department " select name="department" {
                @for d in &departments { option value=(d.id) { (d.name) } }
            } }
            label { "Type " select name="ticket_type" {
                @for ty in TicketType::BUILT_IN { option value=(ty.as_str()) { (ty.as_str()) } }
            } }
            label { (t(lang, "subject")) " " input #subject type="text" name="subject" required; }
            label { (t(lang, "description")) " " textarea #body name="body" required {} }
            label { "Importance " select name="priority" {
                @for p in Priority::ALL { option value=(p.as_str()) selected[p == Priority::Normal] { (p.as_str()) } }
            } }
            label { (t(lang, "attach")) " " input type="file" name="files" multiple; }
            button type="submit" { (t(lang, "send")) }
        }
        h3 { (t(lang, "kb")) }
        div #suggestions {}
        script { (PreEscaped(SUGGEST_JS)) }
    };
    Ok(layout(t(lang, "new_ticket"), Some(&user), body).into_response())
}

async fn create_ticket(
    State(state): State<AppState>,
    user: PageUser,
    multipart: Multipart,
) -> PageResult {
    let (fields, uploads) = read_multipart(multipart).await?;
    user.check_csrf(fields.get(auth::CSRF_FIELD))?;
    let new = CreateTicket::from_fields(&fields)?;
    let ticket = state
        .desk
        .open_ticket_with_uploads(user.actor, new.into_new_ticket(), uploads)
        .await?;
    Ok(see_other(&format!("/tickets/{}", ticket.id)))
}

async fn notification(
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    Posted { user, form }: Posted,
) -> PageResult {
    let id: NotificationId = id.parse().map_err(ApiError::from)?;
    let (action, then) = if action == "view" {
        let ticket = form.get("ticket").cloned().unwrap_or_default();
        ("read", format!("/tickets/{ticket}"))
    } else {
        (action.as_str(), "/portal".to_owned())
    };
    let action = notification_action(action, SnoozeBody::default())?;
    state
        .desk
        .act_on_notification(user.actor, id, action)
        .await?;
    let then = if matches!(user.actor, Actor::Customer(_)) || then.starts_with("/tickets/") {
        then
    } else {
        "/console".to_owned()
    };
    Ok(see_other(&then))
}

// ---------------------------------------------------------------------------------------------
// Agent console

async fn console(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let lang = user.language;
    let pick = |k: &str| query.get(k).filter(|v| !v.is_empty()).cloned();
    let list = ListQuery {
        q: pick("q"),
        status: pick("status")
            .or_else(|| Some("new,open,pending_customer,on_hold,resolved".to_owned())),
        department: pick("department"),
        order: if pick("q").is_some() {
            None
        } else {
            Some(helpdesk::store::TicketOrder::Waiting)
        },
        limit: Some(100),
        ..ListQuery::default()
    };
    let (tickets, _) = list.run(&state.desk, user.actor).await?;
    let departments = state.desk.departments(user.actor).await?;
    let dept_name = |t: &Ticket| {
        departments
            .iter()
            .find(|d| d.id == t.department)
            .map(|d| d.name.to_string())
            .unwrap_or_default()
    };
    let body = html! {
        (super::chat::console_panel(&user))
        h1 { "Queue" }
        form method="get" action="/console" {
            input type="text" name="q" value=(pick("q").unwrap_or_default()) placeholder="Search";
            select name="department" {
                option value="" { "All departments" }
                @for d in &departments {
                    option value=(d.id) selected[pick("department").as_deref() == Some(d.id.to_string().as_str())] { (d.name) }
                }
            }
            button { "Search" }
        }
        table #queue {
            tr { th { "Ticket" } th { "Subject" } th { "Department" } th { "Status" } th { "Priority" } th { "Waiting" } th { "SLA due" } }
            @for ticket in &tickets {
                tr {
                    td { a href={ "/tickets/" (ticket.id) } { (ticket.number.short()) } }
                    td { (ticket.subject) }
                    td { (dept_name(ticket)) }
                    td { (status_badge(lang, ticket.status)) }
                    td { (ticket.priority.as_str()) }
                    td { (waited(ticket.waiting_since)) }
                    td { (ticket.next_due_at.map(when).unwrap_or_else(|| "—".to_owned())) }
                }
            }
        }
    };
    Ok(layout("Queue", Some(&user), body).into_response())
}

// ---------------------------------------------------------------------------------------------
// The ticket view (customers and agents)

async fn ticket_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(key): Path<String>,
    ask: super::compose::CannedAsk,
) -> PageResult {
    let lang = user.language;
    let desk = &state.desk;
    let ticket = find_ticket(desk, user.actor, &key).await?;
    let thread = desk.thread(user.actor, ticket.id).await?;
    let staff = !matches!(user.actor, Actor::Customer(_));
    let (agents, history, time) = if staff {
        (
            desk.agents(user.actor).await?,
            Some(desk.history_text(user.actor, ticket.id, lang).await?),
            desk.time_entries(user.actor, ticket.id).await?,
        )
    } else {
        (Vec::new(), None, Vec::new())
    };
    let author = |actor: Actor| match actor {
        Actor::Agent(id) => agents
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| "Support".to_owned(), |a| a.name.to_string()),
        Actor::Customer(_) => "Customer".to_owned(),
        Actor::System => "System".to_owned(),
    };
    let canned = super::compose::canned(desk, &user, &ticket, &ask).await?;
    let labels = StatusLabels::new(lang);
    let action = format!("/tickets/{}/action", ticket.id);
    let body = html! {
        h1 { "#" (ticket.number.short()) " " (ticket.subject) }
        p { (status_badge(lang, ticket.status)) " " span.meta { (ticket.priority.as_str()) " · " (ticket.ticket_type.as_str()) " · " (when(ticket.updated_at)) } }
        section #thread {
            @for m in &thread {
                @let internal = m.visibility == Visibility::Internal;
                div.msg.internal[internal] {
                    div.meta { (author(m.author)) " · " (when(m.created_at)) @if internal { " · internal note" } }
                    (m.body)
                    @for a in &m.attachments {
                        div { a href={ "/api/v1/tickets/" (ticket.id) "/messages/" (m.id) "/attachments/" (a.sha256()) } { (a.display_name()) } " (" (a.size()) " bytes)" }
                    }
                }
            }
        }
        h2 { (t(lang, "reply")) }
        (canned.picker)
        form #reply method="post" action={ "/tickets/" (ticket.id) "/message" } enctype="multipart/form-data" {
            (csrf_input(&user))
            textarea name="body" required { (canned.text) }
            label { (t(lang, "attach")) " " input type="file" name="files" multiple; }
            @if staff { label { input type="checkbox" name="internal" value="true"; " Internal note (customers never see it)" } }
            button type="submit" { (t(lang, "send")) }
        }
        @if !staff && ticket.status == Status::Resolved {
            form method="post" action=(action) {
                (csrf_input(&user))
                input type="hidden" name="action" value="confirm";
                button #confirm { (t(lang, "confirm")) }
            }
        }
        @if staff {
            h2 { "Actions" }
            form method="post" action=(action) {
                (csrf_input(&user))
                input type="hidden" name="action" value="assign";
                select name="agent" {
                    option value="" { "Unassigned" }
                    @for a in &agents { option value=(a.id) selected[ticket.assignee == Some(a.id)] { (a.name) } }
                }
                button { "Assign" }
            }
            form method="post" action=(action) {
                (csrf_input(&user))
                input type="hidden" name="action" value="priority";
                select name="priority" {
                    @for p in Priority::ALL { option value=(p.as_str()) selected[p == ticket.priority] { (p.as_str()) } }
                }
                button { "Set priority" }
            }
            form method="post" action=(action) {
                (csrf_input(&user))
                select name="action" {
                    option value="resolve" { (labels.label(Status::Resolved)) }
                    option value="hold" { (labels.label(Status::OnHold)) }
                    option value="close" { (labels.label(Status::Closed(Resolution::Solved))) }
                    option value="reopen" { (labels.label(Status::Open)) }
                }
                button { "Change status" }
            }
            form method="post" action=(action) {
                (csrf_input(&user))
                input type="hidden" name="action" value="link";
                input type="text" name="master" placeholder="Master ticket number (empty to unlink)";
                button { "Link to master" }
            }
            form method="post" action=(action) {
                (csrf_input(&user))
                input type="hidden" name="action" value="log_time";
                input type="number" name="minutes" min="1" placeholder="Minutes" required;
                label { input type="checkbox" name="billable" value="true"; " billable" }
                input type="text" name="note" placeholder="Note";
                button { "Log time" }
            }
            h2 { "Time logged" }
            table #time {
                @for e in &time {
                    tr {
                        td { (when(e.created_at)) }
                        td { (e.minutes.get()) " min" }
                        td { @if e.billable { "billable" } }
                        td { (e.note) }
                    }
                }
            }
            h2 { "History" }
            pre #history { (history.unwrap_or_default()) }
        }
    };
    Ok(layout(ticket.subject.as_str(), Some(&user), body).into_response())
}

async fn post_message(
    State(state): State<AppState>,
    user: PageUser,
    Path(key): Path<String>,
    req: Request,
) -> PageResult {
    let multipart = Multipart::from_request(req, &state)
        .await
        .map_err(|e| ApiError::bad_request(e.body_text()))?;
    let (fields, uploads) = read_multipart(multipart).await?;
    user.check_csrf(fields.get(auth::CSRF_FIELD))?;
    let body = MessageBody::parse(fields.get("body").map(String::as_str).unwrap_or_default())
        .map_err(ApiError::from)?;
    let ticket = find_ticket(&state.desk, user.actor, &key).await?;
    let command = if fields
        .get("internal")
        .is_some_and(|v| v == "true" || v == "on")
    {
        Command::AddNote {
            body,
            attachments: Vec::new(),
        }
    } else {
        Command::Reply {
            body,
            attachments: Vec::new(),
        }
    };
    let outcome = state
        .desk
        .execute_with_uploads(
            user.actor,
            ticket.id,
            command,
            uploads,
            ExecOptions::default(),
        )
        .await?;
    Ok(see_other(&format!("/tickets/{}", outcome.ticket().id)))
}

async fn ticket_action(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Posted { user, form }: Posted,
) -> PageResult {
    let ticket = find_ticket(&state.desk, user.actor, &key).await?;
    let field = |k: &str| form.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let command = match field("action").unwrap_or_default() {
        "confirm" => Command::ConfirmResolution,
        "resolve" => Command::Resolve { body: None },
        "hold" => Command::PutOnHold {
            reason: None,
            until: None,
        },
        "close" => Command::Close {
            resolution: Resolution::Solved,
        },
        "reopen" => Command::Reopen,
        "link" => {
            let master = match field("master") {
                Some(number) => Some(find_ticket(&state.desk, user.actor, number).await?.id),
                None => None,
            };
            Command::LinkToMaster { master }
        }
        "log_time" => Command::LogTime {
            minutes: Minutes::new(
                field("minutes")
                    .and_then(|m| m.parse().ok())
                    .ok_or_else(|| ApiError::bad_request("minutes: give a number"))?,
            )
            .map_err(ApiError::from)?,
            billable: field("billable").is_some(),
            note: ShortNote::parse(field("note").unwrap_or_default()).map_err(ApiError::from)?,
        },
        "assign" => Command::Assign {
            agent: field("agent")
                .map(str::parse)
                .transpose()
                .map_err(ApiError::from)?,
        },
        "priority" => Command::ChangePriority {
            priority: Priority::ALL
                .into_iter()
                .find(|p| Some(p.as_str()) == field("priority"))
                .ok_or_else(|| ApiError::bad_request("unknown priority"))?,
        },
        other => return Err(ApiError::bad_request(format!("unknown action {other:?}")).into()),
    };
    state.desk.execute(user.actor, ticket.id, command).await?;
    Ok(see_other(&format!("/tickets/{}", ticket.id)))
}

// ---------------------------------------------------------------------------------------------
// Admin: departments, agents and their signatures, customers and their access

async fn admin(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let desk = &state.desk;
    let departments = desk.departments(user.actor).await?;
    let agents = desk.agents(user.actor).await?;
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
        desk.find_customers(user.actor, &lookup).await?
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

async fn admin_department(
    State(state): State<AppState>,
    Posted { user, form }: Posted,
) -> PageResult {
    let name = Name::parse(form.get("name").map(String::as_str).unwrap_or_default())
        .map_err(ApiError::from)?;
    state
        .desk
        .create_department(user.actor, name, FollowUpPolicy::Reopen)
        .await?;
    Ok(see_other("/admin"))
}

async fn admin_signature(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { user, form }: Posted,
) -> PageResult {
    let id: AgentId = id.parse().map_err(ApiError::from)?;
    let signature = Signature::parse(
        form.get("signature")
            .map(String::as_str)
            .unwrap_or_default(),
    )
    .map_err(ApiError::from)?;
    state.desk.set_signature(user.actor, id, signature).await?;
    Ok(see_other("/admin"))
}

async fn admin_access(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Posted { user, form }: Posted,
) -> PageResult {
    let id: CustomerId = id.parse().map_err(ApiError::from)?;
    let enabled = form.get("enabled").is_some_and(|v| v == "true");
    state
        .desk
        .set_customer_access(user.actor, id, enabled)
        .await?;
    Ok(see_other("/admin"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word the pages ask for is in `words.txt`, in all four languages.
    #[test]
    fn every_word_of_the_pages_is_translated() {
        let source = include_str!("pages.rs");
        let keys: Vec<&str> = source
            .split("t(lang, \"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(keys.len() > 10, "{keys:?}");
        for key in keys {
            for lang in [
                Language::English,
                Language::Romanian,
                Language::Russian,
                Language::Persian,
            ] {
                assert_ne!(t(lang, key), "?", "{key} in {lang:?}");
            }
        }
    }
}
