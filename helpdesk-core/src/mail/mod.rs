//! Inbound e-mail, parsed without I/O: a raw mail in, an [`InboundEmail`] out.
//!
//! - [`parse_inbound`] decodes a mail (MIME, quoted-printable, base64, RFC 2047 and RFC 2231,
//!   charsets such as KOI8-R, windows-1251 and ISO-8859-2, with `mail-parser`) into the
//!   sender, threading headers, subject, new text and attachments;
//! - [`quotes::strip_quoted`] removes the quoted earlier mail from a reply (English,
//!   Romanian, Russian and Persian attributions, Outlook headers);
//! - [`tag::subject_tags`] finds the ticket numbers tagged in a subject (`[#10000135]`);
//! - [`message_id::normalise_message_id`] is the form Message-IDs are stored and looked up in;
//! - [`classify`] tells a person's mail from automatic mail, bounces, list mail and bytes
//!   that are not mail, before the sender is even read ([`MailClass`]);
//! - [`bounce::read_bounce`] reads which mail a bounce returns and which addresses failed;
//! - [`verp`] makes the envelope sender that names an outbox e-mail, and reads it back;
//! - [`sender`] reads the sender leniently (From, Sender, Reply-To, Return-Path);
//! - [`decode`] keeps files byte-exact, guesses the charset of 8-bit text that declares
//!   none, and finds uuencoded files.
//!
//! What to do with the result (find the ticket by `In-Reply-To`/`References`, then by subject
//! tag; refuse duplicates by Message-ID; never auto-answer automatic mail) is the service's
//! business.

pub mod bounce;
pub mod class;
pub mod decode;
pub mod inbound;
pub mod message_id;
pub mod quotes;
pub mod sender;
pub mod summary;
pub mod tag;
pub mod verp;

pub use class::{AutoReason, MailClass, classify};
pub use inbound::{InboundAttachment, InboundEmail, parse_inbound};
pub use summary::summarize;
