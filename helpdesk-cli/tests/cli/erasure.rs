//! `customer erase`, `customer erasures` and `customer retention` (issue 22): admins erase
//! or anonymise a customer; the audit keeps who and when, not the data.

use crate::support::*;

#[tokio::test]
async fn a_customer_is_anonymised_then_erased_and_the_audit_lists_both() {
    let desk = Desk::with_directory().await;
    let refused = desk
        .run(&[
            "--as",
            "agent:ivan@example.com",
            "customer",
            "erase",
            "ana@example.com",
        ])
        .await;
    assert_eq!(refused.code, 4, "{}", refused.stderr);
    let anonymised = desk
        .run(&[
            "--json",
            "customer",
            "erase",
            "ana@example.com",
            "--anonymise",
        ])
        .await
        .json();
    assert_eq!(anonymised["mode"], "anonymise");
    assert_eq!(anonymised["cause"], "request");
    // Their address is gone: the look-up by e-mail finds nobody.
    let gone = desk.run(&["customer", "erase", "ana@example.com"]).await;
    assert_eq!(gone.code, 3, "{}", gone.stderr);
    let listed = desk.run(&["--json", "customer", "erasures"]).await.json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    assert!(!listed.to_string().contains("ana"), "{listed}");
}

#[tokio::test]
async fn the_retention_rule_is_off_until_set_and_refuses_zero_days() {
    let desk = Desk::with_directory().await;
    let shown = desk.run(&["customer", "retention"]).await.ok();
    assert_eq!(shown, "off\n");
    let set = desk
        .run(&[
            "--json",
            "customer",
            "retention",
            "--closed-days",
            "365",
            "--mode",
            "erase",
        ])
        .await
        .json();
    assert_eq!(
        set["rule"],
        serde_json::json!({"closed_days": 365, "mode": "erase"})
    );
    let bad = desk
        .run(&[
            "customer",
            "retention",
            "--closed-days",
            "0",
            "--mode",
            "erase",
        ])
        .await;
    assert_eq!(bad.code, 5, "{}", bad.stderr);
    let off = desk.run(&["customer", "retention", "--off"]).await.ok();
    assert_eq!(off, "off\n");
}
