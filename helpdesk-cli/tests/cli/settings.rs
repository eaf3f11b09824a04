//! `settings`: the desk's public URL, shown and set by admins (the desk itself by default),
//! refused to agents and customers.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn admins_show_set_and_unset_the_public_url() {
    let desk = Desk::with_directory().await;
    let shown = desk.run(&["settings", "show"]).await.ok();
    assert_eq!(shown, "public-url  (not set: e-mails carry no links)\n");
    assert_eq!(
        desk.run(&["--json", "settings", "show"]).await.json(),
        json!({"public_url": null})
    );

    // Without a scheme: https; http when written out.
    let set = desk
        .run(&["settings", "set", "public-url", "Help.Example.com/desk"])
        .await
        .ok();
    assert_eq!(set, "public-url  https://help.example.com/desk/\n");
    let demo = desk
        .run(&[
            "--json",
            "settings",
            "set",
            "public-url",
            "http://127.0.0.1:8080",
        ])
        .await
        .json();
    assert_eq!(demo, json!({"public_url": "http://127.0.0.1:8080/"}));

    // A bad URL is refused and changes nothing; so are agents and customers.
    let bad = desk
        .run(&["settings", "set", "public-url", "ftp://x.example"])
        .await;
    assert_eq!(bad.code, 5, "invalid input");
    assert!(bad.stderr.contains("public_url"), "{}", bad.stderr);
    for who in ["agent:ivan@example.com", "customer:ana@example.com"] {
        let refused = desk.run(&["--as", who, "settings", "show"]).await;
        assert_eq!(refused.code, 4, "{}", refused.stdout);
        assert!(refused.stderr.contains("admin"), "{}", refused.stderr);
        let refused = desk
            .run(&["--as", who, "settings", "unset", "public-url"])
            .await;
        assert_eq!(refused.code, 4, "forbidden");
    }
    let shown = desk.run(&["settings", "show"]).await.ok();
    assert_eq!(shown, "public-url  http://127.0.0.1:8080/\n");

    let unset = desk.run(&["settings", "unset", "public-url"]).await.ok();
    assert_eq!(unset, "public-url  (not set: e-mails carry no links)\n");
    assert_eq!(desk.run(&["settings", "set", "color", "x"]).await.code, 2);
}

#[tokio::test]
async fn admins_set_and_unset_the_default_phone_region() {
    let desk = Desk::with_directory().await;
    let set = desk
        .run(&["--json", "settings", "set", "phone-region", "ro"])
        .await
        .json();
    assert_eq!(set, json!({"public_url": null, "phone_region": "RO"}));
    let shown = desk.run(&["settings", "show"]).await.ok();
    assert_eq!(
        shown,
        "public-url  (not set: e-mails carry no links)\nphone-region  RO\n"
    );
    let bad = desk
        .run(&["settings", "set", "phone-region", "Romania"])
        .await;
    assert_eq!(bad.code, 5, "invalid input");
    assert!(bad.stderr.contains("phone_region"), "{}", bad.stderr);
    let unset = desk
        .run(&["--json", "settings", "unset", "phone-region"])
        .await
        .json();
    assert_eq!(unset, json!({"public_url": null}));
}

#[tokio::test]
async fn admins_set_and_unset_how_long_the_change_feed_is_kept() {
    let desk = Desk::with_directory().await;
    let set = desk
        .run(&["--json", "settings", "set", "feed-retention", "30"])
        .await
        .json();
    assert_eq!(set, json!({"public_url": null, "feed_retention_days": 30}));
    let shown = desk.run(&["settings", "show"]).await.ok();
    assert_eq!(
        shown,
        "public-url  (not set: e-mails carry no links)\nfeed-retention  30 days\n"
    );
    for bad in ["0", "3651", "a week"] {
        let refused = desk.run(&["settings", "set", "feed-retention", bad]).await;
        assert_eq!(refused.code, 5, "invalid input: {bad}");
        assert!(
            refused.stderr.contains("feed_retention_days"),
            "{}",
            refused.stderr
        );
    }
    let refused = desk
        .run(&[
            "--as",
            "agent:ivan@example.com",
            "settings",
            "set",
            "feed-retention",
            "1",
        ])
        .await;
    assert_eq!(refused.code, 4, "forbidden");
    let unset = desk
        .run(&["--json", "settings", "unset", "feed-retention"])
        .await
        .json();
    assert_eq!(unset, json!({"public_url": null}));
}
