//! Knowledge-base articles: the self-service answers of seeds 000, 001 and 002.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::stable_text::stable_text;
use super::{ArticleId, ArticleTitle, Category, Language, MessageBody, Visibility};

/// Whether an article is shown yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    /// Being written; agents only.
    Draft,
    /// Shown (to customers too, when public).
    Published,
}

stable_text!(ArticleStatus, "article_status" {
    Draft => "draft",
    Published => "published",
});

/// A knowledge-base article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Its id.
    pub id: ArticleId,
    /// Its title.
    pub title: ArticleTitle,
    /// Its text.
    pub body: MessageBody,
    /// The thematic section it is filed in (seed 000).
    pub category: Category,
    /// The language it is written in.
    pub language: Language,
    /// Draft or published.
    pub status: ArticleStatus,
    /// Public, or internal (agents only).
    pub visibility: Visibility,
    /// "This helped" votes.
    pub helpful: u32,
    /// "This did not help" votes.
    pub not_helpful: u32,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Article {
    /// Whether customers may read it.
    pub fn is_public(&self) -> bool {
        self.status == ArticleStatus::Published && self.visibility == Visibility::Public
    }
}
