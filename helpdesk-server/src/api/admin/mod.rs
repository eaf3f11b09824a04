//! The admin surface of the API: the directory (departments, agents, customers, their
//! logins), templates and canned responses (`directory`), and the settings kept in the store
//! — calendars, SLA policies, attachment limits and their audit trail (`levels`); templates
//! and canned responses edited and deleted (`content`). The
//! library checks who may do each.

pub mod content;
pub mod directory;
pub mod levels;
pub mod mail;
pub mod mailboxes;
pub mod priority_rules;
pub mod quarantine;
pub mod undeliverable;

use axum::Router;

use crate::state::AppState;

/// The admin routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(directory::routes())
        .merge(content::routes())
        .merge(levels::routes())
        .merge(mail::routes())
        .merge(mailboxes::routes())
        .merge(quarantine::routes())
        .merge(undeliverable::routes())
        .merge(priority_rules::routes())
}
