//! What the admin pages share: the menu of admin pages, a form refused and shown again with
//! its input kept and the error inline, and small pieces of form markup.

use std::collections::HashMap;

use axum::http::StatusCode;
use helpdesk::domain::Language;
use maud::{Markup, html};

use super::super::layout::{csrf_input, layout, t};
use super::super::{PageError, PageResult, html_response};
use crate::error::ApiError;
use crate::extract::PageUser;

/// A form the desk refused: which form, what was typed, and why.
#[derive(Debug)]
pub struct Refused {
    /// The form's id on its page.
    pub form: String,
    /// Its fields, as posted.
    pub fields: HashMap<String, String>,
    /// The status the page is answered with.
    pub status: StatusCode,
    /// Why, as the desk said it.
    pub message: String,
}

/// The refusal of `form` to show inline; a refusal of the person (401, 403) or a missing
/// object in the address (404) is the error page instead.
pub fn refused(
    error: ApiError,
    form: impl Into<String>,
    fields: HashMap<String, String>,
) -> Result<Refused, PageError> {
    if matches!(
        error.status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ) || error.status.is_server_error()
    {
        return Err(PageError(error));
    }
    Ok(Refused {
        form: form.into(),
        fields,
        status: error.status,
        message: error.message,
    })
}

/// What a form shows again: the fields typed, when it was `form` that was refused.
#[derive(Debug, Clone, Copy)]
pub struct Kept<'a>(pub Option<&'a Refused>);

impl<'a> Kept<'a> {
    /// The refusal of `form`, if it was that one.
    fn of(self, form: &str) -> Option<&'a Refused> {
        self.0.filter(|r| r.form == form)
    }

    /// The value of `field` typed in `form`, else `default`.
    pub fn value(self, form: &str, field: &str, default: impl Into<String>) -> String {
        match self.of(form) {
            Some(r) => r.fields.get(field).cloned().unwrap_or_default(),
            None => default.into(),
        }
    }

    /// Whether the box `field` of `form` was ticked, else `default`.
    pub fn ticked(self, form: &str, field: &str, default: bool) -> bool {
        match self.of(form) {
            Some(r) => r.fields.contains_key(field),
            None => default,
        }
    }

    /// The error of `form`, inline, if it was refused.
    pub fn error(self, form: &str, lang: Language) -> Markup {
        html! {
            @if let Some(r) = self.of(form) {
                p.error role="alert" { (t(lang, "admin_refused")) " " (r.message) }
            }
        }
    }
}

/// An admin page: the menu of admin pages over `body`, answered with the refusal's status
/// when a form was refused.
pub fn admin_page(
    user: &PageUser,
    title_key: &str,
    refused: Option<&Refused>,
    body: Markup,
) -> PageResult {
    let lang = user.language;
    let title = t(lang, title_key);
    let status = refused.map_or(StatusCode::OK, |r| r.status);
    let markup = layout(
        title,
        Some(user),
        html! {
            (menu(lang))
            h1 { (title) }
            (body)
        },
    );
    Ok(html_response(status, markup))
}

/// The admin pages, as links.
pub fn menu(lang: Language) -> Markup {
    html! {
        nav.admin {
            @for (href, key) in MENU {
                a href=(href) { (t(lang, key)) }
            }
        }
    }
}

/// The admin pages and the words of their titles.
pub const MENU: &[(&str, &str)] = &[
    ("/admin", "admin_settings"),
    ("/admin/departments", "admin_departments"),
    ("/admin/agents", "admin_agents"),
    ("/admin/customers", "admin_customers"),
    ("/admin/service-levels", "admin_service_levels"),
    ("/admin/attachments", "admin_attachments"),
    ("/admin/mail", "admin_mail"),
    ("/admin/mailboxes", "admin_mailboxes"),
    ("/admin/quarantine", "admin_quarantine"),
    ("/admin/undeliverable", "admin_undeliverable"),
    ("/admin/templates", "admin_templates"),
    ("/admin/knowledge", "admin_knowledge"),
    ("/admin/audit", "admin_audit"),
    ("/admin/webhooks", "admin_webhooks"),
    ("/admin/rules", "automation_rules"),
    ("/admin/macros", "automation_macros"),
    ("/admin/retention", "admin_retention"),
];

/// A posting form's opening: its id, action and CSRF field, then `fields`.
pub fn post_form(user: &PageUser, id: &str, action: &str, fields: Markup) -> Markup {
    html! {
        form id=(id) method="post" action=(action) {
            (csrf_input(user))
            (fields)
        }
    }
}

/// A delete button behind a confirmation: the form `id` posts to `action` only with the box
/// "yes, delete it" ticked (the browser asks for it, and [`confirmed`] checks it), with the
/// refusal of `id` inline.
pub fn delete_form(user: &PageUser, kept: Kept<'_>, id: &str, action: &str) -> Markup {
    let lang = user.language;
    post_form(
        user,
        id,
        action,
        html! {
            (kept.error(id, lang))
            label.tick { input type="checkbox" name="confirm" value="on" required; " " (t(lang, "admin_confirm_delete")) }
            " " button { (t(lang, "admin_delete")) }
        },
    )
}

/// Whether a delete form's box "yes, delete it" was ticked; the refusal of `form` (its
/// fields kept) when not.
pub fn confirmed(
    lang: Language,
    form: &str,
    fields: &HashMap<String, String>,
) -> Result<(), Refused> {
    if ticked(fields, "confirm") {
        Ok(())
    } else {
        Err(Refused {
            form: form.to_owned(),
            fields: fields.clone(),
            status: StatusCode::BAD_REQUEST,
            message: t(lang, "admin_confirm_needed").to_owned(),
        })
    }
}

/// A text field with its label.
pub fn text_field(label: &str, name: &str, value: &str, required: bool) -> Markup {
    html! {
        label { (label) " " input type="text" name=(name) value=(value) required[required]; }
    }
}

/// A tick box with its label.
pub fn tick_box(label: &str, name: &str, ticked: bool) -> Markup {
    html! {
        label.tick { input type="checkbox" name=(name) value="on" checked[ticked]; " " (label) }
    }
}

/// The field `name` of a posted form, trimmed (empty when missing).
pub fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map_or("", |s| s.trim())
}

/// Whether the box `name` of a posted form is ticked.
pub fn ticked(form: &HashMap<String, String>, name: &str) -> bool {
    form.contains_key(name)
}

/// Refuses anyone but admins, as the library decides who is one.
pub fn admins_only(user: &PageUser) -> Result<(), PageError> {
    if user.acting.principal().is_admin() {
        Ok(())
    } else {
        Err(helpdesk::Error::forbidden(helpdesk::error::ForbiddenReason::AdminOnly).into())
    }
}

/// The login name and the password hashed from a form's `login` and `password` fields,
/// checked before anything is written; `None` when both are empty.
pub async fn typed_login(
    state: &crate::state::AppState,
    form: &HashMap<String, String>,
) -> Result<Option<(helpdesk::domain::LoginName, helpdesk::domain::PasswordHash)>, ApiError> {
    let login = field(form, "login");
    let password = form.get("password").map_or("", String::as_str);
    if login.is_empty() && password.is_empty() {
        return Ok(None);
    }
    let name = helpdesk::domain::LoginName::parse(login)?;
    let hash = state.accounts.hash_password(password).await?;
    Ok(Some((name, hash)))
}

/// The login and password fields (the password is never shown again).
pub fn login_fields(lang: Language, kept: Kept<'_>, form: &str, login: &str) -> Markup {
    html! {
        (text_field(t(lang, "admin_login"), "login", &kept.value(form, "login", login), false))
        label { (t(lang, "admin_password")) " "
            input type="password" name="password" autocomplete="new-password" maxlength="1024"; }
    }
}

/// The login name of `actor`, if they have one (admins only, the library says).
pub async fn login_name(
    user: &PageUser,
    actor: helpdesk::domain::Actor,
) -> Result<Option<String>, PageError> {
    match user.acting.login_of(actor).await {
        Ok(login) => Ok(login.map(|l| l.name.as_str().to_owned())),
        Err(helpdesk::Error::Unsupported { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
