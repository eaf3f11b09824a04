//! [`OrganisationStore`] for the in-memory reference store: domains by name, and the members
//! who see their organisation's tickets.

use async_trait::async_trait;

use super::MemoryStore;
use crate::domain::{CustomerId, OrganisationDomain};
use crate::error::{Entity, Error, Result};
use crate::store::OrganisationStore;

#[async_trait]
impl OrganisationStore for MemoryStore {
    async fn set_organisation_domains(
        &self,
        organisation: CustomerId,
        domains: &[OrganisationDomain],
    ) -> Result<()> {
        let mut state = self.lock();
        let taken = domains.iter().any(|d| {
            state
                .organisation_domains
                .get(d)
                .is_some_and(|owner| *owner != organisation)
        });
        if taken {
            return Err(Error::duplicate(Entity::Customer, "domain"));
        }
        state
            .organisation_domains
            .retain(|_, owner| *owner != organisation);
        for d in domains {
            state.organisation_domains.insert(d.clone(), organisation);
        }
        Ok(())
    }

    async fn organisation_domains(
        &self,
        organisation: CustomerId,
    ) -> Result<Vec<OrganisationDomain>> {
        Ok(self
            .lock()
            .organisation_domains
            .iter()
            .filter(|(_, owner)| **owner == organisation)
            .map(|(d, _)| d.clone())
            .collect())
    }

    async fn organisation_by_domain(
        &self,
        domain: &OrganisationDomain,
    ) -> Result<Option<CustomerId>> {
        Ok(self.lock().organisation_domains.get(domain).copied())
    }

    async fn set_sees_organisation_tickets(&self, customer: CustomerId, sees: bool) -> Result<()> {
        let mut state = self.lock();
        if sees {
            state.sees_organisation_tickets.insert(customer);
        } else {
            state.sees_organisation_tickets.remove(&customer);
        }
        Ok(())
    }

    async fn sees_organisation_tickets(&self, customer: CustomerId) -> Result<bool> {
        Ok(self.lock().sees_organisation_tickets.contains(&customer))
    }

    async fn organisation_members(&self, organisation: CustomerId) -> Result<Vec<CustomerId>> {
        let mut members: Vec<CustomerId> = self
            .lock()
            .customers
            .values()
            .filter(|c| c.organisation == Some(organisation))
            .map(|c| c.id)
            .collect();
        members.sort();
        Ok(members)
    }
}
