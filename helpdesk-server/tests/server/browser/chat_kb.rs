//! The chat widget's knowledge-base suggestions in the reader's language (issue 21), in
//! headless Chromium on the demo data: a Romanian customer at 1280 px and a Persian one at
//! 390 px ask the assistant about the router; the articles in their language come first,
//! those in other languages after, each marked with its language's name in the reader's
//! words; every title links to the article's page, which opens with the chat still there.
//! Fails if any part is missing.

use serde_json::{Value, json};

use super::webdriver::{Browser, Driver};
use super::{TestResult, browser_available, serve};

/// A customer of the demo data, their language, their question (a word of their language's
/// article and "router", which the English one has) and the marker of an English article.
const WALKS: [(&str, &str, u32, &str, &str); 2] = [
    (
        "ana@demo.example",
        "ro",
        1280,
        "Routerul nu merge, trebuie resetat router-ul?",
        "în \u{2068}English\u{2069}",
    ),
    (
        "zahra@demo.example",
        "fa",
        390,
        "مودم کار نمی‌کند، router را چطور ریست کنم؟",
        "به زبان \u{2068}English\u{2069}",
    ),
];

/// What the widget shows of each suggestion: its language, its link, whether it is marked
/// as another language, the mark's text.
const SHOWN: &str = "return Array.from(document.querySelectorAll('#chat-suggestions .chat-article'))\
    .map(function(d){var a=d.querySelector('a[href]'),m=d.querySelector('.kb-other-language');\
    return [d.lang, a?a.getAttribute('href'):'', m?m.textContent:''];});";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chat_assistant_links_articles_in_the_readers_language_first() -> TestResult {
    if !browser_available() {
        return Ok(());
    }
    let base = serve().await?;
    let dir = tempfile::tempdir()?;
    let driver = Driver::start().await?;
    let mut b = Browser::open(driver, base, &dir.path().join("profile")).await?;
    let mut result = Ok(());
    for walk in WALKS {
        result = Box::pin(ask(&mut b, walk)).await;
        if result.is_err() {
            let _ = b.screenshot("chat-kb-failure").await;
            break;
        }
    }
    b.close().await?;
    result
}

async fn ask(
    b: &mut Browser,
    (login, lang, width, question, marker): (&str, &str, u32, &str, &str),
) -> TestResult {
    let height = if width < 500 { 844 } else { 900 };
    b.cmd(
        "POST",
        "/window/rect",
        Some(json!({"width": width, "height": height})),
    )
    .await?;
    b.sign_in(login).await?;
    b.goto("/portal").await?;
    b.click("#chat-open").await?;
    b.find("#chat-department option").await?;
    b.select("#chat-department", "Support").await?;
    b.type_into("#chat-question", question).await?;
    b.click("#chat-start button[type=submit]").await?;
    b.find("#chat-suggestions .chat-article a").await?;
    let shown = b.script(SHOWN, json!([])).await?;
    let shown = shown.as_array().ok_or("no suggestions")?;
    let row = |i: usize, j: usize| shown[i][j].as_str().unwrap_or_default().to_owned();
    // Theirs first, unmarked; then at least one other, each marked in the reader's words.
    if shown.len() < 2 || row(0, 0) != lang || !row(0, 2).is_empty() {
        return Err(format!("{login}: {}", Value::from(shown.clone())).into());
    }
    for (i, article) in shown.iter().enumerate() {
        if !row(i, 1).starts_with("/portal/kb/") {
            return Err(format!("{login}: not a link: {article}").into());
        }
        if i > 0 && (row(i, 0) == lang || row(i, 2).is_empty()) {
            return Err(format!("{login}: theirs after another: {article}").into());
        }
    }
    let english = shown.iter().position(|s| s[0] == "en");
    let english = english.ok_or(format!("{login}: no English article offered"))?;
    if row(english, 2).trim() != marker {
        return Err(format!("{login}: marked {:?}, not {marker:?}", row(english, 2)).into());
    }
    b.screenshot(&format!("chat-kb-suggestions-{width}px-{lang}"))
        .await?;

    // The first title opens the article's page; the chat is still open there.
    let href = row(0, 1);
    b.click_and_wait("#chat-suggestions .chat-article a")
        .await?;
    b.wait_url(|u| u.ends_with(&href)).await?;
    b.find("#article h1").await?;
    b.wait_text("#chat-log", question).await?;
    // Ended cleanly, for the next walk.
    b.click("#chat-end").await?;
    b.find("#chat-new:not([hidden])").await?;
    b.sign_out().await?;
    Ok(())
}
