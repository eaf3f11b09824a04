//! Reports of the SQLite store against the reference computation, on tickets written
//! directly (every metric, clock outcome, rating and time entry varied), for many ranges,
//! groupings and department filters; and the metrics' round trip.

use chrono::{DateTime, Duration, Utc};
use helpdesk_core::domain::{
    AgentId, CustomerId, DepartmentId, Minutes, Rating, ReportGroup, ReportQuery, Satisfaction,
    SlaClock, SlaOutcome, SlaTarget, Ticket, TicketMetrics, TicketType, TimeEntry, TimeEntryId,
    Timers,
};
use helpdesk_core::store::{ReportStore, Store, TicketWrite, WriteBatch, reference_report};
use helpdesk_core::testkit::samples::{self, full_ticket, number, ticket};
use helpdesk_sqlite::SqliteStore;

/// A small deterministic generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn t0() -> DateTime<Utc> {
    samples::t0()
}

/// An instant within `days` days after [`t0`], to the microsecond.
fn some_instant(rng: &mut Lcg, after: DateTime<Utc>, days: u64) -> DateTime<Utc> {
    after
        + Duration::microseconds(
            (rng.below(days * 86_400 * 1_000) * 1_000 + rng.below(1000)) as i64,
        )
}

fn clock(target: SlaTarget, outcome: Option<SlaOutcome>) -> SlaClock {
    SlaClock {
        target,
        budget_secs: 3600,
        spent_secs: 0,
        running_since: None,
        due_at: None,
        warn_at: None,
        warned: false,
        stopped: outcome.is_some(),
        outcome,
    }
}

struct World {
    departments: Vec<DepartmentId>,
    tickets: Vec<Ticket>,
    entries: Vec<TimeEntry>,
}

/// `n` tickets over three departments, three agents (and none), three customers (and none)
/// and four types, over 30 days from [`t0`].
fn world(n: u64) -> World {
    let mut rng = Lcg(0x5eed);
    let departments: Vec<DepartmentId> = (0..3).map(|_| DepartmentId::new()).collect();
    let agents: Vec<Option<AgentId>> = vec![
        Some(AgentId::new()),
        Some(AgentId::new()),
        Some(AgentId::new()),
        None,
    ];
    let customers: Vec<Option<CustomerId>> = vec![
        Some(CustomerId::new()),
        Some(CustomerId::new()),
        Some(CustomerId::new()),
        None,
    ];
    let types = [
        TicketType::Incident,
        TicketType::Question,
        TicketType::FeatureRequest,
        TicketType::custom("zz-custom").unwrap(),
    ];
    let outcomes = [None, Some(SlaOutcome::Met), Some(SlaOutcome::Breached)];
    let mut tickets = Vec::new();
    let mut entries = Vec::new();
    for i in 0..n {
        let department = *rng.pick(&departments);
        let mut t = ticket(number(i + 1), department, CustomerId::new());
        t.customer = *rng.pick(&customers);
        t.assignee = *rng.pick(&agents);
        t.ticket_type = rng.pick(&types).clone();
        t.created_at = some_instant(&mut rng, t0(), 30);
        t.updated_at = t.created_at;
        if rng.chance(70) {
            t.first_response_at = Some(some_instant(&mut rng, t.created_at, 3));
            // A few answered tickets have no measurement (written before 0009).
            if rng.chance(90) {
                t.metrics.first_response_secs = Some(rng.below(50) as i64 * 600);
            }
        }
        if rng.chance(50) {
            t.resolved_at = Some(some_instant(&mut rng, t.created_at, 10));
            t.metrics.resolution_secs = Some(if rng.chance(10) {
                i64::from(i32::MAX) + rng.below(1_000_000) as i64
            } else {
                rng.below(40) as i64 * 3600
            });
            if rng.chance(60) {
                t.closed_at = Some(some_instant(&mut rng, t.resolved_at.unwrap(), 5));
            }
        }
        t.metrics.reopens = if rng.chance(20) {
            1 + rng.below(3) as u32
        } else {
            0
        };
        let mut clocks = Vec::new();
        for target in SlaTarget::ALL {
            if rng.chance(70) {
                clocks.push(clock(target, *rng.pick(&outcomes)));
            }
        }
        t.timers = Timers {
            clocks,
            ..Timers::default()
        };
        if rng.chance(30) {
            t.satisfaction = Some(Satisfaction {
                score: Rating::new(1 + rng.below(5) as u8).unwrap(),
                comment: None,
                at: some_instant(&mut rng, t.created_at, 12),
            });
        }
        for _ in 0..rng.below(3) {
            entries.push(TimeEntry {
                id: TimeEntryId::new(),
                ticket_id: t.id,
                agent: AgentId::new(),
                minutes: Minutes::new(1 + rng.below(120) as u32).unwrap(),
                billable: rng.chance(60),
                note: helpdesk_core::domain::ShortNote::parse("").unwrap(),
                created_at: some_instant(&mut rng, t.created_at, 7),
            });
        }
        tickets.push(t);
    }
    World {
        departments,
        tickets,
        entries,
    }
}

async fn store_with(world: &World) -> SqliteStore {
    let store = SqliteStore::open_in_memory().await.unwrap();
    for t in &world.tickets {
        let mut write = TicketWrite::create(t.clone());
        for e in world.entries.iter().filter(|e| e.ticket_id == t.id) {
            write = write.with_time_entry(e.clone());
        }
        store.commit(WriteBatch::one(write)).await.unwrap();
    }
    store
}

#[tokio::test]
async fn reports_equal_the_reference_over_many_ranges_groupings_and_filters() {
    let world = world(240);
    let store = store_with(&world).await;
    let d = &world.departments;
    let day = |n: i64| t0() + Duration::days(n);
    let ranges = [
        (day(-400), day(400)),
        (day(0), day(30)),
        (day(3), day(4)),
        (day(10), day(17)),
        (day(25), day(60)),
        (day(-10), day(0)),
        (day(100), day(101)),
        (
            world.tickets[0].created_at,
            world.tickets[0].created_at + Duration::microseconds(1),
        ),
    ];
    let filters = [
        None,
        Some(vec![d[0]]),
        Some(vec![d[2], d[0]]),
        Some(d.clone()),
        Some(vec![]),
        Some(vec![DepartmentId::new()]),
    ];
    let mut rows = 0;
    for (from, to) in ranges {
        for group in ReportGroup::ALL {
            for departments in filters.clone() {
                let query = ReportQuery {
                    from,
                    to,
                    group,
                    departments,
                };
                let got = store.report(&query).await.unwrap();
                let want = reference_report(&world.tickets, &world.entries, &query);
                assert_eq!(got, want, "{query:?}");
                rows += got.rows.len();
            }
        }
    }
    assert!(rows > 300, "the data exercise the report: {rows} rows");
}

#[tokio::test]
async fn reports_follow_updates_of_metrics_clocks_and_ratings() {
    let mut world = world(40);
    let store = store_with(&world).await;
    for t in world.tickets.iter_mut().step_by(3) {
        let expected = t.version;
        t.version = expected.next();
        t.metrics = TicketMetrics {
            first_response_secs: Some(7),
            resolution_secs: Some(i64::MAX),
            reopens: u32::MAX,
        };
        t.timers.clocks = vec![clock(SlaTarget::Resolution, Some(SlaOutcome::Met))];
        t.satisfaction = None;
        t.closed_at = None;
        store
            .commit(WriteBatch::one(TicketWrite::update(expected, t.clone())))
            .await
            .unwrap();
    }
    for group in ReportGroup::ALL {
        let query = ReportQuery {
            from: t0() - Duration::days(1),
            to: t0() + Duration::days(60),
            group,
            departments: None,
        };
        let got = store.report(&query).await.unwrap();
        assert_eq!(
            got,
            reference_report(&world.tickets, &world.entries, &query)
        );
    }
}

#[tokio::test]
async fn metrics_round_trip_beyond_32_bits() {
    let store = SqliteStore::open_in_memory().await.unwrap();
    let mut t = full_ticket(
        number(1),
        DepartmentId::new(),
        CustomerId::new(),
        AgentId::new(),
    );
    t.metrics = TicketMetrics {
        first_response_secs: Some(i64::MIN),
        resolution_secs: Some(i64::from(i32::MAX) * 3),
        reopens: u32::MAX,
    };
    store
        .commit(WriteBatch::one(TicketWrite::create(t.clone())))
        .await
        .unwrap();
    assert_eq!(store.ticket(t.id).await.unwrap(), Some(t));
}
