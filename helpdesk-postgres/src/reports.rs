//! Reports (columns and indexes of migration 0009): [`ReportStore`] for [`PostgresStore`].
//!
//! A report is two aggregate queries in one read-only snapshot, grouped by the row's key:
//! - over the tickets that count in the range (created, closed, first answered, resolved or
//!   rated in it, or in the backlog at its end), found by OR-ing range scans of an index per
//!   instant (and the GiST index of the open spans for the backlog), each measure a `FILTER`
//!   of its own, the percentiles `percentile_disc` (nearest rank);
//! - over the billable time entries logged in the range (a range scan of their partial
//!   index), joined to their tickets.
//!
//! The rows are merged by key, those where nothing counted left out, and sorted by key in
//! Rust (byte order, as the reference has them).

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use helpdesk_core::clock::ceil_micros;
use helpdesk_core::domain::{
    Percentiles, Report, ReportGroup, ReportQuery, ReportRow, SlaOutcome, SlaTarget,
};
use helpdesk_core::store::ReportStore;
use helpdesk_core::{Error, Result};
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, Row};
use uuid::Uuid;

use crate::connection::PostgresStore;
use crate::error;
use crate::rows::PgQuery;

/// The span of a ticket in which it is in the backlog, `(created_at, closed_at]` (unbounded
/// while open; empty if closed before its creation), exactly as `tickets_backlog_idx` spells
/// it, so that the planner matches `BACKLOG_SPAN @> instant` to the index.
pub(crate) const BACKLOG_SPAN: &str = "tstzrange(t.created_at, \
     CASE WHEN t.closed_at < t.created_at THEN t.created_at ELSE t.closed_at END, '(]')";

/// The SQL of the row key of a ticket `t` for `group`: what
/// [`report_key`](helpdesk_core::store::report_key) gives (a uuid's text form is its
/// `Display`).
fn key_sql(group: ReportGroup) -> &'static str {
    match group {
        ReportGroup::Department => "t.department::text",
        ReportGroup::Agent => "COALESCE(t.assignee::text, 'none')",
        ReportGroup::Customer => "COALESCE(t.customer::text, 'none')",
        ReportGroup::Type => "t.ticket_type",
    }
}

/// The ticket query: `$1` and `$2` the range `[from, to)` (whole microseconds), `$3` and `$4`
/// the text forms of met and breached, `$5` the departments when `filtered`.
pub(crate) fn tickets_sql(group: ReportGroup, filtered: bool) -> String {
    let key = key_sql(group);
    let inside = |column: &str| format!("t.{column} >= $1 AND t.{column} < $2");
    let created = inside("created_at");
    let mut sla = String::new();
    for target in SlaTarget::ALL {
        let column = sla_column(target);
        for (outcome, param) in [("met", "$3"), ("breached", "$4")] {
            sla.push_str(&format!(
                "count(*) FILTER (WHERE {created} AND t.{column} = {param}) \
                 AS {column}_{outcome}, "
            ));
        }
    }
    let percentiles = |name: &str, at: &str, secs: &str| {
        let when = inside(at);
        format!(
            "count(t.{secs}) FILTER (WHERE {when}) AS {name}_count, \
             percentile_disc(0.5) WITHIN GROUP (ORDER BY t.{secs}) FILTER (WHERE {when}) \
             AS {name}_median, \
             percentile_disc(0.9) WITHIN GROUP (ORDER BY t.{secs}) FILTER (WHERE {when}) \
             AS {name}_p90, "
        )
    };
    format!(
        "SELECT {key} AS key, \
         count(*) FILTER (WHERE {created}) AS opened, \
         count(*) FILTER (WHERE {closed}) AS closed, \
         count(*) FILTER (WHERE t.created_at < $2 AND (t.closed_at IS NULL OR t.closed_at >= $2)) \
         AS backlog, \
         {first}{resolution}{sla}\
         count(*) FILTER (WHERE {created} AND t.reopens > 0) AS reopened, \
         count(*) FILTER (WHERE {rated}) AS satisfaction_count, \
         COALESCE(sum(t.satisfaction_score) FILTER (WHERE {rated}), 0) AS satisfaction_sum \
         FROM tickets t \
         WHERE (({created}) OR ({closed}) OR {BACKLOG_SPAN} @> $2 \
         OR ({first_at}) OR ({resolved_at}) OR ({rated})){departments} \
         GROUP BY 1",
        closed = inside("closed_at"),
        first = percentiles("first_response", "first_response_at", "first_response_secs"),
        resolution = percentiles("resolution", "resolved_at", "resolution_secs"),
        rated = inside("satisfaction_at"),
        first_at = inside("first_response_at"),
        resolved_at = inside("resolved_at"),
        departments = if filtered {
            " AND t.department = ANY($5)"
        } else {
            ""
        },
    )
}

/// The billable time query: `$1` and `$2` the range, `$3` the departments when `filtered`.
pub(crate) fn billable_sql(group: ReportGroup, filtered: bool) -> String {
    format!(
        "SELECT {key} AS key, sum(e.minutes) AS minutes \
         FROM time_entries e JOIN tickets t ON t.id = e.ticket_id \
         WHERE e.billable AND e.created_at >= $1 AND e.created_at < $2{departments} \
         GROUP BY 1",
        key = key_sql(group),
        departments = if filtered {
            " AND t.department = ANY($3)"
        } else {
            ""
        },
    )
}

/// The column holding the outcome of `target`'s clock.
fn sla_column(target: SlaTarget) -> &'static str {
    match target {
        SlaTarget::FirstResponse => "sla_first_response",
        SlaTarget::NextResponse => "sla_next_response",
        SlaTarget::Resolution => "sla_resolution",
    }
}

/// The bound parameters of a report's queries.
pub(crate) struct Params {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    departments: Option<Vec<Uuid>>,
}

impl Params {
    pub(crate) fn of(query: &ReportQuery) -> Self {
        Self {
            // Stored instants are whole microseconds: `x >= at` and `x < at` agree with
            // `x >= ceil(at)` and `x < ceil(at)`.
            from: ceil_micros(query.from),
            to: ceil_micros(query.to),
            departments: query
                .departments
                .as_ref()
                .map(|ds| ds.iter().map(|d| d.as_uuid()).collect()),
        }
    }

    /// Binds [`tickets_sql`]'s parameters.
    pub(crate) fn bind_tickets<'q>(&self, query: PgQuery<'q>) -> PgQuery<'q> {
        let query = query
            .bind(self.from)
            .bind(self.to)
            .bind(SlaOutcome::Met.as_str())
            .bind(SlaOutcome::Breached.as_str());
        match &self.departments {
            Some(ids) => query.bind(ids.clone()),
            None => query,
        }
    }

    /// Binds [`billable_sql`]'s parameters.
    pub(crate) fn bind_billable<'q>(&self, query: PgQuery<'q>) -> PgQuery<'q> {
        let query = query.bind(self.from).bind(self.to);
        match &self.departments {
            Some(ids) => query.bind(ids.clone()),
            None => query,
        }
    }
}

/// A count column as a `u64`.
fn count(row: &PgRow, column: &'static str) -> Result<u64> {
    let n: i64 = row.try_get(column).map_err(Error::backend)?;
    u64::try_from(n).map_err(|e| Error::corrupt("tickets", column, e))
}

/// The percentiles named `name` (`<name>_count`, `<name>_median`, `<name>_p90`).
fn percentiles(row: &PgRow, [count_column, median, p90]: [&'static str; 3]) -> Result<Percentiles> {
    Ok(Percentiles {
        count: count(row, count_column)?,
        median_secs: row.try_get(median).map_err(Error::backend)?,
        p90_secs: row.try_get(p90).map_err(Error::backend)?,
    })
}

/// A row of the ticket query.
fn ticket_row(row: &PgRow) -> Result<ReportRow> {
    let mut r = ReportRow::empty(row.try_get::<String, _>("key").map_err(Error::backend)?);
    r.opened = count(row, "opened")?;
    r.closed = count(row, "closed")?;
    r.backlog = count(row, "backlog")?;
    r.first_response = percentiles(
        row,
        [
            "first_response_count",
            "first_response_median",
            "first_response_p90",
        ],
    )?;
    r.resolution = percentiles(
        row,
        ["resolution_count", "resolution_median", "resolution_p90"],
    )?;
    for share in &mut r.sla {
        let (met, breached) = match share.target {
            SlaTarget::FirstResponse => ("sla_first_response_met", "sla_first_response_breached"),
            SlaTarget::NextResponse => ("sla_next_response_met", "sla_next_response_breached"),
            SlaTarget::Resolution => ("sla_resolution_met", "sla_resolution_breached"),
        };
        share.met = count(row, met)?;
        share.breached = count(row, breached)?;
    }
    r.reopened = count(row, "reopened")?;
    r.satisfaction_count = count(row, "satisfaction_count")?;
    r.satisfaction_sum = count(row, "satisfaction_sum")?;
    Ok(r)
}

#[async_trait]
impl ReportStore for PostgresStore {
    async fn report(&self, query: &ReportQuery) -> Result<Report> {
        let mut report = Report {
            query: query.clone(),
            rows: Vec::new(),
            tags: Vec::new(),
        };
        if query.departments.as_ref().is_some_and(Vec::is_empty) {
            return Ok(report);
        }
        let params = Params::of(query);
        let filtered = params.departments.is_some();
        // Both queries see one snapshot.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(error::db)?;
        let tickets_sql = tickets_sql(query.group, filtered);
        let ticket_rows = params
            .bind_tickets(sqlx::query(AssertSqlSafe(tickets_sql)))
            .fetch_all(&mut *tx)
            .await
            .map_err(error::db)?;
        let billable_sql = billable_sql(query.group, filtered);
        let billable_rows = params
            .bind_billable(sqlx::query(AssertSqlSafe(billable_sql)))
            .fetch_all(&mut *tx)
            .await
            .map_err(error::db)?;
        tx.commit().await.map_err(error::db)?;

        let mut rows: BTreeMap<String, ReportRow> = BTreeMap::new();
        for row in &ticket_rows {
            let r = ticket_row(row)?;
            rows.insert(r.key.clone(), r);
        }
        for row in &billable_rows {
            let key: String = row.try_get("key").map_err(Error::backend)?;
            let minutes = count(row, "minutes")?;
            rows.entry(key.clone())
                .or_insert_with(|| ReportRow::empty(key))
                .billable_minutes += minutes;
        }
        report.rows = rows.into_values().filter(|r| !r.is_empty()).collect();
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queries_bind_every_value_and_spell_the_backlog_span_as_its_index() {
        let sql = tickets_sql(ReportGroup::Agent, true);
        assert!(
            sql.starts_with("SELECT COALESCE(t.assignee::text, 'none') AS key"),
            "{sql}"
        );
        assert!(sql.contains(&format!("{BACKLOG_SPAN} @> $2")), "{sql}");
        assert!(sql.contains("t.department = ANY($5)"), "{sql}");
        assert!(!sql.contains("'met'") && !sql.contains("$6"), "{sql}");
        assert!(!tickets_sql(ReportGroup::Type, false).contains("$5"));
        let sql = billable_sql(ReportGroup::Customer, true);
        assert!(sql.contains("e.billable AND e.created_at >= $1 AND e.created_at < $2"));
        assert!(
            sql.ends_with("AND t.department = ANY($3) GROUP BY 1"),
            "{sql}"
        );
    }

    /// The plans of a report on a real server with a year of tickets: the tickets that count
    /// in a week are found by scans of the range indexes (the backlog by its GiST index),
    /// never by reading (or sorting) the whole table, and billable time by a range scan of
    /// its partial index.
    mod plans {
        use chrono::{Duration, TimeDelta};
        use helpdesk_core::domain::{
            AgentId, CustomerId, DepartmentId, Rating, Satisfaction, Ticket, TimeEntry,
        };
        use helpdesk_core::store::{Store, TicketWrite, WriteBatch};
        use helpdesk_core::testkit::samples;

        use super::*;
        use crate::testing;

        fn at(hours: i64) -> DateTime<Utc> {
            "2025-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() + TimeDelta::hours(hours)
        }

        /// One ticket every two hours of 2025 (and a little beyond), nearly all closed a
        /// day or two after opening, answered, resolved, some rated, each with billable
        /// time.
        fn ticket(i: u64, departments: &[DepartmentId], agent: AgentId) -> (Ticket, TimeEntry) {
            let created = at(2 * i as i64);
            let mut t = samples::ticket(
                samples::number(i + 1),
                departments[i as usize % departments.len()],
                CustomerId::new(),
            );
            t.assignee = Some(agent);
            t.created_at = created;
            t.updated_at = created;
            t.first_response_at = Some(created + Duration::minutes(30));
            t.metrics.first_response_secs = Some(1800);
            t.resolved_at = Some(created + Duration::hours(20));
            t.metrics.resolution_secs = Some(20 * 3600 + i as i64);
            if !i.is_multiple_of(97) {
                t.closed_at = Some(created + Duration::hours(24 + (i % 24) as i64));
            }
            if i.is_multiple_of(4) {
                t.satisfaction = Some(Satisfaction {
                    score: Rating::new(1 + (i % 5) as u8).unwrap(),
                    comment: None,
                    at: created + Duration::hours(26),
                });
            }
            let mut e = samples::time_entry(&t, agent, 15, !i.is_multiple_of(3));
            e.created_at = created + Duration::hours(1);
            (t, e)
        }

        #[tokio::test]
        async fn a_report_reads_range_scans_of_its_indexes() {
            let Some(store) = testing::fresh_store().await else {
                return;
            };
            let departments = [DepartmentId::new(), DepartmentId::new()];
            let agent = AgentId::new();
            let made: Vec<(Ticket, TimeEntry)> =
                (0..5000).map(|i| ticket(i, &departments, agent)).collect();
            for chunk in made.chunks(500) {
                let writes = chunk
                    .iter()
                    .map(|(t, e)| {
                        let mut w = TicketWrite::create(t.clone());
                        w.time_entries.push(e.clone());
                        w
                    })
                    .collect();
                store.commit(WriteBatch::of(writes)).await.unwrap();
            }
            for table in ["ANALYZE tickets", "ANALYZE time_entries"] {
                sqlx::query(table).execute(store.pool()).await.unwrap();
            }

            // A week in June, for all departments and for one, by each grouping.
            let week = ReportQuery {
                from: at(24 * 160),
                to: at(24 * 167),
                group: ReportGroup::Department,
                departments: None,
            };
            for (group, departments) in [
                (ReportGroup::Department, None),
                (ReportGroup::Agent, Some(vec![departments[0]])),
                (ReportGroup::Type, None),
            ] {
                let query = ReportQuery {
                    group,
                    departments,
                    ..week.clone()
                };
                let params = Params::of(&query);
                let filtered = params.departments.is_some();
                let query = params.bind_tickets(testing::explain(&tickets_sql(group, filtered)));
                let plan = testing::plan(&store, query).await;
                for index in [
                    "tickets_created_idx",
                    "tickets_closed_idx",
                    "tickets_backlog_idx",
                    "tickets_first_response_idx",
                    "tickets_resolved_idx",
                    "tickets_satisfaction_idx",
                ] {
                    assert!(
                        plan.contains(&format!("Bitmap Index Scan on {index} ")),
                        "{index}\n{plan}"
                    );
                }
                assert!(plan.contains("BitmapOr"), "{plan}");
                assert!(!plan.contains("Seq Scan"), "{plan}");

                let query = params.bind_billable(testing::explain(&billable_sql(group, filtered)));
                let plan = testing::plan(&store, query).await;
                assert!(
                    plan.contains("Index Scan using time_entries_billable_created_idx ")
                        || plan.contains("Bitmap Index Scan on time_entries_billable_created_idx "),
                    "{plan}"
                );
                assert!(!plan.contains("Seq Scan"), "{plan}");
            }

            // And the report itself: the week's tickets, as the reference counts them.
            let report = store.report(&week).await.unwrap();
            let (tickets, entries): (Vec<Ticket>, Vec<TimeEntry>) = made.into_iter().unzip();
            assert_eq!(
                report,
                helpdesk_core::store::reference_report(&tickets, &entries, &week)
            );
            assert_eq!(report.rows.iter().map(|r| r.opened).sum::<u64>(), 84);
            testing::discard(store).await.unwrap();
        }
    }
}
