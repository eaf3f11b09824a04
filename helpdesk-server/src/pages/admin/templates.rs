//! `/admin/templates`: the ticket templates and the canned responses, listed, new ones made,
//! edited (`?template=` or `?canned=` fills the form with one) and deleted after a
//! confirmation.

use std::collections::HashMap;

use axum::Router;
use axum::extract::Query;
use axum::routing::{get, post};
use helpdesk::domain::{
    CannedResponse, CannedResponseId, Department, DepartmentId, FieldKey, Language, MessageBody,
    Name, Priority, TemplateId, TicketTemplate, TicketType,
};
use helpdesk::service::TemplateDraft;
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageResult, see_other};
use super::form::{
    Kept, Refused, admin_page, admins_only, confirmed, delete_form, field, post_form, refused,
    text_field,
};
use super::sla::{priority_word, type_word};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The template routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/templates", get(templates).post(create_template))
        .route("/admin/templates/{id}", post(update_template))
        .route("/admin/templates/{id}/delete", post(delete_template))
        .route("/admin/canned", post(create_canned))
        .route("/admin/canned/{id}", post(update_canned))
        .route("/admin/canned/{id}/delete", post(delete_canned))
}

/// What the page's forms edit: a template (`?template=`) and a canned response (`?canned=`),
/// or new ones.
#[derive(Debug, Default, Clone, Copy)]
struct Editing {
    template: Option<TemplateId>,
    canned: Option<CannedResponseId>,
}

impl Editing {
    fn of(query: &HashMap<String, String>) -> Self {
        Self {
            template: query.get("template").and_then(|id| id.parse().ok()),
            canned: query.get("canned").and_then(|id| id.parse().ok()),
        }
    }
}

async fn templates(user: PageUser, Query(query): Query<HashMap<String, String>>) -> PageResult {
    page(&user, None, Editing::of(&query)).await
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

/// The page, with `refused` shown inline and the forms on what `editing` names.
async fn page(user: &PageUser, refused: Option<&Refused>, editing: Editing) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let departments = user.acting.departments().await?;
    let templates = user.acting.templates().await?;
    let canned = user.acting.canned_responses(None, None).await?;
    let edited_template = editing
        .template
        .and_then(|id| templates.iter().find(|t| t.id == id));
    let edited_canned = editing
        .canned
        .and_then(|id| canned.iter().find(|c| c.id == id));
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
                p { a href={ "/admin/templates?template=" (tpl.id) "#template" } { (t(lang, "admin_edit")) } }
                (delete_form(user, kept, &format!("delete-template-{}", tpl.id), &format!("/admin/templates/{}/delete", tpl.id)))
            }
        }
        h3 { (t(lang, if edited_template.is_some() { "admin_edit_template" } else { "admin_new_template" })) }
        (template_form(user, lang, kept, &departments, edited_template))
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
                p { a href={ "/admin/templates?canned=" (c.id) "#canned" } { (t(lang, "admin_edit")) } }
                (delete_form(user, kept, &format!("delete-canned-{}", c.id), &format!("/admin/canned/{}/delete", c.id)))
            }
        }
        h3 { (t(lang, if edited_canned.is_some() { "admin_edit_canned" } else { "admin_new_canned" })) }
        (canned_form(user, lang, kept, &departments, edited_canned))
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

/// The form of a ticket template: a new one, or `editing`.
fn template_form(
    user: &PageUser,
    lang: Language,
    kept: Kept<'_>,
    departments: &[Department],
    editing: Option<&TicketTemplate>,
) -> Markup {
    let id = "template";
    let action = editing.map_or_else(
        || "/admin/templates".to_owned(),
        |e| format!("/admin/templates/{}", e.id),
    );
    let now = |f: fn(&TicketTemplate) -> String| editing.map(f).unwrap_or_default();
    let ticket_type = editing.map_or_else(|| "incident".to_owned(), |e| e.ticket_type.to_string());
    // A custom type of the template edited is offered too, so that saving keeps it.
    let custom = editing
        .map(|e| e.ticket_type.clone())
        .filter(|x| !TicketType::BUILT_IN.contains(x));
    post_form(
        user,
        id,
        &action,
        html! {
            (kept.error(id, lang))
            (text_field(t(lang, "admin_name"), "name", &kept.value(id, "name", now(|e| e.name.to_string())), true))
            (department_select(lang, departments, &kept.value(id, "department", now(|e| e.department.to_string())), None))
            label { (t(lang, "admin_ticket_type")) " "
                select name="ticket_type" {
                    @let current = kept.value(id, "ticket_type", ticket_type);
                    @for x in TicketType::BUILT_IN.into_iter().chain(custom) {
                        option value=(x.as_str()) selected[x.as_str() == current] { (type_word(lang, &x)) }
                    }
                }
            }
            (text_field(t(lang, "admin_subject_prefix"), "subject_prefix", &kept.value(id, "subject_prefix", now(|e| e.subject_prefix.as_ref().map(ToString::to_string).unwrap_or_default())), false))
            label { (t(lang, "importance")) " "
                select name="priority" {
                    @let current = kept.value(id, "priority", now(|e| e.priority.map(|p| p.as_str().to_owned()).unwrap_or_default()));
                    option value="" selected[current.is_empty()] { "—" }
                    @for p in Priority::ALL {
                        option value=(p.as_str()) selected[p.as_str() == current] { (priority_word(lang, p)) }
                    }
                }
            }
            (text_field(t(lang, "admin_required_fields"), "required_fields", &kept.value(id, "required_fields", now(|e| e.required_fields.iter().map(FieldKey::as_str).collect::<Vec<_>>().join(" "))), false))
            label { (t(lang, "admin_body")) " " textarea name="body" required { (kept.value(id, "body", now(|e| e.body.as_str().to_owned()))) } }
            button { (t(lang, if editing.is_some() { "admin_save" } else { "admin_add" })) }
        },
    )
}

/// The form of a canned response: a new one, or `editing`.
fn canned_form(
    user: &PageUser,
    lang: Language,
    kept: Kept<'_>,
    departments: &[Department],
    editing: Option<&CannedResponse>,
) -> Markup {
    let id = "canned";
    let action = editing.map_or_else(
        || "/admin/canned".to_owned(),
        |e| format!("/admin/canned/{}", e.id),
    );
    let now = |f: fn(&CannedResponse) -> String| editing.map(f).unwrap_or_default();
    let language = editing.map_or(lang, |e| e.language).code();
    post_form(
        user,
        id,
        &action,
        html! {
            (kept.error(id, lang))
            (text_field(t(lang, "admin_name"), "name", &kept.value(id, "name", now(|e| e.name.to_string())), true))
            label { (t(lang, "admin_language")) " "
                select name="language" {
                    @let current = kept.value(id, "language", language);
                    @for l in Language::ALL {
                        option value=(l.code()) selected[l.code() == current] { (language_name(l)) }
                    }
                }
            }
            (department_select(lang, departments, &kept.value(id, "department", now(|e| e.department.map(|d| d.to_string()).unwrap_or_default())), Some(t(lang, "admin_all_departments"))))
            label { (t(lang, "admin_body")) " " textarea name="body" required { (kept.value(id, "body", now(|e| e.body.as_str().to_owned()))) } }
            p.meta { (t(lang, "admin_placeholders")) " " code { "{{customer_name}} {{ticket_number}} {{ticket_link}} {{agent_name}}" } }
            button { (t(lang, if editing.is_some() { "admin_save" } else { "admin_add" })) }
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
        Err(e) => {
            page(
                &user,
                Some(&refused(e, "template", form)?),
                Editing::default(),
            )
            .await
        }
    }
}

/// The id in the address, or the error page (400) for a malformed one.
fn id_of<T: std::str::FromStr<Err = helpdesk::domain::ValidationError>>(
    raw: &str,
) -> Result<T, super::super::PageError> {
    Ok(parse(raw)?)
}

/// Rewrites a ticket template, keeping its categories.
async fn update_template(
    axum::extract::Path(raw): axum::extract::Path<String>,
    Posted { user, form }: Posted,
) -> PageResult {
    let id: TemplateId = id_of(&raw)?;
    let result: Result<_, ApiError> = async {
        let mut draft = draft_of(&form)?;
        draft.categories = user.acting.template(id).await?.categories;
        Ok(user.acting.update_template(id, draft).await?)
    }
    .await;
    let editing = Editing {
        template: Some(id),
        ..Editing::default()
    };
    match result {
        Ok(_) => Ok(see_other("/admin/templates")),
        Err(e) => page(&user, Some(&refused(e, "template", form)?), editing).await,
    }
}

/// Deletes a ticket template, once confirmed.
async fn delete_template(
    axum::extract::Path(raw): axum::extract::Path<String>,
    Posted { user, form }: Posted,
) -> PageResult {
    let id: TemplateId = id_of(&raw)?;
    let form_id = format!("delete-template-{id}");
    if let Err(refusal) = confirmed(user.language, &form_id, &form) {
        return page(&user, Some(&refusal), Editing::default()).await;
    }
    user.acting.delete_template(id).await?;
    Ok(see_other("/admin/templates"))
}

/// The canned response a form describes: department, name, language and text.
fn canned_of(
    form: &HashMap<String, String>,
) -> Result<(Option<DepartmentId>, Name, Language, MessageBody), ApiError> {
    let name = Name::parse(field(form, "name"))?;
    let language: Language = parse(field(form, "language"))?;
    let department = field(form, "department");
    let department: Option<DepartmentId> = if department.is_empty() {
        None
    } else {
        Some(parse(department)?)
    };
    let body = MessageBody::parse(field(form, "body"))?;
    Ok((department, name, language, body))
}

/// Makes a canned response.
async fn create_canned(Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> = async {
        let (department, name, language, body) = canned_of(&form)?;
        Ok(user
            .acting
            .create_canned_response(department, name, language, body)
            .await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/templates")),
        Err(e) => {
            page(
                &user,
                Some(&refused(e, "canned", form)?),
                Editing::default(),
            )
            .await
        }
    }
}

/// Rewrites a canned response.
async fn update_canned(
    axum::extract::Path(raw): axum::extract::Path<String>,
    Posted { user, form }: Posted,
) -> PageResult {
    let id: CannedResponseId = id_of(&raw)?;
    let result: Result<_, ApiError> = async {
        let (department, name, language, body) = canned_of(&form)?;
        Ok(user
            .acting
            .update_canned_response(id, department, name, language, body)
            .await?)
    }
    .await;
    let editing = Editing {
        canned: Some(id),
        ..Editing::default()
    };
    match result {
        Ok(_) => Ok(see_other("/admin/templates")),
        Err(e) => page(&user, Some(&refused(e, "canned", form)?), editing).await,
    }
}

/// Deletes a canned response, once confirmed.
async fn delete_canned(
    axum::extract::Path(raw): axum::extract::Path<String>,
    Posted { user, form }: Posted,
) -> PageResult {
    let id: CannedResponseId = id_of(&raw)?;
    let form_id = format!("delete-canned-{id}");
    if let Err(refusal) = confirmed(user.language, &form_id, &form) {
        return page(&user, Some(&refusal), Editing::default()).await;
    }
    user.acting.delete_canned_response(id).await?;
    Ok(see_other("/admin/templates"))
}
