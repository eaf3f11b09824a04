//! Presence kept by heartbeats (issue 21 problem 8, issue 23): an agent's console and chat
//! windows say they are there ([`Acting::heartbeat`]; setting one's presence counts as one),
//! and an agent not seen for the stored [`PresenceTimeout`] (default 60 s) counts as offline
//! in every process: routing passes them by, their availability reads as offline, and a chat
//! they were in goes back to the department's queue (the next time anyone reads where it
//! stands, or at the next [`Helpdesk::run_due`]), so its customer is never told they are
//! talking to someone who left. Everything is decided here with the desk's clock; the store
//! only keeps when each agent was last seen.

use chrono::{DateTime, Utc};

use super::{Acting, Helpdesk};
use crate::domain::{AgentId, Availability, ChatSession, ChatState, Presence, PresenceTimeout};
use crate::error::{Entity, Error, Result};
use crate::store::{ChatCommit, SettingKey};

/// How many times a presence write re-reads after a concurrent change.
const ATTEMPTS: usize = 8;

impl Helpdesk {
    /// The stored presence timeout; the default (60 s) when unset or the store keeps no
    /// settings.
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails or holds a value that is not a
    /// [`PresenceTimeout`].
    pub async fn presence_timeout(&self) -> Result<PresenceTimeout> {
        Ok(self.stored_presence_timeout().await?.unwrap_or_default())
    }

    /// The presence timeout an admin stored; `None` when unset (the default applies) or the
    /// store keeps no settings. Errors as [`Helpdesk::presence_timeout`].
    pub async fn stored_presence_timeout(&self) -> Result<Option<PresenceTimeout>> {
        let Some(settings) = self.store.as_settings_store() else {
            return Ok(None);
        };
        match settings.setting(SettingKey::PresenceTimeout).await? {
            None => Ok(None),
            Some(text) => PresenceTimeout::parse(&text)
                .map(Some)
                .map_err(|e| Error::corrupt("settings", "value", e)),
        }
    }

    /// When `chat` is with an agent who is no longer present at `now`, puts it back in its
    /// department's queue (freeing the agent's seat, together) and routes the queue; the
    /// chat as it is then. A chat changed meanwhile, or an agent seen again meanwhile, is
    /// left as it is.
    pub(crate) async fn requeue_if_agent_gone(
        &self,
        chat: ChatSession,
        now: DateTime<Utc>,
    ) -> Result<ChatSession> {
        let ChatState::Active { agent, .. } = chat.state else {
            return Ok(chat);
        };
        let timeout = self.presence_timeout().await?;
        let store = self.chat_store()?;
        let gone = match store.availability(agent).await? {
            Some(a) => !a.is_present(now, timeout),
            None => true,
        };
        if !gone || !self.requeue(&chat, agent, now, timeout).await? {
            return Ok(chat);
        }
        self.route_chats(chat.department).await?;
        Ok(store.chat(chat.id).await?.unwrap_or(chat))
    }

    /// Puts `chat` (with `agent`) back in the queue and frees the agent's seat; whether it
    /// did (false: the chat moved, or the agent came back, meanwhile).
    async fn requeue(
        &self,
        chat: &ChatSession,
        agent: AgentId,
        now: DateTime<Utc>,
        timeout: PresenceTimeout,
    ) -> Result<bool> {
        let store = self.chat_store()?;
        let mut waiting = chat.clone();
        waiting.state = ChatState::Waiting { since: now };
        for _ in 0..ATTEMPTS {
            let seat = store.availability(agent).await?;
            if seat.as_ref().is_some_and(|a| a.is_present(now, timeout)) {
                return Ok(false);
            }
            let availability = seat
                .map(|a| {
                    let mut freed = a.clone();
                    freed.active_chats = a.active_chats.saturating_sub(1);
                    vec![(Some(a.version), freed)]
                })
                .unwrap_or_default();
            let commit = ChatCommit {
                chats: vec![(Some(chat.version), waiting.clone())],
                availability,
            };
            match store.commit_chat(commit).await {
                Ok(()) => return Ok(true),
                Err(Error::Conflict {
                    entity: Entity::Availability,
                    ..
                }) => continue,
                Err(Error::Conflict { .. }) => return Ok(false),
                Err(e) => return Err(e),
            }
        }
        Ok(false)
    }

    /// Puts every chat whose agent is no longer present at `now` back in its department's
    /// queue and routes those queues; how many. [`Helpdesk::run_due`] calls it, so chats of
    /// an agent whose process died move on even when nobody looks at them.
    pub async fn requeue_chats_of_absent_agents(&self, now: DateTime<Utc>) -> Result<usize> {
        let Some(store) = self.store.as_chat_store() else {
            return Ok(0);
        };
        let timeout = self.presence_timeout().await?;
        let mut moved = 0;
        for seat in store.availabilities().await? {
            if seat.active_chats == 0 || seat.is_present(now, timeout) {
                continue;
            }
            for chat in store.agent_chats(seat.agent).await? {
                let department = chat.department;
                if self.requeue(&chat, seat.agent, now, timeout).await? {
                    moved += 1;
                    self.route_chats(department).await?;
                }
            }
        }
        Ok(moved)
    }
}

impl Acting {
    /// The acting agent is there (their console or chat window says so every little
    /// while): records when they were last seen. An agent online again after their presence
    /// expired takes waiting chats at once. Nothing is written for an agent who never set a
    /// presence or chose offline. Their availability as it counts now.
    pub async fn heartbeat(&self) -> Result<Availability> {
        let agent = self.require_agent()?;
        let store = self.desk.chat_store()?;
        let timeout = self.desk.presence_timeout().await?;
        let mut last = None;
        for _ in 0..ATTEMPTS {
            let now = self.desk.now();
            let Some(current) = store.availability(agent.id).await? else {
                return Ok(Availability::offline(
                    agent.id,
                    self.desk.chat.default_max_chats,
                ));
            };
            if current.presence == Presence::Offline {
                return Ok(current);
            }
            let was_present = current.is_present(now, timeout);
            let mut seen = current.clone();
            seen.last_seen_at = Some(now);
            let commit = ChatCommit {
                chats: vec![],
                availability: vec![(Some(current.version), seen)],
            };
            match store.commit_chat(commit).await {
                Ok(()) => {
                    if !was_present && current.presence == Presence::Online {
                        for department in agent.departments.keys() {
                            self.desk.route_chats(*department).await?;
                        }
                    }
                    return self.my_availability().await;
                }
                Err(e @ Error::Conflict { .. }) => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::validation("presence", "changed too often")))
    }

    /// Every agent's availability for chats as it counts now (an agent whose presence
    /// expired reads as offline), for staff.
    pub async fn chat_availabilities(&self) -> Result<Vec<Availability>> {
        self.require_agent()?;
        let now = self.desk.now();
        let timeout = self.desk.presence_timeout().await?;
        Ok(self
            .desk
            .chat_store()?
            .availabilities()
            .await?
            .iter()
            .map(|a| a.as_of(now, timeout))
            .collect())
    }

    /// Sets how long an agent counts as present after they were last seen, or back to the
    /// default (60 s) with `None` (admins), audited. [`Error::Unsupported`] when the store
    /// keeps no settings.
    pub async fn set_presence_timeout(&self, timeout: Option<PresenceTimeout>) -> Result<()> {
        self.require_admin()?;
        let settings = self.desk.settings_store()?;
        let before = settings.setting(SettingKey::PresenceTimeout).await?;
        let after = timeout.map(|t| t.to_string());
        if before == after {
            return Ok(());
        }
        self.record_setting(SettingKey::PresenceTimeout, before, after)
            .await
    }
}
