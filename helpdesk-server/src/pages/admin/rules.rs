//! `/admin/rules`: the triggers and scheduled rules (issue 22), by position, with the form to
//! add one; `/admin/rules/{id}`: a rule's form, the tickets it would touch now (its dry run)
//! and what it did (its firing log), and its removal. The firing log of every rule is at
//! the foot of the list. A refused form comes back with its input kept and the reason inline.

use axum::Router;
use axum::extract::Path;
use axum::routing::{get, post};
use helpdesk::Error;
use helpdesk::automation::{Rule, RuleFiring};
use helpdesk::domain::{Language, RuleId};
use helpdesk::service::RuleDraft;
use maud::{Markup, html};

use super::super::layout::t;
use super::super::{PageResult, see_other, when};
use super::form::{
    Kept, Refused, admin_page, admins_only, confirmed, delete_form, post_form, refused, text_field,
    tick_box,
};
use super::rule_form::{Choices, action_rows, condition_fields, draft_of};
use crate::error::ApiError;
use crate::extract::{PageUser, Posted, parse};
use crate::state::AppState;

/// The form ids.
const ADD_FORM: &str = "rule-add";
const EDIT_FORM: &str = "rule-edit";
const DELETE_FORM: &str = "rule-delete";

/// Entries of the firing log shown.
const LOG_SHOWN: u32 = 50;

/// The rule routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/rules", get(list).post(add))
        .route("/admin/rules/{id}", get(show).post(edit))
        .route("/admin/rules/{id}/delete", post(delete))
}

/// What the action choices name.
pub async fn choices(user: &PageUser) -> Result<Choices, ApiError> {
    let responses = match user.acting.canned_responses(None, None).await {
        Ok(list) => list,
        Err(Error::Unsupported { .. }) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(Choices {
        agents: user.acting.agents().await?,
        departments: user.acting.departments().await?,
        responses,
        webhooks: Vec::new(),
    })
}

/// What a rule's action choices name: [`choices`] and the webhook endpoints to call.
async fn rule_choices(user: &PageUser) -> Result<Choices, ApiError> {
    let mut choices = choices(user).await?;
    choices.webhooks = match user.acting.webhooks().await {
        Ok(list) => list,
        Err(Error::Unsupported { .. }) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(choices)
}

/// A rule as the form shows it.
fn draft(rule: &Rule) -> RuleDraft {
    RuleDraft {
        name: rule.name.clone(),
        position: rule.position,
        active: rule.active,
        conditions: rule.conditions.clone(),
        actions: rule.actions.clone(),
        schedule: rule.schedule,
    }
}

/// The whole form of a rule: name, position, on/off, kind, conditions, actions.
fn rule_form(
    user: &PageUser,
    kept: Kept<'_>,
    id: &str,
    action: &str,
    choices: &Choices,
    rule: Option<&RuleDraft>,
) -> Markup {
    let lang = user.language;
    let name = rule.map(|r| r.name.as_str().to_owned()).unwrap_or_default();
    let position = rule.map_or(10, |r| r.position).to_string();
    post_form(
        user,
        id,
        action,
        html! {
            (kept.error(id, lang))
            (text_field(t(lang, "automation_name"), "name", &kept.value(id, "name", name), true))
            label { (t(lang, "automation_position")) " "
                input type="number" name="position" min="0" value=(kept.value(id, "position", position)); }
            (tick_box(t(lang, "automation_active"), "active", kept.ticked(id, "active", rule.is_none_or(|r| r.active))))
            (condition_fields(lang, kept, id, &choices.departments, rule))
            (action_rows(lang, kept, id, choices, rule.map_or(&[][..], |r| &r.actions)))
            button { (t(lang, "admin_save")) }
        },
    )
}

/// The kind of a rule in words.
fn kind_text(lang: Language, rule: &Rule) -> String {
    match &rule.schedule {
        Some(s) => format!("{} {}", t(lang, "automation_every"), s.every_minutes),
        None => t(lang, "automation_kind_trigger").to_owned(),
    }
}

/// The firing log as a table.
fn log_table(lang: Language, log: &[RuleFiring]) -> Markup {
    html! {
        @if log.is_empty() {
            p.meta { (t(lang, "automation_log_empty")) }
        } @else {
            div.table-scroll {
                table.firings {
                    tr {
                        th { (t(lang, "automation_log_when")) }
                        th { (t(lang, "automation_name")) }
                        th { (t(lang, "automation_log_ticket")) }
                        th { (t(lang, "automation_log_actions")) }
                    }
                    @for f in log {
                        tr {
                            td { (when(f.at)) }
                            td { bdi { (f.rule_name.as_str()) } }
                            td { a href=(format!("/tickets/{}", f.ticket_id)) { (t(lang, "automation_log_open")) } }
                            td { (f.actions.len()) }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /admin/rules`.
async fn list(user: PageUser) -> PageResult {
    list_page(&user, None).await
}

async fn list_page(user: &PageUser, refused: Option<&Refused>) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let rules = match user.acting.rules_with_next_run().await {
        Ok(rules) => rules,
        Err(Error::Unsupported { .. }) => {
            let body = html! { p.meta { (t(lang, "automation_unsupported")) } };
            return admin_page(user, "automation_rules", None, body);
        }
        Err(e) => return Err(e.into()),
    };
    let choices = rule_choices(user).await?;
    let log = user.acting.rule_firings(None, LOG_SHOWN).await?;
    let body = html! {
        p.meta { (t(lang, "automation_rules_hint")) " " a href="/admin/macros" { (t(lang, "automation_macros")) } }
        @if rules.is_empty() {
            p.meta { (t(lang, "admin_none_yet")) }
        }
        ul.rules {
            @for (r, next) in &rules {
                li {
                    a href=(format!("/admin/rules/{}", r.id)) { bdi { (r.name.as_str()) } }
                    " · " (r.position) " · " (kind_text(lang, r))
                    @if !r.active { " · " (t(lang, "automation_off")) }
                    @if let Some(next) = next {
                        " · " span.next-run { (t(lang, "automation_next_run")) " " (when(*next)) }
                    }
                }
            }
        }
        h2 { (t(lang, "automation_add_rule")) }
        (rule_form(user, kept, ADD_FORM, "/admin/rules", &choices, None))
        h2 { (t(lang, "automation_log")) }
        (log_table(lang, &log))
    };
    admin_page(user, "automation_rules", refused, body)
}

/// `POST /admin/rules`.
async fn add(Posted { user, form }: Posted) -> PageResult {
    admins_only(&user)?;
    let result: Result<Rule, ApiError> = async {
        let draft = draft_of(&form)?;
        Ok(user.acting.create_rule(draft).await?)
    }
    .await;
    match result {
        Ok(rule) => Ok(see_other(&format!("/admin/rules/{}", rule.id))),
        Err(e) => list_page(&user, Some(&refused(e, ADD_FORM, form)?)).await,
    }
}

/// `GET /admin/rules/{id}`.
async fn show(Path(id): Path<String>, user: PageUser) -> PageResult {
    rule_page(&user, parse(&id)?, None).await
}

async fn rule_page(user: &PageUser, id: RuleId, refused: Option<&Refused>) -> PageResult {
    admins_only(user)?;
    let lang = user.language;
    let kept = Kept(refused);
    let rule = (user.acting.rules().await?.into_iter())
        .find(|r| r.id == id)
        .ok_or_else(|| Error::not_found(helpdesk::error::Entity::Rule, id))?;
    let choices = rule_choices(user).await?;
    let touched = user
        .acting
        .dry_run_scheduled_rule(&rule.conditions, rule.schedule.as_ref())
        .await?;
    let log: Vec<RuleFiring> = (user.acting.rule_firings(None, 500).await?.into_iter())
        .filter(|f| f.rule == id)
        .take(LOG_SHOWN as usize)
        .collect();
    let body = html! {
        p { a href="/admin/rules" { (t(lang, "automation_back")) } }
        h2 { bdi { (rule.name.as_str()) } }
        (rule_form(user, kept, EDIT_FORM, &format!("/admin/rules/{id}"), &choices, Some(&draft(&rule))))
        h2 { (t(lang, "automation_dry_run")) }
        p.meta { (t(lang, "automation_dry_run_hint")) }
        @if touched.is_empty() {
            p.meta { (t(lang, "automation_dry_run_none")) }
        }
        ul.dry-run {
            @for ticket in &touched {
                li { a href=(format!("/tickets/{}", ticket.id)) { "#" (ticket.number.short()) } " " bdi { (ticket.subject) } }
            }
        }
        h2 { (t(lang, "automation_log")) }
        (log_table(lang, &log))
        h2 { (t(lang, "automation_delete_rule")) }
        (delete_form(user, kept, DELETE_FORM, &format!("/admin/rules/{id}/delete")))
    };
    admin_page(user, "automation_rule", refused, body)
}

/// `POST /admin/rules/{id}`.
async fn edit(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    admins_only(&user)?;
    let id: RuleId = parse(&id)?;
    let result: Result<Rule, ApiError> = async {
        let draft = draft_of(&form)?;
        Ok(user.acting.update_rule(id, draft).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/rules/{id}"))),
        Err(e) => rule_page(&user, id, Some(&refused(e, EDIT_FORM, form)?)).await,
    }
}

/// `POST /admin/rules/{id}/delete`, with the box ticked.
async fn delete(Path(id): Path<String>, Posted { user, form }: Posted) -> PageResult {
    admins_only(&user)?;
    let id: RuleId = parse(&id)?;
    if let Err(refusal) = confirmed(user.language, DELETE_FORM, &form) {
        return rule_page(&user, id, Some(&refusal)).await;
    }
    user.acting.delete_rule(id).await?;
    Ok(see_other("/admin/rules"))
}
