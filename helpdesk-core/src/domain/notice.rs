//! What the desk tells someone whose request it carried out otherwise than asked: never a
//! silent change.

use serde::{Deserialize, Serialize};

use super::{CustomerKind, Priority};

/// Something the desk did differently from what was asked, told back to the one who asked
/// (see [`Opened`](crate::service::Opened)).
///
/// ```
/// use helpdesk_core::domain::{Notice, Priority, PriorityReason};
/// let notice = Notice::PriorityAdjusted {
///     asked: Priority::Urgent,
///     applied: Priority::Normal,
///     reason: PriorityReason::AboveCap { cap: Priority::Normal },
/// };
/// assert_eq!(notice.code(), "priority_adjusted");
/// assert_eq!(
///     notice.to_string(),
///     "asked for priority urgent, applied normal: above the cap of normal"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Notice {
    /// A new ticket did not get the priority asked for.
    PriorityAdjusted {
        /// What was asked for.
        asked: Priority,
        /// What the ticket got.
        applied: Priority,
        /// Why.
        reason: PriorityReason,
    },
}

impl Notice {
    /// A stable machine-readable code (`priority_adjusted`), the `kind` of its JSON.
    pub fn code(&self) -> &'static str {
        match self {
            Notice::PriorityAdjusted { .. } => "priority_adjusted",
        }
    }
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::PriorityAdjusted {
                asked,
                applied,
                reason,
            } => write!(f, "asked for priority {asked}, applied {applied}: {reason}"),
        }
    }
}

/// Why a new ticket did not get the priority asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PriorityReason {
    /// It is above the highest priority the customer's tickets get without an agent's
    /// override ([`PriorityPolicy::ceiling`](crate::policy::PriorityPolicy::ceiling); seed
    /// 004 caps individuals at Normal): the cap was applied.
    AboveCap {
        /// The cap.
        cap: Priority,
    },
    /// The desk's rule sets the priority for this kind of customer whatever is asked (seed
    /// 004: organisations always get High).
    DeskRule {
        /// The kind of customer the rule is for; `None` for a ticket without a customer.
        customer_kind: Option<CustomerKind>,
    },
}

impl std::fmt::Display for PriorityReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PriorityReason::AboveCap { cap } => write!(f, "above the cap of {cap}"),
            PriorityReason::DeskRule { customer_kind } => match customer_kind {
                Some(CustomerKind::Organisation) => {
                    f.write_str("set by the desk's rule for organisations")
                }
                Some(CustomerKind::Individual) => {
                    f.write_str("set by the desk's rule for individuals")
                }
                None => f.write_str("set by the desk's rule"),
            },
        }
    }
}
