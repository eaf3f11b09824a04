//! Finding customers the way a first-line operator does (seed 004): by contract number first,
//! else by phone, e-mail, or an address pattern with `%` wildcards. Not by name.

use serde::{Deserialize, Serialize};

use crate::domain::fold::fold;
use crate::domain::{ContractNumber, Customer, Email, digits_only};
use crate::error::ValidationError;

/// One way to look a customer up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", content = "value", rename_all = "snake_case")]
pub enum CustomerLookup {
    /// The contract number, exactly.
    ContractNumber(ContractNumber),
    /// The phone number's digits, in any script, whatever the punctuation.
    Phone(String),
    /// The e-mail address (case-insensitive).
    Email(Email),
    /// An address pattern: `%` stands for anything; case, diacritics and spaces are ignored
    /// (`%Кольц%14%кв.15` finds "ул. Кольцевая, д. 14, кв. 15"). The whole address must
    /// match, so a pattern usually starts with `%`.
    Address(String),
}

impl CustomerLookup {
    /// A phone look-up: 3–20 digits after normalisation.
    pub fn phone(typed: &str) -> Result<Self, ValidationError> {
        let digits = digits_only(typed);
        if !(3..=20).contains(&digits.len()) {
            return Err(ValidationError::new("phone", "give 3 to 20 digits"));
        }
        Ok(Self::Phone(digits))
    }

    /// An address look-up: a pattern with at least one letter or digit.
    pub fn address(pattern: &str) -> Result<Self, ValidationError> {
        let key = address_key(pattern);
        if !key.chars().any(char::is_alphanumeric) || key.chars().count() > 500 {
            return Err(ValidationError::new(
                "address",
                "give part of the address, with % for the gaps",
            ));
        }
        Ok(Self::Address(key))
    }

    /// Whether `customer` matches.
    pub fn matches(&self, customer: &Customer) -> bool {
        match self {
            CustomerLookup::ContractNumber(c) => customer.contract_number.as_ref() == Some(c),
            CustomerLookup::Phone(digits) => customer
                .phone
                .as_ref()
                .is_some_and(|p| p.digits() == digits),
            CustomerLookup::Email(e) => customer.email.as_ref() == Some(e),
            CustomerLookup::Address(pattern) => customer
                .address
                .as_ref()
                .is_some_and(|a| like(&address_key(a.as_str()), pattern)),
        }
    }
}

/// The form addresses and address patterns are compared in: folded, without white space.
/// Stores keep it beside each customer's address.
pub fn address_key(text: &str) -> String {
    fold(text).chars().filter(|c| !c.is_whitespace()).collect()
}

/// SQL `LIKE` with only `%` as a wildcard (no `_`, no escapes): `pattern` matches the whole
/// of `text`.
pub fn like(text: &str, pattern: &str) -> bool {
    let pieces: Vec<&str> = pattern.split('%').collect();
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if pieces.len() == 1 {
        return text == pattern;
    }
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for piece in &pieces[1..pieces.len() - 1] {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_seed_pattern_finds_the_address() {
        let key = address_key("ул. Кольцевая, д. 14, кв. 15");
        let CustomerLookup::Address(p) = CustomerLookup::address("%Кольц%14%кв.15").unwrap()
        else {
            unreachable!()
        };
        assert!(like(&key, &p));
        let CustomerLookup::Address(p) = CustomerLookup::address("%Кольц%14%кв.1").unwrap()
        else {
            unreachable!()
        };
        assert!(
            !like(&key, &p),
            "the end is anchored: flat 1 is not flat 15"
        );
        assert!(CustomerLookup::address("%%").is_err());
    }

    proptest! {
        #[test]
        fn like_agrees_with_a_regex_free_definition(text in "[ab%]{0,8}", pattern in "[ab%]{0,6}") {
            // Reference: dynamic programming over the pattern.
            let t: Vec<char> = text.chars().collect();
            let p: Vec<char> = pattern.chars().collect();
            let mut m = vec![vec![false; t.len() + 1]; p.len() + 1];
            m[0][0] = true;
            for i in 1..=p.len() {
                for j in 0..=t.len() {
                    m[i][j] = if p[i - 1] == '%' {
                        m[i - 1][j] || (j > 0 && m[i][j - 1])
                    } else {
                        j > 0 && m[i - 1][j - 1] && p[i - 1] == t[j - 1]
                    };
                }
            }
            prop_assert_eq!(like(&text, &pattern), m[p.len()][t.len()]);
        }
    }
}
