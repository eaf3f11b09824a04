//! Everyone's own settings page (issue 21), `/settings`: the time zone every page shows
//! dates and times in (the browser's zone offered when none is chosen) and the language of
//! their pages. A refusal is shown on the form with what was chosen kept.

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use chrono::Utc;
use helpdesk::domain::{Language, PersonSettings, TimeZone};
use maud::{Markup, html};

use super::layout::{csrf_input, layout, t};
use super::{PageResult, html_response, refusals, see_other};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted};
use crate::state::AppState;

/// The page's route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/settings", get(page).post(save))
}

/// The form: `chosen` selected (the browser's zone when none is), the refusal beside it.
fn form(
    user: &PageUser,
    chosen: PersonSettings,
    typed_zone: Option<&str>,
    refusal: Option<&ApiError>,
) -> Markup {
    let lang = user.language;
    // A zone typed that is none is not kept (a list cannot show it): the stored one stays.
    let zone_name = typed_zone
        .filter(|z| TimeZone::parse(z).is_ok())
        .or(chosen.time_zone.map(TimeZone::name));
    let language = chosen.language.unwrap_or(lang);
    html! {
        h1 { (t(lang, "settings_title")) }
        p.meta { (t(lang, "settings_intro")) }
        @if let Some(e) = refusal { (refusals::inline(lang, e)) }
        form #person-settings method="post" action="/settings" {
            (csrf_input(user))
            label for="time-zone" { (t(lang, "settings_time_zone")) }
            select #time-zone name="time_zone" data-browser-default[zone_name.is_none()] {
                @for zone in TimeZone::all() {
                    option value=(zone.name()) selected[Some(zone.name()) == zone_name.or(Some("UTC"))] {
                        (zone.name())
                    }
                }
            }
            p.meta #browser-zone hidden { (t(lang, "settings_browser_zone")) }
            label for="page-language" { (t(lang, "settings_language")) }
            select #page-language name="language" {
                @for other in Language::ALL {
                    option value=(other.code()) lang=(other.code()) selected[other == language] {
                        (t(other, "language_name"))
                    }
                }
            }
            button type="submit" { (t(lang, "admin_save")) }
        }
        p #settings-now { (t(lang, "settings_now")) " " (super::when(Utc::now())) }
        script src="/assets/time-zone.js" {}
    }
}

/// The page.
async fn page(user: PageUser) -> PageResult {
    let settings = user.acting.own_settings().await?;
    let body = form(&user, settings, None, None);
    Ok(html_response(
        StatusCode::OK,
        layout(t(user.language, "settings_title"), Some(&user), body),
    ))
}

/// Saves the choices posted; back to the page, or the form again with the refusal.
async fn save(Posted { user, form: fields }: Posted) -> PageResult {
    let typed = fields.get("time_zone").map(String::as_str);
    let chosen = async {
        let zone = typed.map(TimeZone::parse).transpose()?;
        let language = match fields.get("language") {
            Some(l) => Some(l.parse::<Language>().map_err(ApiError::from)?),
            None => None,
        };
        Ok::<_, ApiError>(user.acting.change_own_settings(zone, language).await?)
    }
    .await;
    match chosen {
        Ok(_) => Ok(see_other("/settings")),
        Err(e) => {
            let settings = user.acting.own_settings().await?;
            let body = form(&user, settings, typed, Some(&e));
            Ok(html_response(
                e.status,
                layout(t(user.language, "settings_title"), Some(&user), body),
            ))
        }
    }
}
