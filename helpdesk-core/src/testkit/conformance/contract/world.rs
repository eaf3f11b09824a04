//! Random tickets for the list checks: random ids (so uuid order matters), instants on a
//! coarse grid (so ties are common) with microsecond parts now and then, many tickets nobody
//! waits on, and timers that make some due; and random filters over them.

use chrono::{DateTime, Duration, Utc};

use super::super::rng::Rng;
use crate::domain::{
    AgentId, Category, Channel, CustomerId, DepartmentId, Priority, SlaClock, SlaTarget, Status,
    Tag, Ticket, TicketId, TicketType, Timers,
};
use crate::store::{
    AssigneeFilter, MemoryStore, Store, TicketFilter, TicketWrite, TimeRange, WriteBatch,
};
use crate::testkit::samples::{number, t0, ticket};

/// The departments, people and values the random tickets are made of.
pub(super) struct World {
    pub(super) departments: Vec<DepartmentId>,
    pub(super) agents: Vec<AgentId>,
    pub(super) customers: Vec<CustomerId>,
    pub(super) masters: Vec<TicketId>,
    pub(super) categories: Vec<Category>,
    pub(super) types: Vec<TicketType>,
    /// Tags, some of them one tag spelt two ways.
    pub(super) tags: Vec<Tag>,
}

impl World {
    pub(super) fn new() -> Self {
        Self {
            departments: (0..3).map(|_| DepartmentId::new()).collect(),
            agents: (0..3).map(|_| AgentId::new()).collect(),
            customers: (0..4).map(|_| CustomerId::new()).collect(),
            masters: (0..2).map(|_| TicketId::new()).collect(),
            categories: ["network", "billing", "Сеть", "شبکه"]
                .into_iter()
                .map(|c| Category::parse(c).unwrap())
                .collect(),
            types: vec![
                TicketType::Incident,
                TicketType::Question,
                TicketType::Consultation,
                TicketType::custom("outage").unwrap(),
            ],
            tags: ["VIP", "vip", "Întârziere", "intarziere", "возврат", "روتر"]
                .into_iter()
                .map(|t| Tag::parse(t).unwrap())
                .collect(),
        }
    }

    /// An instant on a grid of fifteen minutes (many ties), sometimes with a microsecond part.
    pub(super) fn instant(&self, rng: &mut Rng) -> DateTime<Utc> {
        let at = t0() + Duration::minutes(rng.below(15) as i64);
        if rng.chance(20) {
            at + Duration::microseconds(rng.below(3) as i64 + 1)
        } else {
            at
        }
    }

    /// Timers due at grid instants a little more than half the time: a reminder, an
    /// auto-close, or a running clock.
    fn timers(&self, rng: &mut Rng) -> Timers {
        let mut timers = Timers {
            pending_until: rng.chance(40).then(|| self.instant(rng)),
            auto_close_at: rng.chance(25).then(|| self.instant(rng)),
            ..Timers::default()
        };
        if rng.chance(30) {
            timers.sla_policy = Some("standard".into());
            timers.clocks = vec![SlaClock {
                target: SlaTarget::NextResponse,
                budget_secs: 600,
                spent_secs: 0,
                running_since: Some(t0()),
                due_at: Some(self.instant(rng)),
                warn_at: None,
                warned: false,
                stopped: false,
                outcome: None,
            }];
        }
        timers
    }

    /// A random ticket numbered `sequence`.
    pub(super) fn ticket(&self, rng: &mut Rng, sequence: u64) -> Ticket {
        let mut t = ticket(
            number(sequence),
            rng.pick(&self.departments),
            rng.pick(&self.customers),
        );
        // Random bytes, not time-ordered v7: the tie-break must be byte order.
        t.id = TicketId::from_uuid(uuid::Uuid::from_u64_pair(rng.next(), rng.next()));
        t.status = rng.pick(&Status::ALL);
        t.priority = rng.pick(&Priority::ALL);
        t.assignee = rng.chance(60).then(|| rng.pick(&self.agents));
        if rng.chance(10) {
            t.customer = None;
        }
        t.ticket_type = rng.pick(&self.types);
        t.categories = self
            .categories
            .iter()
            .filter(|_| rng.chance(35))
            .cloned()
            .collect();
        t.channel = rng.pick(&Channel::ALL);
        t.master = rng.chance(25).then(|| rng.pick(&self.masters));
        t.internal = rng.chance(20);
        t.created_at = self.instant(rng);
        t.updated_at = t.created_at + Duration::minutes(rng.below(10) as i64);
        // Nobody waits on about a third.
        t.waiting_since = rng.chance(65).then(|| self.instant(rng));
        t.timers = self.timers(rng);
        t.next_due_at = t.timers.next_due_at();
        t.tags = self
            .tags
            .iter()
            .filter(|_| rng.chance(30))
            .cloned()
            .collect();
        t
    }

    /// A random range: each bound present half the time, now and then between two
    /// microseconds.
    fn range(&self, rng: &mut Rng) -> TimeRange {
        let mut bound = || {
            rng.chance(50).then(|| {
                let at = self.instant(rng) + Duration::minutes(rng.below(10) as i64);
                if rng.chance(20) {
                    at + Duration::nanoseconds(rng.below(999) as i64 + 1)
                } else {
                    at
                }
            })
        };
        TimeRange {
            from: bound(),
            to: bound(),
        }
    }

    /// A random filter: each condition present with some chance, lists sometimes empty.
    pub(super) fn filter(&self, rng: &mut Rng) -> TicketFilter {
        fn some_of<T: Clone>(rng: &mut Rng, items: &[T]) -> Vec<T> {
            items.iter().filter(|_| rng.chance(40)).cloned().collect()
        }
        TicketFilter {
            statuses: rng.chance(40).then(|| some_of(rng, &Status::ALL)),
            departments: rng.chance(30).then(|| some_of(rng, &self.departments)),
            assignee: rng.chance(25).then(|| {
                if rng.chance(30) {
                    AssigneeFilter::Unassigned
                } else {
                    AssigneeFilter::Agent(rng.pick(&self.agents))
                }
            }),
            customer: rng.chance(20).then(|| rng.pick(&self.customers)),
            customers: rng.chance(15).then(|| some_of(rng, &self.customers)),
            priorities: rng.chance(30).then(|| some_of(rng, &Priority::ALL)),
            ticket_type: rng.chance(20).then(|| rng.pick(&self.types)),
            category: rng.chance(20).then(|| rng.pick(&self.categories)),
            master: rng.chance(15).then(|| rng.pick(&self.masters)),
            internal: rng.chance(20).then(|| rng.chance(50)),
            created: if rng.chance(20) {
                self.range(rng)
            } else {
                TimeRange::default()
            },
            updated: if rng.chance(20) {
                self.range(rng)
            } else {
                TimeRange::default()
            },
            tags: rng.chance(10).then(|| some_of(rng, &self.tags)),
            // Hand-made filters cover it (see `lists::hand_made`); drawing here would change
            // every other random filter.
            due: TimeRange::default(),
        }
    }

    /// `n` tickets written to both stores in batches of 1 to 12, then a third of them
    /// changed (status, priority, assignee, categories, department, waiting and timers, both
    /// ways); each reads back as written.
    pub(super) async fn populate(
        &self,
        store: &dyn Store,
        reference: &MemoryStore,
        rng: &mut Rng,
        n: usize,
    ) -> Vec<Ticket> {
        let mut tickets = Vec::new();
        let mut sequence = 0;
        while tickets.len() < n {
            let batch: Vec<Ticket> = (0..rng.below(12) + 1)
                .map(|_| {
                    sequence += 1;
                    self.ticket(rng, sequence)
                })
                .collect();
            let writes = WriteBatch::of(batch.iter().cloned().map(TicketWrite::create).collect());
            store.commit(writes.clone()).await.unwrap();
            reference.commit(writes).await.unwrap();
            tickets.extend(batch);
        }
        for t in tickets.iter_mut() {
            if !rng.chance(33) {
                continue;
            }
            let other = self.ticket(rng, 0);
            let next = Ticket {
                status: other.status,
                priority: other.priority,
                assignee: other.assignee,
                categories: other.categories,
                tags: other.tags,
                department: other.department,
                waiting_since: other.waiting_since,
                timers: other.timers,
                next_due_at: other.next_due_at,
                updated_at: t.updated_at + Duration::minutes(rng.below(5) as i64),
                version: t.version.next(),
                ..t.clone()
            };
            let write = WriteBatch::one(TicketWrite::update(t.version, next.clone()));
            store.commit(write.clone()).await.unwrap();
            reference.commit(write).await.unwrap();
            *t = next;
        }
        for t in &tickets {
            assert_eq!(store.ticket(t.id).await.unwrap().as_ref(), Some(t));
        }
        tickets
    }
}
