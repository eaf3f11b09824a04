//! A ticket's history as text, one line per event (seed 003: "view the log of each ticket").

use std::fmt::Write;

use uuid::Uuid;

use crate::domain::{Actor, Change, StatusLabels, TicketEvent};

/// Renders `events` one per line: `2026-01-05 09:00:00 UTC  Ana Popescu  status: new → open`.
/// `name` gives the display name of a department, agent, customer or ticket id (tickets by
/// number), or `None` to show the id.
pub fn render_history(
    events: &[TicketEvent],
    labels: &StatusLabels,
    name: &dyn Fn(Uuid) -> Option<String>,
) -> String {
    let show = |id: Uuid| name(id).unwrap_or_else(|| id.to_string());
    let opt = |id: Option<Uuid>| id.map_or_else(|| "—".to_owned(), show);
    let mut out = String::new();
    for e in events {
        let who = match e.actor {
            Actor::Customer(c) => show(c.as_uuid()),
            Actor::Agent(a) => show(a.as_uuid()),
            Actor::System => "system".to_owned(),
        };
        let what = match &e.change {
            Change::Created {
                subject,
                department,
                priority,
                ticket_type,
                channel,
                internal,
                ..
            } => format!(
                "opened{} \"{subject}\" in {} by {} ({ticket_type}, {priority})",
                if *internal { " an internal ticket" } else { "" },
                show(department.as_uuid()),
                channel.as_str(),
            ),
            Change::Replied { first_response, .. } => {
                if *first_response {
                    "replied (first response)".to_owned()
                } else {
                    "replied".to_owned()
                }
            }
            Change::NoteAdded { .. } => "added an internal note".to_owned(),
            Change::StatusChanged { from, to } => {
                format!("status: {} → {}", labels.label(*from), labels.label(*to))
            }
            Change::PriorityChanged { from, to } => format!("priority: {from} → {to}"),
            Change::AssigneeChanged { from, to } => format!(
                "assignee: {} → {}",
                opt(from.map(|a| a.as_uuid())),
                opt(to.map(|a| a.as_uuid()))
            ),
            Change::DepartmentChanged { from, to } => format!(
                "department: {} → {}",
                show(from.as_uuid()),
                show(to.as_uuid())
            ),
            Change::TypeChanged { from, to } => format!("type: {from} → {to}"),
            Change::CategoriesChanged { from, to } => {
                let join = |v: &[crate::domain::Category]| {
                    v.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
                };
                format!("categories: [{}] → [{}]", join(from), join(to))
            }
            Change::ServiceChanged { from, to } => format!(
                "service: {} → {}",
                from.as_ref().map_or("—", |s| s.as_str()),
                to.as_ref().map_or("—", |s| s.as_str())
            ),
            Change::CustomFieldsChanged { from, to } => {
                let mut parts = Vec::new();
                for (k, v) in to.iter() {
                    match from.get(k.as_str()) {
                        Some(old) if old == v => {}
                        Some(old) => parts.push(format!("{k}: {old} → {v}")),
                        None => parts.push(format!("{k}: — → {v}")),
                    }
                }
                for (k, old) in from.iter() {
                    if to.get(k.as_str()).is_none() {
                        parts.push(format!("{k}: {old} → —"));
                    }
                }
                format!("fields: {}", parts.join("; "))
            }
            Change::MasterChanged { from, to } => format!(
                "master ticket: {} → {}",
                opt(from.map(|t| t.as_uuid())),
                opt(to.map(|t| t.as_uuid()))
            ),
            Change::MergedInto { target } => format!("merged into {}", show(target.as_uuid())),
            Change::MergeReceived { source } => {
                format!("received merged ticket {}", show(source.as_uuid()))
            }
            Change::SplitOff { into, messages } => format!(
                "{} message(s) split off into {}",
                messages.len(),
                show(into.as_uuid())
            ),
            Change::SplitFrom { source } => format!("split off {}", show(source.as_uuid())),
            Change::SlaWarning { target } => format!("SLA warning: {}", target.as_str()),
            Change::SlaBreached { target } => format!("SLA breached: {}", target.as_str()),
            Change::PendingReminder => "reminder: the waiting time is over".to_owned(),
            Change::ChatWaiting => "the chat waits for an agent".to_owned(),
            Change::AutoCloseWarning { closes_at } => format!(
                "warned the customer: closes automatically at {}",
                closes_at.format("%Y-%m-%d %H:%M UTC")
            ),
            Change::SatisfactionRated { score, comment } => format!(
                "rated {}/5{}",
                score.get(),
                comment.as_ref().map_or(String::new(), |c| format!(": {c}"))
            ),
            Change::PriorityRequested { priority, reason } => {
                format!("asked for priority {priority}: {reason}")
            }
            Change::PriorityRequestDecided { priority, approved } => format!(
                "{} the request for priority {priority}",
                if *approved { "approved" } else { "declined" }
            ),
            Change::TimeLogged {
                minutes, billable, ..
            } => format!(
                "logged {} min{}",
                minutes.get(),
                if *billable { " (billable)" } else { "" }
            ),
            Change::ThreadEmailed { to } => format!("e-mailed the public thread to {to}"),
            Change::Tagged { added, removed } => {
                let join = |v: &[crate::domain::Tag]| {
                    v.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")
                };
                match (added.is_empty(), removed.is_empty()) {
                    (false, true) => format!("tag added: {}", join(added)),
                    (true, false) => format!("tag removed: {}", join(removed)),
                    _ => format!("tags added: {}; removed: {}", join(added), join(removed)),
                }
            }
        };
        let what = match &e.origin {
            Some(o) => format!("{what} (from #{}, {})", o.number.short(), o.kind.as_str()),
            None => what,
        };
        let _ = writeln!(
            out,
            "{}  {who}  {what}",
            e.at.format("%Y-%m-%d %H:%M:%S UTC")
        );
    }
    out
}
