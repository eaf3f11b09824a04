//! What a search matches, defined once: every store's full-text index must agree with
//! [`TicketSearch::matches`] (the in-memory store uses it as it is).

use serde::{Deserialize, Serialize};

use super::query::{SearchQuery, Term};
use super::stem::{stem_keys, stem_keys_of};
use crate::domain::fold::{fold, words};
use crate::domain::{Message, Ticket, Visibility};
use crate::listing::TicketFilter;

/// A full-text search over tickets: the query, the list filter it is combined with, and
/// whether internal notes are searched (agents only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketSearch {
    /// What to find.
    pub query: SearchQuery,
    /// Which tickets to look in.
    pub filter: TicketFilter,
    /// Whether internal notes are searched too.
    pub include_internal: bool,
}

/// One searchable field of a ticket, folded: its subject, or one message's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchField {
    /// The folded words, in order.
    pub words: Vec<String>,
    /// The whole folded text (what `%` patterns are matched against).
    pub folded: String,
    /// The stem keys of the words ([`stem_keys`]), each once: what a ticket search also
    /// matches a word by.
    pub stems: Vec<String>,
}

impl SearchField {
    /// The field for `text`.
    pub fn new(text: &str) -> Self {
        let words = words(text);
        Self {
            stems: stem_keys_of(&words),
            words,
            folded: fold(text),
        }
    }

    /// What a store indexes as the field's words: its words, then its stem keys (which no
    /// word equals or starts with, so a phrase or a prefix never matches one).
    pub fn indexed(&self) -> impl Iterator<Item = &String> {
        self.words.iter().chain(&self.stems)
    }
}

impl Term {
    /// Whether the term can match any stored field at all. Stored words are never empty and
    /// hold no white space or NUL, and stored text holds no NUL, so a term made by hand (the
    /// parser never makes one) with such a word, or a pattern piece with a NUL, matches
    /// nothing: every store answers it with no rows instead of asking its index.
    pub fn can_match(&self) -> bool {
        let stored_word =
            |w: &String| !w.is_empty() && !w.chars().any(|c| c == '\0' || c.is_whitespace());
        match self {
            Term::Word { word, .. } => stored_word(word),
            Term::Phrase { words } => !words.is_empty() && words.iter().all(stored_word),
            Term::Pattern { pieces } => !pieces.iter().any(|p| p.contains('\0')),
        }
    }

    /// The SQL `LIKE` pattern of a `%` pattern term (with `\\` as the escape character):
    /// its non-empty pieces in order, anything before, between and after them, and `%`, `_`
    /// and `\\` in the pieces escaped. `None` for words and phrases.
    ///
    /// ```
    /// use helpdesk_core::search::Term;
    /// let term = Term::Pattern { pieces: vec!["".into(), "50%_off".into(), "".into()] };
    /// assert_eq!(term.like_pattern().as_deref(), Some(r"%50\%\_off%"));
    /// ```
    pub fn like_pattern(&self) -> Option<String> {
        let Term::Pattern { pieces } = self else {
            return None;
        };
        let mut out = String::from("%");
        for piece in pieces.iter().filter(|p| !p.is_empty()) {
            for c in piece.chars() {
                if matches!(c, '%' | '_' | '\\') {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('%');
        }
        Some(out)
    }

    /// The stem keys a ticket search also matches this term by: those of a whole word (not a
    /// prefix) that has any ([`stem_keys`]); empty for other terms. A field holding the word
    /// holds its keys, so "holds one of the keys" is the whole condition when there are any.
    pub fn stem_keys(&self) -> Vec<String> {
        match self {
            Term::Word {
                word,
                prefix: false,
            } if self.can_match() => stem_keys(word),
            _ => Vec::new(),
        }
    }

    /// Whether this term matches `field` in a ticket search: as [`matches`](Self::matches),
    /// or, for a whole word, by one of its [stem keys](Self::stem_keys) (`офис` finds
    /// "в офисе").
    pub fn matches_stemmed(&self, field: &SearchField) -> bool {
        self.matches(field) || self.stem_keys().iter().any(|k| field.stems.contains(k))
    }

    /// Whether this term matches `field` exactly:
    /// - a word: one of the field's words is the word (or, for a prefix, starts with it);
    /// - a phrase: its words stand next to each other, in order, in the field;
    /// - a pattern: the pieces appear in the folded text in order, anything between them
    ///   (a pattern is implicitly open at both ends).
    ///
    /// A term that [cannot match](Self::can_match) matches nothing.
    pub fn matches(&self, field: &SearchField) -> bool {
        if !self.can_match() {
            return false;
        }
        match self {
            Term::Word {
                word,
                prefix: false,
            } => field.words.iter().any(|w| w == word),
            Term::Word { word, prefix: true } => {
                field.words.iter().any(|w| w.starts_with(word.as_str()))
            }
            Term::Phrase { words } => field
                .words
                .windows(words.len())
                .any(|window| window == words.as_slice()),
            Term::Pattern { pieces } => {
                let mut rest = field.folded.as_str();
                for piece in pieces.iter().filter(|p| !p.is_empty()) {
                    match rest.find(piece.as_str()) {
                        Some(at) => rest = &rest[at + piece.len()..],
                        None => return false,
                    }
                }
                true
            }
        }
    }
}

impl TicketSearch {
    /// The fields searched for `ticket` with its thread: the subject, then each message
    /// (internal notes only when `include_internal`).
    pub fn fields(&self, ticket: &Ticket, thread: &[Message]) -> Vec<SearchField> {
        std::iter::once(SearchField::new(ticket.subject.as_str()))
            .chain(
                thread
                    .iter()
                    .filter(|m| self.include_internal || m.visibility == Visibility::Public)
                    .map(|m| SearchField::new(m.body.as_str())),
            )
            .collect()
    }

    /// The relevance of a result: how many of the included terms its subject matches
    /// exactly (not by a stem): so exact matches rank before stemmed ones.
    pub fn score(&self, ticket: &Ticket) -> u32 {
        let subject = SearchField::new(ticket.subject.as_str());
        self.query
            .include
            .iter()
            .filter(|t| t.matches(&subject))
            .count() as u32
    }

    /// Whether `ticket` with its thread is a result: it passes the filter, every included
    /// term matches some field, and no excluded term matches any field; whole words match by
    /// their stems too ([`Term::matches_stemmed`]).
    pub fn matches(&self, ticket: &Ticket, thread: &[Message]) -> bool {
        if !self.filter.matches(ticket) {
            return false;
        }
        let fields = self.fields(ticket, thread);
        let found = |term: &Term| fields.iter().any(|f| term.matches_stemmed(f));
        self.query.include.iter().all(found) && !self.query.exclude.iter().any(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(pieces: &[&str]) -> Term {
        Term::Pattern {
            pieces: pieces.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn like_patterns_escape_their_wildcards() {
        let like = |pieces: &[&str]| pattern(pieces).like_pattern().unwrap();
        assert_eq!(like(&["", "кольц", "14", "кв.15"]), "%кольц%14%кв.15%");
        assert_eq!(like(&["a_b", "c%d\\"]), "%a\\_b%c\\%d\\\\%");
        assert_eq!(like(&["", ""]), "%");
        let word = Term::Word {
            word: "x".into(),
            prefix: false,
        };
        assert_eq!(word.like_pattern(), None);
    }

    #[test]
    fn terms_made_by_hand_that_no_stored_field_holds_cannot_match() {
        let word = |w: &str| Term::Word {
            word: w.into(),
            prefix: true,
        };
        let phrase = |ws: &[&str]| Term::Phrase {
            words: ws.iter().map(|w| w.to_string()).collect(),
        };
        for term in [
            word(""),
            word("x\0"),
            word("a b"),
            phrase(&[]),
            phrase(&["long", ""]),
            phrase(&["x\0"]),
            phrase(&["a b", "c"]),
            pattern(&["x\0y", ""]),
        ] {
            assert!(!term.can_match(), "{term:?}");
        }
        for term in [
            word("router"),
            phrase(&["dead", "modem"]),
            pattern(&["", "14", ""]),
        ] {
            assert!(term.can_match(), "{term:?}");
        }
    }
}
