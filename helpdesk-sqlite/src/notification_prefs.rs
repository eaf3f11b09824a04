//! Agents' notification preferences (table `notification_preferences`, migration 0030):
//! [`NotificationPreferenceStore`] for [`SqliteStore`].

use std::collections::BTreeMap;

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{
    AgentId, Language, NotificationPreferences, NotifyChannel, NotifyEvent,
};
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::store::NotificationPreferenceStore;
use rusqlite::{OptionalExtension, Row, TransactionBehavior};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::rows::{Reader, blob, json};

fn read_preferences(row: &Row<'_>) -> Outcome<NotificationPreferences> {
    let r = Reader::new(row, "notification_preferences");
    Ok(NotificationPreferences {
        agent: AgentId::from_uuid(r.uuid("agent_id")?),
        language: r.text::<Language>("language")?,
        channels: r.json::<BTreeMap<NotifyEvent, NotifyChannel>>("channels")?,
    })
}

#[async_trait]
impl NotificationPreferenceStore for SqliteStore {
    async fn notification_preferences(
        &self,
        agents: &[AgentId],
    ) -> Result<Vec<NotificationPreferences>> {
        let ids: Vec<[u8; 16]> = agents.iter().map(|a| blob(a.as_uuid())).collect();
        self.read(move |conn| {
            let mut out = Vec::new();
            let mut stmt = conn.prepare_cached(
                "SELECT agent_id, language, channels FROM notification_preferences
                 WHERE agent_id = ?1",
            )?;
            for id in &ids {
                let mut rows = stmt.query([id])?;
                if let Some(row) = rows.next()? {
                    out.push(read_preferences(row)?);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn set_notification_preferences(
        &self,
        preferences: &NotificationPreferences,
    ) -> Result<()> {
        let agent = preferences.agent;
        let id = blob(agent.as_uuid());
        let language = preferences.language.as_str();
        let channels = preferences.channels.clone();
        self.write(move |conn| {
            let channels = json(&channels)?;
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let known: Option<i64> = tx
                .prepare_cached("SELECT 1 FROM agents WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            if known.is_none() {
                return Err(Error::not_found(Entity::Agent, agent).into());
            }
            tx.prepare_cached(
                "INSERT INTO notification_preferences (agent_id, language, channels)
                 VALUES (?1, ?2, ?3)
                 ON CONFLICT (agent_id) DO UPDATE
                 SET language = excluded.language, channels = excluded.channels",
            )?
            .execute((id, language, &channels))?;
            tx.commit()?;
            Ok(())
        })
        .await
    }
}
