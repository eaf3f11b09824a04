//! Priority rules: which priority a new ticket gets, and how high it may go.

use crate::domain::{Customer, CustomerKind, Priority};

/// Decides initial priorities and the highest priority an agent may set without
/// [`Permission::RaisePriority`](crate::domain::Permission::RaisePriority).
///
/// Priority must not depend on how loudly the customer shouts (seed 004), so what the
/// customer asks for is only a hint the policy may ignore.
pub trait PriorityPolicy: Send + Sync + 'static {
    /// The priority of a new ticket for `customer` (none for internal tickets), given what
    /// was asked for (`requested`) and whether an agent opened it.
    fn initial(
        &self,
        customer: Option<&Customer>,
        requested: Option<Priority>,
        by_agent: bool,
    ) -> Priority;

    /// The highest priority allowed without the override permission.
    fn ceiling(&self, customer: Option<&Customer>) -> Priority;
}

/// The rules of seed 004: organisations always get High; individuals get at most Normal,
/// whatever they ask for; only an agent with `RaisePriority` goes above that.
///
/// ```
/// use helpdesk_core::policy::{DefaultPriorityPolicy, PriorityPolicy};
/// use helpdesk_core::domain::Priority;
/// let policy = DefaultPriorityPolicy;
/// assert_eq!(policy.initial(None, Some(Priority::Urgent), false), Priority::Normal);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultPriorityPolicy;

impl PriorityPolicy for DefaultPriorityPolicy {
    fn initial(
        &self,
        customer: Option<&Customer>,
        requested: Option<Priority>,
        by_agent: bool,
    ) -> Priority {
        match customer.map(|c| c.kind) {
            Some(CustomerKind::Organisation) => Priority::High,
            _ if by_agent => requested.unwrap_or_default().min(self.ceiling(customer)),
            _ => requested.unwrap_or_default().min(Priority::Normal),
        }
    }

    fn ceiling(&self, customer: Option<&Customer>) -> Priority {
        match customer.map(|c| c.kind) {
            Some(CustomerKind::Organisation) | None => Priority::Urgent,
            Some(CustomerKind::Individual) => Priority::Normal,
        }
    }
}
