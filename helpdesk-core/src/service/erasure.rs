//! Erasure and anonymisation of a customer (issue 22, item 4): admins only. The rule of what
//! goes and what is replaced is [`ErasurePlan`](crate::store::ErasurePlan)'s; the store
//! applies it in one transaction with its audit entry, and the attachment bytes no message
//! refers to any more are removed right after.

use std::collections::BTreeSet;

use super::{Acting, Helpdesk};
use crate::domain::{CustomerId, Ticket, TicketId};
use crate::error::{Ability, Error, Result};
use crate::listing::{PageRequest, TicketFilter, TicketOrder};
use crate::store::{
    BlobKey, ErasureCause, ErasureMode, ErasurePlan, ErasureRecord, ErasureStore,
    MAX_ERASURES_LISTED, StoreExt, placeholder, record_of,
};

impl Helpdesk {
    /// The store's erasure, or [`Error::Unsupported`].
    pub fn erasure_store(&self) -> Result<&dyn ErasureStore> {
        self.store
            .as_erasure_store()
            .ok_or(Error::unsupported(Ability::Erasure))
    }

    /// Every ticket `filter` matches, whatever its status.
    async fn all_tickets(&self, filter: &TicketFilter) -> Result<Vec<Ticket>> {
        let mut page = PageRequest::first(TicketOrder::default(), PageRequest::MAX_LIMIT);
        let mut all = Vec::new();
        loop {
            let got = self.store.list_tickets(filter, &page).await?;
            all.extend(got.items);
            match got.next {
                Some(cursor) => page = page.after(cursor).map_err(Error::from)?,
                None => return Ok(all),
            }
        }
    }

    /// The attachment keys of the messages of `tickets`, internal notes included.
    async fn attachment_keys(&self, tickets: &[TicketId]) -> Result<Vec<BlobKey>> {
        let mut keys = BTreeSet::new();
        for id in tickets {
            for m in self.store.messages(*id, true).await? {
                for a in &m.attachments {
                    keys.insert(a.sha256().to_owned());
                }
            }
        }
        Ok(keys
            .into_iter()
            .filter_map(|k| BlobKey::parse(&k).ok())
            .collect())
    }

    /// Applies `plan`, then removes the bytes of the attachments of its tickets that no
    /// message refers to any more, when last written at or before the erasure's instant (an
    /// upload about to use the same bytes later keeps them).
    /// How many tickets it handled.
    pub(crate) async fn apply_erasure(&self, plan: &ErasurePlan) -> Result<u64> {
        let keys = self.attachment_keys(&plan.tickets).await?;
        let count = self.erasure_store()?.erase(plan).await?;
        let Some(blobs) = self.blobs.as_deref() else {
            return Ok(count);
        };
        if keys.is_empty() {
            return Ok(count);
        }
        let kept: BTreeSet<BlobKey> = self
            .store
            .referenced_blobs(&keys)
            .await?
            .into_iter()
            .collect();
        for key in keys.iter().filter(|k| !kept.contains(*k)) {
            blobs
                .delete_blob_written_before(key, plan.record.at + chrono::Duration::microseconds(1))
                .await?;
        }
        Ok(count)
    }
}

impl Acting {
    /// Erases or anonymises the customer `id` with their tickets (admins; see
    /// [`ErasurePlan`](crate::store::ErasurePlan) for what goes and what is replaced); the
    /// audit entry written with it.
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] for anyone but an admin, [`Error::NotFound`] for an unknown
    /// customer, [`Error::Unsupported`] when the store offers no erasure. Nothing is written
    /// on an error.
    pub async fn erase_customer(&self, id: CustomerId, mode: ErasureMode) -> Result<ErasureRecord> {
        self.require_admin()?;
        let desk = &self.desk;
        desk.erasure_store()?;
        let customer = desk.store.require_customer(id).await?;
        let filter = TicketFilter {
            customer: Some(id),
            ..TicketFilter::default()
        };
        let tickets: Vec<TicketId> = desk
            .all_tickets(&filter)
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect();
        let record = ErasureRecord {
            mode,
            cause: ErasureCause::Request,
            actor: self.actor(),
            at: desk.now(),
            tickets: tickets.len() as u64,
            customer: true,
        };
        let plan = ErasurePlan {
            mode,
            tickets,
            customer: Some(id),
            address: customer.email.clone(),
            placeholder: (mode == ErasureMode::Anonymise).then(|| placeholder(&customer)),
            record: record.clone(),
        };
        let count = desk.apply_erasure(&plan).await?;
        Ok(record_of(&plan, count).unwrap_or(record))
    }

    /// The audit trail of erasures, newest first, at most `limit` (admins; at most
    /// [`MAX_ERASURES_LISTED`]).
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] for anyone but an admin, [`Error::Validation`] on a `limit`
    /// above the most, [`Error::Unsupported`] when the store offers no erasure.
    pub async fn erasures(&self, limit: u32) -> Result<Vec<ErasureRecord>> {
        self.require_admin()?;
        if limit > MAX_ERASURES_LISTED {
            return Err(Error::validation(
                "limit",
                "is above the most erasures listed",
            ));
        }
        self.desk.erasure_store()?.erasures(limit).await
    }
}
