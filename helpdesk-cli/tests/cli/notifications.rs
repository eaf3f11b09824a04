//! `notifications list|dismiss-all` (issue 21, problem 7): an agent's notifications listed
//! and all dismissed at once.

use crate::support::*;

const IVAN: [&str; 2] = ["--as", "agent:ivan@example.com"];

#[tokio::test]
async fn an_agent_lists_and_dismisses_all_notifications() {
    let desk = Desk::with_directory().await;
    for subject in ["Line 1 is down", "Line 2 is down"] {
        desk.run(&[
            "create",
            "--phone",
            "+40 721 000 111",
            "--subject",
            subject,
            "--body",
            "No signal.",
        ])
        .await
        .ok();
    }
    let listed = desk
        .run(&[IVAN[0], IVAN[1], "--json", "notifications", "list"])
        .await
        .json();
    let shown = listed.as_array().unwrap().len();
    assert!(shown >= 2, "{listed}");

    let dismissed = desk
        .run(&[IVAN[0], IVAN[1], "--json", "notifications", "dismiss-all"])
        .await
        .json();
    assert_eq!(dismissed["dismissed"], shown, "{dismissed}");
    assert_eq!(
        desk.run(&[IVAN[0], IVAN[1], "notifications", "list"])
            .await
            .ok(),
        "no notifications\n"
    );
    assert_eq!(
        desk.run(&[IVAN[0], IVAN[1], "notifications", "dismiss-all"])
            .await
            .ok(),
        "dismissed 0\n"
    );
    // The system has no notifications: refused as invalid input.
    let system = desk.run(&["notifications", "list"]).await;
    assert_ne!(system.code, 0, "{}", system.stdout);
}
