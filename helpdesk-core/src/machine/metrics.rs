//! Keeping a ticket's [`TicketMetrics`](crate::domain::TicketMetrics) right on every change:
//! business time to the first response and to the resolution, on the department's calendar,
//! and the reopen count.

use chrono::{DateTime, Utc};

use crate::domain::{Status, Ticket};
use crate::policy::ServiceLevels;

fn finished(status: Status) -> bool {
    matches!(status, Status::Resolved | Status::Closed(_))
}

/// Updates `after.metrics` for the change from `before` (none when it is new).
pub(crate) fn record(before: Option<&Ticket>, after: &mut Ticket, levels: &ServiceLevels) {
    let calendar = levels.department_calendar(after.department);
    let business =
        |from: DateTime<Utc>, to: DateTime<Utc>| calendar.between(from, to).num_seconds();
    if let (None, Some(at)) = (after.metrics.first_response_secs, after.first_response_at) {
        after.metrics.first_response_secs = Some(business(after.created_at, at));
    }
    let resolved_before = before.and_then(|b| b.resolved_at);
    if after.resolved_at != resolved_before
        && let Some(at) = after.resolved_at
    {
        after.metrics.resolution_secs = Some(business(after.created_at, at));
    }
    if let Some(b) = before
        && finished(b.status)
        && !finished(after.status)
    {
        after.metrics.reopens += 1;
    }
}
