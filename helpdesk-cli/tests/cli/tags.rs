//! `tag add|remove|list`, `list --tag`, tags in `report`, and `limits set
//! --max-bytes-per-ticket` (issue 20, items 4 and 7).

use serde_json::json;

use crate::support::*;

async fn open(desk: &Desk, subject: &str) -> String {
    let opened = desk
        .run(&[
            "--json",
            "create",
            "--phone",
            "+40 721 000 111",
            "--subject",
            subject,
            "--body",
            "No signal.",
        ])
        .await
        .json();
    number(&opened)
}

#[tokio::test]
async fn tags_are_added_removed_listed_filtered_and_reported() {
    let desk = Desk::with_directory().await;
    let (a, b) = (
        open(&desk, "Line 1 is down").await,
        open(&desk, "Line 2 is down").await,
    );

    let added = desk
        .run(&["tag", "add", "VIP, Întârziere", &a, &b])
        .await
        .ok();
    assert!(added.contains("tags: Întârziere, VIP"), "{added}");
    let json = desk
        .run(&["--json", "tag", "remove", "vip", &b])
        .await
        .json();
    assert_eq!(json[0]["tags"], json!(["Întârziere"]));
    let listed = desk
        .run(&["--json", "tag", "list", "--prefix", "IN"])
        .await
        .json();
    assert_eq!(listed, json!([{"tag": "Întârziere", "tickets": 2}]));
    assert_eq!(
        desk.run(&["tag", "list", "--prefix", "v"]).await.ok(),
        "VIP  1\n"
    );

    let filtered = desk.run(&["--json", "list", "--tag", "vip"]).await.json();
    let items = filtered["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{filtered}");
    assert_eq!(number(&items[0]), a);

    // Bad tags and customers are refused, nothing changed.
    let bad = desk.run(&["tag", "add", "a\u{7}b", &a]).await;
    assert_eq!(bad.code, 5, "invalid input: {}", bad.stderr);
    let refused = desk
        .run(&["--as", "customer:ana@example.com", "tag", "add", "mine", &a])
        .await;
    assert_eq!(refused.code, 4, "forbidden: {}", refused.stderr);
    // Maria works in billing only: a selection with a support ticket is refused whole.
    let refused = desk
        .run(&["--as", "agent:maria@example.com", "tag", "add", "x", &a])
        .await;
    assert_ne!(refused.code, 0);
    assert_eq!(
        desk.run(&["--json", "tag", "list"]).await.json(),
        json!([{"tag": "Întârziere", "tickets": 2}, {"tag": "VIP", "tickets": 1}])
    );

    let report = desk
        .run(&[
            "--json",
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
        ])
        .await
        .json();
    assert_eq!(
        report["tags"][0],
        json!({"tag": "Întârziere", "tickets": 2})
    );
    let table = desk
        .run(&["report", "--from", "2026-01-01", "--to", "2026-01-31"])
        .await
        .ok();
    assert!(
        table.contains("\ntag         tickets\nÎntârziere  2\nVIP         1\n"),
        "{table}"
    );
}

#[tokio::test]
async fn bytes_per_ticket_are_set_shown_and_refused_at_zero() {
    let desk = Desk::with_directory().await;
    let set = desk
        .run(&[
            "limits",
            "set",
            "--department",
            "Support",
            "--max-per-ticket",
            "1",
            "--max-bytes-per-ticket",
            "20000000",
        ])
        .await
        .ok();
    assert!(
        set.contains("max-per-ticket 1  max-bytes-per-ticket 20000000"),
        "{set}"
    );
    let zero = desk
        .run(&["limits", "set", "--max-bytes-per-ticket", "0"])
        .await;
    assert_eq!(zero.code, 5, "{}", zero.stderr);
    assert!(
        zero.stderr.contains("max_bytes_per_ticket"),
        "{}",
        zero.stderr
    );
    let audit = desk.run(&["--json", "audit"]).await.json();
    assert_eq!(audit.as_array().unwrap().len(), 1, "{audit}");
}
