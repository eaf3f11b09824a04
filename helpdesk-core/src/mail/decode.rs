//! Bytes of a MIME part as sent: transfer encodings undone but no charset conversion (for
//! files stored byte-exact), the charset of 8-bit text that declares none guessed
//! (`chardetng`, decoded with `encoding_rs`), and uuencoded files found in text bodies.

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Encoding, Message, MessagePart, MimeHeaders};

/// The body of `part` of `message` with its transfer encoding (base64, quoted-printable)
/// undone and nothing else changed; `None` when the offsets do not fit the message or the
/// encoding is broken.
pub(crate) fn transfer_decoded(message: &Message<'_>, part: &MessagePart<'_>) -> Option<Vec<u8>> {
    let raw = message.raw_message();
    let body = raw.get(part.offset_body as usize..part.offset_end as usize)?;
    match part.encoding {
        Encoding::Base64 => base64_decode(body),
        Encoding::QuotedPrintable => quoted_printable_decode(body),
        Encoding::None => {
            // The line break before the next boundary belongs to the boundary (RFC 2046).
            let body = body.strip_suffix(b"\n").unwrap_or(body);
            let body = body.strip_suffix(b"\r").unwrap_or(body);
            Some(body.to_vec())
        }
    }
}

/// Whether a text part declares a charset (`Content-Type: …; charset=`).
pub(crate) fn declares_charset(part: &MessagePart<'_>) -> bool {
    part.content_type()
        .and_then(|ct| ct.attribute("charset"))
        .is_some_and(|c| !c.trim().is_empty())
}

/// 8-bit text with no declared charset: when `bytes` are not UTF-8, the guessed encoding's
/// name and the text decoded with it; `None` when they are ASCII or UTF-8 (nothing to
/// guess).
///
/// ```
/// // "Привет, мир" in windows-1251, sent without a charset.
/// let bytes = b"\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0! \xcd\xe5\xf2 \xe8\xed\xf2\xe5\xf0\xed\xe5\xf2\xe0.";
/// let (name, text) = helpdesk_core::mail::decode::guess_charset(bytes).unwrap();
/// assert_eq!(name, "windows-1251");
/// assert_eq!(text, "Привет, мир! Нет интернета.");
/// assert_eq!(helpdesk_core::mail::decode::guess_charset(b"plain ascii"), None);
/// ```
pub fn guess_charset(bytes: &[u8]) -> Option<(&'static str, String)> {
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(None, true);
    let (text, _, _) = encoding.decode(bytes);
    Some((encoding.name(), text.into_owned()))
}

/// A file found uuencoded in a text body (`begin 644 name` … `end`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UuFile {
    /// The name given on the `begin` line.
    pub name: String,
    /// The decoded content.
    pub bytes: Vec<u8>,
}

/// Takes the uuencoded files out of `text`: the text without them, and the files. A block
/// that does not decode cleanly stays in the text as it was.
///
/// Written here because no well-kept crate decodes the format; it is the historic
/// `uuencode(1)` one: a length character (`' ' + n`), then groups of four characters of six
/// bits each (`' '` or `` ` `` for zero).
///
/// ```
/// use helpdesk_core::mail::decode::take_uuencoded;
/// let text = "See the file.\nbegin 644 hi.txt\n#:&D*\n`\nend\nThanks";
/// let (rest, files) = take_uuencoded(text);
/// assert_eq!(rest, "See the file.\nThanks");
/// assert_eq!(files[0].name, "hi.txt");
/// assert_eq!(files[0].bytes, b"hi\n");
/// ```
pub fn take_uuencoded(text: &str) -> (String, Vec<UuFile>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    let mut files = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some(name) = begin_line(lines[i])
            && let Some((bytes, end)) = uu_block(&lines[i + 1..])
        {
            files.push(UuFile {
                name: name.to_owned(),
                bytes,
            });
            i += end + 2;
            continue;
        }
        kept.push(lines[i]);
        i += 1;
    }
    if files.is_empty() {
        return (text.to_owned(), files);
    }
    (kept.join("\n"), files)
}

/// The file name of a `begin <mode> <name>` line.
fn begin_line(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("begin ")?;
    let (mode, name) = rest.split_once(' ')?;
    let octal =
        !mode.is_empty() && mode.len() <= 4 && mode.bytes().all(|b| (b'0'..=b'7').contains(&b));
    let name = name.trim();
    (octal && !name.is_empty()).then_some(name)
}

/// The decoded lines up to `end`, and the index of the `end` line.
fn uu_block(lines: &[&str]) -> Option<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim_end_matches('\r');
        if line == "end" {
            return Some((out, i));
        }
        let bytes = line.as_bytes();
        let Some(&first) = bytes.first() else {
            continue;
        };
        let n = six(first)? as usize;
        let chars = &bytes[1..];
        let mut decoded = Vec::with_capacity(n + 2);
        for group in chars.chunks(4) {
            let mut v = [0u8; 4];
            for (k, &c) in group.iter().enumerate() {
                v[k] = six(c)?;
            }
            decoded.push((v[0] << 2) | (v[1] >> 4));
            decoded.push((v[1] << 4) | (v[2] >> 2));
            decoded.push((v[2] << 6) | v[3]);
        }
        if decoded.len() < n {
            return None;
        }
        decoded.truncate(n);
        out.extend(decoded);
    }
    None
}

/// The six bits one uuencoded character stands for.
fn six(c: u8) -> Option<u8> {
    match c {
        b'`' => Some(0),
        b' '..=b'_' => Some((c - b' ') & 0x3f),
        _ => None,
    }
}
