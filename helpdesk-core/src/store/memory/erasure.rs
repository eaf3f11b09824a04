//! [`ErasureStore`] for the in-memory reference store: the rule of
//! [`ErasurePlan`](crate::store::ErasurePlan) on the maps, under the one lock.

use std::collections::HashSet;

use async_trait::async_trait;

use super::{Inner, MemoryStore};
use crate::domain::{
    Actor, CustomFields, MessageBody, Recipient, ShortNote, Subject, TicketId, Voter,
};
use crate::error::Result;
use crate::store::{
    ANONYMISED, ErasureMode, ErasurePlan, ErasureRecord, ErasureStore, handled, record_of,
};

impl Inner {
    /// Rewrites the personal text the plan's tickets keep (their history, rating and
    /// request) and the plan's address where other records name it, as
    /// [`ErasurePlan`]'s rule says; drops the saved searches that name the customer.
    fn scrub_kept(&mut self, plan: &ErasurePlan, tickets: &HashSet<TicketId>) {
        for (id, events) in &mut self.events {
            let own = tickets.contains(id);
            for e in events.iter_mut() {
                let own_change = own.then(|| plan.anonymised_change(&e.change)).flatten();
                if let Some(c) = own_change.or_else(|| plan.change_without_address(&e.change)) {
                    e.change = c;
                }
            }
        }
        for id in tickets {
            if let Some(t) = self.tickets.get_mut(id) {
                if let Some(s) =
                    (t.satisfaction.as_ref()).and_then(|s| plan.anonymised_satisfaction(s))
                {
                    t.satisfaction = Some(s);
                }
                if let Some(r) =
                    (t.priority_request.as_ref()).and_then(|r| plan.anonymised_priority_request(r))
                {
                    t.priority_request = Some(r);
                }
            }
        }
        for e in self.outbox.values_mut() {
            if let Some(cc) = plan.cc_without_address(&e.cc) {
                e.cc = cc;
            }
        }
        self.saved_searches
            .retain(|_, s| !plan.names_in_saved_search(s));
    }

    /// Removes or rewrites what hangs off `tickets` (see the rule).
    fn erase_tickets(&mut self, mode: ErasureMode, tickets: &HashSet<TicketId>) -> u64 {
        let count = (tickets.iter())
            .filter_map(|id| self.tickets.get(id))
            .filter(|t| handled(mode, t.subject.as_str()))
            .count() as u64;
        self.notifications
            .retain(|_, n| !tickets.contains(&n.ticket_id));
        self.outbox
            .retain(|_, e| !e.ticket_id.is_some_and(|t| tickets.contains(&t)));
        self.mail_references
            .retain(|r| !tickets.contains(&r.ticket_id));
        self.ticket_cc.retain(|(t, _)| !tickets.contains(t));
        match mode {
            ErasureMode::Erase => {
                for id in tickets {
                    if let Some(t) = self.tickets.remove(id) {
                        self.numbers.remove(t.number.full());
                        self.numbers.remove(t.number.short());
                    }
                    self.messages.remove(id);
                    self.events.remove(id);
                    self.time_entries.remove(id);
                }
                self.chats.retain(|_, c| !tickets.contains(&c.ticket_id));
                self.followers.retain(|(t, _)| !tickets.contains(t));
                self.rule_firings
                    .retain(|f| !tickets.contains(&f.ticket_id));
                for t in self.tickets.values_mut() {
                    if t.master.is_some_and(|m| tickets.contains(&m)) {
                        t.master = None;
                        t.version = t.version.next();
                    }
                }
            }
            ErasureMode::Anonymise => {
                let subject = Subject::parse(ANONYMISED).ok();
                let body = MessageBody::parse(ANONYMISED).ok();
                for id in tickets {
                    if let (Some(t), Some(subject)) = (self.tickets.get_mut(id), &subject) {
                        t.subject = subject.clone();
                        t.custom_fields = CustomFields::default();
                        t.version = t.version.next();
                    }
                    for m in self.messages.get_mut(id).into_iter().flatten() {
                        if let Some(body) = &body {
                            m.body = body.clone();
                        }
                        m.attachments.clear();
                    }
                    for e in self.time_entries.get_mut(id).into_iter().flatten() {
                        e.note = ShortNote::parse("").unwrap_or_else(|_| e.note.clone());
                    }
                }
            }
        }
        self.blob_refs = (self.messages.values().flatten())
            .flat_map(|m| &m.attachments)
            .map(|a| a.sha256().to_owned())
            .collect();
        count
    }

    /// Applies `plan`.
    fn erase(&mut self, plan: &ErasurePlan) -> u64 {
        let tickets: HashSet<TicketId> = plan.tickets.iter().copied().collect();
        let count = self.erase_tickets(plan.mode, &tickets);
        self.scrub_kept(plan, &tickets);
        if let Some(id) = plan.customer {
            let actor = Actor::Customer(id);
            self.logins.remove(&actor);
            self.tokens.retain(|_, t| t.actor != actor);
            self.account_links.retain(|_, l| l.actor != actor);
            self.notifications
                .retain(|_, n| n.recipient != Recipient::Customer(id));
            self.article_votes
                .retain(|(_, voter), _| *voter != Voter::Customer(id));
            self.sees_organisation_tickets.remove(&id);
            self.person_settings.remove(&actor);
            self.organisation_domains.retain(|_, org| *org != id);
            match plan.mode {
                ErasureMode::Erase => {
                    self.customers.remove(&id);
                    for c in self.customers.values_mut() {
                        if c.organisation == Some(id) {
                            c.organisation = None;
                        }
                    }
                    self.chats.retain(|_, c| c.customer != id);
                }
                ErasureMode::Anonymise => {
                    if let (Some(c), Some(p)) = (self.customers.get_mut(&id), &plan.placeholder) {
                        *c = p.clone();
                    }
                }
            }
        }
        if let Some(address) = &plan.address {
            let from = |sender: &Option<String>| {
                sender
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(address.as_str()))
            };
            self.outbox.retain(|_, e| e.to != *address);
            self.quarantine.retain(|_, (m, _)| !from(&m.summary.sender));
            self.ignored_mail.retain(|_, m| !from(&m.summary.sender));
            self.undeliverable.remove(address);
            self.ticket_cc.retain(|(_, cc)| cc != address);
        }
        self.erasures.extend(record_of(plan, count));
        count
    }
}

#[async_trait]
impl ErasureStore for MemoryStore {
    async fn erase(&self, plan: &ErasurePlan) -> Result<u64> {
        Ok(self.lock().erase(plan))
    }

    async fn erasures(&self, limit: u32) -> Result<Vec<ErasureRecord>> {
        let inner = self.lock();
        Ok(inner
            .erasures
            .iter()
            .rev()
            .take(limit as usize)
            .cloned()
            .collect())
    }
}
