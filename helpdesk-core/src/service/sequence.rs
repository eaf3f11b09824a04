//! Ticket numbers reserved in blocks, so that opening a ticket needs no write of its own.
//!
//! The desk takes sequence values from the store a block at a time
//! ([`Store::next_ticket_sequences`]) and hands them out from memory. A desk that opens one
//! ticket reserves one value; each further refill doubles the block, up to [`MAX_BLOCK`], so
//! a busy desk writes the sequence once per [`MAX_BLOCK`] tickets while a short-lived one (a
//! CLI call) leaves no gap. Values reserved and never used (the process ends) are gaps, as a
//! ticket never written always was; numbers stay unique, also across processes sharing a
//! database, but are no longer in opening order across them.

use std::collections::VecDeque;
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::store::Store;

/// The largest block of sequence values reserved at once.
pub(crate) const MAX_BLOCK: u32 = 32;

/// Sequence values reserved and not yet handed out, and the size of the next refill.
#[derive(Debug)]
pub(crate) struct SequenceBlock {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    values: VecDeque<u64>,
    next_block: u32,
}

impl Default for SequenceBlock {
    fn default() -> Self {
        Self {
            state: Mutex::new(State {
                values: VecDeque::new(),
                next_block: 1,
            }),
        }
    }
}

impl SequenceBlock {
    /// The next reserved value, reserving a block from `store` when none is left.
    pub(crate) async fn next(&self, store: &dyn Store) -> Result<u64> {
        let count = {
            let mut state = self.lock();
            if let Some(value) = state.values.pop_front() {
                return Ok(value);
            }
            let count = state.next_block;
            state.next_block = (count * 2).min(MAX_BLOCK);
            count
        };
        let mut values = store.next_ticket_sequences(count).await?.into_iter();
        let first = values
            .next()
            .ok_or_else(|| Error::backend("the store reserved no ticket number"))?;
        self.lock().values.extend(values);
        Ok(first)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a queue of numbers and a size: a panic elsewhere leaves it usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::store::MemoryStore;

    #[tokio::test]
    async fn a_first_ticket_reserves_one_value_and_blocks_grow_to_the_limit() {
        let store = MemoryStore::new();
        let block = SequenceBlock::default();
        assert_eq!(block.next(&store).await.unwrap(), 1);
        // Nothing else was reserved: another desk's next value follows directly.
        assert_eq!(store.next_ticket_sequence().await.unwrap(), 2);
        let mut seen = HashSet::new();
        for _ in 0..200 {
            assert!(seen.insert(block.next(&store).await.unwrap()));
        }
        assert!(!seen.contains(&2));
        let reserved = store.next_ticket_sequence().await.unwrap() - 1;
        assert!(reserved - 202 < u64::from(MAX_BLOCK), "{reserved}");
    }
}
