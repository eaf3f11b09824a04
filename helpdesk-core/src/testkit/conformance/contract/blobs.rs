//! [`Store::referenced_blobs`]: which of some blob keys an attachment of a stored message
//! names, the facts the blob sweep keeps blobs by.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::domain::{Actor, Attachment, CustomerId, DepartmentId, Message, Ticket, Visibility};
use crate::store::{BlobKey, Store, TicketWrite, WriteBatch};
use crate::testkit::samples::{full_message, number, ticket};

fn key(bytes: &str) -> BlobKey {
    BlobKey::of(bytes.as_bytes())
}

/// A message on `ticket` with attachments of `blobs`.
fn with_files(ticket: &Ticket, visibility: Visibility, blobs: &[&BlobKey]) -> Message {
    Message {
        attachments: blobs
            .iter()
            .enumerate()
            .map(|(i, k)| {
                Attachment::new(&format!("{i}.pdf"), "application/pdf", 1, k.as_str()).unwrap()
            })
            .collect(),
        ..full_message(ticket, Actor::System, visibility, "files")
    }
}

async fn referenced(store: &dyn Store, keys: &[BlobKey]) -> BTreeSet<BlobKey> {
    let found = store.referenced_blobs(keys).await.unwrap();
    let distinct: BTreeSet<BlobKey> = found.iter().cloned().collect();
    assert_eq!(distinct.len(), found.len(), "each key once: {found:?}");
    distinct
}

/// Only keys some stored message's attachment names, public or internal, on any ticket,
/// written with the ticket or later; not those of a refused batch, nor any other.
pub async fn referenced_blobs_are_the_keys_attachments_name(store: Arc<dyn Store>) {
    let (public, note, later, shared, refused, loose) = (
        key("public"),
        key("note"),
        key("later"),
        key("shared"),
        key("refused"),
        key("loose"),
    );
    let (d, c) = (DepartmentId::new(), CustomerId::new());
    let a = ticket(number(1), d, c);
    let b = ticket(number(2), d, c);
    store
        .commit(WriteBatch::of(vec![
            TicketWrite::create(a.clone())
                .with_message(with_files(&a, Visibility::Public, &[&public, &shared]))
                .with_message(with_files(&a, Visibility::Internal, &[&note])),
            TicketWrite::create(b.clone()).with_message(with_files(
                &b,
                Visibility::Public,
                &[&shared],
            )),
        ]))
        .await
        .unwrap();
    let all = [
        public.clone(),
        note.clone(),
        later.clone(),
        shared.clone(),
        refused.clone(),
        loose.clone(),
    ];
    assert_eq!(
        referenced(store.as_ref(), &all).await,
        [public.clone(), note.clone(), shared.clone()]
            .into_iter()
            .collect()
    );
    assert!(store.referenced_blobs(&[]).await.unwrap().is_empty());
    assert!(
        referenced(store.as_ref(), std::slice::from_ref(&loose))
            .await
            .is_empty()
    );

    // Added by an update; a refused batch's files are not referenced.
    let a2 = Ticket {
        version: a.version.next(),
        ..a.clone()
    };
    store
        .commit(WriteBatch::one(
            TicketWrite::update(a.version, a2.clone()).with_message(with_files(
                &a2,
                Visibility::Public,
                &[&later],
            )),
        ))
        .await
        .unwrap();
    let stale = TicketWrite::update(a.version, a2.clone()).with_message(with_files(
        &a2,
        Visibility::Public,
        &[&refused],
    ));
    assert!(store.commit(WriteBatch::one(stale)).await.is_err());
    assert_eq!(
        referenced(store.as_ref(), &all).await,
        [public, note, later.clone(), shared].into_iter().collect()
    );
    assert_eq!(
        referenced(store.as_ref(), &[later.clone(), refused]).await,
        [later].into_iter().collect()
    );
}
