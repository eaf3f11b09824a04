//! Schemas of live chat as the API answers it (`helpdesk-server/src/chat/views.rs` over the
//! serde form of `helpdesk::domain::ChatSession`): a chat with its ticket and customer,
//! where it stands, and the assistant's articles.

#![allow(dead_code)] // Read only by the derives: nothing builds these.

use chrono::{DateTime, Utc};
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::Language;

/// A chat, with its ticket's number and subject and the customer's name.
#[derive(ToSchema)]
pub struct Chat {
    /// Its id.
    pub id: Uuid,
    /// Its ticket (channel chat).
    pub ticket_id: Uuid,
    /// The customer.
    pub customer: Uuid,
    /// The department it is routed in.
    pub department: Uuid,
    /// Its state.
    pub state: ChatSessionState,
    /// When it started.
    pub created_at: DateTime<Utc>,
    /// Its version.
    #[schema(minimum = 0)]
    pub version: u64,
    /// Its ticket's short number (absent when the caller may not read the ticket).
    #[schema(nullable = false)]
    pub ticket_number: Option<String>,
    /// Its ticket's subject (absent as the number).
    #[schema(nullable = false)]
    pub subject: Option<String>,
    /// The customer's name.
    pub customer_name: String,
    /// While it waits for an agent: for how many seconds.
    #[schema(nullable = false, minimum = 0)]
    pub waiting_seconds: Option<i64>,
}

/// `{"items": [...]}` of [`Chat`].
#[derive(ToSchema)]
pub struct ChatList {
    /// The chats.
    pub items: Vec<Chat>,
}

/// A chat's stored state, told apart by `state`.
#[derive(ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ChatSessionState {
    /// With the assistant.
    Assistant,
    /// Waiting for an agent.
    Waiting {
        /// Since when.
        since: DateTime<Utc>,
    },
    /// With an agent.
    Active {
        /// The agent.
        agent: Uuid,
        /// Since when.
        since: DateTime<Utc>,
    },
    /// Ended.
    Ended {
        /// When.
        at: DateTime<Utc>,
        /// How.
        end: ChatEnd,
    },
}

/// How a chat ended.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ChatEnd {
    /// The assistant's articles answered it.
    Answered,
    /// The customer left.
    ByCustomer,
    /// The agent ended it.
    ByAgent,
    /// No agent was available.
    NoAgent,
}

/// Where a chat stands, told apart by `state`.
#[derive(ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ChatPlace {
    /// With the assistant.
    Assistant,
    /// In the queue.
    Queued {
        /// Its place in line.
        #[schema(minimum = 0)]
        position: u64,
    },
    /// With an agent.
    WithAgent {
        /// The agent.
        agent: Uuid,
        /// Their name.
        agent_name: String,
    },
    /// Ended.
    Ended {
        /// How.
        end: ChatEnd,
    },
}

/// An article the assistant suggests.
#[derive(ToSchema)]
pub struct SuggestedArticle {
    /// Its id.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// Its text.
    pub body: String,
    /// Its language.
    pub language: Language,
    /// Its language's name in that language (`Română`), for marking an article that is not
    /// in the reader's language.
    pub language_name: String,
    /// The path of its page on the portal (`/portal/kb/{id}`).
    pub href: String,
}
