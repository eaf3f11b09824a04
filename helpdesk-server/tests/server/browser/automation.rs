//! The automation admin page on a phone-sized window (390 px, issue 22): a scheduled rule
//! refused for a schedule of zero minutes (the browser's own check turned off, as an old
//! browser would) comes back with the reason and the input kept, then is saved; the page
//! never scrolls sideways.

use serde_json::json;

use super::webdriver::{Browser, Driver};
use super::{TestResult, browser_available, serve};

/// Whether the page is wider than the window (it would scroll sideways).
async fn wider_than_window(b: &Browser) -> TestResult<bool> {
    let wider = b
        .script(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            json!([]),
        )
        .await?;
    Ok(wider.as_bool().unwrap_or(true))
}

async fn scenario(b: &mut Browser) -> TestResult {
    b.cmd(
        "POST",
        "/window/rect",
        Some(json!({"width": 390, "height": 844})),
    )
    .await?;
    b.sign_in("admin@demo.example").await?;
    b.goto("/admin/rules").await?;
    b.find("#rule-add").await?;
    assert!(
        !wider_than_window(b).await?,
        "the rules page scrolls sideways at 390 px"
    );
    b.type_into("#rule-add input[name=name]", "Close stale")
        .await?;
    b.script(
        "document.querySelector('#rule-add').noValidate=true;\
         document.querySelector('#rule-add input[value=scheduled]').checked=true;\
         document.querySelector('#rule-add input[name=every_minutes]').value='0';\
         document.querySelector('#rule-add input[name=status_pending_customer]').checked=true;\
         document.querySelector('#rule-add select[name=action_0]').value='close:unsolved';",
        json!([]),
    )
    .await?;
    b.click_and_wait("#rule-add button").await?;
    let alert = b.text("#rule-add [role=alert]").await?;
    assert!(alert.contains("every_minutes"), "{alert}");
    let kept = b
        .script(
            "return [document.querySelector('#rule-add input[name=name]').value,\
             document.querySelector('#rule-add select[name=action_0]').value];",
            json!([]),
        )
        .await?;
    assert_eq!(kept, json!(["Close stale", "close:unsolved"]));
    assert!(
        !wider_than_window(b).await?,
        "the refused form scrolls sideways"
    );
    b.screenshot("admin-rule-refused-390px").await?;

    b.script(
        "document.querySelector('#rule-add input[name=every_minutes]').value='60';",
        json!([]),
    )
    .await?;
    b.click_and_wait("#rule-add button").await?;
    b.wait_url(|u| u.contains("/admin/rules/")).await?;
    b.find("#rule-edit").await?;
    assert!(
        !wider_than_window(b).await?,
        "the rule's page scrolls sideways at 390 px"
    );
    b.screenshot("admin-rule-saved-390px").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_scheduled_rule_on_a_phone_sized_window() -> TestResult {
    if !browser_available() {
        return Ok(());
    }
    let base = serve().await?;
    let dir = tempfile::tempdir()?;
    let driver = Driver::start().await?;
    let mut b = Browser::open(driver, base, &dir.path().join("profile")).await?;
    let result = Box::pin(scenario(&mut b)).await;
    if result.is_err() {
        let _ = b.screenshot("automation-failure").await;
    }
    b.close().await?;
    result
}
