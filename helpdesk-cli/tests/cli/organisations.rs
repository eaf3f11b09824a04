//! `customer domains` and `customer organisation-tickets` (issue 20): an organisation's mail
//! domains, a new person at one joining it, and a member who sees the organisation's
//! tickets.

use crate::support::*;

#[tokio::test]
async fn an_organisations_domains_are_set_shown_and_new_people_there_join_it() {
    let desk = Desk::with_directory().await;
    let set = desk
        .run(&[
            "--json",
            "customer",
            "domains",
            "office@acme.example",
            "--set",
            "Acme.example,acme.ro",
        ])
        .await
        .json();
    assert_eq!(
        set["domains"],
        serde_json::json!(["acme.example", "acme.ro"])
    );
    let shown = desk
        .run(&["customer", "domains", "office@acme.example"])
        .await
        .ok();
    assert_eq!(shown, "acme.example\nacme.ro\n");
    let ion = desk
        .run(&[
            "--json",
            "customer",
            "add",
            "--name",
            "Ion",
            "--email",
            "ion@acme.ro",
        ])
        .await
        .json();
    let acme = desk
        .run(&["--json", "customer", "find", "office@acme.example"])
        .await
        .json();
    assert_eq!(ion[0]["organisation"], acme[0]["id"], "{ion}");
    // A malformed domain: invalid input, exit 5, nothing changed.
    let bad = desk
        .run(&[
            "customer",
            "domains",
            "office@acme.example",
            "--set",
            "not a domain",
        ])
        .await;
    assert_eq!(bad.code, 5, "{}", bad.stderr);
    let shown = desk
        .run(&["customer", "domains", "office@acme.example"])
        .await
        .ok();
    assert_eq!(shown, "acme.example\nacme.ro\n");
}

#[tokio::test]
async fn a_member_with_the_flag_lists_the_organisations_tickets() {
    let desk = Desk::with_directory().await;
    for (name, email) in [("Ion", "ion@acme.example"), ("Elena", "elena@acme.example")] {
        desk.run(&[
            "customer",
            "add",
            "--name",
            name,
            "--email",
            email,
            "--member-of",
            "office@acme.example",
        ])
        .await
        .ok();
    }
    desk.run(&[
        "create",
        "--email",
        "elena@acme.example",
        "--subject",
        "Factura lipsă",
        "--body",
        "Nu am primit factura.",
    ])
    .await
    .ok();
    let as_ion = |args: &[&str]| {
        let mut all = vec!["--json", "--as", "customer:ion@acme.example"];
        all.extend_from_slice(args);
        all.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let args = as_ion(&["list"]);
    let before = desk
        .run(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .await
        .json();
    assert_eq!(before["items"].as_array().unwrap().len(), 0, "{before}");
    let off = desk
        .run(&[
            "--json",
            "customer",
            "organisation-tickets",
            "ion@acme.example",
        ])
        .await
        .json();
    assert_eq!(off["sees"], false);
    let on = desk
        .run(&[
            "--json",
            "customer",
            "organisation-tickets",
            "ion@acme.example",
            "--set",
            "on",
        ])
        .await
        .json();
    assert_eq!(on["sees"], true);
    let after = desk
        .run(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .await
        .json();
    let items = after["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{after}");
    assert_eq!(items[0]["subject"], "Factura lipsă");
    // Ana, in no organisation, may not get the flag.
    let alone = desk
        .run(&[
            "customer",
            "organisation-tickets",
            "ana@example.com",
            "--set",
            "on",
        ])
        .await;
    assert_eq!(alone.code, 5, "{}", alone.stderr);
}

#[tokio::test]
async fn an_sla_policy_matches_an_organisation_named_by_email() {
    let desk = Desk::with_directory().await;
    let levels = desk
        .run(&[
            "--json",
            "sla",
            "set",
            "acme",
            "--organisation",
            "office@acme.example",
            "--first-response",
            "30",
        ])
        .await
        .json();
    let acme = desk
        .run(&["--json", "customer", "find", "office@acme.example"])
        .await
        .json();
    assert_eq!(
        levels["policies"][0]["organisations"],
        serde_json::json!([acme[0]["id"]]),
        "{levels}"
    );
    // A person is no organisation: invalid input, exit 5.
    let person = desk
        .run(&[
            "sla",
            "set",
            "ana",
            "--organisation",
            "ana@example.com",
            "--first-response",
            "30",
        ])
        .await;
    assert_eq!(person.code, 5, "{}", person.stderr);
}
