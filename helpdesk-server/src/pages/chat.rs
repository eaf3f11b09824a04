//! The live chat on the pages (issue 8): the chat widget of the customer pages and the chat
//! panel of the agent console, both talking to `/api/v1/chats…` and the WebSocket
//! `/chat/ws` (see [`crate::chat`]).

use helpdesk::domain::{Actor, Language};
use maud::{Markup, html};

use super::layout::t;
use crate::extract::PageUser;

/// The words the chat's scripts write themselves, by the name the scripts use, as a JSON
/// object for the `data-words` attribute (a `{name}` in a word is filled in by the script).
pub(super) fn script_words(lang: Language, words: &[(&str, &str)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = words
        .iter()
        .map(|(name, key)| ((*name).to_owned(), t(lang, key).into()))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// The words both chat scripts use: how a chat ended.
const ENDED: [(&str, &str); 4] = [
    ("answered", "chat_end_answered"),
    ("by_customer", "chat_end_by_customer"),
    ("over", "chat_end_over"),
    ("no_agent", "chat_end_no_agent"),
];

/// The chat widget, bottom-right on every customer page (nothing for agents).
pub fn widget(user: &PageUser) -> Markup {
    let Actor::Customer(id) = user.actor() else {
        return html! {};
    };
    let lang = user.language;
    let words = script_words(
        lang,
        &[
            &ENDED[..],
            &[
                ("no_article", "chat_no_article"),
                ("from_kb", "chat_from_kb"),
                ("assistant", "chat_assistant"),
                ("queued", "chat_queued"),
                ("with_agent", "chat_with_agent"),
                ("ticket", "chat_ticket_number"),
                ("not_started", "chat_could_not_start"),
                ("other_language", "kb_other_language"),
            ],
        ]
        .concat(),
    );
    html! {
        link rel="stylesheet" href="/assets/chat.css";
        div #chat-widget data-csrf=(user.csrf) data-me=(id) data-words=(words) {
            button #chat-open type="button" { "💬 " (t(lang, "chat_open")) }
            div #chat-window hidden {
                div.chat-head { strong { (t(lang, "chat_title")) } button #chat-close type="button" title=(t(lang, "close")) aria-label=(t(lang, "close")) { "×" } }
                div.chat-body #chat-body {
                    p.chat-note #chat-note { (t(lang, "chat_note")) }
                    form #chat-start {
                        label { (t(lang, "department")) " " select #chat-department {} }
                        textarea #chat-question dir="auto" placeholder=(t(lang, "chat_question")) aria-label=(t(lang, "chat_question")) required {}
                        button type="submit" { (t(lang, "chat_ask")) }
                    }
                    div.chat-log #chat-log dir="auto" {}
                    div #chat-suggestions dir="auto" {}
                    div.chat-actions #chat-actions hidden {
                        button #chat-helped type="button" { (t(lang, "chat_helped")) }
                        button #chat-person type="button" { (t(lang, "chat_person")) }
                        button #chat-ticket type="button" { (t(lang, "chat_open_ticket")) }
                    }
                    div.chat-status #chat-status {}
                    div.chat-actions #chat-after hidden {
                        a #chat-ticket-link href="#" { (t(lang, "chat_ticket_link")) }
                        " "
                        label #chat-transcript-label {
                            input #chat-transcript type="checkbox";
                            " " (t(lang, "chat_transcript"))
                        }
                        " "
                        button #chat-end type="button" { (t(lang, "chat_end")) }
                        button #chat-new type="button" hidden { (t(lang, "chat_new")) }
                    }
                }
                form.chat-form #chat-form hidden {
                    input #chat-input type="text" dir="auto" autocomplete="off" placeholder=(t(lang, "chat_write")) aria-label=(t(lang, "chat_write"));
                    button type="submit" { (t(lang, "send")) }
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
    let lang = user.language;
    let words = script_words(
        lang,
        &[
            &ENDED[..],
            &[
                ("seats_taken", "chat_seats_taken"),
                ("ticket", "chat_ticket_number"),
                ("ticket_title", "chat_ticket_title"),
                ("answer", "chat_answer"),
                ("send", "send"),
                ("end", "chat_end"),
                ("talking_with", "chat_talking_with"),
                ("ticket_stays", "chat_ticket_stays"),
            ],
        ]
        .concat(),
    );
    html! {
        link rel="stylesheet" href="/assets/chat.css";
        section #chat-panel data-csrf=(user.csrf) data-words=(words) {
            h2 { (t(lang, "chat_live")) }
            p {
                label.inline-label { (t(lang, "chat_presence")) " "
                    select #presence {
                        option value="online" { (t(lang, "presence_online")) }
                        option value="away" { (t(lang, "presence_away")) }
                        option value="offline" { (t(lang, "presence_offline")) }
                    }
                }
                " " label.inline-label { (t(lang, "chat_seats")) " " input.seats #seats type="number" min="1" max="50" value="3"; }
                " " span.meta #presence-state {}
            }
            h3 { (t(lang, "waiting")) }
            table #chat-queue { tr { th { (t(lang, "author_customer")) } th { (t(lang, "chat_col_question")) } th { (t(lang, "waiting")) } } }
            h3 { (t(lang, "chat_mine")) }
            div #my-chats { p.meta #no-chats { (t(lang, "chat_none")) } }
        }
        script src="/assets/chat-console.js" {}
    }
}
