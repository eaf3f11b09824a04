//! What the desk did otherwise than asked, told on the page after the form: a new ticket's
//! form redirects to the ticket with its notices in the query (`?notice=priority_adjusted&
//! asked=urgent&applied=normal&reason=above_cap&cap=normal`), and the ticket page says them in
//! the reader's language. Only what the ticket bears out is shown (the applied priority must
//! be the ticket's), so a hand-made link cannot make the page claim anything else.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use helpdesk::domain::{CustomerKind, Language, Notice, Priority, PriorityReason, Ticket};
use maud::{Markup, html};

use super::layout::{t, t_args};
use super::words::text as arg;

/// A priority in the reader's language.
pub fn priority_word(lang: Language, priority: Priority) -> &'static str {
    t(
        lang,
        match priority {
            Priority::Low => "priority_low",
            Priority::Normal => "priority_normal",
            Priority::High => "priority_high",
            Priority::Urgent => "priority_urgent",
        },
    )
}

/// The query that carries `notices` to the page a form redirects to: empty for none, else
/// `?` and the fields of the first (a new ticket has one kind of notice).
pub fn query(notices: &[Notice]) -> String {
    let Some(notice) = notices.first() else {
        return String::new();
    };
    match notice {
        Notice::PriorityAdjusted {
            asked,
            applied,
            reason,
        } => {
            let reason = match reason {
                PriorityReason::AboveCap { cap } => format!("above_cap&cap={cap}"),
                PriorityReason::DeskRule {
                    customer_kind: Some(kind),
                } => format!("desk_rule&customer_kind={kind}"),
                _ => "desk_rule".to_owned(),
            };
            format!(
                "?notice={}&asked={asked}&applied={applied}&reason={reason}",
                notice.code()
            )
        }
        // A kind this page does not know yet is not carried.
        _ => String::new(),
    }
}

/// The notices a page was sent with (see [`query`]); none when the query holds none or
/// holds something else.
pub struct Told(pub Vec<Notice>);

impl<S: Send + Sync> FromRequestParts<S> for Told {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let q = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| q)
            .unwrap_or_default();
        Ok(Told(parse(&q).into_iter().collect()))
    }
}

fn parse(q: &HashMap<String, String>) -> Option<Notice> {
    let priority = |k: &str| q.get(k)?.parse::<Priority>().ok();
    if q.get("notice")? != "priority_adjusted" {
        return None;
    }
    let reason = match q.get("reason")?.as_str() {
        "above_cap" => PriorityReason::AboveCap {
            cap: priority("cap")?,
        },
        "desk_rule" => PriorityReason::DeskRule {
            customer_kind: match q.get("customer_kind") {
                Some(kind) => Some(kind.parse::<CustomerKind>().ok()?),
                None => None,
            },
        },
        _ => return None,
    };
    Some(Notice::PriorityAdjusted {
        asked: priority("asked")?,
        applied: priority("applied")?,
        reason,
    })
}

/// The notices about `ticket`, in `lang`: each a `p.notice` with the id
/// `notice-{code}`.
pub fn render(lang: Language, told: &Told, ticket: &Ticket) -> Markup {
    html! {
        @for notice in &told.0 {
            @if let Some(text) = text(lang, notice, ticket) {
                p class="notice" id={ "notice-" (notice.code()) } { (text) }
            }
        }
    }
}

/// What `notice` says in `lang`, when `ticket` bears it out.
fn text(lang: Language, notice: &Notice, ticket: &Ticket) -> Option<String> {
    match notice {
        Notice::PriorityAdjusted {
            asked,
            applied,
            reason,
        } if *applied == ticket.priority && asked != applied => {
            let said = t_args(
                lang,
                "notice_priority",
                &[
                    ("asked", arg(priority_word(lang, *asked))),
                    ("applied", arg(priority_word(lang, *applied))),
                ],
            );
            let why = match reason {
                PriorityReason::AboveCap { cap } => t_args(
                    lang,
                    "reason_above_cap",
                    &[("cap", arg(priority_word(lang, *cap)))],
                ),
                PriorityReason::DeskRule {
                    customer_kind: Some(CustomerKind::Organisation),
                } => t(lang, "reason_rule_organisation").to_owned(),
                PriorityReason::DeskRule {
                    customer_kind: Some(CustomerKind::Individual),
                } => t(lang, "reason_rule_individual").to_owned(),
                _ => t(lang, "reason_rule").to_owned(),
            };
            Some(format!("{said} {why}"))
        }
        _ => None,
    }
}
