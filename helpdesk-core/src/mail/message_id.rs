//! Message-IDs as the desk stores them: without angle brackets or surrounding white space.

/// Normalises a Message-ID (or one entry of `In-Reply-To`/`References`) for storage and
/// look-up.
///
/// The rule: surrounding white space is trimmed, then one pair of enclosing angle brackets
/// (`<` … `>`, either may be missing) and the white space inside them. The result must have
/// a non-empty part on each side of an `@` and no white space, control characters, angle
/// brackets or further brackets inside; otherwise there is no usable id and the answer is
/// `None` (so an empty header, `<>`, or a bare word never threads a message). Case is kept as
/// it is: Message-IDs compare exactly.
///
/// ```
/// use helpdesk_core::mail::message_id::normalise_message_id;
/// assert_eq!(
///     normalise_message_id(" <CAF=x+1@mail.example.com>\r\n").as_deref(),
///     Some("CAF=x+1@mail.example.com")
/// );
/// assert_eq!(normalise_message_id("hd.1@desk.example").as_deref(), Some("hd.1@desk.example"));
/// assert_eq!(normalise_message_id("<>"), None);
/// assert_eq!(normalise_message_id("no-at-sign"), None);
/// ```
pub fn normalise_message_id(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = s.strip_prefix('<').unwrap_or(s);
    let s = s.strip_suffix('>').unwrap_or(s);
    let s = s.trim();
    let (left, right) = s.rsplit_once('@')?;
    let usable = !left.is_empty()
        && !right.is_empty()
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
    usable.then(|| s.to_owned())
}
