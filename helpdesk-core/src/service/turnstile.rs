//! One command at a time per ticket in this process, for commands sent without an expected
//! version: they wait their turn instead of racing, so concurrent repliers on one ticket
//! each read and decide once, on the state the one before them left, and none of their work
//! is thrown away. A change from outside the turnstile (another process, `run_due`) is still
//! a stale-version conflict, which the desk decides again (see [`retry`](super::retry)).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use tokio::sync::{Mutex as Gate, OwnedMutexGuard};

use crate::domain::TicketId;

/// The turnstiles of the tickets that commands are running on.
#[derive(Debug, Default)]
pub(crate) struct Turnstiles {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// A gate per ticket, alive while a command holds it or waits for it.
    gates: HashMap<TicketId, Weak<Gate<()>>>,
    /// The size at which gates nobody holds are dropped.
    prune_at: usize,
}

/// Holding a ticket's turnstile: the next command on it waits until this is dropped.
pub(crate) type Turn = OwnedMutexGuard<()>;

impl Turnstiles {
    /// Waits for `ticket`'s turn (in arrival order) and holds it until the [`Turn`] is
    /// dropped.
    pub(crate) async fn enter(&self, ticket: TicketId) -> Turn {
        let gate = {
            let mut state = self.lock();
            if state.gates.len() >= state.prune_at {
                state.gates.retain(|_, gate| gate.strong_count() > 0);
                state.prune_at = (2 * state.gates.len()).max(64);
            }
            match state.gates.get(&ticket).and_then(Weak::upgrade) {
                Some(gate) => gate,
                None => {
                    let gate = Arc::new(Gate::new(()));
                    state.gates.insert(ticket, Arc::downgrade(&gate));
                    gate
                }
            }
        };
        gate.lock_owned().await
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A map of weak gates: a panic elsewhere leaves it usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_ticket_has_one_turn_at_a_time_and_others_are_not_held_up() {
        let turnstiles = Turnstiles::default();
        let (a, b) = (TicketId::new(), TicketId::new());
        let first = turnstiles.enter(a).await;
        // Another ticket's turn is free while `a` is held.
        let other = turnstiles.enter(b).await;
        let waiting = turnstiles.enter(a);
        tokio::pin!(waiting);
        assert!(
            futures_poll_once(waiting.as_mut()).await.is_none(),
            "a's second turn waits"
        );
        drop(first);
        drop(other);
        waiting.await;
    }

    #[tokio::test]
    async fn gates_nobody_holds_are_dropped() {
        let turnstiles = Turnstiles::default();
        for _ in 0..1000 {
            drop(turnstiles.enter(TicketId::new()).await);
        }
        assert!(turnstiles.lock().gates.len() <= 64);
    }

    /// Polls `future` once: its output if it was ready.
    async fn futures_poll_once<F: std::future::Future + Unpin>(future: F) -> Option<F::Output> {
        let mut future = Some(future);
        std::future::poll_fn(move |cx| {
            let f = future.as_mut().expect("polled once");
            std::task::Poll::Ready(match std::pin::Pin::new(f).poll(cx) {
                std::task::Poll::Ready(out) => Some(out),
                std::task::Poll::Pending => None,
            })
        })
        .await
    }
}
