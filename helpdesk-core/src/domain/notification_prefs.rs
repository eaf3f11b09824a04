//! How each agent wants to hear of what needs a person (issue 20): per event, in the app,
//! by e-mail, both or not at all, and the language of their e-mails.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::stable_text::stable_text;
use super::{AgentId, Language, NotificationKind};

/// Something that happened which an agent may want to hear of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NotifyEvent {
    /// A new ticket arrived in one of the agent's departments.
    NewTicket,
    /// The customer replied on the agent's ticket (or on an unassigned one of their
    /// department).
    CustomerReplied,
    /// A ticket was assigned to the agent.
    Assigned,
    /// A colleague mentioned the agent.
    Mention,
    /// A service-level target of the agent's ticket is close to passing (a supervisor hears
    /// of unassigned tickets of their departments).
    SlaWarning,
    /// A service-level target passed.
    SlaBreached,
    /// The time a pending or on-hold ticket was set aside until has come.
    PendingReminder,
    /// A customer asked to raise a ticket's priority; the request waits for a decision.
    PriorityRequested,
    /// A live chat waits in the queue of one of the agent's departments.
    ChatWaiting,
}

stable_text!(NotifyEvent, "event" {
    NewTicket => "new_ticket",
    CustomerReplied => "customer_replied",
    Assigned => "assigned",
    Mention => "mention",
    SlaWarning => "sla_warning",
    SlaBreached => "sla_breached",
    PendingReminder => "pending_reminder",
    PriorityRequested => "priority_requested",
    ChatWaiting => "chat_waiting",
});

impl NotifyEvent {
    /// The event an agent's notification of `kind` tells of; `None` for kinds agents are
    /// always told of in the app (notes on their tickets) or never get (customers' kinds).
    pub fn of(kind: &NotificationKind) -> Option<Self> {
        Some(match kind {
            NotificationKind::NewTicket => NotifyEvent::NewTicket,
            NotificationKind::CustomerReplied => NotifyEvent::CustomerReplied,
            NotificationKind::Assigned => NotifyEvent::Assigned,
            NotificationKind::SlaWarning { .. } => NotifyEvent::SlaWarning,
            NotificationKind::SlaBreached { .. } => NotifyEvent::SlaBreached,
            NotificationKind::PendingReminder => NotifyEvent::PendingReminder,
            NotificationKind::PriorityRequested => NotifyEvent::PriorityRequested,
            NotificationKind::ChatWaiting => NotifyEvent::ChatWaiting,
            // The mention kind, by its stable name (added beside this module).
            k if k.as_str() == "mention" => NotifyEvent::Mention,
            _ => return None,
        })
    }

    /// How an agent hears of it unless they chose otherwise: in the app always; by e-mail
    /// too for an assignment and a breached target.
    pub fn default_channel(self) -> NotifyChannel {
        match self {
            NotifyEvent::Assigned | NotifyEvent::SlaBreached => NotifyChannel::Both,
            _ => NotifyChannel::InApp,
        }
    }
}

/// How an agent hears of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyChannel {
    /// An in-app notification only.
    InApp,
    /// An e-mail only.
    Email,
    /// Both.
    Both,
    /// Not at all.
    None,
}

stable_text!(NotifyChannel, "channel" {
    InApp => "in_app",
    Email => "email",
    Both => "both",
    None => "none",
});

impl NotifyChannel {
    /// Whether it includes an in-app notification.
    pub fn in_app(self) -> bool {
        matches!(self, NotifyChannel::InApp | NotifyChannel::Both)
    }

    /// Whether it includes an e-mail.
    pub fn email(self) -> bool {
        matches!(self, NotifyChannel::Email | NotifyChannel::Both)
    }
}

/// One agent's notification preferences: a channel per event (events not listed take
/// [`NotifyEvent::default_channel`]) and the language of their e-mails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationPreferences {
    /// The agent.
    pub agent: AgentId,
    /// The language their notification e-mails are written in.
    pub language: Language,
    /// The channels chosen, per event.
    pub channels: BTreeMap<NotifyEvent, NotifyChannel>,
}

impl NotificationPreferences {
    /// The defaults for `agent`: every event as [`NotifyEvent::default_channel`] says, in
    /// English.
    pub fn defaults(agent: AgentId) -> Self {
        Self {
            agent,
            language: Language::English,
            channels: BTreeMap::new(),
        }
    }

    /// How the agent hears of `event`.
    pub fn channel(&self, event: NotifyEvent) -> NotifyChannel {
        self.channels
            .get(&event)
            .copied()
            .unwrap_or_else(|| event.default_channel())
    }

    /// Every event with its channel, in [`NotifyEvent::ALL`] order.
    pub fn all(&self) -> Vec<(NotifyEvent, NotifyChannel)> {
        NotifyEvent::ALL
            .into_iter()
            .map(|e| (e, self.channel(e)))
            .collect()
    }

    /// The same preferences with every event listed (what is stored and shown).
    pub fn complete(mut self) -> Self {
        self.channels = self.all().into_iter().collect();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_in_app_for_all_and_email_too_for_assignment_and_breach() {
        let p = NotificationPreferences::defaults(AgentId::new());
        for (event, channel) in p.all() {
            let expected = match event {
                NotifyEvent::Assigned | NotifyEvent::SlaBreached => NotifyChannel::Both,
                _ => NotifyChannel::InApp,
            };
            assert_eq!(channel, expected, "{event}");
        }
    }

    #[test]
    fn a_chosen_channel_overrides_the_default() {
        let mut p = NotificationPreferences::defaults(AgentId::new());
        p.channels
            .insert(NotifyEvent::Assigned, NotifyChannel::None);
        assert_eq!(p.channel(NotifyEvent::Assigned), NotifyChannel::None);
        assert!(!p.channel(NotifyEvent::Assigned).in_app());
        assert!(p.channel(NotifyEvent::SlaBreached).email());
    }
}
