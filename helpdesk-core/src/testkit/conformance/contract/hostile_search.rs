//! Hostile searches: engine syntax, SQL, pattern metacharacters, control and combining
//! characters typed into the search box, and terms no parse gives (as a caller may build
//! them), never fail and agree with the reference.

use std::sync::Arc;

use super::search::{agree_in, samples, search, ticket_with, write_both};
use crate::search::{SearchQuery, Term};
use crate::store::{MemoryStore, Store, TicketOrder};

/// What people may type: everything the engines give meaning to, and every printable ASCII
/// character alone, doubled, and around a word.
fn typed() -> Vec<String> {
    let mut typed: Vec<String> = [
        "\"",
        "*",
        "**",
        "NEAR(",
        "near(a b)",
        "NEAR(a b, 2)",
        ":*",
        "a:*",
        "'",
        "''",
        "\\",
        "\\'",
        "&|!",
        "!a",
        "a & b",
        "a <-> b",
        "\"unbalanced",
        "-",
        "--",
        "a*b*c",
        "%",
        "%%",
        "%%%",
        "%_%",
        "%'%",
        "%\\%a",
        "%it's%",
        "%\\back\\%",
        "%%_%%",
        "'; DROP TABLE tickets; --",
        "a OR b",
        "a AND b",
        "NOT a",
        "a NOT b",
        "^x",
        "{subject}: x",
        "words:x",
        "words : x",
        "x\u{0}y",
        "%x\u{0}y%",
        "ROUTER* AND",
        "(((",
        ")))",
        "a\"b",
        "-\"",
        "*x",
        "it's",
        "hostile -'x'",
        "hostile -%_%",
        "_%_",
        "%\\%",
        "%\\",
        "%[a]%",
        "\"a\" + \"b\"",
        "a + b",
        "col:a",
        "rowid",
        "rank:*",
        "search_index",
        "\u{feff}x",
        "x\u{202e}y",
        "😀*",
        "ǅ*",
        "İ",
        "ß*",
        "℮",
        "%\u{0301}%",
        "\"\u{0301}\"",
        "a\u{0640}b",
        "۰*",
        "MATCH",
        "ESCAPE",
        "?1",
        ":name",
        "$x",
        "@x",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    typed.extend([
        "ж".repeat(499),
        "\u{10FFFF}".repeat(500),
        "a ".repeat(40),
        "x".repeat(200),
        "x".repeat(501),
    ]);
    for c in (0x20u8..0x7f).map(char::from) {
        typed.extend([
            c.to_string(),
            format!("{c}{c}"),
            format!("{c}x{c}"),
            format!("x{c}y*"),
        ]);
    }
    typed
}

fn word(w: &str, prefix: bool) -> Term {
    Term::Word {
        word: w.to_owned(),
        prefix,
    }
}

/// Terms no parse gives: quotes, backslashes, NULs, spaces, empty words and phrases, words
/// longer than some engines index.
fn made() -> Vec<Term> {
    let long = "ж".repeat(1500);
    vec![
        word("it's", false),
        word("a\\b", true),
        word("'", true),
        word("", false),
        word("", true),
        word("x\u{0}y", false),
        word("x\u{0}", true),
        word(":*", false),
        word("a b", false),
        word(&long, false),
        word(&long, true),
        word(&long[..2500], true),
        word(&long[..2500], false),
        word(&long[..3000 - 2], false),
        Term::Phrase {
            words: vec!["it's".into(), "back".into()],
        },
        Term::Phrase {
            words: vec!["long".into(), long.clone(), "tail".into()],
        },
        Term::Phrase {
            words: vec!["long".into(), "".into()],
        },
        Term::Phrase {
            words: vec!["x\u{0}".into()],
        },
        Term::Phrase { words: vec![] },
        Term::Pattern {
            pieces: vec!["x\u{0}".into()],
        },
        Term::Pattern {
            pieces: vec!["%".into(), "_".into()],
        },
        Term::Pattern {
            pieces: vec!["\\".into(), "\\".into()],
        },
        Term::Pattern {
            pieces: vec!["".into(), "".into()],
        },
        Term::Pattern { pieces: vec![] },
    ]
}

/// The hostile tickets, on both stores.
async fn hostile_tickets(store: &dyn Store, reference: &MemoryStore) {
    let writes = samples()
        .iter()
        .enumerate()
        .map(|(i, text)| ticket_with(i as u64 + 1, "Hostile 'x' \\ %_", &[text, text]).1)
        .collect();
    write_both(store, reference, writes).await;
}

pub async fn hostile_queries_agree_with_the_reference(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    hostile_tickets(store.as_ref(), &reference).await;

    let mut parsed = 0;
    for (i, q) in typed().into_iter().enumerate() {
        match SearchQuery::parse(&q) {
            Ok(query) => {
                parsed += 1;
                let internal = i % 2 == 0;
                let search = search(query, internal);
                agree_in(
                    store.as_ref(),
                    &reference,
                    &search,
                    TicketOrder::LastUpdate,
                    500,
                )
                .await;
            }
            Err(e) => assert_eq!(e.field(), "q", "{q:?}"),
        }
    }
    assert!(parsed > 300, "{parsed}");
}

/// Terms no parse gives, alone and excluded: a word with a space or a NUL matches no stored
/// word, nor does a phrase with an empty word.
pub async fn hand_made_terms_agree_with_the_reference(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    hostile_tickets(store.as_ref(), &reference).await;
    for term in &made() {
        for (include, exclude) in [
            (vec![term.clone()], vec![]),
            (vec![word("hostile", false)], vec![term.clone()]),
        ] {
            for internal in [false, true] {
                let query = SearchQuery {
                    include: include.clone(),
                    exclude: exclude.clone(),
                };
                let search = search(query, internal);
                agree_in(
                    store.as_ref(),
                    &reference,
                    &search,
                    TicketOrder::LastUpdate,
                    500,
                )
                .await;
                agree_in(
                    store.as_ref(),
                    &reference,
                    &search,
                    TicketOrder::Relevance,
                    2,
                )
                .await;
            }
        }
    }
}
