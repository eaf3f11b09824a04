//! What a live chat says beyond its lines (issue 20): agents are told once when a chat
//! waits in their department's queue (the chat's lines themselves notify and mail nobody),
//! and the customer gets the transcript by e-mail once, when the chat ends, if they ask.

use super::acting::Principal;
use super::attachments::Staged;
use super::effects::Known;
use super::send_thread::ThreadTo;
use super::{Acting, Helpdesk};
use crate::domain::{
    Actor, Change, ChatSession, Customer, Email, EmailKind, EventId, Language, TicketEvent,
    TicketId,
};
use crate::error::{Ability, Error, Result};
use crate::store::{StoreExt, TicketWrite, WriteBatch};

/// How many times recording that a chat waits re-reads its ticket after a concurrent change.
const ATTEMPTS: usize = 4;

impl Helpdesk {
    /// Records in the chat's ticket that the chat waits for an agent; the effects tell the
    /// department's agents (as their preferences say).
    pub(crate) async fn chat_waits(&self, ticket: TicketId) -> Result<()> {
        for _ in 0..ATTEMPTS {
            let before = self.store.require_ticket(ticket).await?;
            let now = self.now();
            let mut next = before.clone();
            next.version = before.version.next();
            next.updated_at = now;
            let write = TicketWrite::update(before.version, next).with_event(TicketEvent {
                id: EventId::new(),
                ticket_id: ticket,
                actor: Actor::System,
                at: now,
                change: Change::ChatWaiting,
                origin: None,
            });
            match self
                .commit(
                    WriteBatch::one(write),
                    &Staged::default(),
                    &Known::default(),
                )
                .await
            {
                Err(Error::Conflict { .. }) => continue,
                other => return other.map(drop),
            }
        }
        Ok(())
    }

    /// E-mails the public thread of the chat's ticket to its customer, as the chat's
    /// transcript, in their language.
    pub(crate) async fn send_transcript(
        &self,
        ticket: TicketId,
        to: Email,
        customer: Customer,
    ) -> Result<()> {
        let ticket = self.store.require_ticket(ticket).await?;
        let language = customer.language.unwrap_or(Language::English);
        self.email_thread(
            &ticket,
            ThreadTo {
                to,
                name: Some(customer.name.as_str().to_owned()),
                language,
                kind: EmailKind::ChatTranscript,
            },
            Actor::Customer(customer.id),
            Some(customer),
        )
        .await?;
        Ok(())
    }
}

impl Acting {
    /// Where the transcript of `chat` goes, checked before the chat ends: only its customer
    /// asks for it, and needs an address and the desk's mail.
    pub(crate) async fn transcript_to(&self, chat: &ChatSession) -> Result<(Email, Customer)> {
        let Principal::Customer(customer) = &self.principal else {
            return Err(Error::validation(
                "transcript",
                "only the chat's customer asks for its transcript",
            ));
        };
        if customer.id != chat.customer {
            return Err(Error::validation(
                "transcript",
                "only the chat's customer asks for its transcript",
            ));
        }
        let Some(to) = customer.email.clone() else {
            return Err(Error::validation(
                "transcript",
                "the customer has no e-mail address to send it to",
            ));
        };
        if self.desk.mail_in_force().await?.is_none() {
            return Err(Error::unsupported(Ability::Email));
        }
        Ok((to, customer.clone()))
    }
}
