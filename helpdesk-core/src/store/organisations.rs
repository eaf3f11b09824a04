//! What a store keeps about organisations beside their customer records
//! ([`OrganisationStore`]): the mail domains each owns, and which members see the tickets of
//! the whole organisation.

use async_trait::async_trait;

use crate::domain::{CustomerId, OrganisationDomain};
use crate::error::Result;

/// An ability a store may offer
/// ([`Store::as_organisation_store`](super::Store::as_organisation_store)): an organisation
/// (a customer of kind organisation) owns mail domains, each owned by one organisation at
/// most; a member (a person whose `organisation` is set) may be allowed to see the
/// organisation's tickets.
#[async_trait]
pub trait OrganisationStore: Send + Sync {
    /// Replaces the domains of `organisation` with `domains`, in one write. A domain another
    /// organisation owns is [`Error::Conflict`](crate::Error::Conflict) with
    /// [`ConflictKind::Duplicate`](crate::error::ConflictKind::Duplicate) on `domain`, and
    /// nothing is written.
    async fn set_organisation_domains(
        &self,
        organisation: CustomerId,
        domains: &[OrganisationDomain],
    ) -> Result<()>;
    /// The domains of `organisation`, sorted.
    async fn organisation_domains(
        &self,
        organisation: CustomerId,
    ) -> Result<Vec<OrganisationDomain>>;
    /// The organisation owning `domain`, if one does.
    async fn organisation_by_domain(
        &self,
        domain: &OrganisationDomain,
    ) -> Result<Option<CustomerId>>;
    /// Records whether the member `customer` sees the tickets of their organisation.
    async fn set_sees_organisation_tickets(&self, customer: CustomerId, sees: bool) -> Result<()>;
    /// Whether the member `customer` sees the tickets of their organisation (false unless
    /// recorded).
    async fn sees_organisation_tickets(&self, customer: CustomerId) -> Result<bool>;
    /// The customers whose organisation is `organisation`, by id.
    async fn organisation_members(&self, organisation: CustomerId) -> Result<Vec<CustomerId>>;
}
