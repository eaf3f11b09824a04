//! `/admin/mail`: the mail settings kept in the store — the desk's address and name, the
//! department new mail goes to, unknown senders, automatic answers per customer an hour,
//! list mail, VERP and how long a bounced address stays undeliverable; an empty field leaves the value the process was started with. Each
//! department's own address is set on its form in `/admin/departments`
//! ([`department_address_form`]).

use std::collections::HashMap;

use axum::Router;
use axum::routing::get;
use helpdesk::Error;
use helpdesk::domain::{Department, DepartmentId, Email, Language, Name};
use helpdesk::error::ValidationError;
use helpdesk::service::{
    DepartmentAddress, ListMail, MAX_UNDELIVERABLE_HOURS, MailDefaults, StoredMailSettings,
    UnknownSenders,
};
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageResult, see_other};
use super::form::{Kept, Refused, admin_page, admins_only, field, post_form, refused, text_field};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The mail settings routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/mail", get(mail).post(set_mail))
}

/// The form's id.
const FORM: &str = "mail-settings";

async fn mail(user: PageUser) -> PageResult {
    page(&user, None).await
}

/// The stored mail settings, or `None` when the store keeps no settings.
pub async fn stored_mail(user: &PageUser) -> Result<Option<StoredMailSettings>, Error> {
    match user.acting.mail_settings().await {
        Ok(settings) => Ok(Some(settings)),
        Err(Error::Unsupported { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The word of an unknown-senders rule.
fn unknown_word(lang: Language, rule: UnknownSenders) -> &'static str {
    match rule {
        UnknownSenders::CreateCustomer => t(lang, "unknown_create_customer"),
        UnknownSenders::Reject => t(lang, "unknown_reject"),
    }
}

/// The word of a list-mail rule.
fn list_word(lang: Language, rule: ListMail) -> &'static str {
    match rule {
        ListMail::TakeIn => t(lang, "list_mail_take_in"),
        ListMail::Ignore => t(lang, "list_mail_ignore"),
    }
}

/// A choice named `name` among `options` (value, word), `current` selected; with `unset`,
/// an empty first choice worded so.
fn select(
    label: &str,
    name: &str,
    unset: Option<&str>,
    options: &[(String, String)],
    current: &str,
) -> Markup {
    html! {
        label { (label) " "
            select name=(name) {
                @if let Some(unset) = unset {
                    option value="" selected[current.is_empty()] { (unset) }
                }
                @for (value, word) in options {
                    option value=(value) selected[value == current] { (word) }
                }
            }
        }
    }
}

/// A choice of list-mail rule named `list_mail`.
pub fn list_mail_select(lang: Language, unset: Option<&str>, current: &str) -> Markup {
    let options: Vec<_> = ListMail::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), list_word(lang, *r).to_owned()))
        .collect();
    select(
        t(lang, "admin_list_mail"),
        "list_mail",
        unset,
        &options,
        current,
    )
}

/// The page, with `refused` shown inline.
async fn page(user: &PageUser, refused: Option<&Refused>) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let Some(settings) = stored_mail(user).await? else {
        let body = html! { p.meta { (t(lang, "admin_no_settings")) } };
        return admin_page(user, "admin_mail", refused, body);
    };
    let departments = user.acting.departments().await?;
    let d = &settings.desk;
    let unset = t(lang, "admin_as_started");
    let value =
        |name: &str, stored: Option<String>| kept.value(FORM, name, stored.unwrap_or_default());
    let department_options: Vec<_> = departments
        .iter()
        .map(|x| (x.id.to_string(), x.name.as_str().to_owned()))
        .collect();
    let unknown_options: Vec<_> = UnknownSenders::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), unknown_word(lang, *r).to_owned()))
        .collect();
    let verp_options = [
        ("true".to_owned(), t(lang, "admin_on").to_owned()),
        ("false".to_owned(), t(lang, "admin_off").to_owned()),
    ];
    let body = html! {
        p.meta { (t(lang, "admin_mail_hint")) }
        (post_form(user, FORM, "/admin/mail", html! {
            (kept.error(FORM, lang))
            (text_field(t(lang, "admin_mail_from"), "from", &value("from", d.from.as_ref().map(ToString::to_string)), false))
            (text_field(t(lang, "admin_mail_from_name"), "from_name", &value("from_name", d.from_name.as_ref().map(|n| n.as_str().to_owned())), false))
            (select(t(lang, "admin_inbound_department"), "inbound_department", Some(unset), &department_options,
                &value("inbound_department", d.inbound_department.map(|x| x.to_string()))))
            (select(t(lang, "admin_unknown_senders"), "unknown_senders", Some(unset), &unknown_options,
                &value("unknown_senders", d.unknown_senders.map(|r| r.as_str().to_owned()))))
            label { (t(lang, "admin_auto_answers")) " "
                input type="number" min="0" name="auto_answers_per_hour"
                    value=(value("auto_answers_per_hour", d.auto_answers_per_hour.map(|n| n.to_string()))); }
            (list_mail_select(lang, Some(unset), &value("list_mail", d.list_mail.map(|r| r.as_str().to_owned()))))
            (select(t(lang, "admin_verp"), "verp", Some(unset), &verp_options,
                &value("verp", d.verp.map(|on| on.to_string()))))
            label { (t(lang, "admin_undeliverable_hours")) " "
                input type="number" min="0" max=(MAX_UNDELIVERABLE_HOURS) name="undeliverable_hours"
                    value=(value("undeliverable_hours", d.undeliverable_hours.map(|n| n.to_string()))); }
            button { (t(lang, "admin_save")) }
        }))
        @if !settings.departments.is_empty() {
            h2 { (t(lang, "admin_department_mail_address")) }
            ul {
                @for (id, a) in &settings.departments {
                    @let name = departments.iter().find(|x| x.id == *id).map_or_else(|| id.to_string(), |x| x.name.as_str().to_owned());
                    li { (name) ": " (a.address) " (" (t(lang, "admin_list_mail")) ": " (list_word(lang, a.list_mail)) ")" }
                }
            }
        }
    };
    admin_page(user, "admin_mail", refused, body)
}

/// What the form typed in `name`, parsed; `None` when empty.
fn optional<T>(
    form: &HashMap<String, String>,
    name: &str,
    parse: impl FnOnce(&str) -> Result<T, ApiError>,
) -> Result<Option<T>, ApiError> {
    match field(form, name) {
        "" => Ok(None),
        typed => parse(typed).map(Some),
    }
}

/// The desk-wide mail settings the form describes.
fn defaults_of(form: &HashMap<String, String>) -> Result<MailDefaults, ApiError> {
    Ok(MailDefaults {
        from: optional(form, "from", |s| Ok(Email::parse(s)?))?,
        from_name: optional(form, "from_name", |s| Ok(Name::parse(s)?))?,
        inbound_department: optional(form, "inbound_department", parse::<DepartmentId>)?,
        unknown_senders: optional(form, "unknown_senders", |s| Ok(s.parse()?))?,
        auto_answers_per_hour: optional(form, "auto_answers_per_hour", |s| {
            s.parse().map_err(|_| {
                ValidationError::new(
                    "auto_answers_per_hour",
                    format!("{s:?} is not a whole number"),
                )
                .into()
            })
        })?,
        list_mail: optional(form, "list_mail", |s| Ok(s.parse()?))?,
        verp: optional(form, "verp", |s| match s {
            "true" => Ok(true),
            "false" => Ok(false),
            other => {
                Err(ValidationError::new("verp", format!("{other:?} is not true or false")).into())
            }
        })?,
        undeliverable_hours: optional(form, "undeliverable_hours", |s| {
            s.parse().map_err(|_| {
                ValidationError::new(
                    "undeliverable_hours",
                    format!("{s:?} is not a whole number"),
                )
                .into()
            })
        })?,
    })
}

/// Sets the desk-wide mail settings.
async fn set_mail(Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> = async {
        let defaults = defaults_of(&form)?;
        Ok(user.acting.set_mail_settings(defaults).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/mail")),
        Err(e) => page(&user, Some(&refused(e, FORM, form)?)).await,
    }
}

/// The id of `department`'s mail address form.
pub fn address_form_id(department: DepartmentId) -> String {
    format!("mail-address-{department}")
}

/// The form of `department`'s own mail address on the departments page.
pub fn department_address_form(
    user: &PageUser,
    kept: Kept<'_>,
    department: &Department,
    stored: &StoredMailSettings,
) -> Markup {
    let lang = user.language;
    let id = address_form_id(department.id);
    let current = stored.departments.get(&department.id);
    let address = current.map(|a| a.address.to_string()).unwrap_or_default();
    let rule = current.map_or(ListMail::default(), |a| a.list_mail);
    post_form(
        user,
        &id,
        &format!("/admin/departments/{}/mail-address", department.id),
        html! {
            (kept.error(&id, lang))
            (text_field(t(lang, "admin_department_mail_address"), "address", &kept.value(&id, "address", address), false))
            (list_mail_select(lang, None, &kept.value(&id, "list_mail", rule.as_str())))
            button { (t(lang, "admin_save")) }
        },
    )
}

/// The department address a posted form describes: `None` for an empty address.
pub fn address_of(form: &HashMap<String, String>) -> Result<Option<DepartmentAddress>, ApiError> {
    let Some(address) = optional(form, "address", |s| Ok(Email::parse(s)?))? else {
        return Ok(None);
    };
    let list_mail =
        optional(form, "list_mail", |s| Ok(s.parse::<ListMail>()?))?.unwrap_or_default();
    Ok(Some(DepartmentAddress { address, list_mail }))
}
