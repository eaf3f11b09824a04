//! [`KnowledgeStore`] for the in-memory reference store: articles, searched and scored as
//! the search module defines, and each person's vote on them.

use async_trait::async_trait;

use super::{Inner, MemoryStore};
use crate::domain::{Article, ArticleId, ArticleVote, Category, Voter};
use crate::error::{Entity, Error, Result};
use crate::search::{ArticleSearch, ArticleSuggest};
use crate::store::KnowledgeStore;

#[async_trait]
impl KnowledgeStore for MemoryStore {
    async fn put_article(&self, article: &Article) -> Result<()> {
        let mut inner = self.lock();
        let mut article = article.clone();
        if let Some(stored) = inner.articles.get(&article.id) {
            (article.helpful, article.not_helpful) = (stored.helpful, stored.not_helpful);
        }
        inner.articles.insert(article.id, article);
        Ok(())
    }

    async fn article(&self, id: ArticleId) -> Result<Option<Article>> {
        Ok(self.lock().articles.get(&id).cloned())
    }

    async fn search_articles(&self, search: &ArticleSearch, limit: u32) -> Result<Vec<Article>> {
        let mut found: Vec<Article> = self
            .lock()
            .articles
            .values()
            .filter(|a| search.matches(a))
            .cloned()
            .collect();
        found.sort_by_key(|a| std::cmp::Reverse((a.updated_at, a.id)));
        found.truncate(limit as usize);
        Ok(found)
    }

    async fn suggest_articles(&self, suggest: &ArticleSuggest, limit: u32) -> Result<Vec<Article>> {
        let mut scored: Vec<(u32, Article)> = self
            .lock()
            .articles
            .values()
            .map(|a| (suggest.score(a), a.clone()))
            .filter(|(score, _)| *score > 0)
            .collect();
        scored.sort_by(|(sa, a), (sb, b)| {
            sb.cmp(sa)
                .then(b.helpful.cmp(&a.helpful))
                .then(a.id.cmp(&b.id))
        });
        Ok(scored
            .into_iter()
            .take(limit as usize)
            .map(|(_, a)| a)
            .collect())
    }

    async fn vote_article(&self, vote: &ArticleVote) -> Result<Article> {
        let mut inner = self.lock();
        let previous = (inner.article_votes)
            .get(&(vote.article, vote.voter))
            .map(|v| v.helpful);
        let article = (inner.articles.get_mut(&vote.article))
            .ok_or_else(|| Error::not_found(Entity::Article, vote.article))?;
        if !article.count_vote(previous, vote.helpful) {
            return Ok(article.clone());
        }
        let article = article.clone();
        inner
            .article_votes
            .insert((vote.article, vote.voter), *vote);
        Ok(article)
    }

    async fn article_votes(
        &self,
        voter: Voter,
        articles: &[ArticleId],
    ) -> Result<Vec<ArticleVote>> {
        let inner = self.lock();
        let mut ids = articles.to_vec();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids
            .into_iter()
            .filter_map(|id| inner.article_votes.get(&(id, voter)).copied())
            .collect())
    }

    async fn list_articles(&self, category: Option<&Category>, limit: u32) -> Result<Vec<Article>> {
        let mut found: Vec<Article> = self
            .lock()
            .articles
            .values()
            .filter(|a| category.is_none_or(|c| a.category == *c))
            .cloned()
            .collect();
        found.sort_by_key(|a| std::cmp::Reverse((a.updated_at, a.id)));
        found.truncate(limit as usize);
        Ok(found)
    }

    async fn delete_article(&self, id: ArticleId) -> Result<bool> {
        let mut inner = self.lock();
        inner.article_votes.retain(|(article, _), _| *article != id);
        Ok(inner.articles.remove(&id).is_some())
    }

    async fn article_categories(&self) -> Result<Vec<Category>> {
        Ok(self.lock().article_categories.iter().cloned().collect())
    }

    async fn add_article_category(&self, category: &Category) -> Result<()> {
        self.lock().add_article_category(category)
    }

    async fn rename_article_category(&self, from: &Category, to: &Category) -> Result<u64> {
        self.lock().rename_article_category(from, to)
    }

    async fn delete_article_category(&self, category: &Category) -> Result<()> {
        self.lock().delete_article_category(category)
    }
}

/// The category writes, on the maps (also within [`write_audited`](crate::store::SettingsStore::write_audited)).
impl Inner {
    pub(super) fn add_article_category(&mut self, category: &Category) -> Result<()> {
        if self.article_categories.insert(category.clone()) {
            Ok(())
        } else {
            Err(Error::duplicate(Entity::Category, "name"))
        }
    }

    pub(super) fn rename_article_category(
        &mut self,
        from: &Category,
        to: &Category,
    ) -> Result<u64> {
        if !self.article_categories.contains(from) {
            return Err(Error::not_found(Entity::Category, from));
        }
        if from == to {
            return Ok(0);
        }
        if self.article_categories.contains(to) {
            return Err(Error::duplicate(Entity::Category, "name"));
        }
        self.article_categories.remove(from);
        self.article_categories.insert(to.clone());
        let mut moved = 0;
        for article in self.articles.values_mut() {
            if article.category == *from {
                article.category = to.clone();
                moved += 1;
            }
        }
        Ok(moved)
    }

    pub(super) fn delete_article_category(&mut self, category: &Category) -> Result<()> {
        if !self.article_categories.contains(category) {
            return Err(Error::not_found(Entity::Category, category));
        }
        let used = self
            .articles
            .values()
            .filter(|a| a.category == *category)
            .count() as u64;
        if used > 0 {
            return Err(Error::in_use(Entity::Category, Entity::Article, used));
        }
        self.article_categories.remove(category);
        Ok(())
    }
}
