//! Parsing one inbound e-mail into what the desk needs: who wrote, the threading headers,
//! the subject, the new text and the attached files.

use chrono::{DateTime, Utc};
use mail_parser::decoders::html::html_to_text;
use mail_parser::{HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType};

use super::class::{MailClass, addrs, classify_message};
use super::decode::{declares_charset, guess_charset, take_uuencoded, transfer_decoded};
use super::message_id::normalise_message_id;
use super::quotes::strip_quoted;
use super::sender::lenient_address;
use crate::domain::{Email, sanitize_file_name};
use crate::error::{Error, Result};

/// An inbound e-mail, decoded: MIME, transfer encodings (quoted-printable, base64), RFC 2047
/// encoded words, RFC 2231 parameters and charsets (UTF-8, ISO-8859-*, KOI8-R, windows-125x,
/// …) are all undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundEmail {
    /// The `Message-ID`, normalised by [`normalise_message_id`]; `None` when missing or
    /// unusable.
    pub message_id: Option<String>,
    /// The `In-Reply-To` ids, normalised, without repeats.
    pub in_reply_to: Vec<String>,
    /// The `References` ids, normalised, in order, without repeats.
    pub references: Vec<String>,
    /// The sender (`From`), lower-cased by [`Email::parse`].
    pub from: Email,
    /// The sender's display name, decoded; `None` when missing or just the address again.
    pub from_name: Option<String>,
    /// The subject, decoded and trimmed (empty when missing); `Re:`/`Fwd:` prefixes and tags
    /// are kept.
    pub subject: String,
    /// The new text of the mail: [`full_text`](Self::full_text) with the quoted earlier mail
    /// and the signature removed by [`strip_quoted`]. When that would leave nothing (a mail
    /// that is all quotation, or a forward without a comment), the full text.
    pub text: String,
    /// The whole body as text, trimmed, lines ending in `\n` (signature and quotation kept,
    /// line by line as sent): the `text/plain` body parts
    /// (joined by a blank line), or the `text/html` ones converted to text when there is no
    /// plain text.
    pub full_text: String,
    /// The attached files, and the inline parts that are not body text (pictures, nested
    /// mails, delivery reports), in the order of the mail, then the files found uuencoded in
    /// the text. Signatures (S/MIME, PGP) and HTML renderings of the text are not among
    /// them.
    pub attachments: Vec<InboundAttachment>,
    /// What kind of mail it is, see [`MailClass`] (without the desk's own addresses, which
    /// only the service knows).
    pub class: MailClass,
    /// The charset guessed for 8-bit text that declared none (an `encoding_rs` name such as
    /// `windows-1251`); `None` when nothing had to be guessed.
    pub charset_guess: Option<String>,
    /// The `Date`, when present and valid.
    pub date: Option<DateTime<Utc>>,
    /// Whom it was sent to, in order and without repeats: the envelope recipients a mail
    /// server adds (`Delivered-To`, `X-Original-To`, `Envelope-To`), then `To` and `Cc`.
    pub recipients: Vec<Email>,
    /// The `Cc` addresses, read leniently, in order and without repeats.
    pub cc: Vec<Email>,
}

/// A file that came with an inbound e-mail.
#[derive(Clone, PartialEq, Eq)]
pub struct InboundAttachment {
    /// A safe file name made by [`sanitize_file_name`]: no path (`../../etc/passwd` becomes
    /// `passwd`), no control characters, at most 255 characters. A part without a name is
    /// called `attachment` with an extension for its type (`attachment.png`).
    pub file_name: String,
    /// The name as the sender gave it, decoded, without control characters (for display
    /// only, never as a path); the safe name when none was given.
    pub original_name: String,
    /// The content type, lower-case `type/subtype` (`application/octet-stream` when missing
    /// or malformed); it passes [`Attachment::new`](crate::domain::Attachment::new).
    pub content_type: String,
    /// The content as sent: transfer encoding undone, byte for byte otherwise (a text file
    /// keeps its charset).
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for InboundAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboundAttachment")
            .field("file_name", &self.file_name)
            .field("original_name", &self.original_name)
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("[{} bytes]", self.bytes.len()))
            .finish()
    }
}

/// Parses a raw inbound e-mail (RFC 5322 with MIME, as received: CRLF or LF line ends,
/// 8-bit bytes allowed). Never panics, whatever the bytes.
///
/// # Errors
///
/// [`Error::Validation`] on field `email` when the bytes are not an e-mail message (no
/// header at all), and on field `from` when no sender can be read: `From`, `Sender`,
/// `Reply-To` and `Return-Path` are read in turn, leniently (see
/// [`sender`](super::sender)).
///
/// ```
/// use helpdesk_core::mail::parse_inbound;
///
/// let raw = b"From: =?UTF-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <Ivan@Example.com>\r\n\
/// To: support@desk.example\r\n\
/// Subject: Re: [#10000135] =?UTF-8?Q?=D0=9D=D0=B5=D1=82_=D0=B8=D0=BD=D1=82=D0=B5=D1=80=D0=BD=D0=B5=D1=82=D0=B0?=\r\n\
/// Message-ID: <abc@mail.example.com>\r\n\
/// In-Reply-To: <0190c3e2@desk.example>\r\n\
/// Content-Type: text/plain; charset=utf-8\r\n\
/// \r\n\
/// Still down.\r\n\
/// \r\n\
/// On Mon, 5 Jan 2026, Support <support@desk.example> wrote:\r\n\
/// > Please restart the router.\r\n";
///
/// let mail = parse_inbound(raw).unwrap();
/// assert_eq!(mail.from.as_str(), "ivan@example.com");
/// assert_eq!(mail.from_name.as_deref(), Some("Иван Петров"));
/// assert_eq!(mail.subject, "Re: [#10000135] Нет интернета");
/// assert_eq!(mail.message_id.as_deref(), Some("abc@mail.example.com"));
/// assert_eq!(mail.in_reply_to, vec!["0190c3e2@desk.example"]);
/// assert_eq!(mail.text, "Still down.");
/// assert!(mail.full_text.ends_with("> Please restart the router."));
/// assert_eq!(mail.class, helpdesk_core::mail::MailClass::Person);
///
/// assert!(parse_inbound(b"\x00\x01 not a mail").is_err());
/// ```
pub fn parse_inbound(raw: &[u8]) -> Result<InboundEmail> {
    let not_a_mail = || Error::validation("email", "the input is not an e-mail message");
    let message = MessageParser::default().parse(raw).ok_or_else(not_a_mail)?;
    if message.headers().is_empty() {
        return Err(not_a_mail());
    }

    let (from, from_name) = sender(&message)?;
    let (full_text, charset_guess) = body_text(&message);
    let (full_text, uu_files) = take_uuencoded(&full_text);
    let stripped = strip_quoted(&full_text);
    let text = if stripped.is_empty() {
        full_text.clone()
    } else {
        stripped
    };

    Ok(InboundEmail {
        message_id: message.message_id().and_then(normalise_message_id),
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        class: classify_message(&message, &[]),
        charset_guess: charset_guess.map(str::to_owned),
        from,
        from_name,
        subject: message.subject().map(one_line).unwrap_or_default(),
        text,
        full_text,
        attachments: attachments(&message)
            .into_iter()
            .chain(uu_files.into_iter().map(|f| {
                let file_name = sanitize_file_name(&f.name);
                InboundAttachment {
                    original_name: f.name,
                    file_name,
                    content_type: "application/octet-stream".to_owned(),
                    bytes: f.bytes,
                }
            }))
            .collect(),
        date: message
            .date()
            .filter(|d| d.is_valid())
            .and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0)),
        recipients: recipients(&message),
        cc: copied(&message),
    })
}

/// The envelope recipients, then the `To` and `Cc` addresses, read leniently, without
/// repeats.
fn recipients(message: &Message<'_>) -> Vec<Email> {
    let mut found: Vec<Email> = Vec::new();
    let mut push = |email: Option<Email>| {
        if let Some(email) = email
            && !found.contains(&email)
        {
            found.push(email);
        }
    };
    for (name, value) in message.headers_raw() {
        if ["Delivered-To", "X-Original-To", "Envelope-To"]
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h))
        {
            for word in value.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';')) {
                push(lenient_address(word));
            }
        }
    }
    for address in [message.to(), message.cc()].into_iter().flatten() {
        for addr in addrs(address) {
            push(addr.address().and_then(lenient_address));
        }
    }
    found
}

/// The `Cc` addresses, read leniently, without repeats.
fn copied(message: &Message<'_>) -> Vec<Email> {
    let mut found: Vec<Email> = Vec::new();
    for addr in message.cc().map(addrs).into_iter().flatten() {
        if let Some(email) = addr.address().and_then(lenient_address)
            && !found.contains(&email)
        {
            found.push(email);
        }
    }
    found
}

/// The sender, read leniently (see [`sender`](super::sender)), and its display name.
fn sender(message: &Message<'_>) -> Result<(Email, Option<String>)> {
    let (from, name) = super::sender::sender(message).ok_or_else(|| {
        Error::validation(
            "from",
            "the message has no usable sender (From, Sender, Reply-To, Return-Path)",
        )
    })?;
    let name = name
        .map(|n| one_line(&n))
        .map(|n| n.trim_matches(|c| c == '"' || c == '\'').trim().to_owned())
        .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(from.as_str()));
    Ok((from, name))
}

/// A header value on one line: control characters become spaces, runs of white space one
/// space, trimmed.
fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The normalised ids of an `In-Reply-To` or `References` header, without repeats.
fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    let raw: Vec<&str> = match value {
        HeaderValue::Text(id) => vec![id.as_ref()],
        HeaderValue::TextList(list) => list.iter().map(|id| id.as_ref()).collect(),
        _ => Vec::new(),
    };
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for id in raw.into_iter().filter_map(normalise_message_id) {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// The body as text: the plain-text body parts, or the HTML ones converted when there is no
/// plain text; and the charset guessed for 8-bit text that declared none.
fn body_text(message: &Message<'_>) -> (String, Option<&'static str>) {
    let mut guess = None;
    let mut text_of = |part: &MessagePart<'_>| -> Option<String> {
        match &part.body {
            PartType::Text(text) => {
                if !declares_charset(part)
                    && let Some((name, decoded)) =
                        transfer_decoded(message, part).and_then(|b| guess_charset(&b))
                {
                    guess = Some(name);
                    return Some(decoded);
                }
                Some(text.to_string())
            }
            PartType::Html(html) => Some(html_to_text(html)),
            _ => None,
        }
    };
    let mut texts: Vec<String> = Vec::new();
    for part in (message.text_body.iter()).filter_map(|&id| message.parts.get(id as usize)) {
        if let Some(t) = text_of(part).filter(|t| !t.trim().is_empty()) {
            texts.push(t);
        }
    }
    if texts.is_empty() {
        for part in (message.html_body.iter()).filter_map(|&id| message.parts.get(id as usize)) {
            if let Some(t) = text_of(part) {
                texts.push(t);
            }
        }
    }
    if texts.is_empty() {
        // Broken MIME: a multipart whose parts could not be found is a leaf; its undivided
        // body is the text.
        for part in &message.parts {
            let multipart_leaf = !matches!(part.body, PartType::Multipart(_))
                && part
                    .content_type()
                    .is_some_and(|ct| ct.c_type.eq_ignore_ascii_case("multipart"));
            if multipart_leaf && let Some(bytes) = transfer_decoded(message, part) {
                texts.push(String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    let joined = texts
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let text = joined
        .lines()
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned();
    (text, guess)
}

/// The attachments and inline non-body parts, in order.
fn attachments(message: &Message<'_>) -> Vec<InboundAttachment> {
    message
        .attachments
        .iter()
        .filter_map(|&id| {
            let part = message.parts.get(id as usize)?;
            // Text and HTML parts that are the body are not files; inline pictures that
            // mail-parser also lists as body parts are.
            let body = message.text_body.contains(&id) || message.html_body.contains(&id);
            let text = matches!(part.body, PartType::Text(_) | PartType::Html(_));
            (!(body && text)).then_some(part)
        })
        .filter_map(|part| attachment(message, part))
        .collect()
}

/// Content types that sign a mail rather than being a file someone attached.
const SIGNATURES: [&str; 4] = [
    "application/pkcs7-signature",
    "application/x-pkcs7-signature",
    "application/pgp-signature",
    "application/pgp-keys",
];

fn attachment(message: &Message<'_>, part: &MessagePart<'_>) -> Option<InboundAttachment> {
    let bytes: Vec<u8> = match &part.body {
        PartType::Text(text) | PartType::Html(text) => {
            transfer_decoded(message, part).unwrap_or_else(|| text.as_bytes().to_vec())
        }
        PartType::Binary(bytes) | PartType::InlineBinary(bytes) => bytes.to_vec(),
        PartType::Message(nested) => nested.raw_message().to_vec(),
        PartType::Multipart(_) => return None,
    };
    let mut content_type = content_type(part);
    if SIGNATURES.contains(&content_type.as_str()) {
        return None;
    }
    if content_type == "text/html" && part.attachment_name().is_none() {
        // Another rendering of the text (a related or mixed part), not a file.
        return None;
    }
    if content_type.starts_with("multipart/") {
        // Broken MIME: a multipart whose parts could not be found is a leaf; its bytes are
        // the undivided body, kept as text.
        content_type = "text/plain".to_owned();
    }
    let given: Option<String> = part
        .attachment_name()
        .map(|n| n.chars().filter(|c| !c.is_control()).collect::<String>())
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let file_name = match &given {
        Some(name) => sanitize_file_name(name),
        None => format!("attachment{}", extension(&content_type)),
    };
    Some(InboundAttachment {
        original_name: given.unwrap_or_else(|| file_name.clone()),
        file_name,
        content_type,
        bytes,
    })
}

/// The part's `type/subtype`, lower-case, or a default by its kind.
fn content_type(part: &MessagePart<'_>) -> String {
    let fallback = match part.body {
        PartType::Text(_) => "text/plain",
        PartType::Html(_) => "text/html",
        PartType::Message(_) => "message/rfc822",
        _ => "application/octet-stream",
    };
    let Some(ct) = part.content_type() else {
        return fallback.to_owned();
    };
    let full = match ct.c_subtype.as_deref() {
        Some(sub) => format!("{}/{}", ct.c_type.trim(), sub.trim()),
        None => return fallback.to_owned(),
    }
    .to_ascii_lowercase();
    let valid = full.len() <= 127
        && full.split_once('/').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && !b.contains('/')
                && full
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"/+-.".contains(&c))
        });
    if valid { full } else { fallback.to_owned() }
}

/// A file extension for an unnamed part of `content_type`.
fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        "application/pdf" => ".pdf",
        "text/plain" => ".txt",
        "text/html" => ".html",
        "text/calendar" => ".ics",
        "message/rfc822" => ".eml",
        "message/delivery-status" | "text/rfc822-headers" => ".txt",
        _ => "",
    }
}
