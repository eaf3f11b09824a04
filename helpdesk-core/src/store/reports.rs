//! Reports, computed by the store with aggregate queries ([`ReportStore`]), and the
//! reference computation ([`reference_report`]) every store's result must equal.

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::domain::{
    Percentiles, Report, ReportGroup, ReportQuery, ReportRow, SlaOutcome, SlaTarget, Ticket,
    TimeEntry,
};
use crate::error::Result;

/// An ability a store may offer ([`Store::as_report_store`](super::Store::as_report_store)):
/// reports computed where the data is.
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// The report `query` asks for, equal to [`reference_report`] over every ticket and time
    /// entry of the store, computed without loading them all (aggregate queries).
    async fn report(&self, query: &ReportQuery) -> Result<Report>;
}

/// The key of `ticket`'s row in a report grouped by `group`.
pub fn report_key(ticket: &Ticket, group: ReportGroup) -> String {
    match group {
        ReportGroup::Department => ticket.department.to_string(),
        ReportGroup::Agent => ticket
            .assignee
            .map_or_else(|| "none".to_owned(), |a| a.to_string()),
        ReportGroup::Customer => ticket
            .customer
            .map_or_else(|| "none".to_owned(), |c| c.to_string()),
        ReportGroup::Type => ticket.ticket_type.as_str().to_owned(),
    }
}

/// The report over `tickets` and their `time_entries`, by the definitions of
/// [`ReportRow`]: the reference that stores' aggregate queries agree with.
pub fn reference_report<'a>(
    tickets: impl IntoIterator<Item = &'a Ticket>,
    time_entries: impl IntoIterator<Item = &'a TimeEntry>,
    query: &ReportQuery,
) -> Report {
    let inside = |at: chrono::DateTime<chrono::Utc>| at >= query.from && at < query.to;
    let mut rows: BTreeMap<String, ReportRow> = BTreeMap::new();
    let mut first: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut resolution: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut keys = std::collections::HashMap::new();
    for t in tickets {
        if let Some(ds) = &query.departments
            && !ds.contains(&t.department)
        {
            continue;
        }
        let key = report_key(t, query.group);
        keys.insert(t.id, key.clone());
        let row = rows
            .entry(key.clone())
            .or_insert_with(|| ReportRow::empty(key.clone()));
        let created = inside(t.created_at);
        row.opened += u64::from(created);
        row.closed += u64::from(t.closed_at.is_some_and(inside));
        row.backlog +=
            u64::from(t.created_at < query.to && t.closed_at.is_none_or(|c| c >= query.to));
        if let (Some(at), Some(secs)) = (t.first_response_at, t.metrics.first_response_secs)
            && inside(at)
        {
            first.entry(key.clone()).or_default().push(secs);
        }
        if let (Some(at), Some(secs)) = (t.resolved_at, t.metrics.resolution_secs)
            && inside(at)
        {
            resolution.entry(key.clone()).or_default().push(secs);
        }
        if created {
            for clock in &t.timers.clocks {
                let share = row
                    .sla
                    .iter_mut()
                    .find(|s| s.target == clock.target)
                    .expect("a share per target");
                match clock.outcome {
                    Some(SlaOutcome::Met) => share.met += 1,
                    Some(SlaOutcome::Breached) => share.breached += 1,
                    None => {}
                }
            }
            row.reopened += u64::from(t.metrics.reopens > 0);
        }
        if let Some(s) = &t.satisfaction
            && inside(s.at)
        {
            row.satisfaction_count += 1;
            row.satisfaction_sum += u64::from(s.score.get());
        }
    }
    for e in time_entries {
        if e.billable
            && inside(e.created_at)
            && let Some(key) = keys.get(&e.ticket_id)
            && let Some(row) = rows.get_mut(key)
        {
            row.billable_minutes += u64::from(e.minutes.get());
        }
    }
    for (key, values) in first {
        if let Some(row) = rows.get_mut(&key) {
            row.first_response = Percentiles::of(values);
        }
    }
    for (key, values) in resolution {
        if let Some(row) = rows.get_mut(&key) {
            row.resolution = Percentiles::of(values);
        }
    }
    debug_assert!(SlaTarget::ALL.len() == 3);
    Report {
        query: query.clone(),
        rows: rows.into_values().filter(|r| !r.is_empty()).collect(),
        tags: Vec::new(),
    }
}
