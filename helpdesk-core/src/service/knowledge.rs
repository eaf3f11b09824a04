//! The knowledge base: articles agents write, customers search, and suggestions shown while a
//! ticket is being written (the self-service step of seeds 000, 001 and 002).

use super::Acting;
use super::acting::Principal;
use crate::domain::{
    Article, ArticleId, ArticleStatus, ArticleTitle, Category, Language, MessageBody, Visibility,
    Voter,
};
use crate::error::{Entity, Error, ForbiddenReason, Result};
use crate::search::{ArticleScope, ArticleSearch, ArticleSuggest, SearchQuery};
use crate::store::{ChangedSetting, SettingWrite};

/// The text of an article, for writing or rewriting one.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleDraft {
    /// Its title.
    pub title: ArticleTitle,
    /// Its text.
    pub body: MessageBody,
    /// Its section.
    pub category: Category,
    /// Its language.
    pub language: Language,
    /// Draft or published.
    pub status: ArticleStatus,
    /// Public or internal.
    pub visibility: Visibility,
}

impl Acting {
    /// Writes a new article (agents and the system), in a stored category.
    ///
    /// # Errors
    ///
    /// A validation error on `category` when it is not stored (an admin adds it first).
    pub async fn create_article(&self, draft: ArticleDraft) -> Result<Article> {
        self.require_staff()?;
        self.require_category(&draft.category).await?;
        let now = self.desk.now();
        let article = Article {
            id: ArticleId::new(),
            title: draft.title,
            body: draft.body,
            category: draft.category,
            language: draft.language,
            status: draft.status,
            visibility: draft.visibility,
            helpful: 0,
            not_helpful: 0,
            created_at: now,
            updated_at: now,
        };
        self.desk.knowledge_store()?.put_article(&article).await?;
        Ok(article)
    }

    /// Rewrites an article, keeping its votes, those cast while it is rewritten too (agents
    /// and the system), in a stored category. The article as stored after it.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an unknown article; a validation error on `category` when it
    /// is not stored.
    pub async fn update_article(&self, id: ArticleId, draft: ArticleDraft) -> Result<Article> {
        self.require_staff()?;
        let mut article = self.require_article(id).await?;
        self.require_category(&draft.category).await?;
        article.title = draft.title;
        article.body = draft.body;
        article.category = draft.category;
        article.language = draft.language;
        article.status = draft.status;
        article.visibility = draft.visibility;
        article.updated_at = self.desk.now();
        self.desk.knowledge_store()?.put_article(&article).await?;
        self.require_article(id).await
    }

    /// Every article, drafts and internal ones too, or those in `category`, most recently
    /// updated first, at most `limit` (1–500) (agents and the system).
    pub async fn list_articles(
        &self,
        category: Option<&Category>,
        limit: u32,
    ) -> Result<Vec<Article>> {
        self.require_staff()?;
        self.desk
            .knowledge_store()?
            .list_articles(category, limit.clamp(1, 500))
            .await
    }

    /// Deletes an article with its votes (agents and the system).
    pub async fn delete_article(&self, id: ArticleId) -> Result<()> {
        self.require_staff()?;
        if self.desk.knowledge_store()?.delete_article(id).await? {
            Ok(())
        } else {
            Err(Error::not_found(Entity::Article, id))
        }
    }

    /// The knowledge base's categories, by name (anyone who may use the desk).
    pub async fn article_categories(&self) -> Result<Vec<Category>> {
        self.desk.knowledge_store()?.article_categories().await
    }

    /// Adds a category articles may be filed in (admins).
    ///
    /// # Errors
    ///
    /// A duplicate conflict (field `name`) when it is stored already.
    pub async fn create_article_category(&self, category: Category) -> Result<Category> {
        self.require_admin()?;
        self.desk.knowledge_store()?;
        let name = category.as_str().to_owned();
        self.write_audited(
            SettingWrite::AddArticleCategory(category.clone()),
            ChangedSetting::ArticleCategory,
            Some(name.clone()),
            None,
            Some(name),
        )
        .await?;
        Ok(category)
    }

    /// Renames a category, and moves its articles with it (admins); how many moved.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when `from` is not stored; a duplicate conflict when `to` is.
    pub async fn rename_article_category(&self, from: &Category, to: Category) -> Result<u64> {
        self.require_admin()?;
        let store = self.desk.knowledge_store()?;
        if *from == to {
            // Nothing changes (the store still says whether `from` is stored).
            return store.rename_article_category(from, &to).await;
        }
        let after = to.as_str().to_owned();
        self.write_audited(
            SettingWrite::RenameArticleCategory {
                from: from.clone(),
                to,
            },
            ChangedSetting::ArticleCategory,
            Some(from.as_str().to_owned()),
            Some(from.as_str().to_owned()),
            Some(after),
        )
        .await
    }

    /// Deletes a category no article is filed in (admins).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when it is not stored; [`Error::Conflict`] with
    /// [`ConflictKind::InUse`](crate::error::ConflictKind::InUse) when articles are filed in
    /// it (they are moved or deleted first).
    pub async fn delete_article_category(&self, category: &Category) -> Result<()> {
        self.require_admin()?;
        self.desk.knowledge_store()?;
        let name = category.as_str().to_owned();
        self.write_audited(
            SettingWrite::DeleteArticleCategory(category.clone()),
            ChangedSetting::ArticleCategory,
            Some(name.clone()),
            Some(name),
            None,
        )
        .await
        .map(drop)
    }

    /// A validation error on `category` unless it is stored.
    async fn require_category(&self, category: &Category) -> Result<()> {
        let stored = self.desk.knowledge_store()?.article_categories().await?;
        if stored.contains(category) {
            Ok(())
        } else {
            Err(Error::validation(
                "category",
                format!(
                    "no category \"{category}\" is stored; an admin adds it first (stored: {})",
                    stored
                        .iter()
                        .map(Category::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ))
        }
    }

    /// An article the actor may read: customers see published public ones only.
    pub async fn article(&self, id: ArticleId) -> Result<Article> {
        let article = self.require_article(id).await?;
        if scope(&self.principal, None).contains(&article) {
            Ok(article)
        } else {
            Err(Error::not_found(Entity::Article, id))
        }
    }

    /// The knowledge base's index: the articles the actor may read (customers: published
    /// public ones), by category then title, from the `limit` (1–500) most recently updated.
    pub async fn article_index(&self, limit: u32) -> Result<Vec<Article>> {
        let scope = scope(&self.principal, None);
        let mut readable: Vec<Article> = self
            .desk
            .knowledge_store()?
            .list_articles(None, limit.clamp(1, 500))
            .await?
            .into_iter()
            .filter(|a| scope.contains(a))
            .collect();
        readable.sort_by(|a, b| {
            (a.category.as_str(), a.title.as_str(), a.id).cmp(&(
                b.category.as_str(),
                b.title.as_str(),
                b.id,
            ))
        });
        Ok(readable)
    }

    /// Articles matching `query` (the search language), in `language` if given.
    pub async fn search_articles(
        &self,
        query: &str,
        language: Option<Language>,
        limit: u32,
    ) -> Result<Vec<Article>> {
        let query = SearchQuery::parse(query)?;
        let principal = &self.principal;
        let search = ArticleSearch {
            query,
            scope: scope(principal, language),
        };
        self.desk
            .knowledge_store()?
            .search_articles(&search, limit.clamp(1, 100))
            .await
    }

    /// The best articles for a text being written (a new ticket's subject and description),
    /// before the ticket is opened.
    pub async fn suggest_articles(
        &self,
        text: &str,
        language: Option<Language>,
        limit: u32,
    ) -> Result<Vec<Article>> {
        let principal = &self.principal;
        let suggest = ArticleSuggest::new(text, scope(principal, language));
        if suggest.words.is_empty() {
            return Ok(Vec::new());
        }
        self.desk
            .knowledge_store()?
            .suggest_articles(&suggest, limit.clamp(1, 20))
            .await
    }

    /// "Did this help?": the reader's answer, one per person per article. A first answer
    /// counts one; a changed answer moves theirs from one count to the other; the same answer
    /// again changes nothing (see [`Article::count_vote`]). The article after it.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for an article the reader may not read;
    /// [`Error::Forbidden`] ([`ForbiddenReason::PeopleOnly`]) for the system, which is no
    /// person and has no vote.
    pub async fn vote_article(&self, id: ArticleId, helpful: bool) -> Result<Article> {
        let voter = self.voter()?;
        self.article(id).await?;
        let vote = crate::domain::ArticleVote {
            article: id,
            voter,
            helpful,
            at: self.desk.now(),
        };
        self.desk.knowledge_store()?.vote_article(&vote).await
    }

    /// The reader's own answers to "did this help?" on `articles`: `(article, helpful)` for
    /// those they answered, by article id (to show each person their vote beside the
    /// article). Only their own answers are read, never an article.
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] ([`ForbiddenReason::PeopleOnly`]) for the system.
    pub async fn article_votes(&self, articles: &[ArticleId]) -> Result<Vec<(ArticleId, bool)>> {
        let voter = self.voter()?;
        if articles.is_empty() {
            return Ok(Vec::new());
        }
        let votes = self
            .desk
            .knowledge_store()?
            .article_votes(voter, articles)
            .await?;
        Ok(votes.into_iter().map(|v| (v.article, v.helpful)).collect())
    }

    /// The person acting, who may vote.
    fn voter(&self) -> Result<Voter> {
        Voter::of(self.principal.actor()).ok_or(Error::forbidden(ForbiddenReason::PeopleOnly))
    }

    async fn require_article(&self, id: ArticleId) -> Result<Article> {
        self.desk
            .knowledge_store()?
            .article(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Article, id))
    }
}

/// What a principal may read: customers published public articles, staff everything.
fn scope(principal: &Principal, language: Option<Language>) -> ArticleScope {
    let staff = !matches!(principal, Principal::Customer(_));
    ArticleScope {
        language,
        include_drafts: staff,
        include_internal: staff,
    }
}
