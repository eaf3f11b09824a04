//! The console a team works in (issue 21, problems 3 and 7): the queue's keyset pages with
//! a total, its filters and order, saved views, bulk actions with a result per ticket, the
//! keyboard shortcuts' script and help, and the agents' notification centre with "dismiss
//! all".

use axum::http::{StatusCode, header};

use crate::support::*;

/// The `href` of the link with `id`, HTML-unescaped.
fn href_of(html: &str, id: &str) -> Option<String> {
    let start = html.find(&format!("id=\"{id}\""))?;
    let rest = &html[start..];
    let rest = &rest[rest.find("href=\"")? + 6..];
    Some(rest[..rest.find('"')?].replace("&amp;", "&"))
}

/// The ids of the queue's rows, in order.
fn rows(html: &str) -> Vec<String> {
    html.split("<tr data-ticket=\"")
        .skip(1)
        .map(|r| r.split('"').next().unwrap().to_owned())
        .collect()
}

/// The text of `#queue-total`.
fn total(html: &str) -> String {
    let start = html.find("id=\"queue-total\"").expect("a total");
    let rest = &html[start..];
    let rest = &rest[rest.find('>').unwrap() + 1..];
    rest[..rest.find("</p>").unwrap()]
        .replace("<strong>", "")
        .replace("</strong>", "")
}

/// Where a form sent the browser.
fn location(reply: &Reply) -> String {
    assert!(
        reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.text()
    );
    reply.headers[header::LOCATION].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_queue_pages_forward_and_back_with_a_total() {
    let fx = fixture().await;
    let mut opened = Vec::new();
    for i in 0..57 {
        opened.push(
            fx.open(&fx.ana, &format!("Ticket {i}")).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // A minute later: none changed since a pass began (those would be named apart).
    fx.clock.advance(chrono::TimeDelta::seconds(60));
    let ivan = page_login(&fx, "ivan@example.com").await;
    let first = page(&fx, &ivan, "/console")
        .await
        .expect(StatusCode::OK)
        .text();
    assert_eq!(total(&first), "Tickets: 57 · Showing 1–50");
    let first_rows = rows(&first);
    assert_eq!(first_rows.len(), 50);
    assert!(href_of(&first, "previous-page").is_none());
    let next = href_of(&first, "next-page").expect("a next page");

    let second = page(&fx, &ivan, &next).await.expect(StatusCode::OK).text();
    assert_eq!(total(&second), "Tickets: 57 · Showing 51–57");
    let second_rows = rows(&second);
    assert_eq!(second_rows.len(), 7);
    assert!(href_of(&second, "next-page").is_none(), "the last page");
    let mut all: Vec<String> = first_rows.iter().chain(&second_rows).cloned().collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 57, "each ticket once");

    assert!(!second.contains("id=\"queue-changed\""), "{second}");

    // A ticket changed while paging leaves the pass and is named on the later page.
    let touched = page(&fx, &ivan, "/console").await.text();
    let next = href_of(&touched, "next-page").unwrap();
    let moved = &first_rows[3];
    form(
        &fx,
        &ivan,
        "/console/bulk",
        &format!("sel_{moved}=on&bulk=assign&agent=me"),
    )
    .await
    .expect(StatusCode::OK);
    let later = page(&fx, &ivan, &next).await.text();
    let named = &later[later.find("id=\"queue-changed\"").expect("named")..];
    assert!(named.contains(&format!("/tickets/{moved}")), "{named}");

    let back = href_of(&second, "previous-page").expect("a previous page");
    let again = page(&fx, &ivan, &back).await.expect(StatusCode::OK).text();
    assert_eq!(rows(&again), first_rows, "back to the first page");
}

#[tokio::test]
async fn the_queue_filters_sorts_and_keeps_saved_views() {
    let fx = fixture().await;
    let a = fx.open(&fx.ana, "Router mort").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = fx.open(&fx.john, "Slow line").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ivan = page_login(&fx, "ivan@example.com").await;
    let done = form(
        &fx,
        &ivan,
        "/console/bulk",
        &format!("sel_{a}=on&bulk=assign&agent=me"),
    )
    .await
    .expect(StatusCode::OK);
    assert!(
        done.text().contains("id=\"bulk-results\""),
        "{}",
        done.text()
    );

    let mine = page(&fx, &ivan, "/console?assignee=me").await.text();
    assert_eq!(rows(&mine), vec![a.clone()]);
    assert!(total(&mine).starts_with("Tickets: 1"), "{}", total(&mine));
    let nobodys = page(&fx, &ivan, "/console?assignee=none").await.text();
    assert_eq!(rows(&nobodys), vec![b.clone()]);
    let closed = page(&fx, &ivan, "/console?status=closed").await.text();
    assert!(rows(&closed).is_empty());
    let urgent = page(&fx, &ivan, "/console?priority=urgent").await.text();
    assert!(rows(&urgent).is_empty());
    let sorted = page(&fx, &ivan, "/console?status=all&order=last_update")
        .await
        .text();
    assert_eq!(
        rows(&sorted),
        [a.clone(), b.clone()],
        "the assigned one changed last"
    );
    assert!(
        sorted.contains("<option value=\"last_update\" selected>"),
        "{sorted}"
    );

    // Saved as a view, shown by its link, then deleted.
    let saved = form(&fx, &ivan, "/console/views", "name=Ale+mele&assignee=me").await;
    let view = location(&saved);
    assert!(view.starts_with("/console?view="), "{view}");
    let html = page(&fx, &ivan, &view).await.expect(StatusCode::OK).text();
    assert!(html.contains("Ale mele"), "{html}");
    assert_eq!(rows(&html), vec![a.clone()]);
    let id = view.trim_start_matches("/console?view=");
    let deleted = form(&fx, &ivan, &format!("/console/views/{id}/delete"), "").await;
    assert_eq!(location(&deleted), "/console");
    page(&fx, &ivan, &view).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bulk_actions_report_each_ticket_done_or_refused() {
    let fx = fixture().await;
    let a = fx.open(&fx.ana, "Unu").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = fx.open(&fx.ana, "Doi").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ivan = page_login(&fx, "ivan@example.com").await;
    let resolved = form(
        &fx,
        &ivan,
        "/console/bulk",
        &format!("sel_{a}=on&bulk=transition&transition=resolve"),
    )
    .await
    .expect(StatusCode::OK)
    .text();
    assert!(resolved.contains("data-done=\"true\""), "{resolved}");

    // Reopen both: the resolved one reopens, the new one cannot: said for that one alone.
    let html = form(
        &fx,
        &ivan,
        "/console/bulk",
        &format!(
            "sel_{a}=on&sel_{b}=on&bulk=transition&transition=reopen&back=%2Fconsole%3Fstatus%3Dall"
        ),
    )
    .await
    .expect(StatusCode::OK)
    .text();
    assert_eq!(html.matches("data-done=\"true\"").count(), 1, "{html}");
    assert_eq!(html.matches("data-done=\"false\"").count(), 1, "{html}");
    assert!(
        html.contains("This is not possible in the ticket's current status."),
        "{html}"
    );
    assert_eq!(
        href_of(&html, "back").as_deref(),
        Some("/console?status=all")
    );

    // Close both as solved.
    let html = form(
        &fx,
        &ivan,
        "/console/bulk",
        &format!("sel_{a}=on&sel_{b}=on&bulk=close&resolution=solved"),
    )
    .await
    .text();
    assert_eq!(html.matches("data-done=\"true\"").count(), 2, "{html}");
    let queue = page(&fx, &ivan, "/console").await.text();
    assert!(rows(&queue).is_empty(), "closed tickets leave the queue");

    // Nothing ticked: said so, nothing done.
    let html = form(&fx, &ivan, "/console/bulk", "bulk=close").await.text();
    assert!(html.contains("id=\"bulk-error\""), "{html}");
}

#[tokio::test]
async fn staff_pages_carry_the_keyboard_shortcuts_and_their_help() {
    let fx = fixture().await;
    let a = fx.open(&fx.ana, "Unu").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ivan = page_login(&fx, "ivan@example.com").await;
    for uri in ["/console".to_owned(), format!("/tickets/{a}")] {
        let html = page(&fx, &ivan, &uri).await.expect(StatusCode::OK).text();
        assert!(
            html.contains("src=\"/assets/shortcuts.js\""),
            "{uri}: {html}"
        );
        assert!(
            html.contains("id=\"shortcut-help\" hidden"),
            "{uri}: {html}"
        );
    }
    let script = fx
        .call("GET", "/assets/shortcuts.js", None, None)
        .await
        .expect(StatusCode::OK)
        .text();
    for key in ["'j'", "'k'", "'r'", "'n'", "'a'", "'/'", "'?'"] {
        assert!(script.contains(&format!("case {key}")), "{key}");
    }
    // Customers have no shortcuts.
    let ana = page_login(&fx, "ana@example.ro").await;
    let html = page(&fx, &ana, "/portal").await.text();
    assert!(!html.contains("shortcuts.js"), "{html}");
}

#[tokio::test]
async fn agents_read_and_dismiss_all_their_notifications_in_the_centre() {
    let fx = fixture().await;
    for i in 0..3 {
        fx.open(&fx.ana, &format!("Nou {i}")).await;
    }
    let ivan = page_login(&fx, "ivan@example.com").await;
    let console = page(&fx, &ivan, "/console").await.text();
    assert!(
        console.contains("href=\"/console/notifications\""),
        "{console}"
    );
    let centre = page(&fx, &ivan, "/console/notifications")
        .await
        .expect(StatusCode::OK)
        .text();
    let shown = centre.matches("<li class=\"notice\"").count();
    assert!(shown >= 3, "{centre}");

    // One dismissed from the centre: back to the centre.
    let id = centre
        .split("action=\"/notifications/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let back = form(
        &fx,
        &ivan,
        &format!("/notifications/{id}/dismiss"),
        "back=%2Fconsole%2Fnotifications",
    )
    .await;
    assert_eq!(location(&back), "/console/notifications");
    let centre = page(&fx, &ivan, "/console/notifications").await.text();
    assert_eq!(centre.matches("<li class=\"notice\"").count(), shown - 1);

    let all = form(&fx, &ivan, "/console/notifications/dismiss-all", "").await;
    assert_eq!(location(&all), "/console/notifications");
    let centre = page(&fx, &ivan, "/console/notifications").await.text();
    assert!(centre.contains("id=\"no-notifications\""), "{centre}");

    // Over the API too: how many, and none left.
    fx.open(&fx.ana, "Încă unul").await;
    let dismissed = fx
        .post(
            "/api/v1/notifications/dismiss-all",
            &fx.ivan,
            serde_json::json!({}),
        )
        .await
        .expect(StatusCode::OK)
        .json();
    assert_eq!(dismissed["dismissed"], 1, "{dismissed}");
    let left = fx.get("/api/v1/notifications", &fx.ivan).await.items();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn the_queue_filters_by_sla_state_on_the_desks_clock() {
    let fx = fixture().await;
    // An SLA for individuals' normal tickets: a first answer within 30 minutes, round the
    // clock.
    let root = page_login(&fx, "root@example.com").await;
    let saved = form(
        &fx,
        &root,
        "/admin/sla-policies",
        "name=Normal&priority_normal=on&kind_individual=on&first_response_minutes=30&resolution_minutes=240&warn_percent=75",
    )
    .await;
    assert!(saved.status.is_redirection(), "{}", saved.text());
    let opened = fx.open(&fx.ana, "Router mort").await;
    let id = opened["id"].as_str().unwrap().to_owned();
    let due = opened["next_due_at"].as_str();
    assert!(due.is_some(), "a new ticket has something due: {opened}");
    let ivan = page_login(&fx, "ivan@example.com").await;
    let overdue = page(&fx, &ivan, "/console?sla=overdue").await.text();
    assert!(rows(&overdue).is_empty(), "{overdue}");
    let all = page(&fx, &ivan, "/console").await.text();
    assert_eq!(rows(&all), vec![id.clone()]);
    assert!(all.contains("select name=\"sla\""), "{all}");

    // A year later on the desk's clock, it is overdue and no longer due soon.
    fx.clock.advance(chrono::TimeDelta::days(365));
    let overdue = page(&fx, &ivan, "/console?sla=overdue").await.text();
    assert_eq!(rows(&overdue), vec![id.clone()]);
    assert!(
        overdue.contains("<option value=\"overdue\" selected>"),
        "{overdue}"
    );
    let soon = page(&fx, &ivan, "/console?sla=soon").await.text();
    assert!(rows(&soon).is_empty(), "{soon}");
    // Over the API too.
    let listed = fx
        .get("/api/v1/tickets?due_to=2100-01-01T00:00:00Z", &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert_eq!(listed.items().len(), 1);
    let none = fx
        .get("/api/v1/tickets?due_from=2100-01-01T00:00:00Z", &fx.ivan)
        .await
        .expect(StatusCode::OK);
    assert!(none.items().is_empty());
}

#[tokio::test]
async fn the_console_follows_the_change_feed_with_its_words_in_the_readers_language() {
    let fx = fixture().await;
    let session = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &session, "/console")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains(r#"id="queue-live""#), "{html}");
    assert!(html.contains(r#"src="/assets/live-queue.js""#));
    assert!(html.contains("Tickets changed since this page was loaded: {count}"));
    let script = fx
        .call("GET", "/assets/live-queue.js", None, None)
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(script.contains("/api/v1/changes/stream"));
    assert!(
        script.contains("function hdSay"),
        "with the chat's common words"
    );
}
