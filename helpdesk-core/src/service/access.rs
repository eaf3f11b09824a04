//! Who may see what: the read side of authorization, shared by every call.

use super::Helpdesk;
use crate::domain::{Actor, Agent, Customer, Permission, Role, Ticket, TicketId};
use crate::error::{Entity, Error, ForbiddenReason, Result};
use crate::store::StoreExt;

/// The acting person, loaded and checked to be allowed in at all.
pub(crate) enum Principal {
    Customer(Customer),
    Agent(Agent),
    System,
}

impl Principal {
    pub(crate) fn agent(&self) -> Option<&Agent> {
        match self {
            Principal::Agent(a) => Some(a),
            _ => None,
        }
    }

    pub(crate) fn is_admin(&self) -> bool {
        match self {
            Principal::System => true,
            Principal::Agent(a) => a.role == Role::Admin,
            Principal::Customer(_) => false,
        }
    }
}

impl Helpdesk {
    /// Loads the actor: disabled customers and deactivated agents are refused everything.
    pub(crate) async fn principal(&self, actor: Actor) -> Result<Principal> {
        match actor {
            Actor::System => Ok(Principal::System),
            Actor::Customer(id) => {
                let customer = self.store.require_customer(id).await?;
                if !customer.access_enabled {
                    return Err(Error::forbidden(ForbiddenReason::AccessDisabled));
                }
                Ok(Principal::Customer(customer))
            }
            Actor::Agent(id) => {
                let agent = self.store.require_agent(id).await?;
                if !agent.active {
                    return Err(Error::forbidden(ForbiddenReason::AgentInactive));
                }
                Ok(Principal::Agent(agent))
            }
        }
    }

    /// Refuses anyone but admins and the system.
    pub(crate) async fn require_admin(&self, actor: Actor) -> Result<Principal> {
        let principal = self.principal(actor).await?;
        if principal.is_admin() {
            Ok(principal)
        } else {
            Err(Error::forbidden(ForbiddenReason::AdminOnly))
        }
    }

    /// Loads a ticket the principal may see. Customers get NotFound for tickets that are not
    /// theirs or internal (they may not learn that those exist); agents get Forbidden outside
    /// their departments.
    pub(crate) async fn visible_ticket(
        &self,
        principal: &Principal,
        id: TicketId,
    ) -> Result<Ticket> {
        let ticket = self.store.require_ticket(id).await?;
        check_visible(principal, &ticket)?;
        Ok(ticket)
    }
}

pub(crate) fn check_visible(principal: &Principal, ticket: &Ticket) -> Result<()> {
    match principal {
        Principal::System => Ok(()),
        Principal::Customer(c) if ticket.visible_to_customer(c.id) => Ok(()),
        Principal::Customer(_) => Err(Error::not_found(Entity::Ticket, ticket.id)),
        Principal::Agent(a) if a.can(Permission::Read, ticket.department) => Ok(()),
        Principal::Agent(_) => Err(Error::forbidden(ForbiddenReason::MissingPermission {
            permission: Permission::Read,
        })),
    }
}
