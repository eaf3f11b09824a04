//! Looking customers up (seed 004): contract number, phone, e-mail, address pattern; the
//! customer directory, page by page; and editing a customer's record.

use super::Acting;
use crate::domain::{
    Actor, Address, ContractNumber, Customer, CustomerId, CustomerKind, Email, Language, Name,
    Phone,
};
use crate::error::{Error, ForbiddenReason, Result};
use crate::search::CustomerLookup;
use crate::store::{CustomerFilter, CustomerPage, CustomerPageRequest, StoreExt};

/// A customer's record as edited: every field given replaces the stored one (`None` clears
/// it). Kind, custom fields and access are kept.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerEdit {
    /// Full name.
    pub name: Name,
    /// E-mail (unique when given).
    pub email: Option<Email>,
    /// Phone.
    pub phone: Option<Phone>,
    /// Preferred language.
    pub language: Option<Language>,
    /// Postal address.
    pub address: Option<Address>,
    /// Contract number (unique when given).
    pub contract_number: Option<ContractNumber>,
    /// The organisation a person belongs to: a customer of kind organisation.
    pub organisation: Option<CustomerId>,
}

impl CustomerEdit {
    /// The edit that changes nothing of `customer`.
    pub fn of(customer: &Customer) -> Self {
        Self {
            name: customer.name.clone(),
            email: customer.email.clone(),
            phone: customer.phone.clone(),
            language: customer.language,
            address: customer.address.clone(),
            contract_number: customer.contract_number.clone(),
            organisation: customer.organisation,
        }
    }
}

impl Acting {
    /// Customers matching `lookup` (staff only), by name, at most 50.
    ///
    /// A phone is looked up in each form it may be stored in
    /// ([`phone_forms`](crate::search::phone_forms), read in the desk's
    /// [phone region](crate::Helpdesk::phone_region)): `0721 000 111` finds the customer
    /// whose phone is `+40 721 000 111` on a desk in Romania, and the other way round.
    pub async fn find_customers(&self, lookup: &CustomerLookup) -> Result<Vec<Customer>> {
        self.require_staff()?;
        let CustomerLookup::Phone(digits) = lookup else {
            return self.desk.store.find_customers(lookup, 50).await;
        };
        let region = self.desk.phone_region().await?;
        let mut found: Vec<Customer> = Vec::new();
        for form in crate::search::phone_forms(digits, region) {
            for c in (self.desk.store)
                .find_customers(&CustomerLookup::Phone(form), 50)
                .await?
            {
                if !found.iter().any(|f| f.id == c.id) {
                    found.push(c);
                }
            }
        }
        found.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
        found.truncate(50);
        Ok(found)
    }

    /// A page of the customer directory (agents, admins and the system; customers are
    /// refused): those `filter` matches, by name then id, with how many match in all.
    pub async fn list_customers(
        &self,
        filter: &CustomerFilter,
        page: &CustomerPageRequest,
    ) -> Result<CustomerPage> {
        self.require_staff()?;
        self.desk.store.list_customers(filter, page).await
    }

    /// Changes a customer's record (admins, the system, and agents, who may add customers
    /// too). The organisation must be a customer of kind organisation, and only a person
    /// belongs to one; a taken e-mail or contract number is a conflict. Nothing is written
    /// on an error.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown customer; a validation error on `organisation`
    /// when it names no customer (`is not a known customer`), one that is not an
    /// organisation (`is not an organisation`), or the customer is an organisation itself
    /// (`only a person belongs to an organisation`); [`Error::Conflict`] for a taken e-mail
    /// or contract number.
    pub async fn update_customer(&self, id: CustomerId, edit: CustomerEdit) -> Result<Customer> {
        self.require_staff()?;
        let mut customer = self.desk.store.require_customer(id).await?;
        self.check_organisation(customer.kind, edit.organisation)
            .await?;
        customer.name = edit.name;
        customer.email = edit.email;
        customer.phone = edit.phone;
        customer.language = edit.language;
        customer.address = edit.address;
        customer.contract_number = edit.contract_number;
        customer.organisation = edit.organisation;
        self.desk.store.put_customer(&customer).await?;
        Ok(customer)
    }

    /// Sets the acting customer's own preferred language (the language of their pages and
    /// e-mails); only a customer, for themself. Nothing else of the record changes.
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] (customers only) for anyone but a customer.
    pub async fn set_own_language(&self, language: Language) -> Result<Customer> {
        let Actor::Customer(id) = self.actor() else {
            return Err(Error::forbidden(ForbiddenReason::CustomersOnly));
        };
        let mut customer = self.desk.store.require_customer(id).await?;
        if customer.language != Some(language) {
            customer.language = Some(language);
            self.desk.store.put_customer(&customer).await?;
        }
        Ok(customer)
    }

    /// Whether a customer of `kind` may belong to `organisation`: only a person, and only to
    /// a known customer of kind organisation (validation errors on `organisation`).
    pub(crate) async fn check_organisation(
        &self,
        kind: CustomerKind,
        organisation: Option<CustomerId>,
    ) -> Result<()> {
        let Some(org) = organisation else {
            return Ok(());
        };
        if kind != CustomerKind::Individual {
            return Err(Error::validation(
                "organisation",
                "only a person belongs to an organisation",
            ));
        }
        match self.desk.store.customer(org).await? {
            None => Err(Error::validation("organisation", "is not a known customer")),
            Some(o) if o.kind != CustomerKind::Organisation => {
                Err(Error::validation("organisation", "is not an organisation"))
            }
            Some(_) => Ok(()),
        }
    }
}
