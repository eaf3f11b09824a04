//! The SLA policies on `/admin/service-levels`: in order (the first that matches a ticket
//! applies), each with its match rule — priorities, departments, ticket types, kinds of
//! customer; none ticked matches every ticket — its targets in business minutes, its
//! calendar and when it warns.

use std::collections::HashMap;

use axum::Router;
use axum::routing::post;
use helpdesk::domain::{CustomerKind, Department, Language, Name, Priority, TicketType};
use helpdesk::error::ValidationError;
use helpdesk::policy::{ServiceLevelSettings, SlaPolicySetting};
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageResult, see_other};
use super::form::{Kept, field, post_form, refused, text_field, tick_box, ticked};
use super::levels::page;
use crate::error::ApiError;
use crate::extract::{PageUser, Posted};
use crate::state::AppState;

/// The SLA policy routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/sla-policies", post(put_policy))
        .route("/admin/sla-policies/delete", post(delete_policy))
}

/// The word of a priority.
pub fn priority_word(lang: Language, priority: Priority) -> &'static str {
    match priority {
        Priority::Low => t(lang, "priority_low"),
        Priority::Normal => t(lang, "priority_normal"),
        Priority::High => t(lang, "priority_high"),
        Priority::Urgent => t(lang, "priority_urgent"),
    }
}

/// The word of a built-in ticket type (a deployment's own type shows its name).
pub fn type_word(lang: Language, ticket_type: &TicketType) -> String {
    match ticket_type {
        TicketType::Incident => t(lang, "type_incident").to_owned(),
        TicketType::Question => t(lang, "type_question").to_owned(),
        TicketType::Consultation => t(lang, "type_consultation").to_owned(),
        TicketType::FeatureRequest => t(lang, "type_feature_request").to_owned(),
        TicketType::AccessRequest => t(lang, "type_access_request").to_owned(),
        other => other.as_str().to_owned(),
    }
}

/// The word of a kind of customer.
pub fn kind_word(lang: Language, kind: CustomerKind) -> &'static str {
    match kind {
        CustomerKind::Individual => t(lang, "kind_individual"),
        CustomerKind::Organisation => t(lang, "kind_organisation"),
    }
}

/// The policies, a form to add or replace one, and a delete button for each.
pub fn section(
    user: &PageUser,
    levels: &ServiceLevelSettings,
    departments: &[Department],
    kept: Kept<'_>,
    edit: Option<&str>,
) -> Markup {
    let lang = user.language;
    let edit = edit.and_then(|name| levels.policies.iter().find(|p| p.name.as_str() == name));
    let dept_name = |id| {
        departments
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_string(), |d| d.name.to_string())
    };
    let minutes = |m: Option<u32>| m.map_or_else(|| "—".to_owned(), |m| m.to_string());
    html! {
        h2 { (t(lang, "admin_sla_policies")) }
        p.meta { (t(lang, "admin_sla_order")) }
        @if levels.policies.is_empty() { p.meta { (t(lang, "admin_none_yet")) } }
        @for p in &levels.policies {
            @let id = format!("delete-sla-{}", p.name);
            section.card {
                h3 { (p.name.as_str()) }
                dl {
                    dt { (t(lang, "admin_match")) }
                    dd {
                        @for x in &p.priorities { (priority_word(lang, *x)) " " }
                        @for x in &p.departments { (dept_name(*x)) " " }
                        @for x in &p.ticket_types { (type_word(lang, x)) " " }
                        @for x in &p.customer_kinds { (kind_word(lang, *x)) " " }
                        @if p.priorities.is_empty() && p.departments.is_empty()
                            && p.ticket_types.is_empty() && p.customer_kinds.is_empty() {
                            (t(lang, "admin_every_ticket"))
                        }
                    }
                    dt { (t(lang, "admin_first_response")) } dd { (minutes(p.first_response_minutes)) }
                    dt { (t(lang, "admin_next_response")) } dd { (minutes(p.next_response_minutes)) }
                    dt { (t(lang, "admin_resolution")) } dd { (minutes(p.resolution_minutes)) }
                    @if let Some(c) = &p.calendar { dt { (t(lang, "admin_calendar")) } dd { (c.as_str()) } }
                    @if let Some(w) = p.warn_percent { dt { (t(lang, "admin_warn_percent")) } dd { (w) } }
                }
                p { a href={ "/admin/service-levels?sla=" (super::levels::encoded(p.name.as_str())) "#sla" } { (t(lang, "admin_edit")) } }
                (post_form(user, &id, "/admin/sla-policies/delete", html! {
                    input type="hidden" name="name" value=(p.name.as_str());
                    (kept.error(&id, lang))
                    button { (t(lang, "admin_delete")) }
                }))
            }
        }
        h3 { (t(lang, "admin_sla_put")) }
        (policy_form(user, levels, departments, kept, edit))
    }
}

/// The form that adds a policy or replaces the one of the same name.
fn policy_form(
    user: &PageUser,
    levels: &ServiceLevelSettings,
    departments: &[Department],
    kept: Kept<'_>,
    edit: Option<&SlaPolicySetting>,
) -> Markup {
    let lang = user.language;
    let id = "sla";
    let number = |name: &str, key: &str, value: Option<u32>| {
        html! {
            label { (t(lang, key)) " "
                input type="number" min="1" name=(name)
                    value=(kept.value(id, name, value.map(|v| v.to_string()).unwrap_or_default())); }
        }
    };
    let has = |check: &dyn Fn(&SlaPolicySetting) -> bool| edit.is_some_and(check);
    post_form(
        user,
        id,
        "/admin/sla-policies",
        html! {
            (kept.error(id, lang))
            (text_field(t(lang, "admin_name"), "name", &kept.value(id, "name", edit.map(|p| p.name.as_str()).unwrap_or_default()), true))
            fieldset {
                legend { (t(lang, "admin_match_hint")) }
                @for p in Priority::ALL {
                    (tick_box(priority_word(lang, p), &format!("priority_{p}"), kept.ticked(id, &format!("priority_{p}"), has(&|e| e.priorities.contains(&p)))))
                }
                @for d in departments.iter().filter(|d| d.active) {
                    (tick_box(d.name.as_str(), &format!("department_{}", d.id), kept.ticked(id, &format!("department_{}", d.id), has(&|e| e.departments.contains(&d.id)))))
                }
                @for x in TicketType::BUILT_IN {
                    (tick_box(&type_word(lang, &x), &format!("type_{x}"), kept.ticked(id, &format!("type_{x}"), has(&|e| e.ticket_types.contains(&x)))))
                }
                @for k in CustomerKind::ALL {
                    (tick_box(kind_word(lang, k), &format!("kind_{k}"), kept.ticked(id, &format!("kind_{k}"), has(&|e| e.customer_kinds.contains(&k)))))
                }
            }
            (number("first_response_minutes", "admin_first_response", edit.and_then(|p| p.first_response_minutes)))
            (number("next_response_minutes", "admin_next_response", edit.and_then(|p| p.next_response_minutes)))
            (number("resolution_minutes", "admin_resolution", edit.and_then(|p| p.resolution_minutes)))
            label { (t(lang, "admin_sla_calendar")) " "
                select name="calendar" {
                    @let current = kept.value(id, "calendar", edit.and_then(|p| p.calendar.as_ref()).map(Name::as_str).unwrap_or_default());
                    option value="" selected[current.is_empty()] { (t(lang, "admin_department_calendar")) }
                    @for name in levels.calendars.keys() {
                        option value=(name.as_str()) selected[name.as_str() == current] { (name.as_str()) }
                    }
                }
            }
            label { (t(lang, "admin_warn_percent")) " "
                input type="number" min="1" max="99" name="warn_percent" value=(kept.value(id, "warn_percent", edit.and_then(|p| p.warn_percent).map(|w| w.to_string()).unwrap_or_default())); }
            button { (t(lang, "admin_save")) }
        },
    )
}

/// A number of minutes or percent typed in `name`, or `None` when left empty.
fn number<T: std::str::FromStr>(
    form: &HashMap<String, String>,
    name: &'static str,
) -> Result<Option<T>, ValidationError> {
    let typed = field(form, name);
    if typed.is_empty() {
        return Ok(None);
    }
    typed
        .parse()
        .map(Some)
        .map_err(|_| ValidationError::new(name, format!("{typed:?} is not a whole number")))
}

/// The policy the form describes.
fn policy_of(
    form: &HashMap<String, String>,
    departments: &[Department],
) -> Result<SlaPolicySetting, ApiError> {
    let mut policy = SlaPolicySetting::new(Name::parse(field(form, "name"))?);
    policy.priorities = Priority::ALL
        .into_iter()
        .filter(|p| ticked(form, &format!("priority_{p}")))
        .collect();
    policy.departments = departments
        .iter()
        .filter(|d| ticked(form, &format!("department_{}", d.id)))
        .map(|d| d.id)
        .collect();
    policy.ticket_types = TicketType::BUILT_IN
        .into_iter()
        .filter(|x| ticked(form, &format!("type_{x}")))
        .collect();
    policy.customer_kinds = CustomerKind::ALL
        .into_iter()
        .filter(|k| ticked(form, &format!("kind_{k}")))
        .collect();
    policy.first_response_minutes = number(form, "first_response_minutes")?;
    policy.next_response_minutes = number(form, "next_response_minutes")?;
    policy.resolution_minutes = number(form, "resolution_minutes")?;
    policy.warn_percent = number(form, "warn_percent")?;
    let calendar = field(form, "calendar");
    policy.calendar = if calendar.is_empty() {
        None
    } else {
        Some(Name::parse(calendar)?)
    };
    Ok(policy)
}

/// Adds a policy (last in order), or replaces the one of that name.
async fn put_policy(Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> = async {
        let departments = user.acting.departments().await?;
        let policy = policy_of(&form, &departments)?;
        Ok(user.acting.put_sla_policy(policy).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/service-levels")),
        Err(e) => page(&user, Some(&refused(e, "sla", form)?), &HashMap::new()).await,
    }
}

/// Deletes a policy.
async fn delete_policy(Posted { user, form }: Posted) -> PageResult {
    let typed = field(&form, "name").to_owned();
    let result: Result<_, ApiError> = async {
        let name = Name::parse(&typed)?;
        Ok(user.acting.delete_sla_policy(&name).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/service-levels")),
        Err(e) => {
            page(
                &user,
                Some(&refused(e, format!("delete-sla-{typed}"), form)?),
                &HashMap::new(),
            )
            .await
        }
    }
}
