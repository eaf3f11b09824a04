//! Organisations (issue 20): the mail domains an organisation owns (a new person at one of
//! them joins it), and members who see the tickets of their whole organisation. Staff manage
//! both; a member with the flag lists, reads and replies to (the public thread of) the
//! tickets of every member of the same organisation and of the organisation itself. Without
//! the flag nothing changes.

use std::collections::BTreeSet;

use super::acting::Principal;
use super::{Acting, Helpdesk};
use crate::domain::{Customer, CustomerId, CustomerKind, Email, OrganisationDomain, Ticket};
use crate::error::{Ability, Error, Result};
use crate::store::{OrganisationStore, StoreExt};

/// The most domains one organisation owns.
pub const MAX_ORGANISATION_DOMAINS: usize = 100;

impl Helpdesk {
    /// The store's organisations, or [`Error::Unsupported`].
    pub fn organisation_store(&self) -> Result<&dyn OrganisationStore> {
        self.store
            .as_organisation_store()
            .ok_or(Error::unsupported(Ability::Organisations))
    }

    /// The organisation owning the domain of `email`, when the store keeps domains and one
    /// does: what a new person with that address joins.
    pub(super) async fn organisation_of_address(
        &self,
        email: &Email,
    ) -> Result<Option<CustomerId>> {
        let (Some(store), Some(domain)) = (
            self.store.as_organisation_store(),
            OrganisationDomain::of(email),
        ) else {
            return Ok(None);
        };
        store.organisation_by_domain(&domain).await
    }
}

impl Acting {
    /// The organisation `id`, checked to be one: staff only.
    async fn require_organisation(&self, id: CustomerId) -> Result<Customer> {
        self.require_staff()?;
        let organisation = self.desk.store.require_customer(id).await?;
        if organisation.kind != CustomerKind::Organisation {
            return Err(Error::validation("organisation", "is not an organisation"));
        }
        Ok(organisation)
    }

    /// The mail domains of the organisation `id`, sorted (staff).
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] for customers, [`Error::NotFound`] for an unknown customer,
    /// [`Error::Validation`] when it is not an organisation, [`Error::Unsupported`] when
    /// the store keeps no organisations.
    pub async fn organisation_domains(&self, id: CustomerId) -> Result<Vec<OrganisationDomain>> {
        self.require_organisation(id).await?;
        self.desk
            .organisation_store()?
            .organisation_domains(id)
            .await
    }

    /// Replaces the mail domains of the organisation `id` (staff; duplicates dropped, at
    /// most [`MAX_ORGANISATION_DOMAINS`]); the domains now stored. A person created later
    /// with an address at one of them joins the organisation.
    ///
    /// # Errors
    ///
    /// Those of [`organisation_domains`](Self::organisation_domains); [`Error::Validation`]
    /// on `domains` past the limit; [`Error::Conflict`] (duplicate `domain`) when another
    /// organisation owns one of them. Nothing is written on an error.
    pub async fn set_organisation_domains(
        &self,
        id: CustomerId,
        domains: Vec<OrganisationDomain>,
    ) -> Result<Vec<OrganisationDomain>> {
        self.require_organisation(id).await?;
        let domains: Vec<OrganisationDomain> = domains
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if domains.len() > MAX_ORGANISATION_DOMAINS {
            return Err(Error::validation(
                "domains",
                format!("at most {MAX_ORGANISATION_DOMAINS} domains per organisation"),
            ));
        }
        let store = self.desk.organisation_store()?;
        store.set_organisation_domains(id, &domains).await?;
        Ok(domains)
    }

    /// Whether the member `id` sees their organisation's tickets: staff, or the customer
    /// themselves.
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] for another customer, [`Error::NotFound`] for an unknown
    /// customer, [`Error::Unsupported`] when the store keeps no organisations.
    pub async fn sees_organisation_tickets(&self, id: CustomerId) -> Result<bool> {
        self.customer(id).await?;
        self.desk
            .organisation_store()?
            .sees_organisation_tickets(id)
            .await
    }

    /// Lets the member `id` see (list, read, reply to) the tickets of their whole
    /// organisation, or stops it (staff).
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] for customers, [`Error::NotFound`] for an unknown customer,
    /// [`Error::Validation`] (`organisation`) when turning it on for a customer in no
    /// organisation, [`Error::Unsupported`] when the store keeps no organisations.
    pub async fn set_sees_organisation_tickets(&self, id: CustomerId, sees: bool) -> Result<()> {
        self.require_staff()?;
        let member = self.desk.store.require_customer(id).await?;
        if sees && member.organisation.is_none() {
            return Err(Error::validation(
                "organisation",
                "the customer belongs to no organisation",
            ));
        }
        self.desk
            .organisation_store()?
            .set_sees_organisation_tickets(id, sees)
            .await
    }

    /// The organisation whose tickets the acting customer sees beside their own: theirs,
    /// when they have the flag; `None` for everyone else (and on a store without
    /// organisations).
    async fn shared_organisation(&self) -> Result<Option<CustomerId>> {
        let Principal::Customer(me) = &self.principal else {
            return Ok(None);
        };
        let (Some(organisation), Some(store)) =
            (me.organisation, self.desk.store.as_organisation_store())
        else {
            return Ok(None);
        };
        Ok(store
            .sees_organisation_tickets(me.id)
            .await?
            .then_some(organisation))
    }

    /// Whether the acting customer sees `ticket` through their organisation (not as its
    /// own customer): it is not internal and belongs to the organisation or one of its
    /// members, and they have the flag.
    pub(crate) async fn sees_through_organisation(&self, ticket: &Ticket) -> Result<bool> {
        let Some(owner) = ticket.customer.filter(|_| !ticket.internal) else {
            return Ok(false);
        };
        let Some(organisation) = self.shared_organisation().await? else {
            return Ok(false);
        };
        if owner == organisation {
            return Ok(true);
        }
        Ok(self
            .desk
            .store
            .customer(owner)
            .await?
            .is_some_and(|c| c.organisation == Some(organisation)))
    }

    /// The customers whose tickets the acting customer lists: `None` unless they see their
    /// organisation's tickets; else the organisation and its members (themselves among
    /// them).
    pub(crate) async fn organisation_circle(&self) -> Result<Option<Vec<CustomerId>>> {
        let Some(organisation) = self.shared_organisation().await? else {
            return Ok(None);
        };
        let mut circle = self
            .desk
            .organisation_store()?
            .organisation_members(organisation)
            .await?;
        circle.push(organisation);
        if let Principal::Customer(me) = &self.principal
            && !circle.contains(&me.id)
        {
            circle.push(me.id);
        }
        Ok(Some(circle))
    }
}
