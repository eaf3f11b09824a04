//! [`ReportStore`] for the in-memory reference store: the reference computation itself.

use async_trait::async_trait;

use super::MemoryStore;
use crate::domain::{Report, ReportQuery};
use crate::error::Result;
use crate::store::{ReportStore, reference_report};

#[async_trait]
impl ReportStore for MemoryStore {
    async fn report(&self, query: &ReportQuery) -> Result<Report> {
        let inner = self.lock();
        Ok(reference_report(
            inner.tickets.values(),
            inner.time_entries.values().flatten(),
            query,
        ))
    }
}
