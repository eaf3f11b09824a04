//! Policies: the rules a deployment may change (priority, follow-ups, numbering).

mod calendar;
mod numbering;
mod priority;
mod sla;

/// A department's follow-up rule is part of the department ([`crate::domain`]); it is named
/// here too, beside the other rules a deployment chooses.
pub use crate::domain::FollowUpPolicy;
pub use calendar::{Calendar, Schedule, WorkingRange, weekdays};
pub use numbering::{CounterScheme, DateScheme, TicketNumberGenerator};
pub use priority::{DefaultPriorityPolicy, PriorityPolicy};
pub use sla::{AutoClose, ServiceLevels, SlaCondition, SlaPolicy};
