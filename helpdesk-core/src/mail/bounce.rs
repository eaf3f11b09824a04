//! What a bounce says: which mail it returns (the Message-IDs it quotes) and which
//! addresses failed with what status, read from the delivery-status report (RFC 3464) or,
//! for a plain-text notice, from the returned headers.

use mail_parser::{MessageParser, MimeHeaders, PartType};

use super::decode::transfer_decoded;
use super::message_id::normalise_message_id;

/// A bounce, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BounceReport {
    /// The Message-IDs the bounce names: its `In-Reply-To` and `References`, the returned
    /// message's or headers' `Message-ID`, and any `Message-ID:` line quoted in its text; in
    /// that order, without repeats.
    pub returned_ids: Vec<String>,
    /// The recipients that failed, with the status the report gives.
    pub failed: Vec<FailedRecipient>,
    /// The addresses the bounce itself was sent to, as its `To`, `Delivered-To`,
    /// `X-Original-To` and `Envelope-To` headers name them (where a VERP address shows,
    /// see [`verp`](super::verp)), lower-case, without repeats.
    pub sent_to: Vec<String>,
}

/// One recipient a delivery-status report names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedRecipient {
    /// The address (`Final-Recipient`, else `Original-Recipient`), as written.
    pub address: String,
    /// The `Action` (`failed`, `delayed`, …), lower-case; `None` when missing.
    pub action: Option<String>,
    /// The `Status` (`5.1.1`); `None` when missing.
    pub status: Option<String>,
    /// The `Diagnostic-Code`, when given.
    pub diagnostic: Option<String>,
}

impl FailedRecipient {
    /// Whether delivery failed for good: a status of class 5 (`5.1.1`), or the action
    /// `failed` when no status is given. A delay or a temporary failure (`4.x.x`,
    /// `delayed`) is not.
    ///
    /// ```
    /// use helpdesk_core::mail::bounce::FailedRecipient;
    /// let r = |action: Option<&str>, status: Option<&str>| FailedRecipient {
    ///     address: "ana@example.ro".into(),
    ///     action: action.map(Into::into),
    ///     status: status.map(Into::into),
    ///     diagnostic: None,
    /// };
    /// assert!(r(Some("failed"), Some("5.1.1")).is_permanent());
    /// assert!(r(None, Some("5.2.2")).is_permanent());
    /// assert!(r(Some("failed"), None).is_permanent());
    /// assert!(!r(Some("delayed"), Some("4.4.1")).is_permanent());
    /// assert!(!r(Some("failed"), Some("4.4.7")).is_permanent());
    /// assert!(!r(Some("delayed"), None).is_permanent());
    /// assert!(!r(None, None).is_permanent());
    /// ```
    pub fn is_permanent(&self) -> bool {
        match &self.status {
            Some(status) => status.trim().starts_with("5."),
            None => self.action.as_deref() == Some("failed"),
        }
    }
}

/// Reads a bounce (any bytes; a mail that is no bounce gives an empty report).
///
/// ```
/// let raw = b"From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered Mail\r\n\
/// Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
/// --B\r\nContent-Type: text/plain\r\n\r\nNo luck.\r\n\
/// --B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n\
/// Final-Recipient: rfc822; ana@example.ro\r\nAction: failed\r\nStatus: 5.1.1\r\n\
/// Diagnostic-Code: smtp; 550 User unknown\r\n\r\n\
/// --B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <hd.1@desk.example>\r\n\r\n--B--\r\n";
/// let report = helpdesk_core::mail::bounce::read_bounce(raw);
/// assert_eq!(report.returned_ids, vec!["hd.1@desk.example"]);
/// assert_eq!(report.failed[0].address, "ana@example.ro");
/// assert_eq!(report.failed[0].status.as_deref(), Some("5.1.1"));
/// assert_eq!(report.failed[0].action.as_deref(), Some("failed"));
/// assert_eq!(report.failed[0].diagnostic.as_deref(), Some("smtp; 550 User unknown"));
/// ```
pub fn read_bounce(raw: &[u8]) -> BounceReport {
    let mut report = BounceReport::default();
    let Some(message) = MessageParser::default().parse(raw) else {
        return report;
    };
    let mut ids: Vec<String> = Vec::new();
    let mut push = |id: Option<String>| {
        if let Some(id) = id
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    };
    for value in [message.in_reply_to(), message.references()] {
        for id in value.as_text_list().unwrap_or_default() {
            push(normalise_message_id(id));
        }
    }
    for part in message.parts.iter().skip(1) {
        match &part.body {
            PartType::Message(nested) => {
                push(nested.message_id().and_then(normalise_message_id));
            }
            PartType::Multipart(_) => {}
            _ => {
                let Some(bytes) = transfer_decoded(&message, part) else {
                    continue;
                };
                let text = String::from_utf8_lossy(&bytes);
                let is_status = part.content_type().is_some_and(|ct| {
                    ct.c_type.eq_ignore_ascii_case("message")
                        && ct.c_subtype.as_deref().is_some_and(|s| {
                            s.eq_ignore_ascii_case("delivery-status")
                                || s.eq_ignore_ascii_case("global-delivery-status")
                        })
                });
                if is_status {
                    report.failed.extend(recipients(&text));
                }
                for id in quoted_ids(&text) {
                    push(Some(id));
                }
            }
        }
    }
    if message.parts.len() <= 1 {
        // A plain-text notice quoting the returned headers in its body.
        let body = raw
            .get(message.root_part().offset_body as usize..)
            .unwrap_or_default();
        for id in quoted_ids(&String::from_utf8_lossy(body)) {
            push(Some(id));
        }
    }
    report.returned_ids = ids;
    report.sent_to = sent_to(&message);
    report
}

/// The headers that name where a mail was delivered.
const DELIVERY_HEADERS: [&str; 4] = ["to", "delivered-to", "x-original-to", "envelope-to"];

/// The addresses of the message's delivery headers ([`DELIVERY_HEADERS`]).
fn sent_to(message: &mail_parser::Message<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (name, value) in message.headers_raw() {
        if !DELIVERY_HEADERS
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h))
        {
            continue;
        }
        for item in value.split(',') {
            let address = match (item.find('<'), item.rfind('>')) {
                (Some(open), Some(close)) if open < close => &item[open + 1..close],
                _ => item,
            };
            let address = address.trim().to_ascii_lowercase();
            if address.contains('@') && !out.contains(&address) {
                out.push(address);
            }
        }
    }
    out
}

/// The `Message-ID:` lines of a text (quoted headers), normalised.
fn quoted_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim_start_matches(['>', ' ', '\t']);
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("message-id")
                .then(|| normalise_message_id(value))
                .flatten()
        })
        .collect()
}

/// The per-recipient fields of a `message/delivery-status` body.
fn recipients(text: &str) -> Vec<FailedRecipient> {
    let mut out = Vec::new();
    let unfolded = text.replace("\r\n", "\n");
    for group in unfolded.split("\n\n") {
        let mut final_recipient = None;
        let mut original = None;
        let mut action = None;
        let mut status = None;
        let mut diagnostic = None;
        for line in group.lines() {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim().to_owned();
            match name.trim().to_ascii_lowercase().as_str() {
                "final-recipient" => final_recipient = Some(address_of(&value)),
                "original-recipient" => original = Some(address_of(&value)),
                "action" => action = Some(value.to_ascii_lowercase()),
                "status" => status = Some(value),
                "diagnostic-code" => diagnostic = Some(value),
                _ => {}
            }
        }
        if let Some(address) = final_recipient.or(original) {
            out.push(FailedRecipient {
                address,
                action,
                status,
                diagnostic,
            });
        }
    }
    out
}

/// The address of a `type; address` field.
fn address_of(value: &str) -> String {
    let address = value.split_once(';').map_or(value, |(_, a)| a);
    address.trim().trim_matches(['<', '>']).to_owned()
}
