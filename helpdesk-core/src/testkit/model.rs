//! The proptest model test: random command sequences run against a store and against the
//! in-memory reference store, comparing every observable result.
//!
//! After every step it compares: the step's result (the ticket it returns, or the kind of
//! error), and the whole observable state (every ticket, its thread, history and time
//! entries, as the system sees them). Ids differ between the two stores, so both are
//! compared through names and ticket numbers. It also checks two invariants on the store
//! under test: a refused command changes nothing, and no customer ever reads (or is notified
//! of) an internal note.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use super::{Fixture, body};
use crate::domain::{
    Actor, Minutes, Priority, Resolution, ShortNote, Ticket, TicketId, Visibility,
};
use crate::error::Error;
use crate::machine::Command;
use crate::store::{MemoryStore, PageRequest, Store, TicketFilter, TicketOrder};

/// One random step.
#[derive(Debug, Clone)]
enum Op {
    Open {
        actor: usize,
        customer: usize,
        dept: usize,
        priority: Option<usize>,
        internal: bool,
    },
    Exec {
        actor: usize,
        ticket: usize,
        cmd: Cmd,
        stale: bool,
    },
    ToggleAccess {
        customer: usize,
    },
    List {
        actor: usize,
        status: Option<usize>,
        order: usize,
        size: u32,
    },
    RunDue {
        minutes_ahead: i64,
    },
}

#[derive(Debug, Clone)]
enum Cmd {
    Reply,
    Note,
    Ask,
    Hold,
    Resolve(bool),
    Confirm,
    Close(usize),
    Reopen,
    Priority(usize),
    Assign(Option<usize>),
    Move(usize),
    Merge(usize),
    Link(Option<usize>),
    LogTime(bool),
    Rate(u8),
    AskPriority(usize),
    DecidePriority(bool),
}

fn cmd() -> impl Strategy<Value = Cmd> {
    prop_oneof![
        3 => Just(Cmd::Reply),
        2 => Just(Cmd::Note),
        1 => Just(Cmd::Ask),
        1 => Just(Cmd::Hold),
        1 => any::<bool>().prop_map(Cmd::Resolve),
        1 => Just(Cmd::Confirm),
        1 => (0..5usize).prop_map(Cmd::Close),
        1 => Just(Cmd::Reopen),
        1 => (0..4usize).prop_map(Cmd::Priority),
        1 => proptest::option::of(0..4usize).prop_map(Cmd::Assign),
        1 => (0..3usize).prop_map(Cmd::Move),
        1 => (0..8usize).prop_map(Cmd::Merge),
        1 => proptest::option::of(0..8usize).prop_map(Cmd::Link),
        1 => any::<bool>().prop_map(Cmd::LogTime),
        1 => (1u8..=5).prop_map(Cmd::Rate),
        1 => (0..4usize).prop_map(Cmd::AskPriority),
        1 => any::<bool>().prop_map(Cmd::DecidePriority),
    ]
}

const ACTORS: usize = 8;

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0..ACTORS, 0..3usize, 0..3usize, proptest::option::of(0..4usize), any::<bool>())
            .prop_map(|(actor, customer, dept, priority, internal)| Op::Open { actor, customer, dept, priority, internal }),
        6 => (0..ACTORS, 0..8usize, cmd(), proptest::bool::weighted(0.1))
            .prop_map(|(actor, ticket, cmd, stale)| Op::Exec { actor, ticket, cmd, stale }),
        1 => (0..3usize).prop_map(|customer| Op::ToggleAccess { customer }),
        1 => (0..ACTORS, proptest::option::of(0..10usize), 0..4usize, 1..5u32)
            .prop_map(|(actor, status, order, size)| Op::List { actor, status, order, size }),
        1 => (0i64..(10 * 24 * 60)).prop_map(|minutes_ahead| Op::RunDue { minutes_ahead }),
    ]
}

/// One desk under test, with its tickets in creation order and names for its ids.
struct Side {
    f: Fixture,
    tickets: Vec<TicketId>,
}

impl Side {
    fn actor(&self, i: usize) -> Actor {
        let f = &self.f;
        [
            Actor::Customer(f.ana.id),
            Actor::Customer(f.reza.id),
            Actor::Customer(f.acme.id),
            Actor::Agent(f.ivan.id),
            Actor::Agent(f.maria.id),
            Actor::Agent(f.boss.id),
            Actor::Agent(f.admin.id),
            Actor::System,
        ][i % ACTORS]
    }

    fn names(&self) -> HashMap<uuid::Uuid, String> {
        let f = &self.f;
        let mut names: HashMap<uuid::Uuid, String> = HashMap::new();
        for d in [&f.support, &f.billing, &f.sales] {
            names.insert(d.id.as_uuid(), d.name.to_string());
        }
        for a in [&f.ivan, &f.maria, &f.boss, &f.admin] {
            names.insert(a.id.as_uuid(), a.name.to_string());
        }
        for c in [&f.ana, &f.reza, &f.acme] {
            names.insert(c.id.as_uuid(), c.name.to_string());
        }
        names
    }

    async fn project(&self, t: &Ticket) -> String {
        let names = self.names();
        let name = |u: uuid::Uuid| names.get(&u).cloned().unwrap_or_else(|| "?".into());
        let mut numbers = HashMap::new();
        for id in &self.tickets {
            if let Ok(Some(x)) = self.f.desk.store().ticket(*id).await {
                numbers.insert(*id, x.number.full().to_owned());
            }
        }
        let num = |id: Option<TicketId>| id.map(|i| numbers.get(&i).cloned().unwrap_or_default());
        format!(
            "{} {} {} v{} dept={} asg={:?} cust={:?} int={} master={:?} merged={:?} follow={:?} fr={} type={} cats={:?} at={} waiting={:?} due={:?} timers={:?}",
            t.number.full(),
            t.status,
            t.priority,
            t.version,
            name(t.department.as_uuid()),
            t.assignee.map(|a| name(a.as_uuid())),
            t.customer.map(|c| name(c.as_uuid())),
            t.internal,
            num(t.master),
            num(t.merged_into),
            num(t.follow_up_of),
            t.first_response_at.is_some(),
            t.ticket_type,
            t.categories,
            t.updated_at.timestamp(),
            t.waiting_since.map(|w| w.timestamp()),
            t.next_due_at.map(|d| d.timestamp()),
            t.timers,
        ) + &format!(
            " sat={:?} req={:?}",
            t.satisfaction.as_ref().map(|s| s.score),
            t.priority_request.as_ref().map(|r| r.priority)
        )
    }

    /// Everything observable, as the system sees it.
    async fn state(&self) -> Vec<String> {
        let store = self.f.desk.store();
        let mut out = Vec::new();
        for id in &self.tickets {
            let t = store
                .ticket(*id)
                .await
                .unwrap()
                .expect("a created ticket exists");
            out.push(self.project(&t).await);
            for m in store.messages(*id, true).await.unwrap() {
                out.push(format!(
                    "  msg {:?} {:?} {:?} {}",
                    std::mem::discriminant(&m.author),
                    m.visibility,
                    m.channel,
                    m.body
                ));
            }
            let kinds: Vec<_> = store
                .history(*id)
                .await
                .unwrap()
                .iter()
                .map(|e| e.change.kind())
                .collect();
            out.push(format!("  history {kinds:?}"));
            let minutes: Vec<_> = store
                .time_entries(*id)
                .await
                .unwrap()
                .iter()
                .map(|e| (e.minutes.get(), e.billable))
                .collect();
            out.push(format!("  time {minutes:?}"));
        }
        out
    }

    fn ticket(&self, i: usize) -> Option<TicketId> {
        (!self.tickets.is_empty()).then(|| self.tickets[i % self.tickets.len()])
    }

    fn command(&self, cmd: &Cmd) -> Option<Command> {
        let f = &self.f;
        let agents = [f.ivan.id, f.maria.id, f.boss.id, f.admin.id];
        let depts = [f.support.id, f.billing.id, f.sales.id];
        Some(match cmd {
            Cmd::Reply => Command::Reply {
                body: body("reply"),
                attachments: vec![],
            },
            Cmd::Note => Command::AddNote {
                body: body("secret note"),
                attachments: vec![],
            },
            Cmd::Ask => Command::AskCustomer {
                body: body("question"),
                until: None,
            },
            Cmd::Hold => Command::PutOnHold {
                reason: None,
                until: None,
            },
            Cmd::Resolve(with) => Command::Resolve {
                body: with.then(|| body("solution")),
            },
            Cmd::Confirm => Command::ConfirmResolution,
            Cmd::Close(r) => Command::Close {
                resolution: Resolution::ALL[*r % 5],
            },
            Cmd::Reopen => Command::Reopen,
            Cmd::Priority(p) => Command::ChangePriority {
                priority: Priority::ALL[*p % 4],
            },
            Cmd::Assign(a) => Command::Assign {
                agent: a.map(|a| agents[a % 4]),
            },
            Cmd::Move(d) => Command::MoveToDepartment {
                department: depts[*d % 3],
            },
            Cmd::Merge(t) => Command::MergeInto {
                target: self.ticket(*t)?,
            },
            Cmd::Link(t) => Command::LinkToMaster {
                master: match t {
                    Some(t) => Some(self.ticket(*t)?),
                    None => None,
                },
            },
            Cmd::Rate(score) => Command::RateSatisfaction {
                score: crate::domain::Rating::new(*score).unwrap(),
                comment: None,
            },
            Cmd::AskPriority(p) => Command::RequestPriority {
                priority: Priority::ALL[*p % 4],
                reason: ShortNote::parse("please").unwrap(),
            },
            Cmd::DecidePriority(approve) => Command::DecidePriorityRequest { approve: *approve },
            Cmd::LogTime(billable) => Command::LogTime {
                minutes: Minutes::new(5).unwrap(),
                billable: *billable,
                note: ShortNote::parse("work").unwrap(),
                note_visible_to_customer: false,
            },
        })
    }

    /// Runs one step; returns its observable result.
    async fn step(&mut self, op: &Op) -> Result<String, String> {
        let f = &self.f;
        let customers = [&f.ana, &f.reza, &f.acme];
        let depts = [&f.support, &f.billing, &f.sales];
        let result = match op {
            Op::Open {
                actor,
                customer,
                dept,
                priority,
                internal,
            } => {
                let mut new = f.new_ticket(depts[*dept], "Random ticket");
                new.customer = Some(customers[*customer].id);
                new.priority = priority.map(|p| Priority::ALL[p]);
                new.internal = *internal;
                let opened = match f.desk.acting_as(self.actor(*actor)).await {
                    Ok(me) => me.open_ticket(new).await,
                    Err(e) => Err(e),
                };
                match opened {
                    Ok(t) => {
                        self.tickets.push(t.id);
                        Ok(self.project(&t).await)
                    }
                    Err(e) => Err(e),
                }
            }
            Op::Exec {
                actor,
                ticket,
                cmd,
                stale,
            } => {
                let (Some(id), Some(command)) = (self.ticket(*ticket), self.command(cmd)) else {
                    return Ok("skipped".into());
                };
                let options = crate::service::ExecOptions {
                    expected: stale.then_some(crate::domain::Version::FIRST),
                    ..Default::default()
                };
                let executed = match f.desk.acting_as(self.actor(*actor)).await {
                    Ok(me) => me.execute_with(id, command, options).await,
                    Err(e) => Err(e),
                };
                match executed {
                    Ok(outcome) => {
                        if let crate::service::Outcome::FollowUpOpened { ticket, .. } = &outcome {
                            self.tickets.push(ticket.id);
                        }
                        Ok(self.project(outcome.ticket()).await)
                    }
                    Err(e) => Err(e),
                }
            }
            Op::ToggleAccess { customer } => {
                let c = customers[*customer];
                let now = f
                    .desk
                    .as_system()
                    .customer(c.id)
                    .await
                    .map_err(|e| e.to_string())?;
                f.desk
                    .as_system()
                    .set_customer_access(c.id, !now.access_enabled)
                    .await
                    .map(|c| format!("access {}", c.access_enabled))
            }
            Op::RunDue { minutes_ahead } => {
                let now = crate::clock::Clock::now(f.clock.as_ref());
                let at = now + chrono::Duration::minutes(*minutes_ahead);
                f.clock.set(at);
                f.desk.run_due(at).await.map(|r| format!("{r:?}"))
            }
            Op::List {
                actor,
                status,
                order,
                size,
            } => {
                let filter = TicketFilter {
                    statuses: status.map(|s| vec![crate::domain::Status::ALL[s % 10]]),
                    ..Default::default()
                };
                let order = [
                    TicketOrder::LastUpdate,
                    TicketOrder::Priority,
                    TicketOrder::Waiting,
                    TicketOrder::Relevance,
                ][*order % 4];
                let mut page = PageRequest::first(order, *size);
                let mut numbers = Vec::new();
                let me = f.desk.acting_as(self.actor(*actor)).await;
                loop {
                    let listed = match &me {
                        Ok(me) => me.list_tickets(filter.clone(), page.clone()).await,
                        Err(e) => Err(Error::validation("actor", describe(e))),
                    };
                    match listed {
                        Ok(got) => {
                            numbers.extend(got.items.iter().map(|t| t.number.full().to_owned()));
                            assert!(
                                numbers.len() <= self.tickets.len(),
                                "pagination lists more tickets than exist: {numbers:?}"
                            );
                            // Pages after the first leave out what changed since the
                            // first: how many is compared too.
                            let changed = got.changed.map_or(0, |c| c.tickets.len());
                            match got.next {
                                Some(c) => page = page.after(c).expect("same order"),
                                None => break Ok(format!("{numbers:?}, {changed} changed")),
                            }
                        }
                        Err(e) => break Err(e),
                    }
                }
            }
        };
        f.tick(1);
        result.map_err(|e: Error| describe(&e))
    }

    async fn customers_never_see_internal_notes(&self) {
        for i in 0..3 {
            // A customer without access reads nothing at all.
            let Ok(me) = self.f.desk.acting_as(self.actor(i)).await else {
                continue;
            };
            for id in &self.tickets {
                if let Ok(thread) = me.thread(*id).await {
                    assert!(thread.iter().all(|m| m.visibility == Visibility::Public));
                }
            }
            // Nor hears of one, nor of a ticket they may not read.
            let Ok(notifications) = me.notifications(200).await else {
                continue;
            };
            for n in notifications {
                assert_ne!(n.kind, crate::domain::NotificationKind::NoteAdded);
                assert!(me.ticket(n.ticket_id).await.is_ok());
            }
        }
    }
}

fn describe(e: &Error) -> String {
    match e {
        Error::Forbidden { reason } => format!("forbidden: {reason}"),
        Error::InvalidTransition { from, command } => format!("invalid: {command} from {from}"),
        Error::Validation(v) => format!("validation: {}", v.field()),
        other => other.code().to_owned(),
    }
}

/// Runs `cases` random sequences of up to 40 steps against a store from `make_store` (a
/// fresh, empty one each call) and the in-memory reference, and panics with the shrunk
/// sequence on the first difference.
pub fn run_model_test<F, Fut>(cases: u32, make_store: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = Arc<dyn Store>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&proptest::collection::vec(op(), 1..40), |ops| {
        runtime.block_on(async {
            let mut reference = Side {
                f: Fixture::with_service_levels(Arc::new(MemoryStore::new())).await,
                tickets: Vec::new(),
            };
            let mut subject = Side {
                f: Fixture::with_service_levels(make_store().await).await,
                tickets: Vec::new(),
            };
            for (i, op) in ops.iter().enumerate() {
                let before = subject.state().await;
                let want = reference.step(op).await;
                let got = subject.step(op).await;
                prop_assert_eq!(&got, &want, "step {} {:?}", i, op);
                let state = subject.state().await;
                prop_assert_eq!(
                    &state,
                    &reference.state().await,
                    "state after step {} {:?}",
                    i,
                    op
                );
                if got.is_err() {
                    prop_assert_eq!(
                        &state,
                        &before,
                        "a refused step changed the store: {:?}",
                        op
                    );
                }
                subject.customers_never_see_internal_notes().await;
            }
            Ok(())
        })
    });
    if let Err(e) = result {
        panic!("the store differs from the model: {e}");
    }
}
