//! A browser test of the example server (`examples/server`) in Debian's headless Chromium,
//! driven through chromedriver by a small WebDriver client over plain HTTP: a customer
//! searches the knowledge base and finds nothing, opens a ticket with an attachment; an agent
//! adds an internal note and a reply and resolves it; the customer sees the reply and not the
//! note, confirms the solution, and the ticket shows Closed. Then a chat becomes a ticket: an
//! agent goes online in the console, a customer asks in the chat widget, gets no article,
//! talks to a person, the agent answers in the console's chat panel, the customer sees the
//! answer (after a reload), and the chat's ticket is in their list with the transcript.
//! Screenshots go to `target/browser-screenshots/`.
//!
//! Without `/usr/bin/chromium` or `/usr/bin/chromedriver` the test prints a loud SKIPPED line,
//! unless `CI` is set, where it fails (`.ci/run` installs both with apt-get).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use helpdesk::Helpdesk;
use helpdesk::service::AttachmentLimits;
use helpdesk::store::MemoryBlobStore;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The key WebDriver returns element references under.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Whether the browser is here; prints SKIPPED (or panics in CI) when it is not.
fn browser_available() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let message = format!(
        "{} missing: install with `apt-get install -y chromium chromium-driver`",
        missing.join(" and ")
    );
    if std::env::var_os("CI").is_some() {
        panic!("the browser test needs Chromium in CI: {message}");
    }
    // Straight to stderr, past the test harness's capture, so that it shows in every run.
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("\n*** SKIPPED: the browser test did not run: {message} ***\n\n").as_bytes(),
    );
    false
}

// ---------------------------------------------------------------------------------------------
// A minimal WebDriver client: one HTTP/1.1 request per connection.

/// chromedriver, running until dropped.
struct Driver {
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
    async fn start() -> TestResult<Self> {
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
async fn request(
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

fn dechunk(mut data: &[u8]) -> TestResult<Vec<u8>> {
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

fn decode_base64(text: &str) -> TestResult<Vec<u8>> {
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
struct Browser {
    driver: Driver,
    session: String,
    base: String,
    shots: PathBuf,
    step: usize,
}

impl Browser {
    async fn open(driver: Driver, base: String, profile: &Path) -> TestResult<Self> {
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
        let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
        // This run's screenshots only.
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots)?;
        Ok(Self {
            driver,
            session,
            base,
            shots,
            step: 0,
        })
    }

    async fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> TestResult<Value> {
        let path = format!("/session/{}{path}", self.session);
        request(self.driver.addr, method, &path, body).await
    }

    async fn goto(&self, path: &str) -> TestResult {
        let url = format!("{}{path}", self.base);
        self.cmd("POST", "/url", Some(json!({ "url": url })))
            .await?;
        Ok(())
    }

    async fn url(&self) -> TestResult<String> {
        Ok(self
            .cmd("GET", "/url", None)
            .await?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    async fn find_all(&self, css: &str) -> TestResult<Vec<String>> {
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
    async fn find(&self, css: &str) -> TestResult<String> {
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

    async fn type_into(&self, css: &str, text: &str) -> TestResult {
        let id = self.find(css).await?;
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        )
        .await?;
        Ok(())
    }

    async fn click(&self, css: &str) -> TestResult {
        let id = self.find(css).await?;
        self.cmd("POST", &format!("/element/{id}/click"), Some(json!({})))
            .await?;
        Ok(())
    }

    /// Clicks what matches `css` and waits until the browser has left the page (its old
    /// document is gone), so that later look-ups see the next page.
    async fn click_and_wait(&self, css: &str) -> TestResult {
        let old = self.find("html").await?;
        self.click(css).await?;
        self.wait_gone(&old).await
    }

    /// Waits until the element `id` no longer exists (its page was replaced).
    async fn wait_gone(&self, id: &str) -> TestResult {
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

    async fn text(&self, css: &str) -> TestResult<String> {
        let id = self.find(css).await?;
        let text = self
            .cmd("GET", &format!("/element/{id}/text"), None)
            .await?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// Runs `script` in the page with `args`.
    async fn script(&self, script: &str, args: Value) -> TestResult<Value> {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Chooses the option whose text is `label` in the `select` matching `css`.
    async fn select(&self, css: &str, label: &str) -> TestResult {
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
    async fn wait_url(&self, test: impl Fn(&str) -> bool) -> TestResult<String> {
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

    async fn screenshot(&mut self, name: &str) -> TestResult {
        self.step += 1;
        let png = self.cmd("GET", "/screenshot", None).await?;
        let bytes = decode_base64(png.as_str().ok_or("no screenshot")?)?;
        let path = self.shots.join(format!("{:02}-{name}.png", self.step));
        std::fs::write(&path, bytes)?;
        Ok(())
    }

    async fn sign_in(&self, login: &str) -> TestResult {
        self.goto("/login").await?;
        self.type_into("input[name=login]", login).await?;
        self.type_into("input[name=password]", helpdesk_server::demo::PASSWORD)
            .await?;
        self.click_and_wait("form[action='/login'] button").await?;
        self.wait_url(|u| !u.ends_with("/login")).await?;
        Ok(())
    }

    async fn sign_out(&self) -> TestResult {
        self.click_and_wait("form[action='/logout'] button").await?;
        self.wait_url(|u| u.ends_with("/login")).await?;
        Ok(())
    }

    async fn close(self) -> TestResult {
        self.cmd("DELETE", "", None).await?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------

/// The example server with the demo data, on an in-memory database, on 127.0.0.1:0.
async fn serve() -> TestResult<String> {
    let store = helpdesk::connect(":memory:").await?;
    let desk = Helpdesk::new(store).with_blobs(
        Arc::new(MemoryBlobStore::default()),
        AttachmentLimits::default(),
    );
    let accounts = Arc::new(helpdesk_server::Accounts::for_tests(desk.store().clone()).unwrap());
    helpdesk_server::demo::load(&desk, &accounts).await?;
    let app = helpdesk_server::router(desk, accounts, helpdesk_server::Options::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(format!("http://{addr}"))
}

const NOTE: &str = "Internal: the modem firmware is known to be faulty.";
const REPLY: &str = "Please restart the printer while holding the reset button.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_opens_a_ticket_an_agent_answers_and_the_customer_closes_it() -> TestResult {
    if !browser_available() {
        return Ok(());
    }
    let base = serve().await?;
    let dir = tempfile::tempdir()?;
    let driver = Driver::start().await?;
    let mut b = Browser::open(driver, base, &dir.path().join("profile")).await?;
    let mut result = Box::pin(scenario(&mut b, dir.path())).await;
    if result.is_ok() {
        result = Box::pin(chat_scenario(&mut b)).await;
    }
    if result.is_err() {
        let _ = b.screenshot("failure").await;
    }
    b.close().await?;
    result
}

async fn scenario(b: &mut Browser, dir: &Path) -> TestResult {
    // The customer searches the knowledge base and finds nothing.
    b.sign_in("john@demo.example").await?;
    b.goto("/portal").await?;
    b.type_into(
        "form[action='/portal/kb'] input[name=q]",
        "printer smoking sparks",
    )
    .await?;
    b.click_and_wait("form[action='/portal/kb'] button").await?;
    b.find("#nothing").await?;
    b.screenshot("kb-nothing-found").await?;

    // ...and opens a ticket with an attachment.
    b.click_and_wait("#nothing a").await?;
    b.find("#new-ticket").await?;
    b.select("#new-ticket select[name=department]", "Support")
        .await?;
    b.type_into("#subject", "The printer is smoking").await?;
    b.type_into("#body", "Sparks came out of the printer after the update.")
        .await?;
    let photo = dir.join("printer-log.txt");
    std::fs::write(&photo, "E-42: fuser overheated\n")?;
    b.type_into("#new-ticket input[type=file]", &photo.display().to_string())
        .await?;
    b.screenshot("new-ticket-form").await?;
    b.click_and_wait("#new-ticket button[type=submit]").await?;
    let ticket_url = b.wait_url(|u| u.contains("/tickets/")).await?;
    let ticket_path =
        ticket_url[ticket_url.find("/tickets/").ok_or("no ticket path")?..].to_owned();
    let thread = b.text("#thread").await?;
    assert!(thread.contains("Sparks came out"), "{thread}");
    assert!(
        thread.contains("printer-log.txt"),
        "the attachment is listed: {thread}"
    );
    b.screenshot("ticket-opened").await?;
    b.sign_out().await?;

    // An agent of the department adds an internal note and a reply, and resolves it.
    b.sign_in("ivan@demo.example").await?;
    b.goto(&ticket_path).await?;
    b.type_into("#reply textarea[name=body]", NOTE).await?;
    b.click("#reply input[name=internal]").await?;
    b.click_and_wait("#reply button[type=submit]").await?;
    b.wait_url(|u| u.contains(&ticket_path)).await?;
    b.find(".msg.internal").await?;
    b.type_into("#reply textarea[name=body]", REPLY).await?;
    b.click_and_wait("#reply button[type=submit]").await?;
    b.wait_url(|u| u.contains(&ticket_path)).await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !b.text("#thread").await?.contains(REPLY) {
        if Instant::now() > deadline {
            return Err("the reply did not appear".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let page = b.find("html").await?;
    b.script(
        "var s=document.querySelector('select[name=action]');\
         s.value='resolve'; s.form.submit();",
        json!([]),
    )
    .await?;
    b.wait_gone(&page).await?;
    b.find("span.status[data-status=resolved]").await?;
    let agent_view = b.text("#thread").await?;
    assert!(
        agent_view.contains(NOTE) && agent_view.contains(REPLY),
        "{agent_view}"
    );
    b.screenshot("agent-noted-replied-resolved").await?;
    b.sign_out().await?;

    // The customer sees the reply and not the note, and confirms the solution.
    b.sign_in("john@demo.example").await?;
    b.goto(&ticket_path).await?;
    let customer_view = b.text("#thread").await?;
    assert!(customer_view.contains(REPLY), "{customer_view}");
    assert!(
        !customer_view.contains(NOTE),
        "the note leaked: {customer_view}"
    );
    let page = b
        .script("return document.documentElement.outerHTML;", json!([]))
        .await?;
    assert!(
        !page.as_str().unwrap_or_default().contains("modem firmware"),
        "the note is nowhere in the customer's page"
    );
    b.screenshot("customer-sees-reply").await?;
    b.click_and_wait("#confirm").await?;
    let status = b.find("span.status[data-status='closed:solved']").await?;
    let label = b
        .cmd("GET", &format!("/element/{status}/text"), None)
        .await?;
    assert!(
        label
            .as_str()
            .is_some_and(|l| l.eq_ignore_ascii_case("closed")),
        "{label}"
    );
    b.screenshot("ticket-closed").await?;
    Ok(())
}

// No word of 3 letters or more shared with a demo article (the suggestions match any word).
const CHAT_QUESTION: &str = "Scanner grinding noise";
const CHAT_HELLO: &str = "Is a person there? It is getting louder.";
const CHAT_ANSWER: &str = "Hello, Ivan here: please switch the scanner off for now.";

impl Browser {
    /// Waits until the text of what matches `css` contains `wanted`; that text.
    async fn wait_text(&self, css: &str, wanted: &str) -> TestResult<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.text(css).await.unwrap_or_default();
            if text.contains(wanted) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                return Err(format!("{css:?} never showed {wanted:?}: {text:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A chat that becomes a ticket (runs after `scenario`, signed in as the customer).
async fn chat_scenario(b: &mut Browser) -> TestResult {
    b.sign_out().await?;

    // The agent goes online in the console.
    b.sign_in("ivan@demo.example").await?;
    b.goto("/console").await?;
    b.find("#chat-panel").await?;
    b.script(
        "var s=document.getElementById('presence');s.value='online';\
         s.dispatchEvent(new Event('change'));",
        json!([]),
    )
    .await?;
    b.wait_text("#presence-state", "online").await?;
    b.screenshot("agent-online-for-chat").await?;
    b.sign_out().await?;

    // The customer opens the widget and asks; the assistant has no article for it.
    b.sign_in("john@demo.example").await?;
    b.goto("/portal").await?;
    b.click("#chat-open").await?;
    b.find("#chat-department option").await?;
    b.select("#chat-department", "Support").await?;
    let note = b.text("#chat-note").await?;
    assert!(note.contains("knowledge base"), "{note}");
    b.type_into("#chat-question", CHAT_QUESTION).await?;
    b.click("#chat-start button[type=submit]").await?;
    b.find("#chat-no-article").await?;
    b.wait_text("#chat-log", CHAT_QUESTION).await?;
    b.screenshot("chat-assistant-found-nothing").await?;

    // ...talks to a person: the online agent takes it at once.
    b.click("#chat-person").await?;
    b.wait_text("#chat-status", "talking to").await?;
    b.type_into("#chat-input", CHAT_HELLO).await?;
    b.click("#chat-form button[type=submit]").await?;
    b.wait_text("#chat-log", CHAT_HELLO).await?;
    b.screenshot("chat-with-a-person").await?;
    b.sign_out().await?;

    // The agent answers in the console's chat panel (the conversation so far is replayed).
    b.sign_in("ivan@demo.example").await?;
    b.goto("/console").await?;
    b.wait_text("#my-chats .chat-conv .chat-log", CHAT_HELLO)
        .await?;
    b.type_into("#my-chats .chat-conv input[name=say]", CHAT_ANSWER)
        .await?;
    b.click("#my-chats .chat-conv form button").await?;
    b.wait_text("#my-chats .chat-conv .chat-log", CHAT_ANSWER)
        .await?;
    b.find("#my-chats .chat-conv a.chat-ticket").await?;
    b.screenshot("agent-answers-in-chat").await?;
    b.sign_out().await?;

    // The customer comes back: the widget reopens with the whole conversation.
    b.sign_in("john@demo.example").await?;
    b.goto("/portal").await?;
    let log = b.wait_text("#chat-log", CHAT_ANSWER).await?;
    assert!(
        log.contains(CHAT_QUESTION) && log.contains(CHAT_HELLO),
        "{log}"
    );
    b.screenshot("customer-sees-the-agent-in-chat").await?;

    // The chat is a ticket in the customer's list, its thread the transcript.
    let list = b.text("#tickets").await?;
    assert!(list.contains(CHAT_QUESTION), "{list}");
    let href = b
        .script(
            "var rows=document.querySelectorAll('#tickets tr');\
             for(var i=0;i<rows.length;i++){if(rows[i].textContent.indexOf(arguments[0])>=0)\
             {return rows[i].querySelector('a').getAttribute('href');}}return null;",
            json!([CHAT_QUESTION]),
        )
        .await?;
    let href = href
        .as_str()
        .ok_or("no link to the chat's ticket")?
        .to_owned();
    b.goto(&href).await?;
    let thread = b.wait_text("#thread", CHAT_ANSWER).await?;
    assert!(
        thread.contains(CHAT_QUESTION) && thread.contains(CHAT_HELLO),
        "{thread}"
    );
    b.screenshot("chat-transcript-in-the-ticket").await?;
    Ok(())
}
