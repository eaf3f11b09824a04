//! IMAP mailboxes stored for departments ([`MailboxStore`]): where the desk fetches mail
//! from, how, and how its last round went. The core only keeps the settings; the IMAP client
//! is the facade's (`helpdesk::imap`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::SettingChange;
use crate::domain::stable_text::stable_text;
use crate::domain::{DepartmentId, MailboxId};
use crate::error::Result;

/// How the connection to a mailbox's IMAP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailboxSecurity {
    /// Implicit TLS (IMAPS, usually port 993), the certificate checked.
    #[default]
    Tls,
    /// No encryption (usually port 143): only for a server on the same host or a trusted
    /// network.
    Plain,
}

stable_text!(MailboxSecurity, "mailbox_security" {
    Tls => "tls",
    Plain => "plain",
});

impl MailboxSecurity {
    /// The usual port: 993 with TLS, 143 without.
    pub const fn default_port(self) -> u16 {
        match self {
            MailboxSecurity::Tls => 993,
            MailboxSecurity::Plain => 143,
        }
    }
}

/// What happens to a message in a mailbox once the desk stored it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailboxAfter {
    /// It stays, flagged as taken (and seen).
    #[default]
    Flag,
    /// It is moved to the folder [`MailboxSettings::move_to`].
    Move,
    /// It is deleted.
    Delete,
}

stable_text!(MailboxAfter, "mailbox_after" {
    Flag => "flag",
    Move => "move",
    Delete => "delete",
});

/// What an admin sets for a mailbox, without its password (which is write-only: kept by the
/// store, never shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxSettings {
    /// The department new tickets from the mailbox go to (unless the mail is sent to a
    /// department's own address).
    pub department: DepartmentId,
    /// The IMAP server's host name or address.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// TLS or not.
    pub security: MailboxSecurity,
    /// The login's user name.
    pub user: String,
    /// The folder read (`INBOX`).
    pub folder: String,
    /// What happens to a message once it is stored.
    pub after: MailboxAfter,
    /// The folder messages are moved to, with [`MailboxAfter::Move`] (and only then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub move_to: Option<String>,
    /// Whether the desk fetches from it.
    pub enabled: bool,
    /// Seconds between rounds where the server has no IDLE (and the longest IDLE wait).
    pub poll_seconds: u32,
}

/// How a mailbox's last round went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxRound {
    /// When it ended.
    pub at: DateTime<Utc>,
    /// How many messages it took (stored, recognised or refused, and marked).
    pub taken: u32,
    /// Why it failed, when it did (never with the password).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A stored mailbox: its id, settings and last round, without its password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailbox {
    /// Its id; ids sort by when the mailbox was added.
    pub id: MailboxId,
    /// Its settings.
    #[serde(flatten)]
    pub settings: MailboxSettings,
    /// Its last round, once there was one.
    #[serde(default)]
    pub last_round: Option<MailboxRound>,
}

/// An ability a store may offer ([`Store::as_mailbox_store`](super::Store::as_mailbox_store)):
/// the IMAP mailboxes stored for departments, each with its password (written, read back
/// only to log in) and its last round. Every change of the settings is appended to the
/// settings' audit trail ([`SettingsStore`](super::SettingsStore)) in the same write.
#[async_trait]
pub trait MailboxStore: Send + Sync {
    /// Keeps the mailbox `id` with `settings` and `password`, or replaces those of the one
    /// with this id (its last round stays as recorded), and appends `change` to the
    /// settings' audit trail: both or neither.
    async fn put_mailbox(
        &self,
        id: MailboxId,
        settings: &MailboxSettings,
        password: &str,
        change: &SettingChange,
    ) -> Result<()>;
    /// The mailbox `id`, without its password.
    async fn mailbox(&self, id: MailboxId) -> Result<Option<Mailbox>>;
    /// The password of the mailbox `id`, exactly as written.
    async fn mailbox_password(&self, id: MailboxId) -> Result<Option<String>>;
    /// Every stored mailbox, oldest first (by id).
    async fn mailboxes(&self) -> Result<Vec<Mailbox>>;
    /// Removes the mailbox `id` and, when it was there, appends `change` to the settings'
    /// audit trail, both or neither; whether it was there.
    async fn delete_mailbox(&self, id: MailboxId, change: &SettingChange) -> Result<bool>;
    /// Records the last round of the mailbox `id` (replacing the one before); whether it
    /// is there.
    async fn record_mailbox_round(&self, id: MailboxId, round: &MailboxRound) -> Result<bool>;
}
