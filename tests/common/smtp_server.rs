//! A tiny SMTP server for tests: listens on 127.0.0.1 (a free port), speaks just enough
//! SMTP (EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT), records every accepted
//! message's raw bytes, and can be told to fail the next RCPT or DATA commands.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The command a scripted failure answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// `RCPT TO`.
    Rcpt,
    /// The end of `DATA` (the lone `.`): the message is refused after it was sent.
    Data,
}

/// A message the server accepted.
#[derive(Debug, Clone)]
pub struct Received {
    /// The `MAIL FROM` address.
    pub mail_from: String,
    /// The `RCPT TO` addresses.
    pub rcpt_to: Vec<String>,
    /// The message as sent, dot-unstuffed, with CRLF line ends.
    pub data: Vec<u8>,
}

#[derive(Debug, Default)]
struct State {
    received: Vec<Received>,
    failures: VecDeque<(Stage, u16)>,
}

/// A running test SMTP server; stops when dropped.
#[derive(Debug)]
pub struct SmtpServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl SmtpServer {
    /// Starts a server on 127.0.0.1 and a free port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    // A client that hangs up mid-session is not the server's problem.
                    let _ = session(stream, shared).await;
                });
            }
        });
        Self { addr, state, task }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Answers the next `times` commands of `stage` with `code` (e.g. 451 or 550).
    pub fn fail_next(&self, stage: Stage, code: u16, times: usize) {
        let mut state = lock(&self.state);
        for _ in 0..times {
            state.failures.push_back((stage, code));
        }
    }

    /// The messages accepted so far.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.state).received.clone()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// The scripted failure for `stage`, if the next one is for it.
fn take_failure(state: &Mutex<State>, stage: Stage) -> Option<u16> {
    let mut state = lock(state);
    match state.failures.front() {
        Some(&(s, code)) if s == stage => {
            state.failures.pop_front();
            Some(code)
        }
        _ => None,
    }
}

fn reply_for(code: u16) -> String {
    match code {
        400..=499 => format!("{code} 4.3.0 Try again later\r\n"),
        _ => format!("{code} 5.1.1 No such mailbox here\r\n"),
    }
}

/// Strips `FROM:<addr>` / `TO:<addr>` down to `addr` (parameters after it are ignored).
fn path_of(arg: &str) -> String {
    let start = arg.find('<').map_or(0, |i| i + 1);
    let end = arg[start..].find('>').map_or(arg.len(), |i| start + i);
    arg[start..end].to_owned()
}

async fn session(stream: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    write.write_all(b"220 test.invalid ESMTP ready\r\n").await?;
    let mut mail_from = None::<String>;
    let mut rcpt_to = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if read.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, arg) = text.split_once(' ').unwrap_or((text, ""));
        let reply: String = match verb.to_ascii_uppercase().as_str() {
            "EHLO" => {
                "250-test.invalid greets you\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING\r\n"
                    .into()
            }
            "HELO" => "250 test.invalid\r\n".into(),
            "MAIL" => {
                mail_from = Some(path_of(arg));
                rcpt_to.clear();
                "250 2.1.0 OK\r\n".into()
            }
            "RCPT" if mail_from.is_none() => "503 5.5.1 MAIL first\r\n".into(),
            "RCPT" => match take_failure(&state, Stage::Rcpt) {
                Some(code) => reply_for(code),
                None => {
                    rcpt_to.push(path_of(arg));
                    "250 2.1.5 OK\r\n".into()
                }
            },
            "DATA" if rcpt_to.is_empty() => "503 5.5.1 RCPT first\r\n".into(),
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let data = read_data(&mut read).await?;
                let reply = match take_failure(&state, Stage::Data) {
                    Some(code) => reply_for(code),
                    None => {
                        lock(&state).received.push(Received {
                            mail_from: mail_from.clone().unwrap_or_default(),
                            rcpt_to: rcpt_to.clone(),
                            data,
                        });
                        "250 2.0.0 OK queued\r\n".into()
                    }
                };
                mail_from = None;
                rcpt_to.clear();
                reply
            }
            "RSET" => {
                mail_from = None;
                rcpt_to.clear();
                "250 2.0.0 OK\r\n".into()
            }
            "NOOP" => "250 2.0.0 OK\r\n".into(),
            "QUIT" => {
                write.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            }
            _ => "502 5.5.2 Command not recognized\r\n".into(),
        };
        write.write_all(reply.as_bytes()).await?;
    }
}

/// Reads a DATA section up to the lone `.` line, undoing dot-stuffing.
async fn read_data(
    read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if read.read_until(b'\n', &mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(data);
        }
        let unstuffed = if line.starts_with(b".") {
            &line[1..]
        } else {
            &line[..]
        };
        data.extend_from_slice(unstuffed);
    }
}
