//! Reports ([`ReportStore`](crate::store::ReportStore)) against the reference computation
//! ([`reference_report`]) on varied tickets written directly: every metric, clock outcome,
//! rating and time entry varied, for every grouping over ranges of every width and every
//! department filter, before and after updates.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::super::rng::Rng;
use crate::domain::{
    AgentId, CustomerId, DepartmentId, Minutes, Rating, ReportGroup, ReportQuery, Satisfaction,
    ShortNote, SlaOutcome, Ticket, TicketMetrics, TicketType, TimeEntry, TimeEntryId, Timers,
};
use crate::store::{ReportStore, Store, TicketWrite, WriteBatch, reference_report};
use crate::testkit::ability;
use crate::testkit::samples::{full_timers, number, ticket};

fn day(d: i64) -> DateTime<Utc> {
    "2026-03-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::days(d)
}

/// Tickets over March 2026 in three departments, some of every kind: open, closed in and
/// after any range, answered with and without a measurement, resolved, rated, reopened,
/// with met, breached and running clocks (and some without clocks), assigned or not, with
/// and without a customer, durations repeated (ties in the percentiles) and beyond `i32`.
pub fn varied_tickets(departments: &[DepartmentId], agents: &[AgentId], n: u64) -> Vec<Ticket> {
    let mut rng = Rng::new(7);
    let customers: Vec<CustomerId> = (0..5).map(|_| CustomerId::new()).collect();
    let types = [
        TicketType::Question,
        TicketType::Incident,
        TicketType::Consultation,
        TicketType::custom("zz-custom").unwrap(),
    ];
    let outcomes = [None, Some(SlaOutcome::Met), Some(SlaOutcome::Breached)];
    (0..n)
        .map(|i| {
            let created = day(rng.below(31) as i64)
                + Duration::microseconds((rng.below(86_400_000) * 1_000 + rng.below(1_000)) as i64);
            let mut t = ticket(number(i + 1), rng.pick(departments), rng.pick(&customers));
            t.created_at = created;
            t.updated_at = created;
            if rng.chance(20) {
                t.customer = None;
            }
            t.assignee = rng.chance(70).then(|| rng.pick(agents));
            t.ticket_type = rng.pick(&types);
            let later =
                |rng: &mut Rng| created + Duration::seconds(1 + rng.below(20 * 86_400) as i64);
            if rng.chance(75) {
                t.first_response_at = Some(later(&mut rng));
                // A few answered tickets have no measurement (written before it existed).
                if rng.chance(90) {
                    t.metrics.first_response_secs = Some(60 * (1 + rng.below(30) as i64));
                }
            }
            if rng.chance(60) {
                t.resolved_at = Some(later(&mut rng));
                t.metrics.resolution_secs = Some(if rng.chance(10) {
                    i64::from(i32::MAX) + rng.below(1_000) as i64
                } else {
                    600 * (1 + rng.below(50) as i64)
                });
                if rng.chance(50) {
                    t.closed_at = Some(later(&mut rng));
                }
            }
            if rng.chance(30) {
                t.satisfaction = Some(Satisfaction {
                    score: Rating::new(1 + rng.below(5) as u8).unwrap(),
                    comment: None,
                    at: later(&mut rng),
                });
            }
            t.metrics.reopens = rng.pick(&[0, 0, 0, 1, 2, 3]);
            if rng.chance(80) {
                let mut timers = full_timers(created);
                for clock in &mut timers.clocks {
                    clock.outcome = rng.pick(&outcomes);
                }
                timers.clocks.retain(|_| rng.chance(80));
                t.next_due_at = timers.next_due_at();
                t.timers = timers;
            }
            t
        })
        .collect()
}

/// Up to two time entries on each of `tickets`, by `agents`, billable or not.
pub fn varied_entries(tickets: &[Ticket], agents: &[AgentId]) -> Vec<TimeEntry> {
    let mut rng = Rng::new(11);
    let mut entries = Vec::new();
    for t in tickets {
        for _ in 0..rng.below(3) {
            entries.push(TimeEntry {
                id: TimeEntryId::new(),
                ticket_id: t.id,
                agent: rng.pick(agents),
                minutes: Minutes::new(1 + rng.below(120) as u32).unwrap(),
                billable: rng.chance(60),
                note: ShortNote::parse("").unwrap(),
                note_visible_to_customer: rng.chance(50),
                created_at: t.created_at + Duration::seconds(rng.below(10 * 86_400) as i64),
            });
        }
    }
    entries
}

/// Every grouping, over ranges of every width (some with sub-microsecond edges, one before
/// everything, one after, one a microsecond wide), for all departments, one, two, all,
/// none, and an unknown one.
fn queries(departments: &[DepartmentId], first: DateTime<Utc>) -> Vec<ReportQuery> {
    let ranges = [
        (day(-400), day(400)),
        (day(3), day(10)),
        (day(10), day(11)),
        (
            day(12) + Duration::nanoseconds(1),
            day(20) + Duration::nanoseconds(999),
        ),
        (day(-30), day(-1)),
        (day(60), day(90)),
        (first, first + Duration::microseconds(1)),
    ];
    let filters = [
        None,
        Some(vec![departments[0]]),
        Some(departments[1..].iter().rev().copied().collect()),
        Some(departments.to_vec()),
        Some(vec![]),
        Some(vec![DepartmentId::new()]),
    ];
    let mut queries = Vec::new();
    for (from, to) in ranges {
        for group in ReportGroup::ALL {
            for departments in filters.clone() {
                queries.push(ReportQuery {
                    from,
                    to,
                    group,
                    departments,
                });
            }
        }
    }
    queries
}

/// Every grouping over ranges of every width and every department filter of `departments`
/// (see `queries`): the report equals the reference's. How many rows they had.
pub async fn assert_reports_match(
    store: &dyn ReportStore,
    tickets: &[Ticket],
    entries: &[TimeEntry],
    departments: &[DepartmentId],
) -> usize {
    let mut rows = 0;
    for query in queries(departments, tickets[0].created_at) {
        let got = store.report(&query).await.unwrap();
        let want = reference_report(tickets, entries, &query);
        assert_eq!(got, want, "{query:?}");
        rows += got.rows.len();
    }
    rows
}

pub async fn reports_agree_with_the_reference_over_varied_tickets(store: Arc<dyn Store>) {
    let Some(reports) = ability(store.as_report_store(), "reports") else {
        return;
    };
    let departments: Vec<DepartmentId> = (0..3).map(|_| DepartmentId::new()).collect();
    let agents: Vec<AgentId> = (0..4).map(|_| AgentId::new()).collect();
    let tickets = varied_tickets(&departments, &agents, 300);
    let entries = varied_entries(&tickets, &agents);
    let writes: Vec<TicketWrite> = tickets
        .iter()
        .map(|t| {
            let mut w = TicketWrite::create(t.clone());
            w.time_entries = entries
                .iter()
                .filter(|e| e.ticket_id == t.id)
                .cloned()
                .collect();
            w
        })
        .collect();
    store.commit(WriteBatch::of(writes)).await.unwrap();
    let rows = assert_reports_match(reports, &tickets, &entries, &departments).await;
    assert!(rows > 300, "the data exercises the reports: {rows} rows");

    // Updates rewrite what reports count: outcomes change, ratings and clocks come and go,
    // metrics move to their extremes.
    let mut updated = Vec::new();
    let mut writes = Vec::new();
    for (i, t) in tickets.iter().enumerate() {
        if i % 3 != 0 {
            updated.push(t.clone());
            continue;
        }
        let mut next = Ticket {
            version: t.version.next(),
            updated_at: t.updated_at + Duration::seconds(1),
            ..t.clone()
        };
        if next.timers.clocks.is_empty() {
            next.timers = full_timers(next.created_at);
        } else if i % 2 == 0 {
            next.timers = Timers::default();
        } else {
            for clock in &mut next.timers.clocks {
                clock.outcome = Some(SlaOutcome::Breached);
            }
        }
        next.next_due_at = next.timers.next_due_at();
        next.satisfaction = match next.satisfaction.take() {
            Some(_) => None,
            None => Some(Satisfaction {
                score: Rating::new(5).unwrap(),
                comment: None,
                at: day(15),
            }),
        };
        next.metrics = if i % 9 == 0 {
            TicketMetrics {
                first_response_secs: Some(7),
                resolution_secs: Some(i64::MAX),
                reopens: u32::MAX,
            }
        } else {
            TicketMetrics {
                first_response_secs: Some(7),
                resolution_secs: None,
                reopens: next.metrics.reopens + 1,
            }
        };
        next.first_response_at = Some(day(15));
        next.closed_at = None;
        writes.push(TicketWrite::update(t.version, next.clone()));
        updated.push(next);
    }
    store.commit(WriteBatch::of(writes)).await.unwrap();
    assert_reports_match(reports, &updated, &entries, &departments).await;
}
