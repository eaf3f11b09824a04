//! `/admin/attachments`: the attachment limits kept in the store — the desk's default and
//! each department's own: the largest file, files per message, files per ticket (e.g. "one
//! file per case") and the content types accepted.

use std::collections::HashMap;

use axum::Router;
use axum::routing::get;
use helpdesk::Error;
use helpdesk::domain::{DepartmentId, Language};
use helpdesk::error::ValidationError;
use helpdesk::service::AttachmentLimits;
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageResult, see_other};
use super::form::{Kept, Refused, admin_page, admins_only, field, post_form, refused};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The attachment limit routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/attachments", get(attachments).post(set_limits))
}

async fn attachments(user: PageUser) -> PageResult {
    page(&user, None).await
}

/// The id of the form of `department` (the default's without one).
fn form_id(department: &str) -> String {
    if department.is_empty() {
        "limits-default".to_owned()
    } else {
        format!("limits-{department}")
    }
}

/// The page, with `refused` shown inline.
async fn page(user: &PageUser, refused: Option<&Refused>) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let settings = match user.acting.attachment_settings().await {
        Ok(settings) => settings,
        Err(Error::Unsupported { .. }) => {
            let body = html! { p.meta { (t(lang, "admin_no_settings")) } };
            return admin_page(user, "admin_attachments", refused, body);
        }
        Err(e) => return Err(e.into()),
    };
    let departments = user.acting.departments().await?;
    let body = html! {
        p.meta { (t(lang, "admin_limits_hint")) }
        section.card {
            h2 { (t(lang, "admin_limits_default")) }
            (limits_form(user, lang, kept, "", settings.default.as_ref()))
        }
        @for d in departments.iter().filter(|d| d.active) {
            section.card {
                h2 { (d.name) }
                (limits_form(user, lang, kept, &d.id.to_string(), settings.departments.get(&d.id)))
            }
        }
    };
    admin_page(user, "admin_attachments", refused, body)
}

/// The form of one scope's limits: the stored ones, else the defaults as a suggestion.
fn limits_form(
    user: &PageUser,
    lang: Language,
    kept: Kept<'_>,
    department: &str,
    stored: Option<&AttachmentLimits>,
) -> Markup {
    let id = form_id(department);
    let shown = stored.cloned().unwrap_or_default();
    let number = |name: &str, key: &str, value: String| {
        html! {
            label { (t(lang, key)) " "
                input type="number" min="0" name=(name) value=(kept.value(&id, name, value)); }
        }
    };
    post_form(
        user,
        &id,
        "/admin/attachments",
        html! {
            (kept.error(&id, lang))
            input type="hidden" name="department" value=(department);
            p.meta { @if stored.is_some() { (t(lang, "admin_limits_stored")) } @else { (t(lang, "admin_limits_not_stored")) } }
            (number("max_size", "admin_max_size", shown.max_size.to_string()))
            (number("max_count", "admin_max_count", shown.max_count.to_string()))
            (number("max_per_ticket", "admin_max_per_ticket", shown.max_per_ticket.map(|n| n.to_string()).unwrap_or_default()))
            (number("max_bytes_per_ticket", "admin_max_bytes_per_ticket", shown.max_bytes_per_ticket.map(|n| n.to_string()).unwrap_or_default()))
            label { (t(lang, "admin_allowed_types")) " "
                textarea name="allowed_types" { (kept.value(&id, "allowed_types", shown.allowed_types.join("\n"))) }
            }
            button name="action" value="save" { (t(lang, "admin_save")) }
            @if stored.is_some() {
                " " button name="action" value="remove" { (t(lang, "admin_remove_limits")) }
            }
        },
    )
}

/// A whole number typed in `name`.
fn whole<T: std::str::FromStr>(
    form: &HashMap<String, String>,
    name: &'static str,
) -> Result<T, ValidationError> {
    let typed = field(form, name);
    typed
        .parse()
        .map_err(|_| ValidationError::new(name, format!("{typed:?} is not a whole number")))
}

/// The limits the form describes, or `None` to remove them.
fn limits_of(form: &HashMap<String, String>) -> Result<Option<AttachmentLimits>, ValidationError> {
    if field(form, "action") == "remove" {
        return Ok(None);
    }
    let per_ticket = if field(form, "max_per_ticket").is_empty() {
        None
    } else {
        Some(whole(form, "max_per_ticket")?)
    };
    let bytes_per_ticket = if field(form, "max_bytes_per_ticket").is_empty() {
        None
    } else {
        Some(whole(form, "max_bytes_per_ticket")?)
    };
    Ok(Some(AttachmentLimits {
        max_size: whole(form, "max_size")?,
        max_count: whole(form, "max_count")?,
        max_per_ticket: per_ticket,
        max_bytes_per_ticket: bytes_per_ticket,
        allowed_types: field(form, "allowed_types")
            .split([' ', ',', '\n', '\r', '\t'])
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    }))
}

/// Sets or removes the limits of a department, or the default's.
async fn set_limits(Posted { user, form }: Posted) -> PageResult {
    let department = field(&form, "department").to_owned();
    let result: Result<_, ApiError> = async {
        let id: Option<DepartmentId> = if department.is_empty() {
            None
        } else {
            Some(parse(&department)?)
        };
        let limits = limits_of(&form)?;
        Ok(user.acting.set_attachment_limits(id, limits).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/attachments")),
        Err(e) => page(&user, Some(&refused(e, form_id(&department), form)?)).await,
    }
}
