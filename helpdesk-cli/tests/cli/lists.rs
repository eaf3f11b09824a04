//! Lists page by page (`first 3 of 7`, `--after CURSOR`, `--all`, what changed meanwhile),
//! and how a run ends: every error with its causes, and exit codes by meaning.

use crate::support::*;

/// `text` with every cursor after `--after ` as `[cursor]` (cursors hold random ids).
fn redact(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("--after ") {
        out.push_str(&rest[..at + "--after ".len()]);
        rest = &rest[at + "--after ".len()..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        out.push_str("[cursor]");
        rest = &rest[end..];
    }
    out + rest
}

/// The cursor the page printed, after `--after `.
fn cursor_of(text: &str) -> String {
    let (_, rest) = text.split_once("--after ").expect("a next page");
    rest.split_whitespace().next().unwrap().to_owned()
}

/// Seven tickets, a minute apart.
async fn seven() -> Desk {
    let desk = Desk::with_directory().await;
    for i in 1..=7 {
        desk.run(&[
            "create",
            "--phone",
            "+40 721 000 111",
            "--subject",
            &format!("Line {i} is down"),
            "--body",
            "No signal.",
        ])
        .await
        .ok();
    }
    desk
}

#[tokio::test]
async fn list_says_first_n_of_the_total_and_pages_on_with_the_cursor_it_prints() {
    let desk = seven().await;
    let first = desk.run(&["list", "--limit", "3"]).await.ok();
    insta::assert_snapshot!("list_first_of_total", redact(&first));
    assert!(
        first.contains("\nfirst 3 of 7; the next page: --after "),
        "{first}"
    );

    // Meanwhile a ticket not listed yet gets a reply: the pass leaves it out and says so.
    desk.run(&["reply", "10000002", "We are on it."]).await.ok();
    let second = desk
        .run(&["list", "--limit", "3", "--after", &cursor_of(&first)])
        .await
        .ok();
    insta::assert_snapshot!("list_after_a_change", redact(&second));
    assert!(!second.contains("Line 2 is down"), "{second}");
    assert!(
        second.contains("\n3 more of 7\n"),
        "the last page: {second}"
    );
    assert!(
        second.ends_with("\n1 ticket changed since the first page and left out of the pages after it: list again from the first page to see them\n"),
        "{second}"
    );

    // JSON: the page, its cursor, what changed, and the total.
    let json = desk.run(&["--json", "list", "--limit", "3"]).await.json();
    assert_eq!(json["items"].as_array().unwrap().len(), 3);
    assert_eq!(json["total"], 7);
    assert!(json["changed"].is_null(), "{json}");
    let next = json["next"].as_str().unwrap();
    let more = desk
        .run(&["--json", "list", "--limit", "3", "--after", next])
        .await
        .json();
    assert_eq!(more["items"].as_array().unwrap().len(), 3);
    assert_eq!(more["changed"]["tickets"].as_array().unwrap().len(), 0);

    // A cursor the CLI never printed is invalid input.
    let bad = desk.run(&["list", "--after", "10000001"]).await;
    assert_eq!(bad.code, 5, "{}", bad.stderr);
    assert!(
        bad.stderr.starts_with("error: --after: is not a cursor"),
        "{}",
        bad.stderr
    );
}

#[tokio::test]
async fn list_all_shows_every_ticket_and_the_total() {
    let desk = seven().await;
    let all = desk.run(&["list", "--all", "--limit", "2"]).await.ok();
    insta::assert_snapshot!("list_all_pages", all);
    assert!(all.ends_with("\n7 tickets\n"), "{all}");
    let json = desk
        .run(&["--json", "search", "line", "--all"])
        .await
        .json();
    assert_eq!(json["items"].as_array().unwrap().len(), 7);
    assert!(json["total"].is_null(), "searches are not counted");
    let both = desk.run(&["list", "--all", "--after", "x"]).await;
    assert_eq!(both.code, 2, "--all and --after do not go together");
}

#[tokio::test]
async fn a_database_that_cannot_be_opened_is_named_with_the_os_error_and_exits_8() {
    let desk = Desk::new();
    let path = desk.path("missing").join("x.db");
    let run = desk
        .run(&["--database", path.to_str().unwrap(), "list"])
        .await;
    assert_eq!(run.code, 8, "{}", run.stderr);
    let os = std::fs::read_dir(desk.path("missing"))
        .unwrap_err()
        .to_string();
    assert!(
        run.stderr.starts_with("error: storage backend failed: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(path.to_str().unwrap()),
        "{}",
        run.stderr
    );
    assert!(run.stderr.trim_end().ends_with(&os), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[tokio::test]
async fn exit_codes_are_listed_in_help_and_distinct_by_meaning() {
    let desk = Desk::with_directory().await;
    let help = desk.run(&["--help"]).await.ok();
    for line in [
        "Exit codes:",
        "  2  bad usage",
        "  3  not found",
        "  4  forbidden",
        "  5  invalid input",
        "  6  conflict",
        "  7  not allowed in the ticket's current status",
        "  8  storage",
        "--all",
        "--after CURSOR",
    ] {
        assert!(help.contains(line), "{line:?} in\n{help}");
    }
    let opened = desk
        .run(&[
            "--json",
            "create",
            "--phone",
            "+40 721 000 111",
            "--subject",
            "Down",
            "--body",
            "No signal.",
        ])
        .await
        .json();
    let number = number(&opened);
    desk.run(&["transition", &number, "resolve"]).await.ok();
    desk.run(&["transition", &number, "close"]).await.ok();
    let cases: [(&[&str], i32); 7] = [
        (&["list", "--limit", "ten"], 2),
        (&["show", "99999999"], 3),
        (
            &[
                "--as",
                "customer:ana@example.com",
                "customer",
                "find",
                "C-2002",
            ],
            4,
        ),
        (
            &[
                "create",
                "--phone",
                "+40 721 000 111",
                "--subject",
                "",
                "--body",
                "x",
            ],
            5,
        ),
        (
            &[
                "customer",
                "add",
                "--name",
                "Ana Again",
                "--email",
                "ana@example.com",
            ],
            6,
        ),
        (&["transition", &number, "hold"], 7),
        (&["import", "/nonexistent/directory.json"], 1),
    ];
    for (args, code) in cases {
        let run = desk.run(args).await;
        assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
        assert!(!run.stderr.is_empty(), "{args:?}");
    }
    let missing = desk.run(&["import", "/nonexistent/directory.json"]).await;
    assert!(
        missing
            .stderr
            .starts_with("error: reading /nonexistent/directory.json: "),
        "{}",
        missing.stderr
    );
    assert!(missing.stderr.contains("os error"), "{}", missing.stderr);
}

#[tokio::test]
async fn the_search_box_finds_word_forms_numbers_and_phones() {
    let desk = seven().await;
    // Other forms of a word, by their stems.
    let lines = desk
        .run(&["--json", "search", "lines", "--all"])
        .await
        .json();
    assert_eq!(lines["items"].as_array().unwrap().len(), 7, "{lines}");
    // A ticket by its number, in Persian digits too.
    let first = &lines["items"][0];
    let short = first["number"]["short"].as_str().expect("a short number");
    let persian: String = short
        .chars()
        .map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap()).unwrap())
        .collect();
    for typed in [short.to_owned(), persian] {
        let found = desk.run(&["--json", "search", &typed]).await.json();
        assert_eq!(found["items"][0]["id"], first["id"], "{typed}");
    }
    // The customer's phone in its national form, once the desk's region is set.
    let national = desk.run(&["--json", "search", "0721 000 111"]).await.json();
    assert!(
        national["items"].as_array().unwrap().is_empty(),
        "{national}"
    );
    desk.run(&["settings", "set", "phone-region", "RO"])
        .await
        .ok();
    let national = desk.run(&["--json", "search", "0721 000 111"]).await.json();
    assert_eq!(national["items"].as_array().unwrap().len(), 7, "{national}");
}
