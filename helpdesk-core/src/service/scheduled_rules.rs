//! Scheduled rules at work (issue 22, item 2): [`Helpdesk::run_due`] runs each active
//! scheduled rule whose time has come on every ticket its conditions hold for (and old
//! enough for its [`RuleSchedule`]), each ticket once per run.
//!
//! Several processes may run `run_due` on one database: a rule's run is taken first
//! ([`AutomationStore::claim_rule_run`](crate::store::AutomationStore::claim_rule_run), one
//! statement that moves the rule's next run forward only while it is due), so exactly one
//! process runs it, and the tickets are handled by that process alone. Each ticket's work
//! commits on its own, checked against the version it was decided on (a ticket a person
//! changed meanwhile is skipped, and seen again on the next run if it still matches).
//!
//! Loop protection as for triggers: a scheduled rule's own changes fire no trigger, and a
//! ticket past [`MAX_FIRINGS_PER_TICKET_PER_HOUR`] firings in the hour is left alone. Each
//! ticket a rule changed gets a firing log entry in the same commit.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::Helpdesk;
use super::attachments::Staged;
use super::effects::Known;
use super::retry;
use super::triggers::{Runner, Scratch};
use crate::automation::{
    MAX_FIRINGS_PER_TICKET_PER_HOUR, Rule, RuleFacts, RuleFiring, RuleSchedule, matches,
};
use crate::domain::{Actor, Customer, CustomerId, RuleFiringId, Status, Ticket, TicketId};
use crate::error::Result;
use crate::listing::{PageRequest, TicketFilter, TicketOrder};
use crate::policy::ServiceLevels;
use crate::store::{AutomationStore, TicketWrite, WriteBatch};

/// The most tickets one run of a scheduled rule handles; the rest wait for its next run.
pub const MAX_SCHEDULED_TICKETS: usize = 1_000;

/// What the scheduled rules did in one [`Helpdesk::run_due`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScheduledReport {
    /// Rule runs this process took (a run another process took is not counted).
    pub runs: usize,
    /// Tickets a rule changed (or notified about).
    pub tickets: usize,
    /// Tickets changed by someone else between the rule's read and its write.
    pub skipped: usize,
}

/// What handling the tickets of one rule run reads once.
struct RunContext<'a> {
    rule: &'a Rule,
    schedule: RuleSchedule,
    now: DateTime<Utc>,
    levels: &'a ServiceLevels,
    runner: &'a Runner<'a>,
}

impl Helpdesk {
    /// Runs the active scheduled rules whose next run is due at `now`, each in turn by
    /// position; what they did. Nothing when the store keeps no rules. What the rules
    /// write (history, messages, notifications, the firing log) is written at `now`,
    /// whatever the desk's clock says.
    pub async fn run_scheduled_rules(&self, now: DateTime<Utc>) -> Result<ScheduledReport> {
        let now = crate::clock::to_micros(now);
        self.stopped_at(now).scheduled_rules_at(now).await
    }

    /// [`run_scheduled_rules`](Self::run_scheduled_rules) on a desk whose clock shows `now`.
    async fn scheduled_rules_at(&self, now: DateTime<Utc>) -> Result<ScheduledReport> {
        let mut report = ScheduledReport::default();
        let Some(store) = self.store.as_automation_store() else {
            return Ok(report);
        };
        let rules: Vec<Rule> = (store.rules().await?.into_iter())
            .filter(|r| r.active && r.is_scheduled())
            .collect();
        if rules.is_empty() {
            return Ok(report);
        }
        let levels = self.levels_in_force().await?;
        let runner = Runner {
            actor: Actor::System,
            agent: None,
            strict: false,
            priority: self.priority_in_force().await?,
        };
        let mut scratch = Scratch::default();
        let mut customers = HashMap::new();
        for rule in &rules {
            let Some(schedule) = rule.schedule else {
                continue;
            };
            if !store
                .claim_rule_run(rule.id, now, now + schedule.every())
                .await?
            {
                continue;
            }
            report.runs += 1;
            let run = RunContext {
                rule,
                schedule,
                now,
                levels: &levels,
                runner: &runner,
            };
            for id in self.scheduled_candidates(&run, &mut customers).await? {
                let result = self
                    .run_scheduled_on(store, &run, id, &mut customers, &mut scratch)
                    .await;
                if retry::is_stale(&result) {
                    report.skipped += 1;
                } else if result? {
                    report.tickets += 1;
                }
            }
        }
        Ok(report)
    }

    /// The ticket's customer, read once per run.
    async fn customer_once(
        &self,
        ticket: &Ticket,
        customers: &mut HashMap<CustomerId, Option<Customer>>,
    ) -> Result<Option<Customer>> {
        let Some(id) = ticket.customer else {
            return Ok(None);
        };
        if let Some(known) = customers.get(&id) {
            return Ok(known.clone());
        }
        let read = self.store.customer(id).await?;
        customers.insert(id, read.clone());
        Ok(read)
    }

    /// Whether `run`'s rule holds for `ticket` now: its conditions (events aside, text in
    /// the subject) and its schedule's age.
    fn scheduled_match(
        &self,
        run: &RunContext<'_>,
        ticket: &Ticket,
        customer: Option<&Customer>,
    ) -> bool {
        let calendar = run.levels.department_calendar(ticket.department);
        let facts = RuleFacts {
            customer,
            business_hours: calendar.is_open(run.now),
            new_text: "",
        };
        ticket.status != Status::Closed(crate::domain::Resolution::Merged)
            && run
                .schedule
                .old_enough(ticket.updated_at, run.now, calendar)
            && matches(&run.rule.conditions, ticket, None, &facts)
    }

    /// The ids of the tickets `run`'s rule holds for now, each once, at most
    /// [`MAX_SCHEDULED_TICKETS`].
    async fn scheduled_candidates(
        &self,
        run: &RunContext<'_>,
        customers: &mut HashMap<CustomerId, Option<Customer>>,
    ) -> Result<Vec<TicketId>> {
        let c = &run.rule.conditions;
        let filter = TicketFilter {
            statuses: (!c.statuses.is_empty()).then(|| c.statuses.clone()),
            departments: (!c.departments.is_empty()).then(|| c.departments.clone()),
            priorities: (!c.priorities.is_empty()).then(|| c.priorities.clone()),
            ..TicketFilter::default()
        };
        let mut page = PageRequest::first(TicketOrder::LastUpdate, PageRequest::MAX_LIMIT);
        let mut found = Vec::new();
        let mut seen = std::collections::HashSet::new();
        loop {
            let listed = self.store.list_tickets(&filter, &page).await?;
            for t in listed.items {
                let customer = self.customer_once(&t, customers).await?;
                if seen.insert(t.id) && self.scheduled_match(run, &t, customer.as_ref()) {
                    found.push(t.id);
                    if found.len() >= MAX_SCHEDULED_TICKETS {
                        return Ok(found);
                    }
                }
            }
            match listed.next {
                Some(next) => page = page.after(next)?,
                None => return Ok(found),
            }
        }
    }

    /// Runs `run`'s rule on ticket `id` as it is now, in one commit with its log entry;
    /// whether something was written.
    async fn run_scheduled_on(
        &self,
        store: &dyn AutomationStore,
        run: &RunContext<'_>,
        id: TicketId,
        customers: &mut HashMap<CustomerId, Option<Customer>>,
        scratch: &mut Scratch,
    ) -> Result<bool> {
        let Some(ticket) = self.store.ticket(id).await? else {
            return Ok(false);
        };
        let customer = self.customer_once(&ticket, customers).await?;
        if !self.scheduled_match(run, &ticket, customer.as_ref()) {
            return Ok(false);
        }
        let hour_ago = run.now - chrono::Duration::hours(1);
        if store.firings_since(id, hour_ago).await? >= MAX_FIRINGS_PER_TICKET_PER_HOUR {
            return Ok(false);
        }
        let mut write = TicketWrite::update(ticket.version, ticket.clone());
        let done = self
            .run_actions(
                &mut write,
                &run.rule.actions,
                run.runner,
                customer.as_ref(),
                run.levels,
                scratch,
            )
            .await;
        let notifications = std::mem::take(&mut scratch.notifications);
        let (deliveries, skipped) = scratch.take_calls(run.rule, &write.ticket, &[], run.now);
        let done = done?;
        if done.is_empty() {
            return Ok(false);
        }
        write.ticket.version = ticket.version.next();
        let mut batch = WriteBatch::one(write);
        batch.notifications = notifications;
        batch.rule_deliveries = deliveries;
        batch.rule_firings.push(RuleFiring {
            id: RuleFiringId::new(),
            rule: run.rule.id,
            rule_name: run.rule.name.clone(),
            ticket_id: id,
            at: run.now,
            actions: done,
            skipped,
        });
        self.commit(
            batch,
            &Staged::without_triggers(),
            &Known::customer(customer),
        )
        .await?;
        Ok(true)
    }
}

impl super::Acting {
    /// Every rule, by position, each with when it runs next
    /// ([`RuleSchedule::next_run`] from its last run taken): `None` for triggers and rules
    /// turned off (admins).
    pub async fn rules_with_next_run(&self) -> Result<Vec<(Rule, Option<DateTime<Utc>>)>> {
        let rules = self.rules().await?;
        let Some(store) = self.desk.store.as_automation_store() else {
            return Ok(rules.into_iter().map(|r| (r, None)).collect());
        };
        let last: HashMap<_, _> = if rules.iter().any(Rule::is_scheduled) {
            store.last_rule_runs().await?.into_iter().collect()
        } else {
            HashMap::new()
        };
        let now = self.desk.now();
        Ok(rules
            .into_iter()
            .map(|r| {
                let next = (r.schedule.as_ref())
                    .filter(|_| r.active)
                    .map(|s| s.next_run(last.get(&r.id).copied(), now));
                (r, next)
            })
            .collect())
    }
}
