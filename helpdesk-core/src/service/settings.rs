//! The desk's settings kept in the store (settings live in the store, not in code): its
//! public URL, from which every link the desk sends is built.

use serde::Serialize;

use super::{Acting, Helpdesk};
use crate::domain::PublicUrl;
use crate::error::{Ability, Error, Result};
use crate::search::PhoneRegion;
use crate::store::{ChangedSetting, SettingChange, SettingKey, SettingWrite, SettingsStore};

/// The desk's settings, as admins read them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct DeskSettings {
    /// The public base URL every link the desk sends starts with; `None` until an admin
    /// sets it (until then the desk sends no links).
    pub public_url: Option<PublicUrl>,
    /// The country whose phone numbers may be typed without their country code (search and
    /// the customer look-up read `0721 000 111` as `+40 721 000 111` with `RO`); `None`
    /// until an admin sets it (then only international numbers are read as such), and then
    /// left out of the JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_region: Option<PhoneRegion>,
    /// How long an agent counts as present after they were last seen; `None` until an
    /// admin sets it (then 60 s), and then left out of the JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presence_timeout_seconds: Option<crate::domain::PresenceTimeout>,
    /// How many days the change feed keeps its records; `None` until an admin sets it (then
    /// a week), and then left out of the JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed_retention_days: Option<crate::feed::FeedRetention>,
}

impl Helpdesk {
    /// The store's settings, or [`Error::Unsupported`].
    pub fn settings_store(&self) -> Result<&dyn SettingsStore> {
        self.store
            .as_settings_store()
            .ok_or(Error::unsupported(Ability::Settings))
    }

    /// The desk's public URL: `None` when it is not set or the store keeps no settings.
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails, or holds a value that is not a
    /// [`PublicUrl`] (a [`CorruptValue`](crate::error::CorruptValue) of `settings.value`).
    pub async fn public_url(&self) -> Result<Option<PublicUrl>> {
        let Some(settings) = self.store.as_settings_store() else {
            return Ok(None);
        };
        match settings.setting(SettingKey::PublicUrl).await? {
            None => Ok(None),
            Some(text) => PublicUrl::parse(&text)
                .map(Some)
                .map_err(|e| Error::corrupt("settings", "value", e)),
        }
    }
}

impl Helpdesk {
    /// The desk's default phone region: `None` when it is not set or the store keeps no
    /// settings.
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails, or holds a value that is not a
    /// [`PhoneRegion`].
    pub async fn phone_region(&self) -> Result<Option<PhoneRegion>> {
        let Some(settings) = self.store.as_settings_store() else {
            return Ok(None);
        };
        match settings.setting(SettingKey::PhoneRegion).await? {
            None => Ok(None),
            Some(text) => PhoneRegion::parse(&text)
                .map(Some)
                .map_err(|e| Error::corrupt("settings", "value", e)),
        }
    }
}

impl Acting {
    /// The desk's settings (admins). [`Error::Unsupported`] when the store keeps none.
    pub async fn settings(&self) -> Result<DeskSettings> {
        self.require_admin()?;
        self.desk.settings_store()?;
        Ok(DeskSettings {
            public_url: self.desk.public_url().await?,
            phone_region: self.desk.phone_region().await?,
            presence_timeout_seconds: self.desk.stored_presence_timeout().await?,
            feed_retention_days: self.desk.stored_feed_retention().await?,
        })
    }

    /// Sets the desk's default phone region, or unsets it with `None` (admins), audited.
    /// [`Error::Unsupported`] when the store keeps no settings.
    pub async fn set_phone_region(&self, region: Option<PhoneRegion>) -> Result<()> {
        self.require_admin()?;
        let settings = self.desk.settings_store()?;
        let before = settings.setting(SettingKey::PhoneRegion).await?;
        let after = region.map(|r| r.as_str().to_owned());
        if before == after {
            return Ok(());
        }
        self.record_setting(SettingKey::PhoneRegion, before, after)
            .await
    }

    /// Sets the desk's public URL, or unsets it with `None` (admins), audited.
    /// [`Error::Unsupported`] when the store keeps no settings.
    pub async fn set_public_url(&self, url: Option<PublicUrl>) -> Result<()> {
        self.require_admin()?;
        let settings = self.desk.settings_store()?;
        let before = settings.setting(SettingKey::PublicUrl).await?;
        let after = url.map(|u| u.as_str().to_owned());
        if before == after {
            return Ok(());
        }
        self.record_setting(SettingKey::PublicUrl, before, after)
            .await
    }

    /// Writes `after` to `key` with an audit entry of who and when.
    pub(crate) async fn record_setting(
        &self,
        key: SettingKey,
        before: Option<String>,
        after: Option<String>,
    ) -> Result<()> {
        let write = SettingWrite::Value {
            key,
            value: after.clone(),
        };
        self.write_audited(write, key.into(), None, before, after)
            .await
            .map(drop)
    }

    /// Commits `write` with an audit entry of who and when: `key` and `item` name what
    /// changed, `before` and `after` its values. What the write returns (see
    /// [`SettingsStore::write_audited`]).
    pub(crate) async fn write_audited(
        &self,
        write: SettingWrite,
        key: ChangedSetting,
        item: Option<String>,
        before: Option<String>,
        after: Option<String>,
    ) -> Result<u64> {
        let change = SettingChange {
            key,
            item,
            actor: self.actor(),
            at: self.desk.now(),
            before,
            after,
        };
        self.desk
            .settings_store()?
            .write_audited(&write, &change)
            .await
    }
}
