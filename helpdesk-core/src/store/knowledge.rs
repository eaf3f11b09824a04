//! The knowledge base: articles, their search, suggestions and votes.

use async_trait::async_trait;

use crate::domain::{Article, ArticleId, ArticleVote, Category, Voter};
use crate::error::Result;
use crate::search::{ArticleSearch, ArticleSuggest};

/// An ability a store may offer ([`Store::as_knowledge_store`](super::Store::as_knowledge_store)):
/// knowledge-base articles and the categories they are filed in. Checked by the conformance suite's knowledge-base checks.
#[async_trait]
pub trait KnowledgeStore: Send + Sync {
    /// Inserts an article (its vote counts included), or replaces one's text and fields,
    /// keeping the vote counts it has stored: counts change only by
    /// [`vote_article`](Self::vote_article), so a rewrite never loses a vote cast meanwhile.
    async fn put_article(&self, article: &Article) -> Result<()>;
    /// An article by id.
    async fn article(&self, id: ArticleId) -> Result<Option<Article>>;
    /// Articles `search` matches (see [`ArticleSearch::matches`]), most recently updated
    /// first, then by id descending, at most `limit`.
    async fn search_articles(&self, search: &ArticleSearch, limit: u32) -> Result<Vec<Article>>;
    /// Articles scoring above 0 for `suggest` (see [`ArticleSuggest::score`]): by score
    /// descending, then `helpful` descending, then id ascending, at most `limit`.
    async fn suggest_articles(&self, suggest: &ArticleSuggest, limit: u32) -> Result<Vec<Article>>;
    /// Records `vote` as its voter's one vote on the article, replacing the one they had, and
    /// counts it as [`Article::count_vote`] says given the vote it replaces (the same vote
    /// again writes nothing); atomically, so that concurrent votes of one person count once
    /// and those of many all count. The article after it.
    /// [`Error::NotFound`](crate::Error::NotFound) for an unknown article.
    async fn vote_article(&self, vote: &ArticleVote) -> Result<Article>;
    /// The votes `voter` has on `articles` (none for an article they did not vote on or that
    /// does not exist), by article id ascending.
    async fn article_votes(&self, voter: Voter, articles: &[ArticleId])
    -> Result<Vec<ArticleVote>>;
    /// Every article (drafts and internal ones too), or those filed in `category`, most
    /// recently updated first, then by id descending, at most `limit`.
    async fn list_articles(&self, category: Option<&Category>, limit: u32) -> Result<Vec<Article>>;
    /// Deletes an article with its votes and search rows; whether there was one.
    async fn delete_article(&self, id: ArticleId) -> Result<bool>;
    /// The stored categories, by name (bytewise).
    async fn article_categories(&self) -> Result<Vec<Category>>;
    /// Adds a category. [`Error::Conflict`](crate::Error::Conflict)
    /// ([`ConflictKind::Duplicate`](crate::error::ConflictKind::Duplicate), field `name`) when
    /// it is stored already.
    async fn add_article_category(&self, category: &Category) -> Result<()>;
    /// Renames the category `from` to `to`, and every article filed in it with it, in one
    /// transaction; the number of articles moved. [`Error::NotFound`](crate::Error::NotFound)
    /// when `from` is not stored; a duplicate conflict (field `name`) when `to` is, unless
    /// `to` is `from`.
    async fn rename_article_category(&self, from: &Category, to: &Category) -> Result<u64>;
    /// Deletes a category no article is filed in, checked in the same transaction.
    /// [`Error::NotFound`](crate::Error::NotFound) when it is not stored;
    /// [`Error::Conflict`](crate::Error::Conflict)
    /// ([`ConflictKind::InUse`](crate::error::ConflictKind::InUse) by articles, with their
    /// number) when articles are filed in it; nothing is deleted then.
    async fn delete_article_category(&self, category: &Category) -> Result<()>;
}
