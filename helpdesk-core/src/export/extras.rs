//! The payloads of the records format version 3 added: what people chose (their settings),
//! an article with the votes behind its counts, and a mailbox with its password.

use serde::{Deserialize, Serialize};

use crate::domain::{Actor, Article, ArticleVote, PersonSettings};
use crate::store::Mailbox;

/// A person's own settings (time zone, page language), for a person who chose some
/// (version 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSettingsRecord {
    /// The agent or customer.
    pub person: Actor,
    /// What they chose.
    pub settings: PersonSettings,
}

/// A knowledge-base article with its vote counts and, from version 3, the people's votes
/// behind them. The counts may be higher than the votes (tallies from before votes were
/// per person), never lower.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRecord {
    /// The article, its fields at the record's top level.
    #[serde(flatten)]
    pub article: Article,
    /// Who voted how, by voter (version 3; absent when nobody did).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub votes: Vec<ArticleVote>,
}

impl From<Article> for ArticleRecord {
    fn from(article: Article) -> Self {
        Self {
            article,
            votes: Vec::new(),
        }
    }
}

impl ArticleRecord {
    /// The article as it is stored before its votes are cast again: its counts less the
    /// votes, so that casting them gives back the counts; `None` when a count is lower than
    /// its votes.
    pub fn before_votes(&self) -> Option<Article> {
        let helpful = self.votes.iter().filter(|v| v.helpful).count();
        let not_helpful = self.votes.len() - helpful;
        let mut article = self.article.clone();
        article.helpful = article.helpful.checked_sub(u32::try_from(helpful).ok()?)?;
        article.not_helpful = article
            .not_helpful
            .checked_sub(u32::try_from(not_helpful).ok()?)?;
        Some(article)
    }
}

/// An IMAP mailbox with its settings, last round and password (version 3). The password is
/// carried: an export is an admin's whole backup, kept as safely as the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxRecord {
    /// The mailbox.
    pub mailbox: Mailbox,
    /// Its password, exactly as stored.
    pub password: String,
}
