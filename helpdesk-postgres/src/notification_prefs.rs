//! Agents' notification preferences (table `notification_preferences`, migration 0030):
//! [`NotificationPreferenceStore`] for [`PostgresStore`].

use std::collections::BTreeMap;

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{
    AgentId, Language, NotificationPreferences, NotifyChannel, NotifyEvent,
};
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::store::NotificationPreferenceStore;
use sqlx::postgres::PgRow;

use crate::connection::PostgresStore;
use crate::rows::{Reader, all, execute, json};

/// Preferences from a row of `SELECT agent_id, language, channels`.
fn preferences(row: &PgRow) -> Result<NotificationPreferences> {
    let r = Reader::new(row, "notification_preferences");
    Ok(NotificationPreferences {
        agent: AgentId::from_uuid(r.get::<uuid::Uuid>("agent_id")?),
        language: r.text::<Language>("language")?,
        channels: r.json::<BTreeMap<NotifyEvent, NotifyChannel>>("channels")?,
    })
}

#[async_trait]
impl NotificationPreferenceStore for PostgresStore {
    async fn notification_preferences(
        &self,
        agents: &[AgentId],
    ) -> Result<Vec<NotificationPreferences>> {
        let ids: Vec<uuid::Uuid> = agents.iter().map(|a| a.as_uuid()).collect();
        let query = sqlx::query(
            "SELECT agent_id, language, channels FROM notification_preferences \
             WHERE agent_id = ANY($1)",
        )
        .bind(ids);
        all(&self.pool, query, preferences).await
    }

    async fn set_notification_preferences(
        &self,
        preferences: &NotificationPreferences,
    ) -> Result<()> {
        // Written only for an agent in the directory: no row is the missing agent.
        let query = sqlx::query(
            "INSERT INTO notification_preferences (agent_id, language, channels) \
             SELECT id, $2, $3 FROM agents WHERE id = $1 \
             ON CONFLICT (agent_id) DO UPDATE \
             SET language = excluded.language, channels = excluded.channels",
        )
        .bind(preferences.agent.as_uuid())
        .bind(preferences.language.as_str())
        .bind(json(&preferences.channels)?);
        if execute(&self.pool, query).await? == 0 {
            return Err(Error::not_found(Entity::Agent, preferences.agent));
        }
        Ok(())
    }
}
