//! Content settings with the CLI (issue 18): templates and canned responses edited and
//! deleted, knowledge-base articles searched, shown, written, rewritten and deleted, and the
//! stored categories added, renamed and deleted; who may is the library's rule (exit 4 when
//! not), and refusals change nothing.

use crate::support::*;

const IVAN: [&str; 2] = ["--as", "agent:ivan@example.com"];
const ANA: [&str; 2] = ["--as", "customer:ana@example.com"];

#[tokio::test]
async fn templates_and_canned_responses_are_edited_and_deleted() {
    let desk = Desk::with_directory().await;
    let added = desk
        .run(&[
            "--json",
            "template",
            "add",
            "--name",
            "Router down",
            "--department",
            "Support",
            "--priority",
            "high",
            "--subject-prefix",
            "Router",
            "--body",
            "The router is down",
        ])
        .await
        .json();
    let id = added[0]["id"].as_str().unwrap().to_owned();
    // Agents may not edit templates: exit 4, nothing changes.
    let refused = desk
        .run(&[&IVAN[..], &["template", "edit", &id, "--name", "x"]].concat())
        .await;
    assert_eq!(refused.code, 4, "{}", refused.stderr);
    let edited = desk
        .run(&[
            "--json",
            "template",
            "edit",
            &id,
            "--name",
            "Роутер не работает",
            "--department",
            "Billing",
            "--subject-prefix",
            "",
            "--no-priority",
        ])
        .await
        .json();
    assert_eq!(edited["name"], "Роутер не работает");
    assert_eq!(edited["subject_prefix"], serde_json::Value::Null);
    assert_eq!(edited["priority"], serde_json::Value::Null);
    assert_eq!(edited["body"], "The router is down", "left out, it stays");
    assert_eq!(edited["created_at"], added[0]["created_at"]);
    let listed = desk.run(&["template", "list"]).await.ok();
    assert_eq!(listed, format!("{id}  Роутер не работает  question\n"));
    let refused = desk
        .run(&[&IVAN[..], &["template", "delete", &id]].concat())
        .await;
    assert_eq!(refused.code, 4);
    let gone = desk
        .run(&["--json", "template", "delete", &id])
        .await
        .json();
    assert_eq!(gone["deleted"], id.as_str());
    assert_eq!(desk.run(&["template", "delete", &id]).await.code, 3);
    assert_eq!(desk.run(&["template", "list"]).await.ok(), "");

    let added = desk
        .run(
            &[
                &IVAN[..],
                &[
                    "--json",
                    "canned",
                    "add",
                    "--name",
                    "Salut",
                    "--language",
                    "ro",
                    "--body",
                    "Bună ziua, {{customer_name}}",
                ],
            ]
            .concat(),
        )
        .await
        .json();
    let id = added[0]["id"].as_str().unwrap().to_owned();
    // A placeholder the desk does not know is refused (exit 5), nothing changes.
    let refused = desk
        .run(
            &[
                &IVAN[..],
                &["canned", "edit", &id, "--body", "{{password}}"],
            ]
            .concat(),
        )
        .await;
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    let customer = desk
        .run(&[&ANA[..], &["canned", "delete", &id]].concat())
        .await;
    assert_eq!(customer.code, 4);
    let edited = desk
        .run(
            &[
                &IVAN[..],
                &[
                    "--json",
                    "canned",
                    "edit",
                    &id,
                    "--language",
                    "ru",
                    "--name",
                    "Привет",
                    "--department",
                    "Support",
                ],
            ]
            .concat(),
        )
        .await
        .json();
    assert_eq!(edited["language"], "ru");
    assert_eq!(edited["body"], "Bună ziua, {{customer_name}}");
    assert!(edited["department"].is_string());
    let everywhere = desk
        .run(&["--json", "canned", "edit", &id, "--all-departments"])
        .await
        .json();
    assert!(everywhere["department"].is_null());
    let gone = desk
        .run(&[&IVAN[..], &["canned", "delete", &id]].concat())
        .await
        .ok();
    assert_eq!(gone, format!("deleted {id}\n"));
    assert_eq!(desk.run(&["canned", "list"]).await.ok(), "");
}

#[tokio::test]
async fn the_knowledge_base_and_its_categories_are_managed_with_the_cli() {
    let desk = Desk::with_directory().await;
    let add = |category: &'static str| {
        [
            "--json",
            "kb",
            "add",
            "--title",
            "Resetarea routerului",
            "--body",
            "Opriți routerul și porniți-l din nou.",
            "--category",
            category,
            "--language",
            "ro",
        ]
    };
    // An article needs a stored category (exit 5), which only admins add (exit 4).
    let refused = desk.run(&[&IVAN[..], &add("internet")[..]].concat()).await;
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    assert!(refused.stderr.contains("category"), "{}", refused.stderr);
    let agent = desk
        .run(&[&IVAN[..], &["kb", "category", "add", "internet"]].concat())
        .await;
    assert_eq!(agent.code, 4);
    for name in ["internet", "Телефон"] {
        desk.run(&["kb", "category", "add", name]).await.ok();
    }
    let twice = desk.run(&["kb", "category", "add", "internet"]).await;
    assert_eq!(twice.code, 6, "conflict");
    assert_eq!(
        desk.run(&["kb", "category", "list"]).await.ok(),
        "internet\nТелефон\n"
    );
    let article = desk
        .run(&[&IVAN[..], &add("internet")[..]].concat())
        .await
        .json();
    let id = article["id"].as_str().unwrap().to_owned();
    let found = desk
        .run(&[&ANA[..], &["--json", "kb", "search", "routerul"]].concat())
        .await
        .json();
    assert_eq!(found[0]["id"], id.as_str());
    let shown = desk
        .run(&[&ANA[..], &["kb", "show", &id]].concat())
        .await
        .ok();
    assert!(shown.contains("Opriți routerul"), "{shown}");
    // Rewritten: what is left out stays.
    let edited = desk
        .run(
            &[
                &IVAN[..],
                &[
                    "--json",
                    "kb",
                    "edit",
                    &id,
                    "--category",
                    "Телефон",
                    "--status",
                    "draft",
                ],
            ]
            .concat(),
        )
        .await
        .json();
    assert_eq!(edited["category"], "Телефон");
    assert_eq!(edited["status"], "draft");
    assert_eq!(edited["title"], "Resetarea routerului");
    let listed = desk
        .run(&[&IVAN[..], &["kb", "list", "--category", "Телефон"]].concat())
        .await
        .ok();
    assert_eq!(
        listed,
        format!("{id}  ro  draft  Телефон  Resetarea routerului\n")
    );
    assert_eq!(
        desk.run(&[&ANA[..], &["kb", "list"]].concat()).await.code,
        4
    );
    // A draft is not the customer's to read.
    assert_eq!(
        desk.run(&[&ANA[..], &["kb", "show", &id]].concat())
            .await
            .code,
        3
    );
    // A category in use stays (exit 6); a rename moves its articles.
    let in_use = desk.run(&["kb", "category", "delete", "Телефон"]).await;
    assert_eq!(in_use.code, 6, "{}", in_use.stderr);
    let renamed = desk
        .run(&["--json", "kb", "category", "rename", "Телефон", "Phone"])
        .await
        .json();
    assert_eq!(renamed["moved"], 1);
    let read = desk.run(&["--json", "kb", "show", &id]).await.json();
    assert_eq!(read["category"], "Phone");
    // Deleting: customers may not; agents may; then the category may go.
    assert_eq!(
        desk.run(&[&ANA[..], &["kb", "delete", &id]].concat())
            .await
            .code,
        4
    );
    desk.run(&[&IVAN[..], &["kb", "delete", &id]].concat())
        .await
        .ok();
    assert_eq!(desk.run(&["kb", "show", &id]).await.code, 3);
    desk.run(&["kb", "category", "delete", "Phone"]).await.ok();
    let left = desk.run(&["--json", "kb", "category", "list"]).await.json();
    assert_eq!(left, serde_json::json!(["internet"]));
    assert_eq!(desk.run(&["kb", "search", "routerul"]).await.ok(), "");
}

#[tokio::test]
async fn a_reader_searching_the_knowledge_base_gets_their_language_first() {
    let desk = Desk::with_directory().await;
    desk.run(&["kb", "category", "add", "internet"]).await.ok();
    let add = |title: &str, body: &str, language: &str| {
        let args: Vec<String> = [
            "--json",
            "kb",
            "add",
            "--title",
            title,
            "--body",
            body,
            "--category",
            "internet",
            "--language",
            language,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args
    };
    // Without a preferred language the shorter Romanian article ranks first.
    for (title, body, language) in [
        ("Router router", "Restart the router: router lights.", "en"),
        ("Routerul", "Reporniți router.", "ro"),
    ] {
        let args = add(title, body, language);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        desk.run(&[&IVAN[..], &args[..]].concat()).await.ok();
    }
    let languages = |found: serde_json::Value| -> Vec<String> {
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["language"].as_str().unwrap().to_owned())
            .collect()
    };
    let best = desk
        .run(&[&ANA[..], &["--json", "kb", "search", "router"]].concat())
        .await
        .json();
    assert_eq!(languages(best), ["ro", "en"]);
    let preferred = desk
        .run(
            &[
                &ANA[..],
                &["--json", "kb", "search", "router", "--prefer", "en"],
            ]
            .concat(),
        )
        .await
        .json();
    assert_eq!(languages(preferred), ["en", "ro"]);
    let only = desk
        .run(
            &[
                &ANA[..],
                &["--json", "kb", "search", "router", "--lang", "ro"],
            ]
            .concat(),
        )
        .await
        .json();
    assert_eq!(languages(only), ["ro"]);
    // Both at once is a usage error.
    let both = desk
        .run(&["kb", "search", "router", "--lang", "ro", "--prefer", "ro"])
        .await;
    assert_eq!(both.code, 2, "{}", both.stderr);
}
