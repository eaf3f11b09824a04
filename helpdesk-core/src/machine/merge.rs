//! Merging moves the source ticket's whole thread (with its attachments) and history into
//! the target, each entry marked with the source it came from ([`OriginKind::Merge`]); the
//! source keeps its number and the events of the merge itself, and is closed as merged
//! ([`decide`](super::decide) writes that part), so its number leads to the target.

use crate::domain::{Message, Origin, OriginKind, Ticket, TicketEvent};
use crate::store::TicketWrite;

/// Adds to `target` (the target's write of a merge of `source`) the moves of `source`'s
/// stored `thread` (internal notes too) and `history`, in their order.
pub fn merge_moves(
    source: &Ticket,
    target: &mut TicketWrite,
    thread: Vec<Message>,
    history: Vec<TicketEvent>,
) {
    let origin = Origin::new(OriginKind::Merge, source.id, source.number.clone());
    let into = target.ticket.id;
    target
        .moved_messages
        .extend(thread.into_iter().map(|m| Message {
            ticket_id: into,
            origin: Some(origin.clone()),
            ..m
        }));
    target
        .moved_events
        .extend(history.into_iter().map(|e| TicketEvent {
            ticket_id: into,
            origin: Some(origin.clone()),
            ..e
        }));
}
