//! `my-settings show|set` (issue 21): a person's own time zone and page language, as lines
//! or `--json`; an unknown zone is invalid input and changes nothing.

use crate::support::*;

#[tokio::test]
async fn people_show_and_set_their_own_time_zone_and_language() {
    let desk = Desk::with_directory().await;
    let ivan = ["--as", "agent:ivan@example.com"];
    let shown = desk
        .run(&[&ivan[..], &["my-settings", "show"]].concat())
        .await
        .ok();
    assert_eq!(shown, "time_zone  -\nlanguage  -\n");

    let set = desk
        .run(
            &[
                &ivan[..],
                &[
                    "--json",
                    "my-settings",
                    "set",
                    "--time-zone",
                    "Asia/Tehran",
                    "--language",
                    "fa",
                ],
            ]
            .concat(),
        )
        .await
        .json();
    assert_eq!(set["time_zone"], "Asia/Tehran");
    assert_eq!(set["language"], "fa");

    // A customer's language goes to their profile; their zone is their own.
    let ana = desk
        .run(&[
            "--as",
            "customer:ana@example.com",
            "--json",
            "my-settings",
            "set",
            "--time-zone",
            "Europe/Bucharest",
            "--language",
            "ro",
        ])
        .await
        .json();
    assert_eq!(ana["time_zone"], "Europe/Bucharest");
    assert_eq!(ana["language"], "ro");

    for bad in [["--time-zone", "Mars/Olympus"], ["--language", "klingon"]] {
        let run = desk
            .run(&[&ivan[..], &["my-settings", "set"], &bad[..]].concat())
            .await;
        assert_eq!(run.code, 5, "{bad:?}: {}", run.stderr);
    }
    let now = desk
        .run(&[&ivan[..], &["my-settings", "show"]].concat())
        .await
        .ok();
    assert_eq!(now, "time_zone  Asia/Tehran\nlanguage  fa\n");
}
