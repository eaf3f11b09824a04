//! Mail settings kept in the store: admins set the desk's address and name, the department
//! new mail goes to, the rule for unknown senders, the most automatic answers per customer
//! an hour, whether list mail is taken in, whether outgoing mail names itself in its
//! envelope sender (VERP), how long an address that bounced stays undeliverable, and each
//! department's own address. Every process
//! that opens the store (server, CLI, an embedding application) applies them on each call
//! ([`Helpdesk::mail_in_force`]), and each change is audited.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::mail_settings::{DepartmentAddress, ListMail, MailSettings, UnknownSenders};
use super::{Acting, Helpdesk};
use crate::domain::{DepartmentId, Email, Name};
use crate::error::{Entity, Error, Result};
use crate::store::{SettingKey, StoreExt};

/// The most [`MailDefaults::auto_answers_per_hour`] an admin may set.
pub const MAX_AUTO_ANSWERS_PER_HOUR: u32 = 10_000;

/// The most [`MailDefaults::undeliverable_hours`] an admin may set: a year.
pub const MAX_UNDELIVERABLE_HOURS: u32 = 366 * 24;

/// The desk-wide mail settings an admin stores; each one unset (`None`) leaves the value
/// given in code ([`Helpdesk::with_mail`]) in force.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailDefaults {
    /// The address the desk sends from and receives at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Email>,
    /// The display name beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_name: Option<Name>,
    /// The department new tickets from mail go to when it was sent to no department's
    /// address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_department: Option<DepartmentId>,
    /// What to do with mail from unknown addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_senders: Option<UnknownSenders>,
    /// The most "request received" answers one customer gets in an hour (at most
    /// [`MAX_AUTO_ANSWERS_PER_HOUR`]; 0: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_answers_per_hour: Option<u32>,
    /// Whether list mail to the desk's own address is taken in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_mail: Option<ListMail>,
    /// Whether outgoing mail names itself in its envelope sender (VERP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verp: Option<bool>,
    /// How long, in hours, an address stays marked undeliverable after a permanent bounce
    /// (at most [`MAX_UNDELIVERABLE_HOURS`]; 0: addresses are not marked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undeliverable_hours: Option<u32>,
}

impl MailDefaults {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Checks the values that have limits.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] on `auto_answers_per_hour` past [`MAX_AUTO_ANSWERS_PER_HOUR`],
    /// on `undeliverable_hours` past [`MAX_UNDELIVERABLE_HOURS`].
    pub fn validate(&self) -> Result<()> {
        if self
            .undeliverable_hours
            .is_some_and(|n| n > MAX_UNDELIVERABLE_HOURS)
        {
            return Err(Error::validation(
                "undeliverable_hours",
                format!("at most {MAX_UNDELIVERABLE_HOURS}"),
            ));
        }
        if self
            .auto_answers_per_hour
            .is_some_and(|n| n > MAX_AUTO_ANSWERS_PER_HOUR)
        {
            return Err(Error::validation(
                "auto_answers_per_hour",
                format!("at most {MAX_AUTO_ANSWERS_PER_HOUR}"),
            ));
        }
        Ok(())
    }
}

/// The mail settings kept in the store (as JSON under [`SettingKey::Mail`]): the desk-wide
/// ones and each department's own address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredMailSettings {
    /// The desk-wide settings.
    #[serde(flatten)]
    pub desk: MailDefaults,
    /// The departments with an address of their own.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub departments: BTreeMap<DepartmentId, DepartmentAddress>,
}

impl StoredMailSettings {
    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.desk.is_empty() && self.departments.is_empty()
    }

    /// These settings laid over `base` (those given in code): each one set replaces
    /// `base`'s.
    pub fn apply(&self, base: &MailSettings) -> MailSettings {
        let d = &self.desk;
        let mut s = base.clone();
        if let Some(from) = &d.from {
            s = s.with_from(from.clone());
        }
        if let Some(name) = &d.from_name {
            s.from_name = name.as_str().to_owned();
        }
        if let Some(department) = d.inbound_department {
            s.inbound_department = department;
        }
        if let Some(rule) = d.unknown_senders {
            s.unknown_senders = rule;
        }
        if let Some(n) = d.auto_answers_per_hour {
            s.auto_answers_per_hour = n;
        }
        if let Some(rule) = d.list_mail {
            s.list_mail = rule;
        }
        if let Some(on) = d.verp {
            s.verp = on;
        }
        if let Some(hours) = d.undeliverable_hours {
            s.undeliverable_hours = hours;
        }
        for (department, address) in &self.departments {
            s = s.with_department_address(*department, address.clone());
        }
        s
    }

    /// The settings in force from these alone (nothing given in code): `None` without a
    /// stored address and inbound department.
    pub fn alone(&self) -> Option<MailSettings> {
        let from = self.desk.from.clone()?;
        let inbound = self.desk.inbound_department?;
        Some(self.apply(&MailSettings::new(from, inbound)))
    }

    /// Whether `address` is the desk's or another department's than `except`.
    fn taken(&self, address: &Email, except: Option<DepartmentId>) -> bool {
        self.desk.from.as_ref() == Some(address)
            || self
                .departments
                .iter()
                .any(|(d, a)| Some(*d) != except && a.address == *address)
    }
}

impl Helpdesk {
    /// The mail settings in the store (empty when it keeps none).
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails or holds a value that does not parse.
    pub async fn stored_mail_settings(&self) -> Result<StoredMailSettings> {
        let Some(settings) = self.store.as_settings_store() else {
            return Ok(StoredMailSettings::default());
        };
        let stored = settings.setting(SettingKey::Mail).await?;
        parse_mail(stored.as_deref())
    }

    /// The mail settings in force, read from the store on each call: the stored ones laid
    /// over those given in code ([`Helpdesk::with_mail`]). Without settings in code, the
    /// stored ones alone when they name the desk's address and inbound department; else
    /// `None` (the e-mail channel is off).
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails or holds a value that does not parse.
    pub async fn mail_in_force(&self) -> Result<Option<Arc<MailSettings>>> {
        let stored = self.stored_mail_settings().await?;
        Ok(self.mail_over(stored))
    }

    /// The mail settings in force when the store holds `stored` (the value of
    /// [`SettingKey::Mail`], read by the caller), as [`mail_in_force`](Self::mail_in_force)
    /// makes them.
    pub(crate) fn mail_in_force_from(
        &self,
        stored: Option<&str>,
    ) -> Result<Option<Arc<MailSettings>>> {
        Ok(self.mail_over(parse_mail(stored)?))
    }

    fn mail_over(&self, stored: StoredMailSettings) -> Option<Arc<MailSettings>> {
        if stored.is_empty() {
            return self.mail.clone();
        }
        match self.mail.as_deref() {
            Some(base) => Some(Arc::new(stored.apply(base))),
            None => stored.alone().map(Arc::new),
        }
    }

    /// Writes `after` in place of `before`, audited, when they differ.
    async fn record_mail(
        &self,
        who: &Acting,
        before: &StoredMailSettings,
        after: &StoredMailSettings,
    ) -> Result<()> {
        if before == after {
            return Ok(());
        }
        let text = |s: &StoredMailSettings| -> Result<Option<String>> {
            if s.is_empty() {
                return Ok(None);
            }
            serde_json::to_string(s).map(Some).map_err(Error::backend)
        };
        who.record_setting(SettingKey::Mail, text(before)?, text(after)?)
            .await
    }
}

impl Acting {
    /// The stored mail settings (admins). [`Error::Unsupported`] when the store keeps no
    /// settings.
    pub async fn mail_settings(&self) -> Result<StoredMailSettings> {
        self.require_admin()?;
        self.desk.settings_store()?;
        self.desk.stored_mail_settings().await
    }

    /// Replaces the desk-wide mail settings with `defaults` (admins); each one unset leaves
    /// the value given in code in force. The inbound department must exist; the desk's
    /// address may not be a department's. A change that changes nothing writes nothing.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] (see [`MailDefaults::validate`]), [`Error::NotFound`] for the
    /// department, [`Error::Conflict`] on `from` taken by a department, [`Error::Forbidden`]
    /// for non-admins, [`Error::Unsupported`] when the store keeps no settings.
    pub async fn set_mail_settings(&self, defaults: MailDefaults) -> Result<StoredMailSettings> {
        self.require_admin()?;
        self.desk.settings_store()?;
        defaults.validate()?;
        if let Some(department) = defaults.inbound_department {
            self.desk.store.require_department(department).await?;
        }
        let before = self.desk.stored_mail_settings().await?;
        if let Some(from) = &defaults.from
            && before.departments.values().any(|a| a.address == *from)
        {
            return Err(Error::duplicate(Entity::Email, "from"));
        }
        let mut after = before.clone();
        after.desk = defaults;
        self.desk.record_mail(self, &before, &after).await?;
        Ok(after)
    }

    /// Gives `department` an address of its own, or with `None` removes it (admins): mail
    /// to the address becomes a ticket in the department, and the desk's mail about the
    /// department's tickets goes out from it. A change that changes nothing writes nothing.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for the department, [`Error::Conflict`] on `mail_address` when
    /// the address is the desk's or another department's, [`Error::Forbidden`] for
    /// non-admins, [`Error::Unsupported`] when the store keeps no settings.
    pub async fn set_department_mail_address(
        &self,
        department: DepartmentId,
        address: Option<DepartmentAddress>,
    ) -> Result<StoredMailSettings> {
        self.require_admin()?;
        self.desk.settings_store()?;
        self.desk.store.require_department(department).await?;
        let before = self.desk.stored_mail_settings().await?;
        let mut after = before.clone();
        match address {
            Some(address) => {
                if before.taken(&address.address, Some(department))
                    || self
                        .desk
                        .mail
                        .as_deref()
                        .is_some_and(|m| m.from == address.address)
                {
                    return Err(Error::duplicate(Entity::Email, "mail_address"));
                }
                after.departments.insert(department, address);
            }
            None => {
                after.departments.remove(&department);
            }
        }
        self.desk.record_mail(self, &before, &after).await?;
        Ok(after)
    }
}

/// The stored mail settings from the setting's value (none stored: empty).
fn parse_mail(stored: Option<&str>) -> Result<StoredMailSettings> {
    match stored {
        None => Ok(StoredMailSettings::default()),
        Some(text) => {
            serde_json::from_str(text).map_err(|e| Error::corrupt("settings", "value", e))
        }
    }
}
