//! The search query language, parsed by the library and never passed raw to an engine:
//! words, `"quoted phrases"`, `prefix*`, `-excluded` words and phrases, and the `%` wildcard
//! operators type (seed 004: `%Кольц%14%кв.15`). Every input gives a query or a clear
//! validation error; engine syntax such as `NEAR(`, `:*`, `&|!` or quotes is only text.

use serde::{Deserialize, Serialize};

use crate::domain::fold::{fold, words};
use crate::error::ValidationError;

/// One condition of a query. Words are folded with [`fold`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Term {
    /// A word; with `prefix`, any word that starts with it.
    Word {
        /// The folded word.
        word: String,
        /// Whether it is a prefix (`word*`).
        prefix: bool,
    },
    /// Words next to each other, in order.
    Phrase {
        /// The folded words.
        words: Vec<String>,
    },
    /// A `%` pattern: the folded pieces in order, anything (or nothing) between them.
    Pattern {
        /// The folded pieces between the `%` signs (the first and last may be empty).
        pieces: Vec<String>,
    },
}

/// A parsed search: terms that must all match, and terms that must not.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Terms every result matches.
    pub include: Vec<Term>,
    /// Terms no result matches.
    pub exclude: Vec<Term>,
}

impl SearchQuery {
    /// The longest query accepted, in characters.
    pub const MAX_CHARS: usize = 500;
    /// The most terms a query may have.
    pub const MAX_TERMS: usize = 32;

    /// Parses what a person typed.
    ///
    /// ```
    /// use helpdesk_core::search::{SearchQuery, Term};
    /// let q = SearchQuery::parse(r#"router "нет интернета" прост* -billing"#).unwrap();
    /// assert_eq!(q.include.len(), 3);
    /// assert_eq!(q.exclude, [Term::Word { word: "billing".into(), prefix: false }]);
    /// assert!(SearchQuery::parse("   ").is_err());
    /// assert!(SearchQuery::parse("-only -exclusions").is_err());
    /// ```
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        if input.chars().count() > Self::MAX_CHARS {
            return Err(ValidationError::new(
                "q",
                format!("a search is at most {} characters", Self::MAX_CHARS),
            ));
        }
        let mut query = SearchQuery::default();
        let mut rest = input.trim();
        while !rest.is_empty() {
            let (negated, after_sign) = match rest.strip_prefix('-') {
                Some(r) => (true, r),
                None => (false, rest),
            };
            let (terms, remaining) = if let Some(quoted) = after_sign.strip_prefix('"') {
                // A phrase runs to the closing quote, or to the end when there is none.
                let (inside, remaining) = quoted.split_once('"').unwrap_or((quoted, ""));
                let ws = words(inside);
                let term = (!ws.is_empty()).then_some(Term::Phrase { words: ws });
                (term.into_iter().collect::<Vec<_>>(), remaining)
            } else {
                let end = after_sign
                    .find(char::is_whitespace)
                    .unwrap_or(after_sign.len());
                (token_terms(&after_sign[..end]), &after_sign[end..])
            };
            for term in terms {
                if negated {
                    query.exclude.push(term);
                } else {
                    query.include.push(term);
                }
            }
            rest = remaining.trim_start();
        }
        if query.include.len() + query.exclude.len() > Self::MAX_TERMS {
            return Err(ValidationError::new(
                "q",
                format!("a search has at most {} terms", Self::MAX_TERMS),
            ));
        }
        if query.include.is_empty() {
            return Err(ValidationError::new(
                "q",
                "a search needs at least one word, number or phrase to find",
            ));
        }
        Ok(query)
    }
}

/// The terms of one unquoted token: a `%` pattern, a prefix word, or its words (punctuation
/// splits a token into several words, which must all match).
fn token_terms(token: &str) -> Vec<Term> {
    if token.contains('%') {
        let pieces: Vec<String> = token
            .split('%')
            .map(|p| fold(p).trim().to_owned())
            .collect();
        if pieces.iter().any(|p| p.chars().any(char::is_alphanumeric)) {
            return vec![Term::Pattern { pieces }];
        }
        return Vec::new();
    }
    let prefix = token.ends_with('*');
    let ws = words(token);
    let last = ws.len().saturating_sub(1);
    ws.into_iter()
        .enumerate()
        .map(|(i, word)| Term::Word {
            word,
            prefix: prefix && i == last,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn word(w: &str) -> Term {
        Term::Word {
            word: w.into(),
            prefix: false,
        }
    }

    #[test]
    fn engine_syntax_is_only_text() {
        for hostile in [
            "\"",
            "*",
            "NEAR(a b)",
            "a:*",
            "'",
            "\\",
            "&|!",
            "\"unbalanced",
            "-",
            "a OR b",
            "x AND",
            "^",
            "{col}:x",
            "'; DROP TABLE tickets; --",
        ] {
            match SearchQuery::parse(hostile) {
                Ok(q) => {
                    for term in q.include.iter().chain(&q.exclude) {
                        let ws: Vec<&String> = match term {
                            Term::Word { word, .. } => vec![word],
                            Term::Phrase { words } => words.iter().collect(),
                            Term::Pattern { .. } => {
                                panic!("{hostile:?} has no % and is no pattern")
                            }
                        };
                        assert!(
                            ws.iter().all(|w| w.chars().all(char::is_alphanumeric)),
                            "{hostile:?} left engine syntax in {term:?}"
                        );
                    }
                }
                Err(e) => assert_eq!(e.field(), "q"),
            }
        }
        assert_eq!(
            SearchQuery::parse("NEAR(router modem)").unwrap().include,
            [word("near"), word("router"), word("modem")]
        );
    }

    #[test]
    fn phrases_prefixes_exclusions_and_patterns() {
        let q = SearchQuery::parse("-\"Нет связи\" интерн* %Кольц%14%кв.15").unwrap();
        assert_eq!(
            q.exclude,
            [Term::Phrase {
                words: vec!["нет".into(), "связи".into()]
            }]
        );
        assert_eq!(
            q.include,
            [
                Term::Word {
                    word: "интерн".into(),
                    prefix: true
                },
                Term::Pattern {
                    pieces: vec!["".into(), "кольц".into(), "14".into(), "кв.15".into()]
                },
            ]
        );
        let q = SearchQuery::parse("\"unbalanced phrase").unwrap();
        assert_eq!(
            q.include,
            [Term::Phrase {
                words: vec!["unbalanced".into(), "phrase".into()]
            }]
        );
    }

    #[test]
    fn the_query_is_folded_like_the_text() {
        let q = SearchQuery::parse("ASISTENŢĂ ёлка كتاب ۱۲").unwrap();
        assert_eq!(
            q.include,
            [
                word("asistenta"),
                word("елка"),
                word(&fold("کتاب")),
                word("12")
            ]
        );
    }

    proptest! {
        #[test]
        fn any_input_gives_a_query_or_a_validation_error(s in "\\PC{0,80}") {
            match SearchQuery::parse(&s) {
                Ok(q) => {
                    prop_assert!(!q.include.is_empty());
                    for term in q.include.iter().chain(&q.exclude) {
                        match term {
                            Term::Word { word, .. } => prop_assert!(!word.is_empty() && word.chars().all(char::is_alphanumeric)),
                            Term::Phrase { words } => prop_assert!(!words.is_empty()),
                            Term::Pattern { pieces } => prop_assert!(pieces.len() >= 2),
                        }
                    }
                }
                Err(e) => prop_assert_eq!(e.field(), "q"),
            }
        }
    }
}
