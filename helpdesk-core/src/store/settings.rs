//! The desk's settings kept in the store: rows of a name and a text value. The names and
//! what their values mean are typed here, in the core ([`SettingKey`]); a backend only reads
//! and writes rows.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Actor;
use crate::domain::stable_text::stable_text;
use crate::error::Result;

/// The name of a setting, stored as its stable text (see
/// [`StableText`](crate::domain::StableText)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SettingKey {
    /// The desk's public base URL, a [`PublicUrl`](crate::domain::PublicUrl): where every
    /// link the desk sends points.
    PublicUrl,
    /// The service levels: business-hours calendars, which calendar each department works
    /// on, and the SLA policies with their match rules, a
    /// [`ServiceLevelSettings`](crate::policy::ServiceLevelSettings) as JSON.
    ServiceLevels,
    /// The attachment limits: the desk's default and each department's, an
    /// [`AttachmentSettings`](crate::service::AttachmentSettings) as JSON.
    AttachmentLimits,
    /// The mail settings: the desk's address and name, the inbound department, the rule for
    /// unknown senders, automatic answers per hour, list mail, and each department's own
    /// address, a [`StoredMailSettings`](crate::service::StoredMailSettings) as JSON.
    Mail,
    /// The IMAP mailboxes stored for departments: only in the audit trail (each change of
    /// one, its settings before and after as JSON, a new password only as
    /// `"password": "changed"`); the mailboxes themselves are kept by the
    /// [`MailboxStore`](super::MailboxStore), and no setting row has this name.
    Mailboxes,
}

stable_text!(SettingKey, "setting" {
    PublicUrl => "public_url",
    ServiceLevels => "service_levels",
    AttachmentLimits => "attachment_limits",
    Mail => "mail",
    Mailboxes => "mailboxes",
});

/// One change of a setting, as the audit trail keeps it: who, when, the value before and the
/// value after (`None`: unset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingChange {
    /// Which setting.
    pub key: SettingKey,
    /// Who changed it.
    pub actor: Actor,
    /// When.
    pub at: DateTime<Utc>,
    /// Its value before.
    pub before: Option<String>,
    /// Its value after.
    pub after: Option<String>,
}

/// An ability a store may offer ([`Store::as_settings_store`](super::Store::as_settings_store)):
/// the desk's settings, a text value per [`SettingKey`]. Values are written and read back
/// exactly; the [`Helpdesk`](crate::Helpdesk) validates them on the way in and out.
#[async_trait]
pub trait SettingsStore: Send + Sync {
    /// The value of `key`, when it is set.
    async fn setting(&self, key: SettingKey) -> Result<Option<String>>;
    /// Sets `key` to `value`, replacing what was there.
    async fn put_setting(&self, key: SettingKey, value: &str) -> Result<()>;
    /// Unsets `key`; whether it was set.
    async fn delete_setting(&self, key: SettingKey) -> Result<bool>;
    /// Sets `change.key` to `change.after` (unsets it for `None`) and appends `change` to the
    /// audit trail, both or neither.
    async fn change_setting(&self, change: &SettingChange) -> Result<()>;
    /// The audit trail, newest first, at most `limit` changes.
    async fn setting_changes(&self, limit: u32) -> Result<Vec<SettingChange>>;
}
