//! Reads taken together: what one request reads before it decides (a ticket, its department
//! and customer, other departments and customers, the agent directory, settings), asked of
//! the store in one call, so that a backend can answer it on one connection in one hop
//! (SQLite: one blocking task; PostgreSQL: concurrent queries) instead of one call each.

use super::thread_page::check_limit;
use super::{MessagePage, Page, PageRequest, SettingKey, Store, TicketFilter, TicketOrder};
use crate::automation::Rule;
use crate::domain::{
    Actor, Agent, AgentId, Customer, CustomerId, Department, DepartmentId, Ticket, TicketKey,
};
use crate::error::Result;
use crate::listing::scope;
use crate::webhooks::WebhookEndpoint;

/// What to read at once ([`Store::read_together`]). Each part is read as its own method
/// would read it; the answer is the same as those reads made one after another.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadSet {
    /// A ticket, by id or by number (the digits as [`Store::ticket_by_number`] takes them).
    pub ticket: Option<TicketKey>,
    /// With the ticket, when found: its department too.
    pub ticket_department: bool,
    /// With the ticket, when found: its customer too, if it has one.
    pub ticket_customer: bool,
    /// With the ticket, when found: its thread, as [`Store::ticket_with_thread`] reads it.
    pub ticket_thread: Option<ThreadRead>,
    /// Departments by id.
    pub departments: Vec<DepartmentId>,
    /// Customers by id.
    pub customers: Vec<CustomerId>,
    /// The whole agent directory ([`Store::agents`]).
    pub agents: bool,
    /// One agent, with their departments and permissions ([`Store::agent`]): the principal
    /// of a request, read with the request's other reads.
    pub agent: Option<AgentId>,
    /// Settings, when the store keeps settings ([`Store::as_settings_store`]).
    pub settings: Vec<SettingKey>,
    /// A page of tickets ([`Store::list_tickets`]) narrowed to what its viewer may see, the
    /// viewer read in the same set ([`tickets_filter`]): a queue page with its principal.
    pub tickets: Option<TicketsRead>,
    /// With the ticket, when found and linked to no master itself: every ticket linked to
    /// it ([`linked_filter`]), whatever their status, in the default order, all pages: what
    /// a change of a master carries to them needs them (see
    /// [`may_reach_linked`](crate::machine::may_reach_linked)).
    pub ticket_linked: bool,
    /// The automation rules, in their order ([`AutomationStore::rules`](super::AutomationStore::rules)),
    /// when the store has the ability ([`Store::as_automation_store`]): what the triggers of
    /// a change need ([`ReadTogether::rules`]).
    pub rules: bool,
    /// The webhook endpoints ([`WebhookStore::webhooks`](super::WebhookStore::webhooks)),
    /// when the store has the ability ([`Store::as_webhook_store`]): what a commit's
    /// deliveries and the rules' webhook calls need ([`ReadTogether::webhooks`]).
    pub webhooks: bool,
}

/// A page of tickets to read with the principal whose list it is ([`ReadSet::tickets`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TicketsRead {
    /// Whose list: an agent must also be [`ReadSet::agent`], a customer one of
    /// [`ReadSet::customers`]; the page is read only if they were found.
    pub viewer: Actor,
    /// The tickets asked for, before they are narrowed to what the viewer may see.
    pub filter: TicketFilter,
    /// Which page.
    pub page: PageRequest,
}

/// Which of a ticket's thread to read with it ([`ReadSet::ticket_thread`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadRead {
    /// Internal notes too.
    pub include_internal: bool,
    /// The newest this many messages (1 to [`MAX_THREAD_PAGE`](super::MAX_THREAD_PAGE)),
    /// or the whole thread when `None`.
    pub newest: Option<u32>,
}

impl ReadSet {
    /// A validation error when the thread asked for has a page size out of range (checked
    /// before anything is read).
    ///
    /// # Errors
    ///
    /// As [`check_limit`].
    pub fn check(&self) -> Result<()> {
        match self.ticket_thread.and_then(|t| t.newest) {
            Some(limit) => check_limit(limit),
            None => Ok(()),
        }
    }
}

/// The answer to a [`ReadSet`]: what was found (absent records are left out).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadTogether {
    /// The ticket, if asked for and found.
    pub ticket: Option<Ticket>,
    /// Its thread (or the newest page of it), if asked for and the ticket was found.
    pub thread: Option<MessagePage>,
    /// The departments found, the ticket's included.
    pub departments: Vec<Department>,
    /// The customers found, the ticket's included.
    pub customers: Vec<Customer>,
    /// Every agent, when asked for.
    pub agents: Option<Vec<Agent>>,
    /// The agent asked for by id, if found.
    pub agent: Option<Agent>,
    /// The settings stored, of those asked for (none when the store keeps no settings).
    pub settings: Vec<(SettingKey, String)>,
    /// The page of tickets asked for, when its viewer was found (see [`tickets_filter`]).
    pub tickets: Option<Page<Ticket>>,
    /// The tickets linked to the ticket, when asked for and the ticket was found and names
    /// no master (empty when none are linked to it).
    pub linked: Option<Vec<Ticket>>,
    /// The automation rules, when asked for and the store has the ability (`None` else).
    pub rules: Option<Vec<Rule>>,
    /// The webhook endpoints, when asked for and the store has the ability (`None` else).
    pub webhooks: Option<Vec<WebhookEndpoint>>,
}

impl ReadTogether {
    /// The department `id`, if found.
    pub fn department(&self, id: DepartmentId) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }

    /// The customer `id`, if found.
    pub fn customer(&self, id: CustomerId) -> Option<&Customer> {
        self.customers.iter().find(|c| c.id == id)
    }

    /// The stored value of `key`, if any.
    pub fn setting(&self, key: SettingKey) -> Option<&str> {
        (self.settings.iter())
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The ticket `key` names, read as [`Store::ticket`] or [`Store::ticket_by_number`] does.
async fn ticket_of<S: Store + ?Sized>(store: &S, key: &TicketKey) -> Result<Option<Ticket>> {
    match key {
        TicketKey::Id(id) => store.ticket(*id).await,
        TicketKey::Number(digits) => store.ticket_by_number(digits).await,
    }
}

/// Answers `set` with one call per part, in order: the default of
/// [`Store::read_together`], and what every backend's answer must equal.
///
/// # Errors
///
/// The first error of a read.
pub async fn read_one_by_one<S: Store + ?Sized>(store: &S, set: &ReadSet) -> Result<ReadTogether> {
    set.check()?;
    let mut read = ReadTogether::default();
    if let Some(key) = &set.ticket {
        read.ticket = ticket_of(store, key).await?;
    }
    if let (Some(ticket), Some(thread)) = (&read.ticket, set.ticket_thread) {
        read.thread = Some(match thread.newest {
            Some(limit) => {
                (store.messages_page(ticket.id, thread.include_internal, None, limit)).await?
            }
            None => MessagePage::from_newest(
                store.messages(ticket.id, thread.include_internal).await?,
                false,
            ),
        });
    }
    for id in set
        .departments
        .iter()
        .copied()
        .chain(ticket_department(set, &read))
    {
        if read.department(id).is_none()
            && let Some(d) = store.department(id).await?
        {
            read.departments.push(d);
        }
    }
    for id in set
        .customers
        .iter()
        .copied()
        .chain(ticket_customer(set, &read))
    {
        if read.customer(id).is_none()
            && let Some(c) = store.customer(id).await?
        {
            read.customers.push(c);
        }
    }
    if set.agents {
        read.agents = Some(store.agents().await?);
    }
    if let Some(id) = set.agent {
        read.agent = store.agent(id).await?;
    }
    if let Some(settings) = store.as_settings_store() {
        for key in &set.settings {
            if let Some(value) = settings.setting(*key).await? {
                read.settings.push((*key, value));
            }
        }
    }
    if set.rules
        && let Some(automation) = store.as_automation_store()
    {
        read.rules = Some(automation.rules().await?);
    }
    if set.webhooks
        && let Some(webhooks) = store.as_webhook_store()
    {
        read.webhooks = Some(webhooks.webhooks().await?);
    }
    if let Some((filter, page)) = tickets_filter(set, &read) {
        read.tickets = Some(store.list_tickets(&filter, page).await?);
    }
    if let Some((filter, mut page)) = linked_filter(set, &read) {
        let mut linked = Vec::new();
        loop {
            let got = store.list_tickets(&filter, &page).await?;
            linked.extend(got.items);
            match got.next {
                Some(cursor) => page = page.after(cursor)?,
                None => break,
            }
        }
        read.linked = Some(linked);
    }
    Ok(read)
}

/// The filter and first page of the tickets linked to the ticket read, when `set` asks for
/// them ([`ReadSet::ticket_linked`]), the ticket was found and names no master (a linked
/// ticket is no master: nothing is read for it). A backend reads every page, each after the
/// last one's cursor, until a page has no next.
pub fn linked_filter(set: &ReadSet, read: &ReadTogether) -> Option<(TicketFilter, PageRequest)> {
    let ticket = read.ticket.as_ref().filter(|_| set.ticket_linked)?;
    if ticket.master.is_some() {
        return None;
    }
    let filter = TicketFilter {
        master: Some(ticket.id),
        ..TicketFilter::default()
    };
    Some((filter, linked_first_page()))
}

/// The first page of a master's linked tickets: the default order, the largest page.
pub fn linked_first_page() -> PageRequest {
    PageRequest::first(TicketOrder::default(), PageRequest::MAX_LIMIT)
}

/// The filter of the page of tickets `set` asks for, narrowed to what its viewer may see
/// (the rule of [`crate::listing::scope`]), with the page: read last, after the viewer.
/// `None` when no page is asked for, the viewer was not read (not found, or not in the
/// set), or they may see nothing of it. Whether the viewer may use the desk at all is
/// decided by the caller; a backend only reads.
pub fn tickets_filter<'a>(
    set: &'a ReadSet,
    read: &ReadTogether,
) -> Option<(TicketFilter, &'a PageRequest)> {
    let part = set.tickets.as_ref()?;
    let filter = part.filter.clone();
    let filter = match part.viewer {
        Actor::System => Some(filter),
        Actor::Agent(id) => (read.agent.as_ref())
            .filter(|a| a.id == id)
            .map(|a| scope::for_agent(a, filter)),
        Actor::Customer(id) => read
            .customer(id)
            .and_then(|c| scope::for_customer(c, None, filter)),
    }?;
    Some((filter, &part.page))
}

/// The ticket's department, when `set` asks for it and the ticket was found.
pub fn ticket_department(set: &ReadSet, read: &ReadTogether) -> Option<DepartmentId> {
    (read.ticket.as_ref())
        .filter(|_| set.ticket_department)
        .map(|t| t.department)
}

/// The ticket's customer, when `set` asks for it, the ticket was found and has one.
pub fn ticket_customer(set: &ReadSet, read: &ReadTogether) -> Option<CustomerId> {
    (read.ticket.as_ref())
        .filter(|_| set.ticket_customer)
        .and_then(|t| t.customer)
}

/// [`Store::read_together`] of a wrapper `outer` that hands its calls to `inner`
/// ([`delegate_store!`](crate::delegate_store)): `inner` answers the whole set when both
/// offer the same settings, automation rules and webhooks; else those parts are what `outer`
/// offers (a wrapper that hides an ability reads none), each read on its own.
///
/// # Errors
///
/// The first error of a read.
pub async fn read_together_via<I: Store + ?Sized, O: Store + ?Sized>(
    inner: &I,
    outer: &O,
    set: &ReadSet,
) -> Result<ReadTogether> {
    let settings_inside = set.settings.is_empty()
        || same_ability(inner.as_settings_store(), outer.as_settings_store());
    let rules_inside =
        !set.rules || same_ability(inner.as_automation_store(), outer.as_automation_store());
    let webhooks_inside =
        !set.webhooks || same_ability(inner.as_webhook_store(), outer.as_webhook_store());
    if settings_inside && rules_inside && webhooks_inside {
        return inner.read_together(set).await;
    }
    let inside = ReadSet {
        settings: if settings_inside {
            set.settings.clone()
        } else {
            Vec::new()
        },
        rules: set.rules && rules_inside,
        webhooks: set.webhooks && webhooks_inside,
        ..set.clone()
    };
    let mut read = inner.read_together(&inside).await?;
    if !settings_inside && let Some(settings) = outer.as_settings_store() {
        for key in &set.settings {
            if let Some(value) = settings.setting(*key).await? {
                read.settings.push((*key, value));
            }
        }
    }
    if !rules_inside && let Some(automation) = outer.as_automation_store() {
        read.rules = Some(automation.rules().await?);
    }
    if !webhooks_inside && let Some(webhooks) = outer.as_webhook_store() {
        read.webhooks = Some(webhooks.webhooks().await?);
    }
    Ok(read)
}

/// Whether two stores' answers for an ability are the same object (or both absent).
fn same_ability<T: ?Sized>(a: Option<&T>, b: Option<&T>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => std::ptr::addr_eq(a as *const T, b as *const T),
        (None, None) => true,
        _ => false,
    }
}
