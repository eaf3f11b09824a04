//! Stems: what makes "офисе" find "офис". Each folded word of the desk's four languages has
//! a few stem keys, written once here and used by every store on the indexed text and on the
//! query alike:
//!
//! - Latin words: the Snowball stems for English and for Romanian (`rust-stemmers`), both,
//!   since a word does not say its language (`routers` ⇄ `router`, `facturii` ⇄ `factura`);
//! - Cyrillic words: the Snowball stem for Russian (`офисе` ⇄ `офис`);
//! - Persian words: a light normalisation on top of [`fold`](super::fold) (which already
//!   makes Arabic yeh/kaf Persian and joins the halves of a word split by a zero-width
//!   non-joiner): the plural suffixes `ها`, `های`, `هایی` are dropped when what is left is a
//!   word of two letters or more (`کتاب‌ها` ⇄ `کتاب`). Other suffixes (`ان`, `ات`, the
//!   possessives) are left alone: dropping them would merge unrelated words (`سازمان`).
//!
//! A key is the language's tag, then the stem (`~ru:офис`): never a word (it starts with
//! `~`), never a prefix of one, and the same stem in two languages gives two keys. Words of
//! fewer than three letters and words with digits have no keys (numbers match exactly).

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

/// The first character of every stem key (no word starts with it: words are letters and
/// digits).
pub const STEM_MARK: char = '~';

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));
static ROMANIAN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Romanian));
static RUSSIAN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Russian));

/// The stem keys of one folded word (see the module's documentation); empty for short words,
/// numbers and words of other scripts.
///
/// ```
/// use helpdesk_core::search::stem_keys;
/// assert_eq!(stem_keys("офисе"), stem_keys("офис"));
/// // A Latin word has an English and a Romanian key; one shared key is a match.
/// assert_eq!(stem_keys("routers")[0], stem_keys("router")[0]);
/// assert!(stem_keys("12345").is_empty());
/// ```
pub fn stem_keys(word: &str) -> Vec<String> {
    if word.chars().count() < 3 || !word.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    let key = |tag: &str, stem: &str| format!("{STEM_MARK}{tag}:{stem}");
    if word.chars().all(|c| c.is_ascii_lowercase()) {
        let (en, ro) = (ENGLISH.stem(word), ROMANIAN.stem(word));
        vec![key("en", &en), key("ro", &ro)]
    } else if word.chars().all(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
        vec![key("ru", &RUSSIAN.stem(word))]
    } else if word.chars().all(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        vec![key("fa", persian_stem(word))]
    } else {
        Vec::new()
    }
}

/// The folded Persian `word` without a plural suffix (see the module's documentation).
///
/// ```
/// use helpdesk_core::search::{fold, persian_stem};
/// assert_eq!(persian_stem(&fold("کتاب‌ها")), "کتاب");
/// assert_eq!(persian_stem(&fold("فایل‌های")), "فایل");
/// assert_eq!(persian_stem("ها"), "ها");
/// ```
pub fn persian_stem(word: &str) -> &str {
    for suffix in ["هایی", "های", "ها"] {
        if let Some(rest) = word.strip_suffix(suffix)
            && rest.chars().count() >= 2
        {
            return rest;
        }
    }
    word
}

/// The stem keys of `words` (folded words), each once, in first order.
pub fn stem_keys_of<'w>(words: impl IntoIterator<Item = &'w String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut keys = Vec::new();
    for w in words {
        for k in stem_keys(w) {
            if seen.insert(k.clone()) {
                keys.push(k);
            }
        }
    }
    keys
}

/// Whether `token` (a word of a stored field's index) is a stem key rather than a word.
pub fn is_stem_key(token: &str) -> bool {
    token.starts_with(STEM_MARK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{fold, words};
    use proptest::prelude::*;

    fn same(a: &str, b: &str) -> bool {
        let (a, b) = (stem_keys(&fold(a)), stem_keys(&fold(b)));
        !a.is_empty() && a.iter().any(|k| b.contains(k))
    }

    #[test]
    fn russian_english_and_romanian_word_forms_share_a_stem() {
        assert!(same("офисе", "офис"));
        assert!(same("интернета", "интернет"));
        assert!(same("подключения", "подключение"));
        assert!(same("routers", "router"));
        assert!(same("printing", "printed"));
        assert!(same("facturii", "factura"));
        assert!(same("facturile", "factură"));
        assert!(!same("router", "printer"));
        assert!(!same("офис", "оплата"));
    }

    #[test]
    fn persian_plurals_and_letter_forms_share_a_stem() {
        assert!(same("کتاب‌ها", "کتاب"));
        assert!(same("كتابهای", "کتاب"));
        assert!(same("فایل‌هایی", "فايل"));
        assert!(!same("سازمان", "ساز"));
    }

    #[test]
    fn numbers_and_short_words_have_no_stem() {
        assert!(stem_keys("2024").is_empty());
        assert!(stem_keys("a1b").is_empty());
        assert!(stem_keys("ok").is_empty());
    }

    proptest! {
        #[test]
        fn stem_keys_never_panic_and_are_never_words(s in "\\PC{0,40}") {
            for w in words(&s) {
                for k in stem_keys(&w) {
                    prop_assert!(is_stem_key(&k));
                    prop_assert!(!k.chars().any(char::is_whitespace));
                }
            }
        }

        #[test]
        fn persian_stemming_only_drops_a_plural_ending(s in "[\u{0621}-\u{064A}\u{06A9}\u{06CC}]{0,12}") {
            let w = fold(&s);
            let stem = persian_stem(&w);
            prop_assert!(w.starts_with(stem));
            let dropped = &w[stem.len()..];
            prop_assert!(["", "ها", "های", "هایی"].contains(&dropped), "{:?}", dropped);
            if !w.ends_with("ها") && !w.ends_with("های") && !w.ends_with("هایی") {
                prop_assert_eq!(stem, w.as_str());
            }
        }
    }
}
