//! The priority rules a desk keeps in its store (setting `priority_rules`): which priority
//! the new tickets of an organisation's customers get, and how high an agent may set them
//! without the override permission. Every process that opens the store applies the same
//! ones, over the rules its opener passed in code.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{OrganisationPriorityRule, OrganisationPriorityRules, PriorityPolicy};
use crate::domain::{CustomerId, Name, Priority};
use crate::error::ValidationError;

/// The priority rules kept in the store, in order. An empty value (the default) means the
/// desk's rules are those its opener passed in code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PriorityRuleSettings {
    /// The rules; an organisation is named by one rule at most.
    #[serde(default)]
    pub rules: Vec<PriorityRuleSetting>,
}

/// A priority rule as stored: the tickets of these organisations' customers (the
/// organisation itself or a member) start at `initial`, and may be set up to `ceiling`
/// without the override permission (none: the desk's usual ceiling, at least `initial`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PriorityRuleSetting {
    /// Its name, unique on the desk.
    pub name: Name,
    /// The organisations (customers of kind organisation) it names; at least one.
    pub organisations: Vec<CustomerId>,
    /// The priority their new tickets get, whatever is asked for.
    pub initial: Priority,
    /// The highest priority allowed without the override permission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceiling: Option<Priority>,
}

impl PriorityRuleSetting {
    /// A rule named `name`: the tickets of `organisations` start at `initial`.
    pub fn new(name: Name, organisations: Vec<CustomerId>, initial: Priority) -> Self {
        Self {
            name,
            organisations,
            initial,
            ceiling: None,
        }
    }

    /// The same rule, with `ceiling` as the highest priority allowed without the override.
    #[must_use]
    pub fn with_ceiling(mut self, ceiling: Option<Priority>) -> Self {
        self.ceiling = ceiling;
        self
    }

    /// Checks the rule on its own: it names an organisation, no organisation twice, and its
    /// ceiling is not below its initial priority.
    ///
    /// # Errors
    ///
    /// The first problem, on the field at fault (`organisations`, `ceiling`).
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.organisations.is_empty() {
            return Err(ValidationError::new(
                "organisations",
                "a priority rule names at least one organisation",
            ));
        }
        let mut seen = BTreeSet::new();
        if let Some(twice) = self.organisations.iter().find(|o| !seen.insert(**o)) {
            return Err(ValidationError::new(
                "organisations",
                format!("{twice} is named twice"),
            ));
        }
        if self.ceiling.is_some_and(|c| c < self.initial) {
            return Err(ValidationError::new(
                "ceiling",
                "the ceiling is below the initial priority",
            ));
        }
        Ok(())
    }
}

impl PriorityRuleSettings {
    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules naming `organisation`.
    pub fn naming(&self, organisation: CustomerId) -> impl Iterator<Item = &PriorityRuleSetting> {
        self.rules
            .iter()
            .filter(move |r| r.organisations.contains(&organisation))
    }

    /// Checks every rule, that names are unique and that no organisation is named by two
    /// rules (the first would silently win).
    ///
    /// # Errors
    ///
    /// The first problem found.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut names = BTreeSet::new();
        let mut organisations = BTreeSet::new();
        for rule in &self.rules {
            rule.validate()?;
            if !names.insert(&rule.name) {
                return Err(ValidationError::new(
                    "name",
                    format!("two priority rules are called {}", rule.name.as_str()),
                ));
            }
            for organisation in &rule.organisations {
                if !organisations.insert(*organisation) {
                    return Err(ValidationError::new(
                        "organisations",
                        format!("{organisation} already has a priority rule"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The policy the desk runs: these rules over `fallback`; when nothing is stored,
    /// `fallback` itself.
    pub fn apply(&self, fallback: Arc<dyn PriorityPolicy>) -> Arc<dyn PriorityPolicy> {
        if self.is_empty() {
            return fallback;
        }
        let rules = self
            .rules
            .iter()
            .map(|r| OrganisationPriorityRule {
                organisations: r.organisations.clone(),
                initial: r.initial,
                ceiling: r.ceiling,
            })
            .collect();
        Arc::new(OrganisationPriorityRules::new(rules, fallback))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Customer, CustomerKind};
    use crate::policy::DefaultPriorityPolicy;
    use crate::testkit::samples::customer;

    fn rule(text: &str, organisations: Vec<CustomerId>, initial: Priority) -> PriorityRuleSetting {
        PriorityRuleSetting::new(Name::parse(text).unwrap(), organisations, initial)
    }

    #[test]
    fn bad_rules_are_refused_on_the_field_at_fault() {
        let acme = CustomerId::new();
        let cases = [
            (vec![rule("a", vec![], Priority::High)], "organisations"),
            (
                vec![rule("a", vec![acme, acme], Priority::High)],
                "organisations",
            ),
            (
                vec![rule("a", vec![acme], Priority::High).with_ceiling(Some(Priority::Normal))],
                "ceiling",
            ),
            (
                vec![
                    rule("a", vec![acme], Priority::High),
                    rule("a", vec![CustomerId::new()], Priority::Low),
                ],
                "name",
            ),
            (
                vec![
                    rule("a", vec![acme], Priority::High),
                    rule("b", vec![acme], Priority::Low),
                ],
                "organisations",
            ),
        ];
        for (rules, field) in cases {
            let err = PriorityRuleSettings { rules }.validate().unwrap_err();
            assert_eq!(err.field(), field);
        }
    }

    #[test]
    fn a_rule_without_a_ceiling_keeps_the_fallbacks_but_never_below_its_initial() {
        let org = Customer {
            kind: CustomerKind::Organisation,
            ..customer("Acme", None)
        };
        let low = PriorityRuleSettings {
            rules: vec![rule("low", vec![org.id], Priority::Low)],
        };
        let policy = low.apply(Arc::new(DefaultPriorityPolicy));
        assert_eq!(
            policy.initial(Some(&org), Some(Priority::Urgent), false),
            Priority::Low
        );
        assert_eq!(policy.ceiling(Some(&org)), Priority::Urgent);

        let person = Customer {
            organisation: Some(org.id),
            ..customer("Ana", None)
        };
        let urgent = PriorityRuleSettings {
            rules: vec![rule("vip", vec![org.id], Priority::Urgent)],
        };
        let policy = urgent.apply(Arc::new(DefaultPriorityPolicy));
        assert_eq!(policy.initial(Some(&person), None, false), Priority::Urgent);
        assert_eq!(
            policy.ceiling(Some(&person)),
            Priority::Urgent,
            "an individual's usual ceiling is Normal; the rule lifts it to its initial"
        );
    }
}
