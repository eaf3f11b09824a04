//! The knowledge base in the reader's language (issue 21): the index, a search and the
//! suggestions while writing give the articles in the reader's language first and then, as
//! a fall-back, those in other languages (which pages mark with their language). Articles
//! are not translations of one another: nothing is hidden, only ordered.

use super::Acting;
use crate::domain::{Article, Language};
use crate::error::Result;

/// `articles` with those in `reader` first, each group in the order it had.
pub fn reader_first(articles: Vec<Article>, reader: Language) -> Vec<Article> {
    let (mut mine, others): (Vec<Article>, Vec<Article>) =
        articles.into_iter().partition(|a| a.language == reader);
    mine.extend(others);
    mine
}

/// `preferred` followed by those of `rest` not among them, `limit` at most.
fn followed_by(mut preferred: Vec<Article>, rest: Vec<Article>, limit: u32) -> Vec<Article> {
    for article in rest {
        if !preferred.iter().any(|a| a.id == article.id) {
            preferred.push(article);
        }
    }
    preferred.truncate(limit as usize);
    preferred
}

impl Acting {
    /// The knowledge base's index for a reader of `reader`: as
    /// [`article_index`](Acting::article_index), by category, and within a category the
    /// articles in `reader` first, then the others, each by title.
    pub async fn article_index_in(&self, limit: u32, reader: Language) -> Result<Vec<Article>> {
        let mut index = self.article_index(limit).await?;
        index.sort_by(|a, b| {
            (
                a.category.as_str(),
                a.language != reader,
                a.title.as_str(),
                a.id,
            )
                .cmp(&(
                    b.category.as_str(),
                    b.language != reader,
                    b.title.as_str(),
                    b.id,
                ))
        });
        Ok(index)
    }

    /// Articles matching `query` for a reader of `reader`: those in `reader` first (best
    /// first), then those in other languages (best first), `limit` (1–100) in all. Errors
    /// as [`search_articles`](Acting::search_articles).
    pub async fn search_articles_in(
        &self,
        query: &str,
        reader: Language,
        limit: u32,
    ) -> Result<Vec<Article>> {
        let limit = limit.clamp(1, 100);
        let mine = self.search_articles(query, Some(reader), limit).await?;
        if mine.len() as u32 >= limit {
            return Ok(mine);
        }
        let all = self.search_articles(query, None, limit).await?;
        Ok(followed_by(mine, all, limit))
    }

    /// The best articles for a text being written by a reader of `reader`: those in
    /// `reader` first, then others, `limit` (1–20) in all. Errors as
    /// [`suggest_articles`](Acting::suggest_articles).
    pub async fn suggest_articles_in(
        &self,
        text: &str,
        reader: Language,
        limit: u32,
    ) -> Result<Vec<Article>> {
        let limit = limit.clamp(1, 20);
        let mine = self.suggest_articles(text, Some(reader), limit).await?;
        if mine.len() as u32 >= limit {
            return Ok(mine);
        }
        let all = self.suggest_articles(text, None, limit).await?;
        Ok(followed_by(mine, all, limit))
    }
}
