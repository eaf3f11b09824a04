//! Chats, places in the queue, messages and articles as the JSON the chat window shows.

use chrono::Utc;
use helpdesk::Helpdesk;
use helpdesk::domain::{Actor, Article, ChatSession, ChatState, Message};
use helpdesk::service::{Acting, ChatPlace};
use serde_json::{Value, json};

use crate::pages::words::t;

/// A person's name for the chat window. The people of a chat see each other's names (a
/// customer the name of the agent who answers), so the desk reads them as itself.
pub async fn display_name(desk: &Helpdesk, actor: Actor) -> String {
    let system = desk.as_system();
    let name = match actor {
        Actor::Agent(id) => system.agent(id).await.map(|a| a.name.to_string()),
        Actor::Customer(id) => system.customer(id).await.map(|c| c.name.to_string()),
        Actor::System => return "System".to_owned(),
    };
    name.unwrap_or_else(|_| actor.to_string())
}

/// A chat with its ticket's number and subject, its customer's name, and how long it has
/// waited (seconds, when queued), as `acting` sees it.
pub async fn chat_view(acting: &Acting, chat: &ChatSession) -> Value {
    let mut view = json!(chat);
    if let Ok(ticket) = acting.ticket(chat.ticket_id).await {
        view["ticket_number"] = json!(ticket.number.short());
        view["subject"] = json!(ticket.subject);
    }
    view["customer_name"] =
        json!(display_name(acting.desk(), Actor::Customer(chat.customer)).await);
    if let ChatState::Waiting { since } = chat.state {
        view["waiting_seconds"] = json!((Utc::now() - since).num_seconds().max(0));
    }
    view
}

/// Where a chat stands: with the assistant, queued (and where), with an agent (and who), or
/// ended (and how).
pub async fn place_view(desk: &Helpdesk, place: ChatPlace) -> Value {
    match place {
        ChatPlace::Assistant => json!({"state": "assistant"}),
        ChatPlace::Queued { position } => json!({"state": "queued", "position": position}),
        ChatPlace::WithAgent(agent) => json!({
            "state": "with_agent", "agent": agent,
            "agent_name": display_name(desk, Actor::Agent(agent)).await,
        }),
        ChatPlace::Ended(end) => json!({"state": "ended", "end": end}),
    }
}

/// A message with who it is from (`customer`, `agent` or `system`) and their name.
pub async fn message_view(desk: &Helpdesk, message: &Message) -> Value {
    let mut view = json!(message);
    let from = match message.author {
        Actor::Customer(_) => "customer",
        Actor::Agent(_) => "agent",
        Actor::System => "system",
    };
    view["from"] = json!(from);
    view["author_name"] = json!(display_name(desk, message.author).await);
    view
}

/// The assistant's articles: id, title, body, language, the language's name in itself (for
/// marking an article in another language than the reader's) and the path of the article's
/// page on the portal.
pub fn articles_view(articles: &[Article]) -> Value {
    Value::Array(
        articles
            .iter()
            .map(|a| {
                json!({
                    "id": a.id, "title": a.title, "body": a.body, "language": a.language,
                    "language_name": t(a.language, "language_name"),
                    "href": format!("/portal/kb/{}", a.id),
                })
            })
            .collect(),
    )
}
