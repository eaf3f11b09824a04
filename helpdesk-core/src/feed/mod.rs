//! The change feed: what every committed batch changed, as records a reader can follow
//! from a position ([`FeedChange`], made by [`changes_of_batch`] and [`changes_of_chat`]).
//!
//! The records are derived here, once, from what a store commits; a store writes them in
//! the same transaction as the batch, so a reader never sees a change that did not commit
//! nor misses one that did. Webhooks and the server's live views read the same records.

mod change;
mod retention;

pub use change::{FeedChange, FeedPosition, MessageScope, changes_of_batch, changes_of_chat};
pub use retention::FeedRetention;
