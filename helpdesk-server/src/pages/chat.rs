//! The live chat on the pages (issue 8): the chat widget of the customer pages and the chat
//! panel of the agent console, both talking to `/api/v1/chats…` and the WebSocket
//! `/chat/ws` (see [`crate::chat`]).

use helpdesk::domain::Actor;
use maud::{Markup, html};

use super::layout::t;
use crate::extract::PageUser;

/// The chat widget, bottom-right on every customer page (nothing for agents).
pub fn widget(user: &PageUser) -> Markup {
    let Actor::Customer(id) = user.actor() else {
        return html! {};
    };
    html! {
        link rel="stylesheet" href="/assets/chat.css";
        div #chat-widget data-csrf=(user.csrf) data-me=(id) {
            button #chat-open type="button" { "💬 Chat with us" }
            div #chat-window hidden {
                div.chat-head { strong { "Chat" } button #chat-close type="button" title="Close" { "×" } }
                div.chat-body #chat-body {
                    p.chat-note #chat-note {
                        "An automatic assistant answers first, with articles from our knowledge base "
                        "(it does not make up answers). Ask for a person at any time. "
                        "The conversation is kept as a ticket, so nothing is lost."
                    }
                    form #chat-start {
                        label { "Department " select #chat-department {} }
                        textarea #chat-question placeholder="Your question" required {}
                        button type="submit" { "Ask" }
                    }
                    div.chat-log #chat-log {}
                    div #chat-suggestions {}
                    div.chat-actions #chat-actions hidden {
                        button #chat-helped type="button" { "This helped" }
                        button #chat-person type="button" { "Talk to a person" }
                        button #chat-ticket type="button" { "Open a ticket" }
                    }
                    div.chat-status #chat-status {}
                    div.chat-actions #chat-after hidden {
                        a #chat-ticket-link href="#" { "The chat's ticket" }
                        " "
                        label #chat-transcript-label {
                            input #chat-transcript type="checkbox";
                            " " (t(user.language, "chat_transcript"))
                        }
                        " "
                        button #chat-end type="button" { "End chat" }
                        button #chat-new type="button" hidden { "New chat" }
                    }
                }
                form.chat-form #chat-form hidden {
                    input #chat-input type="text" autocomplete="off" placeholder="Write a message";
                    button type="submit" { "Send" }
                }
            }
        }
        script src="/assets/chat-widget.js" {}
    }
}

/// The chat panel of the agent console: presence, the queue with waiting times, and the
/// agent's chats with their conversations.
pub fn console_panel(user: &PageUser) -> Markup {
    if !matches!(user.actor(), Actor::Agent(_)) {
        return html! {};
    }
    html! {
        link rel="stylesheet" href="/assets/chat.css";
        section #chat-panel data-csrf=(user.csrf) {
            h2 { "Live chat" }
            p {
                label.inline-label { "Presence "
                    select #presence {
                        option value="online" { "Online" }
                        option value="away" { "Away" }
                        option value="offline" { "Offline" }
                    }
                }
                " " label.inline-label { "Chats at once " input.seats #seats type="number" min="1" max="50" value="3"; }
                " " span.meta #presence-state {}
            }
            h3 { "Waiting" }
            table #chat-queue { tr { th { "Customer" } th { "Question" } th { "Waiting" } } }
            h3 { "My chats" }
            div #my-chats { p.meta #no-chats { "No chats now." } }
        }
        script src="/assets/chat-console.js" {}
    }
}
