//! People's own settings ([`PersonSettingsStore`]): per agent or customer, their time zone
//! and, for staff, their page language. A person with no row has none chosen
//! ([`PersonSettings::default`]).

use async_trait::async_trait;

use crate::domain::{Actor, PersonSettings};
use crate::error::Result;

/// An ability a store may offer
/// ([`Store::as_person_settings_store`](super::Store::as_person_settings_store)): one row of
/// settings per person who chose.
#[async_trait]
pub trait PersonSettingsStore: Send + Sync {
    /// The stored settings of `person` (an agent or a customer), the default when none are
    /// stored.
    async fn person_settings(&self, person: Actor) -> Result<PersonSettings>;
    /// Stores `settings` for `person`, replacing what was stored. A person missing from the
    /// directory is [`Error::NotFound`](crate::Error::NotFound), [`Actor::System`] a
    /// validation error, and nothing is written.
    async fn set_person_settings(&self, person: Actor, settings: &PersonSettings) -> Result<()>;
}
