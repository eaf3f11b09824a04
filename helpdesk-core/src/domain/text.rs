//! Validated text values: each trims its input, refuses control characters and has a length
//! range counted in characters (not bytes), so Cyrillic and Persian text gets the same room as
//! English.

use serde::{Deserialize, Serialize};

use super::ValidationError;

/// Trims `raw` and checks it: `min..=max` characters, no control characters except, when
/// `multiline`, newlines and tabs.
fn checked(
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<String, ValidationError> {
    let trimmed = raw.trim();
    let len = trimmed.chars().count();
    if len < min {
        return Err(if min == 1 {
            ValidationError::new(field, "must not be empty")
        } else {
            ValidationError::new(field, format!("must be at least {min} characters"))
        });
    }
    if len > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters (got {len})"),
        ));
    }
    let bad = |c: char| c.is_control() && !(multiline && matches!(c, '\n' | '\t' | '\r'));
    if trimmed.chars().any(bad) {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(if multiline {
        trimmed.replace("\r\n", "\n")
    } else {
        trimmed.to_owned()
    })
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $field:literal, $min:expr, $max:expr, $multiline:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The fewest characters allowed.
            pub const MIN_CHARS: usize = $min;
            /// The most characters allowed.
            pub const MAX_CHARS: usize = $max;

            /// Validates `raw` (trimmed first).
            pub fn parse(raw: impl AsRef<str>) -> Result<Self, ValidationError> {
                checked($field, raw.as_ref(), $min, $max, $multiline).map(Self)
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValidationError;
            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::parse(raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// A ticket's subject: 1–255 characters after trimming, one line.
    ///
    /// ```
    /// use helpdesk_core::domain::Subject;
    /// assert_eq!(Subject::parse("  Нет интернета  ").unwrap().as_str(), "Нет интернета");
    /// assert!(Subject::parse("   ").is_err());
    /// assert!(Subject::parse("x".repeat(256)).is_err());
    /// ```
    Subject, "subject", 1, 255, false
);
text_type!(
    /// A knowledge-base article's title: 1–255 characters, one line.
    ArticleTitle, "title", 1, 255, false
);
text_type!(
    /// The body of a message: 1–100,000 characters, several lines.
    MessageBody, "body", 1, 100_000, true
);
text_type!(
    /// A person's or a department's name: 1–200 characters, one line.
    Name, "name", 1, 200, false
);
text_type!(
    /// A category a ticket is filed under: 1–64 characters, one line.
    Category, "category", 1, 64, false
);
text_type!(
    /// The service a ticket concerns (seed 003): 1–100 characters, one line.
    ServiceName, "service", 1, 100, false
);
text_type!(
    /// An agent's signature, appended to their public replies: up to 2,000 characters.
    Signature, "signature", 0, 2_000, true
);
text_type!(
    /// A short free-text note (a time entry's, a hold reason): up to 1,000 characters.
    ShortNote, "note", 0, 1_000, true
);

impl ShortNote {
    /// No note at all (a note may be empty).
    pub fn empty() -> Self {
        Self(String::new())
    }
}
text_type!(
    /// A postal address, as typed: up to 500 characters.
    Address, "address", 1, 500, true
);
text_type!(
    /// A customer's contract number, compared exactly (seed 004): 1–64 characters.
    ContractNumber, "contract_number", 1, 64, false
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn subject_length_counts_characters_not_bytes() {
        // 255 Persian letters are 510 bytes, and still a valid subject.
        assert!(Subject::parse("س".repeat(255)).is_ok());
        assert!(Subject::parse("س".repeat(256)).is_err());
    }

    #[test]
    fn one_line_fields_refuse_newlines_and_bodies_keep_them() {
        assert!(Subject::parse("a\nb").is_err());
        assert_eq!(
            MessageBody::parse("line one\r\nline two").unwrap().as_str(),
            "line one\nline two"
        );
        assert!(MessageBody::parse("bell\u{7}").is_err());
    }

    #[test]
    fn serde_validates_on_the_way_in() {
        assert!(serde_json::from_str::<Subject>("\"  \"").is_err());
        let s: Subject = serde_json::from_str("\" ok \"").unwrap();
        assert_eq!(s.as_str(), "ok");
    }

    proptest! {
        #[test]
        fn subject_parse_never_panics_and_accepted_values_are_trimmed(raw in ".{0,300}") {
            if let Ok(s) = Subject::parse(&raw) {
                prop_assert_eq!(s.as_str(), s.as_str().trim());
                let n = s.as_str().chars().count();
                prop_assert!((1..=255).contains(&n));
            }
        }
    }
}
