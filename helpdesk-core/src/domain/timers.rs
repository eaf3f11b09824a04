//! A ticket's timers: its service-level clocks, the pending reminder and the auto-close.
//!
//! They are state, kept on the ticket and recomputed by the state machine on every change,
//! so that a store finds due tickets by the indexed [`Ticket::next_due_at`](super::Ticket)
//! instead of scanning.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::stable_text::stable_text;

/// What a service-level clock measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaTarget {
    /// From opening to the first public agent reply.
    FirstResponse,
    /// From a customer message to the next public agent reply.
    NextResponse,
    /// From opening to the solution (Resolved or Closed).
    Resolution,
}

stable_text!(SlaTarget, "sla_target" {
    FirstResponse => "first_response",
    NextResponse => "next_response",
    Resolution => "resolution",
});

/// Whether a target was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaOutcome {
    /// Done within the target.
    Met,
    /// The target passed first.
    Breached,
}

stable_text!(SlaOutcome, "sla_outcome" {
    Met => "met",
    Breached => "breached",
});

/// One service-level clock: a budget of business time, spent while it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaClock {
    /// What it measures.
    pub target: SlaTarget,
    /// The business time allowed, in seconds.
    pub budget_secs: i64,
    /// Business seconds spent before `running_since`.
    pub spent_secs: i64,
    /// Since when it runs; `None` while paused or stopped.
    pub running_since: Option<DateTime<Utc>>,
    /// When the budget runs out, while running.
    pub due_at: Option<DateTime<Utc>>,
    /// When the warning share of the budget is spent, while running and not yet warned.
    pub warn_at: Option<DateTime<Utc>>,
    /// Whether the warning was given.
    pub warned: bool,
    /// Whether it is stopped for good (the response was given, the ticket solved).
    pub stopped: bool,
    /// Met or breached, once known.
    pub outcome: Option<SlaOutcome>,
}

/// A ticket's timers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timers {
    /// The name of the service-level policy that applies, if any.
    pub sla_policy: Option<String>,
    /// The service-level clocks (at most one per target).
    pub clocks: Vec<SlaClock>,
    /// When a pending or on-hold ticket comes back (a reminder, then Open).
    pub pending_until: Option<DateTime<Utc>>,
    /// When a resolved or pending ticket closes itself if the customer stays silent.
    pub auto_close_at: Option<DateTime<Utc>>,
    /// When the customer is warned of the auto-close.
    pub auto_close_warn_at: Option<DateTime<Utc>>,
}

impl Timers {
    /// The clock for `target`, if there is one.
    pub fn clock(&self, target: SlaTarget) -> Option<&SlaClock> {
        self.clocks.iter().find(|c| c.target == target)
    }

    /// The earliest instant at which something is due: a warning, a breach, a reminder, an
    /// auto-close warning or an auto-close. What [`Ticket::next_due_at`](super::Ticket) holds.
    pub fn next_due_at(&self) -> Option<DateTime<Utc>> {
        let clocks = self.clocks.iter().flat_map(|c| {
            let warn = c.warn_at.filter(|_| !c.warned);
            let due = c.due_at.filter(|_| c.outcome.is_none());
            [warn, due]
        });
        clocks
            .chain([
                self.pending_until,
                self.auto_close_warn_at,
                self.auto_close_at,
            ])
            .flatten()
            .min()
    }
}
