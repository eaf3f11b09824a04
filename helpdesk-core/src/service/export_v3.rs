//! The records format version 3 added, read from the desk and written back (admins):
//! logins, person settings, notification preferences, rules and their last runs, macros,
//! webhook endpoints and their deliveries, mailboxes and knowledge-base votes. Secrets (password hashes, webhook
//! signing secrets, mailbox passwords) are carried: an export is an admin's whole backup.

use std::collections::BTreeMap;

use crate::domain::{Actor, ArticleId, PersonSettings, Voter};
use crate::error::{Ability, Error, Result};
use crate::export::{ArticleRecord, MailboxRecord, PersonSettingsRecord, Record};
use crate::store::{ChangedSetting, SettingChange};

use super::Acting;

impl Acting {
    /// The articles' votes by article, cast by any of `people`.
    pub(super) async fn export_votes(
        &self,
        articles: &[ArticleId],
        people: &[Actor],
    ) -> Result<BTreeMap<ArticleId, Vec<crate::domain::ArticleVote>>> {
        let mut votes: BTreeMap<ArticleId, Vec<_>> = BTreeMap::new();
        let Some(k) = self.desk.store.as_knowledge_store() else {
            return Ok(votes);
        };
        if articles.is_empty() {
            return Ok(votes);
        }
        for voter in people.iter().copied().filter_map(Voter::of) {
            for vote in k.article_votes(voter, articles).await? {
                votes.entry(vote.article).or_default().push(vote);
            }
        }
        Ok(votes)
    }

    /// People's and automation records, after the content, in the format's order: logins
    /// and person settings of `people` (agents, then customers), notification preferences,
    /// rules, their last runs, macros and mailboxes.
    pub(super) async fn export_v3(
        &self,
        people: &[Actor],
        records: &mut Vec<Record>,
    ) -> Result<()> {
        let store = &self.desk.store;
        if let Some(accounts) = store.as_account_store() {
            for person in people {
                if let Some(login) = accounts.login_of(*person).await? {
                    records.push(Record::Login(login));
                }
            }
        }
        if let Some(s) = store.as_person_settings_store() {
            for person in people {
                let settings = s.person_settings(*person).await?;
                if settings != PersonSettings::default() {
                    records.push(Record::PersonSettings(PersonSettingsRecord {
                        person: *person,
                        settings,
                    }));
                }
            }
        }
        if let Some(n) = store.as_notification_preference_store() {
            let agents: Vec<_> = (people.iter())
                .filter_map(|p| match p {
                    Actor::Agent(a) => Some(*a),
                    _ => None,
                })
                .collect();
            let mut preferences = n.notification_preferences(&agents).await?;
            preferences.sort_by_key(|p| p.agent);
            records.extend(preferences.into_iter().map(Record::NotificationPreferences));
        }
        if let Some(a) = store.as_automation_store() {
            let rules = a.rules().await?;
            let mut runs: Vec<_> = (a.last_rule_runs().await?.into_iter())
                .filter(|(rule, _)| rules.iter().any(|r| r.id == *rule))
                .collect();
            runs.sort();
            records.extend(rules.into_iter().map(Record::Rule));
            records.extend(
                runs.into_iter()
                    .map(|(rule, at)| Record::RuleRun { rule, at }),
            );
            let mut macros = a.macros().await?;
            macros.sort_by_key(|m| m.id);
            records.extend(macros.into_iter().map(Record::Macro));
        }
        if let Some(m) = store.as_mailbox_store() {
            let mut mailboxes = m.mailboxes().await?;
            mailboxes.sort_by_key(|m| m.id);
            for mailbox in mailboxes {
                let password = (m.mailbox_password(mailbox.id).await?).unwrap_or_default();
                records.push(Record::Mailbox(MailboxRecord { mailbox, password }));
            }
        }
        Ok(())
    }

    /// The records that come after the tickets (admins): webhook endpoints, by id, then
    /// their deliveries, by id. A restore writes them after the tickets, so that the
    /// restored tickets make no deliveries.
    pub async fn export_endpoints(&self) -> Result<Vec<Record>> {
        self.require_admin()?;
        let Some(w) = self.desk.store.as_webhook_store() else {
            return Ok(Vec::new());
        };
        let mut webhooks = w.webhooks().await?;
        webhooks.sort_by_key(|w| w.id);
        let mut deliveries = Vec::new();
        for endpoint in &webhooks {
            deliveries.extend(w.webhook_deliveries(endpoint.id, u32::MAX).await?);
        }
        deliveries.sort_by_key(|d| d.id);
        let mut records: Vec<Record> = webhooks.into_iter().map(Record::Webhook).collect();
        records.extend(deliveries.into_iter().map(Record::WebhookDelivery));
        Ok(records)
    }

    /// Whether the desk holds no rule, macro, webhook endpoint or mailbox (what a restore
    /// would add to).
    pub(super) async fn holds_no_automation(&self) -> Result<bool> {
        let store = &self.desk.store;
        if let Some(a) = store.as_automation_store()
            && (!a.rules().await?.is_empty() || !a.macros().await?.is_empty())
        {
            return Ok(false);
        }
        if let Some(w) = store.as_webhook_store()
            && !w.webhooks().await?.is_empty()
        {
            return Ok(false);
        }
        if let Some(m) = store.as_mailbox_store()
            && !m.mailboxes().await?.is_empty()
        {
            return Ok(false);
        }
        Ok(true)
    }

    /// An audit entry for a webhook or mailbox written back by a restore: by the restoring
    /// admin, now, its settings after (without secrets).
    fn restored(&self, key: ChangedSetting, item: String, after: String) -> SettingChange {
        SettingChange {
            key,
            item: Some(item),
            actor: self.actor(),
            at: self.desk.now(),
            before: None,
            after: Some(after),
        }
    }

    /// Writes an article and casts its votes again, so that its counts come back as they
    /// were (checked by the restore before).
    pub(super) async fn restore_article(&self, record: ArticleRecord) -> Result<()> {
        let k = (self.desk.store.as_knowledge_store())
            .ok_or(Error::unsupported(Ability::KnowledgeBase))?;
        let article = record.before_votes().ok_or_else(|| {
            Error::validation("vote", "an article's counts are lower than its votes")
        })?;
        k.put_article(&article).await?;
        for vote in &record.votes {
            k.vote_article(vote).await?;
        }
        Ok(())
    }

    /// Writes a record of version 3 (people's or automation), checked by the restore before.
    pub(super) async fn restore_extra(&self, record: Record) -> Result<()> {
        let store = &self.desk.store;
        let automation =
            || (store.as_automation_store()).ok_or(Error::unsupported(Ability::Automation));
        match record {
            Record::Login(login) => {
                (store.as_account_store())
                    .ok_or(Error::unsupported(Ability::Accounts))?
                    .put_login(&login)
                    .await
            }
            Record::PersonSettings(p) => {
                (store.as_person_settings_store())
                    .ok_or(Error::unsupported(Ability::PersonSettings))?
                    .set_person_settings(p.person, &p.settings)
                    .await
            }
            Record::NotificationPreferences(p) => {
                (store.as_notification_preference_store())
                    .ok_or(Error::unsupported(Ability::NotificationPreferences))?
                    .set_notification_preferences(&p)
                    .await
            }
            Record::Rule(rule) => automation()?.put_rule(&rule).await,
            Record::RuleRun { rule, at } => {
                let a = automation()?;
                let every = (a.rules().await?.into_iter())
                    .find(|r| r.id == rule)
                    .and_then(|r| r.schedule)
                    .map(|s| s.every())
                    .unwrap_or_default();
                a.claim_rule_run(rule, at, at + every).await.map(drop)
            }
            Record::Macro(m) => automation()?.put_macro(&m).await,
            Record::Webhook(w) => {
                let mut shown = serde_json::to_value(&w).map_err(Error::backend)?;
                if let Some(fields) = shown.as_object_mut() {
                    fields.remove("secret");
                }
                let change =
                    self.restored(ChangedSetting::Webhook, w.id.to_string(), shown.to_string());
                (store.as_webhook_store())
                    .ok_or(Error::unsupported(Ability::Webhooks))?
                    .put_webhook(&w, &change)
                    .await
            }
            Record::WebhookDelivery(d) => {
                (store.as_webhook_store())
                    .ok_or(Error::unsupported(Ability::Webhooks))?
                    .enqueue_webhook_delivery(&d)
                    .await
            }
            Record::Mailbox(MailboxRecord { mailbox, password }) => {
                let m = (store.as_mailbox_store()).ok_or(Error::unsupported(Ability::Mailboxes))?;
                let shown = serde_json::to_string(&mailbox.settings).map_err(Error::backend)?;
                let change = self.restored(ChangedSetting::Mailbox, mailbox.id.to_string(), shown);
                m.put_mailbox(mailbox.id, &mailbox.settings, &password, &change)
                    .await?;
                if let Some(round) = &mailbox.last_round {
                    m.record_mailbox_round(mailbox.id, round).await?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}
