//! Typed custom fields on tickets and customers (district, customer type, ... from seed 004).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ValidationError;

/// A custom field's key: 1–64 of `a-z`, `0-9` and `_`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FieldKey(String);

impl FieldKey {
    /// Validates a key.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let ok = (1..=64).contains(&raw.len())
            && raw.starts_with(|c: char| c.is_ascii_lowercase())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ValidationError::new(
                "custom_fields",
                format!("{raw:?} is not a valid key (a-z, 0-9, _; starting with a letter)"),
            ))
        }
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FieldKey {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<FieldKey> for String {
    fn from(k: FieldKey) -> String {
        k.0
    }
}

impl std::fmt::Display for FieldKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A custom field's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum FieldValue {
    /// Free text, up to 1,000 characters, without control characters other than newlines
    /// and tabs.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// Yes or no.
    Bool(bool),
    /// A calendar date.
    Date(NaiveDate),
}

impl FieldValue {
    fn validate(&self, key: &FieldKey) -> Result<(), ValidationError> {
        match self {
            FieldValue::Text(t) if t.chars().count() > 1_000 => Err(ValidationError::new(
                "custom_fields",
                format!("{key}: text is longer than 1000 characters"),
            )),
            FieldValue::Text(t) if t.trim().is_empty() => Err(ValidationError::new(
                "custom_fields",
                format!("{key}: text must not be empty"),
            )),
            FieldValue::Text(t)
                if t.chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\t')) =>
            {
                Err(ValidationError::new(
                    "custom_fields",
                    format!("{key}: text must not contain control characters"),
                ))
            }
            _ => Ok(()),
        }
    }
}

impl std::fmt::Display for FieldValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldValue::Text(t) => f.write_str(t),
            FieldValue::Integer(i) => write!(f, "{i}"),
            FieldValue::Bool(b) => write!(f, "{b}"),
            FieldValue::Date(d) => write!(f, "{d}"),
        }
    }
}

/// A set of custom fields, at most 64, each value validated.
///
/// ```
/// use helpdesk_core::domain::{CustomFields, FieldValue};
/// let fields = CustomFields::new()
///     .with("district", FieldValue::Text("Центральный".into()))
///     .unwrap();
/// assert_eq!(fields.get("district"), Some(&FieldValue::Text("Центральный".into())));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(transparent)]
pub struct CustomFields(BTreeMap<FieldKey, FieldValue>);

impl CustomFields {
    /// The most fields a ticket or customer may carry.
    pub const MAX_FIELDS: usize = 64;

    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// Validates a whole map.
    pub fn from_map(map: BTreeMap<FieldKey, FieldValue>) -> Result<Self, ValidationError> {
        if map.len() > Self::MAX_FIELDS {
            return Err(ValidationError::new(
                "custom_fields",
                format!("at most {} fields", Self::MAX_FIELDS),
            ));
        }
        for (key, value) in &map {
            value.validate(key)?;
        }
        Ok(Self(map))
    }

    /// These fields plus `key = value`.
    pub fn with(mut self, key: &str, value: FieldValue) -> Result<Self, ValidationError> {
        let key = FieldKey::parse(key)?;
        value.validate(&key)?;
        self.0.insert(key, value);
        Self::from_map(self.0)
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&FieldValue> {
        self.0
            .iter()
            .find(|(k, _)| k.as_str() == key)
            .map(|(_, v)| v)
    }

    /// Every field, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&FieldKey, &FieldValue)> {
        self.0.iter()
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The map inside.
    pub fn as_map(&self) -> &BTreeMap<FieldKey, FieldValue> {
        &self.0
    }
}

impl<'de> Deserialize<'de> for CustomFields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<FieldKey, FieldValue>::deserialize(d)?;
        Self::from_map(map).map_err(serde::de::Error::custom)
    }
}
