//! What an admin needs to recognise a mail the desk could not take in: its sender, subject
//! and Message-ID, each only when it can be read.

use mail_parser::MessageParser;

use super::message_id::normalise_message_id;
use super::sender::sender;
use crate::store::MailSummary;

/// The sender, subject and Message-ID of `raw`, as far as they can be read.
///
/// ```
/// let s = helpdesk_core::mail::summarize(b"From: Ann <ann@example.com>\r\nSubject: Hi\r\nMessage-ID: <a@b>\r\n\r\nx");
/// assert_eq!(s.sender.as_deref(), Some("ann@example.com"));
/// assert_eq!(s.subject.as_deref(), Some("Hi"));
/// assert_eq!(s.message_id.as_deref(), Some("a@b"));
/// assert_eq!(helpdesk_core::mail::summarize(b"\x00"), Default::default());
/// ```
pub fn summarize(raw: &[u8]) -> MailSummary {
    let Some(message) = MessageParser::default().parse(raw) else {
        return MailSummary::default();
    };
    MailSummary {
        sender: sender(&message).map(|(email, _)| email.to_string()),
        subject: message.subject().map(|s| s.chars().take(500).collect()),
        message_id: message.message_id().and_then(normalise_message_id),
    }
}
