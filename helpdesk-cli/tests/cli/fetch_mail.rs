//! `fetch-mail` against a real IMAP server (Dovecot on loopback, the harness of the
//! facade's `imap` test): the waiting mail becomes tickets once, a second run finds
//! nothing, and a refused login or an unreachable server exit as a scheduler needs.

// The harness is shared with the facade's test, which uses all of it.
#[allow(dead_code)]
#[path = "../../../tests/imap/dovecot.rs"]
mod dovecot;

use dovecot::Dovecot;

use crate::support::*;

fn mail(id: &str, from: &str, subject: &str) -> String {
    format!(
        "From: {from}\r\nTo: support@desk.example\r\nSubject: {subject}\r\n\
         Message-ID: <{id}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         {subject}\r\n"
    )
}

#[tokio::test]
async fn fetch_mail_takes_the_waiting_mail_once_into_the_mailboxs_department() {
    let Some(server) = Dovecot::start(&["billing"]) else {
        return;
    };
    let desk = Desk::with_directory().await;
    let raw = mail(
        "f1@ana.example",
        "Ana Popescu <ana@example.com>",
        "Factura greșită",
    );
    server.deliver("billing", "INBOX", raw.as_bytes()).await;
    let url = format!(
        "imap://billing:{}@127.0.0.1:{}/INBOX?department=Billing",
        dovecot::PASSWORD.replace('ä', "%C3%A4"),
        server.port
    );
    let args = [
        "--json",
        "fetch-mail",
        "--imap",
        &url,
        "--from",
        "support@desk.example",
    ];
    let first = desk.run(&args).await.json();
    assert_eq!(first[0]["opened"], 1, "{first}");
    assert!(
        !first.to_string().contains("pässword"),
        "the password is never printed: {first}"
    );
    let second = desk.run(&args).await.json();
    assert_eq!(second[0]["opened"], 0, "{second}");
    let listed = desk
        .run(&["--json", "list", "--department", "Billing"])
        .await
        .json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
}

#[tokio::test]
async fn fetch_mail_exits_75_when_the_server_is_unreachable_and_1_for_a_refused_login() {
    let Some(server) = Dovecot::start(&["help"]) else {
        return;
    };
    let desk = Desk::with_directory().await;
    let fetch = |url: String| {
        let desk = &desk;
        async move {
            let args = [
                "fetch-mail",
                "--imap",
                &url,
                "--from",
                "support@desk.example",
            ];
            desk.run(&args).await
        }
    };
    let wrong = format!("imap://help:wrong@127.0.0.1:{}/INBOX", server.port);
    let run = fetch(wrong.clone()).await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("refused the login of help"),
        "{}",
        run.stderr
    );
    drop(server);
    let run = fetch(wrong).await;
    assert_eq!(run.code, 75, "{}", run.stderr);
    let run = fetch("pop3://x@y".to_owned()).await;
    assert_eq!(run.code, 5, "{}", run.stderr);
}

/// `mailbox add` for `user` of `server` into `department`, the password on stdin; its id.
async fn store_mailbox(
    desk: &Desk,
    server: &Dovecot,
    user: &str,
    department: &str,
    password: &str,
) -> String {
    let port = server.port.to_string();
    let added = desk
        .run_with(
            &[
                "--json",
                "mailbox",
                "add",
                "--department",
                department,
                "--host",
                "127.0.0.1",
                "--port",
                &port,
                "--security",
                "plain",
                "--user",
                user,
            ],
            &format!("{password}\n"),
        )
        .await;
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert!(!added.stdout.contains(password), "{}", added.stdout);
    added.json()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn fetch_mail_without_a_url_takes_the_stored_mailboxes_mail_once_into_its_department() {
    let Some(server) = Dovecot::start(&["billing"]) else {
        return;
    };
    let desk = Desk::with_directory().await;
    let id = store_mailbox(&desk, &server, "billing", "Billing", dovecot::PASSWORD).await;
    let raw = mail(
        "s1@ana.example",
        "Ana Popescu <ana@example.com>",
        "Factura greșită",
    );
    server.deliver("billing", "INBOX", raw.as_bytes()).await;

    let args = ["--json", "fetch-mail", "--from", "support@desk.example"];
    let first = desk.run(&args).await.json();
    assert_eq!(first[0]["opened"], 1, "{first}");
    assert_eq!(first[0]["id"], id.as_str(), "{first}");
    let second = desk
        .run(&[
            "--json",
            "fetch-mail",
            "--mailbox",
            &id,
            "--from",
            "support@desk.example",
        ])
        .await
        .json();
    assert_eq!(second[0]["opened"], 0, "{second}");
    let listed = desk
        .run(&["--json", "list", "--department", "Billing"])
        .await
        .json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    let all = desk.run(&["--json", "list"]).await.json();
    assert_eq!(
        all["items"].as_array().unwrap().len(),
        1,
        "exactly once: {all}"
    );

    // The list shows the last round, never the password (as JSON or as lines).
    let boxes = desk.run(&["--json", "mailbox", "list"]).await.ok();
    let boxes_json: serde_json::Value = serde_json::from_str(&boxes).unwrap();
    assert_eq!(boxes_json[0]["last_round"]["taken"], 0, "{boxes_json}");
    let lines = desk.run(&["mailbox", "list"]).await.ok();
    let audit = desk.run(&["--json", "audit"]).await.ok();
    for shown in [&boxes, &lines, &audit] {
        assert!(!shown.contains("pässword"), "{shown}");
    }
    assert!(audit.contains(r#"\"password\":\"changed\""#), "{audit}");
}

#[tokio::test]
async fn stored_mailboxes_are_added_edited_and_removed_and_fetch_mail_exits_as_for_urls() {
    let Some(server) = Dovecot::start(&["help"]) else {
        return;
    };
    let desk = Desk::with_directory().await;
    let id = store_mailbox(&desk, &server, "help", "Support", "wrong").await;
    let fetch = ["fetch-mail", "--from", "support@desk.example"];
    let run = desk.run(&fetch).await;
    assert_eq!(run.code, 1, "a refused login: {}", run.stderr);
    assert!(
        run.stderr.contains("refused the login of help"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("wrong"), "{}", run.stderr);
    let shown = desk.run(&["--json", "mailbox", "show", &id]).await.json();
    assert!(
        shown["last_round"]["error"]
            .as_str()
            .unwrap()
            .contains("refused the login"),
        "{shown}"
    );

    // An edit without --password keeps the stored one; with it, reads a new one.
    let port = server.port.to_string();
    let edit = |extra: &'static [&'static str]| {
        let mut args = vec![
            "--json",
            "mailbox",
            "edit",
            id.as_str(),
            "--department",
            "Support",
            "--host",
            "127.0.0.1",
            "--port",
            port.as_str(),
            "--security",
            "plain",
            "--user",
            "help",
            "--poll-seconds",
            "30",
        ];
        args.extend_from_slice(extra);
        args
    };
    let kept = desk.run(&edit(&[])).await.json();
    assert_eq!(kept["poll_seconds"], 30, "{kept}");
    assert_eq!(desk.run(&fetch).await.code, 1, "still the wrong password");
    let changed = desk
        .run_with(&edit(&["--password"]), &format!("{}\n", dovecot::PASSWORD))
        .await;
    assert_eq!(changed.code, 0, "{}", changed.stderr);
    assert_eq!(desk.run(&fetch).await.code, 0);

    // Bad settings: refused, exit 5 (invalid); an unknown id: 3 (not found).
    let bad = desk
        .run(&[
            "mailbox",
            "edit",
            &id,
            "--department",
            "Support",
            "--host",
            "127.0.0.1",
            "--user",
            "help",
            "--after",
            "move",
        ])
        .await;
    assert_eq!(bad.code, 5, "{}", bad.stderr);
    assert!(bad.stderr.contains("move_to"), "{}", bad.stderr);

    // The server gone: 75, for the scheduler to try again.
    drop(server);
    let unreachable = desk.run(&fetch).await;
    assert_eq!(unreachable.code, 75, "{}", unreachable.stderr);

    desk.run(&["mailbox", "remove", &id]).await.ok();
    let gone = desk.run(&["mailbox", "show", &id]).await;
    assert_eq!(gone.code, 3, "{}", gone.stderr);
    let none = desk.run(&fetch).await;
    assert_eq!(none.code, 2, "no mailbox is a usage error: {}", none.stderr);
}
