//! "Send ticket by e-mail" (seed 003): an agent mails a ticket's public thread to an
//! address. Internal notes are never in it; the history records who sent it where.

use std::fmt::Write as _;

use super::Acting;
use super::acting::Principal;
use super::attachments::Staged;
use super::effects::Known;
use crate::domain::{
    Actor, Change, Delivery, Email, EmailKind, EventId, Language, MailReference, OutboundEmail,
    OutboxId, Permission, TicketEvent, TicketKey,
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
        let id = ticket.id;
        match &self.principal {
            Principal::Agent(a) if a.can(Permission::Reply, ticket.department) => {}
            Principal::Agent(_) => {
                return Err(Error::forbidden(ForbiddenReason::MissingPermission {
                    permission: Permission::Reply,
                }));
            }
            _ => return Err(Error::forbidden(ForbiddenReason::AgentsOnly)),
        }
        let settings = self
            .desk
            .mail_in_force()
            .await?
            .ok_or(Error::unsupported(Ability::Email))?;
        let now = self.desk.now();
        let agents = self.desk.store.agents().await?;
        let customer = match ticket.customer {
            Some(c) => self.desk.store.customer(c).await?,
            None => None,
        };
        let mut thread = String::new();
        for m in self.desk.store.messages(id, false).await? {
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
        let public_url = self.desk.public_url().await?;
        let rendered = render_email(
            EmailKind::TicketThread,
            language,
            &EmailContext {
                number: &ticket.number,
                public_url: public_url.as_ref(),
                subject: ticket.subject.as_str(),
                recipient_name: to.as_str(),
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
            kind: EmailKind::TicketThread,
            language,
            to: to.clone(),
            to_name: None,
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
            actor: self.actor(),
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
        self.desk
            .commit(batch, &Staged::default(), &Known::customer(customer))
            .await?;
        Ok(email)
    }
}
