//! `/admin/departments`: the departments, each renamed, given its follow-up policy, made
//! active or inactive, put on a business-hours calendar and given a mail address of its
//! own; and new ones.

use axum::Router;
use axum::extract::Path;
use axum::routing::{get, post};
use helpdesk::domain::{DepartmentId, FollowUpPolicy, Name};
use helpdesk::policy::ServiceLevelSettings;
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageResult, see_other};
use super::form::{
    Kept, Refused, admin_page, admins_only, field, post_form, refused, text_field, tick_box, ticked,
};
use super::levels::stored_levels;
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;
use helpdesk::domain::Language;

/// The department routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/departments", get(departments).post(create))
        .route("/admin/departments/{id}", post(update))
        .route("/admin/departments/{id}/calendar", post(calendar))
        .route("/admin/departments/{id}/mail-address", post(mail_address))
}

/// The word of a follow-up policy.
pub fn follow_up_word(lang: Language, policy: FollowUpPolicy) -> &'static str {
    match policy {
        FollowUpPolicy::Reopen => t(lang, "follow_up_reopen"),
        FollowUpPolicy::Reject => t(lang, "follow_up_reject"),
        FollowUpPolicy::NewTicket => t(lang, "follow_up_new_ticket"),
    }
}

/// A choice of follow-up policy, `current` selected.
fn follow_up_select(lang: Language, current: &str) -> Markup {
    html! {
        label { (t(lang, "admin_follow_up")) " "
            select name="follow_up" {
                @for policy in FollowUpPolicy::ALL {
                    option value=(policy.as_str()) selected[policy.as_str() == current] {
                        (follow_up_word(lang, policy))
                    }
                }
            }
        }
    }
}

async fn departments(user: PageUser) -> PageResult {
    page(&user, None).await
}

/// The page, with `refused` shown inline.
async fn page(user: &PageUser, refused: Option<&Refused>) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let departments = user.acting.departments().await?;
    let levels = stored_levels(user).await?;
    let mail = super::mail::stored_mail(user).await?;
    let body = html! {
        @for d in &departments {
            @let id = format!("department-{}", d.id);
            section.card id=(id) {
                h2 { (d.name) @if !d.active { " (" (t(lang, "admin_inactive")) ")" } }
                (post_form(user, &id, &format!("/admin/departments/{}", d.id), html! {
                    (kept.error(&id, lang))
                    (text_field(t(lang, "admin_name"), "name", &kept.value(&id, "name", d.name.as_str()), true))
                    (follow_up_select(lang, &kept.value(&id, "follow_up", d.follow_up.as_str())))
                    (tick_box(t(lang, "admin_active"), "active", kept.ticked(&id, "active", d.active)))
                    button { (t(lang, "admin_save")) }
                }))
                @if let Some(levels) = &levels {
                    @let cal = format!("calendar-{}", d.id);
                    @let current = levels.department_calendars.get(&d.id).map(Name::as_str).unwrap_or_default();
                    (post_form(user, &cal, &format!("/admin/departments/{}/calendar", d.id), html! {
                        (kept.error(&cal, lang))
                        (calendar_select(lang, levels, &kept.value(&cal, "calendar", current), "admin_default_calendar_choice"))
                        button { (t(lang, "admin_save")) }
                    }))
                }
                @if let Some(mail) = &mail {
                    (super::mail::department_address_form(user, kept, d, mail))
                }
            }
        }
        h2 { (t(lang, "admin_new_department")) }
        (post_form(user, "new-department", "/admin/departments", html! {
            (kept.error("new-department", lang))
            (text_field(t(lang, "admin_name"), "name", &kept.value("new-department", "name", ""), true))
            (follow_up_select(lang, &kept.value("new-department", "follow_up", "reopen")))
            button { (t(lang, "admin_add")) }
        }))
    };
    admin_page(user, "admin_departments", refused, body)
}

/// A choice among the stored calendars, or none (an empty value);
/// `empty_key` words the empty choice.
pub fn calendar_select(
    lang: Language,
    levels: &ServiceLevelSettings,
    current: &str,
    empty_key: &str,
) -> Markup {
    html! {
        label { (t(lang, "admin_calendar")) " "
            select name="calendar" {
                option value="" selected[current.is_empty()] { (t(lang, empty_key)) }
                @for name in levels.calendars.keys() {
                    option value=(name.as_str()) selected[name.as_str() == current] { (name.as_str()) }
                }
            }
        }
    }
}

/// Adds a department.
async fn create(Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> = async {
        let name = Name::parse(field(&form, "name"))?;
        let follow_up: FollowUpPolicy = field(&form, "follow_up").parse()?;
        Ok(user.acting.create_department(name, follow_up).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/departments")),
        Err(e) => page(&user, Some(&refused(e, "new-department", form)?)).await,
    }
}

/// Renames a department, sets its follow-up policy and whether it is active.
async fn update(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id: DepartmentId = parse(&id)?;
    let result: Result<_, ApiError> = async {
        let name = Name::parse(field(&form, "name"))?;
        let follow_up: FollowUpPolicy = field(&form, "follow_up").parse()?;
        let active = ticked(&form, "active");
        Ok(user
            .acting
            .update_department(id, name, follow_up, active)
            .await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/departments")),
        Err(e) => page(&user, Some(&refused(e, format!("department-{id}"), form)?)).await,
    }
}

/// Puts a department on a calendar (an empty choice: the desk's default).
async fn calendar(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id: DepartmentId = parse(&id)?;
    let result: Result<_, ApiError> = async {
        let typed = field(&form, "calendar");
        let name = if typed.is_empty() {
            None
        } else {
            Some(Name::parse(typed)?)
        };
        Ok(user.acting.set_department_calendar(id, name).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/departments")),
        Err(e) => page(&user, Some(&refused(e, format!("calendar-{id}"), form)?)).await,
    }
}

/// Gives a department its own mail address (an empty address removes it).
async fn mail_address(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    let id: DepartmentId = parse(&id)?;
    let result: Result<_, ApiError> = async {
        let address = super::mail::address_of(&form)?;
        Ok(user.acting.set_department_mail_address(id, address).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/departments")),
        Err(e) => {
            let form_id = super::mail::address_form_id(id);
            page(&user, Some(&refused(e, form_id, form)?)).await
        }
    }
}
