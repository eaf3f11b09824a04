//! Snoozed notifications on the pages (issue 21): in the agents' notification centre and on
//! the customer's portal, each notification "remind me later" hid, with the time it comes
//! back (in the reader's zone), a view and a dismiss button.

use std::collections::HashMap;

use helpdesk::domain::{Notification, TicketId};
use maud::{Markup, html};

use super::layout::{csrf_input, notification_text, t};
use super::when;
use crate::extract::PageUser;

/// How many snoozed notifications a page lists.
pub const SNOOZED_LISTED: u32 = 20;

/// The person's snoozed notifications (none when the store lists none) and the short
/// numbers of their tickets.
pub async fn load(user: &PageUser) -> (Vec<Notification>, HashMap<TicketId, String>) {
    let Ok(snoozed) = user.acting.snoozed_notifications(SNOOZED_LISTED).await else {
        return (Vec::new(), HashMap::new());
    };
    let numbers = ticket_numbers(user, &snoozed).await;
    (snoozed, numbers)
}

/// The short numbers of the tickets of `notifications` the person may see (to say which
/// ticket each is about).
pub async fn ticket_numbers(
    user: &PageUser,
    notifications: &[Notification],
) -> HashMap<TicketId, String> {
    let mut numbers = HashMap::new();
    for n in notifications {
        if numbers.contains_key(&n.ticket_id) {
            continue;
        }
        if let Ok(ticket) = user.acting.ticket(n.ticket_id).await {
            numbers.insert(n.ticket_id, ticket.number.short().to_owned());
        }
    }
    numbers
}

/// The snoozed notifications as a section (nothing when there are none); `back` is where
/// the dismiss button returns (the centre), else the portal.
pub fn section(
    user: &PageUser,
    snoozed: &[Notification],
    numbers: &HashMap<TicketId, String>,
    back: Option<&str>,
) -> Markup {
    let lang = user.language;
    html! {
        @if !snoozed.is_empty() {
            section #snoozed-notifications {
                h2 { (t(lang, "snoozed_title")) }
                ul {
                    @for n in snoozed {
                        @let number = numbers.get(&n.ticket_id).cloned().unwrap_or_default();
                        li.notice.snoozed {
                            span.notice-text data-kind=(n.kind.as_str()) { (notification_text(lang, &n.kind, &number)) }
                            @if let Some(until) = n.state.snoozed_until {
                                " " span.meta.snoozed-until { (t(lang, "snoozed_back_at")) " " (when(until)) }
                            }
                            " "
                            form.inline method="post" action={ "/notifications/" (n.id) "/view" } {
                                (csrf_input(user))
                                input type="hidden" name="ticket" value=(n.ticket_id);
                                button { (t(lang, "view")) }
                            }
                            " "
                            form.inline method="post" action={ "/notifications/" (n.id) "/dismiss" } {
                                (csrf_input(user))
                                @if let Some(back) = back { input type="hidden" name="back" value=(back); }
                                button { (t(lang, "dismiss")) }
                            }
                        }
                    }
                }
            }
        }
    }
}
