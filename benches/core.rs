//! Hot paths in memory: the state machine, ticket-number parsing, text folding, query
//! parsing and business-time math. `cargo bench --bench core`.
//!
//! Figures are reported by criterion per run; compare them as ratios between functions of
//! the same run, not as absolute times (shared machines drift).

use std::hint::black_box;

use chrono::Duration;
use criterion::{Criterion, criterion_group, criterion_main};
use helpdesk::domain::{Actor, MessageBody, TicketNumber, standard_permissions};
use helpdesk::machine::{Command, Context, decide};
use helpdesk::policy::{Calendar, DefaultPriorityPolicy, ServiceLevels, WorkingRange, weekdays};
use helpdesk::search::{SearchQuery, fold};
use helpdesk_core::testkit::samples;

fn state_machine(c: &mut Criterion) {
    let department = samples::department("Support");
    let customer = samples::customer("Ana", Some("ana@example.ro"));
    let mut agent = samples::agent("Ivan", "ivan@desk.test", &[department.id]);
    agent
        .departments
        .insert(department.id, standard_permissions());
    let ticket = samples::ticket(samples::number(1), department.id, customer.id);
    let levels = ServiceLevels::default();
    let policy = DefaultPriorityPolicy;
    let ctx = Context {
        actor: Actor::Agent(agent.id),
        agent: Some(&agent),
        department: &department,
        customer: Some(&customer),
        related_ticket: None,
        target_department: None,
        new_assignee: None,
        priority_policy: &policy,
        levels: &levels,
        channel: Default::default(),
        now: samples::at(60),
    };
    let body = MessageBody::parse("Please restart the router and tell us what the lights do.")
        .expect("a body");
    c.bench_function("decide: an agent's first reply", |b| {
        b.iter(|| {
            decide(
                black_box(&ticket),
                Command::Reply {
                    body: body.clone(),
                    attachments: vec![],
                },
                &ctx,
            )
        })
    });
}

fn parsing(c: &mut Criterion) {
    c.bench_function("ticket number: normalise Persian digits", |b| {
        b.iter(|| TicketNumber::normalize(black_box(" #۲۰۲۶۰۱۰۵۱۰۰۰۰۱۳۵ ")))
    });
    c.bench_function("fold: mixed-script text", |b| {
        b.iter(|| {
            fold(black_box(
                "Нет ИНТЕРНЕТА — Înțelegeți? اینترنت قطع است، لطفاً كمك",
            ))
        })
    });
    c.bench_function("search query: parse", |b| {
        b.iter(|| SearchQuery::parse(black_box(r#"router "нет интернета" прост* -billing"#)))
    });
}

fn calendar(c: &mut Criterion) {
    let office = Calendar::weekly(
        chrono_tz::Europe::Moscow,
        weekdays(vec![
            WorkingRange::parse("09:00", "18:00").expect("a range"),
        ]),
    )
    .expect("a calendar")
    .with_yearly_holiday(1, 1)
    .expect("a holiday");
    let start = samples::at(0);
    c.bench_function("calendar: add 16 business hours", |b| {
        b.iter(|| office.add(black_box(start), Duration::hours(16)))
    });
    c.bench_function("calendar: business time over 30 days", |b| {
        b.iter(|| office.between(black_box(start), start + Duration::days(30)))
    });
}

criterion_group!(benches, state_machine, parsing, calendar);
criterion_main!(benches);
