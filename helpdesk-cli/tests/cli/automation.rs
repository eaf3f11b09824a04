//! `rule …` and `macro …` (issue 22): a trigger an admin adds from JSON acts on the next
//! matching ticket and is logged; its dry run lists what it would touch; a bad rule is
//! refused and nothing is stored; a macro is applied by an agent with one outcome per ticket.

use crate::support::*;

const TRIGGER: &str = r#"{
  "name": "Întrerupere → urgent",
  "position": 1,
  "conditions": {"events": ["created"], "text": "întrerupere"},
  "actions": [
    {"action": "set_priority", "priority": "urgent"},
    {"action": "add_tag", "tag": "outage"}
  ]
}"#;

/// A ticket of `email`'s (Acme, an organisation, starts at high and may go to urgent; Ana,
/// an individual, is capped at normal).
async fn create(desk: &Desk, email: &str, subject: &str) -> String {
    let created = desk
        .run(&[
            "--json",
            "create",
            "--email",
            email,
            "--subject",
            subject,
            "--body",
            "Nu merge nimic.",
        ])
        .await
        .json();
    number(&created)
}

const ACME: &str = "office@acme.example";
const ANA: &str = "ana@example.com";

#[tokio::test]
async fn a_trigger_added_from_json_acts_on_the_next_matching_ticket_and_is_logged() {
    let desk = Desk::with_directory().await;
    assert_eq!(desk.run(&["rule", "list"]).await.ok(), "no rules\n");
    let added = desk
        .run_with(&["--json", "rule", "add", "-"], TRIGGER)
        .await
        .json();
    assert_eq!(added["name"], "Întrerupere → urgent", "{added}");

    let matching = create(&desk, ACME, "Întrerupere la Brașov").await;
    let other = create(&desk, ACME, "Factura lunii martie").await;
    let shown = desk.run(&["--json", "show", &matching]).await.json();
    let ticket = &shown["ticket"];
    assert_eq!(ticket["priority"], "urgent", "{shown}");
    assert_eq!(ticket["tags"], serde_json::json!(["outage"]), "{shown}");
    let untouched = desk.run(&["--json", "show", &other]).await.json();
    assert_eq!(untouched["ticket"]["priority"], "high", "{untouched}");
    assert_eq!(untouched["ticket"]["tags"], serde_json::json!([]));
    // Ana is capped at normal: the rule tags her ticket but leaves its priority.
    let capped = create(&desk, ANA, "Întrerupere acasă").await;
    let capped = desk.run(&["--json", "show", &capped]).await.json();
    assert_eq!(capped["ticket"]["priority"], "normal", "{capped}");
    assert_eq!(capped["ticket"]["tags"], serde_json::json!(["outage"]));

    let firings = desk.run(&["--json", "rule", "firings"]).await.json();
    let firings = firings.as_array().unwrap();
    assert_eq!(firings.len(), 2, "{firings:?}");
    assert_eq!(firings[0]["rule_name"], "Întrerupere → urgent");
    let of_other = (desk
        .run(&["--json", "rule", "firings", "--ticket", &other])
        .await)
        .json();
    assert_eq!(of_other, serde_json::json!([]));

    let conditions = r#"{"text": "factura"}"#;
    let dry = (desk
        .run_with(&["--json", "rule", "dry-run", "-"], conditions)
        .await)
        .json();
    assert_eq!(dry["tickets"].as_array().unwrap().len(), 1, "{dry}");
    assert!(
        dry["tickets"][0]
            .as_str()
            .unwrap()
            .ends_with(&other[other.len() - 4..])
    );

    let id = added["id"].as_str().unwrap();
    desk.run(&["rule", "remove", id]).await.ok();
    assert_eq!(desk.run(&["rule", "list"]).await.ok(), "no rules\n");
}

#[tokio::test]
async fn a_bad_rule_is_refused_and_nothing_is_stored() {
    let desk = Desk::with_directory().await;
    for bad in [
        // An unknown action.
        r#"{"name": "x", "actions": [{"action": "explode"}]}"#,
        // A department that does not exist.
        r#"{"name": "x", "actions": [{"action": "move_department",
            "department": "00000000-0000-4000-8000-000000000000"}]}"#,
        // A blank name.
        r#"{"name": " ", "actions": [{"action": "add_tag", "tag": "x"}]}"#,
        // Not JSON.
        "{",
    ] {
        let refused = desk.run_with(&["rule", "add", "-"], bad).await;
        assert_ne!(refused.code, 0, "{bad}: {}", refused.stdout);
        assert!(!refused.stderr.is_empty(), "{bad}");
    }
    assert_eq!(desk.run(&["rule", "list"]).await.ok(), "no rules\n");
}

#[tokio::test]
async fn an_agent_applies_a_macro_to_tickets_with_one_outcome_each() {
    let desk = Desk::with_directory().await;
    let actions = r#"[{"action": "add_tag", "tag": "vip"}, {"action": "set_priority", "priority": "urgent"}]"#;
    let added = (desk
        .run_with(&["--json", "macro", "add", "VIP", "-"], actions)
        .await)
        .json();
    let id = added["id"].as_str().unwrap().to_owned();
    let (a, b) = (
        create(&desk, ACME, "Router").await,
        create(&desk, ACME, "Modem").await,
    );

    let ivan = ["--as", "agent:ivan@example.com"];
    let applied = desk
        .run(&[ivan[0], ivan[1], "--json", "macro", "apply", &id, &a, &b])
        .await
        .json();
    let outcomes: Vec<_> = (applied["tickets"].as_array().unwrap().iter())
        .map(|t| t["outcome"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(outcomes, ["changed", "changed"], "{applied}");
    let again = desk
        .run(&[ivan[0], ivan[1], "--json", "macro", "apply", &id, &a])
        .await
        .json();
    assert_eq!(again["tickets"][0]["outcome"], "unchanged", "{again}");
    let shown = desk.run(&["--json", "show", &b]).await.json();
    assert_eq!(shown["ticket"]["priority"], "urgent", "{shown}");
    assert_eq!(shown["ticket"]["tags"], serde_json::json!(["vip"]));

    // Maria works in Billing: the Support tickets are not hers to change.
    let maria = ["--as", "agent:maria@example.com"];
    let refused = desk
        .run(&[maria[0], maria[1], "--json", "macro", "apply", &id, &a])
        .await;
    assert_ne!(refused.code, 0, "{}", refused.stdout);
}

#[tokio::test]
async fn a_trigger_keeps_the_stored_priority_rules_ceiling() {
    let desk = Desk::with_directory().await;
    let rule = [
        "priority-rule",
        "set",
        "acme",
        "--organisation",
        ACME,
        "--initial",
        "normal",
        "--ceiling",
        "high",
    ];
    desk.run(&rule).await.ok();
    desk.run_with(&["rule", "add", "-"], TRIGGER).await.ok();
    let ticket = create(&desk, ACME, "Întrerupere totală").await;
    let shown = desk.run(&["--json", "show", &ticket]).await.json();
    // Urgent is above the stored ceiling: the tag is added, the priority stays.
    assert_eq!(shown["ticket"]["priority"], "normal", "{shown}");
    assert_eq!(shown["ticket"]["tags"], serde_json::json!(["outage"]));
}

const SCHEDULED: &str = r#"{
  "name": "Etichetează cele vechi",
  "conditions": {"statuses": ["new"]},
  "actions": [{"action": "add_tag", "tag": "vechi"}, {"action": "notify", "to": "assignee"}],
  "schedule": {"every_minutes": 60, "unchanged_for": {"amount": 2, "unit": "days"}}
}"#;

#[tokio::test]
async fn a_scheduled_rule_added_from_json_runs_with_run_due_once_per_run() {
    let desk = Desk::with_directory().await;
    let added = desk
        .run_with(&["--json", "rule", "add", "-"], SCHEDULED)
        .await
        .json();
    assert_eq!(added["schedule"]["every_minutes"], 60);
    let id = added["id"].as_str().unwrap().to_owned();
    let list = desk.run(&["rule", "list"]).await.ok();
    assert!(list.contains("every 60 min"), "{list}");
    let number = create(&desk, ANA, "Vechi").await;
    // Nothing is two days old yet.
    let tried = desk.run(&["--json", "rule", "try", &id]).await.json();
    assert_eq!(tried["tickets"], serde_json::json!([]));
    let report = desk
        .run(&["--json", "run-due", "--at", "2099-01-01T00:00:00Z"])
        .await
        .json();
    assert_eq!(report["scheduled_rule_runs"], 1);
    assert_eq!(report["scheduled_rule_tickets"], 1);
    let again = desk
        .run(&["--json", "run-due", "--at", "2099-01-01T00:30:00Z"])
        .await
        .json();
    assert_eq!(again["scheduled_rule_runs"], 0);
    let log = desk
        .run(&["--json", "rule", "firings", "--ticket", &number])
        .await
        .json();
    assert_eq!(log.as_array().unwrap().len(), 1);
    // Events on a scheduled rule are refused (exit 5), nothing stored.
    let both = SCHEDULED.replace(r#""statuses": ["new"]"#, r#""events": ["created"]"#);
    let refused = desk.run_with(&["rule", "add", "-"], &both).await;
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    assert_eq!(
        desk.run(&["--json", "rule", "list"])
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn an_admin_replaces_a_macros_name_and_actions_and_a_bad_change_keeps_it() {
    let desk = Desk::with_directory().await;
    let added = (desk
        .run_with(
            &["--json", "macro", "add", "VIP", "-"],
            r#"[{"action": "add_tag", "tag": "vip"}]"#,
        )
        .await)
        .json();
    let id = added["id"].as_str().unwrap().to_owned();
    let replaced = (desk
        .run_with(
            &["--json", "macro", "update", &id, "VIP urgent", "-"],
            r#"[{"action": "add_tag", "tag": "vip"}, {"action": "set_priority", "priority": "urgent"}]"#,
        )
        .await)
        .json();
    assert_eq!(replaced["id"], added["id"]);
    assert_eq!(replaced["name"], "VIP urgent");
    assert_eq!(
        replaced["actions"].as_array().unwrap().len(),
        2,
        "{replaced}"
    );
    // No actions: refused, the macro stays as it is.
    let refused = desk
        .run_with(&["--json", "macro", "update", &id, "Gol", "-"], "[]")
        .await;
    assert_ne!(refused.code, 0, "{}", refused.stdout);
    let listed = desk.run(&["--json", "macro", "list"]).await.json();
    assert_eq!(listed, serde_json::json!([replaced]));
}

#[tokio::test]
async fn the_rule_list_says_when_each_scheduled_rule_runs_next() {
    let desk = Desk::with_directory().await;
    desk.run_with(&["rule", "add", "-"], SCHEDULED).await.ok();
    desk.run_with(&["rule", "add", "-"], TRIGGER).await.ok();
    desk.run(&["run-due", "--at", "2099-01-01T00:00:00Z"])
        .await
        .ok();
    let listed = desk.run(&["--json", "rule", "list"]).await.json();
    let next: Vec<_> = (listed.as_array().unwrap().iter())
        .map(|r| r["next_run_at"].clone())
        .collect();
    // The scheduled rule (position 0) runs an hour after its run; the trigger has none.
    assert_eq!(
        next,
        ["2099-01-01T01:00:00Z".into(), serde_json::Value::Null],
        "{listed}"
    );
    let text = desk.run(&["rule", "list"]).await.ok();
    assert!(text.contains("next 2099-01-01T01:00:00+00:00"), "{text}");
}
