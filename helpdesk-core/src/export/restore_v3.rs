//! The rules for the records format version 3 added ([`Restore::extra`]): each comes in a
//! version 3 stream only, before the tickets, once per id (a login once per person and per
//! name), and names only people, departments and rules of the export that came before it.

use std::collections::{HashMap, HashSet};

use super::extras::ArticleRecord;
use super::record::Record;
use super::restore::{Restore, refuse};
use crate::domain::{
    Actor, AgentId, ArticleId, LoginName, MacroId, MailboxId, RuleId, Voter, WebhookDeliveryId,
    WebhookId,
};
use crate::error::Result;

/// The first version that carries people's, automation and vote records.
const PEOPLE: u32 = 3;

/// What the records of version 3 named so far.
#[derive(Debug, Default)]
pub(super) struct Seen {
    logins: HashSet<Actor>,
    login_names: HashSet<LoginName>,
    person_settings: HashSet<Actor>,
    preferences: HashSet<AgentId>,
    /// Each rule, and whether its run came.
    rules: HashMap<RuleId, bool>,
    macros: HashSet<MacroId>,
    webhooks: HashSet<WebhookId>,
    deliveries: HashSet<WebhookDeliveryId>,
    mailboxes: HashSet<MailboxId>,
    articles: HashSet<ArticleId>,
}

impl Restore {
    /// Whether `person` is an agent or a customer the export held before.
    fn knows(&self, person: Actor) -> bool {
        match person {
            Actor::Agent(a) => self.agents.contains(&a),
            Actor::Customer(c) => self.customers.contains_key(&c),
            Actor::System => false,
        }
    }

    /// Refuses a record of version 3 in an older stream.
    fn of_version_3(&self, what: &str) -> Result<()> {
        if self.version >= PEOPLE {
            Ok(())
        } else {
            Err(refuse(
                "version",
                format!("{what} in a version {} stream", self.version),
            ))
        }
    }

    /// Checks an article and the votes behind its counts.
    pub(super) fn article(&mut self, record: &ArticleRecord) -> Result<()> {
        let id = record.article.id;
        if self.seen.articles.contains(&id) {
            return Err(refuse("article", format!("article {id} twice")));
        }
        if !record.votes.is_empty() {
            self.article_votes(record)?;
        }
        self.seen.articles.insert(id);
        Ok(())
    }

    /// Checks the votes behind an article's counts.
    fn article_votes(&mut self, record: &ArticleRecord) -> Result<()> {
        let id = record.article.id;
        self.of_version_3("article votes")?;
        let mut voters = HashSet::new();
        for vote in &record.votes {
            if vote.article != id {
                return Err(refuse(
                    "vote",
                    format!("article {id}: a vote on another article"),
                ));
            }
            let person = match vote.voter {
                Voter::Agent(a) => Actor::Agent(a),
                Voter::Customer(c) => Actor::Customer(c),
            };
            if !self.knows(person) {
                return Err(refuse(
                    "voter",
                    format!("article {id}: a voter is not in the export"),
                ));
            }
            if !voters.insert(vote.voter) {
                return Err(refuse("vote", format!("article {id}: one voter twice")));
            }
        }
        if record.before_votes().is_none() {
            return Err(refuse(
                "vote",
                format!("article {id}: its counts are lower than its votes"),
            ));
        }
        self.counts.votes += record.votes.len() as u64;
        Ok(())
    }

    /// Checks a record of version 3 that is not an article.
    pub(super) fn extra(&mut self, record: &Record) -> Result<()> {
        match record {
            Record::Login(login) => {
                self.of_version_3("a login")?;
                if !self.knows(login.actor) {
                    return Err(refuse(
                        "actor",
                        format!("login {}: its person is not in the export", login.name),
                    ));
                }
                if self.seen.logins.contains(&login.actor) {
                    return Err(refuse("login", "a person with two logins"));
                }
                if !self.seen.login_names.insert(login.name.clone()) {
                    return Err(refuse("login", format!("login {} twice", login.name)));
                }
                self.seen.logins.insert(login.actor);
                self.counts.people += 1;
            }
            Record::PersonSettings(p) => {
                self.of_version_3("person settings")?;
                if !self.knows(p.person) {
                    return Err(refuse(
                        "person",
                        "person settings of someone not in the export",
                    ));
                }
                if !self.seen.person_settings.insert(p.person) {
                    return Err(refuse("person", "one person's settings twice"));
                }
                self.counts.people += 1;
            }
            Record::NotificationPreferences(p) => {
                self.of_version_3("notification preferences")?;
                if !self.agents.contains(&p.agent) {
                    return Err(refuse(
                        "agent",
                        format!(
                            "notification preferences of agent {}, not in the export",
                            p.agent
                        ),
                    ));
                }
                if !self.seen.preferences.insert(p.agent) {
                    return Err(refuse("agent", "one agent's preferences twice"));
                }
                self.counts.people += 1;
            }
            Record::Rule(rule) => {
                self.of_version_3("a rule")?;
                if self.seen.rules.insert(rule.id, false).is_some() {
                    return Err(refuse("rule", format!("rule {} twice", rule.id)));
                }
                self.counts.automation += 1;
            }
            Record::RuleRun { rule, .. } => {
                self.of_version_3("a rule run")?;
                match self.seen.rules.get_mut(rule) {
                    None => {
                        return Err(refuse(
                            "rule",
                            format!("a run of rule {rule}, which does not come before"),
                        ));
                    }
                    Some(true) => {
                        return Err(refuse("rule", format!("two runs of rule {rule}")));
                    }
                    Some(ran) => *ran = true,
                }
                self.counts.automation += 1;
            }
            Record::Macro(m) => {
                self.of_version_3("a macro")?;
                if !self.seen.macros.insert(m.id) {
                    return Err(refuse("macro", format!("macro {} twice", m.id)));
                }
                self.counts.automation += 1;
            }
            Record::Webhook(w) => {
                self.of_version_3("a webhook")?;
                if !self.seen.webhooks.insert(w.id) {
                    return Err(refuse("webhook", format!("webhook {} twice", w.id)));
                }
                self.counts.automation += 1;
            }
            Record::WebhookDelivery(d) => {
                self.of_version_3("a webhook delivery")?;
                if !self.seen.webhooks.contains(&d.endpoint) {
                    return Err(refuse(
                        "webhook",
                        format!("delivery {}: its endpoint does not come before", d.id),
                    ));
                }
                if !self.seen.deliveries.insert(d.id) {
                    return Err(refuse("delivery", format!("delivery {} twice", d.id)));
                }
                self.counts.automation += 1;
            }
            Record::Mailbox(m) => {
                self.of_version_3("a mailbox")?;
                let id = m.mailbox.id;
                if !self.departments.contains(&m.mailbox.settings.department) {
                    return Err(refuse(
                        "department",
                        format!("mailbox {id}: its department is not in the export"),
                    ));
                }
                if !self.seen.mailboxes.insert(id) {
                    return Err(refuse("mailbox", format!("mailbox {id} twice")));
                }
                self.counts.automation += 1;
            }
            _ => return Err(refuse("record", "a record this build does not know")),
        }
        Ok(())
    }
}
