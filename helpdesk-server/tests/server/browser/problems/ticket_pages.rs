//! Problems 5 to 8 of issue 21: the agent's ticket page, the interfaces that were missing,
//! the notification centre, and live chat presence.

use super::*;

// --- Problem 5: the agent's ticket page (deeper: `ticket_page`). ---

async fn ticket_page_panels(b: &mut Browser, _shared: &'static Shared) -> TestResult {
    for (width, lang) in TWO_WALKS {
        window(b, width).await?;
        staff_in(b, AGENT, lang).await?;
        b.goto("/tickets/10000001").await?;
        for part in [
            "#customer-panel",
            "#assignee",
            "#sla-clocks .sla-clock time",
            "#ask-form",
        ] {
            b.find(part).await?;
        }
        holds(
            b,
            "each message names its author, not \"Customer\"",
            "var a=Array.from(document.querySelectorAll('#thread .msg .author'));\
             return a.length>0 && a.every(function(x){return x.textContent.trim().length>0;})\
             && a.some(function(x){return x.textContent.indexOf('John')>=0;});",
        )
        .await?;
        in_language(b, lang).await?;
        b.screenshot(&format!("p5-ticket-page-{width}px-{lang}"))
            .await?;
        staff_out(b).await?;
    }
    Ok(())
}

browser_test!(
    problem_5_the_agents_ticket_page_shows_customer_assignee_clocks_and_authors,
    ticket_page_panels
);

// --- Problem 6: canned responses, templates, KB pages and votes, merge (deeper: others). ---

async fn every_interface_is_there(b: &mut Browser, _shared: &'static Shared) -> TestResult {
    for (width, lang) in TWO_WALKS {
        window(b, width).await?;
        b.sign_in(customer(lang)).await?;
        // Search results are links to article pages with a vote.
        b.goto("/portal/kb").await?;
        let word = eval(
            b,
            "return Array.from(document.querySelectorAll('#kb-index ul.kb-articles a'))\
             .map(function(a){return a.textContent.trim().split(/\\s+/);})\
             .reduce(function(all,w){return all.concat(w);},[])\
             .filter(function(w){return /^[A-Za-z]{4,}$/.test(w);})[0];",
        )
        .await?;
        let word = word.as_str().ok_or("no article title")?.to_owned();
        b.goto(&format!("/portal/kb?q={}", urlencode(&word)))
            .await?;
        b.click_and_wait("main a[href^='/portal/kb/']").await?;
        b.find("#article h1").await?;
        b.find(".vote form button").await?;
        in_language(b, lang).await?;
        b.screenshot(&format!("p6-kb-article-{width}px-{lang}"))
            .await?;
        b.sign_out().await?;

        staff_in(b, AGENT, lang).await?;
        b.goto("/tickets/10000001").await?;
        for part in ["#canned button", "#merge-form", "#link-form"] {
            b.find(part).await?;
        }
        b.goto("/console/new").await?;
        b.find("#choose-template select[name=template] option")
            .await?;
        staff_out(b).await?;
    }
    Ok(())
}

/// `text` for a query string (letters, digits and `-._~` kept, the rest percent-encoded).
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|c| {
            if c.is_ascii_alphanumeric() || b"-._~".contains(&c) {
                (c as char).to_string()
            } else {
                format!("%{c:02X}")
            }
        })
        .collect()
}

browser_test!(
    problem_6_canned_responses_templates_articles_votes_and_merge_have_pages,
    every_interface_is_there
);

// --- Problem 7: the agents' notification centre, linked from the console. ---

async fn notification_centre(b: &mut Browser, shared: &'static Shared) -> TestResult {
    for (width, lang) in TWO_WALKS {
        open_ticket(shared, customer(lang), &format!("Centre {width} {lang}")).await?;
        window(b, width).await?;
        staff_in(b, AGENT, lang).await?;
        b.click_and_wait("#notifications-link").await?;
        b.wait_url(|u| u.contains("/console/notifications")).await?;
        b.find("#notification-list li.notice .notice-text").await?;
        translated(b, lang).await?;
        b.find("#dismiss-all button").await?;
        b.screenshot(&format!("p7-notification-centre-{width}px-{lang}"))
            .await?;
        staff_out(b).await?;
    }
    Ok(())
}

browser_test!(
    problem_7_the_console_links_a_translated_notification_centre_with_dismiss_all,
    notification_centre
);

// --- Problem 8: live chat presence expires; the message box goes at the end. ---

async fn chat_presence_expires(b: &mut Browser, shared: &'static Shared) -> TestResult {
    shared
        .with_desk(|desk| async move {
            let timeout = PresenceTimeout::from_seconds(PresenceTimeout::MIN_SECONDS)?;
            desk.as_system().set_presence_timeout(Some(timeout)).await?;
            Ok::<_, Boxed>(())
        })
        .await?;
    for (width, lang) in TWO_WALKS {
        window(b, width).await?;
        // The agent goes online, then closes the console (a blank page sends no heartbeat).
        staff_in(b, AGENT, "en").await?;
        b.find("#chat-panel").await?;
        eval(
            b,
            "var s=document.getElementById('presence');s.value='online';\
             s.dispatchEvent(new Event('change'));return null;",
        )
        .await?;
        b.wait_text("#presence-state", "Online").await?;
        // Signing out leaves the presence as it was: only the missing heartbeats end it.
        b.sign_out().await?;
        tokio::time::sleep(Duration::from_secs(
            u64::from(PresenceTimeout::MIN_SECONDS) + 2,
        ))
        .await;

        // The customer asks for a person: nobody present, so nobody is named.
        b.sign_in(customer(lang)).await?;
        b.goto("/portal").await?;
        b.click("#chat-open").await?;
        b.find("#chat-department option").await?;
        b.select("#chat-department", "Support").await?;
        b.type_into("#chat-question", "Qwerty zxcvb plonk").await?;
        b.click("#chat-start button[type=submit]").await?;
        b.find("#chat-person").await?;
        eventually(
            b,
            "the question is in the log",
            "return document.getElementById('chat-log').textContent.indexOf('Qwerty')>=0;",
        )
        .await?;
        b.click("#chat-person").await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        holds(
            b,
            "a customer is not told they talk to an agent who left",
            "return document.getElementById('chat-status').textContent.indexOf('Иван')<0;",
        )
        .await?;
        in_language(b, lang).await?;
        b.screenshot(&format!("p8-chat-nobody-present-{width}px-{lang}"))
            .await?;
        // Ended: the message box goes.
        b.click("#chat-end").await?;
        eventually(
            b,
            "the message box is gone after the end",
            "return document.getElementById('chat-form').hidden \
             && !document.getElementById('chat-new').hidden;",
        )
        .await?;
        b.screenshot(&format!("p8-chat-ended-{width}px-{lang}"))
            .await?;
        b.sign_out().await?;
    }
    shared
        .with_desk(|desk| async move {
            desk.as_system().set_presence_timeout(None).await?;
            Ok::<_, Boxed>(())
        })
        .await
}

browser_test!(
    problem_8_chat_presence_expires_and_the_message_box_goes_at_the_end,
    chat_presence_expires
);
