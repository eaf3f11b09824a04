//! The desk's settings kept in the store: rows of a name and a text value. The names and
//! what their values mean are typed here, in the core ([`SettingKey`]); a backend only reads
//! and writes rows.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::stable_text::stable_text;
use crate::domain::{
    Actor, CannedResponse, CannedResponseId, Category, TemplateId, TicketTemplate,
};
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
    /// The country whose phone numbers may be typed without their country code, a
    /// [`PhoneRegion`](crate::search::PhoneRegion) (`RO`): how search and look-ups read a
    /// national number.
    PhoneRegion,
    /// The retention rule: closed tickets erased or anonymised after a number of days, a
    /// [`Retention`](crate::service::Retention) as JSON (unset: off).
    Retention,
    /// The priority rules that match on the organisation, a
    /// [`PriorityRuleSettings`](crate::policy::PriorityRuleSettings) as JSON.
    PriorityRules,
    /// How many days the change feed keeps its records, a whole number of days as text
    /// (unset: [`FeedRetention::DEFAULT`](crate::feed::FeedRetention::DEFAULT)).
    FeedRetention,
    /// How long an agent counts as present after they were last seen, a
    /// [`PresenceTimeout`](crate::domain::PresenceTimeout) in whole seconds (unset: 60).
    PresenceTimeout,
}

stable_text!(SettingKey, "setting" {
    PublicUrl => "public_url",
    ServiceLevels => "service_levels",
    AttachmentLimits => "attachment_limits",
    Mail => "mail",
    PhoneRegion => "phone_region",
    Retention => "retention",
    PriorityRules => "priority_rules",
    FeedRetention => "feed_retention",
    PresenceTimeout => "presence_timeout",
});

/// What an audited change changed: a setting stored under a [`SettingKey`] (the same text),
/// or one entry of a list of settings kept in its own table (a ticket template, a canned
/// response, a knowledge-base category), named by [`SettingChange::item`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangedSetting {
    /// [`SettingKey::PublicUrl`].
    PublicUrl,
    /// [`SettingKey::ServiceLevels`].
    ServiceLevels,
    /// [`SettingKey::AttachmentLimits`].
    AttachmentLimits,
    /// [`SettingKey::Mail`].
    Mail,
    /// A ticket template (the item is its id; the values its JSON).
    Template,
    /// A canned response (the item is its id; the values its JSON).
    CannedResponse,
    /// A knowledge-base category (the item is its name before the change, or the new one's;
    /// the values its name).
    ArticleCategory,
    /// An IMAP mailbox stored for a department (the item is its id; the values its settings
    /// as JSON, a new password only as `"password": "changed"`); the mailboxes themselves
    /// are kept by the [`MailboxStore`](super::MailboxStore).
    Mailbox,
    /// [`SettingKey::PhoneRegion`].
    PhoneRegion,
    /// [`SettingKey::Retention`].
    Retention,
    /// [`SettingKey::PriorityRules`].
    PriorityRules,
    /// [`SettingKey::FeedRetention`].
    FeedRetention,
    /// A webhook endpoint (the item is its id; the values its JSON without the secret).
    Webhook,
    /// [`SettingKey::PresenceTimeout`].
    PresenceTimeout,
    /// An automation macro (the item is its id; the values its JSON).
    Macro,
}

stable_text!(ChangedSetting, "changed_setting" {
    PublicUrl => "public_url",
    ServiceLevels => "service_levels",
    AttachmentLimits => "attachment_limits",
    Mail => "mail",
    Template => "template",
    CannedResponse => "canned_response",
    ArticleCategory => "article_category",
    Mailbox => "mailbox",
    PhoneRegion => "phone_region",
    Retention => "retention",
    PriorityRules => "priority_rules",
    FeedRetention => "feed_retention",
    Webhook => "webhook",
    PresenceTimeout => "presence_timeout",
    Macro => "macro",
});

impl From<SettingKey> for ChangedSetting {
    fn from(key: SettingKey) -> Self {
        match key {
            SettingKey::PublicUrl => Self::PublicUrl,
            SettingKey::ServiceLevels => Self::ServiceLevels,
            SettingKey::AttachmentLimits => Self::AttachmentLimits,
            SettingKey::Mail => Self::Mail,
            SettingKey::PhoneRegion => Self::PhoneRegion,
            SettingKey::Retention => Self::Retention,
            SettingKey::PriorityRules => Self::PriorityRules,
            SettingKey::FeedRetention => Self::FeedRetention,
            SettingKey::PresenceTimeout => Self::PresenceTimeout,
        }
    }
}

impl PartialEq<SettingKey> for ChangedSetting {
    fn eq(&self, key: &SettingKey) -> bool {
        *self == Self::from(*key)
    }
}

/// One change of a setting, as the audit trail keeps it: who, when, the value before and the
/// value after (`None`: unset, or the entry did not exist).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingChange {
    /// Which setting, or which list of settings.
    pub key: ChangedSetting,
    /// The entry of the list that changed (`None` for a setting stored under a key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
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
    /// Applies `write` and appends `change` to the audit trail in one transaction: both or
    /// neither. Each write does what its own method does (see [`SettingWrite`]), with its
    /// errors, and then nothing is written. The number of articles a category's rename moved;
    /// 0 for every other write.
    async fn write_audited(&self, write: &SettingWrite, change: &SettingChange) -> Result<u64>;
    /// The audit trail, newest first, at most `limit` changes.
    async fn setting_changes(&self, limit: u32) -> Result<Vec<SettingChange>>;
}

/// A write of a setting or of an entry of a settings list, committed with its audit entry
/// by [`SettingsStore::write_audited`]. A store that keeps settings keeps templates, canned
/// responses and knowledge-base categories too.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SettingWrite {
    /// Sets the setting `key` to `value`, or unsets it for `None`
    /// ([`put_setting`](SettingsStore::put_setting),
    /// [`delete_setting`](SettingsStore::delete_setting)).
    Value {
        /// Which setting.
        key: SettingKey,
        /// Its new value.
        value: Option<String>,
    },
    /// Inserts or replaces a ticket template
    /// ([`put_template`](super::TemplateStore::put_template)).
    PutTemplate(TicketTemplate),
    /// Deletes a ticket template; [`Error::NotFound`](crate::Error::NotFound) when there is
    /// none ([`delete_template`](super::TemplateStore::delete_template)).
    DeleteTemplate(TemplateId),
    /// Inserts or replaces a canned response
    /// ([`put_canned_response`](super::TemplateStore::put_canned_response)).
    PutCannedResponse(CannedResponse),
    /// Deletes a canned response; [`Error::NotFound`](crate::Error::NotFound) when there is
    /// none ([`delete_canned_response`](super::TemplateStore::delete_canned_response)).
    DeleteCannedResponse(CannedResponseId),
    /// Adds a knowledge-base category
    /// ([`add_article_category`](super::KnowledgeStore::add_article_category)).
    AddArticleCategory(Category),
    /// Renames a category and moves its articles
    /// ([`rename_article_category`](super::KnowledgeStore::rename_article_category)).
    RenameArticleCategory {
        /// Its name.
        from: Category,
        /// Its new name.
        to: Category,
    },
    /// Deletes a category no article is filed in
    /// ([`delete_article_category`](super::KnowledgeStore::delete_article_category)).
    DeleteArticleCategory(Category),
    /// Inserts or replaces an automation macro
    /// ([`put_macro`](super::AutomationStore::put_macro)); kept by stores that keep
    /// automation, refused as unsupported by the others.
    PutMacro(crate::automation::Macro),
    /// Deletes an automation macro; [`Error::NotFound`](crate::Error::NotFound) when there
    /// is none ([`delete_macro`](super::AutomationStore::delete_macro)).
    DeleteMacro(crate::domain::MacroId),
}
