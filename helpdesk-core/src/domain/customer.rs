//! Customers: the people and organisations who open tickets.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::stable_text::stable_text;
use super::{Address, ContractNumber, CustomFields, CustomerId, Email, Language, Name, Phone};

/// Whether a customer is a person or an organisation (seed 004: a legal entity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    /// A private person.
    Individual,
    /// A company or other legal entity.
    Organisation,
}

stable_text!(CustomerKind, "customer_kind" {
    Individual => "individual",
    Organisation => "organisation",
});

/// Someone who opens tickets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// Its id.
    pub id: CustomerId,
    /// Person or organisation.
    pub kind: CustomerKind,
    /// Full name.
    pub name: Name,
    /// E-mail address (unique when present).
    pub email: Option<Email>,
    /// Phone number.
    pub phone: Option<Phone>,
    /// Contract number (unique when present; seed 004 searches by it first).
    pub contract_number: Option<ContractNumber>,
    /// Postal address, as typed.
    pub address: Option<Address>,
    /// Deployment-defined fields (district, ...).
    pub custom_fields: CustomFields,
    /// The language to write to them in, when known.
    pub language: Option<Language>,
    /// Whether they may use the ticket system; an admin toggles it (seed 003).
    pub access_enabled: bool,
    /// The organisation (a customer of kind [`CustomerKind::Organisation`]) this person
    /// belongs to, if any.
    #[serde(default)]
    pub organisation: Option<CustomerId>,
    /// When the customer was created.
    pub created_at: DateTime<Utc>,
}
