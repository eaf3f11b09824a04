//! Search: the one text folding every backend indexes and queries with, and the query
//! language people type.

mod articles;
mod customers;
mod matching;
mod phone;
mod query;
mod saved;
mod stem;

pub use crate::domain::fold::{fold, words};
pub use articles::{ArticleScope, ArticleSearch, ArticleSuggest, STOP_WORDS};
pub use customers::{CustomerLookup, address_key, like};
pub use matching::{SearchField, TicketSearch};
pub use phone::{PhoneRegion, national_digits, phone_forms};
pub use query::{SearchQuery, Term};
pub use saved::SavedSearch;
pub use stem::{STEM_MARK, is_stem_key, persian_stem, stem_keys, stem_keys_of};
