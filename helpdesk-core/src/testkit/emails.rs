//! The inbound e-mail corpus: real-shaped raw mails (CRLF, 8-bit charsets, MIME), one per
//! case the desk must handle, for tests of [`crate::mail::parse_inbound`] and of mail
//! ingestion in the service and the backends.
//!
//! The files live in `helpdesk-core/tests/emails/` and are written for this project. Some
//! cases, by name:
//!
//! - `new_ticket_plain` / `duplicate_new_ticket`: a new ticket in UTF-8, and the same mail
//!   (same Message-ID) delivered twice;
//! - `reply_in_reply_to`: a reply threaded to the desk's Message-ID
//!   `0190c3e2a1b27c3d8e9f0a1b2c3d4e5f@desk.example`;
//! - `reply_subject_tag_only`: a reply found only by its subject tag `[#10000135]`;
//! - `stranger_quotes_tag`: somebody else using that tag;
//! - `auto_reply`, `precedence_bulk`, `bounce_delivery_status`: machine-sent mail;
//! - `missing_from`, `malformed_garbage`: input [`parse_inbound`](crate::mail::parse_inbound)
//!   refuses.

/// Every corpus mail, by name (the file name without `.eml`), sorted by name.
pub const EMAILS: &[(&str, &[u8])] = &[
    (
        "attachment_path_traversal",
        include_bytes!("../../tests/emails/attachment_path_traversal.eml"),
    ),
    (
        "attachments",
        include_bytes!("../../tests/emails/attachments.eml"),
    ),
    (
        "auto_reply",
        include_bytes!("../../tests/emails/auto_reply.eml"),
    ),
    (
        "base64_body",
        include_bytes!("../../tests/emails/base64_body.eml"),
    ),
    (
        "bounce_delivery_status",
        include_bytes!("../../tests/emails/bounce_delivery_status.eml"),
    ),
    (
        "cp1251_russian",
        include_bytes!("../../tests/emails/cp1251_russian.eml"),
    ),
    (
        "duplicate_new_ticket",
        include_bytes!("../../tests/emails/duplicate_new_ticket.eml"),
    ),
    (
        "encoded_words_latin2",
        include_bytes!("../../tests/emails/encoded_words_latin2.eml"),
    ),
    (
        "encoded_words_utf8",
        include_bytes!("../../tests/emails/encoded_words_utf8.eml"),
    ),
    (
        "html_only",
        include_bytes!("../../tests/emails/html_only.eml"),
    ),
    (
        "koi8r_russian",
        include_bytes!("../../tests/emails/koi8r_russian.eml"),
    ),
    (
        "malformed_garbage",
        include_bytes!("../../tests/emails/malformed_garbage.eml"),
    ),
    (
        "missing_from",
        include_bytes!("../../tests/emails/missing_from.eml"),
    ),
    (
        "multipart_alternative",
        include_bytes!("../../tests/emails/multipart_alternative.eml"),
    ),
    (
        "new_ticket_plain",
        include_bytes!("../../tests/emails/new_ticket_plain.eml"),
    ),
    (
        "outlook_reply",
        include_bytes!("../../tests/emails/outlook_reply.eml"),
    ),
    (
        "persian_utf8",
        include_bytes!("../../tests/emails/persian_utf8.eml"),
    ),
    (
        "precedence_bulk",
        include_bytes!("../../tests/emails/precedence_bulk.eml"),
    ),
    (
        "quoted_printable",
        include_bytes!("../../tests/emails/quoted_printable.eml"),
    ),
    (
        "reply_in_reply_to",
        include_bytes!("../../tests/emails/reply_in_reply_to.eml"),
    ),
    (
        "reply_subject_tag_only",
        include_bytes!("../../tests/emails/reply_subject_tag_only.eml"),
    ),
    (
        "stranger_quotes_tag",
        include_bytes!("../../tests/emails/stranger_quotes_tag.eml"),
    ),
];

/// The raw bytes of the corpus mail `name` (without `.eml`), if there is one.
///
/// ```
/// use helpdesk_core::testkit::emails::email;
/// assert!(email("reply_in_reply_to").is_some());
/// assert!(email("no_such_mail").is_none());
/// ```
pub fn email(name: &str) -> Option<&'static [u8]> {
    EMAILS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, bytes)| *bytes)
}
