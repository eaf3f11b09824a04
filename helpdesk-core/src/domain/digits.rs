//! Digits in any script: Persian (۰–۹), Arabic-Indic (٠–٩) and ASCII are the same digit.

/// The ASCII digit for `c` if it is a Persian, Arabic-Indic or ASCII digit.
///
/// ```
/// use helpdesk_core::domain::ascii_digit;
/// assert_eq!(ascii_digit('۷'), Some('7'));
/// assert_eq!(ascii_digit('٣'), Some('3'));
/// assert_eq!(ascii_digit('x'), None);
/// ```
pub fn ascii_digit(c: char) -> Option<char> {
    let offset = match c {
        '0'..='9' => return Some(c),
        '\u{06F0}'..='\u{06F9}' => c as u32 - 0x06F0,
        '\u{0660}'..='\u{0669}' => c as u32 - 0x0660,
        _ => return None,
    };
    char::from_digit(offset, 10)
}

/// Replaces every Persian and Arabic-Indic digit in `s` with its ASCII digit.
pub fn ascii_digits(s: &str) -> String {
    s.chars().map(|c| ascii_digit(c).unwrap_or(c)).collect()
}

/// Only the digits of `s`, in ASCII: `"+7 (۹۱۲) 555-01-02"` → `"79125550102"`.
pub fn digits_only(s: &str) -> String {
    s.chars().filter_map(ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn persian_and_arabic_indic_digits_become_ascii() {
        assert_eq!(ascii_digits("۱۰۰۰۰۱۳۵"), "10000135");
        assert_eq!(ascii_digits("٢٠١٣"), "2013");
        assert_eq!(digits_only("+98 (۲۱) ۸۸-۷۷"), "98218877");
    }

    proptest! {
        #[test]
        fn every_script_maps_to_the_same_digit(n in 0u32..10) {
            let ascii = char::from_digit(n, 10).unwrap();
            let persian = char::from_u32(0x06F0 + n).unwrap();
            let arabic = char::from_u32(0x0660 + n).unwrap();
            prop_assert_eq!(ascii_digit(persian), Some(ascii));
            prop_assert_eq!(ascii_digit(arabic), Some(ascii));
        }

        #[test]
        fn digits_only_never_panics_and_is_ascii(s in ".*") {
            prop_assert!(digits_only(&s).bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
