//! Looking customers up (seed 004): contract number, phone, e-mail, address pattern.

use super::Acting;
use crate::domain::Customer;
use crate::error::Result;
use crate::search::CustomerLookup;

impl Acting {
    /// Customers matching `lookup` (staff only), by name, at most 50.
    pub async fn find_customers(&self, lookup: &CustomerLookup) -> Result<Vec<Customer>> {
        self.require_staff()?;
        self.desk.store.find_customers(lookup, 50).await
    }
}
