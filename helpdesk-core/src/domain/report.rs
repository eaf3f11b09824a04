//! Reports over a date range (issue 11): tickets opened, closed and in backlog; median and
//! 90th-percentile first-response and resolution times in business time; service-level
//! targets met and breached; the reopen rate; the satisfaction average; billable time.
//! Stores compute them with aggregate queries ([`ReportStore`](crate::store::ReportStore)).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::stable_text::stable_text;
use super::{DepartmentId, SlaTarget};

/// What a report's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportGroup {
    /// One row per department.
    Department,
    /// One row per assignee (and one for unassigned tickets).
    Agent,
    /// One row per customer (and one for tickets without one).
    Customer,
    /// One row per ticket type.
    Type,
}

stable_text!(ReportGroup, "group" {
    Department => "department",
    Agent => "agent",
    Customer => "customer",
    Type => "type",
});

/// What to report on: `[from, to)`, grouped by `group`, over some departments (all when
/// `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    /// Inclusive start.
    pub from: DateTime<Utc>,
    /// Exclusive end.
    pub to: DateTime<Utc>,
    /// The rows.
    pub group: ReportGroup,
    /// Only tickets of these departments.
    pub departments: Option<Vec<DepartmentId>>,
}

/// The nearest-rank median and 90th percentile of some durations, in seconds: the values at
/// ranks ⌈n/2⌉ and ⌈0.9·n⌉ of the n values in ascending order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Percentiles {
    /// How many values.
    pub count: u64,
    /// The median, when there are values.
    pub median_secs: Option<i64>,
    /// The 90th percentile, when there are values.
    pub p90_secs: Option<i64>,
}

impl Percentiles {
    /// The percentiles of `values` (in any order).
    ///
    /// ```
    /// use helpdesk_core::domain::Percentiles;
    /// let p = Percentiles::of(vec![50, 10, 40, 20, 30]);
    /// assert_eq!((p.count, p.median_secs, p.p90_secs), (5, Some(30), Some(50)));
    /// assert_eq!(Percentiles::of(vec![]), Percentiles::default());
    /// ```
    pub fn of(mut values: Vec<i64>) -> Self {
        values.sort_unstable();
        let n = values.len();
        let rank = |tenths: usize| values.get((n * tenths).div_ceil(10).max(1) - 1).copied();
        Self {
            count: n as u64,
            median_secs: rank(5),
            p90_secs: rank(9),
        }
    }
}

/// How one service-level target went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaShare {
    /// The target.
    pub target: SlaTarget,
    /// Tickets that met it.
    pub met: u64,
    /// Tickets that breached it.
    pub breached: u64,
}

impl SlaShare {
    /// The share met, from 0 to 1, when any ticket had the target.
    pub fn met_share(&self) -> Option<f64> {
        let all = self.met + self.breached;
        (all > 0).then(|| self.met as f64 / all as f64)
    }
}

/// One row of a report. Which tickets count where:
/// - `opened`: created in the range; `closed`: closed in the range; `backlog`: created
///   before the end and not closed before it;
/// - `first_response`: tickets first answered in the range; `resolution`: tickets resolved in
///   the range (business time on the department's calendar);
/// - `sla`: tickets created in the range, by the outcome of each target;
/// - `reopened`: tickets created in the range that were reopened at least once;
/// - `satisfaction_*`: ratings given in the range;
/// - `billable_minutes`: billable time logged in the range on the row's tickets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    /// The row's key: a department, agent or customer id, a ticket type's name, or `none`.
    pub key: String,
    /// Tickets opened.
    pub opened: u64,
    /// Tickets closed.
    pub closed: u64,
    /// Tickets open at the end of the range.
    pub backlog: u64,
    /// Time to the first response.
    pub first_response: Percentiles,
    /// Time to resolution.
    pub resolution: Percentiles,
    /// Service-level outcomes, one entry per target, in [`SlaTarget::ALL`] order.
    pub sla: Vec<SlaShare>,
    /// Tickets opened in the range and reopened at least once.
    pub reopened: u64,
    /// Ratings given.
    pub satisfaction_count: u64,
    /// The sum of the scores given (the average is the sum over the count).
    pub satisfaction_sum: u64,
    /// Billable minutes logged.
    pub billable_minutes: u64,
}

impl ReportRow {
    /// An empty row for `key`.
    pub fn empty(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            opened: 0,
            closed: 0,
            backlog: 0,
            first_response: Percentiles::default(),
            resolution: Percentiles::default(),
            sla: SlaTarget::ALL
                .into_iter()
                .map(|target| SlaShare {
                    target,
                    met: 0,
                    breached: 0,
                })
                .collect(),
            reopened: 0,
            satisfaction_count: 0,
            satisfaction_sum: 0,
            billable_minutes: 0,
        }
    }

    /// The share of opened tickets reopened, from 0 to 1.
    pub fn reopen_rate(&self) -> Option<f64> {
        (self.opened > 0).then(|| self.reopened as f64 / self.opened as f64)
    }

    /// The average satisfaction score.
    pub fn satisfaction_average(&self) -> Option<f64> {
        (self.satisfaction_count > 0)
            .then(|| self.satisfaction_sum as f64 / self.satisfaction_count as f64)
    }

    /// Billable hours.
    pub fn billable_hours(&self) -> f64 {
        self.billable_minutes as f64 / 60.0
    }

    /// Whether nothing counted in the row.
    pub fn is_empty(&self) -> bool {
        *self == Self::empty(self.key.clone())
    }
}

/// A report: its query and its rows, sorted by key, rows where nothing counted left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// What was asked.
    pub query: ReportQuery,
    /// The rows.
    pub rows: Vec<ReportRow>,
    /// The tickets opened in the range per tag (in the query's departments), the most
    /// carried first: filled in by the desk where the store counts tags, empty from a
    /// [`ReportStore`](crate::store::ReportStore).
    #[serde(default)]
    pub tags: Vec<super::TagCount>,
}
