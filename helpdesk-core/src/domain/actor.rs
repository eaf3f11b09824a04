//! Who does something: a customer, an agent, or the system itself.

use serde::{Deserialize, Serialize};

use super::{AgentId, CustomerId};

/// The one who issues a command or wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// A customer, acting on their own tickets.
    Customer(CustomerId),
    /// An agent, acting within their permissions.
    Agent(AgentId),
    /// The desk itself: timers, automation, and set-up by the embedding application.
    System,
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::Customer(id) => write!(f, "customer:{id}"),
            Actor::Agent(id) => write!(f, "agent:{id}"),
            Actor::System => f.write_str("system"),
        }
    }
}

/// How a ticket or message reached the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The web portal or the embedding app's own UI.
    #[default]
    Web,
    /// E-mail.
    Email,
    /// A phone call taken by an operator (seed 004).
    Phone,
    /// Live chat.
    Chat,
    /// Written by staff for staff.
    Internal,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 5] = [
        Channel::Web,
        Channel::Email,
        Channel::Phone,
        Channel::Chat,
        Channel::Internal,
    ];

    /// The stable text form.
    pub const fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::Chat => "chat",
            Channel::Internal => "internal",
        }
    }
}

impl std::str::FromStr for Channel {
    type Err = crate::error::ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                crate::error::ValidationError::new("channel", format!("unknown channel {s:?}"))
            })
    }
}
