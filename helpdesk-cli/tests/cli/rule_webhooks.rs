//! `rule add` with a `call_webhook` action (issue 22, item 1): a rule naming no endpoint is
//! refused with nothing stored; one naming an endpoint writes a `rule_fired` delivery for it
//! when it fires, listed by `webhook deliveries`.

use crate::support::*;

#[tokio::test]
async fn a_rule_added_from_json_calls_its_webhook_when_it_fires() {
    let desk = Desk::with_directory().await;
    let missing = r#"{"name": "CRM", "conditions": {"events": ["created"]},
        "actions": [{"action": "call_webhook", "endpoint": "00000000-0000-4000-8000-000000000000"}]}"#;
    let refused = desk.run_with(&["rule", "add", "-"], missing).await;
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    assert!(refused.stderr.contains("endpoint"), "{}", refused.stderr);
    assert_eq!(desk.run(&["rule", "list"]).await.ok(), "no rules\n");

    let added = desk
        .run(&[
            "--json",
            "webhook",
            "add",
            "https://hooks.example.com/crm",
            "--events",
            "availability_changed",
        ])
        .await
        .json();
    let hook = added["endpoint"]["id"].as_str().unwrap().to_owned();
    let rule = format!(
        r#"{{"name": "CRM", "conditions": {{"events": ["created"]}},
            "actions": [{{"action": "call_webhook", "endpoint": "{hook}"}}]}}"#
    );
    desk.run_with(&["--json", "rule", "add", "-"], &rule)
        .await
        .json();
    desk.run(&[
        "create",
        "--email",
        "ana@example.com",
        "--subject",
        "Router is red",
        "--body",
        "Nothing works.",
    ])
    .await
    .ok();
    let sent = desk
        .run(&["--json", "webhook", "deliveries", &hook])
        .await
        .json();
    let sent = sent.as_array().expect("a list of deliveries");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["event"], "rule_fired");
}
