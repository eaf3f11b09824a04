//! Attachment limits kept in the store: admins set the desk's default and each
//! department's own (the most files a ticket may carry among them); every process that
//! opens the store applies them, and each change is audited.

use super::{Acting, AttachmentLimits, AttachmentSettings};
use crate::domain::DepartmentId;
use crate::error::{Error, Result};
use crate::store::{SettingKey, StoreExt};

impl Acting {
    /// The stored attachment limits (admins).
    pub async fn attachment_settings(&self) -> Result<AttachmentSettings> {
        self.require_admin()?;
        self.desk.settings_store()?;
        self.desk.stored_attachment_limits().await
    }

    /// Sets (or with `None` removes) the limits of `department`, or with no department the
    /// desk's default (admins). Limits are checked first
    /// ([`AttachmentLimits::validate`]); a change that changes nothing writes nothing.
    pub async fn set_attachment_limits(
        &self,
        department: Option<DepartmentId>,
        limits: Option<AttachmentLimits>,
    ) -> Result<AttachmentSettings> {
        self.require_admin()?;
        self.desk.settings_store()?;
        if let Some(limits) = &limits {
            limits.validate()?;
        }
        if let Some(department) = department {
            self.desk.store.require_department(department).await?;
        }
        let before = self.desk.stored_attachment_limits().await?;
        let mut after = before.clone();
        match (department, limits) {
            (Some(d), Some(l)) => {
                after.departments.insert(d, l);
            }
            (Some(d), None) => {
                after.departments.remove(&d);
            }
            (None, l) => after.default = l,
        }
        if after != before {
            let text = |s: &AttachmentSettings| -> Result<Option<String>> {
                if s.is_empty() {
                    return Ok(None);
                }
                serde_json::to_string(s).map(Some).map_err(Error::backend)
            };
            self.record_setting(SettingKey::AttachmentLimits, text(&before)?, text(&after)?)
                .await?;
        }
        Ok(after)
    }
}
