//! What can go wrong fetching mail from an IMAP mailbox.

use std::io;

/// An IMAP mailbox could not be read. The cause is kept as the source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImapError {
    /// The mailbox's settings are wrong (a bad URL, an unknown department, no mail
    /// settings on the desk).
    #[error("{0}")]
    Config(String),
    /// The server could not be reached, or closed the connection.
    #[error("cannot reach the IMAP server {server}")]
    Connect {
        /// `host:port`.
        server: String,
        /// What the network said.
        #[source]
        source: io::Error,
    },
    /// TLS with the server failed (its certificate, or the handshake).
    #[error("TLS with the IMAP server {server} failed")]
    Tls {
        /// `host:port`.
        server: String,
        /// What TLS said.
        #[source]
        source: io::Error,
    },
    /// The server refused the login.
    #[error("the IMAP server {server} refused the login of {user}")]
    Login {
        /// `host:port`.
        server: String,
        /// The user name tried.
        user: String,
        /// The server's answer.
        #[source]
        source: async_imap::error::Error,
    },
    /// The server answered a command with an error, or the session broke.
    #[error("the IMAP server {server} failed while {doing}")]
    Protocol {
        /// `host:port`.
        server: String,
        /// What the desk was doing (`selecting INBOX`, `flagging message 7`, ...).
        doing: String,
        /// The server's answer.
        #[source]
        source: async_imap::error::Error,
    },
    /// The desk could not store a message (its store is unavailable): the message stays
    /// in the mailbox for the next round.
    #[error("the desk could not take in message {uid} of {mailbox}")]
    Desk {
        /// The mailbox (without its password).
        mailbox: String,
        /// The message's UID.
        uid: u32,
        /// The desk's error.
        #[source]
        source: helpdesk_core::Error,
    },
}

impl ImapError {
    /// Whether trying again later may succeed (a network failure, a broken session, an
    /// unavailable store), as opposed to settings that must be changed (a bad URL, a
    /// refused login, a certificate that does not check).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ImapError::Connect { .. } | ImapError::Protocol { .. } | ImapError::Desk { .. }
        )
    }
}
