//! An admin page on a phone-sized window (390 px): a business-hours calendar refused for a
//! zone that does not exist, shown again with the reason and the input kept, then saved;
//! the page never scrolls sideways.

use serde_json::json;

use super::TestResult;
use super::webdriver::Browser;

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

/// Runs after the other scenarios: the admin sets a calendar on a 390 px window.
pub(super) async fn admin_scenario(b: &mut Browser) -> TestResult {
    b.sign_out().await?;
    b.cmd(
        "POST",
        "/window/rect",
        Some(json!({"width": 390, "height": 844})),
    )
    .await?;
    b.sign_in("admin@demo.example").await?;
    b.goto("/admin/service-levels").await?;
    b.find("#calendar").await?;
    assert!(
        !wider_than_window(b).await?,
        "the page scrolls sideways at 390 px"
    );

    b.type_into("#calendar input[name=name]", "Night shift")
        .await?;
    b.script(
        "document.querySelector('#calendar input[name=zone]').value='Mars/Olympus';\
         document.querySelector('#calendar textarea[name=hours]').value='mon-fri 22:00-23:59';",
        json!([]),
    )
    .await?;
    b.click_and_wait("#calendar button").await?;
    let alert = b.text("#calendar [role=alert]").await?;
    assert!(alert.contains("Mars/Olympus"), "{alert}");
    let kept = b
        .script(
            "return document.querySelector('#calendar textarea[name=hours]').value;",
            json!([]),
        )
        .await?;
    assert_eq!(kept, json!("mon-fri 22:00-23:59"));
    assert!(
        !wider_than_window(b).await?,
        "the refused form scrolls sideways"
    );
    b.screenshot("admin-calendar-refused-390px").await?;

    b.script(
        "document.querySelector('#calendar input[name=zone]').value='Europe/Bucharest';",
        json!([]),
    )
    .await?;
    b.click_and_wait("#calendar button").await?;
    b.wait_url(|u| u.ends_with("/admin/service-levels")).await?;
    let page = b.text("main").await?;
    assert!(
        page.contains("Night shift") && page.contains("mon-fri 22:00-23:59"),
        "{page}"
    );
    b.screenshot("admin-calendar-saved-390px").await?;
    Ok(())
}
