//! Tags: free words agents put on tickets to find them again (`vip`, `router`, `возврат`).
//! Staff only: customers neither see nor set them.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use super::ValidationError;

/// A tag: 1–50 characters after trimming (runs of spaces inside become one), one line, no
/// control characters and no commas (a comma separates tags where several are typed in one
/// field). Two tags are the same when their folded forms are ([`key`](Self::key), folded
/// as search folds text: case and diacritics ignored, `ё` is `е`, Arabic letter forms are
/// Persian, Persian digits are ASCII), so `VIP` and `vip`, `Întârziere` and `intarziere`
/// are one tag; the text is kept as it was first typed.
///
/// ```
/// use helpdesk_core::domain::Tag;
/// let a = Tag::parse("  Întârziere   plată ").unwrap();
/// assert_eq!(a.as_str(), "Întârziere plată");
/// assert_eq!(a, Tag::parse("intarziere PLATA").unwrap());
/// assert_eq!(Tag::parse("Ёлка").unwrap().key(), "елка");
/// assert!(Tag::parse("a,b").is_err());
/// assert!(Tag::parse("  ").is_err());
/// assert!(Tag::parse("x".repeat(51)).is_err());
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tag {
    text: String,
    key: String,
}

impl Tag {
    /// The most characters a tag may have.
    pub const MAX_CHARS: usize = 50;

    /// Validates `raw` (trimmed, inner runs of white space made one space).
    pub fn parse(raw: impl AsRef<str>) -> Result<Self, ValidationError> {
        let text = raw
            .as_ref()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let len = text.chars().count();
        if len == 0 {
            return Err(ValidationError::new("tag", "must not be empty"));
        }
        if len > Self::MAX_CHARS {
            return Err(ValidationError::new(
                "tag",
                format!("must be at most {} characters (got {len})", Self::MAX_CHARS),
            ));
        }
        if text.chars().any(|c| c.is_control() || c == ',') {
            return Err(ValidationError::new(
                "tag",
                "must not contain commas or control characters",
            ));
        }
        let key = Self::fold(&text);
        if key.is_empty() {
            return Err(ValidationError::new("tag", "must have a letter or digit"));
        }
        Ok(Self { text, key })
    }

    /// The text as typed (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The folded form two tags are compared by, and stores index.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Folds `text` as tags are compared: for a prefix typed to complete a tag.
    pub fn fold(text: &str) -> String {
        super::fold::fold(text.trim())
    }
}

impl PartialEq for Tag {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Tag {}

impl Hash for Tag {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl PartialOrd for Tag {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Tag {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

impl TryFrom<String> for Tag {
    type Error = ValidationError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(raw)
    }
}

impl From<Tag> for String {
    fn from(value: Tag) -> String {
        value.text
    }
}

impl std::fmt::Display for Tag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A tag in use and on how many tickets: an autocompletion's entry, a report's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagCount {
    /// The tag.
    pub tag: Tag,
    /// How many tickets carry it.
    pub tickets: u64,
}

/// Parses tags typed in one field, separated by commas (empty pieces skipped).
///
/// ```
/// use helpdesk_core::domain::parse_tag_list;
/// let tags = parse_tag_list("vip, router,,VIP").unwrap();
/// assert_eq!(tags.len(), 2);
/// ```
pub fn parse_tag_list(text: &str) -> Result<std::collections::BTreeSet<Tag>, ValidationError> {
    text.split(',')
        .filter(|piece| !piece.trim().is_empty())
        .map(Tag::parse)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tags_in_the_four_languages_fold_as_search_does() {
        for (a, b) in [
            ("VIP", "vip"),
            ("Asistență", "asistenta"),
            ("asistenţă", "Asistență"),
            ("Ёж", "еж"),
            ("كتاب", "کتاب"),
            ("۱۲۳", "123"),
        ] {
            assert_eq!(Tag::parse(a).unwrap(), Tag::parse(b).unwrap(), "{a} {b}");
        }
        assert_ne!(Tag::parse("Майка").unwrap(), Tag::parse("Маика").unwrap());
    }

    #[test]
    fn bad_tags_are_validation_errors_on_the_field_tag() {
        for bad in ["", "   ", "a,b", "a\u{7}b", "\u{64B}"] {
            let err = Tag::parse(bad).unwrap_err();
            assert_eq!(err.field(), "tag", "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn a_parsed_tag_parses_again_to_itself(raw in "\\PC{0,60}") {
            if let Ok(tag) = Tag::parse(&raw) {
                let again = Tag::parse(tag.as_str()).unwrap();
                prop_assert_eq!(again.as_str(), tag.as_str());
                prop_assert_eq!(again.key(), tag.key());
                prop_assert!(tag.as_str().chars().count() <= Tag::MAX_CHARS);
                prop_assert!(!tag.as_str().contains(','));
                let json = serde_json::to_string(&tag).unwrap();
                let back: Tag = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(back.as_str(), tag.as_str());
            }
        }
    }
}
