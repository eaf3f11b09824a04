//! The agent's notification preferences page (issue 20), `/console/notification-preferences`:
//! per event, in the app, by e-mail, both or not at all, and the language of the e-mails.

use std::collections::BTreeMap;

use axum::Router;
use axum::routing::get;
use helpdesk::domain::{Language, NotifyChannel, NotifyEvent};
use maud::html;

use super::layout::{csrf_input, layout, t};
use super::{PageResult, html_response, see_other};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted};
use crate::state::AppState;

/// The page's route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/console/notification-preferences", get(page).post(save))
}

/// The catalogue's key of an event (named whole, so the catalogue's test sees it used).
fn event_key(event: NotifyEvent) -> &'static str {
    match event {
        NotifyEvent::NewTicket => "notify_event_new_ticket",
        NotifyEvent::CustomerReplied => "notify_event_customer_replied",
        NotifyEvent::Assigned => "notify_event_assigned",
        NotifyEvent::Mention => "notify_event_mention",
        NotifyEvent::SlaWarning => "notify_event_sla_warning",
        NotifyEvent::SlaBreached => "notify_event_sla_breached",
        NotifyEvent::PendingReminder => "notify_event_pending_reminder",
        NotifyEvent::PriorityRequested => "notify_event_priority_requested",
        NotifyEvent::ChatWaiting => "notify_event_chat_waiting",
        _ => "notify_event",
    }
}

/// The catalogue's key of a channel.
fn channel_key(channel: NotifyChannel) -> &'static str {
    match channel {
        NotifyChannel::InApp => "notify_channel_in_app",
        NotifyChannel::Email => "notify_channel_email",
        NotifyChannel::Both => "notify_channel_both",
        NotifyChannel::None => "notify_channel_none",
    }
}

/// The form: a choice per event, the language, save.
async fn page(user: PageUser) -> PageResult {
    let lang = user.language;
    let preferences = user.acting.notification_preferences(None).await?;
    let body = html! {
        h1 { (t(lang, "notify_title")) }
        p.meta { (t(lang, "notify_intro")) }
        form #notification-preferences method="post" action="/console/notification-preferences" {
            (csrf_input(&user))
            table {
                thead { tr {
                    th { (t(lang, "notify_event")) }
                    @for channel in NotifyChannel::ALL { th { (t(lang, channel_key(channel))) } }
                } }
                tbody {
                    @for (event, chosen) in preferences.all() {
                        tr {
                            td { (t(lang, event_key(event))) }
                            @for channel in NotifyChannel::ALL {
                                td {
                                    input type="radio" name=(event.as_str()) value=(channel.as_str())
                                        aria-label=(format!("{} — {}", t(lang, event_key(event)), t(lang, channel_key(channel))))
                                        checked[chosen == channel];
                                }
                            }
                        }
                    }
                }
            }
            label { (t(lang, "notify_language")) " "
                select name="language" {
                    @for l in Language::ALL {
                        option value=(l.code()) selected[l == preferences.language] { (l.code()) }
                    }
                }
            }
            " "
            button type="submit" { (t(lang, "admin_save")) }
        }
    };
    Ok(html_response(
        axum::http::StatusCode::OK,
        layout(t(lang, "notify_title"), Some(&user), body),
    ))
}

/// Saves the choices posted; back to the form.
async fn save(Posted { user, form }: Posted) -> PageResult {
    let mut channels = BTreeMap::new();
    for event in NotifyEvent::ALL {
        if let Some(value) = form.get(event.as_str()) {
            let channel: NotifyChannel =
                value
                    .parse()
                    .map_err(|e: helpdesk::domain::ValidationError| {
                        ApiError::bad_request(e.to_string())
                    })?;
            channels.insert(event, channel);
        }
    }
    let language = match form.get("language") {
        Some(l) => Some(
            l.parse::<Language>()
                .map_err(|e| ApiError::bad_request(e.to_string()))?,
        ),
        None => None,
    };
    user.acting
        .change_notification_preferences(None, language, channels)
        .await?;
    Ok(see_other("/console/notification-preferences"))
}
