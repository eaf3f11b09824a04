//! What every page shares: the layout (header, menu, language switch, the chat widget), the
//! style sheet, the words of the interface (re-exported from [`super::words`]) and small pieces
//! of markup. Persian pages are `dir="rtl"`; text people wrote is isolated (`<bdi>`,
//! `dir="auto"`).

use helpdesk::domain::{Actor, Language, NotificationKind, Role, Status, StatusLabels, TicketType};
use maud::{DOCTYPE, Markup, html};

use crate::extract::PageUser;
use crate::session::CSRF_FIELD;

use super::words::text;
pub use super::words::{t, t_args};

/// A whole page: `body` under the header (with `user`'s menu, name and sign-out button),
/// and the chat widget on a customer's pages.
pub fn layout(title: &str, user: Option<&PageUser>, body: Markup) -> Markup {
    let lang = user.map_or_else(super::choice::current, |u| u.language);
    layout_in(lang, title, user, body)
}

/// Whether `user` may open the reports (admins and supervisors).
pub fn may_read_reports(user: &PageUser) -> bool {
    user.acting
        .principal()
        .agent()
        .is_some_and(|a| matches!(a.role, Role::Admin | Role::Supervisor))
}

/// [`layout`] in `lang` (a page read by nobody signed in: the browser's language).
pub fn layout_in(lang: Language, title: &str, user: Option<&PageUser>, body: Markup) -> Markup {
    let dir = if lang.is_rtl() { "rtl" } else { "ltr" };
    html! {
        (DOCTYPE)
        html lang=(lang.code()) dir=(dir) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (t(lang, "brand")) }
                link rel="stylesheet" href="/assets/site.css";
            }
            body {
                header {
                    strong { (t(lang, "brand")) }
                    @if let Some(user) = user {
                        @match user.actor() {
                            Actor::Customer(_) => {
                                a href="/portal" { (t(lang, "my_tickets")) }
                                a href="/portal/new" { (t(lang, "new_ticket")) }
                                a href="/portal/kb" { (t(lang, "kb")) }
                            }
                            _ => {
                                a href="/console" { (t(lang, "queue")) }
                                a #notifications-link href="/console/notifications" { (t(lang, "notifications")) }
                                @if user.acting.principal().is_admin() {
                                    a href="/admin" { (t(lang, "admin")) }
                                }
                                a href="/console/new" { (t(lang, "phone_ticket")) }
                                @if may_read_reports(user) {
                                    a href="/reports" { (t(lang, "reports")) }
                                }
                                @if matches!(user.actor(), Actor::Agent(_)) {
                                    a href="/console/notification-preferences" { (t(lang, "notify_menu")) }
                                }
                            }
                        }
                        a #settings-link href="/settings" { (t(lang, "settings_menu")) }
                        span { bdi { (user.name) } }
                        form.inline method="post" action="/logout" {
                            (csrf_input(user))
                            button type="submit" { (t(lang, "sign_out")) }
                        }
                    }
                    (super::choice::switch(lang))
                }
                main { (body) }
                @if let Some(user) = user { (super::chat::widget(user)) }
                @if let Some(user) = user.filter(|u| !u.is_customer()) {
                    (super::shortcuts::help(user.language))
                    script src="/assets/shortcuts.js" {}
                }
            }
        }
    }
}

/// The hidden field with the session's CSRF token, in every form that posts.
pub fn csrf_input(user: &PageUser) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(user.csrf); }
}

/// A status as a coloured label in `lang`.
pub fn status_badge(lang: Language, status: Status) -> Markup {
    let labels = StatusLabels::new(lang);
    html! {
        span.status data-status=(status.as_str()) {
            (labels.label(status))
        }
    }
}

/// A ticket type in `lang`: a built-in one translated, a desk's own type as it is named.
pub fn ticket_type_word(lang: Language, ticket_type: &TicketType) -> String {
    let key = match ticket_type {
        TicketType::Incident => "type_incident",
        TicketType::Question => "type_question",
        TicketType::Consultation => "type_consultation",
        TicketType::FeatureRequest => "type_feature_request",
        TicketType::AccessRequest => "type_access_request",
        other => return other.as_str().to_owned(),
    };
    t(lang, key).to_owned()
}

/// What a notification about ticket `number` says in `lang`.
pub fn notification_text(lang: Language, kind: &NotificationKind, number: &str) -> String {
    let key = match kind {
        NotificationKind::NewTicket => "notify_new_ticket",
        NotificationKind::Assigned => "notify_assigned",
        NotificationKind::CustomerReplied => "notify_customer_replied",
        NotificationKind::AgentReplied => "notify_agent_replied",
        NotificationKind::NoteAdded => "notify_note_added",
        NotificationKind::Resolved => "notify_resolved",
        NotificationKind::SlaWarning { .. } => "notify_sla_warning",
        NotificationKind::SlaBreached { .. } => "notify_sla_breached",
        NotificationKind::AutoCloseWarning { closes_at } => {
            return t_args(
                lang,
                "notify_auto_close_warning",
                &[
                    ("number", text(number)),
                    ("closes", text(super::when_text(*closes_at))),
                ],
            );
        }
        NotificationKind::RuleNotice => "notify_rule_notice",
        _ => "notify_other",
    };
    t_args(lang, key, &[("number", text(number))])
}

/// A whole number in `lang`'s digits.
pub fn num(lang: Language, n: impl Into<i64>) -> String {
    super::locale::number(lang, n.into())
}
