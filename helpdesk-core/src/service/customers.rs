//! Looking customers up (seed 004): contract number, phone, e-mail, address pattern.

use super::Helpdesk;
use crate::domain::{Actor, Customer};
use crate::error::Result;
use crate::search::CustomerLookup;

impl Helpdesk {
    /// Customers matching `lookup` (staff only), by name, at most 50.
    pub async fn find_customers(
        &self,
        actor: Actor,
        lookup: &CustomerLookup,
    ) -> Result<Vec<Customer>> {
        self.require_staff(actor).await?;
        self.store.find_customers(lookup, 50).await
    }
}
