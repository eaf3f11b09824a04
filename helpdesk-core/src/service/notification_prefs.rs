//! Agents' notification preferences (issue 20): how each agent hears of what needs them,
//! per event, and the language of their e-mails. Any agent reads and sets their own; admins
//! read and set anyone's. An agent who never chose has the defaults
//! ([`NotificationPreferences::defaults`]).

use std::collections::{BTreeMap, HashMap};

use super::{Acting, Helpdesk};
use crate::domain::{AgentId, Language, NotificationPreferences, NotifyChannel, NotifyEvent};
use crate::error::{Ability, Error, ForbiddenReason, Result};
use crate::store::{NotificationPreferenceStore, StoreExt};

impl Helpdesk {
    fn preference_store(&self) -> Result<&dyn NotificationPreferenceStore> {
        self.store
            .as_notification_preference_store()
            .ok_or(Error::unsupported(Ability::NotificationPreferences))
    }

    /// The preferences of each of `agents` (the defaults for one who has none stored, or
    /// when the store keeps none), by agent.
    pub(crate) async fn preferences_of(
        &self,
        agents: &[AgentId],
    ) -> Result<HashMap<AgentId, NotificationPreferences>> {
        let mut found: HashMap<AgentId, NotificationPreferences> =
            match (self.store.as_notification_preference_store(), agents) {
                (_, []) | (None, _) => HashMap::new(),
                (Some(store), _) => store
                    .notification_preferences(agents)
                    .await?
                    .into_iter()
                    .map(|p| (p.agent, p))
                    .collect(),
            };
        for a in agents {
            found
                .entry(*a)
                .or_insert_with(|| NotificationPreferences::defaults(*a));
        }
        Ok(found)
    }
}

impl Acting {
    /// Whose preferences the actor may touch: their own, or anyone's for an admin.
    async fn preferences_target(&self, agent: Option<AgentId>) -> Result<AgentId> {
        let me = self.principal.agent().map(|a| a.id);
        match (agent, me) {
            (None, Some(me)) => Ok(me),
            (Some(a), Some(me)) if a == me => Ok(me),
            (None, None) => Err(Error::forbidden(ForbiddenReason::AgentsOnly)),
            (Some(a), _) => {
                self.require_admin()?;
                self.desk.store.require_agent(a).await?;
                Ok(a)
            }
        }
    }

    /// The notification preferences of `agent` (`None`: the actor's own), with every event
    /// listed. Admins may read anyone's; an agent their own.
    pub async fn notification_preferences(
        &self,
        agent: Option<AgentId>,
    ) -> Result<NotificationPreferences> {
        let agent = self.preferences_target(agent).await?;
        self.desk.preference_store()?;
        let mut all = self.desk.preferences_of(&[agent]).await?;
        let found = all
            .remove(&agent)
            .unwrap_or_else(|| NotificationPreferences::defaults(agent));
        Ok(found.complete())
    }

    /// Sets the notification preferences of `preferences.agent`: the actor's own, or, for an
    /// admin, anyone's. Events not listed keep their default. Returns them as stored, with
    /// every event listed.
    pub async fn set_notification_preferences(
        &self,
        preferences: NotificationPreferences,
    ) -> Result<NotificationPreferences> {
        let agent = self.preferences_target(Some(preferences.agent)).await?;
        let store = self.desk.preference_store()?;
        let complete = NotificationPreferences {
            agent,
            ..preferences
        }
        .complete();
        store.set_notification_preferences(&complete).await?;
        Ok(complete)
    }

    /// Changes some of the notification preferences of `agent` (`None`: the actor's own):
    /// the language when given, and the channels listed; the rest stays as it was. Returns
    /// them as stored, with every event listed.
    pub async fn change_notification_preferences(
        &self,
        agent: Option<AgentId>,
        language: Option<Language>,
        channels: BTreeMap<NotifyEvent, NotifyChannel>,
    ) -> Result<NotificationPreferences> {
        let mut preferences = self.notification_preferences(agent).await?;
        if let Some(language) = language {
            preferences.language = language;
        }
        preferences.channels.extend(channels);
        self.set_notification_preferences(preferences).await
    }
}
