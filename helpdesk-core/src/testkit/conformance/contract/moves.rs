//! Moving stored messages and history entries between tickets in a batch (a merge, a split):
//! they join the end of their new ticket's thread and history with their origin, leave the old
//! one, and a move from a ticket the batch does not update, or onto the ticket an entry is
//! already on, is refused and writes nothing.

use std::sync::Arc;

use super::commit_scene::Scene;
use crate::domain::{Message, Origin, OriginKind, TicketEvent, Visibility};
use crate::store::{Store, WriteBatch};
use crate::testkit::samples::message;

pub async fn moved_entries_join_the_end_of_the_new_ticket_with_their_origin(store: Arc<dyn Store>) {
    let s = Scene::new(store.clone()).await;
    let (a, b) = (&s.a, &s.b);
    let thread = store.messages(a.id, true).await.unwrap();
    let history = store.history(a.id).await.unwrap();
    assert!(!thread.is_empty() && !history.is_empty());
    let origin = Origin::new(OriginKind::Merge, a.id, a.number.clone());
    let own = message(b, "its own message", Visibility::Public);
    let mut to_b = Scene::touch(b).with_message(own.clone());
    to_b.moved_messages = (thread.iter())
        .map(|m| Message {
            ticket_id: b.id,
            origin: Some(origin.clone()),
            ..m.clone()
        })
        .collect();
    to_b.moved_events = (history.iter())
        .map(|e| TicketEvent {
            ticket_id: b.id,
            origin: Some(origin.clone()),
            ..e.clone()
        })
        .collect();
    // From a ticket the batch does not update (its version unchecked): refused.
    s.refused(WriteBatch::one(to_b.clone()), "invalid moved")
        .await;
    // Onto the ticket an entry already is on: refused.
    let mut onto_itself = Scene::touch(a);
    onto_itself.moved_messages = thread.clone();
    s.refused(
        WriteBatch::of(vec![onto_itself, Scene::touch(b)]),
        "invalid moved",
    )
    .await;
    s.accepted(WriteBatch::of(vec![Scene::touch(a), to_b.clone()]))
        .await;
    assert!(store.messages(a.id, true).await.unwrap().is_empty());
    assert!(store.history(a.id).await.unwrap().is_empty());
    let mut expected = vec![own];
    expected.extend(to_b.moved_messages.clone());
    assert_eq!(store.messages(b.id, true).await.unwrap(), expected);
    assert_eq!(store.history(b.id).await.unwrap(), to_b.moved_events);
}
