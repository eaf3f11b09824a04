//! The form of a rule or a macro on the admin pages (issue 22): its conditions as tick boxes
//! and fields, and its actions as rows, each a choice of what to do among the ones that
//! exist (agents, departments, canned responses) with a text for tags and notes; read back
//! into a [`RuleDraft`] or a list of actions, a refusal naming the field.

use std::collections::HashMap;

use helpdesk::automation::{
    Action, Conditions, HeldFor, HeldUnit, NotifyTarget, RuleEvent, RuleSchedule,
};
use helpdesk::domain::{
    Agent, CannedResponse, Department, Language, MessageBody, Name, Priority, Resolution, Status,
    StatusLabels, Tag,
};
use helpdesk::service::RuleDraft;
use helpdesk::webhooks::WebhookEndpoint;
use maud::{Markup, html};

use super::super::layout::t;
use super::super::notices::priority_word;
use super::form::{Kept, field, text_field, tick_box, ticked};
use crate::error::ApiError;

/// How many action rows a form offers.
pub const ACTION_ROWS: usize = 6;

/// The resolutions a rule may close with.
const RESOLUTIONS: [Resolution; 3] = [
    Resolution::Solved,
    Resolution::Unsolved,
    Resolution::Duplicate,
];

/// What the action choices name: the desk's agents, departments and canned responses.
pub struct Choices {
    /// Active agents.
    pub agents: Vec<Agent>,
    /// Departments.
    pub departments: Vec<Department>,
    /// Canned responses.
    pub responses: Vec<CannedResponse>,
    /// Webhook endpoints a rule may call (empty for macros, which call none).
    pub webhooks: Vec<WebhookEndpoint>,
}

/// The word of an event.
pub fn event_word(lang: Language, event: RuleEvent) -> &'static str {
    let key = match event {
        RuleEvent::Created => "automation_event_created",
        RuleEvent::CustomerReplied => "automation_event_customer_replied",
        RuleEvent::AgentReplied => "automation_event_agent_replied",
        RuleEvent::StatusChanged => "automation_event_status_changed",
        RuleEvent::SlaWarning => "automation_event_sla_warning",
        RuleEvent::SlaBreached => "automation_event_sla_breached",
    };
    t(lang, key)
}

/// The word of a unit of time.
fn unit_word(lang: Language, unit: HeldUnit) -> &'static str {
    let key = match unit {
        HeldUnit::Hours => "automation_unit_hours",
        HeldUnit::Days => "automation_unit_days",
        HeldUnit::BusinessHours => "automation_unit_business_hours",
        HeldUnit::BusinessDays => "automation_unit_business_days",
    };
    t(lang, key)
}

/// The word of a resolution.
fn resolution_word(lang: Language, r: Resolution) -> &'static str {
    let key = match r {
        Resolution::Solved => "automation_resolution_solved",
        Resolution::Duplicate => "automation_resolution_duplicate",
        _ => "automation_resolution_unsolved",
    };
    t(lang, key)
}

/// An action as its choice's value (`assign:ID`, `add_tag`, ...) and its text.
fn encode(action: &Action) -> (String, String) {
    match action {
        Action::Assign { agent: Some(a) } => (format!("assign:{a}"), String::new()),
        Action::Assign { agent: None } => ("unassign".into(), String::new()),
        Action::MoveDepartment { department } => (format!("move:{department}"), String::new()),
        Action::SetPriority { priority } => {
            (format!("priority:{}", priority.as_str()), String::new())
        }
        Action::AddTag { tag } => ("add_tag".into(), tag.as_str().to_owned()),
        Action::RemoveTag { tag } => ("remove_tag".into(), tag.as_str().to_owned()),
        Action::AddNote { body } => ("note".into(), body.as_str().to_owned()),
        Action::Reply { response } => (format!("reply:{response}"), String::new()),
        Action::Close { resolution } => (format!("close:{}", resolution.as_str()), String::new()),
        Action::Notify {
            to: NotifyTarget::Assignee,
        } => ("notify_assignee".into(), String::new()),
        Action::Notify {
            to: NotifyTarget::Department(d),
        } => (format!("notify_department:{d}"), String::new()),
        Action::Notify {
            to: NotifyTarget::Agent(a),
        } => (format!("notify_agent:{a}"), String::new()),
        Action::CallWebhook { endpoint } => (format!("call_webhook:{endpoint}"), String::new()),
    }
}

/// The action a row's choice and text make; `None` for an empty row.
fn decode(choice: &str, text: &str) -> Result<Option<Action>, ApiError> {
    let (kind, arg) = choice.split_once(':').unwrap_or((choice, ""));
    let bad = || helpdesk::Error::validation("actions", "not an action this form offers");
    let action = match kind {
        "" => return Ok(None),
        "assign" => Action::Assign {
            agent: Some(arg.parse().map_err(|_| bad())?),
        },
        "unassign" => Action::Assign { agent: None },
        "move" => Action::MoveDepartment {
            department: arg.parse().map_err(|_| bad())?,
        },
        "priority" => Action::SetPriority {
            priority: arg.parse()?,
        },
        "add_tag" => Action::AddTag {
            tag: Tag::parse(text)?,
        },
        "remove_tag" => Action::RemoveTag {
            tag: Tag::parse(text)?,
        },
        "note" => Action::AddNote {
            body: MessageBody::parse(text)?,
        },
        "reply" => Action::Reply {
            response: arg.parse().map_err(|_| bad())?,
        },
        "close" => Action::Close {
            resolution: arg.parse()?,
        },
        "notify_assignee" => Action::Notify {
            to: NotifyTarget::Assignee,
        },
        "notify_department" => Action::Notify {
            to: NotifyTarget::Department(arg.parse().map_err(|_| bad())?),
        },
        "notify_agent" => Action::Notify {
            to: NotifyTarget::Agent(arg.parse().map_err(|_| bad())?),
        },
        "call_webhook" => Action::CallWebhook {
            endpoint: arg.parse().map_err(|_| bad())?,
        },
        _ => return Err(bad().into()),
    };
    Ok(Some(action))
}

/// The actions of a posted form's rows, in order.
pub fn actions_of(form: &HashMap<String, String>) -> Result<Vec<Action>, ApiError> {
    let mut actions = Vec::new();
    for row in 0..ACTION_ROWS {
        let choice = field(form, &format!("action_{row}"));
        let text = field(form, &format!("action_{row}_text"));
        if let Some(action) = decode(choice, text)? {
            actions.push(action);
        }
    }
    Ok(actions)
}

/// The ids ticked among boxes named `prefix` + value.
fn ticked_values<'a>(form: &'a HashMap<String, String>, prefix: &str) -> Vec<&'a str> {
    let mut values: Vec<&str> = (form.keys())
        .filter_map(|k| k.strip_prefix(prefix))
        .collect();
    values.sort_unstable();
    values
}

/// A comma-separated list of tags.
fn tags_of(text: &str) -> Result<Vec<Tag>, ApiError> {
    (text.split(',').map(str::trim).filter(|s| !s.is_empty()))
        .map(|s| Ok(Tag::parse(s)?))
        .collect()
}

/// The rule a posted form describes.
pub fn draft_of(form: &HashMap<String, String>) -> Result<RuleDraft, ApiError> {
    let bad = |f: &'static str| helpdesk::Error::validation(f, "not a choice this form offers");
    let mut conditions = Conditions::default();
    for e in ticked_values(form, "event_") {
        conditions.events.push(RuleEvent::parse(e)?);
    }
    for s in ticked_values(form, "status_") {
        conditions.statuses.push(s.parse::<Status>()?);
    }
    for p in ticked_values(form, "priority_") {
        conditions.priorities.push(p.parse::<Priority>()?);
    }
    for d in ticked_values(form, "department_") {
        conditions
            .departments
            .push(d.parse().map_err(|_| bad("departments"))?);
    }
    conditions.tags = tags_of(field(form, "tags"))?;
    conditions.without_tags = tags_of(field(form, "without_tags"))?;
    conditions.text = match field(form, "text") {
        "" => None,
        text => Some(Name::parse(text)?),
    };
    conditions.business_hours = match field(form, "business_hours") {
        "within" => Some(true),
        "outside" => Some(false),
        _ => None,
    };
    let schedule = match field(form, "kind") {
        "scheduled" => {
            let number = |name: &'static str| -> Result<u32, ApiError> {
                Ok(field(form, name)
                    .parse()
                    .map_err(|_| helpdesk::Error::validation(name, "must be a whole number"))?)
            };
            let unchanged_for = match field(form, "held_amount") {
                "" => None,
                _ => Some(HeldFor {
                    amount: number("held_amount")?,
                    unit: HeldUnit::parse(field(form, "held_unit"))?,
                }),
            };
            Some(RuleSchedule {
                every_minutes: number("every_minutes")?,
                unchanged_for,
            })
        }
        _ => None,
    };
    let position = match field(form, "position") {
        "" => 0,
        text => text
            .parse()
            .map_err(|_| helpdesk::Error::validation("position", "must be a whole number"))?,
    };
    Ok(RuleDraft {
        name: Name::parse(field(form, "name"))?,
        position,
        active: ticked(form, "active"),
        conditions,
        actions: actions_of(form)?,
        schedule,
    })
}

/// The action rows of form `id`, showing `actions` (or what was typed).
pub fn action_rows(
    lang: Language,
    kept: Kept<'_>,
    id: &str,
    choices: &Choices,
    actions: &[Action],
) -> Markup {
    html! {
        fieldset.actions {
            legend { (t(lang, "automation_actions")) }
            p.meta { (t(lang, "automation_actions_help")) }
            @for row in 0..ACTION_ROWS {
                @let (choice, text) = actions.get(row).map(encode).unwrap_or_default();
                @let choice = kept.value(id, &format!("action_{row}"), choice);
                @let text = kept.value(id, &format!("action_{row}_text"), text);
                div.action-row {
                    select name=(format!("action_{row}")) aria-label=(t(lang, "automation_action")) {
                        option value="" selected[choice.is_empty()] { "—" }
                        (options(lang, choices, &choice))
                    }
                    input type="text" name=(format!("action_{row}_text")) value=(text)
                        aria-label=(t(lang, "automation_action_text"));
                }
            }
        }
    }
}

/// The action choices, the one chosen selected.
fn options(lang: Language, c: &Choices, chosen: &str) -> Markup {
    let opt = |value: String, label: String| {
        html! { option value=(value) selected[value == chosen] { (label) } }
    };
    html! {
        optgroup label=(t(lang, "automation_group_assign")) {
            @for a in c.agents.iter().filter(|a| a.active) {
                (opt(format!("assign:{}", a.id), format!("{} {}", t(lang, "automation_assign_to"), a.name.as_str())))
            }
            (opt("unassign".into(), t(lang, "automation_unassign").into()))
        }
        optgroup label=(t(lang, "automation_group_move")) {
            @for d in &c.departments {
                (opt(format!("move:{}", d.id), format!("{} {}", t(lang, "automation_move_to"), d.name.as_str())))
            }
        }
        optgroup label=(t(lang, "automation_group_priority")) {
            @for p in Priority::ALL {
                (opt(format!("priority:{}", p.as_str()), format!("{} {}", t(lang, "automation_set_priority"), priority_word(lang, p))))
            }
        }
        optgroup label=(t(lang, "automation_group_text")) {
            (opt("add_tag".into(), t(lang, "automation_add_tag").into()))
            (opt("remove_tag".into(), t(lang, "automation_remove_tag").into()))
            (opt("note".into(), t(lang, "automation_add_note").into()))
        }
        @if !c.responses.is_empty() {
            optgroup label=(t(lang, "automation_group_reply")) {
                @for r in &c.responses {
                    (opt(format!("reply:{}", r.id), format!("{} {}", t(lang, "automation_reply_with"), r.name.as_str())))
                }
            }
        }
        optgroup label=(t(lang, "automation_group_close")) {
            @for r in RESOLUTIONS {
                (opt(format!("close:{}", r.as_str()), format!("{} {}", t(lang, "automation_close_as"), resolution_word(lang, r))))
            }
        }
        optgroup label=(t(lang, "automation_group_notify")) {
            (opt("notify_assignee".into(), t(lang, "automation_notify_assignee").into()))
            @for d in &c.departments {
                (opt(format!("notify_department:{}", d.id), format!("{} {}", t(lang, "automation_notify_department"), d.name.as_str())))
            }
            @for a in c.agents.iter().filter(|a| a.active) {
                (opt(format!("notify_agent:{}", a.id), format!("{} {}", t(lang, "automation_notify_agent"), a.name.as_str())))
            }
        }
        @if !c.webhooks.is_empty() {
            optgroup label=(t(lang, "automation_group_webhook")) {
                @for e in &c.webhooks {
                    @let what = if e.description.is_empty() { e.url.as_str() } else { e.description.as_str() };
                    @let off = if e.enabled { String::new() } else { format!(" ({})", t(lang, "automation_webhook_disabled")) };
                    (opt(format!("call_webhook:{}", e.id), format!("{} {what}{off}", t(lang, "automation_call_webhook"))))
                }
            }
        }
    }
}

/// The condition and schedule fields of form `id`, showing `draft` (or what was typed).
pub fn condition_fields(
    lang: Language,
    kept: Kept<'_>,
    id: &str,
    departments: &[Department],
    draft: Option<&RuleDraft>,
) -> Markup {
    let c = draft.map(|d| d.conditions.clone()).unwrap_or_default();
    let schedule = draft.and_then(|d| d.schedule);
    let labels = StatusLabels::new(lang);
    let kind = kept.value(
        id,
        "kind",
        if schedule.is_some() {
            "scheduled"
        } else {
            "trigger"
        },
    );
    let every = kept.value(
        id,
        "every_minutes",
        schedule.map_or("60".into(), |s| s.every_minutes.to_string()),
    );
    let held = schedule.and_then(|s| s.unchanged_for);
    let amount = kept.value(
        id,
        "held_amount",
        held.map(|h| h.amount.to_string()).unwrap_or_default(),
    );
    let unit = kept.value(
        id,
        "held_unit",
        held.map_or(HeldUnit::BusinessDays, |h| h.unit).as_str(),
    );
    let hours = kept.value(
        id,
        "business_hours",
        match c.business_hours {
            Some(true) => "within",
            Some(false) => "outside",
            None => "any",
        },
    );
    let tags = |list: &[Tag]| {
        list.iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        fieldset.kind {
            legend { (t(lang, "automation_kind")) }
            label.tick { input type="radio" name="kind" value="trigger" checked[kind != "scheduled"]; " " (t(lang, "automation_kind_trigger")) }
            label.tick { input type="radio" name="kind" value="scheduled" checked[kind == "scheduled"]; " " (t(lang, "automation_kind_scheduled")) }
            label { (t(lang, "automation_every_minutes")) " "
                input type="number" name="every_minutes" min="1" max="44640" value=(every); }
            label { (t(lang, "automation_unchanged_for")) " "
                input type="number" name="held_amount" min="1" max="10000" value=(amount); }
            label { (t(lang, "automation_unit")) " "
                select name="held_unit" {
                    @for u in HeldUnit::ALL {
                        option value=(u.as_str()) selected[u.as_str() == unit] { (unit_word(lang, u)) }
                    }
                }
            }
        }
        fieldset.conditions {
            legend { (t(lang, "automation_conditions")) }
            p.meta { (t(lang, "automation_conditions_help")) }
            p { (t(lang, "automation_events")) }
            @for e in RuleEvent::ALL {
                @let name = format!("event_{}", e.as_str());
                (tick_box(event_word(lang, e), &name, kept.ticked(id, &name, c.events.contains(&e))))
            }
            p { (t(lang, "automation_statuses")) }
            @for s in Status::ALL {
                @let name = format!("status_{}", s.as_str());
                (tick_box(labels.label(s), &name, kept.ticked(id, &name, c.statuses.contains(&s))))
            }
            p { (t(lang, "automation_priorities")) }
            @for p in Priority::ALL {
                @let name = format!("priority_{}", p.as_str());
                (tick_box(priority_word(lang, p), &name, kept.ticked(id, &name, c.priorities.contains(&p))))
            }
            @if !departments.is_empty() {
                p { (t(lang, "automation_departments")) }
                @for d in departments {
                    @let name = format!("department_{}", d.id);
                    (tick_box(d.name.as_str(), &name, kept.ticked(id, &name, c.departments.contains(&d.id))))
                }
            }
            (text_field(t(lang, "automation_tags"), "tags", &kept.value(id, "tags", tags(&c.tags)), false))
            (text_field(t(lang, "automation_without_tags"), "without_tags", &kept.value(id, "without_tags", tags(&c.without_tags)), false))
            (text_field(t(lang, "automation_text"), "text", &kept.value(id, "text", c.text.as_ref().map(|n| n.as_str()).unwrap_or_default()), false))
            label { (t(lang, "automation_business_hours")) " "
                select name="business_hours" {
                    option value="any" selected[hours == "any"] { (t(lang, "automation_hours_any")) }
                    option value="within" selected[hours == "within"] { (t(lang, "automation_hours_within")) }
                    option value="outside" selected[hours == "outside"] { (t(lang, "automation_hours_outside")) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_the_form_offers_reads_back_as_itself() {
        let id = helpdesk::domain::AgentId::new();
        let dept = helpdesk::domain::DepartmentId::new();
        let actions = [
            Action::Assign { agent: Some(id) },
            Action::Assign { agent: None },
            Action::MoveDepartment { department: dept },
            Action::SetPriority {
                priority: Priority::Urgent,
            },
            Action::AddTag {
                tag: Tag::parse("rețea").unwrap(),
            },
            Action::AddNote {
                body: MessageBody::parse("Заметка").unwrap(),
            },
            Action::Close {
                resolution: Resolution::Unsolved,
            },
            Action::Notify {
                to: NotifyTarget::Department(dept),
            },
            Action::Notify {
                to: NotifyTarget::Agent(id),
            },
            Action::Notify {
                to: NotifyTarget::Assignee,
            },
            Action::CallWebhook {
                endpoint: helpdesk::domain::WebhookId::new(),
            },
        ];
        for a in actions {
            let (choice, text) = encode(&a);
            assert_eq!(decode(&choice, &text).unwrap(), Some(a));
        }
        assert!(decode("explode", "").is_err());
        assert!(decode("assign:nobody", "").is_err());
        assert_eq!(decode("", "ignored").unwrap(), None);
    }
}
