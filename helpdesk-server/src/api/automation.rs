//! Triggers and macros (issue 22, items 1 and 3): admins list, create, replace and delete
//! rules, read the log of rules that fired and dry-run conditions; agents list macros and
//! apply one to a selection of tickets, with an outcome per ticket.

#![allow(dead_code)] // The schema structs are read only by the derives.

use axum::Json;
use axum::Router;
use axum::response::Response;
use axum::routing::{get, post, put};
use chrono::{DateTime, Utc};
use helpdesk::automation::{Action, Conditions, RuleSchedule};
use helpdesk::domain::{MacroId, Name, RuleId, TicketId};
use helpdesk::service::{MacroOutcome, RuleDraft};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::{created, items};
use crate::api::openapi::answers::{NotFound, Unsupported};
use crate::error::{ApiError, ApiResult, Body, Query};
use crate::extract::{Caller, Id};
use crate::state::AppState;

/// The automation routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/rules", get(list_rules).post(create_rule))
        .route("/rules/{rule}", put(update_rule).delete(delete_rule))
        .route("/rules/dry-run", post(dry_run))
        .route("/rule-firings", get(rule_firings))
        .route("/macros", get(list_macros).post(create_macro))
        .route(
            "/macros/{macro}",
            get(get_macro).put(update_macro).delete(delete_macro),
        )
        .route("/macros/{macro}/apply", post(apply_macro))
}

/// A rule as written: conditions (every list optional; an empty one matches anything) and
/// actions, run in order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleBody {
    /// Its name.
    name: String,
    /// Rules run by position, lowest first.
    #[serde(default)]
    position: u32,
    /// Whether it runs (default true).
    #[serde(default = "yes")]
    active: bool,
    /// `events` (created, customer_replied, agent_replied, status_changed, sla_warning,
    /// sla_breached), `statuses`, `priorities`, `departments`, `ticket_types`, `channels`,
    /// `tags`, `without_tags`, `customers`, `organisations`, `text`, `business_hours`.
    #[serde(default)]
    #[schema(value_type = ConditionsSchema)]
    conditions: Conditions,
    /// Each `{"action": "assign", "agent": id|null}`, `move_department` (`department`),
    /// `set_priority` (`priority`), `add_tag`/`remove_tag` (`tag`), `add_note` (`body`),
    /// `reply` (`response`: a canned response's id), `notify` (`to`: `"assignee"`,
    /// `{"department": id}` or `{"agent": id}`).
    #[schema(value_type = Vec<ActionSchema>)]
    actions: Vec<Action>,
    /// Absent: a trigger. Present: a scheduled rule, run by `run_due` every `every_minutes`
    /// on the tickets its conditions hold for (no `events`).
    #[serde(default)]
    #[schema(value_type = Option<ScheduleSchema>)]
    schedule: Option<RuleSchedule>,
}

/// When a scheduled rule runs, and how long a ticket must have been unchanged.
#[derive(ToSchema)]
pub(crate) struct ScheduleSchema {
    /// Minutes between two runs (1 to 44640).
    every_minutes: u32,
    /// Only tickets unchanged for at least this long.
    unchanged_for: Option<HeldForSchema>,
}

/// A length of time.
#[derive(ToSchema)]
pub(crate) struct HeldForSchema {
    /// 1 to 10000.
    amount: u32,
    /// hours, days, business_hours or business_days (on the department's calendar).
    unit: String,
}

/// When a rule applies: every list optional (empty: any value).
#[derive(ToSchema)]
pub(crate) struct ConditionsSchema {
    /// created, customer_replied, agent_replied, status_changed, sla_warning, sla_breached.
    events: Option<Vec<String>>,
    /// Statuses (`open`, `closed:solved`, ...).
    statuses: Option<Vec<String>>,
    /// Priorities.
    priorities: Option<Vec<String>>,
    /// Department ids.
    departments: Option<Vec<String>>,
    /// Request types.
    ticket_types: Option<Vec<String>>,
    /// Channels.
    channels: Option<Vec<String>>,
    /// Tags the ticket carries, all of them.
    tags: Option<Vec<String>>,
    /// Tags it does not carry.
    without_tags: Option<Vec<String>>,
    /// Customer ids.
    customers: Option<Vec<String>>,
    /// Organisation ids.
    organisations: Option<Vec<String>>,
    /// Text in the subject or the new messages.
    text: Option<String>,
    /// Within (true) or outside (false) the department's business hours.
    business_hours: Option<bool>,
}

/// One action: `action` names it, the other fields are its arguments.
#[derive(ToSchema)]
pub(crate) struct ActionSchema {
    /// assign, move_department, set_priority, add_tag, remove_tag, add_note, reply, notify,
    /// call_webhook (triggers and scheduled rules only).
    action: String,
    /// For `notify`: `"assignee"`, `{"department": id}` or `{"agent": id}`.
    to: Option<NotifyToSchema>,
    /// For `assign` (null: unassign).
    agent: Option<String>,
    /// For `move_department`.
    department: Option<String>,
    /// For `set_priority`.
    priority: Option<String>,
    /// For `add_tag` and `remove_tag`.
    tag: Option<String>,
    /// For `add_note`.
    body: Option<String>,
    /// For `reply`: a canned response's id.
    response: Option<String>,
    /// For `call_webhook`: a webhook endpoint's id (it must exist; a disabled one is passed
    /// over when the rule fires, and the firing log lists the call under `skipped`).
    endpoint: Option<String>,
}

/// Whom a `notify` action tells.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum NotifyToSchema {
    /// The ticket's assignee.
    Assignee,
    /// Every agent of the department with this id.
    Department(String),
    /// The agent with this id.
    Agent(String),
}

fn yes() -> bool {
    true
}

impl RuleBody {
    fn draft(self) -> ApiResult<RuleDraft> {
        Ok(RuleDraft {
            name: Name::parse(&self.name)?,
            position: self.position,
            active: self.active,
            conditions: self.conditions,
            actions: self.actions,
            schedule: self.schedule,
        })
    }
}

/// A stored rule: the body's fields with its `id` and `created_at`.
#[derive(ToSchema)]
pub(crate) struct RuleView {
    id: String,
    name: String,
    position: u32,
    active: bool,
    #[schema(value_type = ConditionsSchema)]
    conditions: Value,
    #[schema(value_type = Vec<ActionSchema>)]
    actions: Vec<Value>,
    created_at: DateTime<Utc>,
    /// Present on scheduled rules.
    schedule: Option<ScheduleSchema>,
    /// In the list: when `run_due` runs it next (a period after its last run, or now when
    /// it never ran or is due); null for triggers and rules turned off.
    next_run_at: Option<DateTime<Utc>>,
}

/// The body of `POST /rules/dry-run`: the conditions to try.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DryRun {
    /// As in a rule (the event condition is ignored).
    #[serde(default)]
    #[schema(value_type = ConditionsSchema)]
    conditions: Conditions,
    /// A scheduled rule's schedule: only tickets unchanged long enough for it.
    #[serde(default)]
    #[schema(value_type = Option<ScheduleSchema>)]
    schedule: Option<RuleSchedule>,
}

/// The query of `GET /rule-firings`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FiringQuery {
    /// Only this ticket's.
    #[param(value_type = Option<String>)]
    ticket: Option<TicketId>,
    /// At most this many (default 50, at most 500).
    limit: Option<u32>,
}

/// A macro as written.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MacroBody {
    /// Its name.
    name: String,
    /// Its actions, as a rule's.
    #[schema(value_type = Vec<ActionSchema>)]
    actions: Vec<Action>,
}

/// The body of `POST /macros/{macro}/apply`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApplyMacro {
    /// The tickets' ids (1 to 200).
    #[schema(value_type = Vec<String>)]
    tickets: Vec<TicketId>,
}

/// The rules, by position (admins).
#[utoipa::path(get, path = "/api/v1/rules", tag = "automation",
    summary = "The triggers and scheduled rules, by position, each scheduled rule that is on with `next_run_at` (when `run_due` runs it next; null for triggers and rules turned off) (admins)",
    responses((status = 200, description = "`{items: [rule]}`, each as `RuleView`", body = Object), Unsupported))]
pub(crate) async fn list_rules(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    let mut listed = Vec::new();
    for (rule, next) in acting.rules_with_next_run().await? {
        let mut value = json!(rule);
        if let Some(fields) = value.as_object_mut() {
            fields.insert("next_run_at".to_owned(), json!(next));
        }
        listed.push(value);
    }
    Ok(items(listed))
}

/// Adds a rule (admins).
#[utoipa::path(post, path = "/api/v1/rules", tag = "automation",
    summary = "Add a trigger, or a scheduled rule with `schedule` (admins)",
    request_body = RuleBody,
    responses((status = 201, description = "the rule", body = RuleView), NotFound, Unsupported))]
pub(crate) async fn create_rule(
    Caller { acting, .. }: Caller,
    Body(body): Body<RuleBody>,
) -> ApiResult<Response> {
    Ok(created(acting.create_rule(body.draft()?).await?))
}

/// Replaces a rule (admins).
#[utoipa::path(put, path = "/api/v1/rules/{rule}", tag = "automation",
    summary = "Replace a trigger's definition (admins)",
    params(("rule" = String, Path, description = "the rule's id")),
    request_body = RuleBody,
    responses((status = 200, description = "the rule", body = RuleView), NotFound, Unsupported))]
pub(crate) async fn update_rule(
    Caller { acting, .. }: Caller,
    Id(id): Id<RuleId>,
    Body(body): Body<RuleBody>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.update_rule(id, body.draft()?).await?)))
}

/// Deletes a rule (admins).
#[utoipa::path(delete, path = "/api/v1/rules/{rule}", tag = "automation",
    summary = "Delete a trigger (admins); its log entries stay",
    params(("rule" = String, Path, description = "the rule's id")),
    responses((status = 204, description = "deleted"), NotFound, Unsupported))]
pub(crate) async fn delete_rule(
    Caller { acting, .. }: Caller,
    Id(id): Id<RuleId>,
) -> ApiResult<axum::http::StatusCode> {
    acting.delete_rule(id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The tickets conditions hold for now (admins; nothing is written).
#[utoipa::path(post, path = "/api/v1/rules/dry-run", tag = "automation",
    summary = "The tickets a rule's conditions would touch now, at most 200 (admins; nothing is written)",
    request_body = DryRun,
    responses((status = 200, description = "`{items: [ticket]}`", body = Object), Unsupported))]
pub(crate) async fn dry_run(
    Caller { acting, .. }: Caller,
    Body(body): Body<DryRun>,
) -> ApiResult<Json<Value>> {
    Ok(items(
        acting
            .dry_run_scheduled_rule(&body.conditions, body.schedule.as_ref())
            .await?,
    ))
}

/// The log of rules that fired, newest first (admins).
#[utoipa::path(get, path = "/api/v1/rule-firings", tag = "automation",
    summary = "Which rule fired on which ticket, when, what it did (`actions`) and passed over (`skipped`: calls to disabled endpoints), newest first (admins)",
    params(FiringQuery),
    responses((status = 200, description = "`{items: [firing]}`", body = Object), Unsupported))]
pub(crate) async fn rule_firings(
    Caller { acting, .. }: Caller,
    Query(q): Query<FiringQuery>,
) -> ApiResult<Json<Value>> {
    Ok(items(
        acting.rule_firings(q.ticket, q.limit.unwrap_or(50)).await?,
    ))
}

/// The macros, by name (agents).
#[utoipa::path(get, path = "/api/v1/macros", tag = "automation",
    summary = "The macros, by name (agents)",
    responses((status = 200, description = "`{items: [macro]}`", body = Object), Unsupported))]
pub(crate) async fn list_macros(Caller { acting, .. }: Caller) -> ApiResult<Json<Value>> {
    Ok(items(acting.macros().await?))
}

/// Adds a macro (admins).
#[utoipa::path(post, path = "/api/v1/macros", tag = "automation",
    summary = "Add a macro (admins)",
    request_body = MacroBody,
    responses((status = 201, description = "the macro", body = Object), NotFound, Unsupported))]
pub(crate) async fn create_macro(
    Caller { acting, .. }: Caller,
    Body(body): Body<MacroBody>,
) -> ApiResult<Response> {
    let name = Name::parse(&body.name)?;
    Ok(created(acting.create_macro(name, body.actions).await?))
}

/// A macro (agents).
#[utoipa::path(get, path = "/api/v1/macros/{macro}", tag = "automation",
    summary = "A macro (agents)",
    params(("macro" = String, Path, description = "the macro's id")),
    responses((status = 200, description = "the macro", body = Object), NotFound, Unsupported))]
pub(crate) async fn get_macro(
    Caller { acting, .. }: Caller,
    Id(id): Id<MacroId>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(acting.macro_entry(id).await?)))
}

/// Replaces a macro's name and actions (admins), audited.
#[utoipa::path(put, path = "/api/v1/macros/{macro}", tag = "automation",
    summary = "Replace a macro's name and actions, checked as when it was added; audited (admins)",
    params(("macro" = String, Path, description = "the macro's id")),
    request_body = MacroBody,
    responses((status = 200, description = "the macro", body = Object), NotFound, Unsupported))]
pub(crate) async fn update_macro(
    Caller { acting, .. }: Caller,
    Id(id): Id<MacroId>,
    Body(body): Body<MacroBody>,
) -> ApiResult<Json<Value>> {
    let name = Name::parse(&body.name)?;
    Ok(Json(json!(
        acting.update_macro(id, name, body.actions).await?
    )))
}

/// Deletes a macro (admins).
#[utoipa::path(delete, path = "/api/v1/macros/{macro}", tag = "automation",
    summary = "Delete a macro (admins)",
    params(("macro" = String, Path, description = "the macro's id")),
    responses((status = 204, description = "deleted"), NotFound, Unsupported))]
pub(crate) async fn delete_macro(
    Caller { acting, .. }: Caller,
    Id(id): Id<MacroId>,
) -> ApiResult<axum::http::StatusCode> {
    acting.delete_macro(id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Applies a macro to tickets (agents): per ticket, everything or nothing.
#[utoipa::path(post, path = "/api/v1/macros/{macro}/apply", tag = "automation",
    summary = "Apply a macro to tickets; per ticket `changed` (with the ticket), `unchanged` or `refused` (with the error), each ticket's actions committed together (agents)",
    params(("macro" = String, Path, description = "the macro's id")),
    request_body = ApplyMacro,
    responses((status = 200, description = "`{items: [{ticket, outcome, ticket_after?, error?}]}`", body = Object), NotFound, Unsupported))]
pub(crate) async fn apply_macro(
    Caller { acting, .. }: Caller,
    Id(id): Id<MacroId>,
    Body(body): Body<ApplyMacro>,
) -> ApiResult<Json<Value>> {
    let results = acting.apply_macro(id, &body.tickets).await?;
    Ok(items(
        results
            .into_iter()
            .map(|(ticket, outcome)| match outcome {
                MacroOutcome::Changed(after) => {
                    json!({"ticket": ticket, "outcome": "changed", "ticket_after": after})
                }
                MacroOutcome::Unchanged => json!({"ticket": ticket, "outcome": "unchanged"}),
                MacroOutcome::Refused(e) => {
                    let e = ApiError::from(e);
                    json!({"ticket": ticket, "outcome": "refused",
                           "error": {"code": e.code, "message": e.message}})
                }
            })
            .collect::<Vec<_>>(),
    ))
}
