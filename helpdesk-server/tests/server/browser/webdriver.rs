//! A minimal WebDriver client for chromedriver: one HTTP/1.1 request per connection, and a
//! browser session with the few commands the scenarios use.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{CHROMEDRIVER, CHROMIUM, ELEMENT, TestResult};

/// The workspace's `target` directory: the test binary runs from `target/<profile>/deps`.
pub(super) fn target_dir() -> TestResult<PathBuf> {
    let exe = std::env::current_exe()?;
    exe.ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .ok_or_else(|| "the test binary is not under target/<profile>/deps".into())
}

/// chromedriver, running until dropped.
pub(super) struct Driver {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    pub(super) async fn start() -> TestResult<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let driver = Self {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(status) = request(driver.addr, "GET", "/status", None).await
                && status["ready"] == true
            {
                return Ok(driver);
            }
            if Instant::now() > deadline {
                return Err("chromedriver did not become ready in 20 s".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Sends one WebDriver command and returns its `value`, or the WebDriver error as an error.
pub(super) async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> TestResult<Value> {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut stream = TcpStream::connect(addr).await?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    // chromedriver keeps connections open: read the header, then as much as it announces.
    let mut raw = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    let (split, head) = loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Err("chromedriver closed the connection early".into());
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break (
                split,
                String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase(),
            );
        }
    };
    let length = head.lines().find_map(|l| {
        l.strip_prefix("content-length:")
            .and_then(|v| v.trim().parse::<usize>().ok())
    });
    loop {
        let done = match length {
            Some(len) => raw.len() >= split + 4 + len,
            None => raw.ends_with(b"0\r\n\r\n"),
        };
        if done {
            break;
        }
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let mut payload = raw[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        payload = dechunk(&payload)?;
    }
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no HTTP status")?;
    let json: Value = serde_json::from_slice(&payload)?;
    let value = json.get("value").cloned().unwrap_or(Value::Null);
    if status >= 400 {
        return Err(format!("{method} {path}: {status} {value}").into());
    }
    Ok(value)
}

pub(super) fn dechunk(mut data: &[u8]) -> TestResult<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("bad chunk")?;
        let size_text = std::str::from_utf8(&data[..line_end])?;
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        out.extend_from_slice(data.get(..size).ok_or("short chunk")?);
        data = data.get(size + 2..).ok_or("short chunk")?;
    }
}

pub(super) fn decode_base64(text: &str) -> TestResult<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = ALPHABET.iter().position(|a| *a == c).ok_or("not base64")? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// A browser session.
pub(super) struct Browser {
    driver: Driver,
    session: String,
    base: String,
    shots: PathBuf,
    step: usize,
    /// The pages checked already (see `axe`), by address, width and language.
    audited: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Browser {
    pub(super) async fn open(driver: Driver, base: String, profile: &Path) -> TestResult<Self> {
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,1000", "--lang=en-US",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        }}});
        let created = request(driver.addr, "POST", "/session", Some(caps)).await?;
        let session = created["sessionId"]
            .as_str()
            .ok_or("no session id")?
            .to_owned();
        let shots = target_dir()?.join("browser-screenshots");
        // This run's screenshots only (emptied once: browser tests run side by side).
        static EMPTIED: std::sync::Once = std::sync::Once::new();
        EMPTIED.call_once(|| {
            let _ = std::fs::remove_dir_all(&shots);
        });
        std::fs::create_dir_all(&shots)?;
        Ok(Self {
            driver,
            session,
            base,
            shots,
            step: 0,
            audited: Default::default(),
        })
    }

    pub(super) async fn cmd(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> TestResult<Value> {
        let path = format!("/session/{}{path}", self.session);
        request(self.driver.addr, method, &path, body).await
    }

    pub(super) async fn goto(&self, path: &str) -> TestResult {
        let url = format!("{}{path}", self.base);
        self.cmd("POST", "/url", Some(json!({ "url": url })))
            .await?;
        self.audit().await
    }

    /// Whether the page `key` is checked for the first time (and remembers it).
    pub(super) fn first_visit(&self, key: &str) -> bool {
        self.audited
            .lock()
            .map(|mut seen| seen.insert(key.to_owned()))
            .unwrap_or(true)
    }

    pub(super) async fn url(&self) -> TestResult<String> {
        Ok(self
            .cmd("GET", "/url", None)
            .await?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    pub(super) async fn find_all(&self, css: &str) -> TestResult<Vec<String>> {
        let found = self
            .cmd(
                "POST",
                "/elements",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await?;
        Ok(found
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The first element matching `css`, waiting up to 10 s for it.
    pub(super) async fn find(&self, css: &str) -> TestResult<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(id) = self.find_all(css).await?.into_iter().next() {
                return Ok(id);
            }
            if Instant::now() > deadline {
                let url = self.url().await.unwrap_or_default();
                return Err(format!("no element {css:?} on {url}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(super) async fn type_into(&self, css: &str, text: &str) -> TestResult {
        let id = self.find(css).await?;
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        )
        .await?;
        Ok(())
    }

    pub(super) async fn click(&self, css: &str) -> TestResult {
        let id = self.find(css).await?;
        self.cmd("POST", &format!("/element/{id}/click"), Some(json!({})))
            .await?;
        Ok(())
    }

    /// Clicks what matches `css` and waits until the browser has left the page (its old
    /// document is gone), so that later look-ups see the next page, which is checked (see
    /// `axe`).
    pub(super) async fn click_and_wait(&self, css: &str) -> TestResult {
        let old = self.find("html").await?;
        self.click(css).await?;
        self.wait_gone(&old).await?;
        self.audit().await
    }

    /// Waits until the element `id` no longer exists (its page was replaced).
    pub(super) async fn wait_gone(&self, id: &str) -> TestResult {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self
            .cmd("GET", &format!("/element/{id}/name"), None)
            .await
            .is_ok()
        {
            if Instant::now() > deadline {
                return Err("the page did not change".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.find("body").await?;
        Ok(())
    }

    pub(super) async fn text(&self, css: &str) -> TestResult<String> {
        let id = self.find(css).await?;
        let text = self
            .cmd("GET", &format!("/element/{id}/text"), None)
            .await?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// Runs `script` in the page with `args`.
    pub(super) async fn script(&self, script: &str, args: Value) -> TestResult<Value> {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Chooses the option whose text is `label` in the `select` matching `css`.
    pub(super) async fn select(&self, css: &str, label: &str) -> TestResult {
        let chosen = self
            .script(
                "var s=document.querySelector(arguments[0]);\
                 for (var i=0;i<s.options.length;i++){\
                   if(s.options[i].text.trim()===arguments[1]){s.selectedIndex=i;return true;}}\
                 return false;",
                json!([css, label]),
            )
            .await?;
        if chosen != true {
            return Err(format!("no option {label:?} in {css:?}").into());
        }
        Ok(())
    }

    /// Waits until the page's URL passes `test`.
    pub(super) async fn wait_url(&self, test: impl Fn(&str) -> bool) -> TestResult<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = self.url().await?;
            if test(&url) {
                return Ok(url);
            }
            if Instant::now() > deadline {
                return Err(format!("stuck on {url}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(super) async fn screenshot(&mut self, name: &str) -> TestResult {
        self.step += 1;
        let png = self.cmd("GET", "/screenshot", None).await?;
        let bytes = decode_base64(png.as_str().ok_or("no screenshot")?)?;
        let path = self.shots.join(format!("{:02}-{name}.png", self.step));
        std::fs::write(&path, bytes)?;
        Ok(())
    }

    pub(super) async fn sign_in(&self, login: &str) -> TestResult {
        self.goto("/login").await?;
        self.type_into("input[name=login]", login).await?;
        self.type_into("input[name=password]", helpdesk_server::demo::PASSWORD)
            .await?;
        self.click_and_wait("form[action='/login'] button").await?;
        self.wait_url(|u| !u.ends_with("/login")).await?;
        Ok(())
    }

    pub(super) async fn sign_out(&self) -> TestResult {
        self.click_and_wait("form[action='/logout'] button").await?;
        self.wait_url(|u| u.ends_with("/login")).await?;
        Ok(())
    }

    pub(super) async fn close(self) -> TestResult {
        self.cmd("DELETE", "", None).await?;
        Ok(())
    }
}
