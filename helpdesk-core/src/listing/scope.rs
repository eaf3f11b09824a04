//! Which tickets a list may hold for whom: a customer's own non-internal tickets, an agent's
//! readable departments' (every department for an admin). The one rule every ticket list and
//! search applies, whether the principal was read before the list
//! ([`Acting::list_tickets`](crate::service::Acting::list_tickets)) or with it
//! ([`ReadSet::tickets`](crate::store::ReadSet::tickets)).

use super::TicketFilter;
use crate::domain::{Agent, Customer, CustomerId};

/// `filter` narrowed to the tickets `customer` may see; `None` when that is nothing (they
/// asked for another customer's tickets, or for internal ones; tags are for staff, so a
/// customer's filter by tag matches nothing). `circle`: the customers whose
/// tickets they see when they see their organisation's tickets (`None`: only their own).
pub fn for_customer(
    customer: &Customer,
    circle: Option<Vec<CustomerId>>,
    mut filter: TicketFilter,
) -> Option<TicketFilter> {
    if filter.tags.is_some() {
        return None;
    }
    let Some(circle) = circle else {
        if filter.customer.is_some_and(|other| other != customer.id)
            || filter.internal == Some(true)
        {
            return None;
        }
        filter.customer = Some(customer.id);
        filter.internal = Some(false);
        return Some(filter);
    };
    if filter
        .customer
        .is_some_and(|other| !circle.contains(&other))
        || filter.internal == Some(true)
    {
        return None;
    }
    if filter.customer.is_none() {
        filter.customers = Some(match filter.customers {
            Some(asked) => asked.into_iter().filter(|c| circle.contains(c)).collect(),
            None => circle,
        });
    }
    filter.internal = Some(false);
    Some(filter)
}

/// `filter` narrowed to the departments `agent` may read (an admin reads them all).
pub fn for_agent(agent: &Agent, mut filter: TicketFilter) -> TicketFilter {
    if let Some(readable) = agent.readable_departments() {
        filter.departments = Some(match filter.departments {
            Some(asked) => asked.into_iter().filter(|d| readable.contains(d)).collect(),
            None => readable,
        });
    }
    filter
}
