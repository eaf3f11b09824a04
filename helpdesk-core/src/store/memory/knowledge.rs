//! [`KnowledgeStore`] for the in-memory reference store: articles, searched and scored as
//! the search module defines.

use async_trait::async_trait;

use super::MemoryStore;
use crate::domain::{Article, ArticleId};
use crate::error::{Entity, Error, Result};
use crate::search::{ArticleSearch, ArticleSuggest};
use crate::store::KnowledgeStore;

#[async_trait]
impl KnowledgeStore for MemoryStore {
    async fn put_article(&self, article: &Article) -> Result<()> {
        self.lock().articles.insert(article.id, article.clone());
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

    async fn vote_article(&self, id: ArticleId, helpful: bool) -> Result<Article> {
        let mut inner = self.lock();
        let article = inner
            .articles
            .get_mut(&id)
            .ok_or_else(|| Error::not_found(Entity::Article, id))?;
        if helpful {
            article.helpful += 1;
        } else {
            article.not_helpful += 1;
        }
        Ok(article.clone())
    }
}
