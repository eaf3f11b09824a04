//! A complete desk set up from an empty database with the CLI only: departments, a
//! business-hours calendar with a holiday, SLA policies, agents and a customer with logins,
//! a template, canned responses and attachment limits; then shown working: the agent's
//! password checks against the stored login, they act, and a new ticket's SLA clock runs on
//! the calendar in every later run (each run is its own process, given no policies in code).

use argon2::{Argon2, PasswordVerifier};
use helpdesk::domain::LoginName;
use serde_json::Value;

use crate::support::*;

/// Whether `password` signs `login` in on the desk's database.
async fn signs_in(desk: &Desk, login: &str, password: &str) -> bool {
    let store = helpdesk::connect(&desk.db.display().to_string())
        .await
        .unwrap();
    let accounts = store.as_account_store().unwrap();
    let Some(found) = accounts
        .login(&LoginName::parse(login).unwrap())
        .await
        .unwrap()
    else {
        return false;
    };
    let hash = argon2::PasswordHash::new(found.password_hash.as_str()).unwrap();
    Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok()
}

fn due(ticket: &Value, target: &str) -> String {
    let clocks = &ticket["timers"]["clocks"];
    let clock = clocks
        .as_array()
        .and_then(|a| a.iter().find(|c| c["target"] == target))
        .or_else(|| clocks.get(target))
        .unwrap_or_else(|| panic!("no {target} clock in {ticket}"));
    clock["due_at"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_whole_desk_is_set_up_from_an_empty_database_with_the_cli_only() {
    let desk = Desk::new();
    let ok = |run: Run| run.ok();
    ok(desk.run(&["department", "add", "Support"]).await);
    ok(desk
        .run(&["department", "add", "Billing", "--follow-up", "new_ticket"])
        .await);
    // Monday–Friday 09:00–18:00 in Bucharest, Tuesday 6 January a holiday.
    ok(desk
        .run(&[
            "calendar",
            "set",
            "office",
            "--zone",
            "Europe/Bucharest",
            "--hours",
            "mon-fri 09:00-18:00",
            "--holiday",
            "2026-01-06",
        ])
        .await);
    let departments = desk
        .run(&[
            "department",
            "edit",
            "Support",
            "--calendar",
            "office",
            "--rename",
            "Tech Support",
        ])
        .await
        .ok();
    assert!(departments.contains("Tech Support"), "{departments}");
    ok(desk
        .run(&[
            "sla",
            "set",
            "urgent",
            "--priority",
            "high,urgent",
            "--first-response",
            "60",
            "--resolution",
            "480",
        ])
        .await);
    let levels = desk
        .run(&[
            "--json",
            "sla",
            "set",
            "standard",
            "--first-response",
            "240",
            "--resolution",
            "2400",
        ])
        .await
        .json();
    assert_eq!(levels["policies"].as_array().unwrap().len(), 2);
    // Bad input: a clear error and nothing changed.
    let bad = desk
        .run(&[
            "sla",
            "set",
            "broken",
            "--calendar",
            "nowhere",
            "--first-response",
            "5",
        ])
        .await;
    assert_eq!(bad.code, 5, "{}", bad.stderr);
    let bad = desk
        .run(&[
            "calendar",
            "set",
            "mars",
            "--zone",
            "Mars/Olympus",
            "--hours",
            "mon 09:00-10:00",
        ])
        .await;
    assert_eq!(bad.code, 5, "{}", bad.stderr);

    ok(desk
        .run_with(
            &[
                "agent",
                "add",
                "--name",
                "Elena Admin",
                "--email",
                "elena@example.com",
                "--role",
                "admin",
                "--login",
                "elena",
            ],
            "elena-password\n",
        )
        .await);
    ok(desk
        .run_with(
            &[
                "agent",
                "add",
                "--name",
                "Ivan Petrov",
                "--email",
                "ivan@example.com",
                "--department",
                "Tech Support,Billing",
                "--login",
                "ivan",
            ],
            "correct horse battery staple\n",
        )
        .await);
    ok(desk
        .run(&[
            "customer",
            "add",
            "--name",
            "Ana Popescu",
            "--email",
            "ana@example.com",
            "--language",
            "ro",
        ])
        .await);
    ok(desk
        .run_with(
            &["customer", "login", "ana@example.com", "--login", "ana"],
            "ana-password\n",
        )
        .await);
    ok(desk
        .run(&[
            "template",
            "add",
            "--name",
            "Router down",
            "--department",
            "Tech Support",
            "--type",
            "incident",
            "--subject-prefix",
            "Router",
            "--body",
            "The router is down",
        ])
        .await);
    for (language, body) in [
        ("en", "Hello {{customer_name}}, we are on it."),
        ("ro", "Bună ziua {{customer_name}}, ne ocupăm."),
        ("ru", "Здравствуйте, {{customer_name}}, мы занимаемся."),
        ("fa", "سلام {{customer_name}}، در حال بررسی هستیم."),
    ] {
        ok(desk
            .run(&[
                "canned",
                "add",
                "--name",
                "On it",
                "--language",
                language,
                "--body",
                body,
            ])
            .await);
    }
    let canned = desk.run(&["--json", "canned", "list"]).await.json();
    assert_eq!(canned.as_array().unwrap().len(), 4);
    let limits = desk
        .run(&[
            "--json",
            "limits",
            "set",
            "--department",
            "Billing",
            "--max-per-ticket",
            "1",
        ])
        .await
        .json();
    assert_eq!(limits["departments"].as_object().unwrap().len(), 1);

    // Agents and customers may not change settings.
    let refused = desk
        .run(&[
            "--as",
            "agent:ivan@example.com",
            "sla",
            "remove",
            "standard",
        ])
        .await;
    assert_eq!(refused.code, 4, "{}", refused.stderr);

    // It works: the agent signs in (their password checks against the stored login, a wrong
    // one does not), and acts.
    assert!(signs_in(&desk, "ivan", "correct horse battery staple").await);
    assert!(!signs_in(&desk, "ivan", "wrong").await);
    assert!(signs_in(&desk, "ana", "ana-password").await);

    // A new ticket on Monday 5 January 09:21 UTC (each run is a minute after the last; 11:21
    // in Bucharest) gets the standard policy's clocks on the office calendar: 240 business
    // minutes end at 15:21 Bucharest.
    let ticket = desk
        .run(&[
            "--json",
            "create",
            "--email",
            "ana@example.com",
            "--department",
            "Tech Support",
            "--subject",
            "No internet",
            "--body",
            "Since this morning",
        ])
        .await
        .json();
    let ticket = if ticket.get("ticket").is_some() {
        ticket["ticket"].clone()
    } else {
        ticket
    };
    assert_eq!(ticket["timers"]["sla_policy"], "standard", "{ticket}");
    let first = due(&ticket, "first_response");
    assert_eq!(first, "2026-01-05T13:21:00Z");
    let number = number(&ticket);
    // A note by the agent in another run keeps the clock.
    ok(desk
        .run(&[
            "--as",
            "agent:ivan@example.com",
            "note",
            &number,
            "Checking the line",
        ])
        .await);
    let shown = desk.run(&["--json", "show", &number]).await.json();
    let shown = if shown.get("ticket").is_some() {
        shown["ticket"].clone()
    } else {
        shown
    };
    assert_eq!(due(&shown, "first_response"), first, "{shown}");
    // Past the target, run-due warns and breaches.
    let report = desk
        .run(&["--json", "run-due", "--at", "2026-01-05T14:00:00Z"])
        .await
        .json();
    assert_eq!(report["events"], 2, "{report}");

    // Every settings change is in the audit trail, newest first, by the desk itself.
    let audit = desk.run(&["--json", "audit"]).await.json();
    let audit = audit.as_array().unwrap();
    // The five changes of stored settings, the template and the four canned responses.
    assert_eq!(audit.len(), 10, "{audit:?}");
    assert_eq!(audit[0]["key"], "attachment_limits");
    let keys: Vec<&str> = audit.iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(keys.iter().filter(|k| **k == "canned_response").count(), 4);
    let template = audit.iter().find(|c| c["key"] == "template").unwrap();
    assert_eq!(template["before"], Value::Null);
    assert!(template["item"].is_string(), "{template}");
    assert!(
        template["after"].as_str().unwrap().contains("Router down"),
        "{template}"
    );
    assert!(audit.iter().all(|c| c["actor"]["kind"] == "system"));

    // Disabling the agent: they can no longer act.
    ok(desk.run(&["agent", "disable", "ivan@example.com"]).await);
    let refused = desk.run(&["--as", "agent:ivan@example.com", "list"]).await;
    assert_eq!(refused.code, 4, "{}", refused.stderr);
}
