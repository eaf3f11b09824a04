//! `/admin/mailboxes`: the IMAP mailboxes stored for departments, each with its last round
//! (when, messages taken, error) and a form to edit or remove it, and a form to add one. The
//! password is write-only: its field is always empty, and left empty on an edit it keeps
//! the stored one. The server picks changes up within a minute.

use std::collections::HashMap;

use axum::Router;
use axum::extract::Path;
use axum::routing::{get, post};
use helpdesk::Error;
use helpdesk::domain::{Department, DepartmentId, Language, MailboxId};
use helpdesk::error::ValidationError;
use helpdesk::service::{DEFAULT_POLL_SECONDS, MailboxPassword};
use helpdesk::store::{Mailbox, MailboxAfter, MailboxSecurity, MailboxSettings};
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageResult, see_other, when};
use super::form::{
    Kept, Refused, admin_page, admins_only, confirmed, delete_form, field, post_form, refused,
    text_field, tick_box, ticked,
};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The stored mailboxes routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/mailboxes", get(mailboxes).post(add))
        .route("/admin/mailboxes/{id}", post(edit))
        .route("/admin/mailboxes/{id}/delete", post(remove))
}

/// The add form's id.
const ADD: &str = "add-mailbox";

/// The id of mailbox `id`'s edit form.
fn edit_form(id: MailboxId) -> String {
    format!("mailbox-{id}")
}

/// The id of mailbox `id`'s remove form.
fn delete_form_id(id: MailboxId) -> String {
    format!("delete-mailbox-{id}")
}

async fn mailboxes(user: PageUser) -> PageResult {
    page(&user, None).await
}

/// The word of a security.
fn security_word(lang: Language, s: MailboxSecurity) -> &'static str {
    match s {
        MailboxSecurity::Tls => t(lang, "mailbox_tls"),
        MailboxSecurity::Plain => t(lang, "mailbox_plain"),
    }
}

/// The word of what happens after.
fn after_word(lang: Language, a: MailboxAfter) -> &'static str {
    match a {
        MailboxAfter::Flag => t(lang, "mailbox_after_flag"),
        MailboxAfter::Move => t(lang, "mailbox_after_move"),
        MailboxAfter::Delete => t(lang, "mailbox_after_delete"),
    }
}

/// A choice named `name` among `options` (value, word), `current` selected.
fn select(label: &str, name: &str, options: &[(String, String)], current: &str) -> Markup {
    html! {
        label { (label) " "
            select name=(name) {
                @for (value, word) in options {
                    option value=(value) selected[value == current] { (word) }
                }
            }
        }
    }
}

/// The fields of a mailbox form `form`, filled from `current` (or what was typed, when it
/// was refused).
fn fields(
    lang: Language,
    kept: Kept<'_>,
    form: &str,
    departments: &[Department],
    current: &MailboxSettings,
    adding: bool,
) -> Markup {
    let value = |name: &str, stored: String| kept.value(form, name, stored);
    let departments: Vec<_> = departments
        .iter()
        .map(|d| (d.id.to_string(), d.name.as_str().to_owned()))
        .collect();
    let securities: Vec<_> = MailboxSecurity::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), security_word(lang, *s).to_owned()))
        .collect();
    let afters: Vec<_> = MailboxAfter::ALL
        .iter()
        .map(|a| (a.as_str().to_owned(), after_word(lang, *a).to_owned()))
        .collect();
    let password_label = if adding {
        t(lang, "admin_password")
    } else {
        t(lang, "mailbox_password_keep")
    };
    html! {
        (select(t(lang, "admin_department"), "department", &departments,
            &value("department", current.department.to_string())))
        (text_field(t(lang, "mailbox_host"), "host", &value("host", current.host.clone()), true))
        label { (t(lang, "mailbox_port")) " "
            input type="number" min="1" max="65535" name="port"
                value=(value("port", current.port.to_string())); }
        (select(t(lang, "mailbox_security"), "security", &securities,
            &value("security", current.security.as_str().to_owned())))
        (text_field(t(lang, "mailbox_user"), "user", &value("user", current.user.clone()), true))
        // Never filled in: the password is write-only.
        label { (password_label) " "
            input type="password" name="password" autocomplete="new-password" maxlength="1024"
                required[adding]; }
        (text_field(t(lang, "mailbox_folder"), "folder", &value("folder", current.folder.clone()), true))
        (select(t(lang, "mailbox_after"), "after", &afters,
            &value("after", current.after.as_str().to_owned())))
        (text_field(t(lang, "mailbox_move_to"), "move_to",
            &value("move_to", current.move_to.clone().unwrap_or_default()), false))
        label { (t(lang, "mailbox_poll_seconds")) " "
            input type="number" min="10" max="1500" name="poll_seconds"
                value=(value("poll_seconds", current.poll_seconds.to_string())); }
        (tick_box(t(lang, "admin_enabled"), "enabled", kept.ticked(form, "enabled", current.enabled)))
    }
}

/// The last round of `m`, in words.
fn last_round(lang: Language, m: &Mailbox) -> Markup {
    html! {
        p.meta.last-round {
            @match &m.last_round {
                None => (t(lang, "mailbox_no_round_yet")),
                Some(r) => {
                    (t(lang, "mailbox_last_round")) " " (when(r.at)) " · "
                    (t(lang, "mailbox_taken")) " " (r.taken)
                    @if let Some(e) = &r.error {
                        " · " span.error { (t(lang, "mailbox_round_failed")) " " (e) }
                    }
                }
            }
        }
    }
}

/// The page, with `refused` shown inline.
async fn page(user: &PageUser, refused: Option<&Refused>) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let stored = match user.acting.mailboxes().await {
        Ok(stored) => stored,
        Err(Error::Unsupported { .. }) => {
            let body = html! { p.meta { (t(lang, "mailbox_unsupported")) } };
            return admin_page(user, "admin_mailboxes", refused, body);
        }
        Err(e) => return Err(e.into()),
    };
    let departments = user.acting.departments().await?;
    let name_of = |id: DepartmentId| {
        departments
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_string(), |d| d.name.as_str().to_owned())
    };
    let blank = departments.first().map(|d| {
        let mut s = MailboxSettings::new(d.id, "", "");
        s.poll_seconds = DEFAULT_POLL_SECONDS;
        s
    });
    let body = html! {
        p.meta { (t(lang, "mailbox_hint")) }
        @if stored.is_empty() {
            p.meta { (t(lang, "admin_none_yet")) }
        }
        @for m in &stored {
            @let s = &m.settings;
            section.card.mailbox id=(format!("stored-{}", m.id)) {
                h2 { (s.user) " @ " (s.host) ":" (s.port) " / " (s.folder) }
                p.meta {
                    (name_of(s.department)) " · " (security_word(lang, s.security)) " · "
                    (after_word(lang, s.after))
                    @if let Some(to) = &s.move_to { " " (to) }
                    @if !s.enabled { " · " (t(lang, "mailbox_disabled")) }
                }
                (last_round(lang, m))
                (post_form(user, &edit_form(m.id), &format!("/admin/mailboxes/{}", m.id), html! {
                    (kept.error(&edit_form(m.id), lang))
                    (fields(lang, kept, &edit_form(m.id), &departments, s, false))
                    button { (t(lang, "admin_save")) }
                }))
                (delete_form(user, kept, &delete_form_id(m.id), &format!("/admin/mailboxes/{}/delete", m.id)))
            }
        }
        h2 { (t(lang, "mailbox_add")) }
        @match &blank {
            None => p.meta { (t(lang, "mailbox_no_departments")) },
            Some(blank) => {
                (post_form(user, ADD, "/admin/mailboxes", html! {
                    (kept.error(ADD, lang))
                    (fields(lang, kept, ADD, &departments, blank, true))
                    button { (t(lang, "admin_add")) }
                }))
            }
        }
    };
    admin_page(user, "admin_mailboxes", refused, body)
}

/// A whole number typed in `name`.
fn number<T: std::str::FromStr>(
    form: &HashMap<String, String>,
    name: &'static str,
) -> Result<T, ApiError> {
    let typed = field(form, name);
    typed
        .parse()
        .map_err(|_| ValidationError::new(name, format!("{typed:?} is not a whole number")).into())
}

/// The settings and password a posted form describes (`None`: the password field was left
/// empty).
fn settings_of(
    form: &HashMap<String, String>,
) -> Result<(MailboxSettings, Option<MailboxPassword>), ApiError> {
    let department: DepartmentId = parse(field(form, "department"))?;
    let after: MailboxAfter = parse(field(form, "after"))?;
    let move_to = field(form, "move_to");
    let settings = MailboxSettings {
        department,
        host: field(form, "host").to_owned(),
        port: number(form, "port")?,
        security: parse(field(form, "security"))?,
        user: field(form, "user").to_owned(),
        folder: field(form, "folder").to_owned(),
        after,
        // A folder left in the field while not moving is not kept.
        move_to: (after == MailboxAfter::Move && !move_to.is_empty()).then(|| move_to.to_owned()),
        enabled: ticked(form, "enabled"),
        poll_seconds: number(form, "poll_seconds")?,
    };
    // The password is taken as typed (not trimmed): spaces may be part of it.
    let password = match form.get("password").map(String::as_str) {
        None | Some("") => None,
        Some(typed) => Some(MailboxPassword::parse(typed)?),
    };
    Ok((settings, password))
}

/// The fields of a refused form as shown again: never the password.
fn without_password(mut form: HashMap<String, String>) -> HashMap<String, String> {
    form.remove("password");
    form
}

/// Stores a new mailbox.
async fn add(Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> = async {
        let (settings, password) = settings_of(&form)?;
        let password = match password {
            Some(password) => password,
            None => MailboxPassword::parse("")?,
        };
        Ok(user.acting.add_mailbox(settings, password).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/mailboxes")),
        Err(e) => page(&user, Some(&refused(e, ADD, without_password(form))?)).await,
    }
}

/// Edits a stored mailbox; an empty password keeps the stored one.
async fn edit(Path(raw): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id: MailboxId = parse(&raw)?;
    let result: Result<_, ApiError> = async {
        let (settings, password) = settings_of(&form)?;
        Ok(user.acting.edit_mailbox(id, settings, password).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/mailboxes")),
        Err(e) => {
            page(
                &user,
                Some(&refused(e, edit_form(id), without_password(form))?),
            )
            .await
        }
    }
}

/// Removes a stored mailbox, once confirmed.
async fn remove(Path(raw): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id: MailboxId = parse(&raw)?;
    let form_id = delete_form_id(id);
    if let Err(refusal) = confirmed(user.language, &form_id, &form) {
        return page(&user, Some(&refusal)).await;
    }
    user.acting.remove_mailbox(id).await?;
    Ok(see_other("/admin/mailboxes"))
}
