//! The status table: what each step does to each status. `None` means the step is illegal
//! there. Permissions and the customer's follow-up policy are checked elsewhere
//! ([`decide`](super::decide)); this is only the life cycle.
//!
//! | step \ from       | New        | Open       | Pending    | OnHold     | Resolved   | Closed(r)                   |
//! |-------------------|------------|------------|------------|------------|------------|-----------------------------|
//! | AgentReply        | Open       | Open       | Pending    | OnHold     | Resolved   | —                           |
//! | CustomerReply     | New        | Open       | Open       | Open       | Open       | — (the follow-up policy)    |
//! | Note, LogTime     | =          | =          | =          | =          | =          | = (not Merged)              |
//! | Edit              | =          | =          | =          | =          | =          | —                           |
//! | AskCustomer       | Pending    | Pending    | Pending    | Pending    | —          | —                           |
//! | Hold              | OnHold     | OnHold     | OnHold     | —          | —          | —                           |
//! | Resolve           | Resolved   | Resolved   | Resolved   | Resolved   | —          | —                           |
//! | Confirm           | —          | —          | —          | —          | Closed(Solved) | —                       |
//! | Close(r)          | Closed(r)  | Closed(r)  | Closed(r)  | Closed(r)  | Closed(r)  | —   (r: Solved/Unsolved/Duplicate) |
//! | AutoClose         | —          | —          | Closed(AutoClosed) | — | Closed(AutoClosed) | —               |
//! | Merge             | Closed(Merged) ×5 for every non-closed status                     | —          |
//! | Reopen            | —          | —          | —          | —          | Open       | Open (not Merged)           |

use crate::domain::{Resolution, Status};

/// A step in a ticket's life: what a command amounts to for the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// A public message from an agent.
    AgentReply,
    /// A public message from the customer.
    CustomerReply,
    /// An internal note or a time entry.
    Note,
    /// A change of assignee, priority, department, type, categories, fields or links.
    Edit,
    /// Asking the customer for information.
    AskCustomer,
    /// Waiting on a third party.
    Hold,
    /// Giving the solution.
    Resolve,
    /// The customer confirms the solution.
    Confirm,
    /// An agent closes with a resolution.
    Close(Resolution),
    /// The system closes a ticket the customer left unanswered.
    AutoClose,
    /// Merging into another ticket.
    Merge,
    /// Reopening.
    Reopen,
}

/// The status after `step` from `from`, or `None` if the step is illegal there.
pub fn next_status(from: Status, step: Step) -> Option<Status> {
    use Resolution::*;
    use Status::*;
    use Step as S;
    let merged = from == Closed(Merged);
    match (step, from) {
        (S::AgentReply, New) => Some(Open),
        (S::AgentReply, Closed(_)) => None,
        (S::AgentReply, same) => Some(same),
        (S::CustomerReply, New) => Some(New),
        (S::CustomerReply, Closed(_)) => None,
        (S::CustomerReply, _) => Some(Open),
        (S::Note, same) if !merged => Some(same),
        (S::Edit, same) if !same.is_closed() => Some(same),
        (S::AskCustomer, New | Open | PendingCustomer | OnHold) => Some(PendingCustomer),
        (S::Hold, New | Open | PendingCustomer) => Some(OnHold),
        (S::Resolve, New | Open | PendingCustomer | OnHold) => Some(Resolved),
        (S::Confirm, Resolved) => Some(Closed(Solved)),
        (S::Close(r @ (Solved | Unsolved | Duplicate)), f) if !f.is_closed() => Some(Closed(r)),
        (S::AutoClose, PendingCustomer | Resolved) => Some(Closed(AutoClosed)),
        (S::Merge, f) if !f.is_closed() => Some(Closed(Merged)),
        (S::Reopen, Resolved) => Some(Open),
        (S::Reopen, Closed(_)) if !merged => Some(Open),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merged_ticket_accepts_nothing() {
        let merged = Status::Closed(Resolution::Merged);
        let steps = [
            Step::AgentReply,
            Step::CustomerReply,
            Step::Note,
            Step::Edit,
            Step::AskCustomer,
            Step::Hold,
            Step::Resolve,
            Step::Confirm,
            Step::Close(Resolution::Solved),
            Step::AutoClose,
            Step::Merge,
            Step::Reopen,
        ];
        for step in steps {
            assert_eq!(next_status(merged, step), None, "{step:?}");
        }
    }

    #[test]
    fn agents_cannot_close_as_merged_or_auto_closed_directly() {
        for r in [Resolution::Merged, Resolution::AutoClosed] {
            assert_eq!(next_status(Status::Open, Step::Close(r)), None);
        }
    }

    #[test]
    fn the_customer_reopens_by_replying() {
        for from in [Status::PendingCustomer, Status::Resolved, Status::OnHold] {
            assert_eq!(next_status(from, Step::CustomerReply), Some(Status::Open));
        }
    }
}
