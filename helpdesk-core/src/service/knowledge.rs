//! The knowledge base: articles agents write, customers search, and suggestions shown while a
//! ticket is being written (the self-service step of seeds 000, 001 and 002).

use super::Helpdesk;
use super::access::Principal;
use crate::domain::{
    Actor, Article, ArticleId, ArticleStatus, ArticleTitle, Category, Language, MessageBody,
    Visibility,
};
use crate::error::{Entity, Error, ForbiddenReason, Result};
use crate::search::{ArticleScope, ArticleSearch, ArticleSuggest, SearchQuery};

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

impl Helpdesk {
    /// Writes a new article (agents and the system).
    pub async fn create_article(&self, actor: Actor, draft: ArticleDraft) -> Result<Article> {
        self.require_staff(actor).await?;
        let now = self.now();
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
        self.store.put_article(&article).await?;
        Ok(article)
    }

    /// Rewrites an article, keeping its votes (agents and the system).
    pub async fn update_article(
        &self,
        actor: Actor,
        id: ArticleId,
        draft: ArticleDraft,
    ) -> Result<Article> {
        self.require_staff(actor).await?;
        let mut article = self.require_article(id).await?;
        article.title = draft.title;
        article.body = draft.body;
        article.category = draft.category;
        article.language = draft.language;
        article.status = draft.status;
        article.visibility = draft.visibility;
        article.updated_at = self.now();
        self.store.put_article(&article).await?;
        Ok(article)
    }

    /// An article the actor may read: customers see published public ones only.
    pub async fn article(&self, actor: Actor, id: ArticleId) -> Result<Article> {
        let principal = self.principal(actor).await?;
        let article = self.require_article(id).await?;
        if scope(&principal, None).contains(&article) {
            Ok(article)
        } else {
            Err(Error::not_found(Entity::Article, id))
        }
    }

    /// Articles matching `query` (the search language), in `language` if given.
    pub async fn search_articles(
        &self,
        actor: Actor,
        query: &str,
        language: Option<Language>,
        limit: u32,
    ) -> Result<Vec<Article>> {
        let query = SearchQuery::parse(query)?;
        let principal = self.principal(actor).await?;
        let search = ArticleSearch {
            query,
            scope: scope(&principal, language),
        };
        self.store
            .search_articles(&search, limit.clamp(1, 100))
            .await
    }

    /// The best articles for a text being written (a new ticket's subject and description),
    /// before the ticket is opened.
    pub async fn suggest_articles(
        &self,
        actor: Actor,
        text: &str,
        language: Option<Language>,
        limit: u32,
    ) -> Result<Vec<Article>> {
        let principal = self.principal(actor).await?;
        let suggest = ArticleSuggest::new(text, scope(&principal, language));
        if suggest.words.is_empty() {
            return Ok(Vec::new());
        }
        self.store
            .suggest_articles(&suggest, limit.clamp(1, 20))
            .await
    }

    /// "Did this help?": counts the reader's answer.
    pub async fn vote_article(
        &self,
        actor: Actor,
        id: ArticleId,
        helpful: bool,
    ) -> Result<Article> {
        self.article(actor, id).await?;
        self.store.vote_article(id, helpful).await
    }

    async fn require_article(&self, id: ArticleId) -> Result<Article> {
        self.store
            .article(id)
            .await?
            .ok_or_else(|| Error::not_found(Entity::Article, id))
    }

    pub(crate) async fn require_staff(&self, actor: Actor) -> Result<Principal> {
        match self.principal(actor).await? {
            Principal::Customer(_) => Err(Error::forbidden(ForbiddenReason::AgentsOnly)),
            staff => Ok(staff),
        }
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
