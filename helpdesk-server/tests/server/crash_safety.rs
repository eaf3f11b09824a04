//! Crash safety (issue 10): the server's binary, as a child process, under load from
//! concurrent HTTP clients, killed with SIGKILL mid-load and restarted on the same database.
//!
//! Every ticket whose creation was acknowledged (2xx) must be there after the restart, with
//! its first message, every acknowledged note and their history events; no ticket may be
//! half-written (each has its first message and its `created` event); no number repeats.
//!
//! Runs on a temporary SQLite file, and on PostgreSQL when `DATABASE_URL` is set (in a fresh
//! schema of that server; with the `postgres` feature), printing a loud `SKIPPED` line
//! otherwise, unless `HELPDESK_REQUIRE_POSTGRES=1`, which makes a missing server fail.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ADMIN: &str = "admin@crash.test";
const PASSWORD: &str = "crash-test-password";
/// Concurrent clients creating tickets.
const CLIENTS: usize = 6;
/// Tickets acknowledged before the kill, at least.
const ACKED_BEFORE_KILL: usize = 24;

/// The server's executable (cargo builds the package's binaries for its integration tests).
fn server_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_helpdesk-server"))
}

/// A running server and where it listens.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    /// Starts the server on `database` (attachments under `blobs`), making the admin login.
    fn start(database: &str, blobs: &Path) -> Self {
        let mut child = Command::new(server_binary())
            .args(["--listen", "127.0.0.1:0", "--database", database])
            .arg("--blobs")
            .arg(blobs)
            .args(["--create-admin", ADMIN, "--due-every", "3600"])
            .env("HELPDESK_ADMIN_PASSWORD", PASSWORD)
            .env_remove("HELPDESK_DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let addr = listening_address(&mut child);
        Server { child, addr }
    }

    /// SIGKILL (`Child::kill` sends it on Unix): no shutdown, no flush, no goodbye.
    fn kill(mut self) {
        self.child.kill().expect("kill");
        self.child.wait().expect("wait");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request on its own connection: the status and the JSON body (`Null` when
/// empty or not JSON).
pub(crate) async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(addr).await?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(token) = token {
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
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let payload = if chunked {
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

/// A call that must succeed with `status`.
pub(crate) async fn must(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    status: u16,
) -> Value {
    let (got, value) = http(addr, method, path, token, body.as_ref())
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    assert_eq!(got, status, "{method} {path}: {value}");
    value
}

/// What the server acknowledged: per ticket id, its number, first message and notes.
#[derive(Debug, Default, Clone)]
struct Acked {
    number: String,
    body: String,
    notes: Vec<String>,
}

/// One client: opens tickets and adds a note to each until `stop`.
async fn client(
    addr: SocketAddr,
    token: String,
    department: String,
    me: usize,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<BTreeMap<String, Acked>>>,
) {
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let body = format!("client {me} ticket {n}: the line is down");
        let new = json!({
            "subject": format!("Crash test {me}/{n}"),
            "body": body,
            "department": department,
            "internal": true,
        });
        let Ok((status, ticket)) =
            http(addr, "POST", "/api/v1/tickets", Some(&token), Some(&new)).await
        else {
            continue; // The server is gone (or going): nothing was acknowledged.
        };
        if !(200..300).contains(&status) {
            continue;
        }
        let id = ticket["id"].as_str().expect("an id").to_owned();
        let number = ticket["number"]["full"]
            .as_str()
            .expect("a number")
            .to_owned();
        acked.lock().unwrap().insert(
            id.clone(),
            Acked {
                number,
                body,
                notes: Vec::new(),
            },
        );
        let note = format!("client {me} note on {n}");
        let path = format!("/api/v1/tickets/{id}/messages");
        let message = json!({"body": note, "internal": true});
        if let Ok((status, _)) = http(addr, "POST", &path, Some(&token), Some(&message)).await
            && (200..300).contains(&status)
        {
            acked
                .lock()
                .unwrap()
                .get_mut(&id)
                .expect("recorded")
                .notes
                .push(note);
        }
    }
}

/// The kind of a history event as JSON (`created`, `note_added`, ...).
fn change_kind(event: &Value) -> &str {
    event["change"]["change"]
        .as_str()
        .or_else(|| event["change"].as_str())
        .unwrap_or_default()
}

/// The whole scenario on the database at `database`.
async fn crash_and_recover(database: &str) {
    let blobs = tempfile::tempdir().unwrap();
    let server = Server::start(database, blobs.path());
    let addr = server.addr;
    let login = json!({"login": ADMIN, "password": PASSWORD});
    let token = must(addr, "POST", "/api/v1/auth/token", None, Some(login), 201).await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let department = must(
        addr,
        "POST",
        "/api/v1/departments",
        Some(&token),
        Some(json!({"name": "Crash Support"})),
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(BTreeMap::new()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|me| {
            tokio::spawn(client(
                addr,
                token.clone(),
                department.clone(),
                me,
                stop.clone(),
                acked.clone(),
            ))
        })
        .collect();
    // Let the load build up, then kill the server while requests are in flight.
    let started = Instant::now();
    while acked.lock().unwrap().len() < ACKED_BEFORE_KILL {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server acknowledged only {} tickets in a minute",
            acked.lock().unwrap().len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();

    // Restart on the same database: the token (kept in the database) still signs in.
    let server = Server::start(database, blobs.path());
    let addr = server.addr;
    let token = Some(token.as_str());
    for (id, expected) in &acked {
        let ticket = must(
            addr,
            "GET",
            &format!("/api/v1/tickets/{id}"),
            token,
            None,
            200,
        )
        .await;
        assert_eq!(ticket["number"]["full"], expected.number.as_str());
        let thread = must(
            addr,
            "GET",
            &format!("/api/v1/tickets/{id}/messages"),
            token,
            None,
            200,
        )
        .await;
        let bodies: Vec<&str> = thread["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m["body"].as_str())
            .collect();
        assert_eq!(bodies.first(), Some(&expected.body.as_str()), "{id}");
        for note in &expected.notes {
            assert!(bodies.contains(&note.as_str()), "{id} lost {note}");
        }
        let history = must(
            addr,
            "GET",
            &format!("/api/v1/tickets/{id}/history"),
            token,
            None,
            200,
        )
        .await;
        let kinds: Vec<&str> = history["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(change_kind)
            .collect();
        assert_eq!(kinds.first(), Some(&"created"), "{id}: {kinds:?}");
        let notes = kinds.iter().filter(|k| **k == "note_added").count();
        assert!(notes >= expected.notes.len(), "{id}: {kinds:?}");
    }

    // Every ticket in the database, acknowledged or not: whole, and numbered once.
    let mut numbers = HashSet::new();
    let mut after: Option<String> = None;
    let mut total = 0;
    loop {
        let mut path = "/api/v1/tickets?limit=200".to_owned();
        if let Some(after) = &after {
            path.push_str(&format!("&after={after}"));
        }
        let page = must(addr, "GET", &path, token, None, 200).await;
        for ticket in page["items"].as_array().unwrap() {
            total += 1;
            let id = ticket["id"].as_str().unwrap();
            let number = ticket["number"]["full"].as_str().unwrap().to_owned();
            assert!(numbers.insert(number.clone()), "number {number} repeats");
            let thread = must(
                addr,
                "GET",
                &format!("/api/v1/tickets/{id}/messages"),
                token,
                None,
                200,
            )
            .await;
            assert!(
                !thread["items"].as_array().unwrap().is_empty(),
                "{id} has no first message"
            );
            let history = must(
                addr,
                "GET",
                &format!("/api/v1/tickets/{id}/history"),
                token,
                None,
                200,
            )
            .await;
            let created = history["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| change_kind(e) == "created");
            assert!(created, "{id} has no created event");
        }
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    assert!(
        total >= acked.len(),
        "{total} tickets listed, {} acknowledged",
        acked.len()
    );
    eprintln!(
        "crash safety on {}: {} acknowledged, {total} stored",
        if database.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        acked.len()
    );
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_tickets_survive_sigkill_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("crash.db");
    crash_and_recover(database.to_str().unwrap()).await;
}

#[cfg(feature = "postgres")]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_tickets_survive_sigkill_on_postgres() {
    use helpdesk::postgres::testing;
    let Some(url) = testing::database_url() else {
        return;
    };
    // A fresh schema of that server; the server reaches it through `search_path`.
    let store = testing::unmigrated_store_at(&url)
        .await
        .expect("a fresh schema on DATABASE_URL");
    let schema = store
        .pool()
        .connect_options()
        .get_application_name()
        .expect("test schemas name their connections")
        .to_owned();
    let separator = if url.contains('?') { '&' } else { '?' };
    let database = format!("{url}{separator}options=-csearch_path%3D{schema}");
    crash_and_recover(&database).await;
    testing::discard(store)
        .await
        .expect("the schema is dropped");
}

#[cfg(not(feature = "postgres"))]
#[test]
fn acknowledged_tickets_survive_sigkill_on_postgres() {
    eprintln!(
        "SKIPPED: acknowledged_tickets_survive_sigkill_on_postgres needs --features postgres"
    );
}

/// Where a started server process listens, read from its stdout (piped); the pipe is then
/// drained by a thread so that the server never blocks on it. Kills the process when it does
/// not say within two minutes.
pub(crate) fn listening_address(child: &mut std::process::Child) -> std::net::SocketAddr {
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        // Keep reading so that the server never blocks on a full pipe.
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(addr) = line.strip_prefix("listening on http://")
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(addr.trim().to_owned());
            }
        }
    });
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(addr) => addr.parse().expect("a socket address"),
        Err(_) => {
            let _ = child.kill();
            panic!("the server did not say where it listens");
        }
    }
}
