//! `changes` (issue 23): the change feed as the person `--as` names may see it, read after
//! a position, with the position to read on from.

use crate::support::*;

const IVAN: [&str; 2] = ["--as", "agent:ivan@example.com"];

#[tokio::test]
async fn the_feed_is_read_after_a_position_and_resumes_from_next() {
    let desk = Desk::with_directory().await;
    desk.run(&[
        "create",
        "--phone",
        "+40 721 000 111",
        "--subject",
        "Line 1 is down",
        "--body",
        "No signal.",
    ])
    .await
    .ok();
    let all = desk.run(&["--json", "changes"]).await.json();
    let changes = all["changes"].as_array().unwrap();
    assert_eq!(changes[0]["change"]["kind"], "ticket_created", "{all}");
    let next = all["next"].as_u64().unwrap();
    assert_eq!(changes.last().unwrap()["position"], next);

    let ivans = desk
        .run(&[IVAN[0], IVAN[1], "--json", "changes"])
        .await
        .json();
    assert!(
        ivans["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["change"]["kind"] == "ticket_created"),
        "{ivans}"
    );
    // Nothing after the last: empty, and the same position to read on from.
    let after = next.to_string();
    let none = desk
        .run(&["--json", "changes", "--after", &after, "--wait", "1"])
        .await
        .json();
    assert_eq!(none["changes"].as_array().unwrap().len(), 0);
    assert_eq!(none["next"], next);
    let text = desk.run(&["changes", "--after", &after]).await.ok();
    assert_eq!(text, format!("next {next}\n"));
    // A limit out of range is refused.
    let refused = desk.run(&["changes", "--limit", "0"]).await;
    assert_ne!(refused.code, 0, "{}", refused.stdout);
}
