//! Who does something: a customer, an agent, or the system itself.

use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::stable_text::stable_text;
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

/// Which kind of [`Actor`]: how an actor is stored as a kind and an optional id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorKind {
    /// [`Actor::Customer`].
    Customer,
    /// [`Actor::Agent`].
    Agent,
    /// [`Actor::System`].
    System,
}

stable_text!(ActorKind, "actor" {
    Customer => "customer",
    Agent => "agent",
    System => "system",
});

impl Actor {
    /// Its kind.
    pub const fn kind(self) -> ActorKind {
        match self {
            Actor::Customer(_) => ActorKind::Customer,
            Actor::Agent(_) => ActorKind::Agent,
            Actor::System => ActorKind::System,
        }
    }

    /// The id of the customer or agent; `None` for the system.
    pub fn id(self) -> Option<uuid::Uuid> {
        match self {
            Actor::Customer(id) => Some(id.as_uuid()),
            Actor::Agent(id) => Some(id.as_uuid()),
            Actor::System => None,
        }
    }

    /// The actor stored as `kind` and `id` (see [`kind`](Self::kind) and [`id`](Self::id)).
    ///
    /// # Errors
    ///
    /// A validation error when a customer or agent has no id, or the system has one.
    pub fn from_parts(kind: ActorKind, id: Option<uuid::Uuid>) -> Result<Self, ValidationError> {
        match (kind, id) {
            (ActorKind::Customer, Some(id)) => Ok(Actor::Customer(CustomerId::from_uuid(id))),
            (ActorKind::Agent, Some(id)) => Ok(Actor::Agent(AgentId::from_uuid(id))),
            (ActorKind::System, None) => Ok(Actor::System),
            (kind, id) => Err(ValidationError::new(
                "actor",
                format!("a {kind} actor with id {id:?}"),
            )),
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

stable_text!(Channel, "channel" {
    Web => "web",
    Email => "email",
    Phone => "phone",
    Chat => "chat",
    Internal => "internal",
});
