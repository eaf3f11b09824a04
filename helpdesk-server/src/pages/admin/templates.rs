//! `/admin/templates`: the ticket templates and the canned responses, listed, and new ones
//! made.

use std::collections::HashMap;

use axum::Router;
use axum::routing::{get, post};
use helpdesk::domain::{
    Department, DepartmentId, FieldKey, Language, MessageBody, Name, Priority, TicketType,
};
use helpdesk::service::TemplateDraft;
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageResult, see_other};
use super::form::{Kept, Refused, admin_page, admins_only, field, post_form, refused, text_field};
use super::sla::{priority_word, type_word};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The template routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/templates", get(templates).post(create_template))
        .route("/admin/canned", post(create_canned))
}

async fn templates(user: PageUser) -> PageResult {
    page(&user, None).await
}

/// The name of the language `lang` in itself.
pub fn language_name(lang: Language) -> &'static str {
    match lang {
        Language::English => "English",
        Language::Romanian => "Română",
        Language::Russian => "Русский",
        Language::Persian => "فارسی",
    }
}

/// The page, with `refused` shown inline.
async fn page(user: &PageUser, refused: Option<&Refused>) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let departments = user.acting.departments().await?;
    let templates = user.acting.templates().await?;
    let canned = user.acting.canned_responses(None, None).await?;
    let dept_name = |id: DepartmentId| {
        departments
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_string(), |d| d.name.to_string())
    };
    let body = html! {
        h2 { (t(lang, "admin_ticket_templates")) }
        @if templates.is_empty() { p.meta { (t(lang, "admin_none_yet")) } }
        @for tpl in &templates {
            section.card {
                h3 { (tpl.name) }
                p.meta {
                    (dept_name(tpl.department)) " · " (type_word(lang, &tpl.ticket_type))
                    @if let Some(p) = tpl.priority { " · " (priority_word(lang, p)) }
                    @if let Some(prefix) = &tpl.subject_prefix { " · " (prefix) }
                }
                pre { (tpl.body.as_str()) }
            }
        }
        h3 { (t(lang, "admin_new_template")) }
        (template_form(user, lang, kept, &departments))
        h2 { (t(lang, "admin_canned_responses")) }
        @if canned.is_empty() { p.meta { (t(lang, "admin_none_yet")) } }
        @for c in &canned {
            section.card {
                h3 { (c.name) }
                p.meta {
                    (language_name(c.language)) " · "
                    @match c.department { Some(d) => (dept_name(d)), None => (t(lang, "admin_all_departments")) }
                }
                pre { (c.body.as_str()) }
            }
        }
        h3 { (t(lang, "admin_new_canned")) }
        (canned_form(user, lang, kept, &departments))
    };
    admin_page(user, "admin_templates", refused, body)
}

/// A choice of the active departments, `current` selected, with an empty choice worded
/// `empty` first when given.
fn department_select(
    lang: Language,
    departments: &[Department],
    current: &str,
    empty: Option<&str>,
) -> Markup {
    html! {
        label { (t(lang, "admin_department")) " "
            select name="department" {
                @if let Some(empty) = empty { option value="" selected[current.is_empty()] { (empty) } }
                @for d in departments.iter().filter(|d| d.active) {
                    @let id = d.id.to_string();
                    option value=(id) selected[id == current] { (d.name) }
                }
            }
        }
    }
}

/// The form of a new ticket template.
fn template_form(
    user: &PageUser,
    lang: Language,
    kept: Kept<'_>,
    departments: &[Department],
) -> Markup {
    let id = "template";
    post_form(
        user,
        id,
        "/admin/templates",
        html! {
            (kept.error(id, lang))
            (text_field(t(lang, "admin_name"), "name", &kept.value(id, "name", ""), true))
            (department_select(lang, departments, &kept.value(id, "department", ""), None))
            label { (t(lang, "admin_ticket_type")) " "
                select name="ticket_type" {
                    @let current = kept.value(id, "ticket_type", "incident");
                    @for x in TicketType::BUILT_IN {
                        option value=(x.as_str()) selected[x.as_str() == current] { (type_word(lang, &x)) }
                    }
                }
            }
            (text_field(t(lang, "admin_subject_prefix"), "subject_prefix", &kept.value(id, "subject_prefix", ""), false))
            label { (t(lang, "importance")) " "
                select name="priority" {
                    @let current = kept.value(id, "priority", "");
                    option value="" selected[current.is_empty()] { "—" }
                    @for p in Priority::ALL {
                        option value=(p.as_str()) selected[p.as_str() == current] { (priority_word(lang, p)) }
                    }
                }
            }
            (text_field(t(lang, "admin_required_fields"), "required_fields", &kept.value(id, "required_fields", ""), false))
            label { (t(lang, "admin_body")) " " textarea name="body" required { (kept.value(id, "body", "")) } }
            button { (t(lang, "admin_add")) }
        },
    )
}

/// The form of a new canned response.
fn canned_form(
    user: &PageUser,
    lang: Language,
    kept: Kept<'_>,
    departments: &[Department],
) -> Markup {
    let id = "canned";
    post_form(
        user,
        id,
        "/admin/canned",
        html! {
            (kept.error(id, lang))
            (text_field(t(lang, "admin_name"), "name", &kept.value(id, "name", ""), true))
            label { (t(lang, "admin_language")) " "
                select name="language" {
                    @let current = kept.value(id, "language", lang.code());
                    @for l in Language::ALL {
                        option value=(l.code()) selected[l.code() == current] { (language_name(l)) }
                    }
                }
            }
            (department_select(lang, departments, &kept.value(id, "department", ""), Some(t(lang, "admin_all_departments"))))
            label { (t(lang, "admin_body")) " " textarea name="body" required { (kept.value(id, "body", "")) } }
            p.meta { (t(lang, "admin_placeholders")) " " code { "{{customer_name}} {{ticket_number}} {{ticket_link}} {{agent_name}}" } }
            button { (t(lang, "admin_add")) }
        },
    )
}

/// The template the form describes.
fn draft_of(form: &HashMap<String, String>) -> Result<TemplateDraft, ApiError> {
    let prefix = field(form, "subject_prefix");
    let priority = field(form, "priority");
    Ok(TemplateDraft {
        name: Name::parse(field(form, "name"))?,
        ticket_type: parse(field(form, "ticket_type"))?,
        subject_prefix: if prefix.is_empty() {
            None
        } else {
            Some(Name::parse(prefix)?)
        },
        department: parse(field(form, "department"))?,
        priority: if priority.is_empty() {
            None
        } else {
            Some(parse(priority)?)
        },
        categories: Default::default(),
        required_fields: field(form, "required_fields")
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .map(FieldKey::parse)
            .collect::<Result<_, _>>()?,
        body: MessageBody::parse(field(form, "body"))?,
    })
}

/// Makes a ticket template.
async fn create_template(Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> = async {
        let draft = draft_of(&form)?;
        Ok(user.acting.create_template(draft).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/templates")),
        Err(e) => page(&user, Some(&refused(e, "template", form)?)).await,
    }
}

/// Makes a canned response.
async fn create_canned(Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> = async {
        let name = Name::parse(field(&form, "name"))?;
        let language: Language = parse(field(&form, "language"))?;
        let department = field(&form, "department");
        let department: Option<DepartmentId> = if department.is_empty() {
            None
        } else {
            Some(parse(department)?)
        };
        let body = MessageBody::parse(field(&form, "body"))?;
        Ok(user
            .acting
            .create_canned_response(department, name, language, body)
            .await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/templates")),
        Err(e) => page(&user, Some(&refused(e, "canned", form)?)).await,
    }
}
