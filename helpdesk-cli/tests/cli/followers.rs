//! `cc add|remove|list` and `follow on|off|list|mine` (issue 20, item 3).

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn cc_addresses_are_added_removed_and_listed_and_agents_follow_tickets() {
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
        ])
        .await
        .json();
    let t = number(&opened);

    let added = desk
        .run(&[
            "--as",
            "customer:ana@example.com",
            "cc",
            "add",
            &t,
            "Bogdan@Partner.example",
            "carla@partner.example",
        ])
        .await
        .ok();
    assert_eq!(added, "bogdan@partner.example\ncarla@partner.example\n");
    let removed = desk
        .run(&["--json", "cc", "remove", &t, "bogdan@partner.example"])
        .await
        .json();
    assert_eq!(removed, json!(["carla@partner.example"]));
    // An invalid address is invalid input, and nothing is added.
    let bad = desk
        .run(&["cc", "add", &t, "dan@partner.example", "nope"])
        .await;
    assert_eq!(bad.code, 5, "invalid input: {}", bad.stderr);
    assert_eq!(
        desk.run(&["--json", "cc", "list", &t]).await.json(),
        json!(["carla@partner.example"])
    );

    let followed = desk
        .run(&[
            "--json",
            "--as",
            "agent:ivan@example.com",
            "follow",
            "on",
            &t,
        ])
        .await
        .json();
    assert_eq!(followed[0]["email"], "ivan@example.com");
    assert_eq!(
        desk.run(&["--as", "agent:ivan@example.com", "follow", "list", &t])
            .await
            .ok(),
        "Ivan Petrov  ivan@example.com\n"
    );
    let mine = desk
        .run(&["--json", "--as", "agent:ivan@example.com", "follow", "mine"])
        .await
        .json();
    assert_eq!(mine, json!([opened["id"]]));
    // Maria works in billing only; customers do not follow.
    let refused = desk
        .run(&["--as", "agent:maria@example.com", "follow", "on", &t])
        .await;
    assert_ne!(refused.code, 0);
    let refused = desk
        .run(&["--as", "customer:ana@example.com", "follow", "on", &t])
        .await;
    assert_eq!(refused.code, 4, "forbidden: {}", refused.stderr);
    assert_eq!(
        desk.run(&["--as", "agent:ivan@example.com", "follow", "off", &t])
            .await
            .ok(),
        "no followers\n"
    );
}
