//! Who sent a mail, read leniently as the mature desks do: `From`, then `Sender`,
//! `Reply-To` and `Return-Path`; in each, the first usable address (an empty first one
//! skipped), with a trailing dot dropped (`ana@example.ro.`) and an address without angle
//! brackets found after a display name (`Ana Pop ana@example.ro`).

use mail_parser::Message;

use super::class::{addrs, header_value};
use crate::domain::Email;

/// The headers a sender is read from, in order.
pub const SENDER_HEADERS: [&str; 4] = ["From", "Sender", "Reply-To", "Return-Path"];

/// The sender's address and display name, from the first of [`SENDER_HEADERS`] that has a
/// usable address; `None` when none has.
pub(crate) fn sender(message: &Message<'_>) -> Option<(Email, Option<String>)> {
    SENDER_HEADERS
        .iter()
        .find_map(|name| from_header(message, name))
}

fn from_header(message: &Message<'_>, name: &str) -> Option<(Email, Option<String>)> {
    let parsed = match name {
        "From" => message.from(),
        "Sender" => message.sender(),
        "Reply-To" => message.reply_to(),
        _ => None,
    };
    if let Some(address) = parsed {
        for addr in addrs(address) {
            if let Some(email) = addr.address().and_then(lenient_address) {
                let display = addr.name().map(|n| n.to_owned());
                return Some((email, display));
            }
        }
    }
    // What the parser could not read: the raw value, word by word.
    let raw = header_value(message, name)?;
    let words = raw.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>'));
    for word in words {
        if let Some(email) = lenient_address(word) {
            let display = raw
                .split(word)
                .next()
                .map(|n| n.trim_matches(|c: char| c.is_whitespace() || matches!(c, '<' | '"')))
                .filter(|n| !n.is_empty())
                .map(str::to_owned);
            return Some((email, display));
        }
    }
    None
}

/// An address as written, made valid where a lenient reading can: surrounding quotes,
/// brackets and white space, a `mailto:` and trailing dots removed.
pub fn lenient_address(written: &str) -> Option<Email> {
    let trimmed = written
        .trim()
        .trim_start_matches("mailto:")
        .trim_matches(|c: char| {
            c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '(' | ')')
        })
        .trim_end_matches('.');
    if trimmed.is_empty() || !trimmed.contains('@') {
        return None;
    }
    Email::parse(trimmed).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(headers: &str) -> Option<(String, Option<String>)> {
        let raw = format!("{headers}Subject: x\r\n\r\nbody\r\n");
        let message = mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .unwrap();
        sender(&message).map(|(e, n)| (e.as_str().to_owned(), n))
    }

    #[test]
    fn from_is_read_first() {
        assert_eq!(
            read("From: Ana <ana@example.ro>\r\nSender: list@example.ro\r\n"),
            Some(("ana@example.ro".into(), Some("Ana".into())))
        );
    }

    #[test]
    fn without_from_sender_then_reply_to_then_return_path() {
        assert_eq!(
            read("Sender: s@example.ro\r\nReply-To: r@example.ro\r\n")
                .unwrap()
                .0,
            "s@example.ro"
        );
        assert_eq!(
            read("Reply-To: r@example.ro\r\nReturn-Path: <p@example.ro>\r\n")
                .unwrap()
                .0,
            "r@example.ro"
        );
        assert_eq!(
            read("Return-Path: <p@example.ro>\r\n").unwrap().0,
            "p@example.ro"
        );
        assert_eq!(read("Return-Path: <>\r\n"), None);
    }

    #[test]
    fn a_trailing_dot_is_dropped() {
        assert_eq!(
            read("From: ana@example.ro.\r\n").unwrap().0,
            "ana@example.ro"
        );
    }

    #[test]
    fn an_empty_first_address_is_skipped() {
        assert_eq!(
            read("From: <>, Ana <ana@example.ro>\r\n").unwrap().0,
            "ana@example.ro"
        );
    }

    #[test]
    fn a_display_name_without_brackets_is_accepted() {
        let (email, name) = read("From: Ana Pop ana@example.ro\r\n").unwrap();
        assert_eq!(email, "ana@example.ro");
        assert_eq!(name.as_deref(), Some("Ana Pop"));
    }
}
