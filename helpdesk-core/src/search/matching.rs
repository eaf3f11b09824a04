//! What a search matches, defined once: every store's full-text index must agree with
//! [`TicketSearch::matches`] (the in-memory store uses it as it is).

use serde::{Deserialize, Serialize};

use super::fold::{fold, words};
use super::query::{SearchQuery, Term};
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
}

impl SearchField {
    /// The field for `text`.
    pub fn new(text: &str) -> Self {
        Self {
            words: words(text),
            folded: fold(text),
        }
    }
}

impl Term {
    /// Whether this term matches `field`:
    /// - a word: one of the field's words is the word (or, for a prefix, starts with it);
    /// - a phrase: its words stand next to each other, in order, in the field;
    /// - a pattern: the pieces appear in the folded text in order, anything between them
    ///   (a pattern is implicitly open at both ends).
    ///
    /// An empty word or phrase (which the parser never produces) matches nothing.
    pub fn matches(&self, field: &SearchField) -> bool {
        match self {
            Term::Word { word, .. } if word.is_empty() => false,
            Term::Phrase { words } if words.is_empty() => false,
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

    /// The relevance of a result: how many of the included terms its subject matches.
    pub fn score(&self, ticket: &Ticket) -> u32 {
        let subject = SearchField::new(ticket.subject.as_str());
        self.query
            .include
            .iter()
            .filter(|t| t.matches(&subject))
            .count() as u32
    }

    /// Whether `ticket` with its thread is a result: it passes the filter, every included
    /// term matches some field, and no excluded term matches any field.
    pub fn matches(&self, ticket: &Ticket, thread: &[Message]) -> bool {
        if !self.filter.matches(ticket) {
            return false;
        }
        let fields = self.fields(ticket, thread);
        let found = |term: &Term| fields.iter().any(|f| term.matches(f));
        self.query.include.iter().all(found) && !self.query.exclude.iter().any(found)
    }
}
