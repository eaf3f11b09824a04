//! The request type of a ticket (the "message type" of seed 000, the request kinds of seed 002).

use serde::{Deserialize, Serialize};

use super::ValidationError;

/// What kind of request a ticket is: the built-in kinds, or one a deployment defines.
///
/// The text form is the built-in's snake-case name, or the custom name as given.
///
/// ```
/// use helpdesk_core::domain::TicketType;
/// assert_eq!("feature_request".parse::<TicketType>().unwrap(), TicketType::FeatureRequest);
/// let billing: TicketType = "billing".parse().unwrap();
/// assert_eq!(billing.as_str(), "billing");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum TicketType {
    /// Something is broken.
    #[default]
    Incident,
    /// A question.
    Question,
    /// A consultation, usually paid by the hour (seed 002).
    Consultation,
    /// A wish for a new feature.
    FeatureRequest,
    /// A request for a permission: a licence key, a new version, access (seed 002).
    AccessRequest,
    /// A type defined by the deployment.
    Custom(CustomType),
}

/// The name of a deployment-defined ticket type: 1–64 lower-case letters, digits, `_` and
/// `-`, and not the name of a built-in type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomType(String);

impl CustomType {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TicketType {
    /// The built-in types.
    pub const BUILT_IN: [TicketType; 5] = [
        TicketType::Incident,
        TicketType::Question,
        TicketType::Consultation,
        TicketType::FeatureRequest,
        TicketType::AccessRequest,
    ];

    /// The stable text form.
    pub fn as_str(&self) -> &str {
        match self {
            TicketType::Incident => "incident",
            TicketType::Question => "question",
            TicketType::Consultation => "consultation",
            TicketType::FeatureRequest => "feature_request",
            TicketType::AccessRequest => "access_request",
            TicketType::Custom(name) => name.as_str(),
        }
    }

    /// A deployment-defined type, validated.
    pub fn custom(name: &str) -> Result<Self, ValidationError> {
        name.parse()
    }
}

impl std::fmt::Display for TicketType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for TicketType {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Some(builtin) = TicketType::BUILT_IN.iter().find(|t| t.as_str() == s) {
            return Ok(builtin.clone());
        }
        let valid = (1..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if valid {
            Ok(TicketType::Custom(CustomType(s.to_owned())))
        } else {
            Err(ValidationError::new(
                "type",
                "a custom type is 1–64 lower-case letters, digits, '_' or '-'",
            ))
        }
    }
}

impl TryFrom<String> for TicketType {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<TicketType> for String {
    fn from(t: TicketType) -> String {
        t.as_str().to_owned()
    }
}
