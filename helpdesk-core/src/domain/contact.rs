//! Contact details: e-mail addresses and phone numbers, validated and normalised.

use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::digits::digits_only;

/// An e-mail address, lower-cased so that look-ups and uniqueness ignore case.
///
/// ```
/// use helpdesk_core::domain::Email;
/// assert_eq!(Email::parse(" Ana@Example.RO ").unwrap().as_str(), "ana@example.ro");
/// assert!(Email::parse("not an address").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Validates an address: one `@`, a local part, a domain with a dot, no spaces, ≤ 254.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let s = raw.trim().to_lowercase();
        let invalid = || ValidationError::new("email", format!("{raw:?} is not an e-mail address"));
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = s.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !domain.contains("..");
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(s))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number as typed, with its digits normalised for comparison: Persian (۰–۹) and
/// Arabic-Indic digits count as their ASCII digits, punctuation and spaces are ignored
/// (seed 003).
///
/// ```
/// use helpdesk_core::domain::Phone;
/// let typed = Phone::parse("+98 (۲۱) ۸۸۷۷-۶۶۵۵").unwrap();
/// assert_eq!(typed.digits(), "982188776655");
/// assert_eq!(typed, Phone::parse("+98 21 8877 6655").unwrap());
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone {
    display: String,
    digits: String,
}

impl Phone {
    /// Validates a number: 3–20 digits in any script, with `+ - ( ) . /` and spaces around.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let display = raw.trim().to_owned();
        let digits = digits_only(&display);
        let allowed =
            |c: char| super::digits::ascii_digit(c).is_some() || " +-().//\u{200c}".contains(c);
        if !(3..=20).contains(&digits.len()) || !display.chars().all(allowed) {
            return Err(ValidationError::new(
                "phone",
                format!("{raw:?} is not a phone number (3–20 digits)"),
            ));
        }
        Ok(Self { display, digits })
    }

    /// The number as it was typed.
    pub fn as_str(&self) -> &str {
        &self.display
    }

    /// Only its digits, in ASCII: what look-ups compare.
    pub fn digits(&self) -> &str {
        &self.digits
    }
}

impl PartialEq for Phone {
    fn eq(&self, other: &Self) -> bool {
        self.digits == other.digits
    }
}

impl Eq for Phone {}

impl TryFrom<String> for Phone {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.display
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display)
    }
}
