//! The shared corpus of real-world mail (`../shared/mail-corpus/`, 793 messages of three
//! public test suites) through the parser and the classifier: every message gets the class
//! the rule of `testkit::mail_corpus::check_class` gives, none panics, every message that
//! is mail parses, and one message per charset family decodes as reviewed (insta
//! snapshots). Taking them in on SQLite and PostgreSQL is in those crates' `mail_corpus`
//! tests.

use helpdesk_core::mail::{MailClass, classify, parse_inbound};
use helpdesk_core::testkit::mail_corpus::{DESK, check_class};

#[path = "shared/corpus_files.rs"]
mod corpus_files;
use helpdesk_core::testkit::samples::email;

#[test]
fn every_corpus_message_gets_the_class_its_suite_says() {
    let mails = corpus_files::corpus(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(mails.len(), 793, "the corpus as SOURCES.md lists it");
    let own = [email(DESK)];
    let mut wrong = Vec::new();
    let mut counts = std::collections::BTreeMap::new();
    for (path, raw) in &mails {
        let class = classify(raw, &own);
        *counts.entry(class.code()).or_insert(0) += 1;
        if let Err(e) = check_class(path, raw, class) {
            wrong.push(e);
        }
        // Whatever is taken in parses: a sender is always found.
        if matches!(class, MailClass::Person | MailClass::List) {
            parse_inbound(raw).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
    eprintln!("corpus classes: {counts:?}");
    assert!(
        wrong.is_empty(),
        "{} misclassified:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The first lines of a message's text as the parser decodes it, for a snapshot.
fn decoded(path: &str, raw: &[u8]) -> Option<String> {
    let m = mail_parser::MessageParser::default().parse(raw)?;
    let text: String = (0..m.text_body_count())
        .filter_map(|i| m.body_text(i))
        .collect::<Vec<_>>()
        .join("\n");
    if text.is_ascii() {
        return None;
    }
    let text: String = text.lines().take(12).collect::<Vec<_>>().join("\n");
    let text: String = text.chars().take(600).collect();
    Some(format!(
        "file: {path}\nsubject: {}\n---\n{text}\n",
        m.subject().unwrap_or_default()
    ))
}

#[test]
fn one_message_per_charset_family_decodes_as_reviewed() {
    let mails = corpus_files::corpus(env!("CARGO_MANIFEST_DIR"));
    // The first message (by path) that declares a charset of the family and whose text
    // goes beyond ASCII; the text as `mail-parser` (with `full_encoding`) decodes it.
    let families = [
        ("utf_8", "utf-8"),
        ("iso_8859_1", "iso-8859-1"),
        ("windows_1252", "windows-1252"),
        ("iso_2022_jp", "iso-2022-jp"),
        ("utf_7", "utf-7"),
    ];
    // Shift_JIS, EUC-JP and UTF-16 appear in the corpus only in returned headers, and
    // GB2312, Big5 and EUC-KR not at all: the project's own mails cover them
    // (`mail_parsing.rs`, `cjk_*`).
    for (family, charset) in families {
        let marks = [format!("charset={charset}"), format!("charset=\"{charset}")];
        let sample = mails
            .iter()
            .filter(|(_, raw)| {
                let text = String::from_utf8_lossy(raw).to_lowercase();
                marks.iter().any(|m| text.contains(m.as_str()))
            })
            .find_map(|(path, raw)| decoded(path, raw))
            .unwrap_or_else(|| panic!("no {family} message in the corpus"));
        insta::assert_snapshot!(format!("charset_{family}"), sample);
    }
}
