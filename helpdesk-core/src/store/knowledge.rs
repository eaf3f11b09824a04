//! The knowledge base: articles, their search, suggestions and votes.

use async_trait::async_trait;

use crate::domain::{Article, ArticleId};
use crate::error::Result;
use crate::search::{ArticleSearch, ArticleSuggest};

/// An ability a store may offer ([`Store::as_knowledge_store`](super::Store::as_knowledge_store)):
/// knowledge-base articles. Checked by the conformance suite's knowledge-base checks.
#[async_trait]
pub trait KnowledgeStore: Send + Sync {
    /// Inserts or replaces an article (its vote counts included).
    async fn put_article(&self, article: &Article) -> Result<()>;
    /// An article by id.
    async fn article(&self, id: ArticleId) -> Result<Option<Article>>;
    /// Articles `search` matches (see [`ArticleSearch::matches`]), most recently updated
    /// first, then by id descending, at most `limit`.
    async fn search_articles(&self, search: &ArticleSearch, limit: u32) -> Result<Vec<Article>>;
    /// Articles scoring above 0 for `suggest` (see [`ArticleSuggest::score`]): by score
    /// descending, then `helpful` descending, then id ascending, at most `limit`.
    async fn suggest_articles(&self, suggest: &ArticleSuggest, limit: u32) -> Result<Vec<Article>>;
    /// Counts a "this helped" (`true`) or "this did not help" vote, atomically; the article
    /// after it. [`Error::NotFound`](crate::Error::NotFound) for an unknown article.
    async fn vote_article(&self, id: ArticleId, helpful: bool) -> Result<Article>;
}
