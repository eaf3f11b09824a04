//! Customer lists: the directory's filters and keyset pages, as every store answers them
//! ([`Store::list_customers`](crate::store::Store::list_customers)).
//!
//! Customers are listed by name (bytewise, as Rust compares strings), then id. The free text
//! is matched against [`directory_key`], which stores keep beside each customer: so every
//! store agrees with [`CustomerFilter::matches`] in all four languages.

use crate::domain::{Customer, CustomerId, CustomerKind, ValidationError};
use crate::search::fold;

/// The most characters a free-text filter may have.
pub const MAX_CUSTOMER_TEXT: usize = 200;

/// Free text to find customers by: folded (see [`fold`]), trimmed, never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerText(String);

impl CustomerText {
    /// Folds and trims `text`.
    ///
    /// # Errors
    ///
    /// A validation error on `q` when nothing is left, it is longer than
    /// [`MAX_CUSTOMER_TEXT`] characters or holds a control character.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let text = text.trim();
        if text.chars().count() > MAX_CUSTOMER_TEXT {
            return Err(ValidationError::new("q", "is too long"));
        }
        if text.chars().any(char::is_control) {
            return Err(ValidationError::new("q", "holds a control character"));
        }
        let folded = fold(text);
        if folded.is_empty() {
            return Err(ValidationError::new("q", "is empty"));
        }
        Ok(Self(folded))
    }

    /// The folded text, as stores compare it with [`directory_key`].
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a customer's free text is matched against: the folded name, e-mail, phone as typed,
/// phone digits and contract number, one a line. Stores keep it beside each customer.
pub fn directory_key(customer: &Customer) -> String {
    let mut parts = vec![fold(customer.name.as_str())];
    if let Some(email) = &customer.email {
        parts.push(fold(email.as_str()));
    }
    if let Some(phone) = &customer.phone {
        parts.push(fold(phone.as_str()));
        parts.push(phone.digits().to_owned());
    }
    if let Some(contract) = &customer.contract_number {
        parts.push(fold(contract.as_str()));
    }
    // A folded field holds no line break of its own only if typed without one; the key is
    // compared as a whole, with a needle that holds none (see `CustomerText::parse`).
    parts.join("\n")
}

/// Which customers to list. Every `None` matches everyone; all given conditions must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFilter {
    /// In the name, e-mail, phone or contract number (a folded substring).
    pub text: Option<CustomerText>,
    /// Persons or organisations.
    pub kind: Option<CustomerKind>,
    /// Access enabled (`true`) or disabled (`false`).
    pub access_enabled: Option<bool>,
    /// Members of this organisation.
    pub organisation: Option<CustomerId>,
}

impl CustomerFilter {
    /// Whether `customer` matches. Stores must agree with this.
    pub fn matches(&self, customer: &Customer) -> bool {
        self.text
            .as_ref()
            .is_none_or(|t| directory_key(customer).contains(t.as_str()))
            && self.kind.is_none_or(|k| customer.kind == k)
            && self
                .access_enabled
                .is_none_or(|a| customer.access_enabled == a)
            && self
                .organisation
                .is_none_or(|o| customer.organisation == Some(o))
    }
}

/// Where a page of customers ends: the last customer's name and id. Opaque to clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerCursor {
    name: String,
    id: CustomerId,
}

impl CustomerCursor {
    /// The cursor just after `customer`.
    pub fn after(customer: &Customer) -> Self {
        Self {
            name: customer.name.as_str().to_owned(),
            id: customer.id,
        }
    }

    /// The last customer's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The last customer's id.
    pub fn id(&self) -> CustomerId {
        self.id
    }

    /// Whether `customer` comes after this cursor (by name, then id).
    pub fn precedes(&self, customer: &Customer) -> bool {
        (customer.name.as_str(), customer.id) > (self.name.as_str(), self.id)
    }

    /// The text form, to hand to clients: the id, a dot, the name's bytes in hex.
    pub fn encode(&self) -> String {
        let mut text = format!("{}.", self.id.as_uuid().simple());
        for b in self.name.as_bytes() {
            text.push_str(&format!("{b:02x}"));
        }
        text
    }

    /// Reads [`encode`](Self::encode)'s form.
    ///
    /// # Errors
    ///
    /// A validation error on `after` for anything else.
    pub fn decode(text: &str) -> Result<Self, ValidationError> {
        let bad = || ValidationError::new("after", "is not a cursor of this list");
        let (id, hex) = text.split_once('.').ok_or_else(bad)?;
        let id = uuid::Uuid::try_parse(id).map_err(|_| bad())?;
        if hex.len() % 2 != 0 || !hex.is_ascii() {
            return Err(bad());
        }
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad()))
            .collect::<Result<Vec<u8>, _>>()?;
        let name = String::from_utf8(bytes).map_err(|_| bad())?;
        if name.contains('\0') {
            return Err(bad());
        }
        Ok(Self {
            name,
            id: CustomerId::from_uuid(id),
        })
    }
}

/// Which page of customers to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerPageRequest {
    limit: u32,
    after: Option<CustomerCursor>,
}

impl CustomerPageRequest {
    /// The most customers a page may hold; larger requests are capped to it.
    pub const MAX_LIMIT: u32 = 200;

    /// The first page of `limit` customers (1 to [`MAX_LIMIT`](Self::MAX_LIMIT), capped).
    pub fn first(limit: u32) -> Self {
        Self {
            limit: limit.clamp(1, Self::MAX_LIMIT),
            after: None,
        }
    }

    /// The page after `cursor`.
    pub fn after(self, cursor: CustomerCursor) -> Self {
        Self {
            after: Some(cursor),
            ..self
        }
    }

    /// How many customers at most.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The cursor to start after.
    pub fn cursor(&self) -> Option<&CustomerCursor> {
        self.after.as_ref()
    }

    /// Sorts customers in the list's order (the reference for SQL `ORDER BY`).
    pub fn sort(customers: &mut [Customer]) {
        customers.sort_by(|a, b| (a.name.as_str(), a.id).cmp(&(b.name.as_str(), b.id)));
    }

    /// Turns up to `limit + 1` sorted customers after the cursor into a page of `limit`,
    /// with a cursor when more remain, and the filter's `total`.
    pub fn into_page(&self, mut rows: Vec<Customer>, total: u64) -> CustomerPage {
        let more = rows.len() > self.limit as usize;
        rows.truncate(self.limit as usize);
        let next = if more {
            rows.last().map(CustomerCursor::after)
        } else {
            None
        };
        CustomerPage {
            items: rows,
            next,
            total,
        }
    }

    /// The page of `all` customers `filter` matches, as the reference store answers it.
    pub fn page_of<'a>(
        &self,
        filter: &CustomerFilter,
        all: impl IntoIterator<Item = &'a Customer>,
    ) -> CustomerPage {
        let mut matching: Vec<Customer> = all
            .into_iter()
            .filter(|c| filter.matches(c))
            .cloned()
            .collect();
        Self::sort(&mut matching);
        let total = matching.len() as u64;
        let rows = matching
            .into_iter()
            .filter(|c| self.after.as_ref().is_none_or(|a| a.precedes(c)))
            .take(self.limit as usize + 1)
            .collect();
        self.into_page(rows, total)
    }
}

impl Default for CustomerPageRequest {
    fn default() -> Self {
        Self::first(50)
    }
}

/// A page of customers, the cursor to the next one, and how many match the filter.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerPage {
    /// The customers, by name then id.
    pub items: Vec<Customer>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<CustomerCursor>,
    /// How many customers match the filter, on every page.
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::samples::customer;

    #[test]
    fn cursors_round_trip_and_junk_is_refused() {
        let c = CustomerCursor::after(&customer("Ана Ионеску", None));
        assert_eq!(CustomerCursor::decode(&c.encode()).unwrap(), c);
        for junk in [
            "",
            ".",
            "x.41",
            "00000000000000000000000000000000.4",
            "00000000000000000000000000000000.ff",
            "00000000000000000000000000000000.00",
        ] {
            assert!(CustomerCursor::decode(junk).is_err(), "{junk}");
        }
    }

    #[test]
    fn free_text_is_folded_and_blank_or_control_text_refused() {
        assert_eq!(CustomerText::parse("  ЁЛКА ").unwrap().as_str(), "елка");
        assert!(CustomerText::parse("   ").is_err());
        assert!(CustomerText::parse("a\nb").is_err());
        assert!(CustomerText::parse(&"a".repeat(MAX_CUSTOMER_TEXT + 1)).is_err());
    }

    #[test]
    fn text_matches_name_email_phone_digits_and_contract() {
        let mut c = customer("Ana Popescu", Some("ana@example.ro"));
        c.phone = Some(crate::domain::Phone::parse("+40 (721) 000-111").unwrap());
        c.contract_number = Some(crate::domain::ContractNumber::parse("RO-77").unwrap());
        for q in ["popesc", "ANA@EX", "721) 000", "721000", "ro-7"] {
            let filter = CustomerFilter {
                text: Some(CustomerText::parse(q).unwrap()),
                ..CustomerFilter::default()
            };
            assert!(filter.matches(&c), "{q}");
        }
        let filter = CustomerFilter {
            text: Some(CustomerText::parse("ion").unwrap()),
            ..CustomerFilter::default()
        };
        assert!(!filter.matches(&c));
    }
}
