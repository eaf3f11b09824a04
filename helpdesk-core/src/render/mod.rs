//! Text renderings for people: a ticket's history as lines.

mod history;

pub use history::render_history;
