//! The portal a customer understands (issue 21): the knowledge base's index by category with
//! article pages, votes and search results that link (snapshots of the index and an
//! article); the case history's empty state and impossible filters; a satisfaction rating
//! offered after a ticket is solved, once; a priority request with its refusal inline; the
//! snooze's return time; and the admin's customer look-up by part of a phone number. Another
//! customer's ticket and an internal note never show.

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use crate::support::*;

/// The API routes these tests cover (see `routes::every_documented_route_is_tested_here`).
pub const PORTAL_TESTED: &[(&str, &str)] = &[("get", "/api/v1/tickets/{ticket}/feedback-offers")];

/// A published public article in `category` (stored first); its id.
async fn article(fx: &Fixture, category: &str, title: &str, body: &str, status: &str) -> String {
    // (Stored once: a second article in it finds it there.)
    fx.post(
        "/api/v1/kb/categories",
        &fx.admin,
        json!({ "name": category }),
    )
    .await;
    let created = fx
        .post(
            "/api/v1/kb/articles",
            &fx.ivan,
            json!({"title": title, "body": body, "category": category, "language": "ro",
                   "status": status}),
        )
        .await
        .expect(StatusCode::CREATED);
    created.json()["id"].as_str().unwrap().to_owned()
}

/// The page's `<main>`, each instant as `[time]` and each of `ids` named: what a snapshot
/// compares (after [`without_csrf`]).
fn main_of(html: &str, ids: &[(&str, &str)]) -> String {
    let start = html.find("<main>").expect("a main");
    let end = html.find("</main>").expect("a main's end") + "</main>".len();
    let mut main = html[start..end].to_owned();
    while let Some(at) = main.find("<time") {
        let close = at + main[at..].find("</time>").unwrap() + "</time>".len();
        main.replace_range(at..close, "[time]");
    }
    for (id, name) in ids {
        main = main.replace(id, name);
    }
    main.replace("><", ">\n<")
}

/// Every CSRF token of a page blanked (the session's, different each run).
fn without_csrf(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let marker = "name=\"csrf\" value=\"";
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at + marker.len()]);
        out.push_str("[csrf]");
        rest = &rest[at + marker.len()..];
        rest = &rest[rest.find('"').unwrap()..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn the_kb_index_links_each_article_by_category_and_its_page_takes_a_vote() {
    let fx = fixture().await;
    let router = article(
        &fx,
        "retea",
        "Resetarea routerului",
        "Opriți routerul 30 de secunde și porniți-l din nou.",
        "published",
    )
    .await;
    let invoice = article(
        &fx,
        "facturi",
        "Factura electronică",
        "Factura vine pe e-mail în prima zi lucrătoare.",
        "published",
    )
    .await;
    let draft = article(&fx, "retea", "Ciornă secretă", "Nu încă.", "draft").await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let ids = [
        (router.as_str(), "[router]"),
        (invoice.as_str(), "[invoice]"),
    ];

    let index = page(&fx, &ana, "/portal/kb")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        index.contains(&format!("href=\"/portal/kb/{router}\"")),
        "{index}"
    );
    assert!(
        index.contains(&format!("href=\"/portal/kb/{invoice}\"")),
        "{index}"
    );
    assert!(
        !index.contains("Ciornă secretă"),
        "drafts are not for customers"
    );
    insta::assert_snapshot!("kb_index_ro", main_of(&without_csrf(&index), &ids));

    // One category's index.
    let retea = page(&fx, &ana, "/portal/kb?category=retea").await.text();
    assert!(retea.contains("Resetarea routerului") && !retea.contains("Factura electronică"));
    assert!(retea.contains("id=\"kb-all\""), "{retea}");
    let none = page(&fx, &ana, "/portal/kb?category=nimic").await.text();
    assert!(none.contains("id=\"kb-no-category\""), "{none}");

    // The article's page: its category, text and "did this help?".
    let uri = format!("/portal/kb/{router}");
    let shown = page(&fx, &ana, &uri).await.expect(StatusCode::OK).text();
    assert!(shown.contains("Opriți routerul 30 de secunde"), "{shown}");
    assert!(
        shown.contains("href=\"/portal/kb?category=retea\""),
        "{shown}"
    );
    assert!(shown.contains(&format!("id=\"vote-{router}\"")), "{shown}");
    assert!(shown.contains("V-a fost de folos?"), "{shown}");
    insta::assert_snapshot!("kb_article_ro", main_of(&without_csrf(&shown), &ids));

    // A vote from the article's page comes back to it, the answer and the count shown.
    let voted = form(&fx, &ana, &format!("{uri}/vote"), "helpful=true").await;
    assert!(voted.status.is_redirection(), "{}", voted.text());
    assert_eq!(
        voted.headers[header::LOCATION],
        format!("{uri}#vote-{router}").as_str()
    );
    let after = page(&fx, &ana, &uri).await.text();
    assert!(after.contains("Răspunsul dvs.: Da, m-a ajutat"), "{after}");
    assert!(after.contains("persoană a găsit articolul util"), "{after}");

    // A draft's page is not found for a customer.
    page(&fx, &ana, &format!("/portal/kb/{draft}"))
        .await
        .expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn search_results_are_links_to_the_article_pages() {
    let fx = fixture().await;
    let id = article(
        &fx,
        "retea",
        "Resetarea routerului",
        "Opriți routerul 30 de secunde și porniți-l din nou.",
        "published",
    )
    .await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let found = page(&fx, &ana, "/portal/kb?q=routerul")
        .await
        .expect(StatusCode::OK)
        .text();
    let results = &found[found.find("id=\"kb-results\"").expect("results")..];
    assert!(
        results.contains(&format!(
            "<a href=\"/portal/kb/{id}\">Resetarea routerului</a>"
        )),
        "{results}"
    );
    assert!(
        !found.contains("id=\"kb-index\""),
        "a search shows results, not the index"
    );
    let nothing = page(&fx, &ana, "/portal/kb?q=imprimanta").await.text();
    assert!(nothing.contains("id=\"nothing\""), "{nothing}");
    assert!(nothing.contains("href=\"/portal/new\""), "{nothing}");
}

#[tokio::test]
async fn the_case_history_has_an_empty_state_and_says_when_a_filter_cannot_match() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let empty = page(&fx, &ana, "/portal")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(empty.contains("id=\"no-tickets\""), "{empty}");
    assert!(empty.contains("Nu aveți încă niciun tichet."), "{empty}");
    assert!(!empty.contains("id=\"tickets\""), "no empty table: {empty}");

    fx.open(&fx.ana, "Nu merge internetul").await;
    fx.open(&fx.john, "John's own problem").await;
    let listed = page(&fx, &ana, "/portal").await.text();
    assert!(listed.contains("Nu merge internetul"), "{listed}");
    assert!(
        !listed.contains("John's own problem"),
        "another customer's ticket: {listed}"
    );
    assert!(!listed.contains("id=\"no-tickets\""), "{listed}");

    // The "from" day after the "to" day: said, nothing listed, a way back.
    let impossible = page(&fx, &ana, "/portal?from=2026-05-02&to=2026-05-01")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(
        impossible.contains("id=\"impossible-filter\""),
        "{impossible}"
    );
    assert!(
        impossible.contains("Data „de la” este după data „până la”"),
        "{impossible}"
    );
    assert!(!impossible.contains("Nu merge internetul"), "{impossible}");
    // A date that is none, and a status that is none: said too, never an error page.
    for query in ["from=2026-13-45", "status=sleeping"] {
        let said = page(&fx, &ana, &format!("/portal?{query}"))
            .await
            .expect(StatusCode::OK)
            .text();
        assert!(said.contains("id=\"impossible-filter\""), "{query}: {said}");
    }
    // A filter that could match but does not: its own message and a way to clear it.
    let none = page(&fx, &ana, "/portal?status=closed:solved").await.text();
    assert!(none.contains("id=\"no-match\""), "{none}");
    assert!(none.contains("id=\"clear-filters\""), "{none}");
}

/// Ana's ticket, solved by Ivan (a reply and an internal note on the way) and confirmed by
/// her: closed as solved. Its id.
async fn solved_ticket(fx: &Fixture) -> String {
    let id = fx.open(&fx.ana, "Nu merge internetul").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let command = |token: &str, body: Value| {
        let uri = format!("/api/v1/tickets/{id}/commands");
        let token = token.to_owned();
        async move { fx.post(&uri, &token, body).await.expect(StatusCode::OK) }
    };
    command(
        &fx.ivan,
        json!({"command": "add_note", "body": "Internal: linia e defectă."}),
    )
    .await;
    command(
        &fx.ivan,
        json!({"command": "resolve", "body": "Am repornit linia."}),
    )
    .await;
    command(&fx.ana, json!({"command": "confirm_resolution"})).await;
    id
}

#[tokio::test]
async fn a_solved_ticket_is_rated_once_and_only_its_customer_may() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    // Not yet solved: the page says when, no form; the ticket page has no link.
    let open = fx.open(&fx.ana, "Încă deschis").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let early = page(&fx, &ana, &format!("/portal/tickets/{open}/rating"))
        .await
        .text();
    assert!(early.contains("id=\"rating-not-yet\"") && !early.contains("id=\"rating\""));
    let ticket_page = page(&fx, &ana, &format!("/tickets/{open}")).await.text();
    assert!(!ticket_page.contains("id=\"rate-link\""), "{ticket_page}");

    let id = solved_ticket(&fx).await;
    let uri = format!("/portal/tickets/{id}/rating");
    let ticket_page = page(&fx, &ana, &format!("/tickets/{id}")).await.text();
    assert!(
        ticket_page.contains(&format!("href=\"{uri}\"")),
        "{ticket_page}"
    );
    let history = page(&fx, &ana, "/portal").await.text();
    assert!(
        history.contains(&format!("href=\"{uri}\"")),
        "offered in the history: {history}"
    );
    let form_page = page(&fx, &ana, &uri).await.expect(StatusCode::OK).text();
    assert!(form_page.contains("id=\"rating\""), "{form_page}");
    assert!(
        !form_page.contains("linia e defectă"),
        "an internal note: {form_page}"
    );

    // Another customer: not found; an agent: refused; nothing rated.
    let john = page_login(&fx, "john@example.com").await;
    page(&fx, &john, &uri).await.expect(StatusCode::NOT_FOUND);
    form(&fx, &john, &uri, "score=1")
        .await
        .expect(StatusCode::NOT_FOUND);
    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, &uri).await.expect(StatusCode::FORBIDDEN);

    // A score that is none: refused beside the form, the comment kept.
    let refused = form(&fx, &ana, &uri, "score=9&comment=Rapid%20%C8%99i%20clar").await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "{}",
        refused.text()
    );
    let refused = refused.text();
    assert!(refused.contains("id=\"form-error\""), "{refused}");
    assert!(refused.contains("Rapid și clar</textarea>"), "{refused}");

    let rated = form(&fx, &ana, &uri, "score=5&comment=Rapid%20%C8%99i%20clar").await;
    assert!(rated.status.is_redirection(), "{}", rated.text());
    let shown = page(&fx, &ana, &uri).await.text();
    assert!(shown.contains("id=\"rating-given\""), "{shown}");
    assert!(shown.contains("Ați acordat"), "{shown}");
    assert!(
        !shown.contains("id=\"rating\""),
        "once: no form again: {shown}"
    );
    let history = page(&fx, &ana, "/portal").await.text();
    assert!(!history.contains("class=\"rate-link\""), "{history}");
    let read = fx
        .get(&format!("/api/v1/tickets/{id}"), &fx.ana)
        .await
        .json();
    assert_eq!(read["satisfaction"]["score"], 5, "{read}");
    // Twice: refused inline, the first rating kept.
    let again = form(&fx, &ana, &uri, "score=1").await;
    assert!(!again.status.is_success() || again.text().contains("rating-given"));
    let read = fx
        .get(&format!("/api/v1/tickets/{id}"), &fx.ana)
        .await
        .json();
    assert_eq!(read["satisfaction"]["score"], 5, "{read}");
}

#[tokio::test]
async fn a_priority_request_offers_what_may_be_asked_and_shows_its_refusal_inline() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    // At normal, her cap: nothing may be asked for.
    let capped = fx.open(&fx.ana, "La plafon").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let at_cap = page(&fx, &ana, &format!("/portal/tickets/{capped}/priority"))
        .await
        .text();
    assert!(at_cap.contains("id=\"priority-none\""), "{at_cap}");
    assert!(!at_cap.contains("id=\"priority-request\""), "{at_cap}");

    let low = fx
        .post(
            "/api/v1/tickets",
            &fx.ana,
            json!({"subject": "Internet lent", "body": "Merge greu.", "department": fx.support,
                   "priority": "low"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let id = low["id"].as_str().unwrap().to_owned();
    let uri = format!("/portal/tickets/{id}/priority");
    let ticket_page = page(&fx, &ana, &format!("/tickets/{id}")).await.text();
    assert!(
        ticket_page.contains(&format!("href=\"{uri}\"")),
        "{ticket_page}"
    );
    let form_page = page(&fx, &ana, &uri).await.expect(StatusCode::OK).text();
    let select = &form_page[form_page.find("select name=\"priority\"").unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    assert_eq!(
        select.matches("<option").count(),
        1,
        "only normal: {select}"
    );
    assert!(select.contains("value=\"normal\""), "{select}");

    // Above her cap (typed by hand) and without a reason: refused beside the form, kept.
    let above = form(&fx, &ana, &uri, "priority=urgent&reason=Tot%20biroul").await;
    assert_eq!(above.status, StatusCode::FORBIDDEN);
    let above = above.text();
    assert!(above.contains("id=\"form-error\""), "{above}");
    assert!(above.contains("Tot biroul</textarea>"), "{above}");
    let blank = form(&fx, &ana, &uri, "priority=normal&reason=%20%20").await;
    assert_eq!(blank.status, StatusCode::BAD_REQUEST, "{}", blank.text());
    assert!(
        blank.text().contains("<code>reason</code>"),
        "{}",
        blank.text()
    );

    // Another customer's ticket: not found, nothing filed.
    let john = page_login(&fx, "john@example.com").await;
    page(&fx, &john, &uri).await.expect(StatusCode::NOT_FOUND);
    form(&fx, &john, &uri, "priority=normal&reason=x")
        .await
        .expect(StatusCode::NOT_FOUND);

    let asked = form(
        &fx,
        &ana,
        &uri,
        "priority=normal&reason=Tot%20biroul%20e%20oprit",
    )
    .await;
    assert!(asked.status.is_redirection(), "{}", asked.text());
    let shown = page(&fx, &ana, &uri).await.text();
    assert!(shown.contains("id=\"priority-requested\""), "{shown}");
    assert!(shown.contains("Tot biroul e oprit"), "{shown}");
    let read = fx
        .get(&format!("/api/v1/tickets/{id}"), &fx.ana)
        .await
        .json();
    assert_eq!(read["priority_request"]["priority"], "normal", "{read}");
    assert_eq!(read["priority"], "low", "an agent decides: {read}");
}

#[tokio::test]
async fn a_snoozed_notification_says_when_it_comes_back() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let id = fx.open(&fx.ana, "Nu merge internetul").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fx.post(
        &format!("/api/v1/tickets/{id}/commands"),
        &fx.ivan,
        json!({"command": "reply", "body": "Ne uităm acum."}),
    )
    .await
    .expect(StatusCode::OK);
    let portal = page(&fx, &ana, "/portal").await.text();
    assert!(portal.contains("class=\"meta snooze-time\""), "{portal}");
    let action = portal
        .split("action=\"")
        .skip(1)
        .map(|a| a.split('"').next().unwrap())
        .find(|a| a.ends_with("/snooze"))
        .expect("a remind-later button")
        .to_owned();
    let snoozed = form(&fx, &ana, &action, "").await;
    assert!(snoozed.status.is_redirection(), "{}", snoozed.text());
    let to = snoozed.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(to.starts_with("/portal?snoozed_until="), "{to}");
    let back = page(&fx, &ana, &to).await.text();
    assert!(back.contains("id=\"snoozed\""), "{back}");
    assert!(back.contains("notificarea revine la"), "{back}");
    assert!(!back.contains(&action), "hidden until then: {back}");
}

#[tokio::test]
async fn the_admins_customer_look_up_finds_by_part_of_a_phone_number() {
    let fx = fixture().await;
    fx.post(
        "/api/v1/customers",
        &fx.admin,
        json!({"kind": "individual", "name": "Mihai Ionescu", "phone": "+40 721 555 123"}),
    )
    .await
    .expect(StatusCode::CREATED);
    let root = page_login(&fx, "root@example.com").await;
    let found = page(&fx, &root, "/admin/customers?by=text&q=555%20123")
        .await
        .text();
    assert!(found.contains("Mihai Ionescu"), "{found}");
    assert!(!found.contains("ana@example.ro"), "{found}");
}

#[tokio::test]
async fn the_api_says_what_the_caller_may_request_and_whether_they_may_rate() {
    let fx = fixture().await;
    let offers = |id: String, token: String| {
        let fx = &fx;
        async move {
            fx.get(&format!("/api/v1/tickets/{id}/feedback-offers"), &token)
                .await
                .expect(StatusCode::OK)
                .json()
        }
    };
    let low = fx
        .post(
            "/api/v1/tickets",
            &fx.ana,
            json!({"subject": "Internet lent", "body": "Merge greu.", "department": fx.support,
                   "priority": "low"}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let low = low["id"].as_str().unwrap().to_owned();
    assert_eq!(
        offers(low.clone(), fx.ana.clone()).await,
        json!({"requestable_priorities": ["normal"], "may_rate": false})
    );
    assert_eq!(
        offers(low.clone(), fx.ivan.clone()).await,
        json!({"requestable_priorities": [], "may_rate": false})
    );
    let solved = solved_ticket(&fx).await;
    assert_eq!(
        offers(solved, fx.ana.clone()).await,
        json!({"requestable_priorities": [], "may_rate": true})
    );
    // Another customer's ticket: not found.
    fx.get(&format!("/api/v1/tickets/{low}/feedback-offers"), &fx.john)
        .await
        .expect(StatusCode::NOT_FOUND);
}
