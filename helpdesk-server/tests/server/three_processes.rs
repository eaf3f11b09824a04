//! Three server processes on one PostgreSQL database (issue 23), as behind a reverse proxy
//! without sticky sessions: the `helpdesk-server` binary three times on loopback ports, each
//! running the background jobs every second, on a database of the test's own. A bounded load
//! client spreads customers and agents over the processes. Checked: every acknowledged write
//! is there exactly once; every due SLA timer fired once (short targets in the stored
//! settings); chats across processes (the customer's socket on one, the agent's on another,
//! both ways) deliver each line to the other side within the second, once; a
//! webhook receiver on loopback gets every delivery at least once and at most once while all
//! three processes dispatch; a killed process's online agents expire from presence while the
//! others stay. The only timed check is the chat's second, a functional bound of the issue
//! (the load's figures are `examples/scaleout_bench.rs`).

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderMap;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::chat_across_servers::{Client, WITHIN};
use crate::crash_safety::{http, listening_address, must};

const ADMIN: &str = "admin@three.test";
const PASSWORD: &str = "three-processes-password";
/// Server processes.
const PROCESSES: usize = 3;
/// Customers, spread over the processes.
const CUSTOMERS: usize = 6;
/// Tickets each customer opens (then replies on each, through the next process).
const TICKETS_EACH: usize = 4;
/// Agents, one per process.
const AGENTS: usize = 3;

/// A running server process.
pub(crate) struct Process {
    child: Child,
    /// Where it listens.
    pub(crate) addr: SocketAddr,
}

impl Process {
    /// Starts the server binary on `database` with `extra` arguments, running its jobs every
    /// `due_every` seconds; waits until it says where it listens.
    pub(crate) fn start(database: &str, blobs: &Path, due_every: u32, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_helpdesk-server"))
            .args(["--listen", "127.0.0.1:0", "--database", database])
            .arg("--blobs")
            .arg(blobs)
            .args(["--due-every", &due_every.to_string()])
            .args(extra)
            .env("HELPDESK_ADMIN_PASSWORD", PASSWORD)
            .env_remove("HELPDESK_DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let addr = listening_address(&mut child);
        Process { child, addr }
    }

    /// SIGKILL: no goodbye.
    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A PostgreSQL database of the test's own on the `DATABASE_URL` server, dropped at the end.
pub(crate) struct Database {
    name: String,
    /// Its URL.
    pub(crate) url: String,
}

impl Database {
    /// Creates it (with `psql`, the server's own client).
    pub(crate) fn create(server_url: &str, prefix: &str) -> Self {
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        psql(server_url, &format!("CREATE DATABASE {name}"));
        let base = server_url
            .rsplit_once('/')
            .map_or(server_url, |(base, _)| base);
        Database {
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let server = self.url.rsplit_once('/').map_or("", |(b, _)| b).to_owned() + "/postgres";
        psql(
            &server,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .status()
        .expect("psql runs");
    assert!(status.success(), "psql: {sql}");
}

/// Signs `login` in on `addr`: its token.
pub(crate) async fn token(addr: SocketAddr, login: &str, password: &str) -> String {
    let body = json!({"login": login, "password": password});
    must(addr, "POST", "/api/v1/auth/token", None, Some(body), 201).await["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The kinds of a ticket's history events.
async fn history_kinds(addr: SocketAddr, token: &str, id: &str) -> Vec<String> {
    let path = format!("/api/v1/tickets/{id}/history");
    must(addr, "GET", &path, Some(token), None, 200).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["change"]["change"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

/// What one customer's client had acknowledged: per ticket id, its first words and replies.
type Acked = BTreeMap<String, (String, Vec<String>)>;

/// One customer: opens tickets through `open_on`, replies to each through `reply_on`.
async fn customer(
    me: usize,
    open_on: SocketAddr,
    reply_on: SocketAddr,
    token: String,
    department: String,
) -> Acked {
    let mut acked = Acked::new();
    for n in 0..TICKETS_EACH {
        let body = format!("customer {me} ticket {n}: the line is down");
        let new =
            json!({"subject": format!("Three {me}/{n}"), "body": body, "department": department});
        let (status, ticket) = http(open_on, "POST", "/api/v1/tickets", Some(&token), Some(&new))
            .await
            .expect("the process answers");
        assert_eq!(status, 201, "{ticket}");
        acked.insert(
            ticket["id"].as_str().unwrap().to_owned(),
            (body, Vec::new()),
        );
    }
    let ids: Vec<String> = acked.keys().cloned().collect();
    for id in ids {
        let reply = format!("customer {me} adds a line to {id}");
        let path = format!("/api/v1/tickets/{id}/messages");
        let (status, answer) = http(
            reply_on,
            "POST",
            &path,
            Some(&token),
            Some(&json!({"body": reply})),
        )
        .await
        .expect("the process answers");
        assert_eq!(status, 201, "{answer}");
        acked.get_mut(&id).unwrap().1.push(reply);
    }
    acked
}

/// One agent's console on `addr`: online, then a heartbeat every second until `stop` (or
/// until its process is gone: then nothing more is heard from it).
async fn console(addr: SocketAddr, token: String, stop: Arc<AtomicBool>) {
    let online = json!({"presence": "online"});
    must(
        addr,
        "POST",
        "/api/v1/agents/me/presence",
        Some(&token),
        Some(online),
        200,
    )
    .await;
    let empty = json!({});
    while !stop.load(Ordering::SeqCst) {
        let beat = http(
            addr,
            "POST",
            "/api/v1/agents/me/presence/heartbeat",
            Some(&token),
            Some(&empty),
        );
        if beat.await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// The presence of each agent as `addr` reads it now.
async fn presences(addr: SocketAddr, token: &str) -> HashMap<String, String> {
    must(
        addr,
        "GET",
        "/api/v1/agents/presence",
        Some(token),
        None,
        200,
    )
    .await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let agent = a["agent"].as_str().unwrap().to_owned();
            (agent, a["presence"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// What the webhook receiver got: each request's `Helpdesk-Delivery` header and body.
type Received = Arc<Mutex<Vec<(String, Value)>>>;

/// A webhook receiver on loopback answering 200 to every POST; its URL and what it got.
async fn receiver() -> (String, Received) {
    let got: Received = Arc::default();
    let keep = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let keep = keep.clone();
            async move {
                let delivery = headers
                    .get("helpdesk-delivery")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                let payload = serde_json::from_slice(&body).unwrap_or(Value::Null);
                keep.lock().await.push((delivery, payload));
                "thanks"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

/// A customer (`token`) starts a chat through `customer_on` and asks for a person; the
/// agent who takes it answers from `agent_on` (`agents`: each agent's id and token, named
/// `Agent N`). Three lines each way; how long each took to reach the other side.
async fn chat_across(
    customer_on: SocketAddr,
    agent_on: SocketAddr,
    token: &str,
    department: &str,
    agents: &[(String, String)],
) -> Vec<Duration> {
    let start = json!({"department": department, "text": "Is my line down?"});
    let started = must(
        customer_on,
        "POST",
        "/api/v1/chats",
        Some(token),
        Some(start),
        201,
    )
    .await;
    let chat = started["chat"]["id"].as_str().unwrap().to_owned();
    let mut customer = Client::connect(customer_on, &chat, token).await;
    customer.until(|f| f.get("place").is_some()).await;
    customer.send(json!({"talk_to_person": true})).await;
    let place = customer
        .until(|f| f["place"]["state"] == "with_agent")
        .await;
    let name = place["place"]["agent_name"].as_str().unwrap();
    let n: usize = name.trim_start_matches("Agent ").parse().unwrap();
    let mut agent = Client::connect(agent_on, &chat, &agents[n].1).await;
    agent.until(|f| f.get("place").is_some()).await;
    let mut took = Vec::new();
    for round in 0..3 {
        let line = format!("customer line {round} of {chat}");
        let since = Instant::now();
        customer.say(&line).await;
        took.push(agent.hears(&line, since).await);
        let line = format!("agent line {round} of {chat}");
        let since = Instant::now();
        agent.say(&line).await;
        took.push(customer.hears(&line, since).await);
    }
    agent.send(json!({"end": true})).await;
    customer.until(|f| f.get("ended").is_some()).await;
    customer.each_once();
    agent.each_once();
    took
}

/// Polls `check` every 200 ms until it holds; panics with `what` after `within`.
async fn eventually<F, Fut>(within: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < within, "never: {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_processes_on_one_database_keep_writes_timers_and_presence_exact() {
    let Some(server) = helpdesk::postgres::testing::database_url() else {
        return;
    };
    let database = Database::create(&server, "helpdesk_three");
    let blobs = tempfile::tempdir().unwrap();
    // The first makes the admin; the others join the same database.
    let mut processes = vec![Process::start(
        &database.url,
        blobs.path(),
        1,
        &["--create-admin", ADMIN],
    )];
    for _ in 1..PROCESSES {
        processes.push(Process::start(&database.url, blobs.path(), 1, &[]));
    }
    let addrs: Vec<SocketAddr> = processes.iter().map(|p| p.addr).collect();
    let admin = token(addrs[0], ADMIN, PASSWORD).await;
    let admin_on = |i: usize| (addrs[i % PROCESSES], admin.clone());

    // Set-up, each step through another process: a department, a one-minute first-response
    // target warning at half-time, a six-second presence timeout, agents and customers.
    let (a, t) = admin_on(0);
    let department = must(
        a,
        "POST",
        "/api/v1/departments",
        Some(&t),
        Some(json!({"name": "Three"})),
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (a, t) = admin_on(1);
    let fast = json!({"first_response_minutes": 1, "warn_percent": 50});
    must(
        a,
        "PUT",
        "/api/v1/settings/sla-policies/Fast",
        Some(&t),
        Some(fast),
        200,
    )
    .await;
    let (a, t) = admin_on(2);
    let timeout = json!({"presence_timeout_seconds": 6});
    must(a, "PUT", "/api/v1/settings", Some(&t), Some(timeout), 200).await;
    let mut agents = Vec::new();
    for i in 0..AGENTS {
        let (a, t) = admin_on(i);
        let login = format!("agent{i}@three.test");
        let new = json!({
            "name": format!("Agent {i}"), "email": login, "role": "agent",
            "departments": [department], "login": {"login": login, "password": PASSWORD},
        });
        let agent = must(a, "POST", "/api/v1/agents", Some(&t), Some(new), 201).await;
        let id = agent["id"].as_str().unwrap().to_owned();
        agents.push((id, token(addrs[i % PROCESSES], &login, PASSWORD).await));
    }
    let mut customers = Vec::new();
    for i in 0..CUSTOMERS {
        let (a, t) = admin_on(i);
        let login = format!("customer{i}@three.test");
        let new = json!({"kind": "individual", "name": format!("Customer {i}"), "email": login});
        let id = must(a, "POST", "/api/v1/customers", Some(&t), Some(new), 201).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = format!("/api/v1/customers/{id}/login");
        let body = json!({"login": login, "password": PASSWORD});
        must(a, "PUT", &path, Some(&t), Some(body), 200).await;
        customers.push(token(addrs[(i + 1) % PROCESSES], &login, PASSWORD).await);
    }

    // A webhook endpoint for new tickets, its receiver in this test, registered through
    // the first process; all three dispatch.
    let (hook_url, received) = receiver().await;
    let hook = json!({"url": hook_url, "events": ["ticket_created"]});
    let hook = must(
        addrs[0],
        "POST",
        "/api/v1/webhooks",
        Some(&admin),
        Some(hook),
        201,
    )
    .await;
    let hook_id = hook["endpoint"]["id"].as_str().unwrap().to_owned();

    // The load: agents' consoles on their own process, customers over all of them.
    let stop = Arc::new(AtomicBool::new(false));
    let consoles: Vec<_> = (agents.iter().enumerate())
        .map(|(i, (_, t))| tokio::spawn(console(addrs[i], t.clone(), stop.clone())))
        .collect();
    let clients: Vec<_> = (customers.iter().enumerate())
        .map(|(i, t)| {
            let (open_on, reply_on) = (addrs[i % PROCESSES], addrs[(i + 1) % PROCESSES]);
            tokio::spawn(customer(
                i,
                open_on,
                reply_on,
                t.clone(),
                department.clone(),
            ))
        })
        .collect();
    let mut acked = Acked::new();
    for c in clients {
        acked.extend(c.await.unwrap());
    }
    assert_eq!(acked.len(), CUSTOMERS * TICKETS_EACH);

    // Every acknowledged write exactly once, read through each process in turn.
    for (k, (id, (first, replies))) in acked.iter().enumerate() {
        let (a, t) = admin_on(k);
        let path = format!("/api/v1/tickets/{id}/messages");
        let thread = must(a, "GET", &path, Some(&t), None, 200).await;
        let bodies: Vec<&str> = thread["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m["body"].as_str())
            .collect();
        assert_eq!(
            bodies.iter().filter(|b| **b == first.as_str()).count(),
            1,
            "{id}: {bodies:?}"
        );
        for reply in replies {
            assert_eq!(
                bodies.iter().filter(|b| **b == reply.as_str()).count(),
                1,
                "{id}: {bodies:?}"
            );
        }
    }
    let listed = must(
        addrs[2],
        "GET",
        "/api/v1/tickets?limit=200",
        Some(&admin),
        None,
        200,
    )
    .await;
    let mut subjects: HashMap<String, usize> = HashMap::new();
    for ticket in listed["items"].as_array().unwrap() {
        *subjects
            .entry(ticket["subject"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert_eq!(subjects.len(), acked.len(), "{subjects:?}");
    assert!(subjects.values().all(|n| *n == 1), "{subjects:?}");

    // Chats across processes, both ways: a customer on the first process with the agent's
    // socket on the second, and a customer on the second with the agent's on the first.
    let mut latencies = chat_across(addrs[0], addrs[1], &customers[5], &department, &agents).await;
    latencies.extend(chat_across(addrs[1], addrs[0], &customers[0], &department, &agents).await);
    eprintln!("three processes: chat lines across processes took {latencies:?}");
    for took in &latencies {
        assert!(*took < WITHIN, "a chat line took {took:?}: {latencies:?}");
    }

    // Every due timer fired once: each process runs the jobs every second; once every
    // ticket's first response is breached, a few more rounds of all three change nothing.
    let ids: Vec<String> = acked.keys().cloned().collect();
    eventually(
        Duration::from_secs(150),
        "every first response breached",
        || {
            let (ids, admin) = (ids.clone(), admin.clone());
            let addr = addrs[0];
            async move {
                for id in &ids {
                    if !history_kinds(addr, &admin, id)
                        .await
                        .iter()
                        .any(|k| k == "sla_breached")
                    {
                        return false;
                    }
                }
                true
            }
        },
    )
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    for (k, id) in ids.iter().enumerate() {
        let kinds = history_kinds(addrs[k % PROCESSES], &admin, id).await;
        let count = |kind: &str| kinds.iter().filter(|k| *k == kind).count();
        assert_eq!(
            (count("sla_warning"), count("sla_breached")),
            (1, 1),
            "{id}: {kinds:?}"
        );
    }

    // Every new ticket's webhook delivered: each delivery received, none twice, while
    // three processes dispatched (two chats opened tickets too).
    let deliveries_path = format!("/api/v1/webhooks/{hook_id}/deliveries?limit=200");
    let new_tickets = acked.len() + 2;
    eventually(Duration::from_secs(30), "every delivery delivered", || {
        let (admin, path) = (admin.clone(), deliveries_path.clone());
        let second = addrs[1];
        async move {
            let listed = must(second, "GET", &path, Some(&admin), None, 200).await;
            let items = listed["items"].as_array().unwrap().clone();
            items.len() == new_tickets && items.iter().all(|d| d["state"] == "delivered")
        }
    })
    .await;
    let listed = must(addrs[2], "GET", &deliveries_path, Some(&admin), None, 200).await;
    let mut want: Vec<String> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    want.sort();
    let got = received.lock().await.clone();
    let mut delivered: Vec<String> = got.iter().map(|(id, _)| id.clone()).collect();
    delivered.sort();
    assert_eq!(delivered, want, "each delivery received once");
    let mut tickets: Vec<&str> = got
        .iter()
        .map(|(_, payload)| payload["data"]["ticket"].as_str().unwrap())
        .collect();
    tickets.sort_unstable();
    tickets.dedup();
    assert_eq!(tickets.len(), new_tickets, "one delivery per new ticket");
    assert!(acked.keys().all(|id| tickets.contains(&id.as_str())));

    // The last process dies with its agent's console: that agent expires from presence in
    // every other process; the others, still heard from, stay online.
    let gone = agents[PROCESSES - 1].0.clone();
    processes[PROCESSES - 1].kill();
    eventually(
        Duration::from_secs(60),
        "the killed process's agent offline",
        || {
            let admin = admin.clone();
            let gone = gone.clone();
            let first = addrs[0];
            async move {
                presences(first, &admin)
                    .await
                    .get(&gone)
                    .map(String::as_str)
                    == Some("offline")
            }
        },
    )
    .await;
    let now = presences(addrs[1], &admin).await;
    for (id, _) in &agents[..PROCESSES - 1] {
        assert_eq!(
            now.get(id).map(String::as_str),
            Some("online"),
            "{id}: {now:?}"
        );
    }
    assert_eq!(now.get(&gone).map(String::as_str), Some("offline"));
    stop.store(true, Ordering::SeqCst);
    for c in consoles {
        c.await.unwrap();
    }
    drop(processes);
}
