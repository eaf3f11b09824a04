//! How people name a ticket: by id, or by its number as they typed it.

use super::ValidationError;
use super::{TicketId, TicketNumber};

/// A ticket as someone named it: its id, or the ASCII digits of its full or short number.
/// Every call of [`Acting`](crate::service::Acting) that takes a ticket takes a key, so a
/// server or CLI passes on what the person gave.
///
/// ```
/// use helpdesk_core::domain::{TicketId, TicketKey};
/// // A number: full or short, with `#`, spaces or dashes, in any digit script.
/// assert_eq!("#۱۰۰۰۰۱۳۵".parse::<TicketKey>().unwrap(), TicketKey::Number("10000135".into()));
/// // An id (a UUID).
/// let id = TicketId::new();
/// assert_eq!(id.to_string().parse::<TicketKey>().unwrap(), TicketKey::Id(id));
/// assert!("12ab".parse::<TicketKey>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TicketKey {
    /// The ticket's id.
    Id(TicketId),
    /// The ASCII digits of its full or short number (see [`TicketNumber::normalize`]).
    Number(String),
}

impl TicketKey {
    /// The key for what someone typed: a UUID is an id; anything else must be a number.
    ///
    /// # Errors
    ///
    /// A validation error on `number` when it is neither.
    pub fn parse(typed: &str) -> Result<Self, ValidationError> {
        match typed.trim().parse::<TicketId>() {
            Ok(id) => Ok(TicketKey::Id(id)),
            Err(_) => TicketNumber::normalize(typed).map(TicketKey::Number),
        }
    }
}

impl std::str::FromStr for TicketKey {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl std::fmt::Display for TicketKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TicketKey::Id(id) => id.fmt(f),
            TicketKey::Number(digits) => write!(f, "#{digits}"),
        }
    }
}

impl From<TicketId> for TicketKey {
    fn from(id: TicketId) -> Self {
        TicketKey::Id(id)
    }
}

impl From<&TicketId> for TicketKey {
    fn from(id: &TicketId) -> Self {
        TicketKey::Id(*id)
    }
}

impl From<&TicketNumber> for TicketKey {
    fn from(number: &TicketNumber) -> Self {
        TicketKey::Number(number.full().to_owned())
    }
}
