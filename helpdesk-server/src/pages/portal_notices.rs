//! The customer's notifications on `/portal`: each with view, "remind me later" (naming the
//! time it comes back) and dismiss; after a snooze, when the notification comes back.

use chrono::{DateTime, Utc};
use helpdesk::domain::{Notification, Ticket};
use maud::{Markup, html};

use super::layout::{csrf_input, notification_text, t, t_args};
use super::words::text;
use super::{when, when_text};
use crate::extract::PageUser;

/// How long "remind me later" hides a notification from the portal (the snooze's default).
pub const SNOOZE_MINUTES: i64 = 60;

/// The notifications shown now (`notes`) with their buttons, the numbers taken from
/// `tickets`; `snoozed` is when the notification just snoozed comes back, said first.
pub fn section(
    user: &PageUser,
    notes: &[Notification],
    tickets: &[Ticket],
    snoozed: Option<DateTime<Utc>>,
) -> Markup {
    let lang = user.language;
    let now = Utc::now();
    let active: Vec<&Notification> = notes.iter().filter(|n| n.is_active(now)).collect();
    let back_at = now + chrono::Duration::minutes(SNOOZE_MINUTES);
    html! {
        @if let Some(until) = snoozed {
            p.notice #snoozed role="status" {
                (t(lang, "notice_snoozed")) " " (when(until))
            }
        }
        @if !active.is_empty() {
            section #notifications {
                h2 { (t(lang, "notifications")) }
                @for n in active {
                    @let number = tickets.iter().find(|t| t.id == n.ticket_id).map(|t| t.number.short().to_owned());
                    div.notice {
                        span.notice-text data-kind=(n.kind.as_str()) { (notification_text(lang, &n.kind, &number.unwrap_or_default())) } " " span.meta { (when(n.created_at)) } " "
                        form.inline method="post" action={ "/notifications/" (n.id) "/view" } {
                            (csrf_input(user))
                            input type="hidden" name="ticket" value=(n.ticket_id);
                            button { (t(lang, "view")) }
                        }
                        " "
                        form.inline method="post" action={ "/notifications/" (n.id) "/snooze" } {
                            (csrf_input(user))
                            button.snooze title=(t_args(lang, "notice_snooze_until", &[("time", text(when_text(back_at)))])) {
                                (t(lang, "remind"))
                            }
                            " " span.meta.snooze-time { (t_args(lang, "notice_snooze_until", &[("time", text(when_text(back_at)))])) }
                        }
                        " "
                        form.inline method="post" action={ "/notifications/" (n.id) "/dismiss" } { (csrf_input(user)) button { (t(lang, "dismiss")) } }
                    }
                }
            }
        }
    }
}
