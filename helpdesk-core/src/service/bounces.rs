//! Bounces tied to what bounced: a bounce that names a Message-ID the desk sent (in its
//! returned message or headers, or its `In-Reply-To`/`References`) becomes an internal note
//! on that ticket with the failed addresses and their status. A bounce never opens a ticket
//! and is never answered; one that names nothing of the desk's is ignored.

use super::Helpdesk;
use super::attachments::Staged;
use super::tickets::ExecOptions;
use crate::domain::{Channel, MessageBody, TicketId};
use crate::error::Result;
use crate::machine::Command;
use crate::mail::bounce::read_bounce;
use crate::mail::message_id::normalise_message_id;
use crate::store::BlobKey;

impl Helpdesk {
    /// Notes `raw`, a bounce, on the ticket whose e-mail it returns; that ticket, or `None`
    /// when it names no e-mail of the desk. A bounce is noted once (its Message-ID, or a
    /// digest of it, is filed with the note).
    pub(crate) async fn note_bounce(&self, raw: &[u8]) -> Result<Option<(TicketId, bool)>> {
        let report = read_bounce(raw);
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
        let own_id = mail_parser::MessageParser::default()
            .parse(raw)
            .and_then(|m| m.message_id().and_then(normalise_message_id))
            .unwrap_or_else(|| format!("{}@no-message-id.invalid", BlobKey::of(raw)));
        if let Some(seen) = self.store.mail_reference(&own_id).await? {
            return Ok(Some((seen.ticket_id, false)));
        }
        let mut lines = vec![format!(
            "An e-mail from this ticket could not be delivered (Message-ID {returned})."
        )];
        for f in &report.failed {
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
        let body = MessageBody::parse(lines.join("\n"))?;
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
}
