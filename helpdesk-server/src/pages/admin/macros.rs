//! `/admin/macros`: the macros (issue 22), named lists of actions agents apply to tickets,
//! each with its removal and a link to its page, and the form to add one (the same action
//! rows as a rule's); `/admin/macros/{id}`: a macro's form, to change its name and actions.
//! A refused form comes back with its input kept and the reason inline.

use axum::Router;
use axum::extract::Path;
use axum::routing::{get, post};
use helpdesk::Error;
use helpdesk::domain::{MacroId, Name};
use maud::html;

use super::super::layout::t;
use super::super::{PageResult, see_other};
use super::form::{
    Kept, Refused, admin_page, admins_only, confirmed, delete_form, field, post_form, refused,
    text_field,
};
use super::rule_form::{action_rows, actions_of};
use super::rules::choices;
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The form id of the new macro.
const ADD_FORM: &str = "macro-add";

/// The form id of a macro's changes.
const EDIT_FORM: &str = "macro-edit";

/// The macro routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/macros", get(list).post(add))
        .route("/admin/macros/{id}", get(show).post(edit))
        .route("/admin/macros/{id}/delete", post(delete))
}

async fn list(user: PageUser) -> PageResult {
    page(&user, None).await
}

async fn page(user: &PageUser, refused: Option<&Refused>) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let macros = match user.acting.macros().await {
        Ok(list) => list,
        Err(Error::Unsupported { .. }) => {
            let body = html! { p.meta { (t(lang, "automation_unsupported")) } };
            return admin_page(user, "automation_macros", None, body);
        }
        Err(e) => return Err(e.into()),
    };
    let choices = choices(user).await?;
    let body = html! {
        p.meta { (t(lang, "automation_macros_hint")) " " a href="/admin/rules" { (t(lang, "automation_rules")) } }
        @if macros.is_empty() {
            p.meta { (t(lang, "admin_none_yet")) }
        }
        @for m in &macros {
            section.card.macro-entry id=(format!("macro-{}", m.id)) {
                h2 { a href=(format!("/admin/macros/{}", m.id)) { bdi { (m.name.as_str()) } } }
                p.meta { (t(lang, "automation_log_actions")) " " (m.actions.len()) }
                (delete_form(user, kept, &format!("macro-delete-{}", m.id), &format!("/admin/macros/{}/delete", m.id)))
            }
        }
        h2 { (t(lang, "automation_add_macro")) }
        (post_form(user, ADD_FORM, "/admin/macros", html! {
            (kept.error(ADD_FORM, lang))
            (text_field(t(lang, "automation_name"), "name", &kept.value(ADD_FORM, "name", ""), true))
            (action_rows(lang, kept, ADD_FORM, &choices, &[]))
            button { (t(lang, "admin_save")) }
        }))
    };
    admin_page(user, "automation_macros", refused, body)
}

/// `POST /admin/macros`.
async fn add(Posted { user, form }: Posted) -> PageResult {
    admins_only(&user)?;
    let result: Result<_, ApiError> = async {
        let name = Name::parse(field(&form, "name"))?;
        let actions = actions_of(&form)?;
        Ok(user.acting.create_macro(name, actions).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/macros")),
        Err(e) => page(&user, Some(&refused(e, ADD_FORM, form)?)).await,
    }
}

/// `POST /admin/macros/{id}/delete`, with the box ticked.
async fn delete(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    admins_only(&user)?;
    let id: MacroId = parse(&id)?;
    let form_id = format!("macro-delete-{id}");
    if let Err(refusal) = confirmed(user.language, &form_id, &form) {
        return page(&user, Some(&refusal)).await;
    }
    user.acting.delete_macro(id).await?;
    Ok(see_other("/admin/macros"))
}

/// `GET /admin/macros/{id}`.
async fn show(Path(id): Path<String>, user: PageUser) -> PageResult {
    edit_page(&user, parse(&id)?, None).await
}

/// A macro's form: its name and actions as stored, or as typed when refused.
async fn edit_page(user: &PageUser, id: MacroId, refused: Option<&Refused>) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let entry = user.acting.macro_entry(id).await?;
    let choices = choices(user).await?;
    let body = html! {
        p { a href="/admin/macros" { (t(lang, "automation_macros")) } }
        h2 { bdi { (entry.name.as_str()) } }
        (post_form(user, EDIT_FORM, &format!("/admin/macros/{id}"), html! {
            (kept.error(EDIT_FORM, lang))
            (text_field(t(lang, "automation_name"), "name", &kept.value(EDIT_FORM, "name", entry.name.as_str()), true))
            (action_rows(lang, kept, EDIT_FORM, &choices, &entry.actions))
            button { (t(lang, "admin_save")) }
        }))
    };
    admin_page(user, "automation_edit_macro", refused, body)
}

/// `POST /admin/macros/{id}`: the macro changed, back to the list; or the form again with
/// the input kept and the reason.
async fn edit(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    admins_only(&user)?;
    let id: MacroId = parse(&id)?;
    let result: Result<_, ApiError> = async {
        let name = Name::parse(field(&form, "name"))?;
        let actions = actions_of(&form)?;
        Ok(user.acting.update_macro(id, name, actions).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/admin/macros")),
        Err(e) => edit_page(&user, id, Some(&refused(e, EDIT_FORM, form)?)).await,
    }
}
