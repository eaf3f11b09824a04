//! Policies: the rules a deployment may change (priority, follow-ups, numbering).

mod calendar;
mod follow_up;
mod numbering;
mod priority;
mod sla;

pub use calendar::{Calendar, Schedule, WorkingRange, weekdays};
pub use follow_up::FollowUpPolicy;
pub use numbering::{CounterScheme, DateScheme, TicketNumberGenerator};
pub use priority::{DefaultPriorityPolicy, PriorityPolicy};
pub use sla::{AutoClose, ServiceLevels, SlaCondition, SlaPolicy};
