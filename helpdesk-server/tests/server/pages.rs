//! The pages in-process: user content is escaped, and the portal's and console's forms
//! carry a ticket from opening to closed.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::*;

#[tokio::test]
async fn pages_render_with_user_content_escaped() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "<script>alert('x')</script> & more").await;
    let id = ticket["id"].as_str().unwrap();

    // Not signed in: to the sign-in page.
    let anonymous = fx
        .send(
            Request::builder()
                .uri("/portal")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(anonymous.status.is_redirection());
    assert_eq!(anonymous.headers[header::LOCATION], "/login");

    let cookie = page_login(&fx, "ana@example.ro").await;
    let portal = page(&fx, &cookie, "/portal").await.expect(StatusCode::OK);
    let html = portal.text();
    assert!(
        html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; more"),
        "{html}"
    );
    assert!(!html.contains("<script>alert"), "user content is escaped");
    assert!(html.contains("lang=\"ro\""), "Ana's pages are in Romanian");

    let view = page(&fx, &cookie, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK);
    assert!(!view.text().contains("<script>alert"));

    // The Persian customer's pages are right to left.
    let zahra = page_login(&fx, "zahra@example.ir").await;
    let portal = page(&fx, &zahra, "/portal").await;
    assert!(portal.text().contains("dir=\"rtl\""), "{}", portal.text());
    // ...and Ana's ticket is not there for her.
    page(&fx, &zahra, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::NOT_FOUND);

    // The agent console lists the ticket, escaped too.
    let ivan = page_login(&fx, "ivan@example.com").await;
    let queue = page(&fx, &ivan, "/console").await.expect(StatusCode::OK);
    assert!(queue.text().contains("&lt;script&gt;"));
    assert!(!queue.text().contains("<script>alert"));
}

/// The browser scenario of issue 7, through the pages' forms: the customer searches the
/// knowledge base, finds nothing, opens a ticket with an attachment; the agent adds an
/// internal note and a reply; the customer sees the reply and not the note, confirms the
/// solution, and the ticket shows Closed.
#[tokio::test]
async fn the_portal_and_console_pages_carry_a_ticket_to_closed() {
    let fx = fixture().await;
    let ana = page_login(&fx, "ana@example.ro").await;
    let kb = page(&fx, &ana, "/portal/kb?q=imprimanta")
        .await
        .expect(StatusCode::OK);
    assert!(kb.text().contains("id=\"nothing\""), "{}", kb.text());

    let new = page(&fx, &ana, "/portal/new").await.expect(StatusCode::OK);
    assert!(
        new.text().contains(&fx.support),
        "the form offers the departments"
    );

    let created = fx
        .multipart(
            "/portal/tickets",
            ("cookie", &ana.cookie),
            &[
                ("csrf", &ana.csrf),
                ("department", &fx.support),
                ("ticket_type", "incident"),
                ("subject", "Imprimanta nu tipărește"),
                ("body", "Mesaj de eroare pe ecran."),
                ("priority", "normal"),
            ],
            &[("eroare.png", "image/png", b"\x89PNG fake")],
        )
        .await;
    assert!(created.status.is_redirection(), "{}", created.text());
    let location = created.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(location.starts_with("/tickets/"));
    let view = page(&fx, &ana, &location).await;
    assert!(
        view.text().contains("eroare.png"),
        "the attachment is listed"
    );

    let ivan = page_login(&fx, "ivan@example.com").await;
    let queue = page(&fx, &ivan, "/console").await;
    assert!(queue.text().contains("Imprimanta nu tipărește"));
    let note = fx
        .multipart(
            &format!("{location}/message"),
            ("cookie", &ivan.cookie),
            &[
                ("csrf", &ivan.csrf),
                ("body", "NOTE: driver issue"),
                ("internal", "true"),
            ],
            &[],
        )
        .await;
    assert!(note.status.is_redirection(), "{}", note.text());
    let reply = fx
        .multipart(
            &format!("{location}/message"),
            ("cookie", &ivan.cookie),
            &[
                ("csrf", &ivan.csrf),
                ("body", "Reinstalați driverul, vă rog."),
            ],
            &[],
        )
        .await;
    assert!(reply.status.is_redirection(), "{}", reply.text());
    let staff_view = page(&fx, &ivan, &location).await.text();
    assert!(staff_view.contains("NOTE: driver issue"));
    assert!(staff_view.contains("id=\"history\""));
    let logged = form(
        &fx,
        &ivan,
        &format!("{location}/action"),
        "action=log_time&minutes=25&billable=true&note=driver",
    )
    .await;
    assert!(logged.status.is_redirection(), "{}", logged.text());
    assert!(page(&fx, &ivan, &location).await.text().contains("25 min"));
    let resolved = form(&fx, &ivan, &format!("{location}/action"), "action=resolve").await;
    assert!(resolved.status.is_redirection(), "{}", resolved.text());

    let customer_view = page(&fx, &ana, &location).await.text();
    assert!(customer_view.contains("Reinstalați driverul"));
    assert!(
        !customer_view.contains("NOTE: driver issue"),
        "notes stay internal"
    );
    assert!(customer_view.contains("id=\"confirm\""));
    let confirmed = form(&fx, &ana, &format!("{location}/action"), "action=confirm").await;
    assert!(confirmed.status.is_redirection(), "{}", confirmed.text());
    let closed = page(&fx, &ana, &location).await.text();
    assert!(closed.contains("data-status=\"closed:solved\""), "{closed}");

    // A customer cannot use the agents' actions.
    form(
        &fx,
        &ana,
        &format!("{location}/action"),
        &format!("action=assign&agent={}", fx.ivan_id),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
}
