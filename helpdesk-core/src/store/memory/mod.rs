//! The in-memory store: the reference every other backend is compared with.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{
    BlobKey, CommitFacts, Page, PageRequest, Store, StoredTicket, TicketFilter, WriteBatch,
    check_commit,
};
use crate::domain::{Actor, AuthToken, Login, TokenHash};
use crate::domain::{
    Agent, AgentId, Article, ArticleId, CannedResponse, CannedResponseId, Customer, CustomerId,
    Delivery, DeliveryOutcome, Department, DepartmentId, Email, MailReference, Message,
    Notification, NotificationId, NotificationState, OutboundEmail, OutboxId, Recipient,
    SavedSearchId, TemplateId, Ticket, TicketEvent, TicketId, TicketTemplate, TimeEntry,
};
use crate::error::{Entity, Error, Result};
use crate::search::{CustomerLookup, SavedSearch, TicketSearch};

mod accounts;
mod automation;
mod bulk_restore;
mod chat;
mod erasure;
mod feed;
mod followers;
mod knowledge;
mod mailboxes;
mod notification_prefs;
mod organisations;
mod person_settings;
mod quarantine;
mod reports;
mod saved_searches;
mod settings;
mod sign_in_throttle;
mod snoozed_notifications;
mod tags;
mod templates;
mod undeliverable;
mod webhooks;

/// Everything in memory, behind one lock: simple, and correct by construction, which is what
/// a reference must be. For tests, prototypes and the proptest model.
///
/// ```
/// use std::sync::Arc;
/// use helpdesk_core::store::{MemoryStore, Store};
/// let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
    /// Wakes readers waiting on the change feed after a commit.
    feed_wake: super::FeedWake,
}

#[derive(Debug, Default)]
struct Inner {
    departments: BTreeMap<DepartmentId, Department>,
    agents: BTreeMap<AgentId, Agent>,
    customers: BTreeMap<CustomerId, Customer>,
    sequence: u64,
    tickets: HashMap<TicketId, Ticket>,
    numbers: HashMap<String, TicketId>,
    messages: HashMap<TicketId, Vec<Message>>,
    events: HashMap<TicketId, Vec<TicketEvent>>,
    time_entries: HashMap<TicketId, Vec<TimeEntry>>,
    /// The sha256 of every attachment of a stored message.
    blob_refs: HashSet<String>,
    articles: BTreeMap<ArticleId, Article>,
    /// Each person's one vote per article.
    article_votes: BTreeMap<(ArticleId, crate::domain::Voter), crate::domain::ArticleVote>,
    /// The knowledge base's stored categories.
    article_categories: std::collections::BTreeSet<crate::domain::Category>,
    saved_searches: BTreeMap<SavedSearchId, SavedSearch>,
    templates: BTreeMap<TemplateId, TicketTemplate>,
    canned: BTreeMap<CannedResponseId, CannedResponse>,
    notifications: BTreeMap<NotificationId, Notification>,
    outbox: BTreeMap<OutboxId, OutboundEmail>,
    mail_references: Vec<MailReference>,
    logins: HashMap<Actor, Login>,
    tokens: HashMap<TokenHash, AuthToken>,
    account_links: HashMap<TokenHash, crate::domain::AccountLink>,
    sign_in_attempts: Vec<crate::store::SignInAttempt>,
    chats: BTreeMap<crate::domain::ChatId, crate::domain::ChatSession>,
    availability: BTreeMap<AgentId, crate::domain::Availability>,
    settings: BTreeMap<super::SettingKey, String>,
    setting_changes: Vec<super::SettingChange>,
    quarantine: BTreeMap<crate::domain::QuarantineId, (super::QuarantinedMail, Vec<u8>)>,
    ignored_mail: BTreeMap<crate::domain::IgnoredMailId, super::IgnoredMail>,
    undeliverable: BTreeMap<crate::domain::Email, super::UndeliverableAddress>,
    /// Each stored mailbox with its password.
    mailboxes: BTreeMap<crate::domain::MailboxId, (super::Mailbox, String)>,
    /// Each organisation's domains, by domain.
    organisation_domains: BTreeMap<crate::domain::OrganisationDomain, CustomerId>,
    /// The members who see their organisation's tickets.
    sees_organisation_tickets: std::collections::BTreeSet<CustomerId>,
    /// Agents' notification preferences.
    notification_preferences: BTreeMap<AgentId, crate::domain::NotificationPreferences>,
    /// People's own settings (time zone, staff's page language).
    person_settings: std::collections::HashMap<crate::domain::Actor, crate::domain::PersonSettings>,
    /// The audit trail of erasures, oldest first.
    erasures: Vec<super::ErasureRecord>,
    /// Each ticket's CC addresses.
    ticket_cc: std::collections::BTreeSet<(TicketId, Email)>,
    /// The agents following each ticket.
    followers: std::collections::BTreeSet<(TicketId, AgentId)>,
    /// Automation rules.
    rules: BTreeMap<crate::domain::RuleId, crate::automation::Rule>,
    /// Macros.
    macros: BTreeMap<crate::domain::MacroId, crate::automation::Macro>,
    /// The log of rules that fired, oldest first.
    rule_firings: Vec<crate::automation::RuleFiring>,
    /// The change feed.
    feed: feed::Feed,
    /// Webhook endpoints.
    webhooks: BTreeMap<crate::domain::WebhookId, crate::webhooks::WebhookEndpoint>,
    /// Webhook deliveries, each with the lease holding it.
    webhook_deliveries: BTreeMap<crate::domain::WebhookDeliveryId, webhooks::Held>,
    /// Notices to admins (a webhook endpoint disabled).
    admin_notices: Vec<crate::webhooks::AdminNotice>,
    /// The last run taken of each scheduled rule that has run.
    rule_runs: BTreeMap<crate::domain::RuleId, chrono::DateTime<chrono::Utc>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Inner {
    /// The facts [`check_commit`] needs for `batch`, read from the maps.
    fn facts(&self, batch: &WriteBatch) -> CommitFacts {
        let keys = batch.keys();
        let mut facts = CommitFacts::new();
        for id in keys.tickets {
            if let Some(t) = self.tickets.get(&id) {
                facts.stored_ticket(
                    id,
                    StoredTicket {
                        version: t.version,
                        number_full: t.number.full().to_owned(),
                        number_short: t.number.short().to_owned(),
                        subject: t.subject.as_str().to_owned(),
                    },
                );
            }
        }
        for n in keys
            .numbers
            .into_iter()
            .filter(|n| self.numbers.contains_key(*n))
        {
            facts.number_taken(n);
        }
        for m in keys.email_message_ids {
            if self.outbox.values().any(|e| e.message_id == m) {
                facts.email_message_id_taken(m);
            }
        }
        for m in keys.reference_message_ids {
            if self.mail_references.iter().any(|r| r.message_id == m) {
                facts.reference_message_id_taken(m);
            }
        }
        for id in keys
            .notifications
            .into_iter()
            .filter(|id| self.notifications.contains_key(id))
        {
            facts.notification_taken(id);
        }
        for id in keys
            .emails
            .into_iter()
            .filter(|id| self.outbox.contains_key(id))
        {
            facts.email_taken(id);
        }
        for id in keys.moved_messages {
            let on = (self.messages.iter()).find(|(_, thread)| thread.iter().any(|m| m.id == id));
            if let Some((ticket, _)) = on {
                facts.message_on(id, *ticket);
            }
        }
        for id in keys.moved_events {
            let on = (self.events.iter()).find(|(_, log)| log.iter().any(|e| e.id == id));
            if let Some((ticket, _)) = on {
                facts.event_on(id, *ticket);
            }
        }
        facts
    }

    fn apply(&mut self, batch: WriteBatch) {
        self.notifications
            .extend(batch.notifications.into_iter().map(|n| (n.id, n)));
        self.outbox
            .extend(batch.outbox.into_iter().map(|e| (e.id, e)));
        self.mail_references.extend(batch.mail_references);
        self.rule_firings.extend(batch.rule_firings);
        let mut moves = Vec::new();
        for write in batch.writes {
            let t = write.ticket;
            moves.push((t.id, write.moved_messages, write.moved_events));
            if write.expected.is_none() {
                self.numbers.insert(t.number.full().to_owned(), t.id);
                self.numbers.insert(t.number.short().to_owned(), t.id);
            }
            self.blob_refs.extend(
                (write.messages.iter())
                    .flat_map(|m| &m.attachments)
                    .map(|a| a.sha256().to_owned()),
            );
            self.messages
                .entry(t.id)
                .or_default()
                .extend(write.messages);
            self.events.entry(t.id).or_default().extend(write.events);
            self.time_entries
                .entry(t.id)
                .or_default()
                .extend(write.time_entries);
            self.tickets.insert(t.id, t);
        }
        // After every write's own entries, as SQL stores number them: moved entries leave
        // their tickets, then join their new ones at the end.
        for (_, messages, events) in &moves {
            for m in messages {
                for thread in self.messages.values_mut() {
                    thread.retain(|stored| stored.id != m.id);
                }
            }
            for e in events {
                for log in self.events.values_mut() {
                    log.retain(|stored| stored.id != e.id);
                }
            }
        }
        for (ticket, messages, events) in moves {
            self.messages.entry(ticket).or_default().extend(messages);
            self.events.entry(ticket).or_default().extend(events);
        }
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn put_department(&self, department: &Department) -> Result<()> {
        self.lock()
            .departments
            .insert(department.id, department.clone());
        Ok(())
    }

    async fn department(&self, id: DepartmentId) -> Result<Option<Department>> {
        Ok(self.lock().departments.get(&id).cloned())
    }

    async fn departments(&self) -> Result<Vec<Department>> {
        let mut all: Vec<_> = self.lock().departments.values().cloned().collect();
        all.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
        Ok(all)
    }

    async fn put_agent(&self, agent: &Agent) -> Result<()> {
        let mut inner = self.lock();
        if inner
            .agents
            .values()
            .any(|a| a.id != agent.id && a.email == agent.email)
        {
            return Err(Error::duplicate(Entity::Agent, "email"));
        }
        inner.agents.insert(agent.id, agent.clone());
        Ok(())
    }

    async fn agent(&self, id: AgentId) -> Result<Option<Agent>> {
        Ok(self.lock().agents.get(&id).cloned())
    }

    async fn agents(&self) -> Result<Vec<Agent>> {
        let mut all: Vec<_> = self.lock().agents.values().cloned().collect();
        all.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
        Ok(all)
    }

    async fn put_customer(&self, customer: &Customer) -> Result<()> {
        let mut inner = self.lock();
        for other in inner.customers.values().filter(|c| c.id != customer.id) {
            if customer.email.is_some() && other.email == customer.email {
                return Err(Error::duplicate(Entity::Customer, "email"));
            }
            if customer.contract_number.is_some()
                && other.contract_number == customer.contract_number
            {
                return Err(Error::duplicate(Entity::Customer, "contract_number"));
            }
        }
        inner.customers.insert(customer.id, customer.clone());
        Ok(())
    }

    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        Ok(self.lock().customers.get(&id).cloned())
    }

    async fn customer_by_email(&self, email: &Email) -> Result<Option<Customer>> {
        Ok(self
            .lock()
            .customers
            .values()
            .find(|c| c.email.as_ref() == Some(email))
            .cloned())
    }

    async fn find_customers(&self, lookup: &CustomerLookup, limit: u32) -> Result<Vec<Customer>> {
        let mut found: Vec<Customer> = self
            .lock()
            .customers
            .values()
            .filter(|c| lookup.matches(c))
            .cloned()
            .collect();
        found.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
        found.truncate(limit as usize);
        Ok(found)
    }

    async fn list_customers(
        &self,
        filter: &crate::store::CustomerFilter,
        page: &crate::store::CustomerPageRequest,
    ) -> Result<crate::store::CustomerPage> {
        Ok(page.page_of(filter, self.lock().customers.values()))
    }

    async fn next_ticket_sequence(&self) -> Result<u64> {
        let mut inner = self.lock();
        inner.sequence += 1;
        Ok(inner.sequence)
    }

    async fn next_ticket_sequences(&self, count: u32) -> Result<Vec<u64>> {
        let mut inner = self.lock();
        let first = inner.sequence + 1;
        inner.sequence += u64::from(count);
        Ok((first..=inner.sequence).collect())
    }

    async fn commit(&self, batch: WriteBatch) -> Result<()> {
        let mut inner = self.lock();
        check_commit(&batch, &inner.facts(&batch))?;
        let changes = crate::feed::changes_of_batch(&batch);
        inner.enqueue_webhooks(
            &changes,
            crate::webhooks::batch_time(&batch, chrono::Utc::now()),
        );
        inner.enqueue_rule_deliveries(&batch.rule_deliveries);
        inner.apply(batch);
        inner.feed.append(changes);
        drop(inner);
        self.feed_wake.wake();
        Ok(())
    }

    async fn ticket(&self, id: TicketId) -> Result<Option<Ticket>> {
        Ok(self.lock().tickets.get(&id).cloned())
    }

    async fn ticket_by_number(&self, digits: &str) -> Result<Option<Ticket>> {
        let inner = self.lock();
        Ok(inner
            .numbers
            .get(digits)
            .and_then(|id| inner.tickets.get(id))
            .cloned())
    }

    async fn list_tickets(
        &self,
        filter: &TicketFilter,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        let mut rows: Vec<Ticket> = self
            .lock()
            .tickets
            .values()
            .filter(|t| filter.matches(t))
            .filter(|t| page.cursor().is_none_or(|c| c.precedes(t)))
            .cloned()
            .collect();
        page.sort(&mut rows);
        rows.truncate(page.limit() as usize + 1);
        Ok(page.into_page(rows))
    }

    async fn count_tickets(&self, filter: &TicketFilter) -> Result<u64> {
        let inner = self.lock();
        Ok(inner.tickets.values().filter(|t| filter.matches(t)).count() as u64)
    }

    async fn search_tickets(
        &self,
        search: &TicketSearch,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        let inner = self.lock();
        let no_messages = Vec::new();
        let mut rows: Vec<(Ticket, u32)> = inner
            .tickets
            .values()
            .filter(|t| {
                let thread = inner.messages.get(&t.id).unwrap_or(&no_messages);
                search.matches(t, thread)
            })
            .map(|t| (t.clone(), search.score(t)))
            .filter(|(t, score)| page.cursor().is_none_or(|c| c.precedes_scored(t, *score)))
            .collect();
        page.sort_scored(&mut rows);
        rows.truncate(page.limit() as usize + 1);
        Ok(page.into_page_scored(rows))
    }

    async fn due_tickets(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Ticket>> {
        let mut due: Vec<Ticket> = self
            .lock()
            .tickets
            .values()
            .filter(|t| t.next_due_at.is_some_and(|d| d <= now))
            .cloned()
            .collect();
        due.sort_by_key(|t| (t.next_due_at, t.id));
        due.truncate(limit as usize);
        Ok(due)
    }

    async fn messages(&self, ticket: TicketId, include_internal: bool) -> Result<Vec<Message>> {
        Ok(self
            .lock()
            .messages
            .get(&ticket)
            .map(|all| {
                all.iter()
                    .filter(|m| include_internal || m.is_public())
                    .cloned()
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn history(&self, ticket: TicketId) -> Result<Vec<TicketEvent>> {
        Ok(self.lock().events.get(&ticket).cloned().unwrap_or_default())
    }

    async fn time_entries(&self, ticket: TicketId) -> Result<Vec<TimeEntry>> {
        Ok(self
            .lock()
            .time_entries
            .get(&ticket)
            .cloned()
            .unwrap_or_default())
    }

    async fn notifications(
        &self,
        recipient: Recipient,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Notification>> {
        let mut shown: Vec<Notification> = self
            .lock()
            .notifications
            .values()
            .filter(|n| n.recipient == recipient && n.is_active(now))
            .cloned()
            .collect();
        shown.sort_by_key(|n| std::cmp::Reverse((n.created_at, n.id)));
        shown.truncate(limit as usize);
        Ok(shown)
    }

    async fn notification(
        &self,
        recipient: Recipient,
        id: NotificationId,
    ) -> Result<Option<Notification>> {
        Ok(self
            .lock()
            .notifications
            .get(&id)
            .filter(|n| n.recipient == recipient)
            .cloned())
    }

    async fn set_notification_state(
        &self,
        recipient: Recipient,
        id: NotificationId,
        state: &NotificationState,
    ) -> Result<()> {
        match self
            .lock()
            .notifications
            .get_mut(&id)
            .filter(|n| n.recipient == recipient)
        {
            Some(n) => {
                n.state = *state;
                Ok(())
            }
            None => Err(Error::not_found(Entity::Notification, id)),
        }
    }

    async fn dismiss_notifications(&self, recipient: Recipient, now: DateTime<Utc>) -> Result<u64> {
        let mut dismissed = 0;
        for n in self.lock().notifications.values_mut() {
            if n.recipient == recipient && n.is_active(now) {
                n.state.dismissed_at = Some(now);
                dismissed += 1;
            }
        }
        Ok(dismissed)
    }

    async fn lease_outbox(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<OutboundEmail>> {
        let mut inner = self.lock();
        let mut due: Vec<(DateTime<Utc>, OutboxId)> = inner
            .outbox
            .values()
            .filter_map(|e| match e.delivery {
                Delivery::Pending { at } if at <= now => Some((at, e.id)),
                _ => None,
            })
            .collect();
        due.sort();
        due.truncate(limit as usize);
        let mut leased = Vec::with_capacity(due.len());
        for (_, id) in due {
            if let Some(e) = inner.outbox.get_mut(&id) {
                e.attempts += 1;
                e.delivery = Delivery::Pending { at: lease_until };
                leased.push(e.clone());
            }
        }
        Ok(leased)
    }

    async fn finish_delivery(&self, id: OutboxId, outcome: &DeliveryOutcome) -> Result<()> {
        let mut inner = self.lock();
        let e = inner
            .outbox
            .get_mut(&id)
            .ok_or_else(|| Error::not_found(Entity::Email, id))?;
        let (delivery, error) = outcome.delivery();
        e.delivery = delivery;
        e.last_error = error.map(str::to_owned);
        Ok(())
    }

    async fn outbox_email(&self, id: OutboxId) -> Result<Option<OutboundEmail>> {
        Ok(self.lock().outbox.get(&id).cloned())
    }

    async fn ticket_emails(&self, ticket: TicketId) -> Result<Vec<OutboundEmail>> {
        let mut emails: Vec<OutboundEmail> = self
            .lock()
            .outbox
            .values()
            .filter(|e| e.ticket_id == Some(ticket))
            .cloned()
            .collect();
        emails.sort_by_key(|e| (e.created_at, e.id));
        Ok(emails)
    }

    async fn mail_reference(&self, message_id: &str) -> Result<Option<MailReference>> {
        Ok(self
            .lock()
            .mail_references
            .iter()
            .find(|r| r.message_id == message_id)
            .cloned())
    }

    async fn mail_references_of(&self, message_ids: &[String]) -> Result<Vec<MailReference>> {
        let wanted: std::collections::HashSet<&str> =
            message_ids.iter().map(String::as_str).collect();
        Ok(self
            .lock()
            .mail_references
            .iter()
            .filter(|r| wanted.contains(r.message_id.as_str()))
            .cloned()
            .collect())
    }

    async fn mail_references(&self, ticket: TicketId) -> Result<Vec<MailReference>> {
        Ok(self
            .lock()
            .mail_references
            .iter()
            .filter(|r| r.ticket_id == ticket)
            .cloned()
            .collect())
    }

    async fn referenced_blobs(&self, keys: &[BlobKey]) -> Result<Vec<BlobKey>> {
        let inner = self.lock();
        Ok(keys
            .iter()
            .filter(|k| inner.blob_refs.contains(k.as_str()))
            .cloned()
            .collect())
    }

    crate::offer_every_ability!();
}
