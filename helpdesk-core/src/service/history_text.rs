//! A ticket's history as text, with names instead of ids.

use std::collections::HashMap;

use super::Acting;
use crate::domain::{Actor, Language, StatusLabels, TicketKey};
use crate::error::Result;
use crate::render::render_history;

impl Acting {
    /// A ticket's history rendered one line per event, with people's, departments' and
    /// tickets' names, status labels in `language`. What the actor may see only.
    pub async fn history_text(
        &self,
        ticket: impl Into<TicketKey>,
        language: Language,
    ) -> Result<String> {
        let events = self.history(ticket).await?;
        let mut names = HashMap::new();
        for d in self.desk.store.departments().await? {
            names.insert(d.id.as_uuid(), d.name.to_string());
        }
        for e in &events {
            let ids = match e.actor {
                Actor::Agent(a) => Some(a.as_uuid()),
                Actor::Customer(c) => Some(c.as_uuid()),
                Actor::System => None,
            };
            if let Some(id) = ids.filter(|id| !names.contains_key(id)) {
                let name = match e.actor {
                    Actor::Agent(a) => self.desk.store.agent(a).await?.map(|a| a.name.to_string()),
                    Actor::Customer(c) => self
                        .desk
                        .store
                        .customer(c)
                        .await?
                        .map(|c| c.name.to_string()),
                    Actor::System => None,
                };
                if let Some(name) = name {
                    names.insert(id, name);
                }
            }
            let mentioned = match &e.change {
                crate::domain::Change::AssigneeChanged { from, to } => [*from, *to],
                _ => [None, None],
            };
            for agent in mentioned.into_iter().flatten() {
                if let Some(a) = self.desk.store.agent(agent).await? {
                    names.insert(agent.as_uuid(), a.name.to_string());
                }
            }
            let tickets = match &e.change {
                crate::domain::Change::MergedInto { target } => Some(*target),
                crate::domain::Change::MergeReceived { source } => Some(*source),
                crate::domain::Change::SplitOff { into, .. } => Some(*into),
                crate::domain::Change::SplitFrom { source } => Some(*source),
                crate::domain::Change::MasterChanged { to, .. } => *to,
                _ => None,
            };
            if let Some(t) = tickets
                && let Some(t) = self.desk.store.ticket(t).await?
            {
                names.insert(t.id.as_uuid(), format!("#{}", t.number.short()));
            }
        }
        Ok(render_history(
            &events,
            &StatusLabels::new(language),
            &|id| names.get(&id).cloned(),
        ))
    }
}
