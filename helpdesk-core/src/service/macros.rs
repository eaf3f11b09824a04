//! Keeping macros (issue 22, item 3): admins add, change and delete them, each change
//! validated the way a rule's actions are and written with its entry in the settings' audit
//! trail ([`ChangedSetting::Macro`]) in one transaction. Applying a macro is in
//! `service/automation.rs`.

use super::Acting;
use super::automation::refuse_webhook_calls;
use crate::automation::{Action, Conditions, Macro};
use crate::domain::{MacroId, Name};
use crate::error::{Entity, Error, Result};
use crate::store::{ChangedSetting, SettingWrite};

/// A macro as the audit trail keeps it (its JSON).
fn audited(entry: Option<&Macro>) -> Result<Option<String>> {
    entry
        .map(|m| serde_json::to_string(m).map_err(Error::backend))
        .transpose()
}

impl Acting {
    /// The macro `id` (agents and admins).
    pub async fn macro_entry(&self, id: MacroId) -> Result<Macro> {
        (self.macros().await?.into_iter())
            .find(|m| m.id == id)
            .ok_or_else(|| Error::not_found(Entity::Macro, id))
    }

    /// Adds a macro (admins), audited.
    pub async fn create_macro(&self, name: Name, actions: Vec<Action>) -> Result<Macro> {
        self.require_admin()?;
        self.automation()?;
        self.check_automation(&Conditions::default(), &actions)
            .await?;
        refuse_webhook_calls(&actions)?;
        let entry = Macro {
            id: MacroId::new(),
            name,
            actions,
            created_at: self.desk.now(),
        };
        self.write_macro(None, Some(&entry)).await?;
        Ok(entry)
    }

    /// Replaces macro `id`'s name and actions (admins), checked as when it was added and
    /// audited with the macro before and after; its id and creation time stay. A refused
    /// change writes nothing.
    pub async fn update_macro(
        &self,
        id: MacroId,
        name: Name,
        actions: Vec<Action>,
    ) -> Result<Macro> {
        self.require_admin()?;
        let before = self.macro_entry(id).await?;
        self.check_automation(&Conditions::default(), &actions)
            .await?;
        refuse_webhook_calls(&actions)?;
        let after = Macro {
            name,
            actions,
            ..before.clone()
        };
        self.write_macro(Some(&before), Some(&after)).await?;
        Ok(after)
    }

    /// Deletes a macro (admins), audited.
    pub async fn delete_macro(&self, id: MacroId) -> Result<()> {
        self.require_admin()?;
        let before = self.macro_entry(id).await?;
        self.write_macro(Some(&before), None).await
    }

    /// Writes a macro's change (`after`: the macro now, `None`: deleted) with its audit entry.
    async fn write_macro(&self, before: Option<&Macro>, after: Option<&Macro>) -> Result<()> {
        let Some(id) = after.or(before).map(|m| m.id) else {
            return Ok(());
        };
        let write = match after {
            Some(m) => SettingWrite::PutMacro(m.clone()),
            None => SettingWrite::DeleteMacro(id),
        };
        self.write_audited(
            write,
            ChangedSetting::Macro,
            Some(id.to_string()),
            audited(before)?,
            audited(after)?,
        )
        .await
        .map(drop)
    }
}
