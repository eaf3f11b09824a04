//! The console's live queue in the browser (issue 23): an agent has the queue open; a ticket
//! in it gets a note through the desk (as another process would write it); the page, which
//! follows `GET /api/v1/changes/stream`, marks the row and shows how many tickets changed
//! with a link to reload, and the notification badge is beside the menu's link.

use std::time::{Duration, Instant};

use helpdesk::Helpdesk;
use helpdesk::domain::{MessageBody, TicketId};
use helpdesk::machine::Command;
use serde_json::{Value, json};

use super::webdriver::{Browser, Driver};
use super::{TestResult, browser_available, serve_with_desk};

/// What `script` returns, once it returns something other than `null` (10 s at most).
async fn until(b: &Browser, script: &str) -> TestResult<Value> {
    let started = Instant::now();
    loop {
        let value = b.script(script, json!([])).await?;
        if !value.is_null() {
            return Ok(value);
        }
        if started.elapsed() > Duration::from_secs(10) {
            return Err(format!("never: {script}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_marks_a_ticket_changed_elsewhere_and_offers_a_reload() -> TestResult {
    if !browser_available() {
        return Ok(());
    }
    let (base, desk) = serve_with_desk().await?;
    let dir = tempfile::tempdir()?;
    let driver = Driver::start().await?;
    let mut b = Browser::open(driver, base, &dir.path().join("profile")).await?;
    let result = Box::pin(scenario(&mut b, &desk)).await;
    if result.is_err() {
        let _ = b.screenshot("live-queue-failure").await;
    }
    b.close().await?;
    result
}

async fn scenario(b: &mut Browser, desk: &Helpdesk) -> TestResult {
    b.sign_in("ivan@demo.example").await?;
    b.goto("/console").await?;
    b.find("#queue tr[data-ticket]").await?;
    // The badge is put beside the menu's link once the unread count is read.
    until(
        b,
        "var e=document.getElementById('notification-badge');return e?e.parentNode.id:null;",
    )
    .await?;
    assert_eq!(
        b.script(
            "return document.getElementById('queue-live').hidden;",
            json!([])
        )
        .await?,
        json!(true)
    );
    let first = b
        .script(
            "return document.querySelector('#queue tr[data-ticket]').dataset.ticket;",
            json!([]),
        )
        .await?;
    let ticket: TicketId = first.as_str().ok_or("no ticket id")?.parse()?;
    // The stream is open once the page has read the head; a moment for it.
    tokio::time::sleep(Duration::from_millis(500)).await;
    desk.as_system()
        .execute(
            ticket,
            Command::note(MessageBody::parse("Checked with the vendor.")?),
        )
        .await?;
    let shown = until(
        b,
        "var p=document.getElementById('queue-live');return p.hidden?null:p.textContent;",
    )
    .await?;
    let shown = shown.as_str().unwrap_or_default();
    assert!(
        shown.contains("Tickets changed since this page was loaded: \u{2068}1\u{2069}"),
        "{shown}"
    );
    let marked = b
        .script(
            "return document.querySelector('#queue tr[data-ticket]').classList.contains('changed');",
            json!([]),
        )
        .await?;
    assert_eq!(marked, json!(true));
    b.screenshot("live-queue-changed").await?;
    b.click_and_wait("#queue-live-refresh").await?;
    b.find("#queue tr[data-ticket]").await?;
    assert_eq!(
        b.script(
            "return document.getElementById('queue-live').hidden;",
            json!([])
        )
        .await?,
        json!(true)
    );
    Ok(())
}
