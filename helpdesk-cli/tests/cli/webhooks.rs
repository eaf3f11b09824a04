//! `webhook …` (issue 23): an admin registers an endpoint (the secret printed once), a new
//! ticket writes a delivery for it, a ping is queued, bad input is refused with nothing
//! written, and the endpoint is changed and removed.

use crate::support::*;

#[tokio::test]
async fn an_endpoint_is_registered_gets_deliveries_and_is_removed() {
    let desk = Desk::with_directory().await;
    assert_eq!(desk.run(&["webhook", "list"]).await.ok(), "no webhooks\n");
    let refused = desk
        .run(&[
            "webhook",
            "add",
            "ftp://hooks.example.com/",
            "--events",
            "ticket_created",
        ])
        .await;
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    let refused = desk
        .run(&[
            "webhook",
            "add",
            "https://hooks.example.com/",
            "--events",
            "nope",
        ])
        .await;
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    assert_eq!(desk.run(&["webhook", "list"]).await.ok(), "no webhooks\n");
    let ivan = desk
        .run(&[
            "--as",
            "agent:ivan@example.com",
            "webhook",
            "add",
            "https://hooks.example.com/",
            "--events",
            "ticket_created",
        ])
        .await;
    assert_eq!(ivan.code, 4, "{}", ivan.stderr);

    let added = desk
        .run(&[
            "--json",
            "webhook",
            "add",
            "https://hooks.example.com/in",
            "--events",
            "ticket_created,message_added",
        ])
        .await
        .json();
    let secret = added["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let id = added["endpoint"]["id"].as_str().unwrap().to_owned();
    let listed = desk.run(&["webhook", "list"]).await.ok();
    assert!(listed.contains("https://hooks.example.com/in"), "{listed}");
    assert!(!listed.contains(&secret));

    desk.run(&[
        "create",
        "--email",
        "ana@example.com",
        "--subject",
        "Router",
        "--body",
        "Nu merge.",
    ])
    .await
    .ok();
    let deliveries = desk
        .run(&["--json", "webhook", "deliveries", &id])
        .await
        .json();
    let mut events: Vec<&str> = (deliveries.as_array().unwrap().iter())
        .map(|d| d["event"].as_str().unwrap())
        .collect();
    events.sort_unstable();
    assert_eq!(events, ["message_added", "ticket_created"], "{deliveries}");
    let ping = desk.run(&["--json", "webhook", "ping", &id]).await.json();
    assert_eq!(ping["state"], "pending");

    let updated = desk
        .run(&["--json", "webhook", "update", &id, "--disable"])
        .await
        .json();
    assert_eq!(updated["enabled"], false);
    assert_eq!(updated["url"], "https://hooks.example.com/in");
    desk.run(&["webhook", "remove", &id]).await.ok();
    assert_eq!(desk.run(&["webhook", "remove", &id]).await.code, 3);
}
