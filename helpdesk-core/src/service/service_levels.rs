//! The service levels kept in the store: business-hours calendars, the calendar of each
//! department, SLA policies. Every process that opens the store reads them on each
//! decision, so a CLI write from a process configured without policies keeps a ticket's
//! clocks; admins change them, and each change is audited.

use std::sync::Arc;

use super::{Acting, Helpdesk};
use crate::domain::{DepartmentId, Name};
use crate::error::{Error, Result};
use crate::policy::{Calendar, ServiceLevelSettings, ServiceLevels, SlaPolicySetting};
use crate::store::{SettingChange, SettingKey, StoreExt};

/// The most audit entries one read returns.
pub const MAX_SETTING_CHANGES: u32 = 500;

impl Helpdesk {
    /// The service levels stored on the desk (empty when none are stored, or the store
    /// keeps no settings).
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails or holds a value that does not parse.
    pub async fn stored_service_levels(&self) -> Result<ServiceLevelSettings> {
        let Some(settings) = self.store.as_settings_store() else {
            return Ok(ServiceLevelSettings::default());
        };
        let stored = settings.setting(SettingKey::ServiceLevels).await?;
        parse_levels(stored.as_deref())
    }

    /// The service levels in force: the stored ones when the store holds any, else those
    /// given to [`Helpdesk::with_service_levels`].
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails or holds levels that do not hold together.
    pub async fn levels_in_force(&self) -> Result<Arc<ServiceLevels>> {
        let stored = self.stored_service_levels().await?;
        self.levels_over(stored)
    }

    /// The service levels in force when the store holds `stored` (the value of
    /// [`SettingKey::ServiceLevels`], read by the caller), as
    /// [`levels_in_force`](Self::levels_in_force) makes them.
    pub(crate) fn levels_in_force_from(&self, stored: Option<&str>) -> Result<Arc<ServiceLevels>> {
        self.levels_over(parse_levels(stored)?)
    }

    fn levels_over(&self, stored: ServiceLevelSettings) -> Result<Arc<ServiceLevels>> {
        if stored.is_empty() {
            return Ok(self.levels.clone());
        }
        stored
            .apply(&self.levels)
            .map(Arc::new)
            .map_err(|e| Error::corrupt("settings", "value", e))
    }
}

/// The stored service levels from the setting's value (none stored: empty).
fn parse_levels(stored: Option<&str>) -> Result<ServiceLevelSettings> {
    match stored {
        None => Ok(ServiceLevelSettings::default()),
        Some(text) => {
            serde_json::from_str(text).map_err(|e| Error::corrupt("settings", "value", e))
        }
    }
}

impl Acting {
    /// The stored service levels (admins).
    pub async fn service_level_settings(&self) -> Result<ServiceLevelSettings> {
        self.require_admin()?;
        self.desk.settings_store()?;
        self.desk.stored_service_levels().await
    }

    /// Adds the calendar `name`, or replaces the one of that name (admins).
    pub async fn put_calendar(
        &self,
        name: Name,
        calendar: Calendar,
    ) -> Result<ServiceLevelSettings> {
        self.change_levels(|levels| {
            levels.calendars.insert(name, calendar);
            Ok(())
        })
        .await
    }

    /// Removes the calendar `name` (admins); refused while a department, the default or a
    /// policy uses it.
    pub async fn delete_calendar(&self, name: &Name) -> Result<ServiceLevelSettings> {
        self.change_levels(|levels| {
            if levels.calendar_in_use(name) {
                return Err(Error::validation(
                    "calendar",
                    format!("calendar {} is in use", name.as_str()),
                ));
            }
            levels.calendars.remove(name).map(drop).ok_or_else(|| {
                Error::validation("calendar", format!("no calendar {}", name.as_str()))
            })
        })
        .await
    }

    /// Puts `department` on the calendar `name`, or with `None` on the default (admins).
    pub async fn set_department_calendar(
        &self,
        department: DepartmentId,
        name: Option<Name>,
    ) -> Result<ServiceLevelSettings> {
        self.require_admin()?;
        self.desk.store.require_department(department).await?;
        self.change_levels(|levels| {
            match name {
                Some(name) => levels.department_calendars.insert(department, name),
                None => levels.department_calendars.remove(&department),
            };
            Ok(())
        })
        .await
    }

    /// Sets the calendar of departments without their own, or with `None` open around the
    /// clock (admins).
    pub async fn set_default_calendar(&self, name: Option<Name>) -> Result<ServiceLevelSettings> {
        self.change_levels(|levels| {
            levels.default_calendar = name;
            Ok(())
        })
        .await
    }

    /// Adds an SLA policy after the others, or replaces the one of its name in place
    /// (admins). Its departments must exist.
    pub async fn put_sla_policy(&self, policy: SlaPolicySetting) -> Result<ServiceLevelSettings> {
        self.require_admin()?;
        for department in &policy.departments {
            self.desk.store.require_department(*department).await?;
        }
        for organisation in &policy.organisations {
            let found = self.desk.store.customer(*organisation).await?;
            if found.is_none_or(|c| c.kind != crate::domain::CustomerKind::Organisation) {
                return Err(Error::validation(
                    "organisations",
                    format!("{organisation} is not an organisation"),
                ));
            }
        }
        self.change_levels(|levels| {
            match levels.policies.iter_mut().find(|p| p.name == policy.name) {
                Some(old) => *old = policy,
                None => levels.policies.push(policy),
            }
            Ok(())
        })
        .await
    }

    /// Removes the SLA policy `name` (admins).
    pub async fn delete_sla_policy(&self, name: &Name) -> Result<ServiceLevelSettings> {
        self.change_levels(|levels| {
            let before = levels.policies.len();
            levels.policies.retain(|p| &p.name != name);
            if levels.policies.len() == before {
                return Err(Error::validation(
                    "sla",
                    format!("no policy {}", name.as_str()),
                ));
            }
            Ok(())
        })
        .await
    }

    /// The audit trail of settings, newest first, at most `limit` (1–500) changes (admins).
    pub async fn setting_changes(&self, limit: u32) -> Result<Vec<SettingChange>> {
        self.require_admin()?;
        if !(1..=MAX_SETTING_CHANGES).contains(&limit) {
            return Err(Error::validation(
                "limit",
                format!("1–{MAX_SETTING_CHANGES}"),
            ));
        }
        self.desk.settings_store()?.setting_changes(limit).await
    }

    /// Reads the stored levels, changes them with `edit`, checks the result and stores it
    /// with its audit entry; an edit that changes nothing writes nothing.
    async fn change_levels(
        &self,
        edit: impl FnOnce(&mut ServiceLevelSettings) -> Result<()>,
    ) -> Result<ServiceLevelSettings> {
        self.require_admin()?;
        self.desk.settings_store()?;
        let before = self.desk.stored_service_levels().await?;
        let mut after = before.clone();
        edit(&mut after)?;
        after.validate()?;
        if after != before {
            let text = |l: &ServiceLevelSettings| -> Result<Option<String>> {
                if l.is_empty() {
                    return Ok(None);
                }
                serde_json::to_string(l).map(Some).map_err(Error::backend)
            };
            self.record_setting(SettingKey::ServiceLevels, text(&before)?, text(&after)?)
                .await?;
        }
        Ok(after)
    }
}
