//! The priority rule part of an organisation's `/admin/customers/{id}` (issue 20): the
//! priority its customers' new tickets get and, optionally, the highest an agent may set
//! without the override, kept in the store (`POST /admin/customers/{id}/priority-rule`), and
//! the rule removed (`POST /admin/customers/{id}/priority-rule/delete`). Not shown for a
//! person, nor on a store that keeps no settings.

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use helpdesk::Error;
use helpdesk::domain::{Customer, CustomerId, CustomerKind, Name, Priority};
use helpdesk::policy::PriorityRuleSetting;
use maud::{Markup, html};

use super::super::layout::t;
use super::super::notices::priority_word;
use super::super::{PageResult, see_other};
use super::customer_directory::edit_page;
use super::form::{
    Kept, admins_only, confirmed, delete_form, field, post_form, refused, text_field,
};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The form ids.
const RULE_FORM: &str = "customer-priority-rule";
const DELETE_FORM: &str = "customer-priority-rule-delete";

/// The routes of the two forms.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/customers/{id}/priority-rule", post(save_rule))
        .route(
            "/admin/customers/{id}/priority-rule/delete",
            post(delete_rule),
        )
}

/// The rule naming organisation `id`, if one does.
async fn rule_of(
    user: &PageUser,
    id: CustomerId,
) -> Result<Option<Option<PriorityRuleSetting>>, ApiError> {
    match user.acting.priority_rule_settings().await {
        Ok(rules) => Ok(Some(rules.naming(id).next().cloned())),
        Err(Error::Unsupported { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The priority rule part of organisation `c`: its rule's form, and its removal when it has
/// one; nothing for a person or on a store without settings.
pub async fn priority_part(
    user: &PageUser,
    c: &Customer,
    kept: Kept<'_>,
) -> Result<Markup, ApiError> {
    let lang = user.language;
    let id = c.id;
    if c.kind != CustomerKind::Organisation {
        return Ok(html! {});
    }
    let Some(rule) = rule_of(user, id).await? else {
        return Ok(html! {});
    };
    let initial = kept.value(
        RULE_FORM,
        "initial",
        rule.as_ref().map_or(Priority::High, |r| r.initial).as_str(),
    );
    let ceiling = kept.value(
        RULE_FORM,
        "ceiling",
        rule.as_ref()
            .and_then(|r| r.ceiling)
            .map(Priority::as_str)
            .unwrap_or_default(),
    );
    let default_name = format!("organisation-{id}");
    let name = kept.value(
        RULE_FORM,
        "name",
        rule.as_ref()
            .map_or(default_name.as_str(), |r| r.name.as_str()),
    );
    Ok(html! {
        h3 { (t(lang, "admin_priority_rule")) }
        @if rule.is_none() { p.meta { (t(lang, "admin_no_priority_rule")) } }
        (post_form(user, RULE_FORM, &format!("/admin/customers/{id}/priority-rule"), html! {
            (kept.error(RULE_FORM, lang))
            (text_field(t(lang, "admin_priority_rule_name"), "name", &name, true))
            label { (t(lang, "admin_initial_priority")) " "
                select name="initial" {
                    @for p in Priority::ALL {
                        option value=(p.as_str()) selected[p.as_str() == initial] { (priority_word(lang, p)) }
                    }
                }
            }
            label { (t(lang, "admin_priority_ceiling")) " "
                select name="ceiling" {
                    option value="" selected[ceiling.is_empty()] { (t(lang, "admin_ceiling_as_usual")) }
                    @for p in Priority::ALL {
                        option value=(p.as_str()) selected[p.as_str() == ceiling] { (priority_word(lang, p)) }
                    }
                }
            }
            button { (t(lang, "admin_save")) }
        }))
        @if rule.is_some() {
            (delete_form(user, kept, DELETE_FORM, &format!("/admin/customers/{id}/priority-rule/delete")))
        }
    })
}

/// `POST /admin/customers/{id}/priority-rule`: the rule of that name replaced (keeping the
/// other organisations it names) or a new one for this organisation.
async fn save_rule(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    admins_only(&user)?;
    let id: CustomerId = parse(&id)?;
    let result: Result<_, ApiError> = async {
        let name = Name::parse(field(&form, "name"))?;
        let initial: Priority = field(&form, "initial").parse()?;
        let ceiling = match field(&form, "ceiling") {
            "" => None,
            text => Some(text.parse::<Priority>()?),
        };
        let stored = user.acting.priority_rule_settings().await?;
        let mut organisations = (stored.rules.iter())
            .find(|r| r.name == name)
            .map(|r| r.organisations.clone())
            .unwrap_or_default();
        if !organisations.contains(&id) {
            organisations.push(id);
        }
        // Renamed: the organisation's old rule gives way to the new one.
        let old = stored
            .naming(id)
            .find(|r| r.name != name)
            .map(|r| r.name.clone());
        let rule = PriorityRuleSetting::new(name, organisations, initial).with_ceiling(ceiling);
        rule.validate()?;
        if let Some(old) = old {
            user.acting.delete_priority_rule(&old).await?;
        }
        Ok(user.acting.put_priority_rule(rule).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/customers/{id}"))),
        Err(e) => edit_page(&user, id, Some(&refused(e, RULE_FORM, form)?)).await,
    }
}

/// `POST /admin/customers/{id}/priority-rule/delete`: the organisation's rule removed, with
/// the box "yes, delete it" ticked.
async fn delete_rule(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    admins_only(&user)?;
    let id: CustomerId = parse(&id)?;
    if let Err(refusal) = confirmed(user.language, DELETE_FORM, &form) {
        return edit_page(&user, id, Some(&refusal)).await;
    }
    let result: Result<_, ApiError> = async {
        let Some(Some(rule)) = rule_of(&user, id).await? else {
            return Err(helpdesk::Error::validation("name", "no priority rule").into());
        };
        Ok(user.acting.delete_priority_rule(&rule.name).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/customers/{id}"))),
        Err(e) => edit_page(&user, id, Some(&refused(e, DELETE_FORM, form)?)).await,
    }
}
