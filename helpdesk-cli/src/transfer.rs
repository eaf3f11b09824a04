//! `export` and `import`: one JSON document with departments, agents, customers and tickets
//! with their threads. Import reuses departments (by name), agents (by e-mail) and customers
//! (by e-mail or contract number) that exist, and opens every ticket anew (new numbers),
//! replaying its messages and, where the life cycle allows, its status.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, Utc};
use helpdesk::domain::{
    Actor, Address, AgentId, Channel, ContractNumber, Customer, CustomerId, CustomerKind,
    DepartmentId, Email, Language, MessageBody, Name, Phone, Priority, Resolution, Role, Signature,
    Status, Subject, Ticket, TicketType, Visibility, standard_permissions,
};
use helpdesk::machine::{Command, NewTicket};
use helpdesk::policy::FollowUpPolicy;
use helpdesk::search::CustomerLookup;
use helpdesk::service::{Acting, NewAgent, NewCustomer};
use helpdesk::store::{PageRequest, TicketFilter};
use serde::{Deserialize, Serialize};

use crate::CliResult;
use crate::context::Ctx;
use crate::exit::Failure;
use crate::listing::Listing;

/// The document's format name.
pub const FORMAT: &str = "helpdesk-cli/1";

/// Everything `export` writes and `import` reads.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Document {
    /// [`FORMAT`].
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub departments: Vec<DepartmentDoc>,
    #[serde(default)]
    pub agents: Vec<AgentDoc>,
    #[serde(default)]
    pub customers: Vec<CustomerDoc>,
    #[serde(default)]
    pub tickets: Vec<TicketDoc>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct DepartmentDoc {
    pub name: Name,
    #[serde(default)]
    pub follow_up: FollowUpPolicy,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct AgentDoc {
    pub name: Name,
    pub email: Email,
    #[serde(default = "agent_role")]
    pub role: Role,
    /// Department names; the agent gets the standard permissions in each.
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    pub signature: Option<Signature>,
}

fn agent_role() -> Role {
    Role::Agent
}

#[derive(Debug, Serialize, Deserialize)]
pub struct CustomerDoc {
    /// What tickets in this document call the customer (the export uses the id).
    #[serde(default, rename = "ref")]
    pub key: Option<String>,
    pub kind: CustomerKind,
    pub name: Name,
    #[serde(default)]
    pub email: Option<Email>,
    #[serde(default)]
    pub phone: Option<Phone>,
    #[serde(default)]
    pub contract_number: Option<ContractNumber>,
    #[serde(default)]
    pub address: Option<Address>,
    #[serde(default)]
    pub language: Option<Language>,
    /// The organisation this person belongs to: a customer's `ref` in this document, or
    /// the e-mail or contract number of one the desk knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct TicketDoc {
    /// The number it had (informational: imported tickets get new numbers).
    #[serde(default)]
    pub number: Option<String>,
    pub subject: Subject,
    /// The department's name.
    pub department: String,
    /// A customer's `ref` in this document, or an e-mail or contract number already known.
    #[serde(default)]
    pub customer: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub ticket_type: TicketType,
    #[serde(default)]
    pub channel: Channel,
    #[serde(default)]
    pub internal: bool,
    /// The status to bring it to after the messages (resolved, on hold, closed).
    #[serde(default)]
    pub status: Option<Status>,
    /// The thread, first message first; the first is the ticket's description.
    pub messages: Vec<MessageDoc>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct MessageDoc {
    /// `system`, `agent:EMAIL` or `customer` (the ticket's customer).
    pub author: String,
    #[serde(default)]
    pub internal: bool,
    pub body: MessageBody,
    /// When it was written (informational).
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

/// What an import did.
#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub departments: usize,
    pub agents: usize,
    pub customers: usize,
    pub tickets: usize,
    pub messages: usize,
    pub warnings: Vec<String>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "imported {} departments, {} agents, {} customers, {} tickets with {} messages",
            self.departments, self.agents, self.customers, self.tickets, self.messages
        )?;
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}

/// Every ticket the actor may see, oldest first: each once, also when tickets change while
/// they are read (see [`Listing::every`]).
async fn all_tickets(ctx: &Ctx) -> CliResult<Vec<Ticket>> {
    let listing = Listing {
        acting: &ctx.acting,
        query: None,
        filter: TicketFilter::default(),
    };
    let mut tickets = listing.every(PageRequest::MAX_LIMIT).await?;
    tickets.sort_by_key(|t| (t.created_at, t.number.full().to_owned()));
    Ok(tickets)
}

/// A customer as the document writes it, its `ref` its id.
fn customer_doc(c: Customer) -> CustomerDoc {
    CustomerDoc {
        key: Some(c.id.to_string()),
        kind: c.kind,
        name: c.name,
        email: c.email,
        phone: c.phone,
        contract_number: c.contract_number,
        address: c.address,
        language: c.language,
        organisation: c.organisation.map(|o| o.to_string()),
    }
}

/// The document for everything the actor may see.
pub async fn export(ctx: &Ctx) -> CliResult<Document> {
    let departments = ctx.acting.departments().await?;
    let dept_name: HashMap<DepartmentId, String> = departments
        .iter()
        .map(|d| (d.id, d.name.to_string()))
        .collect();
    let agents = match ctx.acting.actor() {
        Actor::Customer(_) => Vec::new(),
        _ => ctx.acting.agents().await?,
    };
    let agent_email: HashMap<AgentId, String> =
        agents.iter().map(|a| (a.id, a.email.to_string())).collect();
    let tickets = all_tickets(ctx).await?;
    let mut customers: Vec<CustomerDoc> = Vec::new();
    let mut seen: HashSet<CustomerId> = HashSet::new();
    let mut ticket_docs = Vec::new();
    for t in &tickets {
        if let Some(c) = t.customer
            && seen.insert(c)
        {
            let c = ctx.acting.customer(c).await?;
            // The organisation goes before its members, so an import finds it first.
            if let Some(o) = c.organisation
                && seen.insert(o)
            {
                customers.push(customer_doc(ctx.acting.customer(o).await?));
            }
            customers.push(customer_doc(c));
        }
        let messages = ctx
            .acting
            .thread(t.id)
            .await?
            .into_iter()
            .map(|m| MessageDoc {
                author: match m.author {
                    Actor::Agent(a) => agent_email
                        .get(&a)
                        .map_or("system".to_owned(), |e| format!("agent:{e}")),
                    Actor::Customer(_) => "customer".to_owned(),
                    Actor::System => "system".to_owned(),
                },
                internal: m.visibility == Visibility::Internal,
                body: m.body,
                at: Some(m.created_at),
            })
            .collect();
        ticket_docs.push(TicketDoc {
            number: Some(t.number.to_string()),
            subject: t.subject.clone(),
            department: dept_name.get(&t.department).cloned().unwrap_or_default(),
            customer: t.customer.map(|c| c.to_string()),
            priority: Some(t.priority),
            ticket_type: t.ticket_type.clone(),
            channel: t.channel,
            internal: t.internal,
            status: Some(t.status),
            messages,
        });
    }
    Ok(Document {
        format: FORMAT.to_owned(),
        departments: departments
            .iter()
            .map(|d| DepartmentDoc {
                name: d.name.clone(),
                follow_up: d.follow_up,
            })
            .collect(),
        agents: agents
            .iter()
            .map(|a| AgentDoc {
                name: a.name.clone(),
                email: a.email.clone(),
                role: a.role,
                departments: departments
                    .iter()
                    .filter(|d| a.departments.contains_key(&d.id))
                    .map(|d| d.name.to_string())
                    .collect(),
                signature: Some(a.signature.clone()).filter(|s| !s.as_str().is_empty()),
            })
            .collect(),
        customers,
        tickets: ticket_docs,
    })
}

/// Loads `text` (a [`Document`]), as the command's principal; each message is replayed
/// as its author (a principal made once per author).
pub async fn import(ctx: &Ctx, text: &str) -> CliResult<ImportReport> {
    let doc: Document = serde_json::from_str(text)?;
    if !doc.format.is_empty() && doc.format != FORMAT {
        return Err(Failure::invalid(format!(
            "unknown format {:?}; expected {FORMAT:?}",
            doc.format
        ))
        .into());
    }
    let acting = &ctx.acting;
    let system = ctx.desk.as_system();
    let mut report = ImportReport::default();

    let mut departments: HashMap<String, DepartmentId> = system
        .departments()
        .await?
        .into_iter()
        .map(|d| (d.name.as_str().to_lowercase(), d.id))
        .collect();
    for d in doc.departments {
        let key = d.name.as_str().to_lowercase();
        if let Entry::Vacant(slot) = departments.entry(key) {
            let made = acting.create_department(d.name, d.follow_up).await?;
            slot.insert(made.id);
            report.departments += 1;
        }
    }
    let department = |name: &str| -> CliResult<DepartmentId> {
        departments
            .get(&name.trim().to_lowercase())
            .copied()
            .ok_or_else(|| Failure::not_found(format!("no department named {name:?}")).into())
    };

    let mut agents: HashMap<String, AgentId> = system
        .agents()
        .await?
        .into_iter()
        .map(|a| (a.email.to_string(), a.id))
        .collect();
    for a in doc.agents {
        if agents.contains_key(a.email.as_str()) {
            continue;
        }
        let mut new = NewAgent::new(a.name, a.email.clone(), a.role);
        for name in &a.departments {
            new = new.in_department(department(name)?, standard_permissions());
        }
        if let Some(s) = a.signature {
            new = new.with_signature(s);
        }
        let made = acting.create_agent(new).await?;
        agents.insert(a.email.to_string(), made.id);
        report.agents += 1;
    }

    let mut customers: HashMap<String, CustomerId> = HashMap::new();
    let mut authors = Authors::default();
    // Organisations (and everyone not a member of one) first, so members find theirs.
    let mut listed = doc.customers;
    listed.sort_by_key(|c| c.organisation.is_some());
    for c in listed {
        let organisation = match &c.organisation {
            None => None,
            Some(key) => match customers.get(key) {
                Some(id) => Some(*id),
                None => Some(known_customer(ctx, key).await?.ok_or_else(|| {
                    Failure::not_found(format!(
                        "customer {}: no organisation {key:?} in the document or the desk",
                        c.name
                    ))
                })?),
            },
        };
        let existing = match (&c.email, &c.contract_number) {
            (Some(e), _) => find_one(ctx, CustomerLookup::Email(e.clone())).await?,
            (None, Some(n)) => find_one(ctx, CustomerLookup::ContractNumber(n.clone())).await?,
            _ => None,
        };
        let id = match existing {
            Some(id) => id,
            None => {
                let mut new = NewCustomer::new(c.kind, c.name);
                if let Some(e) = c.email {
                    new = new.with_email(e);
                }
                if let Some(p) = c.phone {
                    new = new.with_phone(p);
                }
                if let Some(n) = c.contract_number {
                    new = new.with_contract_number(n);
                }
                if let Some(a) = c.address {
                    new = new.with_address(a);
                }
                if let Some(l) = c.language {
                    new = new.with_language(l);
                }
                if let Some(o) = organisation {
                    new = new.with_organisation(o);
                }
                report.customers += 1;
                acting.create_customer(new).await?.id
            }
        };
        if let Some(key) = c.key {
            customers.insert(key, id);
        }
    }

    for (i, t) in doc.tickets.into_iter().enumerate() {
        let label = t.number.clone().unwrap_or_else(|| format!("#{}", i + 1));
        let customer = match &t.customer {
            None => None,
            Some(key) => match customers.get(key) {
                Some(id) => Some(*id),
                None => Some(known_customer(ctx, key).await?.ok_or_else(|| {
                    Failure::not_found(format!(
                        "ticket {label}: no customer {key:?} in the document or the desk"
                    ))
                })?),
            },
        };
        let mut messages = t.messages.into_iter();
        let first = messages
            .next()
            .ok_or_else(|| Failure::invalid(format!("ticket {label}: has no messages")))?;
        let mut new = NewTicket::new(t.subject, first.body, department(&t.department)?);
        new.customer = customer;
        new.priority = t.priority;
        new.ticket_type = t.ticket_type;
        new.channel = t.channel;
        new.internal = t.internal;
        let ticket = acting.open_ticket(new).await?;
        report.tickets += 1;
        report.messages += 1;
        for m in messages {
            let author = match m.author.as_str() {
                "customer" => customer.map(Actor::Customer),
                other => other
                    .strip_prefix("agent:")
                    .and_then(|e| agents.get(e))
                    .map(|id| Actor::Agent(*id)),
            };
            let command = if m.internal {
                Command::note(m.body)
            } else {
                Command::reply(m.body)
            };
            let written = match author {
                Some(author) => match authors.get(ctx, author).await {
                    Ok(author) => author.execute(ticket.id, command).await,
                    Err(e) => Err(e),
                },
                None => acting.execute(ticket.id, command).await,
            };
            match written {
                Ok(_) => report.messages += 1,
                Err(e) => report
                    .warnings
                    .push(format!("ticket {label}: a message was skipped: {e}")),
            }
        }
        let command = match t.status {
            Some(Status::Resolved) => Some(Command::Resolve { body: None }),
            Some(Status::OnHold) => Some(Command::PutOnHold {
                reason: None,
                until: None,
            }),
            Some(Status::Closed(r)) if r != Resolution::Merged => {
                Some(Command::Close { resolution: r })
            }
            _ => None,
        };
        if let Some(command) = command
            && let Err(e) = acting.execute(ticket.id, command).await
        {
            report
                .warnings
                .push(format!("ticket {label}: its status was not restored: {e}"));
        }
    }
    Ok(report)
}

/// The principals messages are replayed as, each made once.
#[derive(Default)]
struct Authors(HashMap<Actor, Acting>);

impl Authors {
    /// The desk acting as `author`.
    async fn get(&mut self, ctx: &Ctx, author: Actor) -> helpdesk::Result<&Acting> {
        match self.0.entry(author) {
            Entry::Occupied(found) => Ok(found.into_mut()),
            Entry::Vacant(slot) => Ok(slot.insert(ctx.desk.acting_as(author).await?)),
        }
    }
}

async fn find_one(ctx: &Ctx, lookup: CustomerLookup) -> CliResult<Option<CustomerId>> {
    Ok(ctx
        .desk
        .as_system()
        .find_customers(&lookup)
        .await?
        .first()
        .map(|c| c.id))
}

/// A customer named by e-mail or contract number.
async fn known_customer(ctx: &Ctx, key: &str) -> CliResult<Option<CustomerId>> {
    if let Ok(e) = Email::parse(key) {
        return find_one(ctx, CustomerLookup::Email(e)).await;
    }
    match ContractNumber::parse(key) {
        Ok(n) => find_one(ctx, CustomerLookup::ContractNumber(n)).await,
        Err(_) => Ok(None),
    }
}
