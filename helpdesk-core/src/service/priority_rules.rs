//! The priority rules kept in the store (issue 20): the tickets of an organisation's
//! customers start at the priority its rule says, and may be set up to its ceiling. Every
//! process that opens the store reads them on each decision, over the rules passed in code
//! ([`Helpdesk::with_priority_policy`]); admins change them, and each change is audited.

use std::sync::Arc;

use super::{Acting, Helpdesk};
use crate::domain::{CustomerKind, Name};
use crate::error::{Error, Result};
use crate::policy::{PriorityPolicy, PriorityRuleSetting, PriorityRuleSettings};
use crate::store::SettingKey;

impl Helpdesk {
    /// The priority rules stored on the desk (empty when none are stored, or the store
    /// keeps no settings).
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails or holds a value that does not parse.
    pub async fn stored_priority_rules(&self) -> Result<PriorityRuleSettings> {
        let Some(settings) = self.store.as_settings_store() else {
            return Ok(PriorityRuleSettings::default());
        };
        let stored = settings.setting(SettingKey::PriorityRules).await?;
        parse_rules(stored.as_deref())
    }

    /// The priority rules in force: the stored ones over those given to
    /// [`Helpdesk::with_priority_policy`].
    ///
    /// # Errors
    ///
    /// [`Error::Backend`] when the store fails or holds rules that do not parse.
    pub async fn priority_in_force(&self) -> Result<Arc<dyn PriorityPolicy>> {
        Ok(self
            .stored_priority_rules()
            .await?
            .apply(self.priority.clone()))
    }

    /// The priority rules in force when the store holds `stored` (the value of
    /// [`SettingKey::PriorityRules`], read by the caller).
    pub(crate) fn priority_in_force_from(
        &self,
        stored: Option<&str>,
    ) -> Result<Arc<dyn PriorityPolicy>> {
        Ok(parse_rules(stored)?.apply(self.priority.clone()))
    }
}

/// The stored rules from the setting's value (none stored: empty).
fn parse_rules(stored: Option<&str>) -> Result<PriorityRuleSettings> {
    match stored {
        None => Ok(PriorityRuleSettings::default()),
        Some(text) => {
            serde_json::from_str(text).map_err(|e| Error::corrupt("settings", "value", e))
        }
    }
}

impl Acting {
    /// The stored priority rules (admins).
    pub async fn priority_rule_settings(&self) -> Result<PriorityRuleSettings> {
        self.require_admin()?;
        self.desk.settings_store()?;
        self.desk.stored_priority_rules().await
    }

    /// Adds a priority rule after the others, or replaces the one of its name in place
    /// (admins). Every organisation it names must be a customer of kind organisation, named
    /// by no other rule; its ceiling may not be below its initial priority. Refused: nothing
    /// is written.
    pub async fn put_priority_rule(
        &self,
        rule: PriorityRuleSetting,
    ) -> Result<PriorityRuleSettings> {
        self.require_admin()?;
        rule.validate()?;
        for organisation in &rule.organisations {
            let found = self.desk.store.customer(*organisation).await?;
            if found.is_none_or(|c| c.kind != CustomerKind::Organisation) {
                return Err(Error::validation(
                    "organisations",
                    format!("{organisation} is not an organisation"),
                ));
            }
        }
        self.change_priority_rules(|rules| {
            match rules.rules.iter_mut().find(|r| r.name == rule.name) {
                Some(old) => *old = rule,
                None => rules.rules.push(rule),
            }
            Ok(())
        })
        .await
    }

    /// Removes the priority rule `name` (admins).
    pub async fn delete_priority_rule(&self, name: &Name) -> Result<PriorityRuleSettings> {
        self.change_priority_rules(|rules| {
            let before = rules.rules.len();
            rules.rules.retain(|r| &r.name != name);
            if rules.rules.len() == before {
                return Err(Error::validation(
                    "name",
                    format!("no priority rule {}", name.as_str()),
                ));
            }
            Ok(())
        })
        .await
    }

    /// Reads the stored rules, changes them with `edit`, checks the result and stores it
    /// with its audit entry; an edit that changes nothing writes nothing.
    async fn change_priority_rules(
        &self,
        edit: impl FnOnce(&mut PriorityRuleSettings) -> Result<()>,
    ) -> Result<PriorityRuleSettings> {
        self.require_admin()?;
        self.desk.settings_store()?;
        let before = self.desk.stored_priority_rules().await?;
        let mut after = before.clone();
        edit(&mut after)?;
        after.validate()?;
        if after != before {
            let text = |r: &PriorityRuleSettings| -> Result<Option<String>> {
                if r.is_empty() {
                    return Ok(None);
                }
                serde_json::to_string(r).map(Some).map_err(Error::backend)
            };
            self.record_setting(SettingKey::PriorityRules, text(&before)?, text(&after)?)
                .await?;
        }
        Ok(after)
    }
}
