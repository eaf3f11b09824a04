//! The agent's ticket page, the assignee and the service-level clocks (issue 21, problem 5):
//! who works on the ticket, and each clock the library keeps on it (first response, next
//! response, resolution) with its due time (the first response's time once given), met,
//! breached or overdue, in the reader's language and calendar ([`super::locale`]); then when
//! a pending ticket comes back and when it closes itself. Staff only.

use chrono::{DateTime, Utc};
use helpdesk::domain::{Agent, Language, SlaClock, SlaOutcome, SlaTarget, Ticket};
use maud::{Markup, html};

use super::layout::t;
use super::locale;

/// The state of one clock at `now`, as a word of the catalogue and the class it is shown
/// with.
pub(crate) fn clock_state(clock: &SlaClock, now: DateTime<Utc>) -> (&'static str, &'static str) {
    match clock.outcome {
        Some(SlaOutcome::Met) => ("sla_met", "met"),
        Some(SlaOutcome::Breached) => ("sla_breached", "breached"),
        None if clock.due_at.is_some_and(|due| due <= now) => ("sla_overdue", "breached"),
        None if clock.stopped => ("sla_stopped", "stopped"),
        None if clock.running_since.is_none() => ("sla_paused", "paused"),
        None => ("sla_running", "running"),
    }
}

/// The catalogue's word for what a clock measures.
fn target_word(target: SlaTarget) -> &'static str {
    match target {
        SlaTarget::FirstResponse => "sla_first_response",
        SlaTarget::NextResponse => "sla_next_response",
        SlaTarget::Resolution => "sla_resolution",
    }
}

/// The assignee and the clocks (its `id` is `ticket-clocks`), as of `now`.
pub(crate) fn section(
    lang: Language,
    ticket: &Ticket,
    agents: &[Agent],
    now: DateTime<Utc>,
) -> Markup {
    let assignee = ticket.assignee.map(|id| {
        agents
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.name.to_string())
    });
    let timers = &ticket.timers;
    let at = |when: DateTime<Utc>| locale::instant(lang, super::choice::zone(), when);
    html! {
        section.side-card #ticket-clocks {
            h2 { (t(lang, "assignee")) }
            p #assignee {
                @match assignee {
                    Some(Some(name)) => bdi { (name) },
                    Some(None) => (t(lang, "author_support")),
                    None => span.meta { (t(lang, "unassigned")) },
                }
            }
            h2 { (t(lang, "sla_clocks")) }
            @if timers.clocks.is_empty() {
                p.meta #no-clocks { (t(lang, "sla_none")) }
            } @else {
                @if let Some(policy) = &timers.sla_policy {
                    p.meta { (t(lang, "sla_policy")) " " bdi { (policy) } }
                }
                ul #sla-clocks {
                    @for clock in &timers.clocks {
                        @let (word, class) = clock_state(clock, now);
                        li.sla-clock data-target=(clock.target.as_str()) data-state=(class) {
                            strong { (t(lang, target_word(clock.target))) } " "
                            span class={ "sla-state " (class) } { (t(lang, word)) }
                            @if let Some(due) = clock.due_at {
                                " · " (t(lang, "sla_due_at")) " " (at(due))
                            } @else if let (SlaTarget::FirstResponse, Some(done)) = (clock.target, ticket.first_response_at) {
                                " · " (at(done))
                            }
                        }
                    }
                }
            }
            @if let Some(back) = timers.pending_until {
                p #pending-until { (t(lang, "pending_until")) " " (at(back)) }
            }
            @if let Some(close) = timers.auto_close_at {
                p #auto-close-at { (t(lang, "auto_close_at")) " " (at(close)) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn clock(due_in: i64) -> SlaClock {
        let now = Utc::now();
        SlaClock {
            target: SlaTarget::FirstResponse,
            budget_secs: 3600,
            spent_secs: 0,
            running_since: Some(now),
            due_at: Some(now + TimeDelta::seconds(due_in)),
            warn_at: None,
            warned: false,
            stopped: false,
            outcome: None,
        }
    }

    /// A running clock whose due time has passed is overdue before the desk's timers mark
    /// it breached; a paused one is paused; an outcome wins over both.
    #[test]
    fn a_clock_past_its_due_time_shows_overdue() {
        let now = Utc::now();
        assert_eq!(clock_state(&clock(600), now).0, "sla_running");
        assert_eq!(clock_state(&clock(-60), now).0, "sla_overdue");
        let mut paused = clock(600);
        paused.running_since = None;
        paused.due_at = None;
        assert_eq!(clock_state(&paused, now).0, "sla_paused");
        let mut met = clock(-60);
        met.outcome = Some(SlaOutcome::Met);
        met.stopped = true;
        assert_eq!(clock_state(&met, now).0, "sla_met");
    }
}
