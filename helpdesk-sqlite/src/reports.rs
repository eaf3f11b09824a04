//! Reports (migration 0009): [`ReportStore`] for [`SqliteStore`], with aggregate queries.
//!
//! A report is a few `GROUP BY` queries, each a range search on its own index, run in one
//! read transaction (one snapshot): tickets created in the range (opened, service levels,
//! reopens), open at its end (the backlog: not closed, or closed after it), closed, first
//! answered, resolved and rated in the range, and billable time logged in the range.
//! Percentiles are nearest-rank, with window functions. The rows are grouped by the stored key
//! (an id BLOB, NULL or a ticket type), then keyed and sorted in Rust: a report has few rows.
//! The columns the queries read are written with every ticket (`TicketRow`, migration 0009).

use std::collections::BTreeMap;

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{
    Percentiles, Report, ReportGroup, ReportQuery, ReportRow, SlaOutcome, SlaTarget,
};
use helpdesk_core::error::{Error, OutOfRange};
use helpdesk_core::store::ReportStore;
use rusqlite::types::{ToSql, Value};
use rusqlite::{Connection, Row};

use crate::connection::SqliteStore;
use crate::error::{Failure, Outcome};
use crate::rows::{blob, literal, micros};

/// The column a report's rows are grouped by.
fn key_column(group: ReportGroup) -> &'static str {
    match group {
        ReportGroup::Department => "t.department",
        ReportGroup::Agent => "t.assignee",
        ReportGroup::Customer => "t.customer",
        ReportGroup::Type => "t.ticket_type",
    }
}

/// The SQL of one report, for one grouping and `departments` department filters (`None`
/// for all departments). Parameters: `?1` the start, `?2` the end (microseconds), then the
/// departments.
pub(crate) struct ReportSql {
    /// Per key: opened, reopened, then met and breached per target in [`SlaTarget::ALL`]
    /// order.
    pub(crate) created: String,
    /// Per key: the backlog.
    pub(crate) backlog: String,
    /// Per key: closed.
    pub(crate) closed: String,
    /// Per key: the count, median and 90th percentile of the first response times.
    pub(crate) first_response: String,
    /// Per key: the same for resolution times.
    pub(crate) resolution: String,
    /// Per key: the count and sum of the ratings.
    pub(crate) satisfaction: String,
    /// Per key: billable minutes.
    pub(crate) billable: String,
}

impl ReportSql {
    pub(crate) fn new(group: ReportGroup, departments: Option<usize>) -> Self {
        let key = key_column(group);
        // The unary `+` keeps the planner on the range index of each query (a department's
        // index would read all of its history).
        let filter = match departments {
            None => String::new(),
            Some(n) => {
                let marks: Vec<String> = (0..n).map(|i| format!("?{}", i + 3)).collect();
                format!(" AND +t.department IN ({})", marks.join(", "))
            }
        };
        let sla = |column: &str| {
            let (met, breached) = (literal(SlaOutcome::Met), literal(SlaOutcome::Breached));
            format!("sum(t.{column} = {met}), sum(t.{column} = {breached})")
        };
        // Opened, reopened and the service levels: tickets created in the range.
        let created = format!(
            "SELECT {key} AS k,
                    count(*),
                    sum(t.reopens > 0),
                    {}, {}, {}
             FROM tickets t
             WHERE t.created_at >= ?1 AND t.created_at < ?2{filter}
             GROUP BY k",
            sla("sla_first_response"),
            sla("sla_next_response"),
            sla("sla_resolution"),
        );
        // The backlog: tickets created before the end and open then, that is not closed or
        // closed after it. Two searches of `tickets_by_closed` (open tickets are few), whatever
        // the start.
        let backlog = format!(
            "SELECT k, count(*)
             FROM (
                 SELECT {key} AS k FROM tickets t
                 WHERE t.closed_at IS NULL AND t.created_at < ?2{filter}
                 UNION ALL
                 SELECT {key} AS k FROM tickets t
                 WHERE t.closed_at >= ?2 AND t.created_at < ?2{filter}
             )
             GROUP BY k"
        );
        let closed = format!(
            "SELECT {key} AS k, count(*)
             FROM tickets t
             WHERE t.closed_at >= ?1 AND t.closed_at < ?2{filter}
             GROUP BY k"
        );
        let percentiles = |at: &str, secs: &str| {
            format!(
                "WITH v AS (
                     SELECT {key} AS k, t.{secs} AS s
                     FROM tickets t
                     WHERE t.{at} >= ?1 AND t.{at} < ?2 AND t.{secs} IS NOT NULL{filter}
                 ),
                 ranked AS (
                     SELECT k, s,
                            row_number() OVER w AS rank,
                            count(*) OVER (
                                w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                            ) AS n
                     FROM v
                     WINDOW w AS (PARTITION BY k ORDER BY s)
                 )
                 SELECT k, max(n),
                        max(CASE WHEN rank = (n * 5 + 9) / 10 THEN s END),
                        max(CASE WHEN rank = (n * 9 + 9) / 10 THEN s END)
                 FROM ranked
                 GROUP BY k"
            )
        };
        let satisfaction = format!(
            "SELECT {key} AS k, count(*), sum(t.satisfaction_score)
             FROM tickets t
             WHERE t.satisfaction_at >= ?1 AND t.satisfaction_at < ?2{filter}
             GROUP BY k"
        );
        let billable = format!(
            "SELECT {key} AS k, sum(e.minutes)
             FROM time_entries e JOIN tickets t ON t.id = e.ticket_id
             WHERE e.created_at >= ?1 AND e.created_at < ?2 AND e.billable{filter}
             GROUP BY k"
        );
        Self {
            created,
            backlog,
            closed,
            first_response: percentiles("first_response_at", "first_response_secs"),
            resolution: percentiles("resolved_at", "resolution_secs"),
            satisfaction,
            billable,
        }
    }
}

/// A row's key as reported: an id's hyphenated form, a ticket type's name, or `none`.
fn read_key(row: &Row<'_>) -> Outcome<String> {
    let corrupt = |value: String| -> Failure {
        let value = OutOfRange {
            what: "report key",
            value,
        };
        Error::corrupt("tickets", "report key", value).into()
    };
    match row.get::<_, Value>(0)? {
        Value::Null => Ok("none".to_owned()),
        Value::Blob(b) => uuid::Uuid::from_slice(&b)
            .map(|u| u.to_string())
            .map_err(|_| corrupt(format!("{b:?}"))),
        Value::Text(t) => Ok(t),
        other => Err(corrupt(format!("{other:?}"))),
    }
}

/// A count or sum column (NULL, from `sum` over no rows, is 0).
fn count(row: &Row<'_>, i: usize) -> Outcome<u64> {
    let n: Option<i64> = row.get(i)?;
    let n = n.unwrap_or(0);
    u64::try_from(n).map_err(|e| Error::corrupt("tickets", "report count", e).into())
}

/// Runs `sql` and folds each of its rows into the report row of its key.
fn fold(
    conn: &Connection,
    sql: &str,
    params: &[&dyn ToSql],
    rows: &mut BTreeMap<String, ReportRow>,
    mut apply: impl FnMut(&Row<'_>, &mut ReportRow) -> Outcome<()>,
) -> Outcome<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut result = stmt.query(params)?;
    while let Some(row) = result.next()? {
        let key = read_key(row)?;
        let entry = rows
            .entry(key.clone())
            .or_insert_with(|| ReportRow::empty(key));
        apply(row, entry)?;
    }
    Ok(())
}

fn percentiles(row: &Row<'_>) -> Outcome<Percentiles> {
    Ok(Percentiles {
        count: count(row, 1)?,
        median_secs: row.get(2)?,
        p90_secs: row.get(3)?,
    })
}

/// The report `query` asks for, in one read transaction.
fn report(conn: &mut Connection, query: &ReportQuery) -> Outcome<Report> {
    let empty = Report {
        query: query.clone(),
        rows: Vec::new(),
        tags: Vec::new(),
    };
    if query.departments.as_ref().is_some_and(Vec::is_empty) {
        // Of no department: no ticket counts.
        return Ok(empty);
    }
    let sql = ReportSql::new(query.group, query.departments.as_ref().map(Vec::len));
    let (from, to) = (micros(query.from), micros(query.to));
    let departments: Vec<[u8; 16]> = query
        .departments
        .iter()
        .flatten()
        .map(|d| blob(d.as_uuid()))
        .collect();
    let mut params: Vec<&dyn ToSql> = vec![&from, &to];
    params.extend(departments.iter().map(|d| d as &dyn ToSql));

    let tx = conn.transaction()?;
    let mut rows: BTreeMap<String, ReportRow> = BTreeMap::new();
    fold(&tx, &sql.created, &params, &mut rows, |row, r| {
        r.opened = count(row, 1)?;
        r.reopened = count(row, 2)?;
        // A report row has a share per target; the columns are in `SlaTarget::ALL` order.
        for share in &mut r.sla {
            if let Some(i) = SlaTarget::ALL.iter().position(|t| *t == share.target) {
                share.met = count(row, 3 + 2 * i)?;
                share.breached = count(row, 4 + 2 * i)?;
            }
        }
        Ok(())
    })?;
    fold(&tx, &sql.backlog, &params, &mut rows, |row, r| {
        r.backlog = count(row, 1)?;
        Ok(())
    })?;
    fold(&tx, &sql.closed, &params, &mut rows, |row, r| {
        r.closed = count(row, 1)?;
        Ok(())
    })?;
    fold(&tx, &sql.first_response, &params, &mut rows, |row, r| {
        r.first_response = percentiles(row)?;
        Ok(())
    })?;
    fold(&tx, &sql.resolution, &params, &mut rows, |row, r| {
        r.resolution = percentiles(row)?;
        Ok(())
    })?;
    fold(&tx, &sql.satisfaction, &params, &mut rows, |row, r| {
        r.satisfaction_count = count(row, 1)?;
        r.satisfaction_sum = count(row, 2)?;
        Ok(())
    })?;
    fold(&tx, &sql.billable, &params, &mut rows, |row, r| {
        r.billable_minutes = count(row, 1)?;
        Ok(())
    })?;
    tx.finish()?;
    Ok(Report {
        rows: rows.into_values().filter(|r| !r.is_empty()).collect(),
        ..empty
    })
}

#[async_trait]
impl ReportStore for SqliteStore {
    async fn report(&self, query: &ReportQuery) -> Result<Report> {
        let query = query.clone();
        self.read(move |conn| report(conn, &query)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every query of every report searches its range on its index (never a scan of a whole
    /// table, nor a department's whole history), with or without a department filter; the
    /// billable time looks its tickets up by primary key; percentiles sort each range once.
    #[test]
    fn every_report_query_searches_its_range_on_an_index() {
        for group in ReportGroup::ALL {
            for departments in [None, Some(1), Some(3)] {
                let sql = ReportSql::new(group, departments);
                let expected: [(&str, &[&str]); 7] = [
                    (
                        &sql.created,
                        &[
                            "SEARCH t USING INDEX tickets_by_created (created_at>? AND created_at<?)",
                        ],
                    ),
                    (
                        &sql.backlog,
                        &[
                            "SEARCH t USING INDEX tickets_by_closed (closed_at=? AND created_at<?)",
                            "SEARCH t USING INDEX tickets_by_closed (closed_at>?)",
                        ],
                    ),
                    (
                        &sql.closed,
                        &["SEARCH t USING INDEX tickets_by_closed (closed_at>? AND closed_at<?)"],
                    ),
                    (
                        &sql.first_response,
                        &["SEARCH t USING INDEX tickets_by_first_response \
                           (first_response_at>? AND first_response_at<?)"],
                    ),
                    (
                        &sql.resolution,
                        &["SEARCH t USING INDEX tickets_by_resolved \
                           (resolved_at>? AND resolved_at<?)"],
                    ),
                    (
                        &sql.satisfaction,
                        &["SEARCH t USING INDEX tickets_by_satisfaction \
                           (satisfaction_at>? AND satisfaction_at<?)"],
                    ),
                    (
                        &sql.billable,
                        &[
                            "SEARCH e USING INDEX time_entries_by_created \
                             (created_at>? AND created_at<?)",
                            "SEARCH t USING INDEX sqlite_autoindex_tickets_1 (id=?)",
                        ],
                    ),
                ];
                for (query, steps) in expected {
                    let plan = crate::schema::plan(query);
                    let lines: Vec<&str> = plan.lines().map(str::trim).collect();
                    for step in steps {
                        assert!(lines.contains(step), "{group:?} {departments:?}\n{plan}");
                    }
                    assert!(
                        !lines
                            .iter()
                            .any(|l| l.starts_with("SCAN t") || l.starts_with("SCAN e")),
                        "a table is scanned: {group:?} {departments:?}\n{plan}"
                    );
                    let sorts = lines.iter().filter(|l| l.contains("FOR ORDER BY")).count();
                    assert!(sorts <= 1, "{plan}");
                }
            }
        }
    }
}
