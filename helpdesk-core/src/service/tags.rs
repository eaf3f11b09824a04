//! Tags on tickets, for staff only: put on and taken off through the state machine (one
//! ticket, or a selection in one commit), the tags in use for completing what is typed, and
//! the tickets per tag for reports. Customers neither set nor see them: every ticket the
//! desk hands a customer has its tags removed ([`Ticket::for_customer`]).

use std::collections::{BTreeSet, HashSet};

use super::acting::Principal;
use super::attachments::Staged;
use super::effects::Known;
use super::retry;
use super::tickets::{Outcome, command_reads};
use super::{Acting, ExecOptions};
use crate::domain::{Tag, TagCount, Ticket, TicketKey};
use crate::error::{Ability, Entity, Error, Result};
use crate::listing::TimeRange;
use crate::machine::{Command, Context, Plan, decide};
use crate::store::{Page, SettingKey, TagScope, WriteBatch};

/// The most tickets one bulk tagging may name.
pub const MAX_BULK_TICKETS: usize = 200;

/// The most tags an autocompletion or a report lists.
pub const MAX_TAG_COUNTS: u32 = 100;

impl Acting {
    /// Puts `add` on and takes `remove` off the ticket (agents with the edit permission in
    /// its department; customers are refused). One history entry ("tag added/removed") in
    /// the same commit; asking for what already is changes nothing.
    pub async fn tag_ticket(
        &self,
        ticket: impl Into<TicketKey>,
        add: BTreeSet<Tag>,
        remove: BTreeSet<Tag>,
    ) -> Result<Outcome> {
        self.require_staff()?;
        self.execute(ticket, Command::Tag { add, remove }).await
    }

    /// Puts `add` on and takes `remove` off every ticket of `tickets` (1 to
    /// [`MAX_BULK_TICKETS`], a ticket named twice counted once), all in one commit: each
    /// ticket is authorized and decided as [`tag_ticket`](Self::tag_ticket) would, and
    /// the first refusal (a ticket not found, outside the agent's departments or merged)
    /// refuses the whole selection with nothing changed. Returns every ticket as it is
    /// after, in the order named. Retried on a concurrent change, like a command.
    pub async fn tag_tickets(
        &self,
        tickets: &[TicketKey],
        add: BTreeSet<Tag>,
        remove: BTreeSet<Tag>,
    ) -> Result<Vec<Ticket>> {
        self.require_staff()?;
        if tickets.is_empty() || tickets.len() > MAX_BULK_TICKETS {
            return Err(Error::validation(
                "tickets",
                format!("1 to {MAX_BULK_TICKETS} tickets"),
            ));
        }
        if add.is_empty() && remove.is_empty() {
            return Err(Error::validation("tags", "name a tag to add or remove"));
        }
        let command = Command::Tag { add, remove };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self.tag_once(tickets, &command).await;
            if attempt >= retry::MAX_ATTEMPTS || !retry::is_stale(&result) {
                return result;
            }
            retry::pause(attempt).await;
        }
    }

    /// Reads, decides and commits a bulk tagging once.
    async fn tag_once(&self, keys: &[TicketKey], command: &Command) -> Result<Vec<Ticket>> {
        let mut seen = HashSet::new();
        let mut after = Vec::with_capacity(keys.len());
        let mut writes = Vec::new();
        for key in keys {
            let mut read = (self.desk.store)
                .read_together(&command_reads(false, key, command))
                .await?;
            let (ticket, _) = self.visible_or_shared(key, read.ticket.take()).await?;
            if !seen.insert(ticket.id) {
                continue;
            }
            let department = (read.department(ticket.department).cloned())
                .ok_or_else(|| Error::not_found(Entity::Department, ticket.department))?;
            let customer = match ticket.customer.and_then(|c| read.customer(c)) {
                Some(c) => Some(c.clone()),
                None => self.customer_of(&ticket).await?,
            };
            let levels =
                (self.desk).levels_in_force_from(read.setting(SettingKey::ServiceLevels))?;
            let priority =
                (self.desk).priority_in_force_from(read.setting(SettingKey::PriorityRules))?;
            let ctx = Context {
                actor: self.actor(),
                agent: self.principal.agent(),
                department: &department,
                customer: customer.as_ref(),
                related_ticket: None,
                target_department: None,
                new_assignee: None,
                priority_policy: priority.as_ref(),
                levels: &levels,
                channel: ExecOptions::default().channel,
                now: self.desk.now(),
            };
            match decide(&ticket, command.clone(), &ctx)? {
                Plan::Write(mut ws) => {
                    after.push(ws.first().map_or(ticket, |w| w.ticket.clone()));
                    writes.append(&mut ws);
                }
                Plan::NoChange | Plan::OpenFollowUp { .. } => after.push(ticket),
            }
        }
        if !writes.is_empty() {
            (self.desk)
                .commit(
                    WriteBatch::of(writes),
                    &Staged::default(),
                    &Known::default(),
                )
                .await?;
        }
        Ok(after)
    }

    /// The tags in use whose folded form starts with `prefix` folded (empty: all), on the
    /// tickets the agent may read, the most used first, at most `limit` (capped at
    /// [`MAX_TAG_COUNTS`]): for completing a tag as it is typed (staff only).
    pub async fn tags_in_use(&self, prefix: &str, limit: u32) -> Result<Vec<TagCount>> {
        let scope = TagScope {
            prefix: Tag::fold(prefix),
            ..self.tag_scope()?
        };
        self.count_tags(&scope, limit).await
    }

    /// How many tickets opened in `opened` (in the agent's departments, or in `departments`
    /// among them) carry each tag, the most used first, at most `limit` (capped at
    /// [`MAX_TAG_COUNTS`]): the tickets per tag of a report (staff only).
    pub async fn tag_report(
        &self,
        opened: TimeRange,
        departments: Option<Vec<crate::domain::DepartmentId>>,
        limit: u32,
    ) -> Result<Vec<TagCount>> {
        let mut scope = self.tag_scope()?;
        scope.created = opened;
        if let Some(asked) = departments {
            scope.departments = Some(match scope.departments {
                Some(readable) => asked.into_iter().filter(|d| readable.contains(d)).collect(),
                None => asked,
            });
        }
        self.count_tags(&scope, limit).await
    }

    /// The scope of the tickets the principal may count tags on: staff only, agents in the
    /// departments they may read.
    fn tag_scope(&self) -> Result<TagScope> {
        self.require_staff()?;
        let departments = match &self.principal {
            Principal::Agent(a) => a.readable_departments(),
            _ => None,
        };
        Ok(TagScope {
            departments,
            ..TagScope::default()
        })
    }

    async fn count_tags(&self, scope: &TagScope, limit: u32) -> Result<Vec<TagCount>> {
        if scope.departments.as_ref().is_some_and(Vec::is_empty) {
            return Ok(Vec::new());
        }
        let store = (self.desk.store.as_tag_store()).ok_or(Error::unsupported(Ability::Tags))?;
        store
            .tag_counts(scope, limit.clamp(1, MAX_TAG_COUNTS))
            .await
    }

    /// `ticket` as the principal may see it: without its tags for a customer.
    pub(crate) fn shown(&self, ticket: Ticket) -> Ticket {
        match self.principal {
            Principal::Customer(_) => ticket.for_customer(),
            _ => ticket,
        }
    }

    /// A page of tickets as the principal may see them.
    pub(crate) fn shown_page(&self, mut page: Page<Ticket>) -> Page<Ticket> {
        if matches!(self.principal, Principal::Customer(_)) {
            page.items = page.items.into_iter().map(Ticket::for_customer).collect();
        }
        page
    }

    /// An outcome as the principal may see it.
    pub(crate) fn shown_outcome(&self, outcome: Outcome) -> Outcome {
        match outcome {
            Outcome::Changed(t) => Outcome::Changed(self.shown(t)),
            Outcome::Unchanged(t) => Outcome::Unchanged(self.shown(t)),
            Outcome::FollowUpOpened { closed, ticket } => Outcome::FollowUpOpened {
                closed,
                ticket: self.shown(ticket),
            },
        }
    }
}
