//! The admin pages of the directory driven as a browser does — departments, agents,
//! customers: each renders for an admin, a form posted changes the store, a bad input shows
//! the form again with the reason inline and the input kept, and anyone but an admin is
//! refused (and shown no admin link). The settings' pages are in `admin_settings_pages`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use crate::support::*;

/// Encodes a form value.
pub(crate) fn enc(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The form `id` of a page, its CSRF token hidden (it differs per session).
pub(crate) fn form_html(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("<form id=\"{id}\""))
        .unwrap_or_else(|| panic!("no form {id} in {html}"));
    let end = start + html[start..].find("</form>").unwrap() + "</form>".len();
    let form = &html[start..end];
    let (before, rest) = form.split_once("name=\"csrf\" value=\"").unwrap();
    let after = &rest[rest.find('"').unwrap()..];
    format!("{before}name=\"csrf\" value=\"[csrf]{after}").replace('>', ">\n")
}

/// A redirect after a post that worked.
pub(crate) fn saved(reply: &Reply) {
    assert!(
        reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.text()
    );
}

fn department_id(fx: &Fixture, name: &str, all: &[Value]) -> String {
    let _ = fx;
    all.iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("no department {name}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn departments_are_created_renamed_and_put_on_a_calendar() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin/departments")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("Billing") && html.contains("id=\"new-department\""));

    saved(
        &form(
            &fx,
            &root,
            "/admin/departments",
            "name=Sales&follow_up=reject",
        )
        .await,
    );
    let all = fx.get("/api/v1/departments", &fx.admin).await.items();
    let sales = department_id(&fx, "Sales", &all);
    let stored = all.iter().find(|d| d["name"] == "Sales").unwrap();
    assert_eq!(stored["follow_up"], "reject");

    // A blank name is refused inline; the choice made is kept.
    let bad = form(
        &fx,
        &root,
        "/admin/departments",
        "name=+&follow_up=new_ticket",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let html = bad.text();
    let new = form_html(&html, "new-department");
    assert!(new.contains("role=\"alert\""), "{new}");
    assert!(new.contains("value=\"new_ticket\" selected"), "{new}");
    insta::assert_snapshot!("department_refused", new);

    // Renamed, its follow-up changed and made inactive.
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/departments/{sales}"),
            "name=Vanzari&follow_up=new_ticket",
        )
        .await,
    );
    let all = fx.get("/api/v1/departments", &fx.admin).await.items();
    let renamed = all.iter().find(|d| d["id"] == sales.as_str()).unwrap();
    assert_eq!(renamed["name"], "Vanzari");
    assert_eq!(renamed["follow_up"], "new_ticket");
    assert_eq!(renamed["active"], false);

    // A calendar, then the department on it.
    saved(
        &form(
            &fx,
            &root,
            "/admin/calendars",
            "name=Office&zone=Europe%2FBucharest&hours=mon-fri+09%3A00-18%3A00",
        )
        .await,
    );
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/departments/{sales}/calendar"),
            "calendar=Office",
        )
        .await,
    );
    let levels = fx
        .get("/api/v1/settings/service-levels", &fx.admin)
        .await
        .json();
    assert_eq!(levels["department_calendars"][&sales], "Office");
    // A calendar that does not exist is refused on the department's own form.
    let bad = form(
        &fx,
        &root,
        &format!("/admin/departments/{sales}/calendar"),
        "calendar=Nowhere",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
    assert!(form_html(&bad.text(), &format!("calendar-{sales}")).contains("role=\"alert\""));

    // An agent who is no admin is refused.
    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, "/admin/departments")
        .await
        .expect(StatusCode::FORBIDDEN);
    form(
        &fx,
        &ivan,
        "/admin/departments",
        "name=Mine&follow_up=reopen",
    )
    .await
    .expect(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn agents_are_created_with_a_login_edited_and_disabled() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    page(&fx, &root, "/admin/agents")
        .await
        .expect(StatusCode::OK);
    let all = fx.get("/api/v1/departments", &fx.admin).await.items();
    let support = department_id(&fx, "Support", &all);
    let billing = department_id(&fx, "Billing", &all);

    // A bad e-mail is refused inline, the name kept and no agent made.
    let bad = form(
        &fx,
        &root,
        "/admin/agents",
        &format!("name=Elena&email=nope&role=agent&department_{support}=on"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let new = form_html(&bad.text(), "new-agent");
    assert!(
        new.contains("role=\"alert\"") && new.contains("value=\"Elena\""),
        "{new}"
    );
    assert!(
        new.contains(&format!(
            "name=\"department_{support}\" value=\"on\" checked"
        )),
        "{new}"
    );
    // A password over the limit is refused before anything is written.
    let long = "x".repeat(1025);
    let bad = form(
        &fx,
        &root,
        "/admin/agents",
        &format!("name=Elena&email=elena%40example.com&role=agent&login=elena&password={long}"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let agents = fx.get("/api/v1/agents", &fx.admin).await.items();
    assert!(!agents.iter().any(|a| a["name"] == "Elena"));

    let made = form(
        &fx,
        &root,
        "/admin/agents",
        &format!(
            "name=Elena&email=elena%40example.com&role=agent&department_{support}=on&login=elena%40example.com&password={}",
            enc(PASSWORD)
        ),
    )
    .await;
    saved(&made);
    let agent_page = made.headers["location"].to_str().unwrap().to_owned();
    let id = agent_page.rsplit('/').next().unwrap().to_owned();
    let elena = fx.login("elena@example.com").await;
    let html = page(&fx, &root, &agent_page)
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("elena@example.com") && html.contains("id=\"membership\""));

    // A supervisor in Billing only, reading there.
    saved(
        &form(
            &fx,
            &root,
            &agent_page,
            &format!("role=supervisor&member_{billing}=on&perm_{billing}_read=on"),
        )
        .await,
    );
    let agent = fx
        .get(&format!("/api/v1/agents?x={id}"), &fx.admin)
        .await
        .items()
        .into_iter()
        .find(|a| a["id"] == id.as_str())
        .unwrap();
    assert_eq!(agent["role"], "supervisor");
    assert_eq!(agent["departments"][&billing], serde_json::json!(["read"]));
    assert!(agent["departments"].get(&support).is_none());

    // A new login; a blank one is refused inline.
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/agents/{id}/login"),
            &format!("login=elena2&password={}", enc(PASSWORD)),
        )
        .await,
    );
    fx.login("elena2").await;
    let bad = form(
        &fx,
        &root,
        &format!("/admin/agents/{id}/login"),
        "login=&password=",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(form_html(&bad.text(), "login").contains("role=\"alert\""));

    // Disabled: her tokens stop working; enabled again, she signs in.
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/agents/{id}/active"),
            "enabled=false",
        )
        .await,
    );
    let refused = fx.get("/api/v1/tickets", &elena).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/agents/{id}/active"),
            "enabled=true",
        )
        .await,
    );
    fx.login("elena2").await;

    // Ivan may not see or change agents.
    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, &agent_page)
        .await
        .expect(StatusCode::FORBIDDEN);
    form(
        &fx,
        &ivan,
        &format!("/admin/agents/{id}/active"),
        "enabled=false",
    )
    .await
    .expect(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn customers_are_created_looked_up_given_a_login_and_disabled() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let bad = form(
        &fx,
        &root,
        "/admin/customers",
        "kind=organisation&name=Hotel+Dacia&email=not-an-email",
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let new = form_html(&bad.text(), "new-customer");
    assert!(
        new.contains("value=\"Hotel Dacia\"") && new.contains("value=\"organisation\" selected"),
        "{new}"
    );

    let made = form(
        &fx,
        &root,
        "/admin/customers",
        "kind=organisation&name=Hotel+Dacia&email=desk%40dacia.ro&language=ro",
    )
    .await;
    saved(&made);
    let found = made.headers["location"].to_str().unwrap().to_owned();
    let html = page(&fx, &root, &found).await.expect(StatusCode::OK).text();
    assert!(
        html.contains("Hotel Dacia") && html.contains("access enabled"),
        "{html}"
    );
    let id = html
        .split("/admin/customers/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    // A look-up that is no e-mail is refused inline.
    let html = page(&fx, &root, "/admin/customers?by=email&q=nope")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("role=\"alert\""));

    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/customers/{id}/login"),
            &format!(
                "by=email&q=desk%40dacia.ro&login=dacia&password={}",
                enc(PASSWORD)
            ),
        )
        .await,
    );
    let dacia = fx.login("dacia").await;
    fx.get("/api/v1/tickets", &dacia)
        .await
        .expect(StatusCode::OK);
    saved(
        &form(
            &fx,
            &root,
            &format!("/admin/customers/{id}/access"),
            "by=email&q=desk%40dacia.ro&enabled=false",
        )
        .await,
    );
    assert_eq!(
        fx.get("/api/v1/tickets", &dacia).await.status,
        StatusCode::UNAUTHORIZED
    );
    let html = page(&fx, &root, &found).await.text();
    assert!(html.contains("access disabled"), "{html}");

    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, "/admin/customers")
        .await
        .expect(StatusCode::FORBIDDEN);
    // The library lets staff add customers (a phone ticket's caller); a customer may not.
    let ana = page_login(&fx, "ana@example.ro").await;
    form(&fx, &ana, "/admin/customers", "kind=individual&name=X")
        .await
        .expect(StatusCode::FORBIDDEN);
    form(
        &fx,
        &ivan,
        &format!("/admin/customers/{id}/access"),
        "enabled=true",
    )
    .await
    .expect(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn admin_links_show_to_admins_only_and_persian_pages_are_right_to_left() {
    let fx = fixture().await;
    let root = page_login(&fx, "root@example.com").await;
    let ivan = page_login(&fx, "ivan@example.com").await;
    let html = page(&fx, &root, "/console").await.text();
    assert!(html.contains("href=\"/admin\""), "{html}");
    let html = page(&fx, &ivan, "/console").await.text();
    assert!(!html.contains("href=\"/admin"), "{html}");
    page(&fx, &ivan, "/admin")
        .await
        .expect(StatusCode::FORBIDDEN);
    let ana = page_login(&fx, "ana@example.ro").await;
    page(&fx, &ana, "/admin/agents")
        .await
        .expect(StatusCode::FORBIDDEN);

    for (code, word) in [("fa", "بخش‌ها"), ("ru", "Отделы"), ("ro", "Departamente")] {
        let request = Request::builder()
            .uri("/admin/departments")
            .header(header::COOKIE, &root.cookie)
            .header(header::ACCEPT_LANGUAGE, format!("{code}, en;q=0.5"))
            .body(Body::empty())
            .unwrap();
        let html = fx.send(request).await.expect(StatusCode::OK).text();
        assert!(
            html.contains(&format!("lang=\"{code}\"")) && html.contains(word),
            "{html}"
        );
        assert_eq!(html.contains("dir=\"rtl\""), code == "fa");
    }
}
