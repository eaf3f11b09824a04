//! Oversized bodies and uploads, path-traversal file names, invalid UTF-8 in JSON, multipart
//! and form bodies.

use axum::http::{StatusCode, header};
use serde_json::json;

use super::*;

#[tokio::test]
async fn oversized_bodies_and_uploads_are_413_and_store_nothing() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    // A JSON body larger than the router's limit.
    let huge = json!({"subject": "big", "body": "x".repeat(3 << 20), "department": d.support});
    let reply = d.post("/api/v1/tickets", &d.ana, huge).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    // A multipart body larger than the router's limit.
    let big = vec![b'a'; 3 << 20];
    let fields: [(&str, &[u8]); 3] = [
        ("subject", b"big upload"),
        ("body", b"see file"),
        ("department", d.support.as_bytes()),
    ];
    let reply = d
        .multipart(
            "/api/v1/tickets",
            &d.ana,
            &fields,
            &[("big.txt", "text/plain", &big)],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    // A file over the desk's size limit, and more files than it allows.
    let over = vec![b'a'; MAX_FILE as usize + 1];
    let reply = d
        .multipart(
            "/api/v1/tickets",
            &d.ana,
            &fields,
            &[("over.txt", "text/plain", &over)],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    let small: &[u8] = b"small";
    let many: Vec<(&str, &str, &[u8])> = (0..6).map(|_| ("one.txt", "text/plain", small)).collect();
    let reply = d.multipart("/api/v1/tickets", &d.ana, &fields, &many).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    assert_eq!(d.ticket_count().await, 0, "no ticket was stored");

    // On an existing ticket: the reply is refused whole.
    let ticket = d.open(&d.ana, "Existing", "first").await;
    let uri = format!(
        "/api/v1/tickets/{}/messages",
        ticket["id"].as_str().unwrap()
    );
    let fields: [(&str, &[u8]); 1] = [("body", b"with a big file")];
    let reply = d
        .multipart(&uri, &d.ivan, &fields, &[("over.txt", "text/plain", &over)])
        .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    let thread = d.get(&uri, &d.ivan).await.json();
    assert_eq!(thread["items"].as_array().unwrap().len(), 1, "{thread}");
    assert_eq!(
        files_under(d.blobs.path()),
        Vec::<PathBuf>::new(),
        "no blob was left behind"
    );
}

#[tokio::test]
async fn path_traversal_file_names_are_stored_sanitised() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    let fields: [(&str, &[u8]); 3] = [
        ("subject", b"Traversal"),
        ("body", b"files with hostile names"),
        ("department", d.support.as_bytes()),
    ];
    let names = [
        "../../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "/etc/shadow",
        "....//....//x.txt",
        "..",
        "a/../../b.txt",
    ];
    let payloads: Vec<Vec<u8>> = (0..5)
        .map(|i| format!("payload {i}").into_bytes())
        .collect();
    let files: Vec<(&str, &str, &[u8])> = names
        .iter()
        .zip(&payloads)
        .map(|(n, p)| (*n, "text/plain", p.as_slice()))
        .collect();
    let created = d
        .multipart("/api/v1/tickets", &d.ana, &fields, &files)
        .await
        .expect(StatusCode::CREATED);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let thread = d
        .get(&format!("/api/v1/tickets/{id}/messages"), &d.ivan)
        .await
        .json();
    let message = &thread["items"][0];
    let attachments = message["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 5);
    for a in attachments {
        let stored = a["file_name"].as_str().unwrap();
        assert!(
            !stored.contains('/')
                && !stored.contains('\\')
                && !stored.starts_with('.')
                && !stored.is_empty(),
            "stored name {stored:?}"
        );
        let uri = format!(
            "/api/v1/tickets/{id}/messages/{}/attachments/{}",
            message["id"].as_str().unwrap(),
            a["sha256"].as_str().unwrap()
        );
        let download = d.get(&uri, &d.ana).await.expect(StatusCode::OK);
        let disposition = download.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        let given = disposition.split("''").nth(1).unwrap_or_default();
        for bad in ["/", "\\", "%2F", "%5C", "\"", "\r", "\n"] {
            assert!(!given.contains(bad), "{bad} in {disposition}");
        }
    }
    // Nothing was written outside the blob directory.
    let parent = d.blobs.path().parent().unwrap();
    for name in ["passwd", "shadow", "win.ini", "x.txt", "b.txt"] {
        assert!(!parent.join(name).exists(), "{name} written outside");
        assert!(
            !d.blobs.path().join(name).exists(),
            "{name} written by name"
        );
    }
    // Sanitised names on the page too: the ticket page shows no path.
    let (cookie, _) = d.page_session("ivan@example.com").await;
    let page = d
        .page(&cookie, &format!("/tickets/{id}"))
        .await
        .expect(StatusCode::OK);
    assert!(!page.text().contains("href=\"/etc/"), "{}", page.text());
    let _ = &d.desk;
}

#[tokio::test]
async fn invalid_utf8_in_json_bodies_is_400() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    let mut json_body = br#"{"subject": "bad "#.to_vec();
    json_body.extend_from_slice(b"\xff\xfe\xc3\x28");
    json_body.extend_from_slice(
        format!(r#"", "body": "x", "department": "{}"}}"#, d.support).as_bytes(),
    );
    let reply = d
        .raw(
            "POST",
            "/api/v1/tickets",
            Some(&d.ana),
            "application/json",
            json_body,
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    assert_eq!(reply.json()["error"]["code"], "validation");
    // A token request with invalid UTF-8.
    let reply = d
        .raw(
            "POST",
            "/api/v1/auth/token",
            None,
            "application/json",
            b"{\"login\": \"\xc0\xaf\", \"password\": \"x\"}".to_vec(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    assert_eq!(d.ticket_count().await, 0);
}

#[tokio::test]
async fn invalid_utf8_in_multipart_fields_is_400() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    let fields: [(&str, &[u8]); 3] = [
        ("subject", b"\xff\xfe bad"),
        ("body", b"body"),
        ("department", d.support.as_bytes()),
    ];
    let reply = d.multipart("/api/v1/tickets", &d.ana, &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    assert_eq!(d.ticket_count().await, 0);
}

#[tokio::test]
async fn invalid_utf8_in_form_bodies_is_400() {
    let d = desk(helpdesk_server::Options::default(), false).await;
    for body in [
        b"login=%FF%FE&password=x".to_vec(),
        b"login=\xff\xfe&password=x".to_vec(),
    ] {
        let request = Request::builder()
            .method("POST")
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let reply = d.send(request).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    }
}
