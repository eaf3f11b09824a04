//! Problems 1 to 4 of issue 21: refusals inline, forms offering only what is taken, the
//! console's queue, and translation everywhere.

use super::*;

// --- Problem 1: refusals shown inline, in the person's language, the input kept. ---

async fn refusals_inline(b: &mut Browser, shared: &'static Shared) -> TestResult {
    for (width, lang) in WALKS {
        window(b, width).await?;
        b.sign_in(customer(lang)).await?;
        b.goto("/portal/new").await?;
        b.type_into("#new-ticket #body", "The screen flickers after the update.")
            .await?;
        eval(
            b,
            "var s=document.getElementById('subject');s.removeAttribute('required');\
             s.value='   ';return null;",
        )
        .await?;
        b.click_and_wait("#new-ticket button[type=submit]").await?;
        b.find("#new-ticket").await?;
        b.find("[role=alert]").await?;
        holds(
            b,
            "the description is kept",
            "return document.querySelector('#new-ticket #body').value\
             .indexOf('The screen flickers')===0;",
        )
        .await?;
        holds(
            b,
            "the refusal has the menu and sign-out",
            "return !!document.querySelector('header form[action=\"/logout\"]');",
        )
        .await?;
        in_language(b, lang).await?;
        b.screenshot(&format!("p1-refused-new-ticket-{width}px-{lang}"))
            .await?;
        b.sign_out().await?;
    }

    // A customer whose access is disabled is told so in their language at sign-in, on the
    // sign-in page (no session, nothing to be trapped in).
    let oleg = shared
        .with_desk(|desk| async move {
            let system = desk.as_system();
            let oleg = system
                .find_customers(&CustomerLookup::Email(Email::parse("oleg@demo.example")?))
                .await?
                .remove(0);
            system.set_customer_access(oleg.id, false).await?;
            Ok::<_, Boxed>(oleg.id)
        })
        .await?;
    let walk: TestResult = async {
        for width in [1280, 390] {
            window(b, width).await?;
            b.goto("/login").await?;
            b.type_into("input[name=login]", "oleg@demo.example")
                .await?;
            b.type_into("input[name=password]", helpdesk_server::demo::PASSWORD)
                .await?;
            b.click_and_wait("form[action='/login'] button").await?;
            b.find("p.error").await?;
            assert!(b.url().await?.ends_with("/login"));
            in_language(b, "ru").await?;
            b.screenshot(&format!("p1-disabled-customer-{width}px-ru"))
                .await?;
        }
        Ok(())
    }
    .await;
    shared
        .with_desk(move |desk| async move {
            desk.as_system().set_customer_access(oleg, true).await?;
            Ok::<_, Boxed>(())
        })
        .await?;
    walk
}

browser_test!(
    problem_1_refusals_are_inline_in_the_persons_language_with_the_input_kept,
    refusals_inline
);

// --- Problem 2: forms offer only what the desk takes; links only to pages one may open. ---

async fn forms_offer_what_is_taken(b: &mut Browser, shared: &'static Shared) -> TestResult {
    for (width, lang) in TWO_WALKS {
        window(b, width).await?;
        // The customer's highest importance offered is the one saved.
        b.sign_in(customer(lang)).await?;
        b.goto("/portal/new").await?;
        let chosen = eval(
            b,
            "var s=document.querySelector('#new-ticket select[name=priority]');\
             if(!s){return document.querySelector('#new-ticket input[name=priority]').value;}\
             s.selectedIndex=s.options.length-1;return s.value;",
        )
        .await?;
        let chosen = chosen.as_str().ok_or("no priority offered")?.to_owned();
        b.select("#new-ticket select[name=department]", "Support")
            .await?;
        b.type_into("#subject", &format!("Offered {chosen} {width}"))
            .await?;
        b.type_into("#body", "Nothing prints.").await?;
        b.click_and_wait("#new-ticket button[type=submit]").await?;
        let url = b.wait_url(|u| u.contains("/tickets/")).await?;
        let id = url.rsplit('/').next().unwrap_or_default().to_owned();
        let saved = shared
            .with_desk(move |desk| async move {
                let key: helpdesk::domain::TicketKey = id.parse()?;
                Ok::<_, Boxed>(desk.as_system().ticket(key).await?.priority)
            })
            .await?;
        assert_eq!(saved.as_str(), chosen, "the importance chosen is saved");
        b.sign_out().await?;

        // The agent: every menu link opens, no Admin; the phone-ticket form offers only
        // the departments the agent may open tickets in.
        staff_in(b, AGENT, lang).await?;
        let links = eval(
            b,
            "return Array.from(document.querySelectorAll('header nav a[href^=\"/\"]'))\
             .map(function(a){return a.getAttribute('href');})\
             .filter(function(h){return h.indexOf('?')<0;});",
        )
        .await?;
        let links: Vec<String> = serde_json::from_value(links)?;
        assert!(!links.iter().any(|l| l == "/admin"), "{links:?}");
        for link in &links {
            assert_eq!(status_of(b, link).await?, 200, "the menu's {link}");
        }
        assert_eq!(status_of(b, "/admin").await?, 403);
        b.goto("/console/new").await?;
        let offered = eval(
            b,
            "return Array.from(document.querySelectorAll('#phone-ticket select[name=department] option'))\
             .map(function(o){return o.text.trim();});",
        )
        .await?;
        assert_eq!(offered, json!(["Support"]), "Ivan works in Support only");
        in_language(b, lang).await?;
        b.screenshot(&format!("p2-phone-ticket-{width}px-{lang}"))
            .await?;
        staff_out(b).await?;
    }
    Ok(())
}

browser_test!(
    problem_2_forms_and_menus_offer_only_what_the_person_may_use,
    forms_offer_what_is_taken
);

// --- Problem 3: the console's queue: pages, a total, filters, sort, bulk actions. ---

async fn queue_pages_and_filters(b: &mut Browser, _shared: &'static Shared) -> TestResult {
    for (width, lang) in TWO_WALKS {
        window(b, width).await?;
        staff_in(b, AGENT, lang).await?;
        b.goto("/console?status=all").await?;
        b.find("#queue tr[data-ticket]").await?;
        for filter in [
            "status",
            "department",
            "assignee",
            "priority",
            "type",
            "sla",
            "order",
        ] {
            b.find(&format!("#filters select[name={filter}]")).await?;
        }
        b.find("#bulk-actions #bulk-assign").await?;
        let total = b.text("#queue-total strong").await?;
        let persian = total.chars().all(|c| ('۰'..='۹').contains(&c) || c == '٬');
        assert_eq!(persian, lang == "fa", "the total in {lang}: {total}");
        let rows = b.find_all("#queue tr[data-ticket]").await?.len();
        // A total above the page's rows has a next page, which shows more.
        let more = eval(
            b,
            "return document.querySelectorAll('#queue tr[data-ticket]').length\
             < Number(document.querySelector('#queue-total strong').textContent\
             .replace(/[۰-۹]/g,function(d){return '۰۱۲۳۴۵۶۷۸۹'.indexOf(d);}).replace(/\\D/g,''));",
        )
        .await?;
        if more == json!(true) {
            b.click_and_wait("#next-page").await?;
            b.find("#queue tr[data-ticket]").await?;
            b.find("#previous-page").await?;
        } else {
            assert!(b.find_all("#next-page").await?.is_empty(), "{rows} rows");
        }
        // Filtered by priority and sorted: every row at that priority.
        b.goto("/console?status=all").await?;
        eval(
            b,
            "var f=document.getElementById('filters');\
             f.querySelector('select[name=priority]').value='normal';\
             f.querySelector('select[name=order]').value='priority';\
             return null;",
        )
        .await?;
        b.click_and_wait("#filters button").await?;
        b.wait_url(|u| u.contains("priority=normal") && u.contains("order=priority"))
            .await?;
        in_language(b, lang).await?;
        b.screenshot(&format!("p3-queue-filtered-{width}px-{lang}"))
            .await?;
        staff_out(b).await?;
    }
    Ok(())
}

browser_test!(
    problem_3_the_queue_pages_totals_filters_sorts_and_acts_in_bulk,
    queue_pages_and_filters
);

// --- Problem 4: translated everywhere, Persian digits and dates, a language switch. ---

async fn everything_translated(b: &mut Browser, _shared: &'static Shared) -> TestResult {
    let mut headers: Vec<Value> = Vec::new();
    for (width, lang) in WALKS {
        window(b, width).await?;
        b.sign_in(customer(lang)).await?;
        for page in ["/portal", "/portal/new", "/portal/kb", "/settings"] {
            b.goto(page).await?;
            translated(b, lang).await?;
        }
        b.sign_out().await?;
        // The sign-in page follows the switch.
        b.goto(&format!("/login?lang={lang}")).await?;
        translated(b, lang).await?;
        staff_in(b, AGENT, lang).await?;
        for page in [
            "/console",
            "/console/notifications",
            "/tickets/10000001",
            "/console/new",
        ] {
            b.goto(page).await?;
            translated(b, lang).await?;
        }
        b.goto("/console").await?;
        headers.push(eval(
            b,
            "return Array.from(document.querySelectorAll('#queue th')).map(function(t){return t.textContent;});",
        )
        .await?);
        b.screenshot(&format!("p4-console-{width}px-{lang}"))
            .await?;
        staff_out(b).await?;
    }
    // The queue's headers differ between English and Persian (none left in English).
    assert_ne!(headers[0], headers[1], "{headers:?}");
    Ok(())
}

browser_test!(
    problem_4_every_page_is_in_the_readers_language_with_its_digits_and_dates,
    everything_translated
);
