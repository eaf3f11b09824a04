//! Removing the quoted earlier mail from a reply, so that a ticket's thread shows what the
//! customer wrote this time and not the whole conversation again.
//!
//! The rules, in English, Romanian, Russian and Persian (and a few other common languages):
//!
//! - Everything from the first *cut line* on is removed. A cut line is
//!   - an attribution line such as `On Mon, 5 Jan 2026, Ana <ana@example.ro> wrote:`,
//!     `În data de 5 ian. 2026, Ana a scris:`, `05.01.2026 10:00, Иван пишет:`,
//!     `Иван написал(а):`, `… Ana <ana@example.com> نوشت:`, or Gmail's verb-less
//!     `пн, 5 янв. 2026 г. в 10:00, Иван <ivan@example.com>:`. It may be wrapped over up to
//!     three lines. To tell it from a sentence that happens to end in "wrote:", it must carry
//!     a digit or an `@`, and also an `@`, or start like an attribution (`On`, `Pe`, `În`,
//!     `La`, `Am`, `Le`, `در`, …), or be followed by a quoted (`>`) line;
//!   - an Outlook divider such as `-----Original Message-----`, `-----Mesaj original-----`,
//!     `-----Исходное сообщение-----`;
//!   - an Outlook header block: a `From:` line (`De:`, `От:`, `از:`, …) followed closely by a
//!     `Sent:`/`Date:` line and a `To:`/`Subject:` line, together with the `_____` rule
//!     Outlook draws above it. A header block under a "Forwarded message" divider is *kept*:
//!     a forwarded mail is new content for the desk, not an earlier reply;
//!   - a "reply above this line" marker;
//!   - the signature delimiter `-- ` (also without its trailing space): the signature is
//!     removed too. The unstripped body keeps it ([`InboundEmail::full_text`]).
//! - Then the quoted (`>`) and blank lines at the end are removed. Quoted lines *between*
//!   the customer's own lines (an interleaved answer) are kept, since the answer makes no
//!   sense without them.
//! - Trailing white space is removed from every line, lines end in `\n`, and the result is
//!   trimmed.
//!
//! [`strip_quoted`] is idempotent and never returns more than it was given.
//!
//! [`InboundEmail::full_text`]: super::InboundEmail::full_text

/// Endings of attribution lines, lower-case, with any space before the colon removed.
const WROTE: &[&str] = &[
    "wrote:",
    "writes:",
    "a scris:",
    "написал(а):",
    "написала:",
    "написал:",
    "пишет:",
    "написав(ла):",
    "написав:",
    "نوشت:",
    "نوشته:",
    "نوشته است:",
    "schrieb:",
    "a écrit:",
    "escribió:",
    "ha scritto:",
    "escreveu:",
    "schreef:",
    "napisał(a):",
    "napisał:",
    "yazdı:",
];

/// First words that open an attribution line (lower-case).
const OPENING_WORDS: &[&str] = &[
    "on", "pe", "în", "la", "am", "le", "el", "il", "em", "op", "در", "dne", "w",
];

/// The text between the dashes of an Outlook "original message" divider (lower-case).
const ORIGINAL_MESSAGE: &[&str] = &[
    "original message",
    "mesaj original",
    "mesajul original",
    "исходное сообщение",
    "оригинальное сообщение",
    "پیام اصلی",
    "ursprüngliche nachricht",
    "message d'origine",
    "mensaje original",
    "messaggio originale",
];

/// Words that mark a forwarded message (lower-case, found anywhere in the line).
const FORWARDED: &[&str] = &[
    "forwarded message",
    "пересланное сообщение",
    "mesaj redirecționat",
    "mesaj redirecţionat",
    "mesaj transmis",
    "پیام ارسال‌شده",
    "پیام هدایت‌شده",
    "پیام بازارسال",
    "weitergeleitete nachricht",
    "message transféré",
];

/// Markers a desk puts at the top of its mails (lower-case, found anywhere in the line).
const REPLY_ABOVE: &[&str] = &[
    "reply above this line",
    "write above this line",
    "răspundeți deasupra acestei linii",
    "ответьте выше этой строки",
    "пишите выше этой строки",
    "بالای این خط پاسخ دهید",
];

/// Header names that start an Outlook header block (lower-case, with the colon).
const FROM_KEYS: &[&str] = &[
    "from:", "de la:", "de:", "от:", "از:", "von:", "da:", "van:", "od:",
];

/// Header names for the date line of an Outlook header block.
const SENT_KEYS: &[&str] = &[
    "sent:",
    "date:",
    "trimis:",
    "data:",
    "отправлено:",
    "дата:",
    "ارسال:",
    "تاریخ:",
    "ارسال شده:",
    "gesendet:",
    "envoyé:",
    "enviado:",
    "inviato:",
    "verzonden:",
];

/// Header names for the recipient or subject lines of an Outlook header block.
const TO_SUBJECT_KEYS: &[&str] = &[
    "to:",
    "subject:",
    "către:",
    "catre:",
    "subiect:",
    "кому:",
    "тема:",
    "به:",
    "موضوع:",
    "an:",
    "betreff:",
    "à:",
    "objet:",
    "para:",
    "asunto:",
    "a:",
    "oggetto:",
    "aan:",
    "onderwerp:",
];

/// The reply without the quoted earlier mail under it (see the [module docs](self)).
///
/// ```
/// use helpdesk_core::mail::quotes::strip_quoted;
/// let reply = "Still broken.\r\n\r\nOn Mon, 5 Jan 2026, Ana <ana@example.ro> wrote:\r\n> Try again.\r\n";
/// assert_eq!(strip_quoted(reply), "Still broken.");
/// let ro = "Mulțumesc!\n\nÎn data de 5 ian. 2026, la 10:00, Suport a scris:\n> Gata.";
/// assert_eq!(strip_quoted(ro), "Mulțumesc!");
/// assert_eq!(strip_quoted("Спасибо\n\n05.01.2026 10:02, Иван написал(а):\n> Готово"), "Спасибо");
/// ```
pub fn strip_quoted(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let cut = (0..lines.len())
        .filter_map(|i| cut_at(&lines, i))
        .min()
        .unwrap_or(lines.len());
    let mut kept = &lines[..cut];
    while let Some((last, rest)) = kept.split_last() {
        let last = clean(last);
        if last.is_empty() || last.starts_with('>') {
            kept = rest;
        } else {
            break;
        }
    }
    let joined: Vec<&str> = kept.iter().map(|line| line.trim_end()).collect();
    joined.join("\n").trim().to_owned()
}

/// Where the text is cut if line `i` starts (or ends) a quotation.
fn cut_at(lines: &[&str], i: usize) -> Option<usize> {
    let line = clean(lines[i]);
    if line.is_empty() {
        return None;
    }
    if line == "--" || REPLY_ABOVE.iter().any(|m| line.contains(m)) || is_divider(&line) {
        return Some(i);
    }
    if is_header_block(lines, i) {
        return Some(above_rule(lines, i));
    }
    attribution(lines, i)
}

/// `-----Original Message-----` and its translations.
fn is_divider(line: &str) -> bool {
    let inner = line.trim_matches('-');
    line.starts_with("--") && line.ends_with("--") && ORIGINAL_MESSAGE.contains(&inner.trim())
}

/// A `From:` line followed by a `Sent:`/`Date:` line within 4 lines and a `To:`/`Subject:`
/// line within 6, not under a "Forwarded message" divider.
fn is_header_block(lines: &[&str], i: usize) -> bool {
    let starts_with_key = |line: &str, keys: &[&str]| {
        let line = clean(line);
        keys.iter().any(|k| line.starts_with(k))
    };
    if !starts_with_key(lines[i], FROM_KEYS) {
        return false;
    }
    let after = |n: usize| lines.iter().skip(i + 1).take(n);
    let has_sent = after(4).any(|l| starts_with_key(l, SENT_KEYS));
    let has_to = after(6).any(|l| starts_with_key(l, TO_SUBJECT_KEYS));
    let forwarded = lines[..i]
        .iter()
        .rev()
        .map(|l| clean(l))
        .filter(|l| !l.is_empty())
        .take(2)
        .any(|l| FORWARDED.iter().any(|m| l.contains(m)));
    has_sent && has_to && !forwarded
}

/// Line `i`, or the `_____` rule (and the blank line) just above it.
fn above_rule(lines: &[&str], i: usize) -> usize {
    let is_rule = |l: &str| {
        let l = clean(l);
        l.chars().count() >= 8 && l.chars().all(|c| c == '_' || c == '—' || c == '-')
    };
    match i {
        _ if i >= 1 && is_rule(lines[i - 1]) => i - 1,
        _ if i >= 2 && clean(lines[i - 1]).is_empty() && is_rule(lines[i - 2]) => i - 2,
        _ => i,
    }
}

/// An attribution ending at line `i`: where it starts.
fn attribution(lines: &[&str], i: usize) -> Option<usize> {
    let end = colon_normalised(&clean(lines[i]));
    let wrote = WROTE.iter().any(|m| end.ends_with(m));
    let address_colon = end.ends_with(">:") && end.contains('@');
    if !wrote && !address_colon {
        return None;
    }
    // The start: up to two lines above when the first of them opens an attribution, or the
    // line above when it leaves an address's `<` open.
    let opened = (i.saturating_sub(2)..i).find(|&j| {
        lines[j..i].iter().all(|l| !clean(l).is_empty()) && opens_attribution(&clean(lines[j]))
    });
    let start = opened.unwrap_or_else(|| {
        let previous = i.checked_sub(1).map(|j| clean(lines[j]));
        match previous {
            Some(p)
                if p.rfind('<')
                    .is_some_and(|lt| p.rfind('>').is_none_or(|gt| gt < lt)) =>
            {
                i - 1
            }
            _ => i,
        }
    });
    let joined = lines[start..=i]
        .iter()
        .map(|l| clean(l))
        .collect::<Vec<_>>()
        .join(" ");
    let has_at = joined.contains('@');
    let has_digit = joined.chars().any(char::is_numeric);
    let quoted_next = lines[i + 1..]
        .iter()
        .map(|l| clean(l))
        .find(|l| !l.is_empty())
        .is_some_and(|l| l.starts_with('>'));
    let evidence = if wrote {
        (has_digit || has_at) && (has_at || opens_attribution(&joined) || quoted_next)
    } else {
        has_digit && quoted_next
    };
    evidence.then_some(start)
}

/// Whether a (cleaned) line starts with a word that opens an attribution.
fn opens_attribution(line: &str) -> bool {
    line.split_whitespace()
        .next()
        .is_some_and(|w| OPENING_WORDS.contains(&w.trim_end_matches(',')))
}

/// `a écrit :` → `a écrit:`, `：` → `:`.
fn colon_normalised(line: &str) -> String {
    let line = line.replace('：', ":");
    match line.strip_suffix(':') {
        Some(body) => format!("{}:", body.trim_end()),
        None => line,
    }
}

/// The line trimmed, lower-cased, without bidirectional marks and with no-break spaces as
/// spaces: the form every rule reads.
fn clean(line: &str) -> String {
    line.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
            )
        })
        .map(|c| if c == '\u{00A0}' { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::strip_quoted;

    #[test]
    fn gmail_wrapped_attribution_is_removed_whole() {
        let text = "Merge acum.\n\nOn Mon, 5 Jan 2026 at 10:00, Ana Popescu <\nana@example.ro> wrote:\n\n> Vă rugăm să reporniți.\n";
        assert_eq!(strip_quoted(text), "Merge acum.");
    }

    #[test]
    fn a_sentence_ending_in_wrote_is_kept() {
        let text = "My colleague wrote:\nthe router is fine.\nThanks";
        assert_eq!(strip_quoted(text), text);
    }

    #[test]
    fn russian_gmail_without_a_verb() {
        let text = "Да, помогло.\n\nпн, 5 янв. 2026 г. в 10:00, Поддержка <support@desk.example>:\n\n> Перезагрузите роутер.";
        assert_eq!(strip_quoted(text), "Да, помогло.");
    }

    #[test]
    fn persian_attribution_with_bidi_marks() {
        let text = "ممنون، درست شد.\n\n\u{200F}در تاریخ دوشنبه ۵ ژانویه ۲۰۲۶ ساعت ۱۰:۰۰ پشتیبانی <support@desk.example> نوشت:\u{200F}\n> لطفاً مودم را خاموش و روشن کنید.";
        assert_eq!(strip_quoted(text), "ممنون، درست شد.");
    }

    #[test]
    fn outlook_header_block_and_rule() {
        let text = "It works.\r\n\r\n________________________________\r\nFrom: Support <support@desk.example>\r\nSent: Monday, January 5, 2026 10:00 AM\r\nTo: Ana <ana@example.ro>\r\nSubject: [#10000135] Internet\r\n\r\nPlease restart.";
        assert_eq!(strip_quoted(text), "It works.");
        let ru = "Спасибо\n\n-----Исходное сообщение-----\nОт: Поддержка\nОтправлено: 5 января\n";
        assert_eq!(strip_quoted(ru), "Спасибо");
    }

    #[test]
    fn romanian_and_persian_outlook_header_blocks() {
        let ro = "Mulțumesc.\n\nDe la: Suport <support@desk.example>\nTrimis: luni, 5 ianuarie 2026 10:02\nCătre: Ana\nSubiect: Factura\n\nBună ziua";
        assert_eq!(strip_quoted(ro), "Mulțumesc.");
        let fa = "ممنون\n\nاز: پشتیبانی <support@desk.example>\nارسال شده: دوشنبه\nبه: رضا\nموضوع: اینترنت\n\nسلام";
        assert_eq!(strip_quoted(fa), "ممنون");
    }

    #[test]
    fn forwarded_blocks_are_kept() {
        let text = "See below.\n\n---------- Forwarded message ---------\nFrom: Billing <billing@example.com>\nDate: Mon, 5 Jan 2026\nSubject: Invoice\nTo: me@example.com\n\nYour invoice is attached.";
        assert_eq!(strip_quoted(text), text);
    }

    #[test]
    fn interleaved_quotes_are_kept_trailing_ones_removed() {
        let text = "> Is the light green?\nNo, red.\n> Did you restart?\nYes.\n\n> Thanks\n>";
        assert_eq!(
            strip_quoted(text),
            "> Is the light green?\nNo, red.\n> Did you restart?\nYes."
        );
    }

    #[test]
    fn signature_is_removed() {
        assert_eq!(strip_quoted("Hello\n-- \nAna\n+40 721 000 000"), "Hello");
    }
}
