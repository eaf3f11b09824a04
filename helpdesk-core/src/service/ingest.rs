//! E-mail in: a raw RFC 5322 message becomes a new ticket, or a reply on the ticket it
//! answers.
//!
//! 1. The mail is classified before anything else ([`classify`]): bounces and automatic
//!    mail (auto-replies, loops, spam complaints, mail from the desk's own address) never
//!    open a ticket and never cause a reply, so two desks cannot loop. A bounce of an e-mail
//!    the desk sent is noted on its ticket (see [`bounces`](super::bounces)); the rest is
//!    ignored.
//!    List mail is taken in but never answered automatically, or ignored where the address
//!    it was sent to is set so ([`ListMail`]); bytes that are not mail are a validation
//!    error.
//! 2. A Message-ID already filed from the same sender is a duplicate: stored once.
//! 3. The ticket is found by `In-Reply-To`/`References` among the Message-IDs the desk sent
//!    or received, then by a `[#number]` tag in the subject, and is used only when the sender
//!    is the ticket's customer or a participant (an address the desk mailed about it, or
//!    one of its CC addresses, see [`followers`](super::followers)): a stranger cannot put
//!    words into someone else's ticket by quoting its number; their mail opens a ticket of
//!    their own (or is refused, per [`UnknownSenders`]). The `Cc` addresses of the
//!    customer's mail (a new ticket or a reply) become CC addresses of the ticket, except
//!    the desk's own, the customer's and the sender's; a participant's `Cc` adds none.
//! 4. Otherwise a new ticket for the customer with the sender's address (unknown senders:
//!    created or refused, per [`UnknownSenders`]; customers without access: refused), in
//!    the department whose own address the mail was sent to, else the inbound department.
//! 5. Mail taken in from an address marked undeliverable clears the mark (see
//!    [`undeliverable`](super::undeliverable)).
//!
//! The settings are those in force on each call ([`Helpdesk::mail_in_force`]): stored ones
//! laid over those given in code.
//!
//! The customer's mail is a reply as them (reopening, follow-up rules and all); a
//! participant's is an internal note, so a third party's words reach the customer only
//! through an agent. A reply to a merged ticket goes to the ticket it was merged into. The
//! quoted earlier text is stripped; the raw message is kept as an attachment
//! (`message/rfc822`) when the desk has a blob store.
//!
//! A person's or list mail that fails for a reason of its own is kept whole in the
//! quarantine (see `Helpdesk::ingest_email`), and ignored list mail is logged there.
//!
//! Attachment limits never refuse a mail: the files within the
//! [`AttachmentLimits`](super::AttachmentLimits) (those of the department whose own address
//! the mail was sent to, else of the department it goes to; per message, and per ticket with
//! what the ticket already carries) go on the message, the others are kept
//! aside on an internal note (agents only) that names each with the reason, the file
//! attached to the note when the desk has a blob store. The same note records a charset
//! guessed for 8-bit text that declared none.

use super::acting::Principal;
use super::attachments::{
    AttachmentLimits, MAX_FILE_SIZE, OnTicket, RAW_MAIL_TYPE, Staged, Upload,
};
use super::mail_settings::{ListMail, UnknownSenders};
use super::tickets::{ExecOptions, Outcome};
use super::{Acting, Helpdesk, NewCustomer};
use crate::domain::{
    Channel, Customer, CustomerKind, Email, MailReference, MessageBody, Name, Subject, Ticket,
    TicketId,
};
use crate::error::{Ability, ConflictKind, Error, Result};
use crate::machine::{Command, NewTicket};
use crate::mail::{InboundEmail, MailClass, classify, parse_inbound, tag::subject_tags};
use crate::store::BlobKey;

/// Why a mail was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// The sender is no customer and the desk does not create customers from mail.
    UnknownSender,
    /// The sender's portal access is disabled.
    AccessDisabled,
    /// The mail answers a closed ticket whose department refuses follow-ups.
    FollowUpRejected,
}

/// What [`Helpdesk::ingest_email`] did with a mail.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Ingested {
    /// It opened a new ticket.
    Opened(Ticket),
    /// It was added to a ticket (as the customer's reply, or as a participant's note); a
    /// reply to a closed ticket may have opened a follow-up, which is the ticket here.
    Appended(Ticket),
    /// A mail with this Message-ID was ingested before, into this ticket; nothing changed.
    Duplicate(TicketId),
    /// A bounce or automatic mail ([`MailClass`]); nothing was stored and nothing will
    /// answer it.
    Ignored(MailClass),
    /// A bounce of an e-mail the desk sent about this ticket: noted on it (internal, with
    /// the failed addresses and their status); no ticket opened, nothing answered.
    BounceNoted(TicketId),
    /// It was refused; nothing was stored.
    Rejected(Rejection),
    /// It could not be taken in (a validation error, a limit, ...): it is kept whole in the
    /// quarantine with the reason, for an admin to reprocess or discard; nothing else was
    /// stored.
    Quarantined(crate::domain::QuarantineId),
}

/// Where a mail goes.
enum Route {
    /// A reply by the ticket's customer.
    Reply(Ticket, Box<Customer>),
    /// A note by a participant who is not the customer.
    Note(Ticket),
    /// A new ticket.
    New,
}

impl Helpdesk {
    /// Takes in one raw e-mail, without the quarantine: what
    /// [`ingest_email`](Helpdesk::ingest_email) does before a failure is kept aside.
    pub(super) async fn take_in(&self, raw: &[u8], recipient: Option<&Email>) -> Result<Ingested> {
        let settings = self
            .mail_in_force()
            .await?
            .ok_or(Error::unsupported(Ability::Email))?;
        let class = classify(raw, &settings.own_addresses());
        match class {
            MailClass::NotMail => {
                return Err(Error::validation(
                    "email",
                    "the input is not an e-mail message (no header, or no sender)",
                ));
            }
            MailClass::Bounce => {
                return Ok(match self.note_bounce(raw, recipient, &settings).await? {
                    Some((ticket, true)) => Ingested::BounceNoted(ticket),
                    Some((ticket, false)) => Ingested::Duplicate(ticket),
                    None => Ingested::Ignored(class),
                });
            }
            MailClass::Automatic(_) => return Ok(Ingested::Ignored(class)),
            MailClass::Person | MailClass::List => {}
        }
        let mail = parse_inbound(raw)?;
        // Sent to a department's own address: its ticket goes there, and that address's
        // rule for list mail applies.
        let addressed = settings.department_for(&mail.recipients);
        let list_rule = addressed.map_or(settings.list_mail, |(_, a)| a.list_mail);
        if class == MailClass::List && list_rule == ListMail::Ignore {
            self.log_ignored(raw, "list mail").await?;
            return Ok(Ingested::Ignored(class));
        }
        let department = addressed.map_or(
            settings
                .mailbox_department
                .unwrap_or(settings.inbound_department),
            |(d, _)| d,
        );
        let (message_id, filed) = match &mail.message_id {
            Some(id) => match self.store.mail_reference(id).await? {
                // The same Message-ID from another sender is another mail: filed under a
                // key of its own, and not under the id, which threads to the first one.
                Some(known) if !self.sent_by(&known, &mail).await? => {
                    let own = sender_key(id, &mail);
                    if let Some(known) = self.store.mail_reference(&own).await? {
                        return Ok(Ingested::Duplicate(known.ticket_id));
                    }
                    (own.clone(), vec![own])
                }
                Some(known) => return Ok(Ingested::Duplicate(known.ticket_id)),
                None => (id.clone(), vec![id.clone()]),
            },
            None => {
                let id = format!("{}@no-message-id.invalid", BlobKey::of(raw));
                if let Some(known) = self.store.mail_reference(&id).await? {
                    return Ok(Ingested::Duplicate(known.ticket_id));
                }
                (id.clone(), vec![id])
            }
        };
        let mut staged = Staged::default();
        if !class.may_answer() {
            staged.no_auto_answer();
        }
        let route = self.route(&mail).await?;
        let takes_cc = matches!(route, Route::Reply(..) | Route::New);
        // The limits of the department whose own address the mail was sent to, else of the
        // one it goes to.
        let limits_of = match (addressed, &route) {
            (Some((d, _)), _) => d,
            (None, Route::Reply(ticket, _) | Route::Note(ticket)) => ticket.department,
            (None, Route::New) => department,
        };
        let limits = self.limits_in_force(Some(limits_of)).await?;
        // What the ticket the mail goes to already carries, for the per-ticket limits.
        let on_ticket = match &route {
            Route::Reply(ticket, _) | Route::Note(ticket) => {
                self.on_ticket(&limits, ticket.id).await?
            }
            Route::New => OnTicket::default(),
        };
        let (uploads, aside) = sort_files(&mail, &limits, on_ticket, self.blobs.is_some());
        let mut attachments = self.stage(&limits, on_ticket, uploads, &mut staged)?;
        if self.blobs.is_some() {
            let name = format!("{}.eml", crate::domain::sanitize_file_name(&message_id));
            attachments.push(staged.push_raw(&name, RAW_MAIL_TYPE, raw.to_vec())?);
        }
        for id in filed {
            staged.file_inbound(id);
        }

        let result = match route {
            Route::Reply(ticket, customer) => {
                let command = Command::Reply {
                    body: body_of(&mail),
                    attachments,
                };
                if !customer.access_enabled {
                    return Ok(Ingested::Rejected(Rejection::AccessDisabled));
                }
                let customer = self.acting_for(Principal::Customer(*customer));
                append(&customer, ticket.id, command, &staged).await
            }
            Route::Note(ticket) => {
                let from = match &mail.from_name {
                    Some(name) => format!("{name} <{}>", mail.from),
                    None => mail.from.to_string(),
                };
                let text = format!("{from}:\n\n{}", body_of(&mail));
                let command = Command::AddNote {
                    body: MessageBody::parse(text).unwrap_or_else(|_| body_of(&mail)),
                    attachments,
                };
                append(&self.as_system(), ticket.id, command, &staged).await
            }
            Route::New => {
                let customer = match self.store.customer_by_email(&mail.from).await? {
                    Some(c) => c,
                    None => match settings.unknown_senders {
                        UnknownSenders::Reject => {
                            return Ok(Ingested::Rejected(Rejection::UnknownSender));
                        }
                        UnknownSenders::CreateCustomer => self.customer_from_mail(&mail).await?,
                    },
                };
                if !customer.access_enabled {
                    return Ok(Ingested::Rejected(Rejection::AccessDisabled));
                }
                let mut new = NewTicket::new(subject_of(&mail), body_of(&mail), department);
                new.channel = Channel::Email;
                new.attachments = attachments;
                self.acting_for(Principal::Customer(customer))
                    .open_staged(new, None, &staged)
                    .await
                    .map(|opened| Ingested::Opened(opened.ticket))
            }
        };
        let needs_note = !aside.is_empty() || mail.charset_guess.is_some();
        if matches!(result, Ok(Ingested::Opened(_) | Ingested::Appended(_))) {
            // Mail from an address shows it reachable again.
            self.heard_from(&mail.from).await?;
        }
        if takes_cc && let Ok(Ingested::Opened(t) | Ingested::Appended(t)) = &result {
            self.keep_cc(t, &mail, &settings.own_addresses()).await?;
        }
        let result = match result {
            Ok(Ingested::Opened(t)) if needs_note => {
                self.note_intake(&t, &mail, aside).await?;
                Ok(Ingested::Opened(t))
            }
            Ok(Ingested::Appended(t)) if needs_note => {
                self.note_intake(&t, &mail, aside).await?;
                Ok(Ingested::Appended(t))
            }
            other => other,
        };
        match result {
            Err(Error::Conflict {
                kind: ConflictKind::Duplicate { field },
                ..
            }) if field == "message_id" => {
                // The same mail, ingested concurrently: the other one stored it.
                match self.store.mail_reference(&message_id).await? {
                    Some(known) => Ok(Ingested::Duplicate(known.ticket_id)),
                    None => Err(Error::Conflict {
                        entity: crate::error::Entity::Email,
                        kind: ConflictKind::Duplicate { field },
                    }),
                }
            }
            Err(Error::Forbidden {
                reason: crate::error::ForbiddenReason::FollowUpRejected,
            }) => Ok(Ingested::Rejected(Rejection::FollowUpRejected)),
            Err(Error::Forbidden {
                reason: crate::error::ForbiddenReason::AccessDisabled,
            }) => Ok(Ingested::Rejected(Rejection::AccessDisabled)),
            other => other,
        }
    }

    /// The ticket a mail answers, if its sender may write there.
    async fn route(&self, mail: &InboundEmail) -> Result<Route> {
        let mut candidates: Vec<TicketId> = Vec::new();
        // One read for every id, then in the order that decides: In-Reply-To, then the
        // References from the latest back.
        let ids: Vec<String> = (mail.in_reply_to.iter())
            .chain(mail.references.iter().rev())
            .cloned()
            .collect();
        let known: std::collections::HashMap<String, TicketId> = self
            .store
            .mail_references_of(&ids)
            .await?
            .into_iter()
            .map(|r| (r.message_id, r.ticket_id))
            .collect();
        for id in &ids {
            if let Some(&ticket) = known.get(id)
                && !candidates.contains(&ticket)
            {
                candidates.push(ticket);
            }
        }
        for digits in subject_tags(&mail.subject) {
            if let Some(t) = self.store.ticket_by_number(&digits).await?
                && !candidates.contains(&t.id)
            {
                candidates.push(t.id);
            }
        }
        for id in candidates {
            let Some(mut ticket) = self.store.ticket(id).await? else {
                continue;
            };
            // A reply to a merged ticket goes to the one it was merged into (a few hops at
            // most; a cycle cannot be made, but is not followed forever either).
            for _ in 0..8 {
                let Some(into) = ticket.merged_into else {
                    break;
                };
                match self.store.ticket(into).await? {
                    Some(t) => ticket = t,
                    None => break,
                }
            }
            if ticket.internal {
                continue;
            }
            let customer = match ticket.customer {
                Some(c) => self.store.customer(c).await?,
                None => None,
            };
            if let Some(c) = customer
                && c.email.as_ref() == Some(&mail.from)
            {
                return Ok(Route::Reply(ticket, Box::new(c)));
            }
            let copied = match self.store.as_follower_store() {
                Some(store) => store.cc_addresses(ticket.id).await?.contains(&mail.from),
                None => false,
            };
            let participant = copied
                || self
                    .store
                    .ticket_emails(ticket.id)
                    .await?
                    .iter()
                    .any(|e| e.to == mail.from);
            if participant {
                return Ok(Route::Note(ticket));
            }
        }
        Ok(Route::New)
    }

    /// Keeps the `Cc` addresses of the customer's `mail` as CC addresses of `ticket` (not
    /// the desk's own addresses, the sender's or the customer's; at most
    /// [`MAX_CC`](super::MAX_CC) in all), when the store keeps them.
    async fn keep_cc(&self, ticket: &Ticket, mail: &InboundEmail, own: &[Email]) -> Result<()> {
        let Some(store) = self.store.as_follower_store() else {
            return Ok(());
        };
        let mut kept = store.cc_addresses(ticket.id).await?;
        let mut new = Vec::new();
        for a in &mail.cc {
            if *a == mail.from || own.contains(a) || kept.contains(a) || kept.len() >= super::MAX_CC
            {
                continue;
            }
            kept.push(a.clone());
            new.push(a.clone());
        }
        if new.is_empty() {
            return Ok(());
        }
        if let Some(c) = ticket.customer
            && let Some(c) = self.store.customer(c).await?
            && let Some(email) = c.email
        {
            new.retain(|a| *a != email);
        }
        store.add_cc(ticket.id, &new).await
    }

    /// Whether the mail filed as `known` came from `mail`'s sender: the ticket's customer
    /// or a participant wrote it, or the desk sent it (an outbound id, answered by anyone
    /// it went to).
    async fn sent_by(&self, known: &MailReference, mail: &InboundEmail) -> Result<bool> {
        if !known.inbound {
            return Ok(true);
        }
        let Some(ticket) = self.store.ticket(known.ticket_id).await? else {
            return Ok(true);
        };
        let customer = match ticket.customer {
            Some(c) => self.store.customer(c).await?,
            None => None,
        };
        if customer.is_some_and(|c| c.email.as_ref() == Some(&mail.from)) {
            return Ok(true);
        }
        Ok(self
            .store
            .ticket_emails(ticket.id)
            .await?
            .iter()
            .any(|e| e.to == mail.from))
    }

    /// The internal note listing the files kept aside from a mail (each attached to the
    /// note, agents only, when the desk keeps files) and the charset guessed for its text.
    async fn note_intake(
        &self,
        ticket: &Ticket,
        mail: &InboundEmail,
        aside: Vec<Aside>,
    ) -> Result<()> {
        let mut staged = Staged::default();
        let mut attachments = Vec::new();
        let mut lines = Vec::new();
        if !aside.is_empty() {
            lines.push(format!(
                "Files kept aside from the mail of {} (agents only):",
                mail.from
            ));
        }
        for file in aside {
            lines.push(format!(
                "- {} ({}, {} bytes): {}",
                file.name,
                file.content_type,
                file.bytes.len(),
                file.reason
            ));
            if file.keep && self.blobs.is_some() {
                attachments.push(staged.push_raw(&file.name, &file.content_type, file.bytes)?);
            }
        }
        if let Some(guess) = &mail.charset_guess {
            lines.push(format!(
                "The mail's text declared no charset; it was read as {guess} (a guess)."
            ));
        }
        let body = MessageBody::parse(lines.join("\n"))?;
        let command = Command::AddNote { body, attachments };
        let options = ExecOptions {
            expected: None,
            channel: Channel::Email,
        };
        self.as_system()
            .execute_staged(ticket.id.into(), command, options, &staged)
            .await?;
        Ok(())
    }

    async fn customer_from_mail(&self, mail: &InboundEmail) -> Result<Customer> {
        let local = mail.from.as_str().split('@').next().unwrap_or("customer");
        let name = mail
            .from_name
            .as_deref()
            .and_then(|n| Name::parse(n).ok())
            .or_else(|| Name::parse(local).ok())
            .unwrap_or_else(|| Name::parse("Customer").expect("a valid name"));
        let new = NewCustomer::new(CustomerKind::Individual, name).with_email(mail.from.clone());
        match self.as_system().create_customer(new).await {
            Ok(c) => Ok(c),
            // Created meanwhile by a concurrent mail from the same sender.
            Err(Error::Conflict { .. }) => self
                .store
                .customer_by_email(&mail.from)
                .await?
                .ok_or_else(|| Error::not_found(crate::error::Entity::Customer, &mail.from)),
            Err(e) => Err(e),
        }
    }
}

/// Adds a mail's command to a ticket as `who`, deciding again on a concurrent change.
async fn append(
    who: &Acting,
    ticket: TicketId,
    command: Command,
    staged: &Staged,
) -> Result<Ingested> {
    let options = ExecOptions {
        expected: None,
        channel: Channel::Email,
    };
    Ok(
        match who
            .execute_staged(ticket.into(), command, options, staged)
            .await?
        {
            Outcome::Changed(t) | Outcome::Unchanged(t) => Ingested::Appended(t),
            Outcome::FollowUpOpened { ticket, .. } => Ingested::Appended(ticket),
        },
    )
}

/// The stored text: the new part of the mail, or a marker when it has none.
fn body_of(mail: &InboundEmail) -> MessageBody {
    let text: String = mail.text.chars().take(100_000).collect();
    MessageBody::parse(text).unwrap_or_else(|_| {
        MessageBody::parse("(no text; see the attachments)").expect("a valid body")
    })
}

/// The subject without reply prefixes and ticket tags, or a marker when it is empty.
fn subject_of(mail: &InboundEmail) -> Subject {
    let mut s = mail.subject.trim().to_owned();
    loop {
        let lower = s.to_lowercase();
        let prefix = [
            "re:",
            "fw:",
            "fwd:",
            "aw:",
            "sv:",
            "ответ:",
            "отв:",
            "رد:",
            "پاسخ:",
        ]
        .into_iter()
        .find(|p| lower.starts_with(p));
        match prefix {
            Some(p) => {
                s = s[s
                    .char_indices()
                    .nth(p.chars().count())
                    .map_or(s.len(), |(i, _)| i)..]
                    .trim()
                    .to_owned()
            }
            None => break,
        }
    }
    let cleaned: String = s.chars().take(255).collect();
    Subject::parse(cleaned.trim())
        .unwrap_or_else(|_| Subject::parse("(no subject)").expect("a valid subject"))
}

/// A file of a mail that the attachment limits do not let onto the message.
struct Aside {
    name: String,
    content_type: String,
    bytes: Vec<u8>,
    reason: String,
    /// Whether the bytes are kept (attached to the note): not past [`MAX_FILE_SIZE`].
    keep: bool,
}

/// The mail's files within `limits` (as uploads, in order, at most `max_count`, and within
/// the per-ticket limits with `on_ticket` already on the ticket), and the others with the
/// reason. Without a blob store every file is kept aside (listed only).
fn sort_files(
    mail: &InboundEmail,
    limits: &AttachmentLimits,
    on_ticket: OnTicket,
    blobs: bool,
) -> (Vec<Upload>, Vec<Aside>) {
    let mut uploads: Vec<Upload> = Vec::new();
    let mut aside = Vec::new();
    for a in &mail.attachments {
        let size = a.bytes.len() as u64;
        let with = on_ticket.with(&uploads);
        let reason = if !blobs {
            Some("the desk keeps no files".to_owned())
        } else if size > limits.max_size {
            Some(format!("larger than {} bytes", limits.max_size))
        } else if !limits.allows_type(&a.content_type) {
            Some(format!("files of type {} are not accepted", a.content_type))
        } else if uploads.len() >= limits.max_count {
            Some(format!(
                "more than {} files on one message",
                limits.max_count
            ))
        } else if limits.max_per_ticket.is_some_and(|max| with.files >= max) {
            Some(format!(
                "more than {} files on one ticket",
                limits.max_per_ticket.unwrap_or_default()
            ))
        } else if let Some(max) = limits.max_bytes_per_ticket
            && with.bytes.saturating_add(size) > max
        {
            Some(format!("more than {max} bytes of files on one ticket"))
        } else {
            None
        };
        match reason {
            None => uploads.push(Upload::new(
                &a.original_name,
                &a.content_type,
                a.bytes.clone(),
            )),
            Some(reason) => aside.push(Aside {
                name: a.file_name.clone(),
                content_type: a.content_type.clone(),
                bytes: a.bytes.clone(),
                reason,
                keep: blobs && size <= MAX_FILE_SIZE,
            }),
        }
    }
    (uploads, aside)
}

/// The key a mail is filed under when its Message-ID was already filed for another
/// sender's mail.
fn sender_key(message_id: &str, mail: &InboundEmail) -> String {
    let (left, right) = message_id
        .rsplit_once('@')
        .unwrap_or((message_id, "invalid"));
    format!(
        "{left}.from.{}@{right}",
        mail.from.as_str().replace('@', "=")
    )
}
