//! `priority-rule list|set|remove` (issue 20): priority rules kept in the store decide the
//! priority of an organisation's new tickets; bad rules are refused and nothing is written.

use crate::support::*;

#[tokio::test]
async fn a_stored_priority_rule_decides_the_organisations_new_tickets_until_removed() {
    let desk = Desk::with_directory().await;
    let empty = desk.run(&["priority-rule", "list"]).await.ok();
    assert_eq!(empty, "no priority rules stored\n");
    let set = desk
        .run(&[
            "--json",
            "priority-rule",
            "set",
            "acme-low",
            "--organisation",
            "office@acme.example",
            "--initial",
            "low",
            "--ceiling",
            "high",
        ])
        .await
        .json();
    assert_eq!(set["rules"][0]["name"], "acme-low", "{set}");
    assert_eq!(set["rules"][0]["initial"], "low");
    assert_eq!(set["rules"][0]["ceiling"], "high");
    let created = desk
        .run(&[
            "--json",
            "create",
            "--email",
            "office@acme.example",
            "--subject",
            "Imprimanta",
            "--body",
            "Nu merge.",
        ])
        .await
        .json();
    assert_eq!(created["priority"], "low", "{created}");

    // A person is no organisation; a ceiling below the initial: invalid input, exit 5,
    // and the stored rules unchanged.
    for args in [
        [
            "--organisation",
            "ana@example.com",
            "--initial",
            "high",
            "--ceiling",
            "high",
        ],
        [
            "--organisation",
            "office@acme.example",
            "--initial",
            "high",
            "--ceiling",
            "low",
        ],
    ] {
        let mut all = vec!["priority-rule", "set", "other"];
        all.extend_from_slice(&args);
        let bad = desk.run(&all).await;
        assert_eq!(bad.code, 5, "{}", bad.stderr);
    }
    let listed = desk.run(&["--json", "priority-rule", "list"]).await.json();
    assert_eq!(listed, set);
    // Only admins.
    let agent = desk
        .run(&["--as", "agent:ivan@example.com", "priority-rule", "list"])
        .await;
    assert_ne!(agent.code, 0);

    desk.run(&["priority-rule", "remove", "acme-low"])
        .await
        .ok();
    let created = desk
        .run(&[
            "--json",
            "create",
            "--email",
            "office@acme.example",
            "--subject",
            "Imprimanta 2",
            "--body",
            "Tot nu merge.",
        ])
        .await
        .json();
    assert_eq!(
        created["priority"], "high",
        "the usual rule for organisations"
    );
}
