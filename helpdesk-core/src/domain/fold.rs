//! Text folding for search in the seeds' four languages (public as `search::fold` and
//! `search::words`; here, in the domain, because a tag's key is its folded text). One
//! function, used on both the indexed text and the query, by every backend, so that what is
//! typed finds what was written:
//!
//! - English and Romanian: case and diacritics are ignored both ways (`asistență` ⇄
//!   `asistenta`), including the old cedilla forms (`ţ`, `ş`) and decomposed text.
//! - Russian: case is ignored and `ё` is `е`; `й` stays a letter of its own.
//! - Persian: Arabic `ي`/`ى` are Persian `ی`, Arabic `ك` is Persian `ک`, short-vowel marks
//!   (harakat) and the tatweel are dropped, a zero-width non-joiner joins the word's halves.
//! - Digits: Persian (۰–۹), Arabic-Indic (٠–٩) and ASCII digits are the same.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::ascii_digit;

/// Folds `text` for search: lower case, no diacritics, one form per letter and digit.
///
/// ```
/// use helpdesk_core::search::fold;
/// assert_eq!(fold("Asistență"), fold("asistenta"));
/// assert_eq!(fold("asistenţă"), "asistenta");        // the old cedilla forms
/// assert_eq!(fold("Ёлка"), "елка");
/// assert_eq!(fold("Майка"), "майка");                 // й is kept
/// assert_eq!(fold("كتاب"), fold("کتاب"));
/// assert_eq!(fold("می‌خواهم"), fold("میخواهم"));      // with and without ZWNJ
/// assert_eq!(fold("۱۲۳"), "123");
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Compose first, so that letters such as й are one character before we decide.
    for c in text.nfc() {
        fold_char(c, &mut out);
    }
    out
}

fn fold_char(c: char, out: &mut String) {
    if let Some(d) = ascii_digit(c) {
        out.push(d);
        return;
    }
    match c {
        // Cyrillic: ё is е; every other letter (й included) only loses its case.
        'ё' | 'Ё' => out.push('е'),
        '\u{0400}'..='\u{04FF}' => out.extend(c.to_lowercase()),
        // Persian and Arabic letter forms.
        'ي' | 'ى' | 'ئ' => out.push('ی'),
        'ك' => out.push('ک'),
        'ة' => out.push('ه'),
        'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
        'ؤ' => out.push('و'),
        // Harakat, the superscript alef, the tatweel and the zero-width non-joiner vanish.
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{200C}' | '\u{200D}' => {}
        '\u{0600}'..='\u{06FF}' => out.push(c),
        // Everything else: decompose, drop the marks, lower the case.
        _ => {
            for d in std::iter::once(c).nfd().filter(|d| !is_combining_mark(*d)) {
                out.extend(d.to_lowercase());
            }
        }
    }
}

/// The folded words of `text`: runs of letters and digits.
///
/// ```
/// use helpdesk_core::search::words;
/// assert_eq!(words("ул. Кольцевая, д. 14"), ["ул", "кольцевая", "д", "14"]);
/// ```
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn romanian_comma_cedilla_and_decomposed_forms_are_one() {
        let forms = [
            "asistență",
            "asistenţă",
            "ASISTENȚĂ",
            "asisten\u{0074}\u{0326}a\u{0306}",
            "asistenta",
        ];
        for f in forms {
            assert_eq!(fold(f), "asistenta", "{f:?}");
        }
        assert_eq!(fold("Știință"), "stiinta");
    }

    #[test]
    fn russian_case_and_yo() {
        assert_eq!(fold("Интернет"), fold("интернет"));
        assert_eq!(fold("ЁЛКА"), "елка");
        assert_ne!(fold("й"), fold("и"));
    }

    #[test]
    fn persian_letters_marks_zwnj_and_digits() {
        assert_eq!(fold("علي"), fold("علی"));
        assert_eq!(fold("كامپيوتر"), fold("کامپیوتر"));
        assert_eq!(fold("كِتَابٌ"), fold("کتاب"));
        assert_eq!(fold("نمی‌شود"), "نمیشود");
        assert_eq!(fold("۰۹۱۲"), fold("٠٩١٢"));
        assert_eq!(fold("۰۹۱۲"), "0912");
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,60}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn folding_ignores_case_for_latin_and_cyrillic(s in "[a-zA-Zа-яА-ЯёЁ ]{0,40}") {
            prop_assert_eq!(fold(&s.to_uppercase()), fold(&s.to_lowercase()));
        }
    }
}
