//! The agent console: the queue (and the live chat's panel). Keyset pages of the library's
//! listing (next and previous, with the total the filter matches), filters (status,
//! department, assignee, priority, type, tags, the search box), the order, saved views (the
//! library's saved searches) and bulk actions over the tickets ticked (see
//! [`console_bulk`](super::console_bulk)). The keyboard shortcuts are in
//! `assets/shortcuts.js`.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{DateTime, Utc};
use helpdesk::domain::{
    Actor, Agent, AgentId, Language, Priority, SavedSearchId, Status, Ticket, TicketType,
};
use helpdesk::error::Error;
use helpdesk::listing::Changed;
use helpdesk::search::SavedSearch;
use helpdesk::store::{Cursor, PageRequest, TicketOrder};
use maud::{Markup, html};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::layout::{csrf_input, layout, num, status_badge, t, t_args, ticket_type_word};
use super::notices::priority_word;
use super::words::number;
use super::{PageResult, when};
use crate::api::tickets::{ListQuery, Listed};
use crate::error::ApiError;
use crate::extract::{PageRefusal, PageSession, PageUser, parse};
use crate::state::AppState;

/// How many tickets a page of the queue shows.
pub const QUEUE_PAGE: u32 = 50;

/// The statuses of the queue unless a status is chosen: every one not closed.
const ACTIVE: &str = "new,open,pending_customer,on_hold,resolved";

/// The query fields of the queue that describe its list (kept through the pages, the
/// saved views and the bulk actions).
pub const LIST_FIELDS: [&str; 11] = [
    "q",
    "status",
    "department",
    "assignee",
    "priority",
    "type",
    "tag",
    "sla",
    "order",
    "view",
    "customer",
];

/// The SLA states the queue filters by: something overdue, or due within the hour.
const SLA_STATES: [(&str, &str); 2] =
    [("overdue", "queue_sla_overdue"), ("soon", "queue_sla_soon")];

/// The console's route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/console", get(console))
}

/// How long a ticket has waited, as hours and minutes in `lang`.
fn waited(lang: Language, since: Option<DateTime<Utc>>) -> String {
    match since {
        Some(since) => {
            let minutes = (Utc::now() - since).num_minutes().max(0);
            #[allow(clippy::cast_precision_loss)]
            let (hours, minutes) = ((minutes / 60) as f64, (minutes % 60) as f64);
            t_args(
                lang,
                "waited_for",
                &[("hours", number(hours)), ("minutes", number(minutes))],
            )
        }
        None => "—".to_owned(),
    }
}

/// A count as a number to format.
fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The queue's query: the filters as typed.
pub struct QueueQuery(pub HashMap<String, String>);

impl QueueQuery {
    /// A field, unless empty.
    pub fn pick(&self, key: &str) -> Option<String> {
        self.0
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// The order asked for: the search's relevance with a query, else who waited longest.
    fn order(&self) -> TicketOrder {
        match self.pick("order").as_deref() {
            Some("priority") => TicketOrder::Priority,
            Some("last_update") => TicketOrder::LastUpdate,
            Some("relevance") if self.pick("q").is_some() => TicketOrder::Relevance,
            Some(_) => TicketOrder::Waiting,
            None if self.pick("q").is_some() => TicketOrder::Relevance,
            None => TicketOrder::Waiting,
        }
    }

    /// The library's listing these filters describe (`me` the agent asking, `now` the
    /// desk's time for the SLA states), the page after `after`.
    pub fn list(&self, me: Option<&Agent>, now: DateTime<Utc>) -> ListQuery {
        self.list_for(me.map(|a| a.id), now)
    }

    /// [`list`](Self::list) for the agent `me` by id (before they are read).
    fn list_for(&self, me: Option<AgentId>, now: DateTime<Utc>) -> ListQuery {
        let status = match self.pick("status").as_deref() {
            None | Some("active") => Some(ACTIVE.to_owned()),
            Some("all") => None,
            Some(s) => Some(s.to_owned()),
        };
        let assignee = match self.pick("assignee").as_deref() {
            Some("me") => me.map(|id| id.to_string()),
            other => other.map(str::to_owned),
        };
        let (due_from, due_to) = match self.pick("sla").as_deref() {
            Some("overdue") => (None, Some(now)),
            Some("soon") => (Some(now), Some(now + chrono::Duration::hours(1))),
            _ => (None, None),
        };
        ListQuery {
            q: self.pick("q"),
            due_from,
            due_to,
            status,
            department: self.pick("department"),
            assignee,
            priority: self.pick("priority"),
            ticket_type: self.pick("type"),
            tag: self.pick("tag"),
            // A customer's tickets (the ticket page's customer panel links here); an id
            // that is none matches nothing rather than everything.
            customer: self.pick("customer").map(|c| {
                c.parse()
                    .unwrap_or_else(|_| helpdesk::domain::CustomerId::new())
            }),
            order: Some(self.order()),
            limit: Some(QUEUE_PAGE),
            after: self.pick("after"),
            ..ListQuery::default()
        }
    }

    /// The list's fields as a query string (`&`-joined, each encoded), without the page.
    pub fn list_query(&self) -> String {
        LIST_FIELDS
            .iter()
            .filter_map(|k| self.pick(k).map(|v| (k, v)))
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(&v, NON_ALPHANUMERIC)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The cursors of the pages before this one, oldest first (`trail`, comma-separated;
    /// the first page has none).
    fn trail(&self) -> Vec<String> {
        self.pick("trail")
            .map(|t| t.split(',').map(str::to_owned).collect())
            .unwrap_or_default()
    }

    /// The address of the queue with this list, on the page after `after` with `trail`
    /// behind it.
    fn address(&self, after: Option<&str>, trail: &[String]) -> String {
        let mut parts = vec![self.list_query()];
        if let Some(after) = after {
            parts.push(format!(
                "after={}",
                utf8_percent_encode(after, NON_ALPHANUMERIC)
            ));
            if !trail.is_empty() {
                let joined = trail.join(",");
                parts.push(format!(
                    "trail={}",
                    utf8_percent_encode(&joined, NON_ALPHANUMERIC)
                ));
            }
        }
        let query = parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("&");
        if query.is_empty() {
            "/console".to_owned()
        } else {
            format!("/console?{query}")
        }
    }
}

/// One page of the queue, and what it took to read it.
struct QueuePage {
    tickets: Vec<Ticket>,
    next: Option<Cursor>,
    total: Option<u64>,
    /// On a page after the first: the tickets changed since the first was read, which no
    /// page of this pass lists (see [`helpdesk::listing::Pass`]).
    changed: Option<Changed>,
}

/// The agent's saved views (none where the store keeps no saved searches).
async fn views(user: &PageUser) -> Result<Vec<SavedSearch>, ApiError> {
    match user.acting.saved_searches().await {
        Ok(found) => Ok(found),
        Err(Error::Unsupported { .. } | Error::Forbidden { .. }) => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// The page the query asks for: of the saved view chosen, or of the filters.
async fn read_page(
    user: &PageUser,
    query: &QueueQuery,
    view: Option<&SavedSearch>,
) -> Result<QueuePage, ApiError> {
    let acting = &user.acting;
    match view {
        Some(view) => {
            let mut page = PageRequest::first(view.order, QUEUE_PAGE);
            if let Some(after) = query.pick("after") {
                let cursor = Cursor::decode(&after).map_err(ApiError::from)?;
                page = PageRequest::first(cursor.order(), QUEUE_PAGE)
                    .after(cursor)
                    .map_err(ApiError::from)?;
            }
            let found = acting.run_saved_search(view.id, page).await?;
            let total = match view.query {
                None => Some(acting.count_tickets(view.filter.clone()).await?),
                Some(_) => None,
            };
            Ok(QueuePage {
                tickets: found.items,
                next: found.next,
                total,
                changed: found.changed,
            })
        }
        None => {
            let list = query.list(acting.principal().agent(), acting.desk().now());
            let listed = list.run(acting).await?;
            Ok(QueuePage {
                tickets: listed.items,
                next: listed.next,
                total: list.total(acting).await?,
                changed: listed.changed,
            })
        }
    }
}

/// The queue's page read with its principal in one store call
/// ([`list_tickets_as`](helpdesk::Helpdesk::list_tickets_as)), then its total: a list of the
/// filters, first page or after (no search, no saved view, filters that parse); `None` for
/// the rest, read after the principal ([`read_page`]).
async fn page_as(
    state: &AppState,
    session: &PageSession,
    query: &QueueQuery,
) -> Result<Option<(PageUser, QueuePage)>, PageRefusal> {
    if query.pick("view").is_some() || query.pick("q").is_some() {
        return Ok(None);
    }
    let me = match session.actor() {
        Actor::Agent(id) => Some(id),
        _ => None,
    };
    let list = query.list_for(me, state.desk.now());
    let Ok((None, filter, page)) = list.request() else {
        return Ok(None);
    };
    let answer = (state.desk)
        .list_tickets_as(session.actor(), filter, page)
        .await;
    let (user, found) = session.admitted(&state.desk, answer).await?;
    let listed = Listed::from(found?);
    let total = list.total(&user.acting).await?;
    let page = QueuePage {
        tickets: listed.items,
        next: listed.next,
        total,
        changed: listed.changed,
    };
    Ok(Some((user, page)))
}

/// `/console`: the queue.
async fn console(
    State(state): State<AppState>,
    session: PageSession,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let query = QueueQuery(query);
    let read = match page_as(&state, &session, &query).await {
        Ok(Some((user, page))) => (user, Some(page)),
        Ok(None) => match session.read_user(&state.desk).await {
            Ok(user) => (user, None),
            Err(refusal) => return Ok(refusal.into_response()),
        },
        Err(refusal) => return Ok(refusal.into_response()),
    };
    let (user, read) = read;
    let lang = user.language;
    let saved = views(&user).await?;
    let view = match query.pick("view") {
        Some(raw) => {
            let id: SavedSearchId = parse(&raw)?;
            Some(
                saved
                    .iter()
                    .find(|v| v.id == id)
                    .ok_or_else(|| ApiError::not_found("no such saved view"))?,
            )
        }
        None => None,
    };
    let page = match read {
        Some(page) => page,
        None => read_page(&user, &query, view).await?,
    };
    let offered = super::tags::offered(&user.acting).await?;
    let departments = user.acting.departments().await?;
    let agents = user.acting.agents().await?;
    let macros = super::ticket_macros::offered(&user.acting).await?;
    let dept_name = |t: &Ticket| {
        departments
            .iter()
            .find(|d| d.id == t.department)
            .map(|d| d.name.to_string())
            .unwrap_or_default()
    };
    let agent_name = |t: &Ticket| {
        t.assignee
            .and_then(|id| agents.iter().find(|a| a.id == id))
            .map(|a| a.name.to_string())
            .unwrap_or_else(|| "—".to_owned())
    };
    let trail = query.trail();
    let next = page.next.map(|c| {
        let mut behind = trail.clone();
        behind.extend(query.pick("after"));
        query.address(Some(&c.encode()), &behind)
    });
    let previous = query.pick("after").map(|_| {
        let mut behind = trail.clone();
        let before = behind.pop();
        query.address(before.as_deref(), &behind)
    });
    let first = trail.len() + usize::from(query.pick("after").is_some());
    let shown_from = first * QUEUE_PAGE as usize + 1;
    let body = html! {
        (super::chat::console_panel(&user))
        h1 { (t(lang, "queue")) }
        (views_section(&user, &saved, view, &query))
        @if view.is_none() { (filters(&user, &query, &departments, &agents, &offered)) }
        (live_queue(&user, &query.address(query.pick("after").as_deref(), &trail)))
        p #queue-total {
            @if let Some(total) = page.total {
                (t(lang, "queue_total")) " " strong { (num(lang, i64::try_from(total).unwrap_or(i64::MAX))) }
                @if !page.tickets.is_empty() {
                    " · " (t(lang, "queue_showing")) " " (num(lang, count(shown_from))) "–" (num(lang, count(shown_from + page.tickets.len() - 1)))
                }
            } @else {
                (t(lang, "queue_showing")) " " (num(lang, count(page.tickets.len())))
            }
        }
        form #bulk method="post" action="/console/tags" {
        (csrf_input(&user))
        input type="hidden" name="back" value=(query.address(query.pick("after").as_deref(), &trail));
        (super::tags::refusal(lang, query.pick("bulk_refused").as_deref(), "bulk-error"))
        div.table-scroll {
        table #queue {
            tr { th { (t(lang, "bulk_select")) } th { (t(lang, "col_ticket")) } th { (t(lang, "subject")) } th { (t(lang, "department")) } th { (t(lang, "status")) } th { (t(lang, "priority")) } th { (t(lang, "queue_assignee")) } th { (t(lang, "waiting")) } th { (t(lang, "sla_due")) } }
            @for ticket in &page.tickets {
                tr data-ticket=(ticket.id) {
                    td { input type="checkbox" name={ "sel_" (ticket.id) } value="on" aria-label=(t(lang, "bulk_select")); }
                    td { a href={ "/tickets/" (ticket.id) } { (ticket.number.short()) } }
                    td { bdi { (ticket.subject) } @for tag in &ticket.tags { " " span.tag-chip dir="auto" { (tag) } } }
                    td { bdi { (dept_name(ticket)) } }
                    td { (status_badge(lang, ticket.status)) }
                    td { (priority_word(lang, ticket.priority)) }
                    td { bdi { (agent_name(ticket)) } }
                    td { (waited(lang, ticket.waiting_since)) }
                    td { @if let Some(due) = ticket.next_due_at { (when(due)) } @else { "—" } }
                }
            }
        }
        }
        @if page.tickets.is_empty() { p #queue-empty { (t(lang, "nothing")) } }
        @if let Some(changed) = page.changed.as_ref().filter(|c| !c.tickets.is_empty()) {
            p #queue-changed {
                (t(lang, "queue_changed")) " "
                @for (i, id) in changed.tickets.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href={ "/tickets/" (id) } { (i + 1) }
                }
                @if changed.more { " …" }
                " · " a href=(query.address(None, &[])) { (t(lang, "queue_first_page")) }
            }
        }
        nav.pages aria-label=(t(lang, "queue_pages")) {
            @if let Some(previous) = &previous { a #previous-page rel="prev" href=(previous) { (t(lang, "queue_previous")) } " " }
            @if let Some(next) = &next { a #next-page rel="next" href=(next) { (t(lang, "queue_next")) } }
        }
        (super::console_bulk::bulk_controls(lang, &agents))
        (super::console_bulk::bulk_macro_controls(lang, &macros))
        fieldset.bulk {
            legend { (t(lang, "bulk_tag")) }
            select name="action" aria-label=(t(lang, "bulk_tag")) {
                option value="add" { (t(lang, "bulk_add")) }
                option value="remove" { (t(lang, "bulk_remove")) }
            }
            " "
            input type="text" name="tags" list="tags-in-use" maxlength="500" placeholder=(t(lang, "tag_placeholder")) required;
            button type="submit" { (t(lang, "bulk_tag")) }
        }
        }
    };
    Ok(layout(t(lang, "queue"), Some(&user), body).into_response())
}

/// The queue's live line, shown by `live-queue.js` when tickets change after the page was
/// read (it follows `GET /api/v1/changes/stream`; `here` reloads the page as it is), and the
/// script, which also keeps the unread notifications' count beside the menu's link.
fn live_queue(user: &PageUser, here: &str) -> Markup {
    let lang = user.language;
    let words = super::chat::script_words(
        lang,
        &[("changed", "live_queue_changed"), ("unread", "live_unread")],
    );
    html! {
        p.notice #queue-live hidden role="status" data-words=(words) {
            span #queue-live-text {} " "
            a #queue-live-refresh href=(here) { (t(lang, "live_refresh")) }
        }
        script src="/assets/live-queue.js" {}
    }
}

/// The filters of the queue, as chosen.
fn filters(
    user: &PageUser,
    query: &QueueQuery,
    departments: &[helpdesk::domain::Department],
    agents: &[Agent],
    offered: &[helpdesk::domain::TagCount],
) -> Markup {
    let lang = user.language;
    let chosen = |k: &str, v: &str| query.pick(k).as_deref() == Some(v);
    let labels = helpdesk::domain::StatusLabels::new(lang);
    let order = query.order();
    html! {
        form #filters method="get" action="/console" {
            input type="search" name="q" value=(query.pick("q").unwrap_or_default())
                placeholder=(t(lang, "search_box_hint")) aria-label=(t(lang, "search"));
            label { (t(lang, "queue_status")) " "
                select name="status" {
                    option value="active" { (t(lang, "queue_active")) }
                    option value="all" selected[chosen("status", "all")] { (t(lang, "queue_any")) }
                    @for s in Status::ALL {
                        option value=(s.as_str()) selected[chosen("status", s.as_str())] { (labels.label(s)) }
                    }
                }
            }
            label { (t(lang, "queue_department")) " "
                select name="department" {
                    option value="" { (t(lang, "queue_any")) }
                    @for d in departments {
                        option value=(d.id) selected[chosen("department", &d.id.to_string())] { (d.name) }
                    }
                }
            }
            label { (t(lang, "queue_assignee")) " "
                select name="assignee" {
                    option value="" { (t(lang, "queue_any")) }
                    option value="me" selected[chosen("assignee", "me")] { (t(lang, "queue_me")) }
                    option value="none" selected[chosen("assignee", "none")] { (t(lang, "queue_unassigned")) }
                    @for a in agents {
                        option value=(a.id) selected[chosen("assignee", &a.id.to_string())] { (a.name) }
                    }
                }
            }
            label { (t(lang, "queue_priority")) " "
                select name="priority" {
                    option value="" { (t(lang, "queue_any")) }
                    @for p in Priority::ALL {
                        option value=(p.as_str()) selected[chosen("priority", p.as_str())] { (priority_word(lang, p)) }
                    }
                }
            }
            label { (t(lang, "queue_type")) " "
                select name="type" {
                    option value="" { (t(lang, "queue_any")) }
                    @for ty in TicketType::BUILT_IN {
                        option value=(ty.as_str()) selected[chosen("type", ty.as_str())] { (ticket_type_word(lang, &ty)) }
                    }
                }
            }
            label { (t(lang, "queue_sla")) " "
                select name="sla" {
                    option value="" { (t(lang, "queue_any")) }
                    @for (value, key) in SLA_STATES {
                        option value=(value) selected[chosen("sla", value)] { (t(lang, key)) }
                    }
                }
            }
            input type="text" name="tag" value=(query.pick("tag").unwrap_or_default()) list="tags-in-use" placeholder=(t(lang, "tag_filter")) aria-label=(t(lang, "tag_filter"));
            (super::tags::datalist(offered))
            label { (t(lang, "queue_sort")) " "
                select name="order" {
                    @for (value, key, o) in [
                        ("waiting", "queue_sort_waiting", TicketOrder::Waiting),
                        ("priority", "queue_sort_priority", TicketOrder::Priority),
                        ("last_update", "queue_sort_updated", TicketOrder::LastUpdate),
                        ("relevance", "queue_sort_relevance", TicketOrder::Relevance),
                    ] {
                        option value=(value) selected[order == o] { (t(lang, key)) }
                    }
                }
            }
            // Reached from a ticket's customer panel: the filter kept, and undone by unticking.
            @if let Some(customer) = query.pick("customer") {
                label.tick { input #customer-filter type="checkbox" name="customer" value=(customer) checked; " " (t(lang, "queue_customer_only")) }
            }
            button { (t(lang, "search")) }
        }
    }
}

/// The saved views: a link to each (the one shown marked), a form saving the filters shown
/// as a new one, and one deleting the view shown.
fn views_section(
    user: &PageUser,
    saved: &[SavedSearch],
    view: Option<&SavedSearch>,
    query: &QueueQuery,
) -> Markup {
    let lang: Language = user.language;
    html! {
        nav #saved-views aria-label=(t(lang, "queue_views")) {
            strong { (t(lang, "queue_views")) ": " }
            a href="/console" aria-current=[view.is_none().then_some("page")] { (t(lang, "queue_all_view")) }
            @for v in saved {
                " · "
                a href={ "/console?view=" (v.id) } aria-current=[(view.map(|c| c.id) == Some(v.id)).then_some("page")] dir="auto" { (v.name) }
            }
        }
        @match view {
            Some(v) => {
                form.inline #delete-view method="post" action={ "/console/views/" (v.id) "/delete" } {
                    (csrf_input(user))
                    button type="submit" { (t(lang, "queue_delete_view")) }
                }
            }
            None => {
                form.inline #save-view method="post" action="/console/views" {
                    (csrf_input(user))
                    // An SLA state is relative to now: a view would keep the instant.
                    @for key in LIST_FIELDS.into_iter().filter(|k| *k != "sla") {
                        @if let Some(value) = query.pick(key) {
                            input type="hidden" name=(key) value=(value);
                        }
                    }
                    input type="text" name="name" maxlength="100" required aria-label=(t(lang, "queue_view_name")) placeholder=(t(lang, "queue_view_name"));
                    button type="submit" { (t(lang, "queue_save_view")) }
                }
            }
        }
    }
}
