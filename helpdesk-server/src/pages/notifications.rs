//! The buttons of a notification on the pages: view (marks it read), remind later, dismiss.

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use helpdesk::domain::NotificationId;

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
        let ticket = form.get("ticket").cloned().unwrap_or_default();
        ("read", format!("/tickets/{ticket}"))
    } else {
        (action.as_str(), "/portal".to_owned())
    };
    let action = notification_action(action, SnoozeBody::default())?;
    user.acting.act_on_notification(id, action).await?;
    let then = if user.is_customer() || then.starts_with("/tickets/") {
        then
    } else {
        "/console".to_owned()
    };
    Ok(see_other(&then))
}
