//! Policies: the rules a deployment chooses. Priorities by customer kind (`priority.rs`),
//! ticket numbering (`numbering.rs`), business-hour calendars (`calendar.rs`) and service
//! levels with the auto-close (`sla.rs`); a department's follow-up rule is part of the
//! department ([`FollowUpPolicy`]).

mod calendar;
mod numbering;
mod priority;
mod sla;
mod stored_levels;
mod stored_priority_rules;

/// A department's follow-up rule is part of the department ([`crate::domain`]); it is named
/// here too, beside the other rules a deployment chooses.
pub use crate::domain::FollowUpPolicy;
pub use calendar::{Calendar, Schedule, WorkingRange, weekdays};
pub use numbering::{CounterScheme, DateScheme, TicketNumberGenerator};
pub use priority::{
    DefaultPriorityPolicy, OrganisationPriorityRule, OrganisationPriorityRules, PriorityPolicy,
};
pub use sla::{AutoClose, CustomerFacts, ServiceLevels, SlaCondition, SlaPolicy};
pub use stored_levels::{CalendarSpec, MAX_TARGET_MINUTES, ServiceLevelSettings, SlaPolicySetting};
pub use stored_priority_rules::{PriorityRuleSetting, PriorityRuleSettings};
