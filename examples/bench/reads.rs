//! The read workloads of issue 17 beside the first three (queue, search, ticket with thread):
//! a rare word, relevance order, and a ticket with a long thread; and reusing a kept SQLite
//! database, so that the reads can be measured again without seeding it again.

use std::path::{Path, PathBuf};
use std::time::Instant;

use helpdesk::Helpdesk;
use helpdesk::domain::{Actor, AgentId, DepartmentId, TicketId};
use helpdesk::store::{PageRequest, TicketFilter, TicketOrder};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::base::{Baseline, Res};
use crate::{World, latency, ms, text};

/// The rare word: in the first message of every [`RARE_EVERY`]-th ticket (100 tickets in a
/// million).
pub const RARE_WORD: &str = "zeolite";
/// One ticket in this many holds [`RARE_WORD`].
pub const RARE_EVERY: usize = 10_000;
/// Messages of the long thread.
pub const LONG_THREAD: usize = 10_000;
/// Messages in a page of a thread.
pub const THREAD_PAGE: u32 = 50;

/// The hand-written side of the reads added here.
#[async_trait::async_trait(?Send)]
pub trait ReadBaseline {
    /// The first page of a department's tickets holding the rare `word`, newest first.
    async fn rare_page(&mut self, department: Uuid, word: &str) -> Res<usize>;
    /// The first page of a department's tickets holding `word`, those whose subject holds it
    /// first, then newest first.
    async fn relevance_page(&mut self, department: Uuid, word: &str) -> Res<usize>;
    /// The newest [`THREAD_PAGE`] + 1 messages of a ticket.
    async fn thread_page(&mut self, id: Uuid) -> Res<usize>;
    /// An agent's row and their departments' rows: what making the principal reads.
    async fn principal(&mut self, agent: Uuid) -> Res<usize>;
}

/// What a kept database holds, written beside it (`<db>.reads.json`).
#[derive(Debug)]
pub struct Kept {
    agent: Uuid,
    departments: Vec<Uuid>,
    sample: Vec<Uuid>,
    long_thread: Uuid,
    tickets: usize,
}

/// The file beside `db` describing it.
pub fn kept_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".reads.json");
    PathBuf::from(p)
}

/// Writes a ticket with [`LONG_THREAD`] messages through the library (replies of the agent
/// and the customer in turn); returns its id.
pub async fn long_thread(desk: &Helpdesk, world: &World) -> Res<TicketId> {
    let t = Instant::now();
    let id = crate::lib_create(desk, world, 0).await?;
    for n in 1..LONG_THREAD {
        crate::lib_reply(desk, world, 0, id, 1 + n % 2).await?;
    }
    eprintln!(
        "long thread: {LONG_THREAD} messages in {:.1}s",
        t.elapsed().as_secs_f64()
    );
    Ok(id)
}

/// Keeps what the reads need beside the database file `db`.
pub fn keep(db: &Path, world: &World, sample: &[Uuid], long: TicketId, tickets: usize) -> Res<()> {
    let kept = json!({
        "agent": world.agent.as_uuid(),
        "departments": world.departments.iter().map(|d| d.as_uuid()).collect::<Vec<_>>(),
        "sample": sample.iter().take(2_000).collect::<Vec<_>>(),
        "long_thread": long.as_uuid(),
        "tickets": tickets,
    });
    std::fs::write(kept_path(db), serde_json::to_string(&kept)?)?;
    Ok(())
}

/// Reads the description of a kept database.
pub fn kept(db: &Path) -> Res<Kept> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(kept_path(db))?)?;
    let uuid = |v: &Value| -> Res<Uuid> { Ok(Uuid::parse_str(v.as_str().ok_or("a uuid")?)?) };
    let uuids =
        |v: &Value| -> Res<Vec<Uuid>> { v.as_array().ok_or("a list")?.iter().map(uuid).collect() };
    Ok(Kept {
        agent: uuid(&v["agent"])?,
        departments: uuids(&v["departments"])?,
        sample: uuids(&v["sample"])?,
        long_thread: uuid(&v["long_thread"])?,
        tickets: v["tickets"].as_u64().ok_or("a count")? as usize,
    })
}

impl Kept {
    /// Tickets in the kept database.
    pub fn tickets(&self) -> usize {
        self.tickets
    }
}

/// The reads measured on a kept database: the three of every run, then [`run`]'s.
pub async fn rerun<B: Baseline + ReadBaseline>(
    desk: &Helpdesk,
    base: &mut B,
    kept: &Kept,
    reps: usize,
) -> Res<Vec<Value>> {
    let agent = Actor::Agent(AgentId::from_uuid(kept.agent));
    let departments: Vec<DepartmentId> = kept
        .departments
        .iter()
        .map(|d| DepartmentId::from_uuid(*d))
        .collect();
    let mut results = first_three(desk, base, agent, &departments, &kept.sample, reps).await?;
    results.extend(
        run(
            desk,
            base,
            agent,
            &departments,
            TicketId::from_uuid(kept.long_thread),
            reps,
        )
        .await?,
    );
    Ok(results)
}

/// The three reads of every run, alternating library and baseline call by call: a
/// department's queue first page, the common word's first page in it, and one of `sample`'s
/// tickets with its thread.
pub async fn first_three<B: Baseline>(
    desk: &Helpdesk,
    base: &mut B,
    agent: Actor,
    departments: &[DepartmentId],
    sample: &[Uuid],
    reps: usize,
) -> Res<Vec<Value>> {
    let (mut ql, mut qb, mut sl, mut sb, mut tl, mut tb) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut qrows, mut srows, mut trows) = (0, 0, 0);
    for r in 0..reps + 10 {
        let dept = departments[r % departments.len()];
        let filter = filter(dept);
        let first = PageRequest::first(TicketOrder::LastUpdate, 25);
        let t = Instant::now();
        // The reader and the page, in one call.
        let (_, page) = desk
            .list_tickets_as(agent, filter.clone(), first.clone())
            .await?;
        let lq = t.elapsed();
        let t = Instant::now();
        let bq_rows = base.queue_page(dept.as_uuid()).await?;
        let bq = t.elapsed();
        let t = Instant::now();
        let found = desk
            .acting_as(agent)
            .await?
            .search_tickets(text::SEARCH_WORD, filter, first)
            .await?;
        let ls = t.elapsed();
        let t = Instant::now();
        let bs_rows = base.search_page(dept.as_uuid(), text::SEARCH_WORD).await?;
        let bs = t.elapsed();
        let id = sample[(r * 7919) % sample.len()];
        let t = Instant::now();
        // What a page showing a ticket reads: the reader, the ticket and its thread's
        // newest page (all of it here: three messages), in one call.
        let (_, shown) = desk
            .ticket_with_thread_as(agent, TicketId::from_uuid(id), THREAD_PAGE)
            .await?;
        let thread = shown.thread.items;
        let lt = t.elapsed();
        let t = Instant::now();
        let bt_rows = base.ticket_thread(id).await?;
        let bt = t.elapsed();
        if r >= 10 {
            ql.push(ms(lq));
            qb.push(ms(bq));
            sl.push(ms(ls));
            sb.push(ms(bs));
            tl.push(ms(lt));
            tb.push(ms(bt));
        }
        if r == 0 {
            eprintln!(
                "queue page: {} tickets (baseline {bq_rows} rows); search page: {} tickets \
                 (baseline {bs_rows}); thread: {} messages (baseline {bt_rows} rows)",
                page.items.len(),
                found.items.len(),
                thread.len()
            );
            (qrows, srows, trows) = (page.items.len(), found.items.len(), thread.len());
        }
    }
    Ok(vec![
        latency("queue_first_page", ql, qb, qrows),
        latency("search_first_page", sl, sb, srows),
        latency("ticket_with_thread", tl, tb, trows),
    ])
}

fn filter(dept: DepartmentId) -> TicketFilter {
    TicketFilter {
        departments: Some(vec![dept]),
        ..TicketFilter::default()
    }
}

/// The rare word's first page, the relevance order's first page, and the long thread's
/// newest page, each beside its baseline, alternating call by call.
pub async fn run<B: ReadBaseline>(
    desk: &Helpdesk,
    base: &mut B,
    agent: Actor,
    departments: &[DepartmentId],
    long: TicketId,
    reps: usize,
) -> Res<Vec<Value>> {
    let (mut rl, mut rb, mut vl, mut vb, mut ll, mut lb) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut pl, mut pb) = (vec![], vec![]);
    let (mut rrows, mut vrows, mut lrows) = (0, 0, 0);
    for r in 0..reps + 10 {
        let dept = departments[r % departments.len()];
        let t = Instant::now();
        let rare = desk
            .acting_as(agent)
            .await?
            .search_tickets(
                RARE_WORD,
                filter(dept),
                PageRequest::first(TicketOrder::LastUpdate, 25),
            )
            .await?;
        let lr = t.elapsed();
        let t = Instant::now();
        base.rare_page(dept.as_uuid(), RARE_WORD).await?;
        let br = t.elapsed();
        let t = Instant::now();
        let relevant = desk
            .acting_as(agent)
            .await?
            .search_tickets(
                text::SEARCH_WORD,
                filter(dept),
                PageRequest::first(TicketOrder::Relevance, 25),
            )
            .await?;
        let lv = t.elapsed();
        let t = Instant::now();
        base.relevance_page(dept.as_uuid(), text::SEARCH_WORD)
            .await?;
        let bv = t.elapsed();
        let t = Instant::now();
        let page = thread_page(desk, agent, long).await?;
        let ltime = t.elapsed();
        let t = Instant::now();
        base.thread_page(long.as_uuid()).await?;
        let btime = t.elapsed();
        // The fixed part of every request: the principal, loaded and checked.
        let t = Instant::now();
        desk.acting_as(agent).await?;
        let lp = t.elapsed();
        let t = Instant::now();
        base.principal(agent.id().ok_or("an agent")?).await?;
        let bp = t.elapsed();
        if r >= 10 {
            rl.push(ms(lr));
            rb.push(ms(br));
            vl.push(ms(lv));
            vb.push(ms(bv));
            ll.push(ms(ltime));
            lb.push(ms(btime));
            pl.push(ms(lp));
            pb.push(ms(bp));
        } else {
            (vrows, lrows) = (relevant.items.len(), page);
        }
        // The fullest page any department gave (a department may hold none of the word).
        rrows = rrows.max(rare.items.len());
    }
    eprintln!("rare word: {rrows} tickets; relevance: {vrows}; long thread page: {lrows}");
    Ok(vec![
        latency("search_rare_first_page", rl, rb, rrows),
        latency("search_relevance_first_page", vl, vb, vrows),
        latency("long_thread_first_page", ll, lb, lrows),
        latency("principal", pl, pb, 1),
    ])
}

/// The rare word appended to the first message of ticket `i`, if it is one of those: one
/// ticket in each [`RARE_EVERY`], the `k`-th block's in department `k % 4` (ticket `i` is in
/// department `(i / 4) % 4`), so every department searched has some.
pub fn rare_suffix(i: usize) -> &'static str {
    let block = i / RARE_EVERY;
    if i % RARE_EVERY == 17 + 4 * (block % 4) {
        " Code zeolite."
    } else {
        ""
    }
}

/// The newest page of a ticket's thread, through the library; returns its length.
async fn thread_page(desk: &Helpdesk, agent: Actor, id: TicketId) -> Res<usize> {
    let page = desk
        .acting_as(agent)
        .await?
        .thread_page(id, None, THREAD_PAGE)
        .await?;
    Ok(page.items.len())
}
