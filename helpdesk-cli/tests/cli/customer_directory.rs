//! `customer list` (the directory, a page at a time with the total) and `customer edit`.

use crate::support::*;

/// Adds a customer with `args` after `customer add`.
async fn add(desk: &Desk, args: &[&str]) {
    let mut all = vec!["customer", "add"];
    all.extend_from_slice(args);
    desk.run(&all).await.ok();
}

#[tokio::test]
async fn customer_list_pages_the_directory_and_ends_with_first_n_of_total() {
    let desk = Desk::with_directory().await;
    add(
        &desk,
        &["--name", "Иван Петров", "--email", "ivan@example.ru"],
    )
    .await;
    add(
        &desk,
        &["--name", "Zahra Ahmadi", "--email", "zahra@example.ir"],
    )
    .await;
    let first = desk.run(&["customer", "list", "--limit", "2"]).await.ok();
    let (table, tail) = first.trim_end().rsplit_once('\n').unwrap();
    insta::assert_snapshot!("customer_list_first_page", table);
    let cursor = tail
        .strip_prefix("first 2 of 4; the next page: --after ")
        .unwrap_or_else(|| panic!("{tail}"));
    let second = desk
        .run(&["customer", "list", "--limit", "2", "--after", cursor])
        .await
        .ok();
    assert!(second.ends_with("2 more of 4\n"), "{second}");
    assert!(
        second.contains("Иван Петров") && second.contains("Zahra Ahmadi"),
        "{second}"
    );

    let all = desk
        .run(&["customer", "list", "--limit", "1", "--all"])
        .await
        .ok();
    assert!(all.ends_with("4 customers\n"), "{all}");

    let json = desk
        .run(&["--json", "customer", "list", "--query", "ИВАН"])
        .await
        .json();
    assert_eq!(json["total"], 1);
    assert_eq!(json["items"][0]["name"], "Иван Петров");
    assert!(json["next"].is_null());
    let orgs = desk
        .run(&["--json", "customer", "list", "--kind", "organisation"])
        .await
        .json();
    assert_eq!(orgs["items"][0]["name"], "Acme SRL");
    assert_eq!(orgs["total"], 1);
    desk.run(&["customer", "disable", "zahra@example.ir"])
        .await
        .ok();
    let off = desk
        .run(&["--json", "customer", "list", "--access", "disabled"])
        .await
        .json();
    assert_eq!(
        (off["total"].clone(), off["items"][0]["name"].clone()),
        (1.into(), "Zahra Ahmadi".into())
    );
    let none = desk
        .run(&["customer", "list", "--query", "nobody"])
        .await
        .ok();
    assert_eq!(none, "no customers\n");

    // Refused: customers, a bad cursor, blank text.
    let run = desk
        .run(&["--as", "customer:ana@example.com", "customer", "list"])
        .await;
    assert_eq!(run.code, 4, "{}", run.stderr);
    let run = desk.run(&["customer", "list", "--after", "junk"]).await;
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(run.stderr.contains("--after"), "{}", run.stderr);
    let run = desk.run(&["customer", "list", "--query", "  "]).await;
    assert_eq!(run.code, 5, "{}", run.stderr);
}

#[tokio::test]
async fn customer_edit_changes_fields_sets_the_organisation_and_refuses_with_typed_errors() {
    let desk = Desk::with_directory().await;
    let edited = desk
        .run(&[
            "--json",
            "--as",
            "agent:ivan@example.com",
            "customer",
            "edit",
            "ana@example.com",
            "--name",
            "Ana Maria Popescu",
            "--organisation",
            "office@acme.example",
            "--clear",
            "address,phone",
        ])
        .await
        .json();
    let ana = &edited[0];
    assert_eq!(ana["name"], "Ana Maria Popescu");
    assert!(ana["address"].is_null() && ana["phone"].is_null(), "{ana}");
    assert_eq!(ana["contract_number"], "C-1001", "kept");
    let acme = desk
        .run(&["--json", "customer", "list", "--kind", "organisation"])
        .await
        .json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(ana["organisation"], acme.as_str());
    let members = desk
        .run(&["--json", "customer", "list", "--organisation", &acme])
        .await
        .json();
    assert_eq!(members["total"], 1);

    let table = desk
        .run(&[
            "customer",
            "edit",
            "ana@example.com",
            "--no-organisation",
            "--phone",
            "0721 000 222",
        ])
        .await
        .ok();
    assert!(table.contains("0721 000 222"), "{table}");

    let cases: [(&[&str], i32); 5] = [
        (
            &[
                "customer",
                "edit",
                "ana@example.com",
                "--email",
                "office@acme.example",
            ],
            6,
        ),
        (
            &[
                "customer",
                "edit",
                "ana@example.com",
                "--contract",
                "C-2002",
            ],
            6,
        ),
        (
            &[
                "customer",
                "edit",
                "office@acme.example",
                "--organisation",
                "office@acme.example",
            ],
            5,
        ),
        (
            &["customer", "edit", "nobody@example.com", "--name", "X"],
            3,
        ),
        (
            &[
                "--as",
                "customer:ana@example.com",
                "customer",
                "edit",
                "ana@example.com",
                "--name",
                "Me",
            ],
            4,
        ),
    ];
    for (args, code) in cases {
        let run = desk.run(args).await;
        assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
    }
    let after = desk
        .run(&["--json", "customer", "find", "ana@example.com"])
        .await
        .json();
    assert_eq!(after[0]["email"], "ana@example.com", "nothing written");
    assert_eq!(after[0]["contract_number"], "C-1001", "nothing written");
}

#[tokio::test]
async fn customer_add_puts_a_person_in_an_organisation_named_by_its_email() {
    let desk = Desk::with_directory().await;
    add(
        &desk,
        &[
            "--name",
            "Fabrica Nouă SRL",
            "--organisation",
            "--email",
            "office@fabrica.example",
        ],
    )
    .await;
    let ion = desk
        .run(&[
            "--json",
            "customer",
            "add",
            "--name",
            "Ion Fabrica",
            "--member-of",
            "office@fabrica.example",
        ])
        .await
        .json();
    let acme = desk
        .run(&["--json", "customer", "list", "--query", "fabrica nou"])
        .await
        .json();
    let acme_id = &acme["items"][0]["id"];
    assert_eq!(&ion[0]["organisation"], acme_id, "{ion}");
    let run = desk
        .run(&[
            "customer",
            "add",
            "--name",
            "Nobody's",
            "--member-of",
            "no@one.example",
        ])
        .await;
    assert_eq!(run.code, 3, "{}", run.stderr);
}
