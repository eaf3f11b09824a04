//! What every page shares: the layout (header, menu, the chat widget), the style sheet, the
//! words of the interface in four languages (`words.txt`) and small pieces of markup.
//! Persian pages are `dir="rtl"`.

use helpdesk::domain::{Actor, Language, Role, Status, StatusLabels};
use maud::{DOCTYPE, Markup, html};

use crate::extract::PageUser;
use crate::session::CSRF_FIELD;

/// The words of the interface in the four languages, one key a line (`words.txt`).
const WORDS: &str = include_str!("words.txt");

/// A word of the interface in `lang` (`?` for a key `words.txt` lacks).
pub fn t(lang: Language, key: &str) -> &'static str {
    let column = match lang {
        Language::English => 1,
        Language::Romanian => 2,
        Language::Russian => 3,
        Language::Persian => 4,
    };
    WORDS
        .lines()
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .find(|row| row.len() == 5 && row[0] == key)
        .map_or("?", |row| row[column])
}

/// A whole page: `body` under the header (with `user`'s menu, name and sign-out button),
/// and the chat widget on a customer's pages.
pub fn layout(title: &str, user: Option<&PageUser>, body: Markup) -> Markup {
    let lang = user.map_or(Language::English, |u| u.language);
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
                title { (title) " — Helpdesk" }
                link rel="stylesheet" href="/assets/site.css";
            }
            body {
                header {
                    strong { "Helpdesk" }
                    @if let Some(user) = user {
                        @match user.actor() {
                            Actor::Customer(_) => {
                                a href="/portal" { (t(lang, "my_tickets")) }
                                a href="/portal/new" { (t(lang, "new_ticket")) }
                                a href="/portal/kb" { (t(lang, "kb")) }
                            }
                            _ => {
                                a href="/console" { "Queue" }
                                a #notifications-link href="/console/notifications" { (t(lang, "notifications")) }
                                @if user.acting.principal().is_admin() {
                                    a href="/admin" { (t(lang, "admin")) }
                                }
                                a href="/console/new" { "Phone ticket" }
                                @if may_read_reports(user) {
                                    a href="/reports" { "Reports" }
                                }
                            }
                        }
                        span { (user.name) }
                        form.inline method="post" action="/logout" {
                            (csrf_input(user))
                            button type="submit" { (t(lang, "sign_out")) }
                        }
                    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word the pages ask for is in `words.txt`, in all four languages.
    #[test]
    fn every_word_of_the_pages_is_translated() {
        let source = [
            include_str!("layout.rs"),
            include_str!("sign_in.rs"),
            include_str!("portal.rs"),
            include_str!("tickets.rs"),
            include_str!("console.rs"),
            include_str!("admin/mod.rs"),
            include_str!("admin/form.rs"),
            include_str!("admin/departments.rs"),
            include_str!("admin/agents.rs"),
            include_str!("admin/customers.rs"),
            include_str!("admin/levels.rs"),
            include_str!("admin/sla.rs"),
            include_str!("admin/attachments.rs"),
            include_str!("admin/templates.rs"),
            include_str!("admin/knowledge.rs"),
            include_str!("admin/audit.rs"),
            include_str!("admin/links.rs"),
            include_str!("account_links.rs"),
            include_str!("tags.rs"),
        ]
        .concat();
        let mut keys: Vec<&str> = source
            .split("t(lang, \"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        // Keys the admin pages pass by name (menus, titles, choices).
        keys.extend(source.split('"').skip(1).step_by(2).filter(|s| {
            s.starts_with("admin_") && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        }));
        assert!(keys.len() > 10, "{keys:?}");
        for key in keys {
            for lang in [
                Language::English,
                Language::Romanian,
                Language::Russian,
                Language::Persian,
            ] {
                assert_ne!(t(lang, key), "?", "{key} in {lang:?}");
            }
        }
    }

    /// Every line of `words.txt` has a key and four non-empty words.
    #[test]
    fn every_key_has_four_languages() {
        for line in WORDS.lines().filter(|l| !l.starts_with('#')) {
            let columns: Vec<&str> = line.split('\t').collect();
            assert_eq!(columns.len(), 5, "{line}");
            assert!(columns.iter().all(|c| !c.trim().is_empty()), "{line}");
        }
    }
}
