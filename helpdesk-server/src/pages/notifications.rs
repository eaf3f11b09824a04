//! The buttons of a notification on the pages: view (marks it read), remind later, dismiss.

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use chrono::{SecondsFormat, Utc};
use helpdesk::domain::{NotificationId, TicketKey};

use super::{PageResult, see_other};
use crate::api::notifications::{SnoozeBody, notification_action};
use crate::extract::{Posted, parse};
use crate::state::AppState;

/// The notification route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/notifications/{id}/{action}", post(notification))
}

/// A notification's button: read (`view`, then to its ticket), snooze or dismiss.
async fn notification(
    Path((id, action)): Path<(String, String)>,
    Posted { user, form }: Posted,
) -> PageResult {
    let id: NotificationId = parse(&id)?;
    let (action, then) = if action == "view" {
        // The ticket to go to, as typed: an id or a number, never any other text (a CR/LF
        // would otherwise reach the Location header).
        let ticket: TicketKey = parse(form.get("ticket").map(String::as_str).unwrap_or_default())?;
        let ticket = match ticket {
            TicketKey::Id(id) => id.to_string(),
            TicketKey::Number(digits) => digits,
        };
        ("read", format!("/tickets/{ticket}"))
    } else {
        (action.as_str(), "/portal".to_owned())
    };
    let snooze = SnoozeBody {
        minutes: Some(super::portal_notices::SNOOZE_MINUTES),
        ..SnoozeBody::default()
    };
    let action = notification_action(action, snooze)?;
    let done = user.acting.act_on_notification(id, action).await?;
    // Back to the notification centre when the button was there.
    let back = form.get("back").map(String::as_str);
    let then = if then.starts_with("/tickets/") {
        then
    } else if back == Some(super::notification_centre::CENTRE) {
        back.unwrap_or_default().to_owned()
    } else if user.is_customer() {
        // After "remind me later", the portal says when it comes back.
        match done
            .state
            .snoozed_until
            .filter(|_| !done.is_active(Utc::now()))
        {
            Some(until) if done.state.dismissed_at.is_none() => format!(
                "/portal?snoozed_until={}#snoozed",
                until.to_rfc3339_opts(SecondsFormat::Secs, true)
            ),
            _ => then,
        }
    } else {
        "/console".to_owned()
    };
    Ok(see_other(&then))
}
