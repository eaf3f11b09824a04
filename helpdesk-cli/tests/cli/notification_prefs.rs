//! `notification-prefs show|set` (issue 20): an agent's own, or anyone's for an admin
//! (`--agent`), as lines or `--json`.

use crate::support::*;

#[tokio::test]
async fn notification_preferences_are_shown_and_set_by_the_agent_or_an_admin() {
    let desk = Desk::with_directory().await;
    let ivan = ["--as", "agent:ivan@example.com"];
    let shown = desk
        .run(&[&ivan[..], &["notification-prefs", "show"]].concat())
        .await
        .ok();
    assert!(shown.starts_with("language  en\n"), "{shown}");
    assert!(shown.contains("assigned  both\n"), "{shown}");
    assert!(shown.contains("new_ticket  in_app\n"), "{shown}");

    let set = desk
        .run(
            &[
                &ivan[..],
                &[
                    "--json",
                    "notification-prefs",
                    "set",
                    "assigned=email",
                    "chat_waiting=none",
                    "--language",
                    "ro",
                ],
            ]
            .concat(),
        )
        .await
        .json();
    assert_eq!(set["language"], "ro");
    assert_eq!(set["channels"]["assigned"], "email");
    assert_eq!(set["channels"]["chat_waiting"], "none");
    assert_eq!(set["channels"]["sla_breached"], "both", "the rest stays");

    // The admin (the CLI's default actor) reads and sets anyone's.
    let by_admin = desk
        .run(&[
            "--json",
            "notification-prefs",
            "set",
            "--agent",
            "ivan@example.com",
            "sla_warning=both",
        ])
        .await
        .json();
    assert_eq!(by_admin["channels"]["sla_warning"], "both");
    assert_eq!(by_admin["channels"]["assigned"], "email");

    // Another agent may not; bad choices are invalid input; nothing changes.
    let refused = desk
        .run(&[
            "--as",
            "agent:maria@example.com",
            "notification-prefs",
            "show",
            "--agent",
            "ivan@example.com",
        ])
        .await;
    assert_eq!(refused.code, 4, "forbidden: {}", refused.stderr);
    for bad in ["assigned=pigeon", "weather=email", "assigned"] {
        let run = desk
            .run(&[&ivan[..], &["notification-prefs", "set", bad]].concat())
            .await;
        assert_eq!(run.code, 5, "{bad}: {}", run.stderr);
    }
    let now = desk
        .run(&[&ivan[..], &["--json", "notification-prefs", "show"]].concat())
        .await
        .json();
    assert_eq!(now, by_admin);
}
