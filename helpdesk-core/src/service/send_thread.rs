//! "Send ticket by e-mail" (seed 003): an agent mails a ticket's public thread to an
//! address. Internal notes are never in it; the history records who sent it where.

use std::fmt::Write as _;

use super::acting::Principal;
use super::attachments::Staged;
use super::effects::Known;
use super::{Acting, Helpdesk};
use crate::domain::{
    Actor, Change, Customer, Delivery, Email, EmailKind, EventId, Language, MailReference,
    OutboundEmail, OutboxId, Permission, Ticket, TicketEvent, TicketKey,
};
use crate::error::{Ability, Error, ForbiddenReason, Result};
use crate::render::{EmailContext, render_email};
use crate::store::{TicketWrite, WriteBatch};

impl Acting {
    /// Queues an e-mail with the ticket's public thread to `to`, in `language`, and records
    /// it in the history. Needs [`MailSettings`](super::MailSettings) and an agent with
    /// [`Permission::Reply`] in the ticket's department.
    pub async fn email_ticket(
        &self,
        ticket: impl Into<TicketKey>,
        to: Email,
        language: Language,
    ) -> Result<OutboundEmail> {
        let ticket = self.visible_ticket(ticket).await?;
        match &self.principal {
            Principal::Agent(a) if a.can(Permission::Reply, ticket.department) => {}
            Principal::Agent(_) => {
                return Err(Error::forbidden(ForbiddenReason::MissingPermission {
                    permission: Permission::Reply,
                }));
            }
            _ => return Err(Error::forbidden(ForbiddenReason::AgentsOnly)),
        }
        let customer = match ticket.customer {
            Some(c) => self.desk.store.customer(c).await?,
            None => None,
        };
        self.desk
            .email_thread(
                &ticket,
                ThreadTo {
                    to,
                    name: None,
                    language,
                    kind: EmailKind::TicketThread,
                },
                self.actor(),
                customer,
            )
            .await
    }
}

/// Where a ticket's public thread goes, and as which e-mail.
pub(crate) struct ThreadTo {
    /// The address.
    pub to: Email,
    /// The name to greet (the address when none).
    pub name: Option<String>,
    /// The language.
    pub language: Language,
    /// [`EmailKind::TicketThread`] or [`EmailKind::ChatTranscript`].
    pub kind: EmailKind,
}

impl Helpdesk {
    /// Queues an e-mail with `ticket`'s public thread as `to` says and records it in the
    /// history as `actor`'s, in one commit. Needs mail settings in force.
    pub(crate) async fn email_thread(
        &self,
        ticket: &Ticket,
        to: ThreadTo,
        actor: Actor,
        customer: Option<Customer>,
    ) -> Result<OutboundEmail> {
        let ThreadTo {
            to,
            name,
            language,
            kind,
        } = to;
        let id = ticket.id;
        let settings = self
            .mail_in_force()
            .await?
            .ok_or(Error::unsupported(Ability::Email))?;
        let now = self.now();
        let agents = self.store.agents().await?;
        let mut thread = String::new();
        for m in self.store.messages(id, false).await? {
            let author = match m.author {
                Actor::Agent(a) => agents
                    .iter()
                    .find(|x| x.id == a)
                    .map(|x| x.name.as_str().to_owned()),
                Actor::Customer(_) => customer.as_ref().map(|c| c.name.as_str().to_owned()),
                Actor::System => None,
            }
            .unwrap_or_else(|| settings.from_name.clone());
            let _ = write!(
                thread,
                "--- {} — {author}\n{}\n\n",
                m.created_at.format("%Y-%m-%d %H:%M UTC"),
                m.body.as_str().trim_end()
            );
        }
        let public_url = self.public_url().await?;
        let rendered = render_email(
            kind,
            language,
            &EmailContext {
                number: &ticket.number,
                public_url: public_url.as_ref(),
                subject: ticket.subject.as_str(),
                recipient_name: name.as_deref().unwrap_or(to.as_str()),
                text: Some(&thread),
                closes_at: None,
                desk_name: &settings.from_name,
            },
        );
        let message_id = settings.new_message_id();
        let email = OutboundEmail {
            id: OutboxId::new(),
            message_id: message_id.clone(),
            ticket_id: Some(id),
            ticket_number: Some(ticket.number.full().to_owned()),
            kind,
            language,
            to: to.clone(),
            to_name: name.clone(),
            cc: Vec::new(),
            subject: rendered.subject,
            body: rendered.body,
            references: Vec::new(),
            created_at: now,
            attempts: 0,
            delivery: Delivery::Pending { at: now },
            last_error: None,
        };
        let mut next = ticket.clone();
        next.version = ticket.version.next();
        next.updated_at = now;
        let write = TicketWrite::update(ticket.version, next).with_event(TicketEvent {
            id: EventId::new(),
            ticket_id: id,
            actor,
            at: now,
            change: Change::ThreadEmailed { to },
            origin: None,
        });
        let mut batch = WriteBatch::one(write);
        batch.outbox.push(email.clone());
        batch.mail_references.push(MailReference {
            message_id,
            ticket_id: id,
            inbound: false,
        });
        self.commit(batch, &Staged::default(), &Known::customer(customer))
            .await?;
        Ok(email)
    }
}
