//! Agents' notification preferences ([`NotificationPreferenceStore`]): per agent, how they
//! hear of each event and the language of their e-mails. An agent with no row takes the
//! defaults ([`NotificationPreferences::defaults`]).

use async_trait::async_trait;

use crate::domain::{AgentId, NotificationPreferences};
use crate::error::Result;

/// An ability a store may offer
/// ([`Store::as_notification_preference_store`](super::Store::as_notification_preference_store)):
/// one row of preferences per agent.
#[async_trait]
pub trait NotificationPreferenceStore: Send + Sync {
    /// The stored preferences of each of `agents` that has some, in any order.
    async fn notification_preferences(
        &self,
        agents: &[AgentId],
    ) -> Result<Vec<NotificationPreferences>>;
    /// Stores `preferences` for their agent, replacing what was stored. An agent missing
    /// from the directory is [`Error::NotFound`](crate::Error::NotFound) and nothing is
    /// written.
    async fn set_notification_preferences(
        &self,
        preferences: &NotificationPreferences,
    ) -> Result<()>;
}
