//! `feedback-offers TICKET` (issue 21): the priorities `--as` may ask for and whether they
//! may rate the ticket, as lines or `--json`, as the API's feedback offers.

use serde_json::Value;

use crate::support::*;

#[tokio::test]
async fn the_customer_is_offered_higher_priorities_and_staff_nothing() {
    let desk = Desk::with_directory().await;
    let opened = desk
        .run(&[
            "--json",
            "create",
            "--phone",
            "+40 721 000 111",
            "--subject",
            "Line 1 is down",
            "--body",
            "No signal.",
            "--priority",
            "low",
        ])
        .await
        .json();
    let t = number(&opened);
    let ana = ["--as", "customer:ana@example.com"];
    let offers = desk
        .run(&[&ana[..], &["--json", "feedback-offers", &t]].concat())
        .await
        .json();
    let wanted: Vec<&str> = offers["requestable_priorities"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(!wanted.is_empty(), "{offers}");
    assert!(
        wanted
            .iter()
            .all(|p| ["normal", "high", "urgent"].contains(p)),
        "only above the ticket's own: {offers}"
    );
    assert_eq!(offers["may_rate"], false, "an open ticket is not rated");
    let lines = desk
        .run(&[&ana[..], &["feedback-offers", &t]].concat())
        .await
        .ok();
    assert_eq!(
        lines,
        format!(
            "requestable_priorities  {}\nmay_rate  no\n",
            wanted.join(",")
        )
    );

    // Staff ask for nothing and rate nothing.
    let staff = desk
        .run(&["--as", "agent:ivan@example.com", "feedback-offers", &t])
        .await
        .ok();
    assert_eq!(staff, "requestable_priorities  -\nmay_rate  no\n");
    // Another customer's ticket is not found; a bad key is invalid input.
    let theirs = desk
        .run(&[
            "--as",
            "customer:office@acme.example",
            "feedback-offers",
            &t,
        ])
        .await;
    assert_eq!(theirs.code, 3, "{}", theirs.stderr);
    let bad = desk.run(&["feedback-offers", "not-a-ticket"]).await;
    assert_eq!(bad.code, 5, "{}", bad.stderr);
}
