//! The store contract: checks on a raw [`Store`](crate::store::Store) and the abilities it
//! offers, most of them beside the in-memory reference
//! ([`MemoryStore`](crate::store::MemoryStore)) given the same writes. Each takes a fresh,
//! empty store and panics on a violation; a check of an ability the store does not offer
//! skips, loudly.

pub mod account_links;
pub mod accounts;
pub mod automation;
pub mod blobs;
pub mod bulk_restore;
pub mod chat;
pub mod commit;
pub mod commit_order;
mod commit_scene;
pub mod concurrency;
pub mod content;
pub mod customer_lists;
pub mod directory;
pub mod feed;
pub mod firing_versions;
pub mod followers;
pub mod hostile_search;
pub mod knowledge;
pub mod lists;
pub mod look_ups;
pub mod mailboxes;
pub mod moves;
pub mod notifications;
pub mod outbox;
pub mod quarantine;
pub mod relevance;
pub mod reports;
pub mod rule_runs;
pub mod saved_searches;
pub mod search;
pub mod settings;
pub mod sign_in_throttle;
pub mod tags;
pub mod templates;
pub mod tickets;
pub mod together;
pub mod undeliverable;
pub mod waiting;
mod world;

use crate::error::{ConflictKind, Error};

/// A comparable summary of an error: its kind, and the conflict's or validation's details.
pub(crate) fn describe(e: &Error) -> String {
    match e {
        Error::Conflict {
            entity,
            kind: ConflictKind::Duplicate { field },
        } => format!("duplicate {entity} {field}"),
        Error::Conflict {
            entity,
            kind: ConflictKind::StaleVersion { expected, actual },
        } => format!("stale {entity} {expected} {actual}"),
        Error::NotFound { entity, key } => format!("not found {entity} {key}"),
        Error::Validation(v) => format!("invalid {}", v.field()),
        other => format!("{}: {other}", other.code()),
    }
}

/// A comparable summary of an outcome: `ok`, or [`describe`].
pub(crate) fn outcome<T>(result: &crate::Result<T>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(e) => describe(e),
    }
}

/// The outcome of one call on the store under test and on the reference, which must agree
/// (values equal, or errors that [`describe`] the same).
pub(crate) fn same_outcome<T: std::fmt::Debug + PartialEq>(
    got: crate::Result<T>,
    want: crate::Result<T>,
) -> crate::Result<T> {
    match (&got, &want) {
        (Ok(g), Ok(w)) => assert_eq!(g, w),
        (Err(g), Err(w)) => assert_eq!(describe(g), describe(w)),
        _ => panic!("the store gave {got:?}, the reference {want:?}"),
    }
    got
}
