//! [`Acting`]: the desk acting as one principal, resolved and checked once; and who may see
//! what, the read side of authorization every call shares.

use super::Helpdesk;
use crate::domain::{Actor, Agent, Customer, Permission, Role, Ticket, TicketKey};
use crate::error::{Entity, Error, ForbiddenReason, Result};

/// Who acts, as loaded when the [`Acting`] was made.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// A customer with access.
    Customer(Customer),
    /// An active agent.
    Agent(Agent),
    /// The desk itself.
    System,
}

impl Principal {
    /// The actor.
    pub fn actor(&self) -> Actor {
        match self {
            Principal::Customer(c) => Actor::Customer(c.id),
            Principal::Agent(a) => Actor::Agent(a.id),
            Principal::System => Actor::System,
        }
    }

    /// The agent, when an agent acts.
    pub fn agent(&self) -> Option<&Agent> {
        match self {
            Principal::Agent(a) => Some(a),
            _ => None,
        }
    }

    /// The customer, when a customer acts.
    pub fn customer(&self) -> Option<&Customer> {
        match self {
            Principal::Customer(c) => Some(c),
            _ => None,
        }
    }

    /// Whether it is an admin (or the system).
    pub fn is_admin(&self) -> bool {
        match self {
            Principal::System => true,
            Principal::Agent(a) => a.role == Role::Admin,
            Principal::Customer(_) => false,
        }
    }

    /// Whether it is staff: an agent of any role, or the system.
    pub fn is_staff(&self) -> bool {
        !matches!(self, Principal::Customer(_))
    }
}

/// A desk acting as one principal: a customer, an agent or the system, loaded and checked
/// once (a disabled customer or a deactivated agent gets no `Acting`). Every call that acts
/// for someone is a method of it, authorized against that principal.
///
/// Make one per request (a server's request, a CLI command): it keeps the principal as it was
/// when made, so a change to their access is seen by the next one.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use std::sync::Arc;
/// use helpdesk_core::prelude::*;
///
/// let desk = Helpdesk::new(Arc::new(MemoryStore::new()));
/// let admin = desk.as_system();
/// let support = admin
///     .create_department(Name::parse("Support")?, FollowUpPolicy::Reopen)
///     .await?;
/// let ana = admin
///     .create_customer(NewCustomer::new(CustomerKind::Individual, Name::parse("Ana")?))
///     .await?;
/// let ana = desk.acting_as(Actor::Customer(ana.id)).await?;
/// let ticket = ana
///     .open_ticket(NewTicket::new(
///         Subject::parse("Printer on fire")?,
///         MessageBody::parse("It is on fire.")?,
///         support.id,
///     ))
///     .await?;
/// ana.execute(&ticket.number, Command::reply(MessageBody::parse("Still on fire.")?))
///     .await?;
/// assert_eq!(ana.thread(ticket.id).await?.len(), 2);
/// # Ok::<_, helpdesk_core::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Acting {
    pub(crate) desk: Helpdesk,
    pub(crate) principal: Principal,
}

impl Helpdesk {
    /// The desk acting as `actor`: loads them once and checks they may use the desk at all.
    /// A request that is one command or one ticket page can load them in the same store call
    /// as its own reads instead: [`execute_as`](Self::execute_as),
    /// [`ticket_with_thread_as`](Self::ticket_with_thread_as).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown customer or agent; [`Error::Forbidden`] for a
    /// customer whose access is disabled ([`ForbiddenReason::AccessDisabled`]) or a
    /// deactivated agent ([`ForbiddenReason::AgentInactive`]).
    pub async fn acting_as(&self, actor: Actor) -> Result<Acting> {
        let principal = match actor {
            Actor::System => Principal::System,
            Actor::Customer(id) => admit(actor, None, self.store.customer(id).await?)?,
            Actor::Agent(id) => admit(actor, self.store.agent(id).await?, None)?,
        };
        Ok(Acting {
            desk: self.clone(),
            principal,
        })
    }

    /// The desk acting as a principal the caller loaded and checked itself.
    pub(crate) fn acting_for(&self, principal: Principal) -> Acting {
        Acting {
            desk: self.clone(),
            principal,
        }
    }

    /// The desk acting as itself ([`Actor::System`]): set-up by the embedding application,
    /// timers and automation. Nothing to load, so it cannot fail.
    pub fn as_system(&self) -> Acting {
        self.acting_for(Principal::System)
    }
}

impl Acting {
    /// Who acts.
    pub fn actor(&self) -> Actor {
        self.principal.actor()
    }

    /// Who acts, as loaded.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// The desk it acts on.
    pub fn desk(&self) -> &Helpdesk {
        &self.desk
    }

    /// Refuses anyone but admins and the system.
    pub(crate) fn require_admin(&self) -> Result<()> {
        if self.principal.is_admin() {
            Ok(())
        } else {
            Err(Error::forbidden(ForbiddenReason::AdminOnly))
        }
    }

    /// Refuses customers.
    pub(crate) fn require_staff(&self) -> Result<()> {
        if self.principal.is_staff() {
            Ok(())
        } else {
            Err(Error::forbidden(ForbiddenReason::AgentsOnly))
        }
    }

    /// The acting agent, or Forbidden for anyone else.
    pub(crate) fn require_agent(&self) -> Result<&Agent> {
        self.principal
            .agent()
            .ok_or_else(|| Error::forbidden(ForbiddenReason::AgentsOnly))
    }

    /// Loads a ticket the principal may see. Customers get NotFound for tickets that are not
    /// theirs or internal (they may not learn that those exist); agents get Forbidden outside
    /// their departments.
    pub(crate) async fn visible_ticket(&self, key: impl Into<TicketKey>) -> Result<Ticket> {
        let key = key.into();
        let ticket = match &key {
            TicketKey::Id(id) => self.desk.store.ticket(*id).await?,
            TicketKey::Number(digits) => self.desk.store.ticket_by_number(digits).await?,
        };
        self.visible_or_shared(&key, ticket).await.map(|(t, _)| t)
    }

    /// `ticket`, read by `key`, if the principal may see it, also through their
    /// organisation (a customer who sees the organisation's tickets); whether it was seen
    /// that way. The errors of [`visible_ticket`](Self::visible_ticket).
    pub(crate) async fn visible_or_shared(
        &self,
        key: &TicketKey,
        ticket: Option<Ticket>,
    ) -> Result<(Ticket, bool)> {
        let ticket = ticket.ok_or_else(|| Error::not_found(Entity::Ticket, key))?;
        match check_visible(&self.principal, &ticket) {
            Ok(()) => Ok((ticket, false)),
            // Named as the person named it: nothing more about a ticket they may not see.
            Err(Error::NotFound { .. }) => {
                if self.sees_through_organisation(&ticket).await? {
                    Ok((ticket, true))
                } else {
                    Err(Error::not_found(Entity::Ticket, key))
                }
            }
            Err(e) => Err(e),
        }
    }
}

/// The principal `actor` names, from the `agent` or `customer` read for them (the one of
/// their kind is looked at), if they may use the desk at all: the rule of
/// [`Helpdesk::acting_as`], also applied to a principal read with a request's other reads.
///
/// # Errors
///
/// [`Error::NotFound`] when the agent or customer was not found; [`Error::Forbidden`] for a
/// customer whose access is disabled or a deactivated agent.
pub(super) fn admit(
    actor: Actor,
    agent: Option<Agent>,
    customer: Option<Customer>,
) -> Result<Principal> {
    match actor {
        Actor::System => Ok(Principal::System),
        Actor::Customer(id) => {
            let customer = (customer.filter(|c| c.id == id))
                .ok_or_else(|| Error::not_found(Entity::Customer, id))?;
            if !customer.access_enabled {
                return Err(Error::forbidden(ForbiddenReason::AccessDisabled));
            }
            Ok(Principal::Customer(customer))
        }
        Actor::Agent(id) => {
            let agent = (agent.filter(|a| a.id == id))
                .ok_or_else(|| Error::not_found(Entity::Agent, id))?;
            if !agent.active {
                return Err(Error::forbidden(ForbiddenReason::AgentInactive));
            }
            Ok(Principal::Agent(agent))
        }
    }
}

/// Whether `principal` may see `ticket`. A ticket someone may not see is not found, for
/// customers and for agents outside its department alike (a 403 would tell that it
/// exists); the NotFound is renamed by [`Acting::visible_ticket`] to the key they typed.
pub(super) fn check_visible(principal: &Principal, ticket: &Ticket) -> Result<()> {
    match principal {
        Principal::System => Ok(()),
        Principal::Customer(c) if ticket.visible_to_customer(c.id) => Ok(()),
        Principal::Agent(a) if a.can(Permission::Read, ticket.department) => Ok(()),
        Principal::Customer(_) | Principal::Agent(_) => {
            Err(Error::not_found(Entity::Ticket, ticket.id))
        }
    }
}
