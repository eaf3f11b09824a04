//! Whether a rule matches a ticket and what happened to it; the order rules run in.
//!
//! Loop protection lives in what is evaluated: a change's rules are worked out once, from
//! the events of the change itself, before any rule acts; the events rules' actions add are
//! never evaluated, so a rule's own changes fire no rule (itself included). A ticket on which
//! rules fired [`MAX_FIRINGS_PER_TICKET_PER_HOUR`](super::MAX_FIRINGS_PER_TICKET_PER_HOUR)
//! times within the hour gets no more firings until the hour has passed (the service counts
//! the log).

use crate::domain::fold::fold;
use crate::domain::{Actor, Change, Customer, Ticket};
use crate::store::TicketWrite;

use super::{Conditions, Rule, RuleEvent};

/// What matching needs besides the ticket.
#[derive(Debug, Clone, Copy)]
pub struct RuleFacts<'a> {
    /// The ticket's customer, when it has one.
    pub customer: Option<&'a Customer>,
    /// Whether the ticket's department is within its business hours now.
    pub business_hours: bool,
    /// The text of the change's new messages (matched with the subject).
    pub new_text: &'a str,
}

/// The events of `write` a trigger may fire on, each once, in the order of [`RuleEvent`].
/// The first message of a new ticket is part of `created`, not a reply.
pub fn fired_events(write: &TicketWrite) -> Vec<RuleEvent> {
    let opening = (write.events.iter()).any(|e| matches!(e.change, Change::Created { .. }));
    let mut events: Vec<RuleEvent> = (write.events.iter())
        .filter_map(|e| match &e.change {
            Change::Created { .. } => Some(RuleEvent::Created),
            Change::Replied { message, .. } if !opening => {
                let author = (write.messages.iter())
                    .find(|m| m.id == *message)
                    .map(|m| m.author)?;
                Some(match author {
                    Actor::Customer(_) => RuleEvent::CustomerReplied,
                    Actor::Agent(_) | Actor::System => RuleEvent::AgentReplied,
                })
            }
            Change::StatusChanged { .. } if !opening => Some(RuleEvent::StatusChanged),
            Change::SlaWarning { .. } => Some(RuleEvent::SlaWarning),
            Change::SlaBreached { .. } => Some(RuleEvent::SlaBreached),
            _ => None,
        })
        .collect();
    events.sort_unstable();
    events.dedup();
    events
}

/// Whether `conditions` hold for `ticket` after a change with `events` (`None`: ignore the
/// event condition, as a dry run does).
pub fn matches(
    conditions: &Conditions,
    ticket: &Ticket,
    events: Option<&[RuleEvent]>,
    facts: &RuleFacts<'_>,
) -> bool {
    let any = |list_empty: bool, hit: bool| list_empty || hit;
    let c = conditions;
    let event_ok = match events {
        Some(events) => c.events.is_empty() || c.events.iter().any(|e| events.contains(e)),
        None => true,
    };
    let organisation = facts.customer.and_then(|c| c.organisation);
    event_ok
        && any(c.statuses.is_empty(), c.statuses.contains(&ticket.status))
        && any(
            c.priorities.is_empty(),
            c.priorities.contains(&ticket.priority),
        )
        && any(
            c.departments.is_empty(),
            c.departments.contains(&ticket.department),
        )
        && any(
            c.ticket_types.is_empty(),
            c.ticket_types.contains(&ticket.ticket_type),
        )
        && any(c.channels.is_empty(), c.channels.contains(&ticket.channel))
        && c.tags.iter().all(|t| ticket.tags.contains(t))
        && !c.without_tags.iter().any(|t| ticket.tags.contains(t))
        && any(
            c.customers.is_empty(),
            ticket.customer.is_some_and(|id| c.customers.contains(&id)),
        )
        && any(
            c.organisations.is_empty(),
            organisation.is_some_and(|id| c.organisations.contains(&id)),
        )
        && c.text.as_ref().is_none_or(|text| {
            let needle = fold(text.as_str());
            fold(ticket.subject.as_str()).contains(&needle)
                || fold(facts.new_text).contains(&needle)
        })
        && c.business_hours
            .is_none_or(|within| within == facts.business_hours)
}

/// The active triggers of `rules` that match, in the order they run: by position, then id
/// (scheduled rules never fire on changes).
pub fn rules_to_fire<'r>(
    rules: &'r [Rule],
    ticket: &Ticket,
    events: &[RuleEvent],
    facts: &RuleFacts<'_>,
) -> Vec<&'r Rule> {
    let mut fire: Vec<&Rule> = (rules.iter())
        .filter(|r| {
            r.active && !r.is_scheduled() && matches(&r.conditions, ticket, Some(events), facts)
        })
        .collect();
    fire.sort_by_key(|r| (r.position, r.id));
    fire
}
