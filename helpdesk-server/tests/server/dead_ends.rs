//! No dead ends (issue 21, problems 1, 2 and 10): a refused form comes back with what was
//! typed and the refusal beside it in the person's language; error pages have the layout,
//! sign-out and a "back" to the form; an unknown address is a real 404 page; a customer
//! disabled while signed in is told so and can sign out; forms and menus offer only what the
//! person may use; the admin's customer look-up finds by part of a name or e-mail; the
//! knowledge base shows its index by category.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use helpdesk::domain::{CustomerId, Email};
use helpdesk::search::CustomerLookup;
use serde_json::json;

use crate::support::*;

/// The values of the options of the select named `select`.
fn options_of(html: &str, select: &str) -> Vec<String> {
    let start = html
        .find(&format!("select name=\"{select}\""))
        .unwrap_or_else(|| panic!("no {select} select in {html}"));
    let rest = &html[start..];
    let rest = &rest[..rest.find("</select>").unwrap()];
    rest.split("<option value=\"")
        .skip(1)
        .map(|o| o.split('"').next().unwrap().to_owned())
        .collect()
}

/// The text of the element with `id` up to its first closing tag.
fn text_of<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[start..];
    let rest = &rest[rest.find('>').unwrap() + 1..];
    &rest[..rest.find("</").unwrap()]
}

/// The page has the layout: the menu and the sign-out button.
fn assert_layout(html: &str, sign_out: &str) {
    assert!(html.contains("<header>"), "{html}");
    assert!(html.contains("action=\"/logout\""), "{html}");
    assert!(html.contains(sign_out), "{html}");
}

async fn customer_id(fx: &Fixture, email: &str) -> CustomerId {
    let desk = fx.desk.as_ref().unwrap();
    let lookup = CustomerLookup::Email(Email::parse(email).unwrap());
    desk.as_system().find_customers(&lookup).await.unwrap()[0].id
}

#[tokio::test]
async fn a_refused_portal_ticket_comes_back_with_the_text_kept_in_the_customers_language() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let post = |subject: &'static str, files: Vec<(&'static str, &'static str, Vec<u8>)>| {
        let fx = &fx;
        let ana = &ana;
        async move {
            let files: Vec<(&str, &str, &[u8])> = files
                .iter()
                .map(|(n, t, b)| (*n, *t, b.as_slice()))
                .collect();
            fx.multipart(
                "/portal/tickets",
                ("cookie", &ana.cookie),
                &[
                    ("csrf", &ana.csrf),
                    ("department", &fx.support),
                    ("ticket_type", "incident"),
                    ("subject", subject),
                    ("body", "Imprimanta afișează eroarea 50.4"),
                    ("priority", "low"),
                ],
                &files,
            )
            .await
        }
    };

    // A blank subject: the form again, the description and the choices kept.
    let blank = post("   ", Vec::new()).await;
    assert_eq!(blank.status, StatusCode::BAD_REQUEST, "{}", blank.text());
    let html = blank.text();
    assert!(html.contains("id=\"new-ticket\""), "{html}");
    assert!(html.contains("Scrieți un subiect."), "{html}");
    assert!(html.contains("Imprimanta afișează eroarea 50.4"), "{html}");
    assert!(html.contains("<option value=\"low\" selected>"), "{html}");
    assert_layout(&html, "Ieșire");

    // A file over the limit: the same, the subject kept too.
    let big = vec![b'x'; MAX_FILE as usize + 1];
    let large = post(
        "Eroare la imprimantă",
        vec![("mare.pdf", "application/pdf", big)],
    )
    .await;
    assert_eq!(
        large.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        large.text()
    );
    let html = large.text();
    assert!(html.contains("Fișierul este prea mare."), "{html}");
    assert!(html.contains("value=\"Eroare la imprimantă\""), "{html}");
    assert!(html.contains("id=\"form-error\""), "{html}");
    assert_layout(&html, "Ieșire");

    // Nothing was opened.
    let mine = fx
        .get("/api/v1/tickets", &fx.ana)
        .await
        .expect(StatusCode::OK);
    assert!(mine.items().is_empty(), "{}", mine.text());
}

#[tokio::test]
async fn the_phone_ticket_form_offers_only_usable_departments_and_refuses_inline() {
    let fx = fixture().await;
    let desk = fx.desk.as_ref().unwrap();
    let billing = desk
        .as_system()
        .departments()
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.name.as_str() == "Billing")
        .unwrap()
        .id
        .to_string();
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, "/console/new")
        .await
        .expect(StatusCode::OK)
        .text();
    assert_eq!(options_of(&html, "department"), vec![fx.support.clone()]);
    // Without a customer, the priorities an internal ticket gets as chosen; never more
    // than the admin's.
    let offered = options_of(&html, "priority");
    assert!(offered.len() <= 5, "{offered:?}");

    // A hand-made post into Billing, where Ivan has no rights: the form again, with what he
    // typed and why, inside the layout.
    let refused = form(
        &fx,
        &ivan,
        "/console/tickets",
        &format!(
            "customer=john%40example.com&subject=Factura+lipsa&department={billing}&priority=&ticket_type=incident&body=Clientul+suna"
        ),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    let html = refused.text();
    assert!(html.contains("id=\"phone-ticket\""), "{html}");
    assert!(
        html.contains("You do not have the permission for this in this department."),
        "{html}"
    );
    assert!(html.contains("value=\"Factura lipsa\""), "{html}");
    assert!(html.contains("Clientul suna"), "{html}");
    assert_layout(&html, "Sign out");
}

#[tokio::test]
async fn error_pages_have_the_layout_the_readers_language_and_a_back_to_the_form() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let request = Request::builder()
        .uri("/tickets/00000000-0000-4000-8000-000000000000")
        .header(header::COOKIE, &ana.cookie)
        .header(header::HOST, "desk.example.ro")
        .header(header::REFERER, "http://desk.example.ro/portal/new?x=1")
        .body(Body::empty())
        .unwrap();
    let missing = fx.send(request).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let html = missing.text();
    assert_layout(&html, "Ieșire");
    assert!(html.contains("Ceva nu a mers"), "{html}");
    assert!(
        html.contains("id=\"back\" href=\"/portal/new?x=1\""),
        "back goes to the page she came from: {html}"
    );
    assert!(html.contains("Înapoi"), "{html}");

    // Another site's page is never the way back.
    let request = Request::builder()
        .uri("/tickets/00000000-0000-4000-8000-000000000000")
        .header(header::COOKIE, &ana.cookie)
        .header(header::HOST, "desk.example.ro")
        .header(header::REFERER, "https://evil.example/phish")
        .body(Body::empty())
        .unwrap();
    let html = fx.send(request).await.text();
    assert!(html.contains("id=\"back\" href=\"/\""), "{html}");
}

#[tokio::test]
async fn an_unknown_address_is_a_translated_404_page_and_stays_json_under_the_api() {
    let fx = fixture().await;
    let request = Request::builder()
        .uri("/no/such/page")
        .header(header::ACCEPT_LANGUAGE, "fa-IR,fa;q=0.9")
        .body(Body::empty())
        .unwrap();
    let anonymous = fx.send(request).await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    let html = anonymous.text();
    assert!(html.contains("dir=\"rtl\""), "{html}");
    assert_eq!(text_of(&html, "error"), "این صفحه وجود ندارد.");

    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, "/console/nowhere")
        .await
        .expect(StatusCode::NOT_FOUND)
        .text();
    assert_layout(&html, "Sign out");
    assert_eq!(text_of(&html, "error"), "This page does not exist.");

    let api = fx.get("/api/v1/no-such-route", &fx.ivan).await;
    assert_error(&api, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_customer_disabled_while_signed_in_is_told_so_and_can_sign_out() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let id = customer_id(&fx, "ana@example.ro").await;
    // Disabling revokes her sessions; one issued in the race between sign-in's check and
    // its session (here: the record written directly) outlives it.
    let desk = fx.desk.as_ref().unwrap();
    let mut record = desk.store().customer(id).await.unwrap().unwrap();
    record.access_enabled = false;
    desk.store().put_customer(&record).await.unwrap();

    let refused = page(&fx, &ana, "/portal").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let html = refused.text();
    assert!(html.contains("lang=\"ro\""), "in her language: {html}");
    assert!(
        text_of(&html, "account-disabled").starts_with("Accesul dumneavoastră"),
        "{html}"
    );
    assert!(html.contains("id=\"sign-out\""), "{html}");

    let out = form(&fx, &ana, "/logout", "").await;
    assert!(out.status.is_redirection(), "{}", out.text());
    assert_eq!(out.headers[header::LOCATION], "/login");
    let after = page(&fx, &ana, "/portal").await;
    assert_eq!(after.headers[header::LOCATION], "/login", "signed out");

    // Signing in again: told so, in her language.
    let again = sign_in_page(&fx, "ana@example.ro", PASSWORD).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert!(
        again.text().contains("Acest cont este dezactivat."),
        "{}",
        again.text()
    );
}

#[tokio::test]
async fn admin_and_reports_are_linked_only_for_who_may_open_them() {
    let fx = fixture().await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &ivan, "/console")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(!html.contains("href=\"/admin\""), "{html}");
    assert!(!html.contains("href=\"/reports\""), "{html}");
    assert!(html.contains("href=\"/console/notifications\""), "{html}");
    page(&fx, &ivan, "/reports")
        .await
        .expect(StatusCode::FORBIDDEN);

    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/console")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("href=\"/admin\""), "{html}");
    assert!(html.contains("href=\"/reports\""), "{html}");
    page(&fx, &root, "/reports").await.expect(StatusCode::OK);
}

#[tokio::test]
async fn the_admins_customer_look_up_finds_by_part_of_a_name_or_email() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    for query in ["by=text&q=ana%40exa", "q=EXAMPLE.RO", "by=text&q=zahra"] {
        let html = page(&fx, &root, &format!("/admin/customers?{query}"))
            .await
            .expect(StatusCode::OK)
            .text();
        let wanted = if query.contains("zahra") {
            "zahra@example.ir"
        } else {
            "ana@example.ro"
        };
        assert!(html.contains(wanted), "{query}: {html}");
        assert!(!html.contains("john@example.com"), "{query}: {html}");
    }
    // The exact look-ups are still there.
    let html = page(&fx, &root, "/admin/customers?by=email&q=john%40example.com")
        .await
        .text();
    assert!(html.contains("john@example.com"), "{html}");
}

#[tokio::test]
async fn the_knowledge_base_shows_its_index_by_category() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let html = page(&fx, &ana, "/portal/kb")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("id=\"kb-index\""), "{html}");
    assert!(html.contains("Nu există încă articole."), "{html}");

    for category in ["retea", "facturi"] {
        crate::content_settings::add_category(&fx, category).await;
    }
    for (title, category, status) in [
        ("Resetarea routerului", "retea", "published"),
        ("Factura electronică", "facturi", "published"),
        ("Ciornă secretă", "retea", "draft"),
    ] {
        fx.post(
            "/api/v1/kb/articles",
            &fx.ivan,
            json!({"title": title, "body": "Text.", "category": category, "language": "ro",
                   "status": status}),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    let html = page(&fx, &ana, "/portal/kb")
        .await
        .expect(StatusCode::OK)
        .text();
    let index = &html[html.find("id=\"kb-index\"").unwrap()..];
    let facturi = index.find("facturi").expect("a heading per category");
    let retea = index.find("retea").expect("a heading per category");
    assert!(facturi < retea, "categories by name: {index}");
    let invoice = index.find("Factura electronică").unwrap();
    let router = index.find("Resetarea routerului").unwrap();
    assert!(
        facturi < invoice && invoice < retea && retea < router,
        "{index}"
    );
    assert!(
        !index.contains("Ciornă secretă"),
        "drafts are not for customers"
    );
}
