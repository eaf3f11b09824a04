//! Reports against the reference computation on many varied tickets (every grouping, range
//! edge and department filter), and tickets written before migration 0009 counted after it
//! (its backfill of the derived columns).

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use helpdesk_core::domain::{
    AgentId, CustomerId, DepartmentId, Rating, ReportGroup, ReportQuery, Satisfaction, SlaOutcome,
    SlaTarget, Ticket, TicketMetrics, TicketType, TimeEntry, Timers,
};
use helpdesk_core::store::{ReportStore, Store, TicketWrite, WriteBatch, reference_report};
use helpdesk_postgres::{MIGRATOR, PostgresStore, testing};

fn day(d: i64) -> DateTime<Utc> {
    "2026-03-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::days(d)
}

/// A deterministic spread of values (a small linear congruential generator).
struct Spread(u64);

impl Spread {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Tickets over March 2026 in three departments, some of every kind: open, closed in and
/// after any range, answered, resolved, rated, reopened, with met, breached and running
/// clocks (and some without clocks), assigned or not, with and without a customer, durations
/// repeated (ties in the percentiles) and beyond `i32`.
fn varied_tickets(
    departments: &[DepartmentId],
    agents: &[AgentId],
    customers: &[CustomerId],
    n: u64,
) -> Vec<Ticket> {
    let mut s = Spread(7);
    let types = [
        TicketType::Question,
        TicketType::Incident,
        TicketType::Consultation,
    ];
    (0..n)
        .map(|i| {
            let created = day(s.next(31) as i64) + Duration::seconds(s.next(86_400) as i64);
            let mut t = ticket(
                number(i + 1),
                departments[s.next(departments.len() as u64) as usize],
                customers[s.next(customers.len() as u64) as usize],
            );
            t.created_at = created;
            t.updated_at = created;
            t.customer = (s.next(5) != 0).then_some(t.customer).flatten();
            t.assignee = (s.next(3) != 0).then(|| agents[s.next(agents.len() as u64) as usize]);
            t.ticket_type = types[s.next(3) as usize].clone();
            let later =
                |s: &mut Spread| created + Duration::seconds(1 + s.next(20 * 86_400) as i64);
            if s.next(4) != 0 {
                t.first_response_at = Some(later(&mut s));
                t.metrics.first_response_secs = Some(60 * (1 + s.next(30) as i64));
            }
            if s.next(3) != 0 {
                t.resolved_at = Some(later(&mut s));
                t.metrics.resolution_secs = Some(if s.next(10) == 0 {
                    i64::from(i32::MAX) + s.next(1000) as i64
                } else {
                    600 * (1 + s.next(50) as i64)
                });
                if s.next(2) == 0 {
                    t.closed_at = Some(later(&mut s));
                }
            }
            if s.next(3) == 0 {
                t.satisfaction = Some(Satisfaction {
                    score: Rating::new(1 + s.next(5) as u8).unwrap(),
                    comment: None,
                    at: later(&mut s),
                });
            }
            t.metrics.reopens = [0, 0, 0, 1, 2][s.next(5) as usize];
            if s.next(5) != 0 {
                let mut timers = full_timers(created);
                for clock in &mut timers.clocks {
                    clock.outcome = [None, Some(SlaOutcome::Met), Some(SlaOutcome::Breached)]
                        [s.next(3) as usize];
                }
                t.next_due_at = timers.next_due_at();
                t.timers = timers;
            }
            t
        })
        .collect()
}

fn varied_entries(tickets: &[Ticket], agents: &[AgentId]) -> Vec<TimeEntry> {
    let mut s = Spread(11);
    let mut entries = Vec::new();
    for t in tickets {
        for _ in 0..s.next(3) {
            let mut e = time_entry(
                t,
                agents[s.next(agents.len() as u64) as usize],
                1 + s.next(90) as u32,
                s.next(3) != 0,
            );
            e.created_at = t.created_at + Duration::seconds(s.next(10 * 86_400) as i64);
            entries.push(e);
        }
    }
    entries
}

/// The queries checked: every grouping, over ranges of every width (some with
/// sub-microsecond edges, one before everything, one after), for all departments, one,
/// two, and none.
fn queries(departments: &[DepartmentId]) -> Vec<ReportQuery> {
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
    ];
    let filters = [
        None,
        Some(vec![departments[0]]),
        Some(departments[..2].to_vec()),
        Some(vec![]),
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

async fn assert_reports_match(store: &PostgresStore, tickets: &[Ticket], entries: &[TimeEntry]) {
    let departments: Vec<DepartmentId> = {
        let mut ds: Vec<_> = tickets.iter().map(|t| t.department).collect();
        ds.sort();
        ds.dedup();
        ds
    };
    for query in queries(&departments) {
        let got = store.report(&query).await.unwrap();
        let want = reference_report(tickets, entries, &query);
        assert_eq!(got, want, "{query:?}");
    }
}

#[tokio::test]
async fn reports_match_the_reference_over_varied_tickets() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let departments = [
        DepartmentId::new(),
        DepartmentId::new(),
        DepartmentId::new(),
    ];
    let agents = [
        AgentId::new(),
        AgentId::new(),
        AgentId::new(),
        AgentId::new(),
    ];
    let customers: Vec<CustomerId> = (0..6).map(|_| CustomerId::new()).collect();
    let tickets = varied_tickets(&departments, &agents, &customers, 400);
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
    for t in &tickets {
        assert_eq!(store.ticket(t.id).await.unwrap().as_ref(), Some(t));
    }
    assert_reports_match(&store, &tickets, &entries).await;

    // Updates rewrite the derived columns: outcomes change, ratings and clocks come and go.
    let mut updated = Vec::new();
    let mut writes = Vec::new();
    for (i, t) in tickets.iter().enumerate() {
        if i % 3 != 0 {
            updated.push(t.clone());
            continue;
        }
        let next = changed(t, t.updated_at + Duration::seconds(1), |n| {
            if n.timers.clocks.is_empty() {
                n.timers = full_timers(n.created_at);
            } else if i % 2 == 0 {
                n.timers = Timers::default();
            } else {
                for clock in &mut n.timers.clocks {
                    clock.outcome = Some(SlaOutcome::Breached);
                }
            }
            n.next_due_at = n.timers.next_due_at();
            n.satisfaction = match n.satisfaction.take() {
                Some(_) => None,
                None => Some(Satisfaction {
                    score: Rating::new(5).unwrap(),
                    comment: None,
                    at: day(15),
                }),
            };
            n.metrics = TicketMetrics {
                first_response_secs: Some(7),
                resolution_secs: None,
                reopens: n.metrics.reopens + 1,
            };
            n.first_response_at = Some(day(15));
        });
        writes.push(TicketWrite::update(t.version, next.clone()));
        updated.push(next);
    }
    store.commit(WriteBatch::of(writes)).await.unwrap();
    assert_reports_match(&store, &updated, &entries).await;
    testing::discard(store).await.unwrap();
}

/// Writes `t` as schema version 8 has tickets (no metrics, no derived columns).
async fn insert_v8(store: &PostgresStore, t: &Ticket) {
    sqlx::query(
        "INSERT INTO tickets (id, number_full, number_short, subject, customer, department, \
         assignee, status, priority, ticket_type, service, custom_fields, channel, internal, \
         master, merged_into, follow_up_of, opened_by, created_at, updated_at, \
         first_response_at, resolved_at, closed_at, waiting_since, timers, next_due_at, \
         version, satisfaction, priority_request) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, $16, \
         $17, $18::jsonb, $19, $20, $21, $22, $23, $24, $25::jsonb, $26, $27, $28::jsonb, \
         $29::jsonb)",
    )
    .bind(t.id.as_uuid())
    .bind(t.number.full())
    .bind(t.number.short())
    .bind(t.subject.as_str())
    .bind(t.customer.map(|c| c.as_uuid()))
    .bind(t.department.as_uuid())
    .bind(t.assignee.map(|a| a.as_uuid()))
    .bind(t.status.as_str())
    .bind(t.priority.rank())
    .bind(t.ticket_type.as_str())
    .bind(t.service.as_ref().map(|s| s.as_str()))
    .bind(serde_json::to_string(&t.custom_fields).unwrap())
    .bind(t.channel.as_str())
    .bind(t.internal)
    .bind(t.master.map(|m| m.as_uuid()))
    .bind(t.merged_into.map(|m| m.as_uuid()))
    .bind(t.follow_up_of.map(|m| m.as_uuid()))
    .bind(serde_json::to_string(&t.opened_by).unwrap())
    .bind(t.created_at)
    .bind(t.updated_at)
    .bind(t.first_response_at)
    .bind(t.resolved_at)
    .bind(t.closed_at)
    .bind(t.waiting_since)
    .bind(serde_json::to_string(&t.timers).unwrap())
    .bind(t.next_due_at)
    .bind(t.version.get() as i64)
    .bind(
        t.satisfaction
            .as_ref()
            .map(|s| serde_json::to_string(s).unwrap()),
    )
    .bind(
        t.priority_request
            .as_ref()
            .map(|r| serde_json::to_string(r).unwrap()),
    )
    .execute(store.pool())
    .await
    .unwrap();
}

/// Tickets written under schema version 8 read back after migration 0009 without metrics
/// (the domain's defaults), and count in reports by their stored clocks' outcomes and
/// ratings, which the migration derives; later writes keep them up to date.
#[tokio::test]
async fn tickets_from_schema_version_8_count_in_reports_after_the_migration() {
    let Some(url) = testing::database_url() else {
        return;
    };
    let store = testing::unmigrated_store_at(&url).await.unwrap();
    MIGRATOR.run_to(8, store.pool()).await.unwrap();
    let departments = [DepartmentId::new(), DepartmentId::new()];
    let agents = [AgentId::new(), AgentId::new()];
    let customers = [CustomerId::new(), CustomerId::new(), CustomerId::new()];
    let mut tickets = varied_tickets(&departments, &agents, &customers, 60);
    for t in &mut tickets {
        t.metrics = TicketMetrics::default();
        insert_v8(&store, t).await;
    }
    // Clocks in the order `full_timers` gives them, one of every outcome per target
    // somewhere among the tickets.
    let outcomes: Vec<_> = tickets
        .iter()
        .flat_map(|t| &t.timers.clocks)
        .filter(|c| c.target == SlaTarget::Resolution)
        .map(|c| c.outcome)
        .collect();
    assert!(outcomes.contains(&Some(SlaOutcome::Met)) && outcomes.contains(&None));

    store.migrate().await.unwrap();
    for t in &tickets {
        assert_eq!(store.ticket(t.id).await.unwrap().as_ref(), Some(t));
    }
    assert_reports_match(&store, &tickets, &[]).await;

    let first = &tickets[0];
    let next = changed(first, first.updated_at + Duration::seconds(1), |n| {
        n.timers = Timers::default();
        n.next_due_at = None;
        n.satisfaction = None;
        n.metrics.reopens = 4;
    });
    store
        .commit(WriteBatch::one(TicketWrite::update(
            first.version,
            next.clone(),
        )))
        .await
        .unwrap();
    tickets[0] = next;
    assert_reports_match(&store, &tickets, &[]).await;
    testing::discard(store).await.unwrap();
}
