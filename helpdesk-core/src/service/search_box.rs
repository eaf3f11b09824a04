//! The search box: what a person types is also read as a whole, as a ticket's number (full or
//! short, in any digit script) or, for staff, as a customer (an e-mail address, a phone
//! number in any form the desk's [phone region](crate::Helpdesk::phone_region) allows, or
//! the words of a name). The tickets it names come first on the first page of a search,
//! then the tickets whose text matches ([`Acting::search_tickets`]).
//!
//! Every look-up is by an index of the store (a number, an e-mail, a phone's digits) except a
//! name, which asks the customer directory as its list does (a scan of the customers' keys
//! on SQLite and PostgreSQL): only for a query of one to four words of letters, with no
//! search operators.

use super::Acting;
use crate::domain::{Customer, Email, Ticket, TicketId, TicketNumber};
use crate::error::Result;
use crate::listing::{CustomerFilter, CustomerPageRequest, CustomerText};
use crate::search::{CustomerLookup, national_digits, phone_forms, words};
use crate::store::{PageRequest, TicketFilter, TicketOrder};

/// How many customers a name may name, and how many of a customer's tickets the box lists.
const MOST_CUSTOMERS: u32 = 5;

impl Acting {
    /// The tickets `typed` names as a whole, within `filter` (already narrowed to what the
    /// actor may see), at most `most`, in order: the ticket of the number, then the
    /// customers' tickets, most recently updated first. Empty for what names nothing.
    pub(crate) async fn search_box_hits(
        &self,
        typed: &str,
        filter: &TicketFilter,
        most: usize,
    ) -> Result<Vec<Ticket>> {
        let store = &self.desk.store;
        let mut hits: Vec<Ticket> = Vec::new();
        if most == 0 {
            return Ok(hits);
        }
        if let Ok(digits) = TicketNumber::normalize(typed)
            && let Some(t) = store.ticket_by_number(&digits).await?
            && filter.matches(&t)
        {
            hits.push(t);
        }
        if !self.principal.is_staff() {
            return Ok(hits);
        }
        for customer in self.customers_named(typed).await? {
            if filter.customer.is_some_and(|c| c != customer.id) || hits.len() >= most {
                continue;
            }
            let theirs = TicketFilter {
                customer: Some(customer.id),
                ..filter.clone()
            };
            let left = u32::try_from(most - hits.len()).unwrap_or(u32::MAX);
            let page = PageRequest::first(TicketOrder::LastUpdate, left);
            for t in store.list_tickets(&theirs, &page).await?.items {
                if hits.len() < most && !hits.iter().any(|h| h.id == t.id) {
                    hits.push(t);
                }
            }
        }
        Ok(hits)
    }

    /// The customers `typed` names as a whole: the customer of an e-mail address, those of
    /// a phone number (in any of its forms), or those whose name holds every word typed.
    async fn customers_named(&self, typed: &str) -> Result<Vec<Customer>> {
        let store = &self.desk.store;
        let typed = typed.trim();
        if typed.contains('@') {
            return match Email::parse(typed) {
                Ok(email) => Ok(store.customer_by_email(&email).await?.into_iter().collect()),
                Err(_) => Ok(Vec::new()),
            };
        }
        let region = if looks_like_a_phone(typed) {
            self.desk.phone_region().await?
        } else {
            None
        };
        if looks_like_a_phone(typed) && national_digits(typed, region).is_some() {
            let mut found: Vec<Customer> = Vec::new();
            for form in phone_forms(typed, region) {
                let lookup = CustomerLookup::Phone(form);
                for c in store.find_customers(&lookup, MOST_CUSTOMERS).await? {
                    if !found.iter().any(|f| f.id == c.id) {
                        found.push(c);
                    }
                }
            }
            return Ok(found);
        }
        let wanted = words(typed);
        let is_name = !wanted.is_empty()
            && wanted.len() <= 4
            && wanted.iter().all(|w| w.chars().all(char::is_alphabetic))
            && !typed.contains(['"', '*', '%'])
            && !typed.split_whitespace().any(|t| t.starts_with('-'));
        let Ok(text) = CustomerText::parse(typed) else {
            return Ok(Vec::new());
        };
        if !is_name {
            return Ok(Vec::new());
        }
        let filter = CustomerFilter {
            text: Some(text),
            ..CustomerFilter::default()
        };
        let page = store
            .list_customers(&filter, &CustomerPageRequest::first(MOST_CUSTOMERS))
            .await?;
        Ok(page
            .items
            .into_iter()
            .filter(|c| {
                let name = words(c.name.as_str());
                wanted.iter().all(|w| name.contains(w))
            })
            .collect())
    }
}

/// Whether `typed` is written like a phone number: digits (six or more, any script), with
/// only `+`, spaces, dashes, dots and brackets between them.
fn looks_like_a_phone(typed: &str) -> bool {
    let digits = typed
        .chars()
        .filter(|c| crate::domain::ascii_digit(*c).is_some())
        .count();
    digits >= 6
        && typed.chars().all(|c| {
            crate::domain::ascii_digit(c).is_some()
                || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')')
        })
}

/// Removes from `items` the tickets of `hits` (listed already, first).
pub(crate) fn without_hits(items: &mut Vec<Ticket>, hits: &[TicketId]) {
    items.retain(|t| !hits.contains(&t.id));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_digits_with_a_phones_punctuation() {
        assert!(looks_like_a_phone("0721 000 111"));
        assert!(looks_like_a_phone("+7 (495) 123-45-67"));
        assert!(looks_like_a_phone("۰۹۱۲۳۴۵۶۷۸۹"));
        assert!(!looks_like_a_phone("12345"));
        assert!(!looks_like_a_phone("router 0721000111"));
    }
}
