//! Problems 9 and 10 of issue 21 (a phone's width; the KB index, look-up and 404), bulk
//! merge, the snoozed lists, and the page checks finding what they look for.

use super::*;

// --- Problem 9: usable on a phone: tables scroll in their box, links on screen, charts fit. ---

async fn usable_on_a_phone(b: &mut Browser, _shared: &'static Shared) -> TestResult {
    for lang in ["en", "fa"] {
        window(b, 390).await?;
        staff_in(b, AGENT, lang).await?;
        b.goto("/console").await?;
        holds(
            b,
            "the first row's link into its ticket is on screen",
            "var a=document.querySelector('#queue tr[data-ticket] a[href^=\"/tickets/\"]');\
             var r=a.getBoundingClientRect();return r.left>=0 && r.right<=window.innerWidth;",
        )
        .await?;
        b.screenshot(&format!("p9-console-390px-{lang}")).await?;
        b.goto("/console/notifications").await?;
        b.goto("/tickets/10000001").await?;
        staff_out(b).await?;
        staff_in(b, "admin@demo.example", lang).await?;
        b.goto("/reports").await?;
        holds(
            b,
            "every chart fits the window",
            "var s=Array.from(document.querySelectorAll('main svg'));\
             return s.length>0 && s.every(function(c){var r=c.getBoundingClientRect();\
             return r.width>0 && r.left>=0 && r.right<=window.innerWidth;});",
        )
        .await?;
        b.screenshot(&format!("p9-reports-390px-{lang}")).await?;
        for page in [
            "/admin",
            "/admin/customers",
            "/admin/service-levels",
            "/admin/knowledge",
        ] {
            b.goto(page).await?;
        }
        staff_out(b).await?;
        b.sign_in(customer(lang)).await?;
        for page in ["/portal", "/portal/kb", "/portal/new", "/settings"] {
            b.goto(page).await?;
        }
        b.screenshot(&format!("p9-portal-390px-{lang}")).await?;
        b.sign_out().await?;
    }
    Ok(())
}

browser_test!(
    problem_9_every_page_fits_a_phone_with_tables_scrolling_inside_and_charts_scaling,
    usable_on_a_phone
);

// --- Problem 10: a KB index, a customer look-up by part of an address, a real 404. ---

async fn index_look_up_and_404(b: &mut Browser, _shared: &'static Shared) -> TestResult {
    for (width, lang) in TWO_WALKS {
        window(b, width).await?;
        b.sign_in(customer(lang)).await?;
        b.goto("/portal/kb").await?;
        b.find("#kb-index .kb-category ul.kb-articles a").await?;
        b.goto("/portal/no-such-page").await?;
        b.find("#back").await?;
        b.find("header form[action='/logout']").await?;
        assert_eq!(status_of(b, "/portal/no-such-page").await?, 404);
        in_language(b, lang).await?;
        b.screenshot(&format!("p10-not-found-{width}px-{lang}"))
            .await?;
        b.sign_out().await?;

        staff_in(b, "admin@demo.example", lang).await?;
        b.goto("/admin/customers?by=text&q=zahra%40demo").await?;
        let found = b.text("main").await?;
        assert!(found.contains("zahra@demo.example"), "{found}");
        b.screenshot(&format!("p10-customer-look-up-{width}px-{lang}"))
            .await?;
        staff_out(b).await?;
    }
    Ok(())
}

browser_test!(
    problem_10_the_kb_has_an_index_look_ups_take_part_of_an_address_and_404_is_a_page,
    index_look_up_and_404
);

// --- Bulk merge in the console, with a result per ticket. ---

async fn bulk_merge(b: &mut Browser, shared: &'static Shared) -> TestResult {
    for (width, lang) in TWO_WALKS {
        let word = format!("Zorblax{width}");
        let mut tickets = Vec::new();
        for n in 1..=3 {
            tickets
                .push(open_ticket(shared, customer(lang), &format!("{word} printer {n}")).await?);
        }
        window(b, width).await?;
        staff_in(b, AGENT, lang).await?;
        b.goto(&format!("/console?status=all&q={word}")).await?;
        for (id, _) in &tickets {
            b.click(&format!(
                "#queue tr[data-ticket='{id}'] input[type=checkbox]"
            ))
            .await?;
        }
        // Into the third: the two others merged, the third itself refused.
        b.type_into("#bulk-merge-target", &tickets[2].1).await?;
        b.click_and_wait("#bulk-merge").await?;
        b.find("#bulk-results").await?;
        assert_eq!(
            b.find_all("#bulk-results tr[data-done=true]").await?.len(),
            2
        );
        assert_eq!(
            b.find_all("#bulk-results tr[data-done=false] .error")
                .await?
                .len(),
            1
        );
        in_language(b, lang).await?;
        b.screenshot(&format!("bulk-merge-results-{width}px-{lang}"))
            .await?;
        let (source, target) = (tickets[0].0.clone(), tickets[2].0.clone());
        let merged = shared
            .with_desk(move |desk| async move {
                let key: helpdesk::domain::TicketKey = source.parse()?;
                let read = desk.as_system().ticket(key).await?;
                // A merged ticket is read as itself, merged, or as the ticket it went into.
                let into = read.merged_into.unwrap_or(read.id);
                Ok::<_, Boxed>(into.to_string())
            })
            .await?;
        assert_eq!(merged, target, "merged into the target");
        staff_out(b).await?;
    }
    Ok(())
}

browser_test!(
    agents_merge_tickets_in_bulk_from_the_queue_with_a_result_per_ticket,
    bulk_merge
);

// --- Snoozed notifications listed with the time they come back. ---

async fn snoozed_lists(b: &mut Browser, shared: &'static Shared) -> TestResult {
    for (width, lang) in TWO_WALKS {
        let (id, _) =
            open_ticket(shared, customer(lang), &format!("Snooze {width} {lang}")).await?;
        // Ivan answers: the customer has a notification.
        shared
            .with_desk(move |desk| async move {
                let system = desk.as_system();
                let ivan = system
                    .agents()
                    .await?
                    .into_iter()
                    .find(|a| a.email.as_str() == AGENT)
                    .ok_or("no Ivan")?;
                let key: helpdesk::domain::TicketKey = id.parse()?;
                desk.acting_as(Actor::Agent(ivan.id))
                    .await?
                    .execute(
                        key,
                        Command::Reply {
                            body: MessageBody::parse("We are on it.")?,
                            attachments: Vec::new(),
                        },
                    )
                    .await?;
                Ok::<_, Boxed>(())
            })
            .await?;
        window(b, width).await?;

        // The customer snoozes it from the portal: listed with the time it comes back.
        b.sign_in(customer(lang)).await?;
        b.goto("/portal").await?;
        b.click_and_wait("#notifications button.snooze").await?;
        b.find("#snoozed").await?;
        b.find("#snoozed-notifications li.snoozed .snoozed-until time")
            .await?;
        translated(b, lang).await?;
        b.screenshot(&format!("snoozed-portal-{width}px-{lang}"))
            .await?;
        b.sign_out().await?;

        // The agent snoozes one in the centre: listed there with its time.
        staff_in(b, AGENT, lang).await?;
        b.goto("/console/notifications").await?;
        b.click_and_wait("#notification-list li.notice form[action$='/snooze'] button")
            .await?;
        b.find("#snoozed-notifications li.snoozed .snoozed-until time")
            .await?;
        translated(b, lang).await?;
        b.screenshot(&format!("snoozed-centre-{width}px-{lang}"))
            .await?;
        staff_out(b).await?;
    }
    Ok(())
}

browser_test!(
    snoozed_notifications_are_listed_with_the_time_they_come_back,
    snoozed_lists
);

// --- The checks themselves: they find what they are there to find. ---

async fn checks_find_violations(b: &mut Browser, _shared: &'static Shared) -> TestResult {
    if !super::super::axe::available() {
        return Ok(());
    }
    // An image without a text alternative and a field without a label (both critical), on
    // a phone-sized window, in a page wider than it.
    window(b, 390).await?;
    let page = "data:text/html;charset=utf-8,<!doctype html><html lang=en><head><title>t</title>\
                </head><body><main><img src=x><input type=text>\
                <div style='width:900px'>wide</div></main></body></html>";
    b.cmd("POST", "/url", Some(json!({ "url": page }))).await?;
    let found = b
        .audit()
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    for wanted in [
        "critical image-alt",
        "critical label",
        "wider than the window",
    ] {
        assert!(found.contains(wanted), "{wanted} in {found:?}");
    }
    Ok(())
}

browser_test!(
    the_page_checks_find_missing_labels_and_sideways_scrolling,
    checks_find_violations
);
