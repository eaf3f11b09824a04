//! Phone numbers as people type them: `0721 000 111` and `+40 721 000 111` are one number
//! on a desk in Romania. The desk's default region (a stored setting, [`PhoneRegion`]) says
//! which country a number typed without its country code is in; the `phonenumber` crate
//! (libphonenumber's metadata, vendored in the crate) reads the number.

use std::fmt;
use std::str::FromStr;

use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::digits_only;
use crate::error::ValidationError;

/// A country (ISO 3166-1 alpha-2, e.g. `RO`) whose numbers may be typed in their national
/// form; one a desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PhoneRegion(Id);

impl PhoneRegion {
    /// The region of a two-letter country code, in any case (`ro`, `RO`).
    ///
    /// ```
    /// use helpdesk_core::search::PhoneRegion;
    /// assert_eq!(PhoneRegion::parse(" ro ").unwrap().as_str(), "RO");
    /// assert!(PhoneRegion::parse("XX").is_err());
    /// assert!(PhoneRegion::parse("Romania").is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// A validation error on `phone_region` when `text` is not a country phone numbers
    /// are known for.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let code = text.trim().to_ascii_uppercase();
        let refuse = || {
            ValidationError::new(
                "phone_region",
                "give a two-letter country code, such as RO, RU, IR or GB",
            )
        };
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(refuse());
        }
        let id = Id::from_str(&code).map_err(|_| refuse())?;
        // Only countries the metadata holds numbers for.
        if phonenumber::metadata::DATABASE.by_id(id.as_ref()).is_none() {
            return Err(refuse());
        }
        Ok(Self(id))
    }

    /// The two-letter code (`RO`).
    pub fn as_str(&self) -> &str {
        self.0.as_ref()
    }
}

impl fmt::Display for PhoneRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for PhoneRegion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PhoneRegion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The phone number `typed` means, read in `region` when it has no country code, else (its
/// digits alone, as a look-up keeps them) with its country code and no `+`; `None` when it
/// is no valid number.
fn read(typed: &str, region: Option<PhoneRegion>) -> Option<PhoneNumber> {
    // The parser's input: digits in any script made ASCII, at most a phone's worth of text.
    if typed.chars().count() > 64 {
        return None;
    }
    let ascii: String = typed
        .chars()
        .map(|c| crate::domain::ascii_digit(c).unwrap_or(c))
        .collect();
    let valid = |text: &str, region: Option<Id>| {
        phonenumber::parse(region, text)
            .ok()
            .filter(PhoneNumber::is_valid)
    };
    valid(&ascii, region.map(|r| r.0)).or_else(|| {
        let digits = digits_only(&ascii);
        let bare = !ascii.trim_start().starts_with('+') && ascii.trim() == digits;
        bare.then(|| valid(&format!("+{digits}"), None)).flatten()
    })
}

/// The digit strings a phone number typed as `typed` may be stored under: the digits as
/// typed, and, when it reads as a valid number (in `region` when it has no country code),
/// its international digits (country code and national number, `40721000111`), its
/// national form's digits (`0721000111`) and its national number alone (`721000111`).
/// Each once, the typed digits first; empty when `typed` has no digit.
///
/// ```
/// use helpdesk_core::search::{PhoneRegion, phone_forms};
/// let ro = PhoneRegion::parse("RO").ok();
/// let national = phone_forms("0721 000 111", ro);
/// assert!(national.contains(&"40721000111".to_owned()));
/// let international = phone_forms("+40 721 000 111", None);
/// assert!(international.contains(&"0721000111".to_owned()));
/// ```
pub fn phone_forms(typed: &str, region: Option<PhoneRegion>) -> Vec<String> {
    let mut forms = Vec::new();
    let mut add = |d: String| {
        if !d.is_empty() && !forms.contains(&d) {
            forms.push(d);
        }
    };
    add(digits_only(typed));
    if let Some(number) = read(typed, region) {
        add(digits_only(&number.format().mode(Mode::E164).to_string()));
        add(digits_only(
            &number.format().mode(Mode::National).to_string(),
        ));
        add(national_number(&number));
    }
    forms
}

/// The national number of `number` (its leading zeros kept, as in Italy's).
fn national_number(number: &PhoneNumber) -> String {
    let national = number.national();
    let zeros = "0".repeat(usize::from(national.zeros()));
    format!("{zeros}{}", national.value())
}

/// The national number (`721000111`) of `typed` when it reads as a valid phone number in
/// `region` (or by its country code): what every stored form of the number holds, so a
/// desk's text look-ups find `+40 721 000 111` and `0721 000 111` by it alike.
pub fn national_digits(typed: &str, region: Option<PhoneRegion>) -> Option<String> {
    read(typed, region).map(|n| national_number(&n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn national_and_international_forms_are_one_number() {
        let ro = PhoneRegion::parse("RO").ok();
        let a = phone_forms("0721 000 111", ro);
        let b = phone_forms("+40 721 000 111", ro);
        assert!(a.iter().any(|f| b.contains(f)), "{a:?} {b:?}");
        assert_eq!(
            national_digits("0721 000 111", ro).as_deref(),
            Some("721000111")
        );
        assert_eq!(
            national_digits("+40721000111", None).as_deref(),
            Some("721000111")
        );
        // Persian digits, a number of Iran.
        let ir = PhoneRegion::parse("IR").ok();
        assert_eq!(
            national_digits("۰۹۱۲ ۳۴۵ ۶۷۸۹", ir).as_deref(),
            Some("9123456789")
        );
        // Without a region a national form is no number; its digits still are a form.
        assert_eq!(national_digits("0721 000 111", None), None);
        assert_eq!(phone_forms("0721 000 111", None), ["0721000111"]);
        // The digits of an international number, as a look-up keeps them.
        assert!(phone_forms("40721000111", ro).contains(&"0721000111".to_owned()));
    }

    #[test]
    fn regions_round_trip_through_json() {
        let ro = PhoneRegion::parse("ro").unwrap();
        let json = serde_json::to_string(&ro).unwrap();
        assert_eq!(json, "\"RO\"");
        assert_eq!(serde_json::from_str::<PhoneRegion>(&json).unwrap(), ro);
        assert!(serde_json::from_str::<PhoneRegion>("\"ZZ\"").is_err());
    }

    proptest! {
        #[test]
        fn reading_any_text_as_a_phone_never_panics(s in "\\PC{0,40}", region in "[A-Z]{2}") {
            let region = PhoneRegion::parse(&region).ok();
            let forms = phone_forms(&s, region);
            for f in &forms {
                prop_assert!(f.bytes().all(|b| b.is_ascii_digit()));
            }
            let _ = national_digits(&s, region);
        }

        #[test]
        fn phone_like_text_never_panics(s in "[+0-9 ()\\-.#*;=a-z]{0,30}") {
            let ro = PhoneRegion::parse("RO").ok();
            let forms = phone_forms(&s, ro);
            // Idempotent: the forms of a form include it.
            for f in &forms {
                let again = phone_forms(f, ro);
                prop_assert!(again.contains(f));
            }
        }
    }
}
