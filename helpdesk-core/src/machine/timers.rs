//! Keeping a ticket's timers right after every change: who is waiting since when, the
//! service-level clocks (started, paused, resumed, stopped, with their due and warning
//! instants), the pending reminder and the auto-close. Pure: the state machine calls
//! [`advance`] on every write it makes.

use chrono::{DateTime, Duration, Utc};

use crate::domain::{SlaClock, SlaOutcome, SlaTarget, Status, Ticket};
use crate::policy::{Calendar, CustomerFacts, ServiceLevels, SlaPolicy};

/// What a change did that the timers care about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activity {
    /// The ticket was just opened.
    pub created: bool,
    /// The customer wrote a public message.
    pub customer_message: bool,
    /// An agent wrote a public message to the customer.
    pub agent_reply: bool,
}

/// Recomputes `after`'s waiting time, timers and `next_due_at` at `now`, given the state
/// `before` the change (`None` at creation) and what the change did.
pub fn advance(
    before: Option<&Ticket>,
    after: &mut Ticket,
    activity: Activity,
    levels: &ServiceLevels,
    kind: CustomerFacts,
    now: DateTime<Utc>,
) {
    update_waiting(after, activity, now);
    // Time already spent is measured on the calendar that applied until now (the ticket may
    // have just moved to a department with other hours); what is left, on the new one.
    let spent_on = match before {
        Some(b) => levels.calendar_for(levels.policy_for(b, kind), b.department),
        None => levels.calendar_for(None, after.department),
    }
    .clone();
    let policy = levels.policy_for(after, kind);
    let calendar = levels.calendar_for(policy, after.department).clone();
    update_clocks(before, after, activity, policy, (&spent_on, &calendar), now);
    if !matches!(after.status, Status::PendingCustomer | Status::OnHold) {
        after.timers.pending_until = None;
    }
    update_auto_close(before, after, activity, levels, now);
    after.next_due_at = after.timers.next_due_at();
    super::metrics::record(before, after, levels);
}

fn update_waiting(t: &mut Ticket, activity: Activity, now: DateTime<Utc>) {
    if activity.agent_reply
        || t.internal
        || matches!(t.status, Status::Resolved | Status::Closed(_))
    {
        t.waiting_since = None;
    } else if (activity.created || activity.customer_message) && t.waiting_since.is_none() {
        t.waiting_since = Some(now);
    }
}

fn update_clocks(
    before: Option<&Ticket>,
    t: &mut Ticket,
    activity: Activity,
    policy: Option<&SlaPolicy>,
    (spent_on, calendar): (&Calendar, &Calendar),
    now: DateTime<Utc>,
) {
    // Settle the time spent so far; every running clock is paused at `now` first.
    for clock in &mut t.timers.clocks {
        if let Some(since) = clock.running_since.take() {
            clock.spent_secs += spent_on.between(since, now).num_seconds();
        }
        clock.due_at = None;
        clock.warn_at = None;
    }
    t.timers.sla_policy = policy.map(|p| p.name().to_owned());
    let Some(policy) = policy else {
        // No policy (any more): only finished clocks stay, for reporting.
        t.timers.clocks.retain(|c| c.stopped);
        return;
    };
    let start = |target| SlaClock {
        target,
        budget_secs: 0,
        spent_secs: 0,
        running_since: None,
        due_at: None,
        warn_at: None,
        warned: false,
        stopped: false,
        outcome: None,
    };
    let clocks = &mut t.timers.clocks;
    if activity.created {
        clocks.push(start(SlaTarget::FirstResponse));
        clocks.push(start(SlaTarget::Resolution));
    }
    let answered_before = before.is_some_and(|b| b.first_response_at.is_some());
    if activity.customer_message && answered_before {
        let running = clocks
            .iter()
            .any(|c| c.target == SlaTarget::NextResponse && !c.stopped);
        if !running {
            clocks.retain(|c| c.target != SlaTarget::NextResponse);
            clocks.push(start(SlaTarget::NextResponse));
        }
    }
    let solved = matches!(t.status, Status::Resolved | Status::Closed(_));
    for clock in clocks.iter_mut() {
        let stop = match clock.target {
            SlaTarget::FirstResponse | SlaTarget::NextResponse => activity.agent_reply || solved,
            SlaTarget::Resolution => solved,
        };
        if stop && !clock.stopped {
            clock.stopped = true;
            let overdue = clock.spent_secs >= clock.budget_secs && clock.budget_secs > 0;
            clock.outcome = Some(match clock.outcome {
                Some(SlaOutcome::Breached) => SlaOutcome::Breached,
                _ if overdue => SlaOutcome::Breached,
                _ => SlaOutcome::Met,
            });
        } else if !stop && clock.stopped && clock.target == SlaTarget::Resolution {
            // Reopened: the resolution clock goes on from where it stopped.
            clock.stopped = false;
            if clock.outcome == Some(SlaOutcome::Met) {
                clock.outcome = None;
            }
        }
    }
    clocks.retain(|c| c.stopped || policy.target_for(c.target).is_some());
    let paused = policy.pauses_in(t.status);
    for clock in clocks.iter_mut().filter(|c| !c.stopped) {
        // Clocks without a target were removed above.
        let Some(budget) = policy.target_for(clock.target) else {
            continue;
        };
        clock.budget_secs = budget.num_seconds();
        if paused {
            continue;
        }
        clock.running_since = Some(now);
        let left = Duration::seconds(clock.budget_secs - clock.spent_secs);
        clock.due_at = Some(calendar.add(now, left).unwrap_or(now));
        if !clock.warned {
            let warn_secs = clock.budget_secs * i64::from(policy.warn_percent()) / 100;
            let to_warning = Duration::seconds(warn_secs - clock.spent_secs);
            clock.warn_at = Some(calendar.add(now, to_warning).unwrap_or(now));
        }
    }
}

fn update_auto_close(
    before: Option<&Ticket>,
    t: &mut Ticket,
    activity: Activity,
    levels: &ServiceLevels,
    now: DateTime<Utc>,
) {
    let waiting_on_customer = matches!(t.status, Status::Resolved | Status::PendingCustomer);
    let Some(rule) = levels
        .auto_close()
        .filter(|_| waiting_on_customer && !t.internal)
    else {
        t.timers.auto_close_at = None;
        t.timers.auto_close_warn_at = None;
        return;
    };
    let entered = before.is_none_or(|b| b.status != t.status);
    if !(entered || activity.agent_reply || t.timers.auto_close_at.is_none()) {
        return;
    }
    let calendar = levels.department_calendar(t.department);
    t.timers.auto_close_at = calendar.add_working_days(now, rule.after_working_days);
    let warn_after = rule
        .after_working_days
        .checked_sub(rule.warn_working_days_before);
    t.timers.auto_close_warn_at = match warn_after {
        Some(days) if rule.warn_working_days_before > 0 => calendar.add_working_days(now, days),
        _ => None,
    };
}
