//! The benchmark harness: seeds N tickets and measures each workload beside a hand-written
//! SQL baseline on the same database, in the same run. See docs/benchmarks.md.
//!
//! ```sh
//! cargo run --release --example bench -- --backend sqlite --tickets 100000 --out results.json
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run --release --features postgres --example bench -- --backend postgres --tickets 100000
//! ```

mod base;
mod concurrency;
mod fill_check;
mod pg;
mod reads;
mod sqlite;
mod text;

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use clap::Parser;
use helpdesk::Helpdesk;
use helpdesk::domain::{
    Actor, AgentId, CustomerId, CustomerKind, DepartmentId, Email, MessageBody, Name, Resolution,
    Role, Subject, TicketId, standard_permissions,
};
use helpdesk::machine::{Command, NewTicket};
use helpdesk::policy::FollowUpPolicy;
use helpdesk::service::{NewAgent, NewCustomer};
use serde_json::{Value, json};
use uuid::Uuid;

use base::{Baseline, Res, Spec, Template};

#[derive(Parser, Debug, Clone)]
#[command(about = "Seeds N tickets and measures the library against hand-written SQL")]
struct Args {
    /// sqlite or postgres (PostgreSQL at DATABASE_URL; needs --features postgres).
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// Tickets in the database when the reads and run_due are measured.
    #[arg(long, default_value_t = 100_000)]
    tickets: usize,
    /// Tickets each side creates (then replies to twice and transitions) while write
    /// throughput is measured; the rest are filler.
    #[arg(long, default_value_t = 5_000)]
    sample: usize,
    /// How the filler tickets are written: `library` (the full flow through the Helpdesk
    /// API, untimed) or `fast` (the baseline's rows, 1,000 tickets per transaction).
    #[arg(long, default_value = "library")]
    filler: String,
    /// Repetitions of each latency workload (each side).
    #[arg(long, default_value_t = 300)]
    reps: usize,
    /// Due tickets for run_due, comma-separated (a round each); default 1% of --tickets.
    #[arg(long)]
    due: Option<String>,
    /// SQLite only: the database file to create (kept afterwards, e.g. to profile queries);
    /// by default a file in a temporary directory, removed at the end.
    #[arg(long)]
    db: Option<std::path::PathBuf>,
    /// Tasks writing at once in the concurrent write workloads (see concurrency.rs); 0 to
    /// skip them.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// With --db naming a database kept by an earlier run (and its `<db>.reads.json`): skip
    /// seeding and writing, measure the reads again.
    #[arg(long)]
    reuse: bool,
    /// Where to write the JSON results.
    #[arg(long)]
    out: Option<std::path::PathBuf>,
}

fn text<T, E: std::fmt::Debug>(r: Result<T, E>) -> T {
    r.expect("the harness's own text is valid")
}

/// The desk's directory.
#[derive(Clone)]
struct World {
    departments: Vec<DepartmentId>,
    agent: AgentId,
    /// Customers with their language index.
    customers: Vec<(CustomerId, usize)>,
}

/// What the `i`-th ticket is: customer, department, language, transition kind.
fn ticket_plan(world: &World, i: usize) -> (CustomerId, DepartmentId, usize, usize) {
    let lang = i % 4;
    let customers_per_lang = world.customers.len() / 4;
    let (customer, clang) = world.customers[lang + 4 * ((i / 4) % customers_per_lang)];
    debug_assert_eq!(clang, lang);
    let department = world.departments[(i / 4) % world.departments.len()];
    // 0: stays open; 1: resolved; 2: on hold; 3: closed.
    let kind = (i / 64) % 4;
    (customer, department, lang, kind)
}

fn spec(world: &World, i: usize) -> Spec {
    let (customer, department, lang, _) = ticket_plan(world, i);
    let (subject, bodies) = text::ticket_text(i, lang);
    Spec {
        id: Uuid::now_v7(),
        subject,
        bodies,
        customer: customer.as_uuid(),
        department: department.as_uuid(),
    }
}

fn agent_of(world: &World) -> Actor {
    Actor::Agent(world.agent)
}

fn transition(kind: usize) -> Option<Command> {
    match kind {
        1 => Some(Command::Resolve { body: None }),
        2 => Some(Command::PutOnHold {
            reason: None,
            until: None,
        }),
        3 => Some(Command::Close {
            resolution: Resolution::Solved,
        }),
        _ => None,
    }
}

async fn setup(desk: &Helpdesk) -> Res<World> {
    let system = desk.as_system();
    let mut departments = Vec::new();
    for name in ["Support", "Facturare", "Сеть", "فروش"] {
        let d = system
            .create_department(text(Name::parse(name)), FollowUpPolicy::Reopen)
            .await?;
        departments.push(d.id);
    }
    let mut new_agent = NewAgent::new(
        text(Name::parse("Bench Agent")),
        text(Email::parse("agent@bench.example")),
        Role::Agent,
    );
    for d in &departments {
        new_agent = new_agent.in_department(*d, standard_permissions());
    }
    let agent = system.create_agent(new_agent).await?.id;
    let mut customers = Vec::new();
    for c in 0..400 {
        let lang = c % 4;
        let customer = system
            .create_customer(
                NewCustomer::new(
                    CustomerKind::Individual,
                    text(Name::parse(format!("Customer {c}"))),
                )
                .with_email(text(Email::parse(&format!("c{c}@bench.example"))))
                .with_language(text::LANGUAGES[lang]),
            )
            .await?;
        customers.push((customer.id, lang));
    }
    Ok(World {
        departments,
        agent,
        customers,
    })
}

/// Library: opens ticket `i` (as a request would: the customer's principal, then the call);
/// returns its id.
async fn lib_create(desk: &Helpdesk, world: &World, i: usize) -> Res<TicketId> {
    let (customer, department, lang, _) = ticket_plan(world, i);
    let (subject, bodies) = text::ticket_text(i, lang);
    let t = desk
        .acting_as(Actor::Customer(customer))
        .await?
        .open_ticket(NewTicket::new(
            text(Subject::parse(&subject)),
            text(MessageBody::parse(&bodies[0])),
            department,
        ))
        .await?;
    Ok(t.id)
}

/// Library: reply `n` (1: the agent's, 2: the customer's) on ticket `i`.
async fn lib_reply(desk: &Helpdesk, world: &World, i: usize, id: TicketId, n: usize) -> Res<()> {
    let (customer, _, lang, _) = ticket_plan(world, i);
    let (_, bodies) = text::ticket_text(i, lang);
    let actor = if n == 1 {
        Actor::Agent(world.agent)
    } else {
        Actor::Customer(customer)
    };
    // The sender read with the ticket, in the command's one read.
    desk.execute_as(
        actor,
        id,
        Command::reply(text(MessageBody::parse(&bodies[n]))),
    )
    .await?;
    Ok(())
}

async fn lib_transition(desk: &Helpdesk, world: &World, i: usize, id: TicketId) -> Res<()> {
    let (_, _, _, kind) = ticket_plan(world, i);
    if let Some(cmd) = transition(kind) {
        desk.execute_as(Actor::Agent(world.agent), id, cmd).await?;
    }
    Ok(())
}

async fn lib_full(desk: &Helpdesk, world: &World, i: usize) -> Res<TicketId> {
    let id = lib_create(desk, world, i).await?;
    lib_reply(desk, world, i, id, 1).await?;
    lib_reply(desk, world, i, id, 2).await?;
    lib_transition(desk, world, i, id).await?;
    Ok(id)
}

/// The templates the baseline copies, learnt from the library on warm-up tickets.
struct Templates<R> {
    create: Template<R>,
    reply: [Template<R>; 2],
    /// Per transition kind (index 0 unused: no transition).
    transition: Vec<Option<Template<R>>>,
    /// A finished ticket of each kind, for the filler.
    full: Vec<Template<R>>,
    /// The warm-up tickets the templates were learnt on: their index and id, by kind.
    warm: Vec<(usize, Uuid)>,
}

async fn learn<B: Baseline>(
    desk: &Helpdesk,
    world: &World,
    base: &mut B,
    next: &mut usize,
) -> Res<(Templates<B::Row>, Vec<Uuid>)> {
    let mut create = None;
    let mut reply = Vec::new();
    let mut transition = vec![None, None, None, None];
    let mut full = vec![None, None, None, None];
    let mut ids = Vec::new();
    let mut warm = Vec::new();
    // One warm-up ticket of each kind (kinds change every 64 tickets).
    for kind in 0..4 {
        let i = (0..)
            .map(|k| *next + k)
            .find(|&i| ticket_plan(world, i).3 == kind);
        let i = i.expect("every kind recurs");
        *next = i + 1;
        let id = lib_create(desk, world, i).await?;
        let s0 = base.snapshot(id.as_uuid()).await?;
        lib_reply(desk, world, i, id, 1).await?;
        let s1 = base.snapshot(id.as_uuid()).await?;
        lib_reply(desk, world, i, id, 2).await?;
        let s2 = base.snapshot(id.as_uuid()).await?;
        lib_transition(desk, world, i, id).await?;
        let s3 = base.snapshot(id.as_uuid()).await?;
        if kind == 0 {
            create = Some(Template::diff(None, &s0));
            reply = vec![
                Template::diff(Some(&s0), &s1),
                Template::diff(Some(&s1), &s2),
            ];
        } else {
            transition[kind] = Some(Template::diff(Some(&s2), &s3));
        }
        full[kind] = Some(Template::diff(None, &s3));
        ids.push(id.as_uuid());
        warm.push((i, id.as_uuid()));
    }
    let create = create.expect("kind 0 ran");
    let all = reply
        .iter()
        .chain(transition.iter().flatten())
        .chain(std::iter::once(&create));
    for t in all {
        let unknown = t.unknown();
        if !unknown.is_empty() {
            eprintln!("WARNING: the library also wrote to {unknown:?}; the baseline does not");
        }
    }
    eprintln!("rows per creation: ticket + {:?}", create.counts());
    let mut reply = reply.into_iter();
    let reply = [
        reply.next().expect("reply 1"),
        reply.next().expect("reply 2"),
    ];
    eprintln!("rows per reply: ticket + {:?}", reply[0].counts());
    Ok((
        Templates {
            create,
            reply,
            transition,
            full: full
                .into_iter()
                .map(|t| t.expect("every kind ran"))
                .collect(),
            warm,
        },
        ids,
    ))
}

/// A throughput figure: the same number of operations on each side.
fn throughput(name: &str, ops: usize, lib: Duration, base: Duration) -> Value {
    let (l, b) = (lib.as_secs_f64(), base.as_secs_f64());
    json!({
        "workload": name,
        "kind": "throughput",
        "ops": ops,
        "library_ops_per_sec": ops as f64 / l,
        "baseline_ops_per_sec": ops as f64 / b,
        "throughput_ratio": b / l,
        "cost_ratio": l / b,
    })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// A latency figure from per-call times.
fn latency(name: &str, mut lib: Vec<f64>, mut base: Vec<f64>, rows: usize) -> Value {
    lib.sort_by(f64::total_cmp);
    base.sort_by(f64::total_cmp);
    let (lm, lp) = (percentile(&lib, 0.5), percentile(&lib, 0.99));
    let (bm, bp) = (percentile(&base, 0.5), percentile(&base, 0.99));
    json!({
        "workload": name,
        "kind": "latency",
        "reps": lib.len(),
        "rows": rows,
        "library_median_ms": lm,
        "library_p99_ms": lp,
        "baseline_median_ms": bm,
        "baseline_p99_ms": bp,
        "cost_ratio": lm / bm,
        "p99_ratio": lp / bp,
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs every workload against `desk` and `base`; returns the results.
async fn run<B: Baseline + reads::ReadBaseline>(
    args: &Args,
    desk: &Helpdesk,
    base: &mut B,
) -> Res<Value> {
    let started = Instant::now();
    let world = setup(desk).await?;
    let mut next = 0usize;
    let (tpl, mut open_ids) = learn(desk, &world, base, &mut next).await?;
    open_ids.truncate(1); // only the kind-0 warm-up ticket stays open
    let mut results = Vec::new();
    let sample = args.sample.min(args.tickets / 2);
    const BLOCK: usize = 100;

    // Creation: alternating blocks of library and baseline tickets, one transaction each.
    let (mut lib_ids, mut base_ids) = (Vec::new(), Vec::new());
    let (mut lib_t, mut base_t) = (Duration::ZERO, Duration::ZERO);
    while lib_ids.len() < sample {
        let n = BLOCK.min(sample - lib_ids.len());
        let t = Instant::now();
        for _ in 0..n {
            lib_ids.push((next, lib_create(desk, &world, next).await?));
            next += 1;
        }
        lib_t += t.elapsed();
        let specs: Vec<(usize, Spec)> =
            (0..n).map(|k| (next + k, spec(&world, next + k))).collect();
        next += n;
        let t = Instant::now();
        for (i, s) in specs {
            base.create(&tpl.create, &s).await?;
            base_ids.push((i, s.id));
        }
        base_t += t.elapsed();
    }
    eprintln!("created {sample}+{sample} tickets");
    results.push(throughput("create_ticket", sample, lib_t, base_t));

    // Replies: the agent's, then the customer's, on every sampled ticket.
    let (mut lib_t, mut base_t) = (Duration::ZERO, Duration::ZERO);
    for n in 1..=2 {
        for (lb, bb) in lib_ids.chunks(BLOCK).zip(base_ids.chunks(BLOCK)) {
            let t = Instant::now();
            for &(i, id) in lb {
                lib_reply(desk, &world, i, id, n).await?;
            }
            lib_t += t.elapsed();
            let bodies: Vec<(Uuid, [String; 1])> = bb
                .iter()
                .map(|&(i, id)| (id, [text::ticket_text(i, i % 4).1[n].clone()]))
                .collect();
            let t = Instant::now();
            for (id, body) in &bodies {
                base.update(&tpl.reply[n - 1], *id, body).await?;
            }
            base_t += t.elapsed();
        }
    }
    eprintln!("replied");
    results.push(throughput("reply", 2 * sample, lib_t, base_t));

    // Transitions: resolve, put on hold or close, by the ticket's kind.
    let (mut lib_t, mut base_t, mut ops) = (Duration::ZERO, Duration::ZERO, 0);
    for (lb, bb) in lib_ids.chunks(BLOCK).zip(base_ids.chunks(BLOCK)) {
        let t = Instant::now();
        for &(i, id) in lb {
            lib_transition(desk, &world, i, id).await?;
        }
        lib_t += t.elapsed();
        let t = Instant::now();
        for &(i, id) in bb {
            let kind = ticket_plan(&world, i).3;
            if let Some(tt) = &tpl.transition[kind] {
                base.update(tt, id, &[]).await?;
                ops += 1;
            }
        }
        base_t += t.elapsed();
    }
    results.push(throughput("transition", ops, lib_t, base_t));
    for &(i, id) in &lib_ids {
        if ticket_plan(&world, i).3 == 0 {
            open_ids.push(id.as_uuid());
        }
    }
    for &(i, id) in &base_ids {
        if ticket_plan(&world, i).3 == 0 {
            open_ids.push(id);
        }
    }
    let mut sample_ids: Vec<Uuid> = lib_ids.iter().map(|(_, id)| id.as_uuid()).collect();
    sample_ids.extend(base_ids.iter().map(|(_, id)| *id));

    let mut written = 4 + 2 * sample;
    if args.concurrency > 0 {
        let base_rate = results[0]["baseline_ops_per_sec"]
            .as_f64()
            .unwrap_or(f64::NAN);
        let world = std::sync::Arc::new(world.clone());
        let (rows, created) =
            concurrency::rows(desk, world, &mut next, args.concurrency, sample, base_rate).await?;
        results.extend(rows);
        written += created;
    }

    // The fast filler's rows checked against the library's: a copy of each warm-up ticket.
    if args.filler == "fast" {
        written += fill_check::check(desk, base, &world, &tpl, agent_of(&world)).await?;
    }

    // Filler up to --tickets.
    let filler_from = next;
    let fill_t = Instant::now();
    let mut last_report = Instant::now();
    while written < args.tickets {
        let n = 1000.min(args.tickets - written);
        if args.filler == "fast" {
            // One transaction per kind-run of specs (kinds change every 64 tickets).
            let mut k = 0;
            while k < n {
                let kind = ticket_plan(&world, next + k).3;
                let mut specs = Vec::new();
                while k < n && ticket_plan(&world, next + k).3 == kind {
                    specs.push(spec(&world, next + k));
                    k += 1;
                }
                if kind == 0 {
                    open_ids.extend(specs.iter().map(|s| s.id));
                }
                base.fill(&tpl.full[kind], &specs).await?;
            }
        } else {
            for k in 0..n {
                let id = lib_full(desk, &world, next + k).await?;
                if ticket_plan(&world, next + k).3 == 0 {
                    open_ids.push(id.as_uuid());
                }
            }
        }
        next += n;
        written += n;
        if last_report.elapsed() > Duration::from_secs(15) {
            eprintln!(
                "filler: {written}/{} tickets ({:.0}/s)",
                args.tickets,
                (next - filler_from) as f64 / fill_t.elapsed().as_secs_f64()
            );
            last_report = Instant::now();
        }
    }
    let fill_secs = fill_t.elapsed().as_secs_f64();
    eprintln!("seeded {written} tickets; filler took {fill_secs:.1}s");

    // Reads, alternating library and baseline call by call.
    let reps = args.reps;
    let agent = Actor::Agent(world.agent);
    results.extend(
        reads::first_three(desk, base, agent, &world.departments, &sample_ids, reps).await?,
    );
    let long = reads::long_thread(desk, &world).await?;
    results.extend(reads::run(desk, base, agent, &world.departments, long, reps).await?);
    if let Some(db) = &args.db {
        reads::keep(db, &world, &sample_ids, long, args.tickets)?;
    }

    // run_due: arm `d` open tickets for the library and `d` others for the baseline.
    let dues: Vec<usize> = match &args.due {
        Some(list) => list
            .split(',')
            .map(|s| s.trim().parse())
            .collect::<Result<_, _>>()?,
        None => vec![(args.tickets / 100).max(1)],
    };
    let mut pool = open_ids.into_iter();
    for d in dues {
        let lib_set: Vec<Uuid> = pool.by_ref().take(d).collect();
        let base_set: Vec<Uuid> = pool.by_ref().take(d).collect();
        if base_set.len() < d {
            return Err(format!("not enough open tickets to arm {d} due ones").into());
        }
        let (lib_secs, processed, before) = {
            let until = arm(desk, &world, &lib_set).await?;
            let now = until + chrono::Duration::minutes(1);
            let due = base.due_count(now).await?;
            let before = base.snapshot(lib_set[0]).await?;
            let t = Instant::now();
            let report = desk.run_due(now).await?;
            let secs = t.elapsed();
            eprintln!("run_due: {due} due, library processed {report:?}");
            if due != d || report.tickets != d {
                eprintln!("WARNING: armed {d} tickets, {due} were due, {report:?}");
            }
            (secs, report.tickets, before)
        };
        let after = base.snapshot(lib_set[0]).await?;
        let due_tpl = Template::diff(Some(&before), &after);
        let until = arm(desk, &world, &base_set).await?;
        let now = until + chrono::Duration::minutes(1);
        let t = Instant::now();
        let done = base.run_due(&due_tpl, now).await?;
        let base_secs = t.elapsed();
        let mut v = throughput("run_due", processed, lib_secs, base_secs);
        v["workload"] = json!(format!("run_due_{d}_due"));
        v["due"] = json!(d);
        v["library_ms"] = json!(ms(lib_secs));
        v["baseline_ms"] = json!(ms(base_secs));
        v["baseline_processed"] = json!(done);
        results.push(v);
    }

    Ok(json!({
        "backend": args.backend,
        "tickets": args.tickets,
        "sample_per_side": sample,
        "filler": args.filler,
        "filler_secs": fill_secs,
        "total_secs": started.elapsed().as_secs_f64(),
        "peak_rss_kib": vm_hwm_kib(),
        "results": results,
    }))
}

/// Puts `ids` on hold until a minute from now (through the library); returns that instant.
async fn arm(desk: &Helpdesk, world: &World, ids: &[Uuid]) -> Res<DateTime<Utc>> {
    let until = Utc::now() + chrono::Duration::minutes(1);
    let agent = desk.acting_as(Actor::Agent(world.agent)).await?;
    for id in ids {
        agent
            .execute(
                TicketId::from_uuid(*id),
                Command::PutOnHold {
                    reason: None,
                    until: Some(until),
                },
            )
            .await?;
    }
    Ok(until)
}

/// The CPUs and memory of this machine, from /proc.
fn machine() -> Value {
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let mem_kib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .unwrap_or(0);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_default();
    json!({ "cpus": cpus, "cpu_model": model, "memory_mib": mem_kib / 1024 })
}

fn print_table(results: &Value) {
    println!(
        "\n{} backend, {} tickets (sample {} per side, filler: {}), peak RSS {} MiB",
        results["backend"].as_str().unwrap_or("?"),
        results["tickets"],
        results["sample_per_side"],
        results["filler"].as_str().unwrap_or("?"),
        results["peak_rss_kib"].as_u64().unwrap_or(0) / 1024
    );
    println!(
        "{:<24} {:>14} {:>14} {:>10}",
        "workload", "library", "baseline", "lib/base"
    );
    for r in results["results"].as_array().into_iter().flatten() {
        let name = r["workload"].as_str().unwrap_or("?");
        let f = |k: &str| r[k].as_f64().unwrap_or(f64::NAN);
        if r["kind"] == "concurrent" {
            concurrency::print_row(r);
        } else if r["kind"] == "latency" {
            println!(
                "{name:<24} {:>6.2}/{:>6.2}ms {:>6.2}/{:>6.2}ms {:>9.2}x   (median/p99)",
                f("library_median_ms"),
                f("library_p99_ms"),
                f("baseline_median_ms"),
                f("baseline_p99_ms"),
                f("cost_ratio")
            );
        } else {
            println!(
                "{name:<24} {:>12.0}/s {:>12.0}/s {:>9.2}x   (time ratio; throughput {:.2}x)",
                f("library_ops_per_sec"),
                f("baseline_ops_per_sec"),
                f("cost_ratio"),
                f("throughput_ratio")
            );
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Res<()> {
    let args = Args::parse();
    let results = match args.backend.as_str() {
        "sqlite" => {
            let dir = tempfile::tempdir()?;
            let path = args
                .db
                .clone()
                .unwrap_or_else(|| dir.path().join("bench.db"));
            if args.reuse {
                let kept = reads::kept(&path)?;
                let store = helpdesk::connect(&path.display().to_string()).await?;
                let desk = Helpdesk::new(store);
                let mut base = sqlite::SqliteBaseline::open(&path)?;
                let results = reads::rerun(&desk, &mut base, &kept, args.reps).await?;
                let results = json!({
                    "backend": "sqlite",
                    "tickets": kept.tickets(),
                    "reused": path.display().to_string(),
                    "peak_rss_kib": vm_hwm_kib(),
                    "sqlite_version": rusqlite::version(),
                    "results": results,
                    "machine": machine(),
                });
                print_table(&results);
                if let Some(out) = &args.out {
                    std::fs::write(out, serde_json::to_string_pretty(&results)?)?;
                }
                return Ok(());
            }
            if path.exists() {
                return Err(format!("{} exists: --db must name a new file", path.display()).into());
            }
            let store = helpdesk::connect(&path.display().to_string()).await?;
            let desk = Helpdesk::new(store);
            let mut base = sqlite::SqliteBaseline::open(&path)?;
            let mut results = run(&args, &desk, &mut base).await?;
            results["sqlite_version"] = json!(rusqlite::version());
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            eprintln!("database file: {} MiB", size / (1 << 20));
            results["database_mib"] = json!(size >> 20);
            results
        }
        "postgres" => {
            let admin = std::env::var("DATABASE_URL")
                .map_err(|_| "set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres")?;
            let db = format!("helpdesk_bench_{}", Uuid::now_v7().simple());
            let url = pg::create_database(&admin, &db).await?;
            let outcome = async {
                let store = helpdesk::connect(&url).await?;
                let desk = Helpdesk::new(store);
                let mut base = pg::PgBaseline::connect(&url).await?;
                let mut results = run(&args, &desk, &mut base).await;
                if let Ok(r) = &mut results {
                    r["postgres_version"] = json!(base.server_version().await?);
                }
                base.close().await;
                drop(desk);
                results
            }
            .await;
            tokio::time::sleep(Duration::from_millis(500)).await;
            pg::drop_database(&admin, &db).await?;
            outcome?
        }
        other => return Err(format!("unknown backend {other:?}: sqlite or postgres").into()),
    };
    let mut results = results;
    results["machine"] = machine();
    print_table(&results);
    if let Some(out) = &args.out {
        std::fs::write(out, serde_json::to_string_pretty(&results)?)?;
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}
