//! The scale-out measurement (issue 23): requests per second and p99 latency of the server
//! at 1 and at N processes on one PostgreSQL database on this machine, the N-process figures
//! as a ratio of the 1-process baseline of the same run. Each side gets a fresh database
//! (created with `psql`, dropped at the end), the same closed-loop load of concurrent clients
//! (each opens a ticket, lists the queue and reads a thread, round-robin over the
//! processes), a warm-up, then a measured window. See docs/deployment.md for the figures.
//!
//! ```sh
//! cargo build -p helpdesk-server --features postgres            # the server binary
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run -p helpdesk-server --features postgres --example scaleout_bench -- \
//!     --processes 3 --clients 12 --seconds 20
//! ```

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ADMIN: &str = "admin@bench.test";
const PASSWORD: &str = "scaleout-bench-password";

/// The measurement's arguments.
#[derive(Debug, Parser)]
struct Args {
    /// Server processes of the scaled-out side (the baseline runs one).
    #[arg(long, default_value_t = 3)]
    processes: usize,
    /// Concurrent clients (closed loop: each sends its next request when the last answered).
    #[arg(long, default_value_t = 12)]
    clients: usize,
    /// Measured seconds per side (after a 3-second warm-up).
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// The server binary (default: `helpdesk-server` beside this example's directory).
    #[arg(long)]
    server: Option<PathBuf>,
}

/// One side's figures.
#[derive(Debug, Clone, Copy)]
struct Figures {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: usize,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let server_url = std::env::var("DATABASE_URL")
        .expect("DATABASE_URL names the PostgreSQL server (a database per side is created)");
    let binary = args.server.clone().unwrap_or_else(|| {
        let exe = std::env::current_exe().expect("this example's path");
        exe.parent()
            .and_then(|examples| examples.parent())
            .expect("target/<profile>/examples")
            .join("helpdesk-server")
    });
    assert!(
        binary.exists(),
        "build the server first: {}",
        binary.display()
    );
    let one = side(&binary, &server_url, 1, &args).await;
    let many = side(&binary, &server_url, args.processes, &args).await;
    let report = json!({
        "processes": args.processes,
        "clients": args.clients,
        "seconds": args.seconds,
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "one": view(one),
        "many": view(many),
        "ratio": {
            "requests_per_second": many.requests_per_second / one.requests_per_second,
            "p99": many.p99_ms / one.p99_ms,
        },
    });
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
}

fn view(f: Figures) -> Value {
    json!({
        "requests_per_second": (f.requests_per_second * 10.0).round() / 10.0,
        "p50_ms": (f.p50_ms * 100.0).round() / 100.0,
        "p99_ms": (f.p99_ms * 100.0).round() / 100.0,
        "errors": f.errors,
    })
}

/// One side: `processes` servers on a fresh database under the load.
async fn side(binary: &PathBuf, server_url: &str, processes: usize, args: &Args) -> Figures {
    let name = format!("helpdesk_bench_{}", uuid::Uuid::new_v4().simple());
    psql(server_url, &format!("CREATE DATABASE {name}"));
    let base = server_url.rsplit_once('/').map_or(server_url, |(b, _)| b);
    let url = format!("{base}/{name}");
    let blobs = std::env::temp_dir().join(&name);
    let mut servers = vec![Server::start(
        binary,
        &url,
        &blobs,
        &["--create-admin", ADMIN],
    )];
    for _ in 1..processes {
        servers.push(Server::start(binary, &url, &blobs, &[]));
    }
    let addrs: Vec<SocketAddr> = servers.iter().map(|s| s.addr).collect();
    let admin = token(addrs[0], ADMIN).await;
    let department = call(
        addrs[0],
        "POST",
        "/api/v1/departments",
        &admin,
        Some(json!({"name": "Bench"})),
    )
    .await
    .expect("a department")
    .1["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut tokens = Vec::new();
    for i in 0..args.clients {
        let login = format!("customer{i}@bench.test");
        let new = json!({"kind": "individual", "name": format!("Customer {i}"), "email": login});
        let (_, customer) = call(addrs[0], "POST", "/api/v1/customers", &admin, Some(new))
            .await
            .expect("a customer");
        let path = format!(
            "/api/v1/customers/{}/login",
            customer["id"].as_str().unwrap()
        );
        call(
            addrs[0],
            "PUT",
            &path,
            &admin,
            Some(json!({"login": login, "password": PASSWORD})),
        )
        .await
        .expect("a login");
        tokens.push(token(addrs[i % processes], &login).await);
    }
    // Warm-up, then the measured window.
    run(&addrs, &tokens, &department, Duration::from_secs(3)).await;
    let (latencies, errors, elapsed) = run(
        &addrs,
        &tokens,
        &department,
        Duration::from_secs(args.seconds),
    )
    .await;
    drop(servers);
    psql(
        server_url,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    );
    let _ = std::fs::remove_dir_all(&blobs);
    let mut sorted = latencies;
    sorted.sort_unstable();
    let at = |q: f64| {
        let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
        sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let figures = Figures {
        requests_per_second: sorted.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        errors,
    };
    eprintln!("{processes} process(es): {figures:?}");
    figures
}

/// The load for `window`: every latency of an answered request, the errors, the time taken.
async fn run(
    addrs: &[SocketAddr],
    tokens: &[String],
    department: &str,
    window: Duration,
) -> (Vec<Duration>, usize, Duration) {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let clients: Vec<_> = (tokens.iter().enumerate())
        .map(|(i, token)| {
            let (addrs, token, department) = (addrs.to_vec(), token.clone(), department.to_owned());
            let stop = stop.clone();
            tokio::spawn(async move {
                let (mut latencies, mut errors, mut k) = (Vec::new(), 0, i);
                let mut last: Option<String> = None;
                while !stop.load(Ordering::SeqCst) {
                    let addr = addrs[k % addrs.len()];
                    k += 1;
                    let (method, path, body) = match (k % 3, &last) {
                        (0, _) | (_, None) => (
                            "POST",
                            "/api/v1/tickets".to_owned(),
                            Some(json!({"subject": format!("Bench {i}/{k}"), "body": "The line is down", "department": department})),
                        ),
                        (1, _) => ("GET", "/api/v1/tickets?limit=20".to_owned(), None),
                        (_, Some(id)) => ("GET", format!("/api/v1/tickets/{id}/messages"), None),
                    };
                    let at = Instant::now();
                    match call(addr, method, &path, &token, body).await {
                        Ok((status, value)) if (200..300).contains(&status) => {
                            latencies.push(at.elapsed());
                            if method == "POST" {
                                last = value["id"].as_str().map(str::to_owned);
                            }
                        }
                        _ => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    tokio::time::sleep(window).await;
    stop.store(true, Ordering::SeqCst);
    let elapsed = started.elapsed();
    let (mut all, mut errors) = (Vec::new(), 0);
    for c in clients {
        let (l, e) = c.await.unwrap();
        all.extend(l);
        errors += e;
    }
    (all, errors, elapsed)
}

/// A running server process.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(binary: &PathBuf, database: &str, blobs: &std::path::Path, extra: &[&str]) -> Self {
        let mut child = Command::new(binary)
            .args(["--listen", "127.0.0.1:0", "--database", database])
            .arg("--blobs")
            .arg(blobs)
            .args(["--due-every", "5"])
            .args(extra)
            .env("HELPDESK_ADMIN_PASSWORD", PASSWORD)
            .env_remove("HELPDESK_DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(addr) = line.strip_prefix("listening on http://")
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send(addr.trim().to_owned());
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("the server says where it listens")
            .parse()
            .expect("a socket address");
        Server { child, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .status()
        .expect("psql runs");
    assert!(status.success(), "psql: {sql}");
}

async fn token(addr: SocketAddr, login: &str) -> String {
    let body = json!({"login": login, "password": PASSWORD});
    let (status, value) = call(addr, "POST", "/api/v1/auth/token", "", Some(body))
        .await
        .expect("signed in");
    assert_eq!(status, 201, "{value}");
    value["token"].as_str().unwrap().to_owned()
}

/// One HTTP/1.1 request on its own connection: the status and the JSON body.
async fn call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(addr).await?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !token.is_empty() {
        request.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw);
    let (head, rest) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("a truncated response"))?;
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let payload = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    Ok((
        status,
        serde_json::from_str(&payload).unwrap_or(Value::Null),
    ))
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}
