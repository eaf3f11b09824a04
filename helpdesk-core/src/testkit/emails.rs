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
//! - `loop_*`, `out_of_office_*`, `bounce_*`, `feedback_report`: automatic mail and bounces
//!   by the header, sender and subject forms other desks send (X-Loop, X-OTRS-Loop,
//!   Exchange and Zimbra out-of-office, a bare `MAILER-DAEMON`, a postmaster's notice, a
//!   spam complaint); `list_id`: mailing-list mail;
//! - `sender_*`: senders only a lenient reading finds (no From, only Reply-To, a trailing
//!   dot, an empty first address, a display name without brackets);
//! - `eightbit_no_charset_*`: 8-bit text that declares no charset (windows-1251, KOI8-R);
//!   `cjk_*`: GB2312, Big5, Shift_JIS and EUC-KR text with RFC 2231/2047 file names in the
//!   same charset; `uuencoded`: a file uuencoded in the text; `smime_signed`: an S/MIME
//!   signature, which is no attachment.

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
        "bounce_bare_mailer_daemon",
        include_bytes!("../../tests/emails/bounce_bare_mailer_daemon.eml"),
    ),
    (
        "bounce_delivery_status",
        include_bytes!("../../tests/emails/bounce_delivery_status.eml"),
    ),
    (
        "bounce_postmaster_text",
        include_bytes!("../../tests/emails/bounce_postmaster_text.eml"),
    ),
    (
        "cjk_big5",
        include_bytes!("../../tests/emails/cjk_big5.eml"),
    ),
    (
        "cjk_euc_kr",
        include_bytes!("../../tests/emails/cjk_euc_kr.eml"),
    ),
    (
        "cjk_gb2312",
        include_bytes!("../../tests/emails/cjk_gb2312.eml"),
    ),
    (
        "cjk_shift_jis",
        include_bytes!("../../tests/emails/cjk_shift_jis.eml"),
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
        "eightbit_no_charset_cp1251",
        include_bytes!("../../tests/emails/eightbit_no_charset_cp1251.eml"),
    ),
    (
        "eightbit_no_charset_koi8r",
        include_bytes!("../../tests/emails/eightbit_no_charset_koi8r.eml"),
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
        "feedback_report",
        include_bytes!("../../tests/emails/feedback_report.eml"),
    ),
    (
        "html_only",
        include_bytes!("../../tests/emails/html_only.eml"),
    ),
    (
        "koi8r_russian",
        include_bytes!("../../tests/emails/koi8r_russian.eml"),
    ),
    ("list_id", include_bytes!("../../tests/emails/list_id.eml")),
    (
        "loop_otrs",
        include_bytes!("../../tests/emails/loop_otrs.eml"),
    ),
    (
        "loop_x_loop",
        include_bytes!("../../tests/emails/loop_x_loop.eml"),
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
        "out_of_office_exchange",
        include_bytes!("../../tests/emails/out_of_office_exchange.eml"),
    ),
    (
        "out_of_office_zimbra",
        include_bytes!("../../tests/emails/out_of_office_zimbra.eml"),
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
        "sender_empty_first",
        include_bytes!("../../tests/emails/sender_empty_first.eml"),
    ),
    (
        "sender_no_brackets",
        include_bytes!("../../tests/emails/sender_no_brackets.eml"),
    ),
    (
        "sender_no_from",
        include_bytes!("../../tests/emails/sender_no_from.eml"),
    ),
    (
        "sender_reply_to_only",
        include_bytes!("../../tests/emails/sender_reply_to_only.eml"),
    ),
    (
        "sender_trailing_dot",
        include_bytes!("../../tests/emails/sender_trailing_dot.eml"),
    ),
    (
        "smime_signed",
        include_bytes!("../../tests/emails/smime_signed.eml"),
    ),
    (
        "stranger_quotes_tag",
        include_bytes!("../../tests/emails/stranger_quotes_tag.eml"),
    ),
    (
        "uuencoded",
        include_bytes!("../../tests/emails/uuencoded.eml"),
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
