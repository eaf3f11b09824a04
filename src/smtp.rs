//! Sending the outbox over SMTP: a [`MailTransport`] on lettre (tokio, rustls).

use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use helpdesk_core::domain::{EmailKind, OutboundEmail};
use helpdesk_core::service::{MailSettings, MailTransport, SendError};
use helpdesk_core::{Error, Result};
use lettre::address::Envelope;
use lettre::message::header::{self, ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::{AsyncSmtpTransport, AsyncSmtpTransportBuilder};
use lettre::{Address, AsyncTransport, Tokio1Executor};

/// A user name and password for SMTP authentication. Its `Debug` output hides both.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpCredentials {
    user: String,
    password: String,
}

impl SmtpCredentials {
    /// Credentials of `user` with `password`.
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            user: user.into(),
            password: password.into(),
        }
    }
}

impl std::fmt::Debug for SmtpCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpCredentials").finish_non_exhaustive()
    }
}

impl<U: Into<String>, P: Into<String>> From<(U, P)> for SmtpCredentials {
    fn from((user, password): (U, P)) -> Self {
        Self::new(user, password)
    }
}

/// Sends the desk's e-mail to an SMTP server, one connection per e-mail.
///
/// Each [`OutboundEmail`] goes out with the envelope sender (`MAIL FROM`, the `Return-Path`
/// its recipient sees) that [`MailSettings::envelope_sender`] gives: an address naming the
/// e-mail (VERP) unless the settings turn that off, so a bounce is matched to it. It
/// becomes a UTF-8 `text/plain` message: `From` is the
/// [`MailSettings`] sender (`from_name <from>`), `To` is `to_name <to>`, `Cc` lists the
/// e-mail's [`cc`](OutboundEmail::cc) addresses (each also an envelope recipient), the subject is
/// RFC 2047-encoded when it is not ASCII, `Date` is when the e-mail was queued, `Message-ID`
/// is the e-mail's own (the same on every attempt, so a repeated send is recognisable), and
/// `In-Reply-To` (the last reference) and `References` (all, oldest first) thread it into
/// the ticket's conversation. Automatic e-mails (the acknowledgement of a new ticket, the
/// resolution, auto-close warning and closing notices) carry `Auto-Submitted` (RFC 3834), so
/// well-behaved auto-responders stay quiet; every e-mail asks Exchange-style servers not to
/// answer with out-of-office or other automatic replies (`X-Auto-Response-Suppress`).
///
/// A 5xx answer from the server is a [permanent](SendError::permanent) failure; a 4xx answer,
/// a refused or broken connection, a TLS failure or a timeout is a
/// [temporary](SendError::temporary) one. The lettre error is kept as the source.
///
/// ```no_run
/// use helpdesk::{SmtpCredentials, SmtpTransport};
/// use helpdesk::service::RetryPolicy;
///
/// # async fn demo(desk: helpdesk::Helpdesk) -> helpdesk::Result<()> {
/// let smtp = SmtpTransport::starttls("smtp.example.com", 587, SmtpCredentials::new("desk", "secret"))?;
/// let report = desk.dispatch_outbox(&smtp, &RetryPolicy::default()).await?;
/// println!("sent {}, retrying {}, failed {}", report.sent, report.retried, report.failed);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct SmtpTransport {
    builder: AsyncSmtpTransportBuilder,
    inner: AsyncSmtpTransport<Tokio1Executor>,
    description: String,
}

impl std::fmt::Debug for SmtpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpTransport")
            .field("server", &self.description)
            .finish_non_exhaustive()
    }
}

impl SmtpTransport {
    /// A transport to `host:port` without TLS or authentication: for a relay on the same
    /// machine or a private network, and for tests.
    pub fn plain(host: impl Into<String>, port: u16) -> Self {
        let host = host.into();
        let description = format!("smtp://{host}:{port}");
        let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port);
        Self::from_builder(builder, description)
    }

    /// A transport to `host:port` (usually 587) that upgrades the connection with STARTTLS,
    /// checking the server's certificate for `host` against the bundled web PKI roots,
    /// and then logs in with `credentials`. A server that does not offer STARTTLS gets
    /// neither credentials nor mail.
    ///
    /// An error ([`Error::Backend`]) only if TLS cannot be set up at all.
    pub fn starttls(
        host: impl Into<String>,
        port: u16,
        credentials: SmtpCredentials,
    ) -> Result<Self> {
        let host = host.into();
        let builder = AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host)
            .map_err(Error::backend)?
            .port(port)
            .credentials(lettre_credentials(credentials));
        Ok(Self::from_builder(
            builder,
            format!("smtp+starttls://{host}:{port}"),
        ))
    }

    /// A transport to `host:port` (usually 465) over implicit TLS (SMTPS), checking the
    /// server's certificate for `host` against the bundled web PKI roots, logging in with
    /// `credentials`.
    ///
    /// An error ([`Error::Backend`]) only if TLS cannot be set up at all.
    pub fn tls(host: impl Into<String>, port: u16, credentials: SmtpCredentials) -> Result<Self> {
        let host = host.into();
        let builder = AsyncSmtpTransport::<Tokio1Executor>::relay(&host)
            .map_err(Error::backend)?
            .port(port)
            .credentials(lettre_credentials(credentials));
        Ok(Self::from_builder(
            builder,
            format!("smtps://{host}:{port}"),
        ))
    }

    /// Gives up on an SMTP command after `timeout` (one minute by default); a timeout is a
    /// temporary failure.
    pub fn with_timeout(self, timeout: Duration) -> Self {
        let builder = self.builder.timeout(Some(timeout));
        Self::from_builder(builder, self.description)
    }

    /// Greets the server (`EHLO`) with `domain` instead of the address literal `[127.0.0.1]`;
    /// some relays want the sending host's name.
    pub fn with_hello_name(self, domain: impl Into<String>) -> Self {
        let builder = self.builder.hello_name(ClientId::Domain(domain.into()));
        Self::from_builder(builder, self.description)
    }

    fn from_builder(builder: AsyncSmtpTransportBuilder, description: String) -> Self {
        Self {
            inner: builder.clone().build(),
            builder,
            description,
        }
    }
}

fn lettre_credentials(credentials: SmtpCredentials) -> Credentials {
    Credentials::new(credentials.user, credentials.password)
}

#[async_trait]
impl MailTransport for SmtpTransport {
    async fn send(
        &self,
        email: &OutboundEmail,
        settings: &MailSettings,
    ) -> std::result::Result<(), SendError> {
        let message = build_message(email, settings)?;
        match self.inner.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::permanent(e)),
            Err(e) => Err(SendError::temporary(e)),
        }
    }
}

/// The header carrying the full number of the ticket an e-mail is about.
const TICKET_HEADER: &str = "X-Helpdesk-Ticket";

/// The RFC 5322 message for `email` from the desk described by `settings`. Addresses that
/// lettre cannot use are a permanent failure: trying again would not change them.
fn build_message(
    email: &OutboundEmail,
    settings: &MailSettings,
) -> std::result::Result<Message, SendError> {
    let from = mailbox(Some(&settings.from_name), settings.from.as_str())?;
    let to = mailbox(email.to_name.as_deref(), email.to.as_str())?;
    let references: Vec<String> = email
        .references
        .iter()
        .filter_map(|id| angle_addr(id))
        .collect();

    let mut builder = Message::builder().from(from).to(to);
    let mut envelope_to: Vec<Address> =
        vec![email.to.as_str().parse().map_err(SendError::permanent)?];
    for copied in &email.cc {
        builder = builder.cc(mailbox(None, copied.as_str())?);
        envelope_to.push(copied.as_str().parse().map_err(SendError::permanent)?);
    }
    let mut builder = builder
        .subject(email.subject.clone())
        .date(SystemTime::from(email.created_at))
        .message_id(Some(angle_addr(&email.message_id).ok_or_else(|| {
            SendError::permanent(format!("invalid Message-ID {:?}", email.message_id))
        })?))
        .header(header::MIME_VERSION_1_0)
        .header(ContentType::TEXT_PLAIN)
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("X-Auto-Response-Suppress"),
            "OOF, AutoReply".to_owned(),
        ));
    if let Some(last) = references.last() {
        builder = builder
            .in_reply_to(last.clone())
            .references(references.join(" "));
    }
    // The ticket's full number, for agents' mail rules and tools: customers are told the
    // short one, in the subject and body.
    if let Some(number) = email
        .ticket_number
        .as_deref()
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    {
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str(TICKET_HEADER),
            number.to_owned(),
        ));
    }
    if let Some(auto) = auto_submitted(email.kind) {
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Auto-Submitted"),
            auto.to_owned(),
        ));
    }
    // The envelope sender names the e-mail (VERP) so that its bounce is matched to it.
    let envelope_from: Address = settings
        .envelope_sender(&settings.from, email.id)
        .as_str()
        .parse()
        .map_err(SendError::permanent)?;
    let envelope = Envelope::new(Some(envelope_from), envelope_to).map_err(SendError::permanent)?;
    builder
        .envelope(envelope)
        .body(email.body.clone())
        .map_err(SendError::permanent)
}

/// `Auto-Submitted` (RFC 3834) for the e-mails the desk writes by itself; none for what
/// agents write.
fn auto_submitted(kind: EmailKind) -> Option<&'static str> {
    match kind {
        // The acknowledgement answers the customer's message.
        EmailKind::TicketReceived => Some("auto-replied"),
        EmailKind::Resolved
        | EmailKind::AutoCloseWarning
        | EmailKind::Closed
        | EmailKind::Invitation
        | EmailKind::PasswordReset
        | EmailKind::AgentNotice
        | EmailKind::ChatTranscript => Some("auto-generated"),
        EmailKind::AgentReply | EmailKind::TicketThread => None,
        _ => None,
    }
}

fn mailbox(name: Option<&str>, address: &str) -> std::result::Result<Mailbox, SendError> {
    let address: Address = address.parse().map_err(SendError::permanent)?;
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    Ok(Mailbox::new(name, address))
}

/// `<id>` for a Message-ID stored without angle brackets (tolerating them), or `None` when
/// it is not a usable msg-id (empty, or with spaces, controls or non-ASCII).
fn angle_addr(id: &str) -> Option<String> {
    let id = id.trim();
    let id = id
        .strip_prefix('<')
        .and_then(|i| i.strip_suffix('>'))
        .unwrap_or(id);
    let usable = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>');
    usable.then(|| format!("<{id}>"))
}

#[cfg(test)]
mod tests {
    use super::angle_addr;

    #[test]
    fn message_ids_get_angle_brackets_and_bad_ones_are_dropped() {
        assert_eq!(
            angle_addr("a.b@x.example").as_deref(),
            Some("<a.b@x.example>")
        );
        assert_eq!(angle_addr("<a@x>").as_deref(), Some("<a@x>"));
        assert_eq!(angle_addr(""), None);
        assert_eq!(angle_addr("a b@x"), None);
        assert_eq!(angle_addr("a\r\nBcc: x@y"), None);
        assert_eq!(angle_addr("ä@x"), None);
    }
}
