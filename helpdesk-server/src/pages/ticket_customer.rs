//! The customer panel of the agent's ticket page (issue 21, problem 5): who asked (name,
//! e-mail, phone), their organisation, and their other tickets, the most recently active
//! first, with a link to the queue filtered by the customer when there are more. Staff only:
//! customers never get it.

use helpdesk::domain::{Customer, Language, Ticket};
use helpdesk::service::Acting;
use helpdesk::store::{PageRequest, TicketFilter, TicketOrder};
use maud::{Markup, html};

use super::layout::{status_badge, t};
use crate::error::ApiResult;

/// How many of the customer's other tickets the panel lists.
pub(crate) const OTHER_TICKETS: usize = 5;

/// What the panel shows.
pub(crate) struct CustomerPanel {
    /// The customer.
    pub customer: Customer,
    /// Their organisation, when they belong to one.
    pub organisation: Option<Customer>,
    /// Their other tickets the agent may see, the most recently active first.
    pub others: Vec<Ticket>,
    /// Whether they have more than those.
    pub more: bool,
}

/// The panel of `ticket`'s customer, for staff (`None` for a ticket about no customer).
pub(crate) async fn load(acting: &Acting, ticket: &Ticket) -> ApiResult<Option<CustomerPanel>> {
    let Some(id) = ticket.customer else {
        return Ok(None);
    };
    let customer = acting.customer(id).await?;
    let organisation = match customer.organisation {
        Some(org) => Some(acting.customer(org).await?),
        None => None,
    };
    let filter = TicketFilter {
        customer: Some(id),
        ..TicketFilter::default()
    };
    // One more than shown besides this ticket: enough to know whether there are more.
    let limit = u32::try_from(OTHER_TICKETS + 2).unwrap_or(u32::MAX);
    let page = acting
        .list_tickets(filter, PageRequest::first(TicketOrder::LastUpdate, limit))
        .await?;
    let mut others: Vec<Ticket> = (page.items.into_iter())
        .filter(|t| t.id != ticket.id)
        .collect();
    let more = others.len() > OTHER_TICKETS || page.next.is_some();
    others.truncate(OTHER_TICKETS);
    Ok(Some(CustomerPanel {
        customer,
        organisation,
        others,
        more,
    }))
}

/// The panel (its `id` is `customer-panel`).
pub(crate) fn panel(lang: Language, panel: &CustomerPanel) -> Markup {
    let c = &panel.customer;
    html! {
        section.side-card #customer-panel {
            h2 { (t(lang, "customer_panel")) }
            p #customer-name { strong { bdi { (c.name) } } }
            dl {
                @if let Some(email) = &c.email {
                    dt { (t(lang, "customer_email")) }
                    dd #customer-email { a href={ "mailto:" (email) } { bdi { (email) } } }
                }
                @if let Some(phone) = &c.phone {
                    dt { (t(lang, "customer_phone")) }
                    dd #customer-phone { a href={ "tel:" (phone) } { bdi dir="ltr" { (phone) } } }
                }
                @if let Some(org) = &panel.organisation {
                    dt { (t(lang, "customer_organisation")) }
                    dd #customer-organisation { bdi { (org.name) } }
                }
            }
            h3 { (t(lang, "customer_other_tickets")) }
            @if panel.others.is_empty() {
                p.meta #no-other-tickets { (t(lang, "customer_no_other_tickets")) }
            } @else {
                ul #other-tickets {
                    @for o in &panel.others {
                        li { a href={ "/tickets/" (o.id) } { "#" (o.number.short()) " " bdi { (o.subject) } } " " (status_badge(lang, o.status)) }
                    }
                }
            }
            @if panel.more {
                p { a #more-tickets href={ "/console?status=all&customer=" (c.id) } { (t(lang, "customer_more_tickets")) } }
            }
        }
    }
}
