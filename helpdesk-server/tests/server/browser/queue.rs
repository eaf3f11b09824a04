//! The console a team works in, in the browser (issue 21, problems 1, 3 and 7): the queue's
//! keyboard shortcuts (j/k move, ? help, / search, r reply, n note), a 404 page with the
//! menu, sign-out and a way back, and the notification centre's "dismiss all".

use serde_json::{Value, json};

use super::TestResult;
use super::webdriver::Browser;

/// Presses `key` as a person does (a key down and up on the focused element).
async fn press(b: &Browser, key: &str) -> TestResult {
    b.cmd(
        "POST",
        "/actions",
        Some(
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
            ]}]}),
        ),
    )
    .await?;
    Ok(())
}

/// What `script` returns.
async fn eval(b: &Browser, script: &str) -> TestResult<Value> {
    b.script(script, json!([])).await
}

/// Which of the queue's rows are marked current.
async fn current_rows(b: &Browser) -> TestResult<Value> {
    eval(
        b,
        "return Array.from(document.querySelectorAll('#queue tr[data-ticket]'))\
         .map(function (r) { return r.classList.contains('current'); }).slice(0, 3);",
    )
    .await
}

/// Runs after the admin's scenario: an agent works the queue with the keyboard.
pub(super) async fn queue_scenario(b: &mut Browser) -> TestResult {
    b.sign_out().await?;
    b.cmd(
        "POST",
        "/window/rect",
        Some(json!({"width": 1280, "height": 900})),
    )
    .await?;
    b.sign_in("ivan@demo.example").await?;
    b.goto("/console").await?;
    b.find("#queue tr[data-ticket]").await?;
    b.find("#queue-total").await?;

    press(b, "j").await?;
    press(b, "j").await?;
    assert_eq!(current_rows(b).await?, json!([false, true, false]));
    press(b, "k").await?;
    assert_eq!(current_rows(b).await?, json!([true, false, false]));

    press(b, "?").await?;
    assert_eq!(
        eval(b, "return document.getElementById('shortcut-help').hidden;").await?,
        json!(false)
    );
    b.screenshot("queue-shortcut-help").await?;
    press(b, "\u{E00C}").await?; // Escape
    assert_eq!(
        eval(b, "return document.getElementById('shortcut-help').hidden;").await?,
        json!(true)
    );

    press(b, "/").await?;
    assert_eq!(
        eval(b, "return document.activeElement.name;").await?,
        json!("q")
    );
    eval(b, "document.activeElement.blur(); return null;").await?;

    // r on the current row opens its ticket at the reply box; there, n makes it a note.
    press(b, "j").await?;
    press(b, "r").await?;
    b.wait_url(|u| u.contains("/tickets/") && u.ends_with("#reply"))
        .await?;
    b.find("#reply textarea").await?;
    press(b, "r").await?;
    assert_eq!(
        eval(b, "return document.activeElement.name;").await?,
        json!("body")
    );
    eval(b, "document.activeElement.blur(); return null;").await?;
    press(b, "n").await?;
    assert_eq!(
        eval(
            b,
            "return document.querySelector('#reply input[name=internal]').checked;"
        )
        .await?,
        json!(true)
    );

    // An address that does not exist: a page with the menu, sign-out and a way back.
    b.goto("/console/no-such-page").await?;
    b.find("#back").await?;
    b.find("header form[action='/logout']").await?;
    b.screenshot("not-found-page").await?;

    // The notification centre, linked from the menu; everything dismissed at once.
    b.goto("/console").await?;
    b.click_and_wait("#notifications-link").await?;
    b.wait_url(|u| u.ends_with("/console/notifications"))
        .await?;
    if !b.find_all("#dismiss-all button").await?.is_empty() {
        b.click_and_wait("#dismiss-all button").await?;
    }
    b.find("#no-notifications").await?;
    b.screenshot("notification-centre-empty").await?;
    Ok(())
}
