//! Everyone's own settings in the browser (issue 21): a Persian customer finds the browser's
//! time zone offered on `/settings`, chooses Tehran, and the portal's dates are in Solar
//! Hijri with Persian digits and the zone named, at 1280 and 390 px, never scrolling
//! sideways; an agent's language switch is stored and honoured after signing in again
//! without the switch's cookie, over the browser's `Accept-Language`.

use serde_json::{Value, json};

use super::webdriver::Browser;
use super::{TestResult, browser_available, serve};

/// What `script` returns.
async fn eval(b: &Browser, script: &str) -> TestResult<Value> {
    b.script(script, json!([])).await
}

/// Fails with `what` unless `script` returns true.
async fn holds(b: &Browser, what: &str, script: &str) -> TestResult {
    match eval(b, script).await? {
        Value::Bool(true) => Ok(()),
        other => Err(format!("{what}: {other}").into()),
    }
}

/// The customer's walk at `width`: the browser's zone offered (the first time), Tehran
/// chosen, the portal's dates in it.
async fn customer(b: &mut Browser, width: u32, first: bool) -> TestResult {
    b.cmd(
        "POST",
        "/window/rect",
        Some(json!({"width": width, "height": 900})),
    )
    .await?;
    b.goto("/settings").await?;
    if first {
        holds(
            b,
            "the browser's zone is offered",
            "var s=document.getElementById('time-zone');\
             var z=Intl.DateTimeFormat().resolvedOptions().timeZone;\
             var known=Array.from(s.options).some(function(o){return o.value===z;});\
             return !known || (s.value===z && !document.getElementById('browser-zone').hidden);",
        )
        .await?;
    }
    holds(
        b,
        "the settings page scrolls sideways",
        "return document.documentElement.scrollWidth <= window.innerWidth;",
    )
    .await?;
    b.screenshot(&format!("settings-{width}px-fa")).await?;
    b.select("#time-zone", "Asia/Tehran").await?;
    b.click_and_wait("#person-settings button[type=submit]")
        .await?;
    let now = b.text("#settings-now time").await?;
    assert!(now.contains("Asia/Tehran"), "{now}");
    assert!(now.chars().any(|c| ('۰'..='۹').contains(&c)), "{now}");
    b.goto("/portal").await?;
    // Every date of the portal (some are hidden on a phone: their text, not their look).
    let dates = eval(
        b,
        "return Array.from(document.querySelectorAll('main time'))\
         .map(function(t){return t.textContent;});",
    )
    .await?;
    let dates: Vec<&str> = dates
        .as_array()
        .ok_or("no list")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(!dates.is_empty(), "the portal shows dates");
    for date in dates {
        assert!(date.contains("Asia/Tehran"), "{date}");
        assert!(!date.chars().any(|c| c.is_ascii_digit()), "{date}");
    }
    holds(
        b,
        "the portal scrolls sideways",
        "return document.documentElement.scrollWidth <= window.innerWidth;",
    )
    .await?;
    b.screenshot(&format!("portal-dates-tehran-{width}px-fa"))
        .await?;
    Ok(())
}

/// The agent's switch, stored: after signing in again without the switch's cookie, the
/// console is in the language chosen, not the browser's (English).
async fn agent(b: &mut Browser) -> TestResult {
    b.sign_in("ivan@demo.example").await?;
    b.goto("/console?lang=ro").await?;
    b.sign_out().await?;
    b.cmd("DELETE", "/cookie/hd_lang", None).await?;
    b.goto("/login").await?;
    holds(
        b,
        "the sign-in page without the cookie is the browser's",
        "return document.documentElement.lang !== 'ro';",
    )
    .await?;
    b.sign_in("ivan@demo.example").await?;
    b.goto("/console").await?;
    holds(
        b,
        "the console is in the stored language",
        "return document.documentElement.lang === 'ro';",
    )
    .await?;
    b.goto("/settings").await?;
    b.screenshot("settings-1280px-ro").await?;
    b.goto("/console?lang=en").await?;
    Ok(())
}

/// The walk: the Persian customer at both widths, then the agent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_choose_their_time_zone_and_the_staffs_language_is_stored() -> TestResult {
    if !browser_available() {
        return Ok(());
    }
    let base = serve().await?;
    let dir = tempfile::tempdir()?;
    let driver = super::webdriver::Driver::start().await?;
    let mut b = Browser::open(driver, base, &dir.path().join("profile")).await?;
    let result: TestResult = async {
        b.sign_in("zahra@demo.example").await?;
        Box::pin(customer(&mut b, 1280, true)).await?;
        Box::pin(customer(&mut b, 390, false)).await?;
        b.cmd(
            "POST",
            "/window/rect",
            Some(json!({"width": 1280, "height": 900})),
        )
        .await?;
        b.sign_out().await?;
        Box::pin(agent(&mut b)).await
    }
    .await;
    if result.is_err() {
        let _ = b.screenshot("settings-failure").await;
    }
    b.close().await?;
    result
}
