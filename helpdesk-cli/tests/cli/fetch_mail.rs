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
