//! Search: the one text folding every backend indexes and queries with, and the query
//! language people type.

mod fold;
mod matching;
mod query;

pub use fold::{fold, words};
pub use matching::{SearchField, TicketSearch};
pub use query::{SearchQuery, Term};
