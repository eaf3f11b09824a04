//! Automation: rules that act on tickets when something happens to them (triggers), and
//! macros, the same actions applied by an agent in one step.
//!
//! Everything here is pure: what a rule is ([`rule`]), whether it matches a change
//! ([`evaluate`]) and how its actions become commands ([`Action::command`]). The service
//! (`service/triggers.rs`) reads what the rules need and adds what they do to the change's
//! own [`WriteBatch`](crate::store::WriteBatch), so a rule's work commits with the change that
//! fired it or not at all.

pub mod evaluate;
pub mod rule;
pub mod schedule;

pub use evaluate::{RuleFacts, fired_events, matches, rules_to_fire};
pub use rule::NotifyTarget;
pub use rule::{
    Action, Conditions, MAX_ACTIONS, MAX_FIRINGS_PER_TICKET_PER_HOUR, Macro, Rule, RuleEvent,
    RuleFiring,
};
pub use schedule::{HeldFor, HeldUnit, RuleSchedule};
