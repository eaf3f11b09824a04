//! The concurrent write workloads (`--concurrency N`): N tasks creating tickets at once
//! against the baseline's one-transaction-per-ticket creation, N tasks replying to distinct
//! tickets at once, and 8 and 32 repliers on one ticket without an expected version (every
//! reply must succeed, once).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use helpdesk::Helpdesk;
use helpdesk::domain::{Actor, MessageBody, TicketId};
use helpdesk::machine::Command;
use serde_json::{Value, json};

use crate::base::Res;
use crate::{World, lib_create, lib_reply, text};

/// Runs `n` tickets' `op` on `tasks` tasks at once, each task taking the next index; the time
/// taken. `op(k)` gets index `k` in `0..n`.
async fn together<F, Fut>(tasks: usize, n: usize, op: F) -> Res<Duration>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Res<()>> + Send + 'static,
{
    let op = Arc::new(op);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..tasks {
        let (op, next) = (op.clone(), next.clone());
        set.spawn(async move {
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= n {
                    return Ok::<_, crate::base::BoxError>(());
                }
                op(k).await?;
            }
        });
    }
    while let Some(done) = set.join_next().await {
        done??;
    }
    Ok(started.elapsed())
}

/// The concurrent rows. `next` is the next ticket index (advanced past the tickets created
/// here); `base_create_per_sec` the baseline's one-transaction-per-ticket creation rate of
/// this run. Returns the rows and how many tickets were created.
pub async fn rows(
    desk: &Helpdesk,
    world: Arc<World>,
    next: &mut usize,
    tasks: usize,
    sample: usize,
    base_create_per_sec: f64,
) -> Res<(Vec<Value>, usize)> {
    let mut rows = Vec::new();

    // Creation by `tasks` tasks at once.
    let first = *next;
    let ids = Arc::new(std::sync::Mutex::new(Vec::new()));
    let secs = {
        let (desk, world, ids) = (desk.clone(), world.clone(), ids.clone());
        together(tasks, sample, move |k| {
            let (desk, world, ids) = (desk.clone(), world.clone(), ids.clone());
            async move {
                let id = lib_create(&desk, &world, first + k).await?;
                ids.lock().expect("not poisoned").push((first + k, id));
                Ok(())
            }
        })
        .await?
    };
    *next += sample;
    let per_sec = sample as f64 / secs.as_secs_f64();
    eprintln!("concurrent creation, {tasks} tasks: {per_sec:.0}/s");
    rows.push(json!({
        "workload": format!("create_ticket_concurrent_{tasks}"),
        "kind": "concurrent",
        "tasks": tasks,
        "ops": sample,
        "library_ops_per_sec": per_sec,
        "baseline_ops_per_sec": base_create_per_sec,
        "baseline": "one transaction per ticket, one connection, same run (create_ticket row)",
        "throughput_ratio": per_sec / base_create_per_sec,
    }));

    // Replies by `tasks` tasks at once, each on its own ticket.
    let created: Vec<(usize, TicketId)> = ids.lock().expect("not poisoned").clone();
    let created = Arc::new(created);
    let secs = {
        let (desk, world, created) = (desk.clone(), world.clone(), created.clone());
        together(tasks, created.len(), move |k| {
            let (desk, world, created) = (desk.clone(), world.clone(), created.clone());
            async move {
                let (i, id) = created[k];
                lib_reply(&desk, &world, i, id, 1).await
            }
        })
        .await?
    };
    let per_sec = created.len() as f64 / secs.as_secs_f64();
    eprintln!("concurrent replies, {tasks} tasks: {per_sec:.0}/s");
    rows.push(json!({
        "workload": format!("reply_concurrent_{tasks}"),
        "kind": "concurrent",
        "tasks": tasks,
        "ops": created.len(),
        "library_ops_per_sec": per_sec,
    }));

    // Repliers on one ticket, without an expected version.
    for repliers in [8usize, 32] {
        let per_replier = 256 / repliers;
        let ticket = lib_create(desk, &world, *next).await?;
        *next += 1;
        let errors = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for r in 0..repliers {
            let (desk, agent, errors) = (desk.clone(), world.agent, errors.clone());
            set.spawn(async move {
                let acting = desk.acting_as(Actor::Agent(agent)).await?;
                for k in 0..per_replier {
                    let body = text(MessageBody::parse(format!("replier {r} reply {k}")));
                    if let Err(e) = acting.execute(ticket, Command::reply(body)).await {
                        eprintln!("replier {r}: {e}");
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Ok::<_, crate::base::BoxError>(())
            });
        }
        while let Some(done) = set.join_next().await {
            done??;
        }
        let secs = started.elapsed().as_secs_f64();
        let sent = repliers * per_replier;
        let failed = errors.load(Ordering::Relaxed);
        // Each reply's first line, counted: every one sent and accepted must be there once.
        let mut seen: HashMap<String, usize> = HashMap::new();
        for m in desk.store().messages(ticket, true).await?.iter().skip(1) {
            let line = m
                .body
                .as_str()
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned();
            *seen.entry(line).or_default() += 1;
        }
        let duplicated = seen.values().filter(|&&c| c > 1).count();
        let lost = (sent - failed).saturating_sub(seen.len());
        eprintln!(
            "{repliers} repliers on one ticket: {} of {sent} succeeded, {lost} lost, \
             {duplicated} duplicated, {:.0} replies/s",
            sent - failed,
            (sent - failed) as f64 / secs
        );
        rows.push(json!({
            "workload": format!("same_ticket_repliers_{repliers}"),
            "kind": "concurrent",
            "tasks": repliers,
            "ops": sent,
            "succeeded": sent - failed,
            "failed": failed,
            "lost": lost,
            "duplicated": duplicated,
            "library_ops_per_sec": (sent - failed) as f64 / secs,
        }));
    }
    Ok((rows, sample + 2))
}

/// One concurrent row of the printed table.
pub fn print_row(r: &Value) {
    let name = r["workload"].as_str().unwrap_or("?");
    let f = |k: &str| r[k].as_f64().unwrap_or(f64::NAN);
    if r["succeeded"].is_null() && r["baseline_ops_per_sec"].is_null() {
        // Measured on the library alone: no baseline to compare with.
        println!("{name:<24} {:>12.0}/s", f("library_ops_per_sec"));
    } else if r["succeeded"].is_null() {
        println!(
            "{name:<24} {:>12.0}/s {:>12.0}/s   (throughput {:.2}x)",
            f("library_ops_per_sec"),
            f("baseline_ops_per_sec"),
            f("throughput_ratio")
        );
    } else {
        println!(
            "{name:<24} {:>12.0}/s   {}/{} succeeded, {} lost, {} duplicated",
            f("library_ops_per_sec"),
            r["succeeded"],
            r["ops"],
            r["lost"],
            r["duplicated"]
        );
    }
}
