//! The ticket-number tag the desk puts in every subject (`[#10000135]`), and finding it again
//! in the subject of a reply.

use crate::domain::ascii_digit;

/// The longest run of digits accepted as a ticket number in a tag.
const MAX_TAG_DIGITS: usize = 32;

/// The tag for a ticket number: `[#` number `]`, which every subject the desk sends carries
/// (see [`render::render_email`](crate::render::render_email)).
///
/// ```
/// assert_eq!(helpdesk_core::mail::tag::tag("10000135"), "[#10000135]");
/// ```
pub fn tag(number: &str) -> String {
    format!("[#{number}]")
}

/// The ticket numbers tagged in a subject, in order of appearance and without repeats.
///
/// A tag is `[#`, then 1 to 32 digits, then `]`; white space is allowed around the digits.
/// Persian (`۰`–`۹`) and Arabic-Indic digits count as the same ASCII digits, so a number a
/// customer typed in Persian is found too. Anything else between the brackets (letters, `-`,
/// a missing `#`) is not a tag.
///
/// ```
/// use helpdesk_core::mail::tag::subject_tags;
/// assert_eq!(subject_tags("Re: [#10000135] Нет интернета"), vec!["10000135"]);
/// assert_eq!(
///     subject_tags("Fwd: [#2026010510000001] and [#۱۰۰۰۰۱۳۵]"),
///     vec!["2026010510000001", "10000135"]
/// );
/// assert!(subject_tags("Re: [10000135] no hash, [#12a] not digits").is_empty());
/// ```
pub fn subject_tags(subject: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let mut rest = subject;
    while let Some(start) = rest.find("[#") {
        rest = &rest[start + 2..];
        if let Some(number) = tag_number(rest)
            && !tags.contains(&number)
        {
            tags.push(number);
        }
    }
    tags
}

/// The digits of a tag whose `[#` was just consumed: `rest` must continue with digits (white
/// space around them allowed) and `]`. Reads at most a few dozen characters.
fn tag_number(rest: &str) -> Option<String> {
    let mut chars = rest.chars().skip_while(|c| c.is_whitespace()).peekable();
    let mut digits = String::new();
    while let Some(d) = chars.peek().and_then(|&c| ascii_digit(c)) {
        if digits.len() == MAX_TAG_DIGITS {
            return None;
        }
        digits.push(d);
        chars.next();
    }
    let closed = chars.find(|c| !c.is_whitespace()) == Some(']');
    (closed && !digits.is_empty()).then_some(digits)
}
