//! Notes on billable time entries reach the customer only when the agent chose so: the
//! console's "log time" form offers the choice (unchecked), the API takes it, and the
//! customer's ticket page and the API show a note only where it was made.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn the_log_time_form_offers_the_note_choice_unchecked() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Imprimanta nu tipărește").await;
    let id = ticket["id"].as_str().unwrap();
    let ivan = page_login(&fx, "ivan@example.com").await;
    let view = page(&fx, &ivan, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK)
        .text();
    let at = view
        .find("id=\"note-visible\"")
        .unwrap_or_else(|| panic!("the form has the choice: {view}"));
    let checkbox = &view[view[..at].rfind('<').unwrap()..];
    let checkbox = &checkbox[..checkbox.find('>').unwrap()];
    assert!(
        checkbox.contains("type=\"checkbox\"")
            && checkbox.contains("name=\"note_visible_to_customer\""),
        "{checkbox}"
    );
    assert!(!checkbox.contains("checked"), "unchecked: {checkbox}");
    assert!(view.contains("Show the note to the customer (billable time only)"));
}

#[tokio::test]
async fn the_customers_page_shows_a_billable_note_only_when_made_visible() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Imprimanta nu tipărește").await;
    let location = format!("/tickets/{}", ticket["id"].as_str().unwrap());
    let ivan = page_login(&fx, "ivan@example.com").await;
    let action = format!("{location}/action");
    for body in [
        "action=log_time&minutes=40&billable=true&note_visible_to_customer=true&note=Driver+reinstalled",
        "action=log_time&minutes=25&billable=true&note=Printer+is+ancient",
        "action=log_time&minutes=5&note_visible_to_customer=true&note=Vendor+call",
    ] {
        let logged = form(&fx, &ivan, &action, body).await;
        assert!(logged.status.is_redirection(), "{}", logged.text());
    }

    let ana = page_login(&fx, "ana@example.ro").await;
    let customer = page(&fx, &ana, &location)
        .await
        .expect(StatusCode::OK)
        .text();
    assert!(customer.contains("id=\"billed-time\""), "{customer}");
    assert!(customer.contains("Timp facturat"), "in Ana's Romanian");
    assert!(customer.contains("40 min") && customer.contains("25 min"));
    assert!(
        customer.contains("Driver reinstalled"),
        "the note made visible"
    );
    assert!(
        !customer.contains("Printer is ancient"),
        "a hidden note: {customer}"
    );
    assert!(
        !customer.contains("Vendor call"),
        "not billable: never shown"
    );

    let staff = page(&fx, &ivan, &location).await.text();
    for note in ["Driver reinstalled", "Printer is ancient", "Vendor call"] {
        assert!(staff.contains(note), "{note}");
    }
    assert_eq!(staff.matches("Note shown to the customer").count(), 1);
}

#[tokio::test]
async fn the_api_takes_the_choice_and_shows_customers_only_visible_notes() {
    let fx = fixture().await;
    let ticket = fx.open(&fx.ana, "Router").await;
    let id = ticket["id"].as_str().unwrap();
    let commands = format!("/api/v1/tickets/{id}/commands");
    for body in [
        json!({"command": "log_time", "minutes": 30, "billable": true, "note": "VPN set up",
               "note_visible_to_customer": true}),
        json!({"command": "log_time", "minutes": 20, "billable": true, "note": "Unsaid remark"}),
    ] {
        fx.post(&commands, &fx.ivan, body)
            .await
            .expect(StatusCode::OK);
    }
    let entries = format!("/api/v1/tickets/{id}/time-entries");
    let notes = |reply: Reply| -> Vec<(String, bool)> {
        reply
            .items()
            .iter()
            .map(|e| {
                (
                    e["note"].as_str().unwrap().to_owned(),
                    e["note_visible_to_customer"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let staff = notes(fx.get(&entries, &fx.ivan).await.expect(StatusCode::OK));
    assert_eq!(
        staff,
        [
            ("VPN set up".to_owned(), true),
            ("Unsaid remark".to_owned(), false)
        ]
    );
    let customer = notes(fx.get(&entries, &fx.ana).await.expect(StatusCode::OK));
    assert_eq!(
        customer,
        [("VPN set up".to_owned(), true), (String::new(), false)]
    );
}
