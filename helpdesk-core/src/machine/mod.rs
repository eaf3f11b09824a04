//! The ticket state machine: commands in, events out.
//!
//! [`transitions`] is the status table, on one screen. [`decide`] checks a command against a
//! ticket, the actor's permissions and the table, and returns the write to commit: the
//! ticket's next state with its new messages and events. It does no I/O; illegal commands are
//! typed errors and change nothing.

mod command;
mod create;
mod decide;
mod due;
mod master;
mod merge;
mod metrics;
mod priority;
mod split;
pub mod timers;
pub mod transitions;

pub use crate::domain::CommandKind;
pub use command::{Command, NewTicket};
pub use create::{CreateContext, authorize_create, decide_create, decide_create_with_notices};
pub use decide::{Context, Plan, decide, required_permission};
pub use due::decide_due;
pub use master::{Linked, fan_out, may_reach_linked, reaches_linked};
pub use merge::merge_moves;
pub use priority::{initial_priority, new_ticket_priorities, settable_priorities};
pub use split::{SplitContext, SplitRequest, check_split, decide_split};
pub use transitions::{Step, next_status};
