//! What the CLI tells (issue 24): a priority the rules applied otherwise than asked is noted,
//! with `--json` too.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn create_notes_a_priority_the_rules_applied_otherwise() {
    let desk = Desk::with_directory().await;
    let capped = desk
        .run(&[
            "create",
            "--email",
            "ana@example.com",
            "--subject",
            "Line down",
            "--body",
            "No dial tone.",
            "--priority",
            "urgent",
        ])
        .await
        .ok();
    assert_eq!(
        capped,
        "opened 2026010510000001 (short 10000001): Line down [new, normal]\n\
         note: asked for priority urgent, applied normal: above the cap of normal\n"
    );
    let organisation = desk
        .run(&[
            "--json",
            "create",
            "--contract",
            "C-2002",
            "--subject",
            "Invoice charged twice",
            "--body",
            "December's invoice was charged twice.",
            "--priority",
            "low",
        ])
        .await
        .json();
    assert_eq!(organisation["priority"], "high");
    assert_eq!(
        organisation["notices"],
        json!([{
            "kind": "priority_adjusted",
            "asked": "low",
            "applied": "high",
            "reason": {"kind": "desk_rule", "customer_kind": "organisation"},
            "message": "asked for priority low, applied high: set by the desk's rule for organisations",
        }])
    );
    // As asked: nothing to note.
    let quiet = desk
        .run(&[
            "--json",
            "create",
            "--email",
            "ana@example.com",
            "--subject",
            "Slow line",
            "--body",
            "Slow.",
            "--priority",
            "low",
        ])
        .await
        .json();
    assert_eq!(
        (&quiet["priority"], &quiet["notices"]),
        (&json!("low"), &json!([]))
    );
}
