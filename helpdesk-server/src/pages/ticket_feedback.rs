//! What the customer asked or said, on the agent's ticket page (issue 21, problem 6, the
//! console's part): a priority request awaiting an agent, with approve and decline when the
//! agent may decide it, and the customer's satisfaction rating once given. Staff only.

use helpdesk::domain::{Agent, Language, Ticket};
use helpdesk::machine::{CommandKind, Step, next_status, required_permission};
use maud::{Markup, html};

use super::layout::{csrf_input, t, t_args};
use super::notices::priority_word;
use super::words::{number, text};
use crate::extract::PageUser;

/// Whether `agent` may approve or decline `ticket`'s priority request, by the library's
/// rules (the permission the command needs, a status that allows edits).
pub(crate) fn may_decide(agent: Option<&Agent>, ticket: &Ticket) -> bool {
    agent.is_some_and(|a| {
        a.can(
            required_permission(CommandKind::DecidePriorityRequest),
            ticket.department,
        )
    }) && next_status(ticket.status, Step::Edit).is_some()
        && ticket.priority_request.is_some()
}

/// The pending priority request (with the decision's form when `decide`) and the rating.
/// `refused` is the decision's refusal, shown beside its form.
pub(crate) fn section(
    user: &PageUser,
    ticket: &Ticket,
    decide: bool,
    refused: Option<&Markup>,
) -> Markup {
    let lang: Language = user.language;
    html! {
        @if let Some(request) = &ticket.priority_request {
            section.notice #priority-request {
                p { (t_args(lang, "priority_request_asked", &[("priority", text(priority_word(lang, request.priority)))])) }
                p dir="auto" { bdi { (request.reason) } }
                @if let Some(e) = refused { (e) }
                @if decide {
                    form.inline method="post" action={ "/tickets/" (ticket.id) "/action" } {
                        (csrf_input(user))
                        input type="hidden" name="action" value="decide_priority";
                        button #approve-priority name="approve" value="true" { (t(lang, "priority_request_approve")) }
                        " "
                        button #decline-priority name="approve" value="false" { (t(lang, "priority_request_decline")) }
                    }
                }
            }
        }
        @if let Some(rating) = &ticket.satisfaction {
            section.notice #satisfaction {
                p { (t_args(lang, "satisfaction_rated", &[("score", number(f64::from(rating.score.get())))])) }
                @if let Some(comment) = &rating.comment { p dir="auto" { bdi { (comment) } } }
            }
        }
    }
}
