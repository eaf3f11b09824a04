//! The customer directory's admin pages driven as a browser does: the list filtered and
//! paged with a link to the next page, and a customer's record edited, a refusal shown again
//! with the input kept and the reason inline; agents and customers refused.

use axum::http::StatusCode;
use helpdesk::domain::{CustomerKind, Email, Name};
use helpdesk::service::NewCustomer;

use crate::admin_pages::{enc, form_html, saved};
use crate::support::*;

/// Adds an organisation through the library; its id.
async fn organisation(fx: &Fixture, name: &str) -> String {
    let new = NewCustomer::new(CustomerKind::Organisation, Name::parse(name).unwrap());
    let desk = fx.desk.as_ref().unwrap();
    desk.as_system()
        .create_customer(new)
        .await
        .unwrap()
        .id
        .to_string()
}

/// The id of the fixture's customer with this e-mail.
async fn customer_id(fx: &Fixture, email: &str) -> String {
    let desk = fx.desk.as_ref().unwrap();
    let email = Email::parse(email).unwrap();
    desk.as_system()
        .find_customers(&helpdesk::search::CustomerLookup::Email(email))
        .await
        .unwrap()[0]
        .id
        .to_string()
}

#[tokio::test]
async fn the_directory_page_filters_and_links_to_the_next_page() {
    let fx = fixture().await;
    let desk = fx.desk.as_ref().unwrap();
    for i in 0..52 {
        let new = NewCustomer::new(
            CustomerKind::Individual,
            Name::parse(format!("Client {i:02}")).unwrap(),
        );
        desk.as_system().create_customer(new).await.unwrap();
    }
    let acme = organisation(&fx, "Acme SRL").await;
    let root = page_login(&fx, "root@example.com").await;
    let html = page(&fx, &root, "/admin/customers/directory")
        .await
        .expect(StatusCode::OK)
        .text();
    // Each count isolated (FSI … PDI) and written in the page's digits.
    assert!(
        html.contains("\u{2068}50\u{2069} of \u{2068}56\u{2069}"),
        "{html}"
    );
    assert!(
        html.contains("Acme SRL") && html.contains("Client 00"),
        "{html}"
    );
    let next = html
        .split("class=\"next\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let html = page(&fx, &root, &next).await.expect(StatusCode::OK).text();
    assert!(
        html.contains("\u{2068}6\u{2069} of \u{2068}56\u{2069}")
            && !html.contains("class=\"next\""),
        "{html}"
    );
    assert!(html.contains("zahra@example.ir"), "{html}");

    let html = page(
        &fx,
        &root,
        "/admin/customers/directory?text=EXAMPLE.R&kind=individual&access=enabled&organisation=",
    )
    .await
    .expect(StatusCode::OK)
    .text();
    assert!(
        html.contains("\u{2068}1\u{2069} of \u{2068}1\u{2069}") && html.contains("ana@example.ro"),
        "{html}"
    );
    // The organisation filter offers organisations only.
    let filter = html.split("name=\"organisation\"").nth(1).unwrap();
    let filter = filter.split("</select>").next().unwrap();
    assert!(
        filter.contains(&acme) && !filter.contains("Client 00"),
        "{filter}"
    );
    // A filter that does not parse is shown inline.
    let html = page(&fx, &root, "/admin/customers/directory?after=junk")
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(html.contains("role=\"alert\""), "{html}");

    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, "/admin/customers/directory")
        .await
        .expect(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_customer_is_edited_and_a_refusal_keeps_the_input() {
    let fx = fixture().await;
    let acme = organisation(&fx, "Acme SRL").await;
    let ana = customer_id(&fx, "ana@example.ro").await;
    let root = page_login(&fx, "root@example.com").await;
    let uri = format!("/admin/customers/{ana}");
    let html = page(&fx, &root, &uri).await.expect(StatusCode::OK).text();
    let edit = form_html(&html, "edit-customer");
    assert!(edit.contains(&format!("value=\"{acme}\"")), "{edit}");

    saved(
        &form(
            &fx,
            &root,
            &uri,
            &format!(
                "name=Ana+Popescu&email=ana%40example.ro&phone={}&contract_number=RO-1&address=&language=ro&organisation={acme}",
                enc("+40 721 000 111")
            ),
        )
        .await,
    );
    let stored = fx
        .get(&format!("/api/v1/customers/{ana}"), &fx.admin)
        .await
        .json();
    assert_eq!(stored["name"], "Ana Popescu");
    assert_eq!(stored["organisation"], acme.as_str());
    assert_eq!(stored["contract_number"], "RO-1");

    // A taken e-mail: refused inline, what was typed kept, nothing written.
    let bad = form(
        &fx,
        &root,
        &uri,
        &format!("name=Ana+Renamed&email=john%40example.com&phone=&contract_number=RO-1&address=&language=ro&organisation={acme}"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::CONFLICT, "{}", bad.text());
    let refused = form_html(&bad.text(), "edit-customer");
    let refused = refused.replace(&acme, "[acme]").replace(&ana, "[ana]");
    insta::assert_snapshot!("customer_edit_refused", refused);
    let after = fx
        .get(&format!("/api/v1/customers/{ana}"), &fx.admin)
        .await
        .json();
    assert_eq!(after, stored, "nothing written");

    // An organisation's form offers no organisation to belong to.
    let html = page(&fx, &root, &format!("/admin/customers/{acme}"))
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(!form_html(&html, "edit-customer").contains("name=\"organisation\""));

    let ivan = page_login(&fx, "ivan@example.com").await;
    page(&fx, &ivan, &uri).await.expect(StatusCode::FORBIDDEN);
    form(&fx, &ivan, &uri, "name=X")
        .await
        .expect(StatusCode::FORBIDDEN);
    let missing = "/admin/customers/00000000-0000-0000-0000-000000000001";
    page(&fx, &root, missing)
        .await
        .expect(StatusCode::NOT_FOUND);
}
