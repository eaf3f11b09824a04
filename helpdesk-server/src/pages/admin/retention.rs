//! `/admin/retention`: the retention rule (issue 22, item 4) on the admin pages: whether
//! closed tickets nobody changed for a number of days are erased or anonymised by the
//! desk's due work, and what its last run that handled tickets did (from the erasure audit
//! trail). A refused form comes back with its input kept and the reason inline.

use axum::Router;
use axum::routing::get;
use helpdesk::Error;
use helpdesk::service::Retention;
use helpdesk::store::{ErasureCause, ErasureMode};
use maud::html;

use super::super::layout::t;
use super::super::{PageResult, see_other, when};
use super::form::{Kept, Refused, admin_page, admins_only, field, post_form, refused, ticked};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted};
use crate::state::AppState;

/// The form's id.
const FORM: &str = "retention";

/// How many entries of the erasure trail are looked through for the rule's last run.
const TRAIL_READ: u32 = 200;

/// The page's routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/retention", get(show).post(save))
}

/// `GET /admin/retention`.
async fn show(user: PageUser) -> PageResult {
    page(&user, None).await
}

async fn page(user: &PageUser, refused: Option<&Refused>) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let unsupported = || {
        let body = html! { p.meta #retention-unsupported { (t(lang, "retention_unsupported")) } };
        admin_page(user, "admin_retention", None, body)
    };
    let rule = match user.acting.retention_rule().await {
        Ok(rule) => rule,
        Err(Error::Unsupported { .. }) => return unsupported(),
        Err(e) => return Err(e.into()),
    };
    let last = match user.acting.erasures(TRAIL_READ).await {
        Ok(trail) => trail
            .into_iter()
            .find(|r| r.cause == ErasureCause::Retention),
        Err(Error::Unsupported { .. }) => return unsupported(),
        Err(e) => return Err(e.into()),
    };
    let days = rule.map_or(String::new(), |r| r.closed_days.to_string());
    let mode = rule.map_or(ErasureMode::Anonymise, |r| r.mode);
    let mode = kept.value(FORM, "mode", mode.as_str());
    let body = html! {
        p.meta { (t(lang, "retention_hint")) }
        p #retention-current {
            @match rule {
                Some(r) => {
                    (t(lang, "retention_current")) " " strong { (r.closed_days) } " "
                    (t(lang, "retention_days_after")) " · "
                    (t(lang, if r.mode == ErasureMode::Erase { "admin_erase_erase" } else { "admin_erase_anonymise" }))
                }
                None => { (t(lang, "retention_off")) }
            }
        }
        p #retention-last-run {
            @match &last {
                Some(r) => {
                    (t(lang, "retention_last_run")) " " (when(r.at)) " · "
                    strong { (r.tickets) } " " (t(lang, "retention_tickets"))
                }
                None => { (t(lang, "retention_last_none")) }
            }
        }
        (post_form(user, FORM, "/admin/retention", html! {
            (kept.error(FORM, lang))
            label.tick {
                input type="checkbox" name="enabled" value="on" checked[kept.ticked(FORM, "enabled", rule.is_some())];
                " " (t(lang, "retention_on"))
            }
            label { (t(lang, "retention_days")) " "
                input type="number" name="closed_days" min="1" max="36600" value=(kept.value(FORM, "closed_days", days)); }
            label { (t(lang, "admin_erase_mode")) " "
                select name="mode" {
                    option value="anonymise" selected[mode == "anonymise"] { (t(lang, "admin_erase_anonymise")) }
                    option value="erase" selected[mode == "erase"] { (t(lang, "admin_erase_erase")) }
                }
            }
            button { (t(lang, "admin_save")) }
        }))
    };
    admin_page(user, "admin_retention", refused, body)
}

/// The rule a posted form asks for: `None` when the box is not ticked.
fn rule_of(
    form: &std::collections::HashMap<String, String>,
) -> Result<Option<Retention>, ApiError> {
    if !ticked(form, "enabled") {
        return Ok(None);
    }
    let closed_days = field(form, "closed_days").parse::<u32>().map_err(|_| {
        ApiError::from(helpdesk::error::ValidationError::new(
            "closed_days",
            "must be a number of days between 1 and 36600",
        ))
    })?;
    let mode = match field(form, "mode") {
        "erase" => ErasureMode::Erase,
        "anonymise" => ErasureMode::Anonymise,
        _ => {
            return Err(ApiError::from(helpdesk::error::ValidationError::new(
                "mode",
                "choose erase or anonymise",
            )));
        }
    };
    Ok(Some(Retention { closed_days, mode }))
}

/// `POST /admin/retention`: the rule set or turned off, back to the page; or the page with
/// the refusal and the input kept.
async fn save(Posted { user, form }: Posted) -> PageResult {
    admins_only(&user)?;
    let result: Result<(), ApiError> = async {
        let rule = rule_of(&form)?;
        Ok(user.acting.set_retention(rule).await?)
    }
    .await;
    match result {
        Ok(()) => Ok(see_other("/admin/retention")),
        Err(e) => page(&user, Some(&refused(e, FORM, form)?)).await,
    }
}
