//! The portal a customer understands (issue 21), in headless Chromium as a Romanian and a
//! Persian customer of the demo data, at 1280 and 390 px: the knowledge base's index, an
//! article's page and a vote on it; a priority request refused inline (no reason) and then
//! filed; a solved ticket rated from the case history. Every page in the customer's language
//! and direction, none scrolling sideways. Fails if any part is missing.

use helpdesk::Helpdesk;
use helpdesk::domain::{Actor, Email, MessageBody, Priority, Subject};
use helpdesk::machine::{Command, NewTicket};
use helpdesk::search::CustomerLookup;
use serde_json::json;

use super::webdriver::{Browser, Driver};
use super::{TestResult, browser_available, serve_with_desk};

/// What the pages say in a customer's language, to know they are in it.
struct Customer {
    login: &'static str,
    lang: &'static str,
    your_vote: &'static str,
    asked: &'static str,
    rated: &'static str,
}

const ANA: Customer = Customer {
    login: "ana@demo.example",
    lang: "ro",
    your_vote: "Răspunsul dvs.",
    asked: "un agent va decide",
    rated: "Ați acordat",
};

const ZAHRA: Customer = Customer {
    login: "zahra@demo.example",
    lang: "fa",
    your_vote: "پاسخ شما",
    asked: "یک کارشناس تصمیم می‌گیرد",
    rated: "امتیاز شما",
};

/// For `login`: a ticket at low priority (below their cap, so a higher one may be asked
/// for) and one Ivan solved and they confirmed; their ids.
async fn tickets(desk: &Helpdesk, login: &str, tag: &str) -> TestResult<(String, String)> {
    let system = desk.as_system();
    let customer = system
        .find_customers(&CustomerLookup::Email(Email::parse(login)?))
        .await?
        .remove(0);
    let support = system
        .departments()
        .await?
        .into_iter()
        .find(|d| d.name.as_str() == "Support")
        .ok_or("no Support department")?;
    let ivan = system
        .agents()
        .await?
        .into_iter()
        .find(|a| a.email.as_str() == "ivan@demo.example")
        .ok_or("no Ivan")?;
    let them = desk.acting_as(Actor::Customer(customer.id)).await?;
    let ivan = desk.acting_as(Actor::Agent(ivan.id)).await?;
    let new = |subject: String| -> TestResult<NewTicket> {
        Ok(NewTicket::new(
            Subject::parse(&subject)?,
            MessageBody::parse("Internetul merge greu.")?,
            support.id,
        ))
    };
    let mut low = new(format!("{tag}: internet lent"))?;
    low.priority = Some(Priority::Low);
    let low = them.open_ticket(low).await?;
    let solved = them.open_ticket(new(format!("{tag}: rezolvat"))?).await?;
    ivan.execute(
        solved.id,
        Command::Resolve {
            body: Some(MessageBody::parse("Am repornit linia.")?),
        },
    )
    .await?;
    them.execute(solved.id, Command::ConfirmResolution).await?;
    Ok((low.id.to_string(), solved.id.to_string()))
}

/// Fails when the page is wider than the window (it would scroll sideways), or not in the
/// customer's language and direction.
async fn check_page(b: &Browser, who: &Customer, what: &str) -> TestResult {
    let shown = b
        .script(
            "var wide=Array.from(document.querySelectorAll('body *')).filter(function(e){\
             var r=e.getBoundingClientRect();return r.right>window.innerWidth+1||r.left<-1;})\
             .map(function(e){return e.tagName+'#'+e.id+'.'+e.className;}).slice(0,5);\
             return [document.documentElement.scrollWidth > window.innerWidth,\
             document.documentElement.lang, document.documentElement.dir, wide];",
            json!([]),
        )
        .await?;
    let rtl = if who.lang == "fa" { "rtl" } else { "ltr" };
    if shown[0] != json!(false) || shown[1] != json!(who.lang) || shown[2] != json!(rtl) {
        return Err(format!(
            "{what} as {}: [sideways, lang, dir, too wide] = {shown}",
            who.login
        )
        .into());
    }
    Ok(())
}

/// Waits until what matches `css` shows `wanted`.
async fn shows(b: &Browser, css: &str, wanted: &str) -> TestResult {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let text = b.text(css).await.unwrap_or_default();
        if text.contains(wanted) {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("{css:?} never showed {wanted:?}: {text:?}").into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// One customer's walk at one width.
async fn walk(b: &mut Browser, who: &Customer, width: u32, ids: (String, String)) -> TestResult {
    let (low, solved) = ids;
    let name = format!("portal-{}-{width}px", who.lang);
    b.cmd(
        "POST",
        "/window/rect",
        Some(json!({"width": width, "height": if width < 500 { 844 } else { 900 }})),
    )
    .await?;
    b.sign_in(who.login).await?;

    // The knowledge base's index, by category, each article a link.
    b.goto("/portal/kb").await?;
    b.find("#kb-index .kb-category h3 a").await?;
    check_page(b, who, "the KB index").await?;
    b.screenshot(&format!("{name}-kb-index")).await?;
    b.click_and_wait("#kb-index ul.kb-articles a").await?;
    b.wait_url(|u| u.contains("/portal/kb/")).await?;
    b.find("#article h1").await?;
    b.find("nav.breadcrumb a#kb-category").await?;
    check_page(b, who, "an article").await?;

    // "Did this help?" on the article's page: back on it, the answer shown.
    b.click_and_wait(".vote form:first-of-type button").await?;
    b.wait_url(|u| u.contains("/portal/kb/") && u.contains("#vote-"))
        .await?;
    shows(b, ".your-vote", who.your_vote).await?;
    b.find(".vote button[aria-pressed=true]").await?;
    b.screenshot(&format!("{name}-kb-article-voted")).await?;

    // A priority request from the ticket's page: without a reason it is refused beside the
    // form, the choice kept; with one it is filed and shown waiting.
    b.goto(&format!("/tickets/{low}")).await?;
    b.click_and_wait("#priority-link").await?;
    b.find("#priority-request select[name=priority] option")
        .await?;
    check_page(b, who, "the priority request").await?;
    b.script(
        "var t=document.querySelector('#priority-request textarea[name=reason]');\
         t.removeAttribute('required'); t.value='   ';",
        json!([]),
    )
    .await?;
    b.click_and_wait("#priority-request button[type=submit]")
        .await?;
    b.find("#form-error[role=alert]").await?;
    b.find("#priority-request").await?;
    check_page(b, who, "the refused priority request").await?;
    b.screenshot(&format!("{name}-priority-refused")).await?;
    b.type_into(
        "#priority-request textarea[name=reason]",
        "Tot biroul lucrează de acasă.",
    )
    .await?;
    b.click_and_wait("#priority-request button[type=submit]")
        .await?;
    shows(b, "#priority-requested", who.asked).await?;
    b.screenshot(&format!("{name}-priority-requested")).await?;

    // The solved ticket rated from the case history, once.
    b.goto("/portal").await?;
    b.find("#tickets").await?;
    check_page(b, who, "the case history").await?;
    b.screenshot(&format!("{name}-history")).await?;
    b.click_and_wait(&format!(
        "a.rate-link[href='/portal/tickets/{solved}/rating']"
    ))
    .await?;
    b.click("#rating input[name=score][value='5']").await?;
    b.type_into("#rating textarea[name=comment]", "Rapid și clar.")
        .await?;
    check_page(b, who, "the rating form").await?;
    b.click_and_wait("#rating button[type=submit]").await?;
    shows(b, "#rating-given", who.rated).await?;
    if !b.find_all("#rating").await?.is_empty() {
        return Err("the rating form is offered again after rating".into());
    }
    b.screenshot(&format!("{name}-rated")).await?;
    b.sign_out().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_romanian_and_a_persian_customer_use_the_portal_on_a_desktop_and_a_phone() -> TestResult {
    if !browser_available() {
        return Ok(());
    }
    let (base, desk) = serve_with_desk().await?;
    let dir = tempfile::tempdir()?;
    let driver = Driver::start().await?;
    let mut b = Browser::open(driver, base, &dir.path().join("profile")).await?;
    let mut result = Ok(());
    for who in [&ANA, &ZAHRA] {
        for width in [1280, 390] {
            let ids = tickets(&desk, who.login, &format!("{}-{width}", who.lang)).await?;
            result = Box::pin(walk(&mut b, who, width, ids)).await;
            if result.is_err() {
                let _ = b.screenshot("portal-failure").await;
                break;
            }
        }
        if result.is_err() {
            break;
        }
    }
    b.close().await?;
    result
}
