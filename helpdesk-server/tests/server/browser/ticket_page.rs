//! The agent's ticket page in the browser (issue 21, problem 5), at 1280 and 390 px, in
//! English and Persian: the customer panel beside the thread (above it on a phone, the page
//! never scrolling sideways), the assignee, the SLA clocks with their due times (Persian
//! digits on Persian pages), every action (ask the customer, status changes, merge, link to
//! a master), messages labelled with their authors, a canned response inserted into the
//! reply box by the script, keeping what was typed; asking the customer with a blank question
//! refused inline with the date kept, then asked; and a template on the phone-ticket form.

use serde_json::{Value, json};

use super::TestResult;
use super::webdriver::Browser;

/// What `script` returns.
async fn eval(b: &Browser, script: &str) -> TestResult<Value> {
    b.script(script, json!([])).await
}

/// A check of the page that fails the test with `what` unless `script` returns true.
async fn holds(b: &Browser, what: &str, script: &str) -> TestResult {
    match eval(b, script).await? {
        Value::Bool(true) => Ok(()),
        other => Err(format!("{what}: {other}").into()),
    }
}

/// John's ticket, the demo's first (answered, with an internal note).
const TICKET: &str = "/tickets/10000001";

/// One walk through the page at `width` in `lang`.
async fn walk(b: &mut Browser, width: u32, lang: &str) -> TestResult {
    b.cmd(
        "POST",
        "/window/rect",
        Some(json!({"width": width, "height": 900})),
    )
    .await?;
    b.goto(&format!("{TICKET}?lang={lang}")).await?;
    let panel = b.text("#customer-panel").await?;
    for shown in ["John Smith", "john@demo.example", "+1 555 0100"] {
        assert!(panel.contains(shown), "{shown} in the panel: {panel}");
    }
    b.find("#assignee").await?;
    b.find("#sla-clocks .sla-clock time").await?;
    let due = b.text("#sla-clocks .sla-clock time").await?;
    let persian_digits = due.chars().any(|c| ('۰'..='۹').contains(&c));
    assert_eq!(
        persian_digits,
        lang == "fa",
        "the due time in {lang}: {due}"
    );
    assert_eq!(
        due.chars().any(|c| c.is_ascii_digit()),
        lang != "fa",
        "{due}"
    );
    for form in [
        "#ask-form",
        "#transition-form",
        "#merge-form",
        "#link-form",
        "#assign-form",
    ] {
        b.find(form).await?;
    }
    // Each message labelled with its author: John, Ivan, and Ivan's internal note.
    let authors = eval(
        b,
        "return Array.from(document.querySelectorAll('#thread .msg .author'))\
         .map(function(a){return a.textContent;});",
    )
    .await?;
    assert_eq!(
        authors,
        json!(["John Smith", "Иван Петров", "Иван Петров"]),
        "{lang}"
    );
    b.find("#thread .msg.internal .note-mark").await?;

    // Beside the thread on a wide screen, above it on a phone; never sideways.
    if width >= 1000 {
        holds(
            b,
            "the panel is beside the thread",
            "var p=document.getElementById('customer-panel').getBoundingClientRect(),\
             t=document.getElementById('thread').getBoundingClientRect();\
             return p.top < t.bottom && (p.left >= t.right || p.right <= t.left);",
        )
        .await?;
    } else {
        holds(
            b,
            "the panel is above the thread",
            "var p=document.getElementById('ticket-clocks').getBoundingClientRect(),\
             t=document.getElementById('thread').getBoundingClientRect();\
             return p.bottom <= t.top;",
        )
        .await?;
    }
    holds(
        b,
        "the page scrolls sideways",
        "return document.documentElement.scrollWidth <= window.innerWidth;",
    )
    .await?;
    b.screenshot(&format!("agent-ticket-page-{width}px-{lang}"))
        .await?;

    // A canned response goes into the reply box at the cursor, after what was typed.
    let here = b.url().await?;
    b.type_into("#reply textarea[name=body]", "Hi. ").await?;
    b.click("#canned button[type=submit]").await?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let value = eval(
            b,
            "return document.querySelector('#reply textarea[name=body]').value;",
        )
        .await?;
        let value = value.as_str().unwrap_or_default().to_owned();
        if value.starts_with("Hi. ") && value.contains("John Smith") {
            break;
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("the canned response was not inserted: {value:?}").into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        b.url().await?,
        here,
        "inserted in place, without leaving the page"
    );
    b.screenshot(&format!("canned-inserted-{width}px-{lang}"))
        .await?;

    // A template on the phone-ticket form fills in its body.
    b.goto("/console/new").await?;
    holds(
        b,
        "the phone-ticket form offers the template",
        "var s=document.querySelector('#choose-template select[name=template]');\
         for(var i=0;i<s.options.length;i++){if(s.options[i].text.indexOf('Internet down')===0)\
         {s.selectedIndex=i;return true;}}return false;",
    )
    .await?;
    b.click_and_wait("#choose-template button").await?;
    b.wait_url(|u| u.contains("template=")).await?;
    b.find("#subject-prefix").await?;
    let body = eval(
        b,
        "var f=document.querySelector('#phone-ticket textarea');return f?f.value:'';",
    )
    .await?;
    assert!(
        body.as_str().unwrap_or_default().contains("Router lights"),
        "{body}"
    );
    Ok(())
}

/// Asking the customer: a blank question refused beside the form, the date kept; then asked,
/// and the ticket is pending.
async fn ask(b: &mut Browser) -> TestResult {
    b.goto(&format!("{TICKET}?lang=en")).await?;
    eval(
        b,
        "var f=document.getElementById('ask-form');\
         f.querySelector('textarea').removeAttribute('required');\
         f.querySelector('input[name=until]').value='2099-01-02T10:30';return null;",
    )
    .await?;
    b.click_and_wait("#ask-form button").await?;
    b.find("#ask-form #form-error").await?;
    assert_eq!(
        eval(
            b,
            "return document.querySelector('#ask-form input[name=until]').value;"
        )
        .await?,
        json!("2099-01-02T10:30")
    );
    b.screenshot("ask-customer-refused").await?;
    b.type_into("#ask-form textarea", "Which lights are on?")
        .await?;
    b.click_and_wait("#ask-form button").await?;
    b.find("span.status[data-status=pending_customer]").await?;
    b.find("#pending-until").await?;
    b.screenshot("ask-customer-pending").await?;
    Ok(())
}

/// The whole walk: both widths, both languages, then asking the customer.
pub(super) async fn ticket_page_scenario(b: &mut Browser) -> TestResult {
    b.sign_in("ivan@demo.example").await?;
    for width in [1280, 390] {
        for lang in ["en", "fa"] {
            Box::pin(walk(b, width, lang)).await?;
        }
    }
    b.goto("/console?lang=en").await?;
    ask(b).await
}
