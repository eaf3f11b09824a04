//! Invitations and password-reset links from the CLI: `agent invite`, `customer invite`,
//! `agent reset-link`, `customer reset-link` and `set-password --token` (the password on the
//! first line of stdin), each with `--json`; a link works once and only in its time.

use argon2::{Argon2, PasswordVerifier};
use chrono::Duration;
use helpdesk::domain::LoginName;

use crate::support::*;

/// Whether `password` is `login`'s password on the desk's database.
async fn password_of(desk: &Desk, login: &str, password: &str) -> bool {
    let store = helpdesk::connect(&desk.db.display().to_string())
        .await
        .unwrap();
    let found = store
        .as_account_store()
        .unwrap()
        .login(&LoginName::parse(login).unwrap())
        .await
        .unwrap()
        .expect("the login");
    let hash = argon2::PasswordHash::new(found.password_hash.as_str()).unwrap();
    Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok()
}

#[tokio::test]
async fn an_invitation_sets_a_password_once_and_a_reset_link_expires_after_an_hour() {
    let desk = Desk::with_directory().await;
    let invited = desk
        .run(&["--json", "agent", "invite", "ivan@example.com"])
        .await
        .json();
    assert_eq!(invited["kind"], "invitation");
    assert_eq!(invited["login"], "ivan@example.com");
    assert_eq!(invited["url"], serde_json::Value::Null, "no public URL set");
    assert_eq!(invited["emailed_to"], serde_json::Value::Null);
    let token = invited["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);

    let set = desk
        .run_with(
            &["--json", "set-password", "--token", &token],
            "a long password\n",
        )
        .await
        .json();
    assert_eq!(set["login"], "ivan@example.com");
    assert!(password_of(&desk, "ivan@example.com", "a long password").await);
    let again = desk
        .run_with(&["set-password", "--token", &token], "another one\n")
        .await;
    assert_eq!(again.code, 4, "{}", again.stderr);
    assert!(again.stderr.contains("already used"), "{}", again.stderr);

    // A reset link, shown to people with its token; an hour later it is refused.
    let shown = desk
        .run(&["agent", "reset-link", "ivan@example.com"])
        .await
        .ok();
    assert!(
        shown.starts_with("password reset for login ivan@example.com"),
        "{shown}"
    );
    let token = shown
        .lines()
        .find_map(|l| l.strip_prefix("token: "))
        .unwrap()
        .to_owned();
    desk.clock.advance(Duration::minutes(60));
    let late = desk
        .run_with(&["set-password", "--token", &token], "too late\n")
        .await;
    assert_eq!(late.code, 4, "{}", late.stderr);
    assert!(late.stderr.contains("expired"), "{}", late.stderr);
    assert!(password_of(&desk, "ivan@example.com", "a long password").await);

    // Agents invite customers, but make no reset links; admins do.
    let customer = desk
        .run(&[
            "--as",
            "agent:ivan@example.com",
            "--json",
            "customer",
            "invite",
            "ana@example.com",
            "--login",
            "ana",
        ])
        .await
        .json();
    assert_eq!(customer["login"], "ana");
    let token = customer["token"].as_str().unwrap().to_owned();
    desk.run_with(&["set-password", "--token", &token], "ana's password\n")
        .await
        .ok();
    assert!(password_of(&desk, "ana", "ana's password").await);
    let refused = desk
        .run(&[
            "--as",
            "agent:ivan@example.com",
            "customer",
            "reset-link",
            "ana@example.com",
        ])
        .await;
    assert_eq!(refused.code, 4, "{}", refused.stderr);
    let reset = desk
        .run(&["--json", "customer", "reset-link", "ana@example.com"])
        .await
        .json();
    assert_eq!(reset["kind"], "password_reset");
    assert_eq!(reset["login"], "ana");
}
