//! `/admin/service-levels`: the business-hours calendars (a time zone, weekly hours such as
//! `mon-fri 09:00-18:00`, holidays), the desk's default calendar, and — from [`super::sla`]
//! — the SLA policies with their match rules.

use std::collections::HashMap;

use axum::Router;
use axum::extract::Query;
use axum::routing::{get, post};
use chrono::NaiveDate;
use helpdesk::Error;
use helpdesk::domain::{Language, Name};
use helpdesk::error::ValidationError;
use helpdesk::policy::{Calendar, CalendarSpec, Schedule, ServiceLevelSettings};
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageError, PageResult, see_other};
use super::departments::calendar_select;
use super::form::{Kept, Refused, admin_page, admins_only, field, post_form, refused, text_field};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted};
use crate::state::AppState;

/// The calendar routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/service-levels", get(service_levels))
        .route("/admin/calendars", post(put_calendar))
        .route("/admin/calendars/delete", post(delete_calendar))
        .route("/admin/default-calendar", post(default_calendar))
}

/// The service levels kept in the store (admins only, the library says), or `None` for a
/// store that keeps no settings.
pub async fn stored_levels(user: &PageUser) -> Result<Option<ServiceLevelSettings>, PageError> {
    match user.acting.service_level_settings().await {
        Ok(levels) => Ok(Some(levels)),
        Err(Error::Unsupported { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The day names, Monday first, as the hours are written.
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A calendar as it is typed: its weekly hours a line per day, its holidays and its yearly
/// holidays.
fn typed(calendar: &Calendar) -> (String, String, String) {
    let hours = match calendar.schedule() {
        Schedule::AlwaysOpen => "mon-sun 00:00-24:00".to_owned(),
        Schedule::Weekly(week) => {
            // Runs of days with the same hours are one line: `mon-fri 09:00-18:00`.
            let line = |ranges: &[helpdesk::policy::WorkingRange]| {
                ranges
                    .iter()
                    .map(|r| format!("{}-{}", clock(r.start()), clock(r.end())))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let mut lines = Vec::new();
            let mut day = 0;
            while day < 7 {
                let mut last = day;
                while last + 1 < 7 && week[last + 1] == week[day] {
                    last += 1;
                }
                if !week[day].is_empty() {
                    let days = if last == day {
                        DAYS[day].to_owned()
                    } else {
                        format!("{}-{}", DAYS[day], DAYS[last])
                    };
                    lines.push(format!("{days} {}", line(&week[day])));
                }
                day = last + 1;
            }
            lines.join("\n")
        }
    };
    // The holidays have no reader of their own; their serialized form lists them.
    let value = serde_json::to_value(calendar).unwrap_or_default();
    let holidays = value["holidays"]
        .as_array()
        .map(|days| {
            days.iter()
                .filter_map(|d| d.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let yearly = value["yearly_holidays"]
        .as_array()
        .map(|days| {
            days.iter()
                .filter_map(|d| Some(format!("{:02}-{:02}", d[0].as_u64()?, d[1].as_u64()?)))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    (hours, holidays, yearly)
}

/// Minutes after midnight as `HH:MM`.
fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The page; `?calendar=` or `?sla=` fills the form with that calendar or policy to edit.
async fn service_levels(
    user: PageUser,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    page(&user, None, &query).await
}

/// The page, with `refused` shown inline.
pub async fn page(
    user: &PageUser,
    refused: Option<&Refused>,
    query: &HashMap<String, String>,
) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let Some(levels) = stored_levels(user).await? else {
        return admin_page(
            user,
            "admin_service_levels",
            refused,
            html! { p.meta { (t(lang, "admin_no_settings")) } },
        );
    };
    let departments = user.acting.departments().await?;
    let body = html! {
        h2 { (t(lang, "admin_calendars")) }
        @if levels.calendars.is_empty() { p.meta { (t(lang, "admin_none_yet")) } }
        @for (name, calendar) in &levels.calendars {
            @let (hours, holidays, yearly) = typed(calendar);
            section.card {
                h3 { (name.as_str()) }
                p { (t(lang, "admin_zone")) ": " (calendar.zone().name()) }
                pre { (hours) }
                @if !holidays.is_empty() || !yearly.is_empty() {
                    p { (t(lang, "admin_holidays")) ": " (holidays) " " (yearly) }
                }
                p { a href={ "/admin/service-levels?calendar=" (encoded(name.as_str())) "#calendar" } { (t(lang, "admin_edit")) } }
                (post_form(user, &format!("delete-calendar-{name}"), "/admin/calendars/delete", html! {
                    input type="hidden" name="name" value=(name.as_str());
                    (kept.error(&format!("delete-calendar-{name}"), lang))
                    button { (t(lang, "admin_delete")) }
                }))
            }
        }
        h3 { (t(lang, "admin_calendar_put")) }
        (calendar_form(user, lang, kept, query.get("calendar").and_then(|n| levels.calendars.iter().find(|(name, _)| name.as_str() == n))))
        h2 { (t(lang, "admin_default_calendar")) }
        (post_form(user, "default-calendar", "/admin/default-calendar", html! {
            (kept.error("default-calendar", lang))
            (calendar_select(lang, &levels, &kept.value("default-calendar", "calendar",
                levels.default_calendar.as_ref().map(Name::as_str).unwrap_or_default()), "admin_no_calendar"))
            button { (t(lang, "admin_save")) }
        }))
        (super::sla::section(user, &levels, &departments, kept, query.get("sla").map(String::as_str)))
    };
    admin_page(user, "admin_service_levels", refused, body)
}

/// The form that adds a calendar or replaces one of the same name, filled with `edit`'s.
fn calendar_form(
    user: &PageUser,
    lang: Language,
    kept: Kept<'_>,
    edit: Option<(&Name, &Calendar)>,
) -> Markup {
    let id = "calendar";
    let (name, zone, (hours, holidays, yearly)) = match edit {
        Some((name, calendar)) => (
            name.as_str().to_owned(),
            calendar.zone().name().to_owned(),
            typed(calendar),
        ),
        None => (
            String::new(),
            "Europe/Bucharest".to_owned(),
            (
                "mon-fri 09:00-18:00".to_owned(),
                String::new(),
                String::new(),
            ),
        ),
    };
    post_form(
        user,
        id,
        "/admin/calendars",
        html! {
            (kept.error(id, lang))
            (text_field(t(lang, "admin_name"), "name", &kept.value(id, "name", name), true))
            (text_field(t(lang, "admin_zone_hint"), "zone", &kept.value(id, "zone", zone), true))
            label { (t(lang, "admin_hours_hint")) " "
                textarea name="hours" { (kept.value(id, "hours", hours)) }
            }
            (text_field(t(lang, "admin_holidays_hint"), "holidays", &kept.value(id, "holidays", holidays), false))
            (text_field(t(lang, "admin_yearly_holidays_hint"), "yearly_holidays", &kept.value(id, "yearly_holidays", yearly), false))
            button { (t(lang, "admin_save")) }
        },
    )
}

/// `text` for a query string.
pub fn encoded(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Words split at spaces and commas.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split([' ', ',', '\n', '\r', '\t'])
        .filter(|w| !w.is_empty())
}

/// Adds a calendar, or replaces the one of that name.
async fn put_calendar(Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> = async {
        let name = Name::parse(field(&form, "name"))?;
        let holidays = words(field(&form, "holidays"))
            .map(|d| {
                d.parse::<NaiveDate>().map_err(|_| {
                    ValidationError::new("holidays", format!("{d:?} is not a date (YYYY-MM-DD)"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let spec = CalendarSpec {
            zone: field(&form, "zone").to_owned(),
            hours: field(&form, "hours")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            holidays,
            yearly_holidays: words(field(&form, "yearly_holidays"))
                .map(str::to_owned)
                .collect(),
        };
        let calendar = spec.to_calendar()?;
        Ok(user.acting.put_calendar(name, calendar).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/service-levels")),
        Err(e) => page(&user, Some(&refused(e, "calendar", form)?), &HashMap::new()).await,
    }
}

/// Deletes a calendar no department, default or policy uses.
async fn delete_calendar(Posted { user, form }: Posted) -> PageResult {
    let typed = field(&form, "name").to_owned();
    let result: Result<_, ApiError> = async {
        let name = Name::parse(&typed)?;
        Ok(user.acting.delete_calendar(&name).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/service-levels")),
        Err(e) => {
            page(
                &user,
                Some(&refused(e, format!("delete-calendar-{typed}"), form)?),
                &HashMap::new(),
            )
            .await
        }
    }
}

/// Sets the calendar of departments without their own (an empty choice: none).
async fn default_calendar(Posted { user, form }: Posted) -> PageResult {
    let result: Result<_, ApiError> = async {
        let typed = field(&form, "calendar");
        let name = if typed.is_empty() {
            None
        } else {
            Some(Name::parse(typed)?)
        };
        Ok(user.acting.set_default_calendar(name).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/service-levels")),
        Err(e) => {
            page(
                &user,
                Some(&refused(e, "default-calendar", form)?),
                &HashMap::new(),
            )
            .await
        }
    }
}
