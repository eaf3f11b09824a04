//! Service levels: which policy applies to a ticket, its targets in business time on which
//! calendar, what pauses the clock, and when silent tickets close themselves.

use std::collections::BTreeMap;

use chrono::Duration;

use super::Calendar;
use crate::domain::{
    Customer, CustomerId, CustomerKind, DepartmentId, Priority, SlaTarget, Status, Ticket,
    TicketType,
};
use crate::error::ValidationError;

/// Which tickets a policy applies to. An empty list matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlaCondition {
    /// Any of these priorities.
    pub priorities: Vec<Priority>,
    /// In any of these departments.
    pub departments: Vec<DepartmentId>,
    /// Of any of these types.
    pub ticket_types: Vec<TicketType>,
    /// For any of these kinds of customer.
    pub customer_kinds: Vec<CustomerKind>,
    /// For customers of any of these organisations (the organisation itself, or a member).
    pub organisations: Vec<CustomerId>,
}

/// Who a ticket is for, as conditions match it: the customer's kind and organisation (its
/// own, for a customer of kind organisation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CustomerFacts {
    /// The customer's kind; `None` without a customer.
    pub kind: Option<CustomerKind>,
    /// The organisation the customer is or belongs to.
    pub organisation: Option<CustomerId>,
}

impl CustomerFacts {
    /// The facts of `customer` (none without one).
    pub fn of(customer: Option<&Customer>) -> Self {
        Self {
            kind: customer.map(|c| c.kind),
            organisation: customer.and_then(|c| match c.kind {
                CustomerKind::Organisation => Some(c.id),
                CustomerKind::Individual => c.organisation,
            }),
        }
    }
}

impl SlaCondition {
    /// Whether `ticket` (of a customer with these `facts`) matches.
    pub fn matches(&self, ticket: &Ticket, facts: CustomerFacts) -> bool {
        fn any<T: PartialEq>(list: &[T], value: &T) -> bool {
            list.is_empty() || list.contains(value)
        }
        fn any_of<T: PartialEq>(list: &[T], value: Option<T>) -> bool {
            list.is_empty() || value.is_some_and(|v| list.contains(&v))
        }
        any(&self.priorities, &ticket.priority)
            && any(&self.departments, &ticket.department)
            && any(&self.ticket_types, &ticket.ticket_type)
            && any_of(&self.customer_kinds, facts.kind)
            && any_of(&self.organisations, facts.organisation)
    }
}

/// A service-level policy: targets in business time for the tickets its condition matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaPolicy {
    name: String,
    condition: SlaCondition,
    targets: BTreeMap<SlaTarget, Duration>,
    calendar: Option<Calendar>,
    pause_on: Vec<Status>,
    warn_percent: u8,
}

impl SlaPolicy {
    /// A policy named `name` for tickets matching `condition`, with no targets yet; it pauses
    /// while the ticket waits for the customer or a third party, and warns at 80%.
    pub fn new(name: impl Into<String>, condition: SlaCondition) -> Self {
        Self {
            name: name.into(),
            condition,
            targets: BTreeMap::new(),
            calendar: None,
            pause_on: vec![Status::PendingCustomer, Status::OnHold],
            warn_percent: 80,
        }
    }

    /// Sets a target: `within` of business time.
    pub fn target(mut self, target: SlaTarget, within: Duration) -> Result<Self, ValidationError> {
        if within <= Duration::zero() {
            return Err(ValidationError::new("sla", "a target must be positive"));
        }
        self.targets.insert(target, within);
        Ok(self)
    }

    /// Measures on `calendar` instead of the department's.
    pub fn on_calendar(mut self, calendar: Calendar) -> Self {
        self.calendar = Some(calendar);
        self
    }

    /// Pauses the clocks in these statuses (default: PendingCustomer and OnHold).
    pub fn pause_on(mut self, statuses: Vec<Status>) -> Self {
        self.pause_on = statuses;
        self
    }

    /// Warns when this share of a target is spent (1–99).
    pub fn warn_at_percent(mut self, percent: u8) -> Result<Self, ValidationError> {
        if !(1..=99).contains(&percent) {
            return Err(ValidationError::new("sla", "the warning share is 1–99%"));
        }
        self.warn_percent = percent;
        Ok(self)
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The target for `target`, if it has one.
    pub fn target_for(&self, target: SlaTarget) -> Option<Duration> {
        self.targets.get(&target).copied()
    }

    /// Whether the clocks pause in `status`.
    pub fn pauses_in(&self, status: Status) -> bool {
        self.pause_on.contains(&status)
    }

    /// The warning share in percent.
    pub fn warn_percent(&self) -> u8 {
        self.warn_percent
    }
}

/// Closing tickets the customer left silent (seed 002: after 5 working days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoClose {
    /// Working days of silence in Resolved or PendingCustomer before the system closes.
    pub after_working_days: u32,
    /// Working days before that to warn the customer (0: no warning).
    pub warn_working_days_before: u32,
}

impl Default for AutoClose {
    fn default() -> Self {
        Self {
            after_working_days: 5,
            warn_working_days_before: 1,
        }
    }
}

/// Every service-level rule of a desk: policies (the first that matches applies), calendars
/// per department, and the auto-close.
///
/// ```
/// use chrono::Duration;
/// use helpdesk_core::domain::{Priority, SlaTarget};
/// use helpdesk_core::policy::{ServiceLevels, SlaCondition, SlaPolicy};
/// let urgent = SlaPolicy::new("urgent", SlaCondition { priorities: vec![Priority::Urgent], ..Default::default() })
///     .target(SlaTarget::FirstResponse, Duration::hours(1)).unwrap()
///     .target(SlaTarget::Resolution, Duration::hours(8)).unwrap();
/// let levels = ServiceLevels::default().with_policy(urgent);
/// assert_eq!(levels.policies().len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLevels {
    policies: Vec<SlaPolicy>,
    calendars: BTreeMap<DepartmentId, Calendar>,
    default_calendar: Calendar,
    auto_close: Option<AutoClose>,
}

impl Default for ServiceLevels {
    /// No policies, open around the clock, auto-close after 5 working days.
    fn default() -> Self {
        Self {
            policies: Vec::new(),
            calendars: BTreeMap::new(),
            default_calendar: Calendar::always_open(),
            auto_close: Some(AutoClose::default()),
        }
    }
}

impl ServiceLevels {
    /// Adds a policy after the existing ones.
    pub fn with_policy(mut self, policy: SlaPolicy) -> Self {
        self.policies.push(policy);
        self
    }

    /// Gives `department` its own calendar (seed 000: billing 09:00–18:00 Moscow time).
    pub fn with_department_calendar(
        mut self,
        department: DepartmentId,
        calendar: Calendar,
    ) -> Self {
        self.calendars.insert(department, calendar);
        self
    }

    /// The calendar of departments without their own.
    pub fn with_default_calendar(mut self, calendar: Calendar) -> Self {
        self.default_calendar = calendar;
        self
    }

    /// Sets (or with `None`, turns off) the auto-close.
    pub fn with_auto_close(mut self, auto_close: Option<AutoClose>) -> Self {
        self.auto_close = auto_close;
        self
    }

    /// The policies, in order.
    pub fn policies(&self) -> &[SlaPolicy] {
        &self.policies
    }

    /// The auto-close rule.
    pub fn auto_close(&self) -> Option<AutoClose> {
        self.auto_close
    }

    /// The first policy matching `ticket`; internal tickets have none.
    pub fn policy_for(&self, ticket: &Ticket, facts: CustomerFacts) -> Option<&SlaPolicy> {
        if ticket.internal {
            return None;
        }
        self.policies
            .iter()
            .find(|p| p.condition.matches(ticket, facts))
    }

    /// The calendar of `department`.
    pub fn department_calendar(&self, department: DepartmentId) -> &Calendar {
        self.calendars
            .get(&department)
            .unwrap_or(&self.default_calendar)
    }

    /// The calendar `policy`'s clocks run on for a ticket in `department`.
    pub fn calendar_for<'a>(
        &'a self,
        policy: Option<&'a SlaPolicy>,
        department: DepartmentId,
    ) -> &'a Calendar {
        policy
            .and_then(|p| p.calendar.as_ref())
            .unwrap_or_else(|| self.department_calendar(department))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::samples::{customer, number, ticket};

    #[test]
    fn an_organisation_condition_matches_the_organisation_and_its_members_only() {
        let acme = Customer {
            kind: CustomerKind::Organisation,
            ..customer("Acme", None)
        };
        let ion = Customer {
            organisation: Some(acme.id),
            ..customer("Ion", None)
        };
        let ana = customer("Ana", None);
        let t = ticket(number(1), DepartmentId::new(), ion.id);
        let condition = SlaCondition {
            organisations: vec![acme.id],
            ..SlaCondition::default()
        };
        assert!(condition.matches(&t, CustomerFacts::of(Some(&ion))));
        assert!(condition.matches(&t, CustomerFacts::of(Some(&acme))));
        assert!(!condition.matches(&t, CustomerFacts::of(Some(&ana))));
        assert!(!condition.matches(&t, CustomerFacts::of(None)));
        // No organisation named: any customer, or none.
        assert!(SlaCondition::default().matches(&t, CustomerFacts::of(None)));
        let levels = ServiceLevels::default().with_policy(SlaPolicy::new("acme", condition));
        assert!(
            levels
                .policy_for(&t, CustomerFacts::of(Some(&ion)))
                .is_some()
        );
        assert!(
            levels
                .policy_for(&t, CustomerFacts::of(Some(&ana)))
                .is_none()
        );
    }
}
