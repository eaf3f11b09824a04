//! Managing triggers and macros (admins), the firing log and dry runs, and applying a macro
//! to tickets (agents).

use super::Acting;
use super::attachments::Staged;
use super::effects::Known;
use super::triggers::{Runner, Scratch};
use crate::automation::{
    Action, Conditions, Macro, NotifyTarget, Rule, RuleFacts, RuleFiring, RuleSchedule, matches,
    rule::check_actions,
};
use crate::domain::{Actor, MacroId, Name, RuleId, Status, Ticket, TicketId};
use crate::error::{Ability, Entity, Error, Result};
use crate::listing::{PageRequest, TicketFilter, TicketOrder};
use crate::store::{AutomationStore, StoreExt, TicketWrite, WriteBatch};

/// The most tickets a dry run answers with.
pub const MAX_DRY_RUN_TICKETS: usize = 200;

/// The most tickets a dry run looks at (the most recently changed ones).
pub const DRY_RUN_SCAN: usize = 5_000;

/// The most entries of the firing log one call returns.
pub const MAX_RULE_FIRINGS: u32 = 500;

/// A rule as an admin writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDraft {
    /// Its name.
    pub name: Name,
    /// Rules run by position, lowest first.
    pub position: u32,
    /// Whether it runs.
    pub active: bool,
    /// When it applies.
    pub conditions: Conditions,
    /// What it does, in order.
    pub actions: Vec<Action>,
    /// `None`: a trigger; `Some`: a scheduled rule, run by `run_due` (its conditions may
    /// name no events).
    pub schedule: Option<RuleSchedule>,
}

/// What applying a macro did to one ticket.
#[derive(Debug)]
pub enum MacroOutcome {
    /// The ticket changed; as it is now.
    Changed(Box<Ticket>),
    /// Nothing to change (every action was already true of it).
    Unchanged,
    /// Refused, and nothing of the macro was written to this ticket.
    Refused(Error),
}

/// Checks a scheduled rule's schedule, and that it names no events (it runs on time).
fn check_schedule(draft: &RuleDraft) -> Result<()> {
    if let Some(schedule) = &draft.schedule {
        schedule.check()?;
        if !draft.conditions.events.is_empty() {
            return Err(Error::validation(
                "events",
                "a scheduled rule runs on time, not on events",
            ));
        }
    }
    Ok(())
}

/// Refuses a macro's `call_webhook` actions: a webhook call reports a rule that fired.
pub(super) fn refuse_webhook_calls(actions: &[Action]) -> Result<()> {
    if (actions.iter()).any(|a| matches!(a, Action::CallWebhook { .. })) {
        return Err(Error::validation(
            "actions",
            "call_webhook is an action of triggers and scheduled rules, not of macros",
        ));
    }
    Ok(())
}

impl Acting {
    pub(super) fn automation(&self) -> Result<&dyn AutomationStore> {
        self.desk
            .store
            .as_automation_store()
            .ok_or(Error::unsupported(Ability::Automation))
    }

    /// Checks what a rule or a macro names: the lists' sizes, the actions, and that the
    /// departments, agents and canned responses it names exist.
    pub(super) async fn check_automation(
        &self,
        conditions: &Conditions,
        actions: &[Action],
    ) -> Result<()> {
        conditions.check()?;
        check_actions(actions)?;
        for d in &conditions.departments {
            self.desk.store.require_department(*d).await?;
        }
        for action in actions {
            match action {
                Action::MoveDepartment { department } => {
                    self.desk.store.require_department(*department).await?;
                }
                Action::Assign { agent: Some(a) }
                | Action::Notify {
                    to: NotifyTarget::Agent(a),
                } => {
                    (self.desk.store.agent(*a).await?)
                        .ok_or_else(|| Error::not_found(Entity::Agent, *a))?;
                }
                Action::Notify {
                    to: NotifyTarget::Department(department),
                } => {
                    self.desk.store.require_department(*department).await?;
                }
                Action::Reply { response } => {
                    (self
                        .desk
                        .template_store()?
                        .canned_response(*response)
                        .await?)
                        .ok_or_else(|| Error::not_found(Entity::CannedResponse, *response))?;
                }
                Action::CallWebhook { endpoint } => self.require_webhook(*endpoint).await?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Checks that webhook endpoint `id`, named by a `call_webhook` action, exists: a
    /// validation error on `endpoint` when not (or when the store keeps no webhooks).
    async fn require_webhook(&self, id: crate::domain::WebhookId) -> Result<()> {
        let found = match self.desk.store.as_webhook_store() {
            Some(store) => store.webhook(id).await?.is_some(),
            None => false,
        };
        if found {
            Ok(())
        } else {
            Err(Error::validation(
                "endpoint",
                format!("no webhook endpoint {id}"),
            ))
        }
    }

    /// Every trigger, by position (admins).
    pub async fn rules(&self) -> Result<Vec<Rule>> {
        self.require_admin()?;
        self.automation()?.rules().await
    }

    /// Adds a trigger (admins).
    pub async fn create_rule(&self, draft: RuleDraft) -> Result<Rule> {
        self.require_admin()?;
        let store = self.automation()?;
        self.check_automation(&draft.conditions, &draft.actions)
            .await?;
        check_schedule(&draft)?;
        let rule = Rule {
            schedule: draft.schedule,
            id: RuleId::new(),
            name: draft.name,
            position: draft.position,
            active: draft.active,
            conditions: draft.conditions,
            actions: draft.actions,
            created_at: self.desk.now(),
        };
        store.put_rule(&rule).await?;
        Ok(rule)
    }

    /// Replaces a trigger's definition (admins).
    pub async fn update_rule(&self, id: RuleId, draft: RuleDraft) -> Result<Rule> {
        self.require_admin()?;
        let store = self.automation()?;
        let old = (store.rules().await?.into_iter())
            .find(|r| r.id == id)
            .ok_or_else(|| Error::not_found(Entity::Rule, id))?;
        self.check_automation(&draft.conditions, &draft.actions)
            .await?;
        check_schedule(&draft)?;
        let rule = Rule {
            schedule: draft.schedule,
            name: draft.name,
            position: draft.position,
            active: draft.active,
            conditions: draft.conditions,
            actions: draft.actions,
            ..old
        };
        store.put_rule(&rule).await?;
        Ok(rule)
    }

    /// Deletes a trigger (admins); its log entries stay.
    pub async fn delete_rule(&self, id: RuleId) -> Result<()> {
        self.require_admin()?;
        if self.automation()?.delete_rule(id).await? {
            Ok(())
        } else {
            Err(Error::not_found(Entity::Rule, id))
        }
    }

    /// The log of rules that fired, on `ticket` or on every ticket, newest first, at most
    /// `limit` (1 to [`MAX_RULE_FIRINGS`]) (admins).
    pub async fn rule_firings(
        &self,
        ticket: Option<TicketId>,
        limit: u32,
    ) -> Result<Vec<RuleFiring>> {
        self.require_admin()?;
        (self.automation()?)
            .rule_firings(ticket, limit.clamp(1, MAX_RULE_FIRINGS))
            .await
    }

    /// The tickets `conditions` hold for now (the event condition aside; text matched in
    /// subjects), among the [`DRY_RUN_SCAN`] most recently changed tickets, at most
    /// [`MAX_DRY_RUN_TICKETS`] (admins). Nothing is written.
    pub async fn dry_run_rule(&self, conditions: &Conditions) -> Result<Vec<Ticket>> {
        self.dry_run_scheduled_rule(conditions, None).await
    }

    /// As [`dry_run_rule`](Self::dry_run_rule), for a scheduled rule: only the tickets old
    /// enough for `schedule` (unchanged for its time) now.
    pub async fn dry_run_scheduled_rule(
        &self,
        conditions: &Conditions,
        schedule: Option<&RuleSchedule>,
    ) -> Result<Vec<Ticket>> {
        self.require_admin()?;
        conditions.check()?;
        if let Some(schedule) = schedule {
            schedule.check()?;
        }
        let levels = self.desk.levels_in_force().await?;
        let now = self.desk.now();
        let filter = TicketFilter {
            statuses: (!conditions.statuses.is_empty()).then(|| conditions.statuses.clone()),
            departments: (!conditions.departments.is_empty())
                .then(|| conditions.departments.clone()),
            priorities: (!conditions.priorities.is_empty()).then(|| conditions.priorities.clone()),
            ..TicketFilter::default()
        };
        let mut page = PageRequest::first(TicketOrder::LastUpdate, PageRequest::MAX_LIMIT);
        let mut customers = std::collections::HashMap::new();
        let mut found = Vec::new();
        let mut scanned = 0;
        loop {
            let listed = self.desk.store.list_tickets(&filter, &page).await?;
            scanned += listed.items.len();
            for t in listed.items {
                let customer = match t.customer {
                    Some(id) => {
                        if let std::collections::hash_map::Entry::Vacant(slot) = customers.entry(id)
                        {
                            slot.insert(self.desk.store.customer(id).await?);
                        }
                        customers.get(&id).and_then(Option::as_ref)
                    }
                    None => None,
                };
                let facts = RuleFacts {
                    customer,
                    business_hours: levels.department_calendar(t.department).is_open(now),
                    new_text: "",
                };
                let calendar = levels.department_calendar(t.department);
                let old_enough = schedule.is_none_or(|s| s.old_enough(t.updated_at, now, calendar));
                if old_enough && matches(conditions, &t, None, &facts) {
                    found.push(t);
                    if found.len() >= MAX_DRY_RUN_TICKETS {
                        return Ok(found);
                    }
                }
            }
            match listed.next {
                Some(next) if scanned < DRY_RUN_SCAN => page = page.after(next)?,
                _ => return Ok(found),
            }
        }
    }

    /// Every macro, by name (agents and admins).
    pub async fn macros(&self) -> Result<Vec<Macro>> {
        self.require_staff()?;
        self.automation()?.macros().await
    }

    /// Applies a macro to each of `tickets` (1 to
    /// [`MAX_BULK_TICKETS`](super::MAX_BULK_TICKETS), each once) as the acting agent: per
    /// ticket, all its actions commit together or none does, each authorized as the same
    /// command by hand would be (a ticket the agent may not see is refused as not found, an
    /// action they may not take refuses the ticket). The outcome per ticket, in order.
    pub async fn apply_macro(
        &self,
        id: MacroId,
        tickets: &[TicketId],
    ) -> Result<Vec<(TicketId, MacroOutcome)>> {
        let agent = self.require_agent()?.clone();
        if tickets.is_empty() || tickets.len() > super::MAX_BULK_TICKETS {
            return Err(Error::validation(
                "tickets",
                format!("1 to {} tickets", super::MAX_BULK_TICKETS),
            ));
        }
        let entry = (self.automation()?.macros().await?.into_iter())
            .find(|m| m.id == id)
            .ok_or_else(|| Error::not_found(Entity::Macro, id))?;
        let levels = self.desk.levels_in_force().await?;
        let runner = Runner {
            actor: Actor::Agent(agent.id),
            agent: Some(&agent),
            strict: true,
            priority: self.desk.priority_in_force().await?,
        };
        let mut scratch = Scratch::default();
        let mut seen = std::collections::HashSet::new();
        let mut outcomes = Vec::with_capacity(tickets.len());
        for ticket in tickets {
            if !seen.insert(*ticket) {
                continue;
            }
            let outcome = match self
                .apply_macro_once(*ticket, &entry, &runner, &levels, &mut scratch)
                .await
            {
                Ok(Some(t)) => MacroOutcome::Changed(Box::new(t)),
                Ok(None) => MacroOutcome::Unchanged,
                Err(e) => MacroOutcome::Refused(e),
            };
            outcomes.push((*ticket, outcome));
        }
        Ok(outcomes)
    }

    /// Applies `entry` to one ticket in one commit; the ticket after, or `None` when nothing
    /// changed.
    async fn apply_macro_once(
        &self,
        id: TicketId,
        entry: &Macro,
        runner: &Runner<'_>,
        levels: &crate::policy::ServiceLevels,
        scratch: &mut Scratch,
    ) -> Result<Option<Ticket>> {
        let ticket = self.visible_ticket(id).await?;
        if ticket.status == Status::Closed(crate::domain::Resolution::Merged) {
            return Err(Error::validation(
                "ticket",
                "the ticket was merged into another",
            ));
        }
        let customer = self.customer_of(&ticket).await?;
        let mut write = TicketWrite::update(ticket.version, ticket.clone());
        let done = (self.desk)
            .run_actions(
                &mut write,
                &entry.actions,
                runner,
                customer.as_ref(),
                levels,
                scratch,
            )
            .await;
        let notifications = std::mem::take(&mut scratch.notifications);
        let _ = done?;
        if write.events.is_empty() && notifications.is_empty() {
            return Ok(None);
        }
        write.ticket.version = ticket.version.next();
        let after = write.ticket.clone();
        let mut batch = WriteBatch::one(write);
        batch.notifications = notifications;
        self.desk
            .commit(batch, &Staged::default(), &Known::customer(customer))
            .await?;
        Ok(Some(after))
    }
}
