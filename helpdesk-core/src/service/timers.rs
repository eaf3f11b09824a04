//! Time-driven work: `run_due` (SLA warnings and breaches, reminders, auto-close) and each
//! ticket's waiting time.

use chrono::{DateTime, Duration, Utc};

use super::attachments::Staged;
use super::effects::Known;
use super::{Acting, Helpdesk};
use std::collections::HashMap;

use super::retry;
use crate::domain::{Customer, CustomerId, Ticket, TicketId, TicketKey};
use crate::error::Result;
use crate::machine::decide_due;
use crate::store::{ReadSet, WriteBatch};

/// What one [`Helpdesk::run_due`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DueReport {
    /// Tickets changed (each with one or more events).
    pub tickets: usize,
    /// Events written (warnings, breaches, reminders, auto-close warnings, status changes).
    pub events: usize,
    /// Tickets another process changed first; they are picked up on a later run if still due.
    pub skipped: usize,
    /// Queued chats nobody answered in time, handed to the ticket queue.
    pub chats_handed_over: usize,
    /// Chats whose agent's presence expired, put back in their department's queue.
    pub chats_requeued: usize,
    /// Closed tickets the retention rule erased or anonymised
    /// ([`Retention`](crate::service::Retention)).
    pub retained: u64,
    /// Change-feed records older than the feed's retention, deleted.
    pub feed_pruned: u64,
    /// What the scheduled automation rules did ([`Helpdesk::run_scheduled_rules`]).
    pub scheduled: super::ScheduledReport,
}

/// How long the customer has been waiting for an answer (seed 003).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitingTime {
    /// Since their oldest unanswered message.
    pub since: DateTime<Utc>,
    /// Wall-clock time since then.
    pub wall: Duration,
    /// Business time since then, on the ticket's department calendar.
    pub business: Duration,
}

/// How many due tickets `run_due` reads at a time.
const BATCH: u32 = 100;

impl Helpdesk {
    /// Processes everything due at `now`: SLA warnings and breaches, pending reminders,
    /// auto-close warnings and auto-closes, in batches, as the system. Idempotent: a second
    /// run at the same instant changes nothing. Safe when several processes run it against
    /// one database: every write is checked against the version it was decided on, so an
    /// event is written once; a ticket another process changed is skipped.
    ///
    /// Everything it writes is written at `now`, whatever the desk's clock says: the events
    /// it raises, what the triggers they fire and the scheduled rules do (history, messages,
    /// notifications, the firing log, and the hour the firing limit counts back from),
    /// chats handed over, retention. A worker catching up on an instant that has passed
    /// leaves the record one on time would have.
    pub async fn run_due(&self, now: DateTime<Utc>) -> Result<DueReport> {
        let now = crate::clock::to_micros(now);
        self.stopped_at(now).due_work(now).await
    }

    /// This desk with its clock stopped at `at` (the same store and settings): what it
    /// writes, it writes at `at`.
    pub(crate) fn stopped_at(&self, at: DateTime<Utc>) -> Helpdesk {
        self.clone()
            .with_clock(std::sync::Arc::new(crate::clock::ManualClock::new(at)))
    }

    /// [`run_due`](Self::run_due)'s work at `now`, on a desk whose clock shows `now`.
    async fn due_work(&self, now: DateTime<Utc>) -> Result<DueReport> {
        let mut report = DueReport::default();
        let levels = self.levels_in_force().await?;
        let mut skipped: Vec<TicketId> = Vec::new();
        // Customers read once per run: many due tickets share a customer.
        let mut customers: HashMap<CustomerId, Option<Customer>> = HashMap::new();
        loop {
            let batch = self
                .store
                .due_tickets(now, BATCH + skipped.len() as u32)
                .await?;
            let fresh: Vec<Ticket> = batch
                .into_iter()
                .filter(|t| !skipped.contains(&t.id))
                .collect();
            if fresh.is_empty() {
                break;
            }
            // Decide every fresh ticket, then write them all in one batch; if another
            // process changed one of them meanwhile, write them one by one instead, skipping
            // the changed ones.
            // The batch's customers not read yet, in one call.
            let mut unread: Vec<CustomerId> = (fresh.iter())
                .filter_map(|t| t.customer)
                .filter(|id| !customers.contains_key(id))
                .collect();
            unread.sort_unstable();
            unread.dedup();
            if !unread.is_empty() {
                let read = self
                    .store
                    .read_together(&ReadSet {
                        customers: unread.clone(),
                        ..ReadSet::default()
                    })
                    .await?;
                for id in unread {
                    customers.insert(id, read.customer(id).cloned());
                }
            }
            let mut decided = Vec::new();
            for ticket in fresh {
                let customer = ticket
                    .customer
                    .and_then(|id| customers.get(&id).cloned().flatten());
                let kind = crate::policy::CustomerFacts::of(customer.as_ref());
                match decide_due(&ticket, &levels, kind, now) {
                    Some(write) => decided.push((write, customer)),
                    None => skipped.push(ticket.id),
                }
            }
            if decided.is_empty() {
                continue;
            }
            let events: usize = decided.iter().map(|(w, _)| w.events.len()).sum();
            let known = Known::customers(decided.iter().filter_map(|(_, c)| c.clone()).collect());
            let all = WriteBatch::of(decided.iter().map(|(w, _)| w.clone()).collect());
            let result = self.commit(all, &Staged::default(), &known).await;
            if !retry::is_stale(&result) {
                result?;
                report.tickets += decided.len();
                report.events += events;
                continue;
            }
            for (write, customer) in decided {
                let (id, events) = (write.ticket.id, write.events.len());
                let result = self
                    .commit(
                        WriteBatch::one(write),
                        &Staged::default(),
                        &Known::customer(customer),
                    )
                    .await;
                if retry::is_stale(&result) {
                    report.skipped += 1;
                    skipped.push(id);
                } else {
                    result?;
                    report.tickets += 1;
                    report.events += events;
                }
            }
        }
        report.chats_requeued = self.requeue_chats_of_absent_agents(now).await?;
        report.chats_handed_over = self.hand_over_unanswered_chats(now).await?;
        report.retained = self.apply_retention(now).await?;
        report.feed_pruned = self.prune_feed(now).await?;
        report.scheduled = self.run_scheduled_rules(now).await?;
        Ok(report)
    }
}

impl Acting {
    /// Since when, and for how long, the customer has been waiting for an answer on a
    /// ticket; `None` when nobody is waiting.
    pub async fn waiting_time(&self, ticket: impl Into<TicketKey>) -> Result<Option<WaitingTime>> {
        let ticket = self.visible_ticket(ticket).await?;
        let now = self.desk.now();
        let levels = self.desk.levels_in_force().await?;
        Ok(ticket.waiting_since.map(|since| WaitingTime {
            since,
            wall: now - since,
            business: levels
                .department_calendar(ticket.department)
                .between(since, now),
        }))
    }
}
