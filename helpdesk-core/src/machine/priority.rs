//! The priority rules as the machine applies them (seed 004): what a new ticket gets and the
//! notice when that is not what was asked, how high an agent may set a priority, how high a
//! customer may ask for one, and so which priorities a form may offer.

use super::{Command, Context, CreateContext, decide};
use crate::domain::{Actor, Agent, DepartmentId, Notice, Priority, PriorityReason, Ticket};
use crate::error::{Error, ForbiddenReason, Result};

/// Whether `actor` may go above the customer's cap in `department`: the system, and agents
/// with [`Permission::RaisePriority`](crate::domain::Permission::RaisePriority) there.
fn may_raise(actor: Actor, agent: Option<&Agent>, department: DepartmentId) -> bool {
    match actor {
        Actor::Agent(_) => {
            agent.is_some_and(|a| a.can(crate::domain::Permission::RaisePriority, department))
        }
        _ => true,
    }
}

/// The priority a new ticket gets when `requested` is asked for, and the notice that says
/// what was applied and why when it is not what was asked.
///
/// An agent with `RaisePriority` gets what they ask for; anyone else gets what the
/// [`PriorityPolicy`](crate::policy::PriorityPolicy) decides. A request above the customer's
/// ceiling is [`PriorityReason::AboveCap`]; any other difference is the policy's rule for the
/// customer's kind ([`PriorityReason::DeskRule`]).
pub fn initial_priority(
    requested: Option<Priority>,
    ctx: &CreateContext<'_>,
) -> (Priority, Option<Notice>) {
    let by_agent = matches!(ctx.actor, Actor::Agent(_));
    let raise = by_agent && may_raise(ctx.actor, ctx.agent, ctx.department.id);
    let applied = match requested {
        Some(p) if raise => p,
        _ => ctx
            .priority_policy
            .initial(ctx.customer, requested, by_agent),
    };
    let notice = requested.filter(|asked| *asked != applied).map(|asked| {
        let cap = ctx.priority_policy.ceiling(ctx.customer);
        let reason = if asked > cap && applied <= cap {
            PriorityReason::AboveCap { cap }
        } else {
            PriorityReason::DeskRule {
                customer_kind: ctx.customer.map(|c| c.kind),
            }
        };
        Notice::PriorityAdjusted {
            asked,
            applied,
            reason,
        }
    });
    (applied, notice)
}

/// The priorities the opener of a new ticket may choose that apply as chosen, lowest first:
/// what a form should offer (seed 004: Low and Normal for an individual, High alone for an
/// organisation, every one for an agent with `RaisePriority`).
pub fn new_ticket_priorities(ctx: &CreateContext<'_>) -> Vec<Priority> {
    Priority::ALL
        .into_iter()
        .filter(|p| initial_priority(Some(*p), ctx).0 == *p)
        .collect()
}

/// The priority rules hold for every way a priority changes: above the customer's cap only
/// with `RaisePriority` (seed 004).
pub(super) fn check_priority_cap(
    ticket: &Ticket,
    priority: Priority,
    ctx: &Context<'_>,
) -> Result<()> {
    let cap = ctx.priority_policy.ceiling(ctx.customer);
    if priority > cap && !may_raise(ctx.actor, ctx.agent, ticket.department) {
        return Err(Error::forbidden(ForbiddenReason::PriorityAboveCap { cap }));
    }
    Ok(())
}

/// A customer asks only for what the rules let their tickets have: a request above their
/// cap could be granted only by going over it, so it is refused when filed, naming the cap.
pub(super) fn check_request_cap(priority: Priority, ctx: &Context<'_>) -> Result<()> {
    let cap = ctx.priority_policy.ceiling(ctx.customer);
    if priority > cap {
        return Err(Error::forbidden(ForbiddenReason::PriorityAboveCap { cap }));
    }
    Ok(())
}

/// The priorities the actor of `ctx` may set on `ticket` now, lowest first, its current one
/// included: what an agent's priority list should offer. Empty when they may not change it
/// at all (no `ChangePriority` permission, a closed ticket). Decided by [`decide`] itself, so
/// it never offers what would be refused.
pub fn settable_priorities(ticket: &Ticket, ctx: &Context<'_>) -> Vec<Priority> {
    Priority::ALL
        .into_iter()
        .filter(|p| decide(ticket, Command::ChangePriority { priority: *p }, ctx).is_ok())
        .collect()
}
