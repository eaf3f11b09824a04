//! Ticket numbers: the full number, and the short form customers are told (seed 004).

use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::digits::ascii_digit;

/// A ticket's number: the full form (e.g. `2013041610000135`) and the short form the customer
/// is told (e.g. `10000135`). Both are unique in a store.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TicketNumber {
    full: String,
    short: String,
}

impl TicketNumber {
    /// A number from its two forms; both must be 1–32 ASCII digits and `full` must end with
    /// `short`.
    pub fn new(full: impl Into<String>, short: impl Into<String>) -> Result<Self, ValidationError> {
        let (full, short) = (full.into(), short.into());
        let digits = |s: &str| (1..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(&full) || !digits(&short) || !full.ends_with(&short) {
            return Err(ValidationError::new(
                "number",
                format!("{full:?}/{short:?} is not a ticket number"),
            ));
        }
        Ok(Self { full, short })
    }

    /// The full number.
    pub fn full(&self) -> &str {
        &self.full
    }

    /// The short form: what customers are told, at the end of the call.
    pub fn short(&self) -> &str {
        &self.short
    }

    /// Normalises what someone typed into the digits to look up: trims, drops a leading `#`,
    /// turns Persian and Arabic-Indic digits into ASCII, and allows spaces and dashes between
    /// digit groups. Works for the full and the short form alike.
    ///
    /// ```
    /// use helpdesk_core::domain::TicketNumber;
    /// assert_eq!(TicketNumber::normalize("#۱۰۰۰۰۱۳۵").unwrap(), "10000135");
    /// assert_eq!(TicketNumber::normalize(" 20130416-10000135 ").unwrap(), "2013041610000135");
    /// assert!(TicketNumber::normalize("12ab").is_err());
    /// ```
    pub fn normalize(input: &str) -> Result<String, ValidationError> {
        let trimmed = input.trim();
        let body = trimmed
            .strip_prefix(['#', '№'])
            .unwrap_or(trimmed)
            .trim_start();
        let mut out = String::with_capacity(body.len());
        for c in body.chars() {
            match ascii_digit(c) {
                Some(d) => out.push(d),
                None if matches!(c, ' ' | '-') => {}
                None => {
                    return Err(ValidationError::new(
                        "number",
                        format!("{input:?} is not a ticket number"),
                    ));
                }
            }
        }
        if out.is_empty() || out.len() > 32 {
            return Err(ValidationError::new(
                "number",
                format!("{input:?} is not a ticket number"),
            ));
        }
        Ok(out)
    }
}

impl std::fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.full)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn normalize_never_panics(s in "\\PC{0,40}") {
            if let Ok(digits) = TicketNumber::normalize(&s) {
                prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
                prop_assert!(!digits.is_empty() && digits.len() <= 32);
            }
        }

        #[test]
        fn every_digit_script_and_a_hash_give_the_same_number(n in 1u64..u64::MAX) {
            let ascii = n.to_string();
            let persian: String = ascii.chars()
                .map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap()).unwrap()).collect();
            let arabic: String = ascii.chars()
                .map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap()).unwrap()).collect();
            prop_assert_eq!(TicketNumber::normalize(&persian).unwrap(), ascii.clone());
            prop_assert_eq!(TicketNumber::normalize(&format!("#{arabic}")).unwrap(), ascii);
        }
    }
}
