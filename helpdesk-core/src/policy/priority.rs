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

/// One rule of [`OrganisationPriorityRules`]: the tickets of customers of these
/// organisations (the organisation itself or a member, as
/// [`CustomerFacts`](super::CustomerFacts) says, like an SLA condition) start at `initial`
/// and may be set up to `ceiling` without the override permission (`None`: the fallback's
/// ceiling, but never below `initial`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationPriorityRule {
    /// The organisations (customers of kind organisation).
    pub organisations: Vec<crate::domain::CustomerId>,
    /// The priority their new tickets get (whatever is asked for).
    pub initial: Priority,
    /// The highest priority allowed without the override permission (`None`: the
    /// fallback's, at least `initial`).
    pub ceiling: Option<Priority>,
}

/// Priority rules that match on the customer's organisation (issue 20): the first rule
/// naming the organisation the customer is or belongs to decides; a customer no rule names
/// gets what `fallback` says.
///
/// ```
/// use helpdesk_core::domain::{CustomerId, Priority};
/// use helpdesk_core::policy::{
///     DefaultPriorityPolicy, OrganisationPriorityRule, OrganisationPriorityRules, PriorityPolicy,
/// };
/// let rules = OrganisationPriorityRules::new(
///     vec![OrganisationPriorityRule {
///         organisations: vec![CustomerId::new()],
///         initial: Priority::Urgent,
///         ceiling: Some(Priority::Urgent),
///     }],
///     DefaultPriorityPolicy,
/// );
/// // Nobody named: the fallback decides.
/// assert_eq!(rules.initial(None, Some(Priority::Urgent), false), Priority::Normal);
/// ```
#[derive(Debug, Clone)]
pub struct OrganisationPriorityRules<P> {
    rules: Vec<OrganisationPriorityRule>,
    fallback: P,
}

impl<P: PriorityPolicy> OrganisationPriorityRules<P> {
    /// The rules, in order, over `fallback`.
    pub fn new(rules: Vec<OrganisationPriorityRule>, fallback: P) -> Self {
        Self { rules, fallback }
    }

    /// The first rule naming the organisation `customer` is or belongs to.
    fn rule_for(&self, customer: Option<&Customer>) -> Option<&OrganisationPriorityRule> {
        let organisation = super::CustomerFacts::of(customer).organisation?;
        self.rules
            .iter()
            .find(|r| r.organisations.contains(&organisation))
    }
}

impl<P: PriorityPolicy> PriorityPolicy for OrganisationPriorityRules<P> {
    fn initial(
        &self,
        customer: Option<&Customer>,
        requested: Option<Priority>,
        by_agent: bool,
    ) -> Priority {
        match self.rule_for(customer) {
            Some(rule) => rule.initial,
            None => self.fallback.initial(customer, requested, by_agent),
        }
    }

    fn ceiling(&self, customer: Option<&Customer>) -> Priority {
        match self.rule_for(customer) {
            Some(rule) => rule
                .ceiling
                .unwrap_or_else(|| self.fallback.ceiling(customer).max(rule.initial)),
            None => self.fallback.ceiling(customer),
        }
    }
}

/// A shared policy is a policy: what the desk keeps ([`Helpdesk`](crate::Helpdesk) holds its
/// code policy as one) may stand under stored rules.
impl PriorityPolicy for std::sync::Arc<dyn PriorityPolicy> {
    fn initial(
        &self,
        customer: Option<&Customer>,
        requested: Option<Priority>,
        by_agent: bool,
    ) -> Priority {
        self.as_ref().initial(customer, requested, by_agent)
    }

    fn ceiling(&self, customer: Option<&Customer>) -> Priority {
        self.as_ref().ceiling(customer)
    }
}
