//! The mail domains of an organisation ([`OrganisationDomain`]): a person whose address is
//! at one of them belongs to the organisation.

use serde::{Deserialize, Serialize};

use super::{Email, ValidationError};

/// A mail domain an organisation owns (`hotel.example`): two or more labels of letters,
/// digits and `-` (not first or last) between dots, each 1–63 characters, at most 253 in all,
/// the last not a number; lower-cased. A leading `@` and a trailing `.` are dropped.
///
/// ```
/// use helpdesk_core::domain::{Email, OrganisationDomain};
/// let hotel = OrganisationDomain::parse(" @Hotel.Example. ").unwrap();
/// assert_eq!(hotel.as_str(), "hotel.example");
/// assert_eq!(OrganisationDomain::of(&Email::parse("ana@HOTEL.example").unwrap()), Some(hotel));
/// assert!(OrganisationDomain::parse("localhost").is_err());
/// assert!(OrganisationDomain::parse("-bad.example").is_err());
/// assert!(OrganisationDomain::parse("10.0.0.1").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrganisationDomain(String);

impl OrganisationDomain {
    /// The most characters a domain has.
    pub const MAX_CHARS: usize = 253;

    /// Validates `raw` (trimmed, lower-cased).
    pub fn parse(raw: impl AsRef<str>) -> Result<Self, ValidationError> {
        let raw = raw.as_ref();
        let trimmed = raw.trim();
        let trimmed = trimmed.strip_prefix('@').unwrap_or(trimmed);
        let s = trimmed.strip_suffix('.').unwrap_or(trimmed).to_lowercase();
        let invalid = |why: &str| ValidationError::new("domain", format!("{raw:?} {why}"));
        if s.chars().count() > Self::MAX_CHARS {
            return Err(invalid("is longer than 253 characters"));
        }
        let labels: Vec<&str> = s.split('.').collect();
        if labels.len() < 2 {
            return Err(invalid("is not a domain with a dot (hotel.example)"));
        }
        for label in &labels {
            let ok = (1..=63).contains(&label.chars().count())
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-');
            if !ok {
                return Err(invalid(
                    "must be names of letters, digits and - between dots",
                ));
            }
        }
        if labels
            .last()
            .is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(invalid("is an address, not a domain"));
        }
        Ok(Self(s))
    }

    /// The domain of `email`, when it is one (what follows the `@`).
    pub fn of(email: &Email) -> Option<Self> {
        let (_, domain) = email.as_str().rsplit_once('@')?;
        Self::parse(domain).ok()
    }

    /// The domain.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrganisationDomain {
    type Error = ValidationError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(raw)
    }
}

impl From<OrganisationDomain> for String {
    fn from(value: OrganisationDomain) -> String {
        value.0
    }
}

impl std::fmt::Display for OrganisationDomain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_domain_is_lower_cased_and_loses_its_at_and_final_dot() {
        assert_eq!(
            OrganisationDomain::parse("@Fabrica.Example.")
                .unwrap()
                .as_str(),
            "fabrica.example"
        );
        assert_eq!(
            OrganisationDomain::parse("هتل.example").unwrap().as_str(),
            "هتل.example"
        );
    }

    #[test]
    fn malformed_domains_are_refused_naming_the_field() {
        for bad in [
            "",
            "example",
            "a..example",
            ".example",
            "a_b.example",
            "bad-.example",
            "hotel.example/x",
            "1.2.3.4",
            &format!("{}.example", "a".repeat(64)),
        ] {
            let e = OrganisationDomain::parse(bad).unwrap_err();
            assert_eq!(e.field(), "domain", "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn a_parsed_domain_parses_to_itself(raw in "[a-zA-Z0-9.@-]{0,40}") {
            if let Ok(d) = OrganisationDomain::parse(&raw) {
                prop_assert_eq!(OrganisationDomain::parse(d.as_str()).unwrap(), d);
            }
        }
    }
}
