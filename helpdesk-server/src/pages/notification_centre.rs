//! The agents' notification centre at `/console/notifications`, linked from every staff
//! page's menu: the notifications shown now, newest first, each with view, remind-later and
//! dismiss, and "dismiss all" (the library's one call for the recipient).

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use chrono::Utc;
use helpdesk::domain::Notification;
use helpdesk::service::MAX_NOTIFICATIONS;
use maud::{Markup, html};

use super::layout::{csrf_input, layout, notification_text, t};
use super::{PageResult, see_other, when};
use crate::extract::{PageUser, Posted};
use crate::state::AppState;

/// Where the centre is.
pub const CENTRE: &str = "/console/notifications";

/// The centre's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(CENTRE, get(centre))
        .route("/console/notifications/dismiss-all", post(dismiss_all))
}

/// `/console/notifications`: the notifications shown now.
async fn centre(user: PageUser) -> PageResult {
    let lang = user.language;
    let shown = user.acting.notifications(MAX_NOTIFICATIONS).await?;
    let (snoozed, numbers) = super::snoozed_notices::load(&user).await;
    let admin_notices = super::admin_notice_section::load(&user).await;
    let now = Utc::now();
    let shown_numbers = super::snoozed_notices::ticket_numbers(&user, &shown).await;
    let body = html! {
        h1 { (t(lang, "notifications")) }
        p #notification-count { (t(lang, "notifications_shown")) " " strong { (shown.len()) }
            @if shown.len() as u32 == MAX_NOTIFICATIONS { "+" } }
        @if shown.is_empty() {
            p #no-notifications { (t(lang, "notifications_none")) }
        } @else {
            form #dismiss-all method="post" action="/console/notifications/dismiss-all" {
                (csrf_input(&user))
                button type="submit" { (t(lang, "notifications_dismiss_all")) }
            }
            ul #notification-list {
                @for n in shown.iter().filter(|n| n.is_active(now)) {
                    (item(&user, n, shown_numbers.get(&n.ticket_id).map_or("", String::as_str)))
                }
            }
        }
        (super::admin_notice_section::section(&user, &admin_notices))
        (super::snoozed_notices::section(&user, &snoozed, &numbers, Some(CENTRE)))
    };
    Ok(layout(t(lang, "notifications"), Some(&user), body).into_response())
}

/// One notification, in the reader's language about the ticket numbered `number`, with
/// its buttons (which come back to the centre).
fn item(user: &PageUser, n: &Notification, number: &str) -> Markup {
    let lang = user.language;
    html! {
        li.notice data-read=(n.is_read()) {
            span.notice-text data-kind=(n.kind.as_str()) { (notification_text(lang, &n.kind, number)) } " " span.meta { (when(n.created_at)) } " "
            form.inline method="post" action={ "/notifications/" (n.id) "/view" } {
                (csrf_input(user))
                input type="hidden" name="ticket" value=(n.ticket_id);
                button { (t(lang, "view")) }
            }
            " "
            form.inline method="post" action={ "/notifications/" (n.id) "/snooze" } {
                (csrf_input(user))
                input type="hidden" name="back" value=(CENTRE);
                button { (t(lang, "remind")) }
            }
            " "
            form.inline method="post" action={ "/notifications/" (n.id) "/dismiss" } {
                (csrf_input(user))
                input type="hidden" name="back" value=(CENTRE);
                button { (t(lang, "dismiss")) }
            }
        }
    }
}

/// `POST /console/notifications/dismiss-all`: every notification shown now dismissed; the
/// centre, empty.
async fn dismiss_all(Posted { user, .. }: Posted) -> PageResult {
    user.acting.dismiss_all_notifications().await?;
    Ok(see_other(CENTRE))
}
