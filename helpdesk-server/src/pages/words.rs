//! The words of the pages: one Fluent catalogue per language (`locales/<lang>/pages.ftl`,
//! compiled into the binary by [`fluent_templates::static_loader!`]), with plurals (Fluent's
//! selectors on CLDR plural rules) and bidi isolation (every placeable is wrapped in FSI/PDI,
//! so a Latin name in a Persian sentence, or a Persian one in an English sentence, keeps its
//! place). Numbers in a message are written in the language's digits ([`super::locale`]).
//!
//! [`t`] is a message without arguments (a `{ $name }` in it comes back as a bare `{name}`, for
//! code written against the former `words.txt` that fills it with `replace`, and for the chat's
//! scripts, which isolate what they put in); [`t_args`] formats one with arguments, isolated.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use helpdesk::domain::Language;

// The four catalogues, English the fallback (a test keeps every key in all four).
fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| {
            bundle.set_use_isolating(true);
            let language = bundle.locales.first().map(|l| l.language.as_str().to_owned());
            bundle.set_formatter(Some(match language.as_deref() {
                Some("fa") => number_fa,
                Some("ro") => number_ro,
                Some("ru") => number_ru,
                _ => number_en,
            }));
        },
    };
}

/// The catalogues' text, for the key lists (the loader itself is built from the same files).
pub(crate) const CATALOGUES: [(Language, &str); 4] = [
    (
        Language::English,
        include_str!("../../locales/en/pages.ftl"),
    ),
    (
        Language::Romanian,
        include_str!("../../locales/ro/pages.ftl"),
    ),
    (
        Language::Russian,
        include_str!("../../locales/ru/pages.ftl"),
    ),
    (
        Language::Persian,
        include_str!("../../locales/fa/pages.ftl"),
    ),
];

/// The message keys of a catalogue's text, in order (a message starts a line with its key
/// and ` =`; Fluent allows nothing else there but comments and terms).
pub(crate) fn keys(ftl: &str) -> Vec<&str> {
    ftl.lines()
        .filter_map(|line| {
            let (key, _) = line.split_once('=')?;
            let key = key.trim_end();
            let first = key.chars().next()?;
            (first.is_ascii_alphabetic()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
            .then_some(key)
        })
        .collect()
}

/// The Fluent language identifier of `lang`.
fn id(lang: Language) -> LanguageIdentifier {
    lang.code().parse().unwrap_or_default()
}

/// Every message without arguments, formatted once: `(language, key) → text`.
static PLAIN: LazyLock<HashMap<Language, HashMap<&'static str, String>>> = LazyLock::new(|| {
    let mut plain = HashMap::new();
    for (lang, ftl) in CATALOGUES {
        let langid = id(lang);
        let words: &mut HashMap<&'static str, String> = plain.entry(lang).or_default();
        for key in keys(ftl) {
            // A variable is given as its placeholder, `{name}`.
            let args: HashMap<Cow<'static, str>, FluentValue<'_>> = variables(ftl, key)
                .into_iter()
                .map(|name| {
                    let shown = format!("{{{name}}}");
                    (Cow::Owned(name.to_owned()), FluentValue::from(shown))
                })
                .collect();
            if let Some(mut text) = LOCALES.try_lookup_with_args(&langid, key, &args) {
                // The placeholder bare, so that a value put in by `replace` reads as before.
                for name in args.keys() {
                    text = text.replace(
                        &format!("\u{2068}{{{name}}}\u{2069}"),
                        &format!("{{{name}}}"),
                    );
                }
                words.insert(key, text);
            }
        }
    }
    plain
});

/// The variables (`$name`) the message `key` of a catalogue's text uses: on its line and
/// the indented lines after it.
fn variables<'a>(ftl: &'a str, key: &str) -> Vec<&'a str> {
    let mut lines = ftl.lines().skip_while(|line| {
        line.split_once('=')
            .is_none_or(|(k, _)| k.trim_end() != key || k.starts_with(' '))
    });
    let first = lines.next().into_iter();
    let rest = lines.take_while(|line| line.starts_with([' ', '\t']));
    let mut names: Vec<&str> = first
        .chain(rest)
        .flat_map(|line| line.split('$').skip(1))
        .filter_map(|after| {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(after.len());
            (end > 0).then(|| &after[..end])
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// A word of the interface in `lang` (`?` for a key no catalogue has).
pub fn t(lang: Language, key: &str) -> &'static str {
    let find = |lang: Language| PLAIN.get(&lang).and_then(|words| words.get(key));
    find(lang)
        .or_else(|| find(Language::English))
        .map_or("?", String::as_str)
}

/// A message argument: text or a number (a number selects the plural form and is written in
/// the language's digits).
pub type Arg<'a> = FluentValue<'a>;

/// A message of `lang` with its arguments (`?` for a key no catalogue has).
pub fn t_args(lang: Language, key: &str, args: &[(&'static str, Arg<'_>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(name, value)| (Cow::Borrowed(*name), value.clone()))
        .collect();
    LOCALES
        .try_lookup_with_args(&id(lang), key, &args)
        .unwrap_or_else(|| "?".to_owned())
}

/// A text argument.
pub fn text<'a>(value: impl Into<Cow<'a, str>>) -> Arg<'a> {
    FluentValue::String(value.into())
}

/// A number argument.
pub fn number<'a>(value: impl Into<f64>) -> Arg<'a> {
    FluentValue::from(value.into())
}

/// A number in a message, in the bundle's language (an integer: grouped digits).
fn number_in(lang: Language, value: &FluentValue<'_>) -> Option<String> {
    match value {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            // Integral and well inside i64.
            #[allow(clippy::cast_possible_truncation)]
            let whole = n.value as i64;
            Some(super::locale::number(lang, whole))
        }
        _ => None,
    }
}

fn number_en<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    number_in(Language::English, value)
}

fn number_ro<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    number_in(Language::Romanian, value)
}

fn number_ru<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    number_in(Language::Russian, value)
}

fn number_fa<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    number_in(Language::Persian, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message of every catalogue parses (the loader would otherwise panic on first use).
    #[test]
    fn every_catalogue_parses() {
        for (_, ftl) in CATALOGUES {
            let parsed = fluent_templates::fs::resource_from_str(ftl);
            assert!(parsed.is_ok(), "{:?}", parsed.err());
        }
    }

    /// The four catalogues have the same keys, each once: nothing untranslated, nothing extra.
    #[test]
    fn every_catalogue_has_every_key_once() {
        let english = keys(CATALOGUES[0].1);
        let mut sorted = english.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), english.len(), "a key twice in en");
        for (lang, ftl) in CATALOGUES {
            let mut theirs = keys(ftl);
            theirs.sort_unstable();
            let missing: Vec<_> = sorted.iter().filter(|k| !theirs.contains(k)).collect();
            let extra: Vec<_> = theirs.iter().filter(|k| !sorted.contains(k)).collect();
            assert!(missing.is_empty(), "missing in {lang:?}: {missing:?}");
            assert!(extra.is_empty(), "only in {lang:?}: {extra:?}");
            for key in &sorted {
                assert_ne!(t(lang, key).trim(), "", "{key} is empty in {lang:?}");
            }
        }
    }

    /// A placeholder comes back from `t` as `{name}`, and `t_args` fills it, isolated.
    #[test]
    fn placeholders_are_kept_by_t_and_filled_by_t_args() {
        let plain = t(Language::English, "reason_above_cap");
        assert!(plain.contains("{cap}"), "{plain}");
        let filled = t_args(
            Language::English,
            "reason_above_cap",
            &[("cap", text("normal"))],
        );
        assert_eq!(filled, "It is above your cap (“\u{2068}normal\u{2069}”).");
    }

    /// A count selects the plural form of the language and is written in its digits.
    #[test]
    fn counts_take_the_plural_form_and_the_digits_of_the_language() {
        let said = |lang, n: u32| t_args(lang, "tickets_count", &[("count", number(n))]);
        assert_eq!(said(Language::English, 1), "\u{2068}1\u{2069} ticket");
        assert_eq!(said(Language::English, 5), "\u{2068}5\u{2069} tickets");
        assert_eq!(said(Language::Russian, 2), "\u{2068}2\u{2069} заявки");
        assert_eq!(said(Language::Russian, 5), "\u{2068}5\u{2069} заявок");
        assert_eq!(
            said(Language::Romanian, 20),
            "\u{2068}20\u{2069} de tichete"
        );
        assert_eq!(said(Language::Persian, 12), "\u{2068}۱۲\u{2069} تیکت");
    }

    /// The server's Rust source, every file under `src/`.
    fn source() -> String {
        fn walk(dir: &std::path::Path, into: &mut String) {
            let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
            entries.sort_by_key(std::fs::DirEntry::path);
            for entry in entries {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, into);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    into.push_str(&std::fs::read_to_string(&path).unwrap());
                    into.push('\n');
                }
            }
        }
        let mut all = String::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut all,
        );
        all
    }

    /// The keys the source asks for by name: every string literal given as the second
    /// argument of `t` or `t_args`, and every string naming an admin page's word (`admin_…`).
    fn asked_for(source: &str) -> Vec<&str> {
        let mut asked = Vec::new();
        for call in ["t(", "t_args("] {
            for (at, _) in source.match_indices(call) {
                let before = source[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = &source[at + call.len()..];
                let Some((first, after)) = rest.split_once(',') else {
                    continue;
                };
                if first.contains(['(', ')', '"', '\n']) {
                    continue;
                }
                if let Some(literal) = after.trim_start().strip_prefix('"') {
                    asked.extend(literal.split('"').next());
                }
            }
        }
        asked.extend(source.split('"').skip(1).step_by(2).filter(|s| {
            // (Not the prefix itself, which this test names.)
            s.starts_with("admin_")
                && s.len() > "admin_".len()
                && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        }));
        asked
    }

    /// Every key the pages ask for is in the catalogues (which have the same keys, see
    /// above): nothing shows `?`.
    #[test]
    fn every_word_the_pages_ask_for_is_in_the_catalogue() {
        let source = source();
        let asked = asked_for(&source);
        assert!(asked.len() > 100, "{asked:?}");
        let english = keys(CATALOGUES[0].1);
        let missing: Vec<_> = asked.iter().filter(|k| !english.contains(k)).collect();
        assert!(missing.is_empty(), "not in the catalogue: {missing:?}");
    }

    /// Every key of the catalogue is named in the source (as a string, `"key"`): nothing
    /// unused is kept.
    #[test]
    fn every_word_of_the_catalogue_is_used() {
        let source = source();
        let unused: Vec<_> = keys(CATALOGUES[0].1)
            .into_iter()
            .filter(|k| !source.contains(&format!("\"{k}\"")))
            .collect();
        assert!(unused.is_empty(), "unused keys: {unused:?}");
    }

    /// The old tab-separated `words.txt` holds no word any more (a merged branch's lines are
    /// converted with `locales/words-to-ftl`).
    #[test]
    fn words_txt_is_converted() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pages/words.txt");
        let left: Vec<String> = std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        assert!(
            left.is_empty(),
            "convert these with `helpdesk-server/locales/words-to-ftl < helpdesk-server/src/pages/words.txt`, then leave only the comment: {left:?}"
        );
    }
}
