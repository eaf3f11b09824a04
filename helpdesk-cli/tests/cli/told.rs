//! What the CLI tells (issue 24): a priority the rules applied otherwise than asked is noted,
//! with `--json` too; and nothing of another customer's ticket, which answers exactly as a
//! missing one.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn create_notes_a_priority_the_rules_applied_otherwise() {
    let desk = Desk::with_directory().await;
    let capped = desk
        .run(&[
            "create",
            "--email",
            "ana@example.com",
            "--subject",
            "Line down",
            "--body",
            "No dial tone.",
            "--priority",
            "urgent",
        ])
        .await
        .ok();
    assert_eq!(
        capped,
        "opened 2026010510000001 (short 10000001): Line down [new, normal]\n\
         note: asked for priority urgent, applied normal: above the cap of normal\n"
    );
    let organisation = desk
        .run(&[
            "--json",
            "create",
            "--contract",
            "C-2002",
            "--subject",
            "Invoice charged twice",
            "--body",
            "December's invoice was charged twice.",
            "--priority",
            "low",
        ])
        .await
        .json();
    assert_eq!(organisation["priority"], "high");
    assert_eq!(
        organisation["notices"],
        json!([{
            "kind": "priority_adjusted",
            "asked": "low",
            "applied": "high",
            "reason": {"kind": "desk_rule", "customer_kind": "organisation"},
            "message": "asked for priority low, applied high: set by the desk's rule for organisations",
        }])
    );
    // As asked: nothing to note.
    let quiet = desk
        .run(&[
            "--json",
            "create",
            "--email",
            "ana@example.com",
            "--subject",
            "Slow line",
            "--body",
            "Slow.",
            "--priority",
            "low",
        ])
        .await
        .json();
    assert_eq!(
        (&quiet["priority"], &quiet["notices"]),
        (&json!("low"), &json!([]))
    );
}

/// What Ana sees for each ticket command naming `typed`: the command, exit code, stdout and
/// stderr, with what she typed written as `<typed>`.
async fn answers(desk: &Desk, typed: &str, json: bool) -> Vec<(String, i32, String, String)> {
    let mut seen = Vec::new();
    for args in [
        vec!["show", typed],
        vec!["reply", typed, "hi"],
        vec!["note", typed, "hi"],
        vec!["assign", typed, "none"],
        vec!["transition", typed, "reopen"],
        vec!["transition", typed, "confirm"],
        vec!["transition", typed, "close"],
    ] {
        let mut all = vec!["--as", "customer:ana@example.com"];
        if json {
            all.push("--json");
        }
        all.extend(args.iter().copied());
        let run = desk.run(&all).await;
        seen.push((
            args[0].to_owned(),
            run.code,
            run.stdout.replace(typed, "<typed>"),
            run.stderr.replace(typed, "<typed>"),
        ));
    }
    seen
}

#[tokio::test]
async fn a_customer_gets_the_same_answer_for_another_customers_ticket_as_for_a_missing_one() {
    let desk = Desk::with_directory().await;
    let theirs = desk
        .run(&[
            "--json",
            "create",
            "--contract",
            "C-2002",
            "--subject",
            "Acme's secret",
            "--body",
            "Confidential.",
        ])
        .await
        .json();
    let full = number(&theirs);
    let short = theirs["number"]["short"].as_str().unwrap().to_owned();
    let id = theirs["id"].as_str().unwrap().to_owned();
    let missing = |n: &str| format!("{}99", &n[..n.len() - 2]);
    for (theirs_typed, missing_typed) in [
        (full.clone(), missing(&full)),
        (short.clone(), missing(&short)),
        (format!("#{short}"), format!("#{}", missing(&short))),
        (
            id.clone(),
            "01a24651-4559-77a0-be90-3e7834a63b06".to_owned(),
        ),
    ] {
        for json in [false, true] {
            let hidden = answers(&desk, &theirs_typed, json).await;
            let absent = answers(&desk, &missing_typed, json).await;
            assert_eq!(hidden, absent, "{theirs_typed} and {missing_typed}");
            for (command, code, _, stderr) in &hidden {
                assert_eq!(*code, 3, "{command}");
                assert!(!stderr.contains("Acme"), "{command}: {stderr}");
                if theirs_typed != id {
                    assert!(!stderr.contains(&id), "{command} names the id: {stderr}");
                }
            }
        }
    }
}
