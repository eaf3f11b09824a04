//! The erasure part of `/admin/customers/{id}` (issue 22): an admin erases a customer with
//! everything of theirs, or anonymises them and keeps their tickets for reports, behind a
//! confirmation (`POST /admin/customers/{id}/erase`). Not shown to other staff, nor on a store
//! without erasure.

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use helpdesk::domain::{Customer, CustomerId};
use helpdesk::store::{ErasureMode, is_anonymised};
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageResult, see_other};
use super::customer_directory::edit_page;
use super::form::{Kept, admins_only, confirmed, field, post_form, refused};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The form's id.
const ERASE_FORM: &str = "customer-erase";

/// The route of the form.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/customers/{id}/erase", post(erase))
}

/// The form that erases or anonymises `c`: for admins, on a store with erasure.
pub fn erasure_part(user: &PageUser, c: &Customer, kept: Kept<'_>) -> Markup {
    let lang = user.language;
    if !user.acting.principal().is_admin() || user.acting.desk().erasure_store().is_err() {
        return html! {};
    }
    let chosen = kept.value(ERASE_FORM, "mode", "anonymise");
    post_form(
        user,
        ERASE_FORM,
        &format!("/admin/customers/{}/erase", c.id),
        html! {
            h3 { (t(lang, "admin_erase_title")) }
            @if is_anonymised(c) { p.meta { (t(lang, "admin_erase_anonymised")) } }
            p.meta { (t(lang, "admin_erase_help")) }
            (kept.error(ERASE_FORM, lang))
            label { (t(lang, "admin_erase_mode")) " "
                select name="mode" {
                    option value="anonymise" selected[chosen == "anonymise"] { (t(lang, "admin_erase_anonymise")) }
                    option value="erase" selected[chosen == "erase"] { (t(lang, "admin_erase_erase")) }
                }
            }
            label.tick { input type="checkbox" name="confirm" value="on" required; " " (t(lang, "admin_erase_confirm")) }
            " " button { (t(lang, "admin_erase_button")) }
        },
    )
}

/// `POST /admin/customers/{id}/erase`: the mode chosen, once confirmed.
async fn erase(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    admins_only(&user)?;
    let id: CustomerId = parse(&id)?;
    if let Err(refusal) = confirmed(user.language, ERASE_FORM, &form) {
        return edit_page(&user, id, Some(&refusal)).await;
    }
    let mode = if field(&form, "mode") == "erase" {
        ErasureMode::Erase
    } else {
        ErasureMode::Anonymise
    };
    match user.acting.erase_customer(id, mode).await {
        Ok(_) if mode == ErasureMode::Erase => Ok(see_other("/admin/customers/directory")),
        Ok(_) => Ok(see_other(&format!("/admin/customers/{id}"))),
        Err(e) => {
            let e: ApiError = e.into();
            edit_page(&user, id, Some(&refused(e, ERASE_FORM, form)?)).await
        }
    }
}
