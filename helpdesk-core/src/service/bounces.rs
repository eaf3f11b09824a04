//! Bounces tied to what bounced. A bounce is matched to the e-mail the desk sent, first by
//! the VERP address it was sent back to (see [`verp`](crate::mail::verp): its `To`,
//! `Delivered-To`, `X-Original-To`, `Envelope-To`, or the recipient the mail server gives),
//! which works when it quotes nothing of the returned mail; else by a Message-ID the desk
//! sent (in its returned message or headers, or its `In-Reply-To`/`References`).
//!
//! It becomes an internal note on that e-mail's ticket with the failed addresses and their
//! status. A permanent failure of an address the desk mailed marks it undeliverable (see
//! [`undeliverable`](super::undeliverable)) and the note says so; an address the desk never
//! mailed is never marked, so a forged report cannot silence someone else. A bounce never
//! opens a ticket and is never answered; one that names nothing of the desk's is ignored.

use super::Helpdesk;
use super::MailSettings;
use super::attachments::Staged;
use super::tickets::ExecOptions;
use crate::domain::{Channel, Email, MessageBody, OutboundEmail, TicketId};
use crate::error::Result;
use crate::machine::Command;
use crate::mail::bounce::{FailedRecipient, read_bounce};
use crate::mail::message_id::normalise_message_id;
use crate::mail::verp::verp_outbox_id;
use crate::store::{BlobKey, UndeliverableAddress};

/// The e-mail a bounce returns, as far as it is known.
struct Bounced {
    /// The ticket it is about.
    ticket: Option<TicketId>,
    /// Its Message-ID.
    message_id: String,
    /// The outbox e-mail, when found.
    email: Option<OutboundEmail>,
}

impl Helpdesk {
    /// Notes `raw`, a bounce, on the ticket whose e-mail it returns (`recipient`: the
    /// address the mail server delivered it to, when it says); that ticket, and whether it
    /// was noted now (`false`: noted before), or `None` when it names no e-mail of the desk
    /// about a ticket. A bounce is noted once (its Message-ID, or a digest of it, is filed
    /// with the note).
    pub(crate) async fn note_bounce(
        &self,
        raw: &[u8],
        recipient: Option<&Email>,
        settings: &MailSettings,
    ) -> Result<Option<(TicketId, bool)>> {
        let report = read_bounce(raw);
        let Some(bounced) = self.bounced(&report, recipient, settings).await? else {
            return Ok(None);
        };
        let own_id = mail_parser::MessageParser::default()
            .parse(raw)
            .and_then(|m| m.message_id().and_then(normalise_message_id))
            .unwrap_or_else(|| format!("{}@no-message-id.invalid", BlobKey::of(raw)));
        if let Some(seen) = self.store.mail_reference(&own_id).await? {
            return Ok(Some((seen.ticket_id, false)));
        }
        let mut failed = report.failed.clone();
        if failed.is_empty()
            && let Some(email) = &bounced.email
        {
            // A bounce without a report names no address: the e-mail's own failed.
            failed.push(FailedRecipient {
                address: email.to.to_string(),
                action: None,
                status: None,
                diagnostic: None,
            });
        }
        // The addresses the desk mailed, of which a bounce may mark one.
        let mut mailed: Vec<Email> = bounced.email.iter().map(|e| e.to.clone()).collect();
        if let Some(ticket) = bounced.ticket {
            mailed.extend(
                self.store
                    .ticket_emails(ticket)
                    .await?
                    .into_iter()
                    .map(|e| e.to),
            );
        }
        let mut marks: Vec<UndeliverableAddress> = Vec::new();
        for f in &failed {
            let known = Email::parse(&f.address).is_ok_and(|a| mailed.contains(&a));
            if !known || marks.iter().any(|m| m.address.as_str() == f.address) {
                continue;
            }
            let outbox = bounced.email.as_ref().map(|e| e.id);
            if let Some(mark) = self
                .mark_undeliverable(f, settings.undeliverable_hours, bounced.ticket, outbox)
                .await?
            {
                marks.push(mark);
            }
        }
        let Some(ticket) = bounced.ticket else {
            return Ok(None);
        };
        let body = MessageBody::parse(note_text(&bounced.message_id, &failed, &marks))?;
        let mut staged = Staged::default();
        staged.file_inbound(own_id);
        let command = Command::AddNote {
            body,
            attachments: Vec::new(),
        };
        let options = ExecOptions {
            expected: None,
            channel: Channel::Email,
        };
        self.as_system()
            .execute_staged(ticket.into(), command, options, &staged)
            .await?;
        Ok(Some((ticket, true)))
    }

    /// The e-mail of the desk a bounce returns: by VERP, else by a Message-ID it names.
    async fn bounced(
        &self,
        report: &crate::mail::bounce::BounceReport,
        recipient: Option<&Email>,
        settings: &MailSettings,
    ) -> Result<Option<Bounced>> {
        let own = settings.own_addresses();
        let verp = recipient
            .map(Email::as_str)
            .into_iter()
            .chain(report.sent_to.iter().map(String::as_str))
            .find_map(|a| verp_outbox_id(a, &own));
        if let Some(id) = verp
            && let Some(email) = self.store.outbox_email(id).await?
        {
            return Ok(Some(Bounced {
                ticket: email.ticket_id,
                message_id: email.message_id.clone(),
                email: Some(email),
            }));
        }
        if report.returned_ids.is_empty() {
            return Ok(None);
        }
        let known = self.store.mail_references_of(&report.returned_ids).await?;
        // The desk's own e-mail, in the order the bounce names them.
        let Some((returned, ticket)) = report.returned_ids.iter().find_map(|id| {
            known
                .iter()
                .find(|r| &r.message_id == id && !r.inbound)
                .map(|r| (id.clone(), r.ticket_id))
        }) else {
            return Ok(None);
        };
        let email = self
            .store
            .ticket_emails(ticket)
            .await?
            .into_iter()
            .find(|e| e.message_id == returned);
        Ok(Some(Bounced {
            ticket: Some(ticket),
            message_id: returned,
            email,
        }))
    }
}

/// The note on the ticket: the e-mail that bounced, each failed address with its status,
/// and the addresses marked undeliverable.
fn note_text(
    message_id: &str,
    failed: &[FailedRecipient],
    marks: &[UndeliverableAddress],
) -> String {
    let mut lines = vec![format!(
        "An e-mail from this ticket could not be delivered (Message-ID {message_id})."
    )];
    for f in failed {
        let mut line = format!("- {}", f.address);
        if let Some(status) = &f.status {
            line += &format!(": status {status}");
        }
        if let Some(action) = &f.action {
            line += &format!(" ({action})");
        }
        if let Some(diagnostic) = &f.diagnostic {
            line += &format!(", {}", diagnostic.chars().take(300).collect::<String>());
        }
        lines.push(line);
    }
    for mark in marks {
        lines.push(format!(
            "{} is marked undeliverable until {}: the desk sends it no mail until then, \
             unless mail from it arrives or an admin clears the mark.",
            mark.address,
            mark.until.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    lines.join("\n")
}
