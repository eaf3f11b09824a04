//! Attachments over HTTP: uploaded with a ticket or a message, downloaded by those who may
//! read the message, and never attached by naming a stored file in a command.

use axum::http::{StatusCode, header};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn attachments_round_trip() {
    let fx = fixture().await;
    let (name, value) = bearer(&fx.ana);
    let png: &[u8] = b"\x89PNG\r\n\x1a\n fake screenshot bytes \x00\x01\x02";
    let created = fx
        .multipart(
            "/api/v1/tickets",
            (name, &value),
            &[
                ("subject", "Screenshot attached"),
                ("body", "See the picture."),
                ("department", &fx.support),
                ("priority", "normal"),
            ],
            &[("ecran captură.png", "image/png", png)],
        )
        .await
        .expect(StatusCode::CREATED);
    let id = created.json()["id"].as_str().unwrap().to_owned();

    let thread = fx
        .get(&format!("/api/v1/tickets/{id}/messages"), &fx.ivan)
        .await
        .json();
    let message = &thread["items"][0];
    let attachment = &message["attachments"][0];
    assert_eq!(attachment["content_type"], "image/png");
    assert_eq!(attachment["size"], png.len());
    let uri = format!(
        "/api/v1/tickets/{id}/messages/{}/attachments/{}",
        message["id"].as_str().unwrap(),
        attachment["sha256"].as_str().unwrap()
    );
    let download = fx.get(&uri, &fx.ivan).await.expect(StatusCode::OK);
    assert_eq!(download.bytes, png);
    assert_eq!(download.headers[header::CONTENT_TYPE], "image/png");
    let disposition = download.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(download.headers["x-content-type-options"], "nosniff");

    // The owner can download it too; another customer cannot.
    assert_eq!(fx.get(&uri, &fx.ana).await.bytes, png);
    assert_error(
        &fx.get(&uri, &fx.john).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    // A reply with an attachment, by an agent.
    let (name, value) = bearer(&fx.ivan);
    fx.multipart(
        &format!("/api/v1/tickets/{id}/messages"),
        (name, &value),
        &[("body", "Here is the log.")],
        &[("log.txt", "text/plain", b"all good")],
    )
    .await
    .expect(StatusCode::CREATED);
}

/// A command from outside carries no stored attachments: a customer who names another
/// customer's file (its stored metadata, sha256 and all) in a reply to their own ticket gets
/// a reply without it, and cannot download the file through their ticket.
#[tokio::test]
async fn a_command_cannot_attach_another_customers_file() {
    let fx = fixture().await;
    let (name, value) = bearer(&fx.john);
    let secret: &[u8] = b"John's contract, scanned";
    let johns = fx
        .multipart(
            "/api/v1/tickets",
            (name, &value),
            &[
                ("subject", "My contract"),
                ("body", "Attached."),
                ("department", &fx.support),
            ],
            &[("contract.pdf", "application/pdf", secret)],
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    let johns_id = johns["id"].as_str().unwrap();
    let thread = fx
        .get(&format!("/api/v1/tickets/{johns_id}/messages"), &fx.john)
        .await
        .expect(StatusCode::OK);
    let johns_message = thread.items()[0]["id"].as_str().unwrap().to_owned();
    let stored = thread.items()[0]["attachments"][0].clone();
    let sha256 = stored["sha256"].as_str().unwrap().to_owned();

    let anas = fx.open(&fx.ana, "Nu merge").await;
    let anas_id = anas["id"].as_str().unwrap();
    let reply = fx
        .post(
            &format!("/api/v1/tickets/{anas_id}/commands"),
            &fx.ana,
            json!({"command": "reply", "body": "See the file.", "attachments": [stored]}),
        )
        .await;
    // Either refused outright, or the reply carries nothing of John's.
    assert!(
        reply.status == StatusCode::OK || reply.status == StatusCode::BAD_REQUEST,
        "{}",
        reply.text()
    );
    let thread = fx
        .get(&format!("/api/v1/tickets/{anas_id}/messages"), &fx.ana)
        .await
        .expect(StatusCode::OK);
    for message in thread.items() {
        assert_eq!(message["attachments"], json!([]), "{message}");
        let uri = format!(
            "/api/v1/tickets/{anas_id}/messages/{}/attachments/{sha256}",
            message["id"].as_str().unwrap()
        );
        assert_error(
            &fx.get(&uri, &fx.ana).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
    }
    // Nor through John's ticket, which Ana may not see.
    let uri = format!("/api/v1/tickets/{johns_id}/messages/{johns_message}/attachments/{sha256}");
    assert_error(
        &fx.get(&uri, &fx.ana).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_eq!(
        fx.get(&uri, &fx.john).await.expect(StatusCode::OK).bytes,
        secret
    );
}
