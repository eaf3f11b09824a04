//! [`TagStore`] for the in-memory reference store: the reference count itself.

use async_trait::async_trait;

use super::MemoryStore;
use crate::domain::TagCount;
use crate::error::Result;
use crate::store::{TagScope, TagStore, reference_tag_counts};

#[async_trait]
impl TagStore for MemoryStore {
    async fn tag_counts(&self, scope: &TagScope, limit: u32) -> Result<Vec<TagCount>> {
        let inner = self.lock();
        Ok(reference_tag_counts(inner.tickets.values(), scope, limit))
    }
}
