//! Knowledge-base articles (migration 0004): [`KnowledgeStore`] for [`PostgresStore`].
//!
//! Articles are searched like tickets, over a table of their folded title and body
//! (`article_fields`, checked exactly by the term SQL of `search`); suggestions are scored
//! in one query over a table of each article's words (`article_words`); both tables are
//! rewritten with the article in one transaction. A vote locks its article's row, reads the
//! person's vote it replaces, and writes their vote and the counts the core's rule gives,
//! in one transaction (migration 0012).

use async_trait::async_trait;
use helpdesk_core::domain::{
    Article, ArticleId, ArticleStatus, ArticleVote, Category, Visibility, Voter,
};
use helpdesk_core::error::Entity;
use helpdesk_core::search::{ArticleScope, ArticleSearch, ArticleSuggest};
use helpdesk_core::store::KnowledgeStore;
use helpdesk_core::{Error, Result};
use sqlx::{PgConnection, Postgres, QueryBuilder};

use crate::connection::PostgresStore;
use crate::error;
use crate::rows::knowledge::{
    INSERT_ARTICLE_FIELDS, INSERT_ARTICLE_WORDS, PUT_ARTICLE, PUT_ARTICLE_VOTE, article,
    article_columns, article_vote, article_vote_columns, bind_article, bind_article_fields,
    bind_article_vote, bind_article_words,
};
use crate::rows::{Reader, all, optional};
use crate::search::push_query_terms;

#[async_trait]
impl KnowledgeStore for PostgresStore {
    async fn put_article(&self, a: &Article) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        bind_article(sqlx::query(PUT_ARTICLE), a)
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        for sql in [
            "DELETE FROM article_fields WHERE article_id = $1",
            "DELETE FROM article_words WHERE article_id = $1",
        ] {
            sqlx::query(sql)
                .bind(a.id.as_uuid())
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
        }
        for insert in [
            bind_article_fields(sqlx::query(INSERT_ARTICLE_FIELDS), a),
            bind_article_words(sqlx::query(INSERT_ARTICLE_WORDS), a),
        ] {
            insert.execute(&mut *tx).await.map_err(error::db)?;
        }
        tx.commit().await.map_err(error::db)
    }

    async fn article(&self, id: ArticleId) -> Result<Option<Article>> {
        let sql = concat!(
            "SELECT ",
            article_columns!(),
            " FROM articles WHERE id = $1"
        );
        optional(&self.pool, sqlx::query(sql).bind(id.as_uuid()), article).await
    }

    async fn search_articles(&self, search: &ArticleSearch, limit: u32) -> Result<Vec<Article>> {
        let mut q = QueryBuilder::new(concat!(
            "SELECT ",
            article_columns!(),
            " FROM articles a WHERE TRUE"
        ));
        push_scope(&mut q, &search.scope);
        push_query_terms(
            &mut q,
            &search.query,
            "SELECT 1 FROM article_fields f WHERE f.article_id = a.id",
        );
        q.push(" ORDER BY a.updated_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        all(&self.pool, q.build(), article).await
    }

    async fn suggest_articles(&self, suggest: &ArticleSuggest, limit: u32) -> Result<Vec<Article>> {
        // Each suggest word counts as often as it is given (as the reference sums them); a
        // word with a NUL is in no article (PostgreSQL text cannot hold one).
        let words: Vec<String> = (suggest.words.iter())
            .filter(|w| !w.contains('\0'))
            .cloned()
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::new(concat!(
            "SELECT ",
            article_columns!(),
            " FROM (SELECT w.article_id, \
             sum(CASE WHEN w.in_title THEN 2 ELSE 0 END + CASE WHEN w.in_body THEN 1 ELSE 0 END) \
             AS score FROM unnest("
        ));
        q.push_bind(words).push(
            "::text[]) AS s(word) JOIN article_words w ON w.word = s.word \
             GROUP BY w.article_id) sc JOIN articles a ON a.id = sc.article_id WHERE sc.score > 0",
        );
        push_scope(&mut q, &suggest.scope);
        q.push(" ORDER BY sc.score DESC, a.helpful DESC, a.id LIMIT ")
            .push_bind(i64::from(limit));
        all(&self.pool, q.build(), article).await
    }

    async fn vote_article(&self, vote: &ArticleVote) -> Result<Article> {
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        let lock = concat!(
            "SELECT ",
            article_columns!(),
            " FROM articles WHERE id = $1 FOR UPDATE"
        );
        let row = sqlx::query(lock)
            .bind(vote.article.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(error::db)?;
        let mut found = row
            .as_ref()
            .map(article)
            .transpose()?
            .ok_or_else(|| Error::not_found(Entity::Article, vote.article))?;
        // Read after the lock: a vote of the same person committed meanwhile is seen.
        let previous: Option<bool> = sqlx::query_scalar(
            "SELECT helpful FROM article_votes \
             WHERE voter_kind = $1 AND voter_id = $2 AND article_id = $3",
        )
        .bind(vote.voter.kind().as_str())
        .bind(vote.voter.id())
        .bind(vote.article.as_uuid())
        .fetch_optional(&mut *tx)
        .await
        .map_err(error::db)?;
        if found.count_vote(previous, vote.helpful) {
            sqlx::query("UPDATE articles SET helpful = $2, not_helpful = $3 WHERE id = $1")
                .bind(found.id.as_uuid())
                .bind(i64::from(found.helpful))
                .bind(i64::from(found.not_helpful))
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
            bind_article_vote(sqlx::query(PUT_ARTICLE_VOTE), vote)
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
        }
        tx.commit().await.map_err(error::db)?;
        Ok(found)
    }

    async fn article_votes(
        &self,
        voter: Voter,
        articles: &[ArticleId],
    ) -> Result<Vec<ArticleVote>> {
        let ids: Vec<uuid::Uuid> = articles.iter().map(|a| a.as_uuid()).collect();
        let sql = concat!(
            "SELECT ",
            article_vote_columns!(),
            " FROM article_votes WHERE voter_kind = $1 AND voter_id = $2 \
             AND article_id = ANY($3) ORDER BY article_id"
        );
        let query = sqlx::query(sql)
            .bind(voter.kind().as_str())
            .bind(voter.id())
            .bind(ids);
        all(&self.pool, query, article_vote).await
    }

    async fn list_articles(&self, category: Option<&Category>, limit: u32) -> Result<Vec<Article>> {
        let sql = concat!(
            "SELECT ",
            article_columns!(),
            " FROM articles WHERE $1::text IS NULL OR category = $1 \
             ORDER BY updated_at DESC, id DESC LIMIT $2"
        );
        let query = sqlx::query(sql)
            .bind(category.map(Category::as_str))
            .bind(i64::from(limit));
        all(&self.pool, query, article).await
    }

    async fn delete_article(&self, id: ArticleId) -> Result<bool> {
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        // Its fields and words go by ON DELETE CASCADE.
        sqlx::query("DELETE FROM article_votes WHERE article_id = $1")
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        let deleted = sqlx::query("DELETE FROM articles WHERE id = $1")
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(error::db)?
            .rows_affected();
        tx.commit().await.map_err(error::db)?;
        Ok(deleted > 0)
    }

    async fn article_categories(&self) -> Result<Vec<Category>> {
        let query = sqlx::query("SELECT name FROM article_categories ORDER BY name");
        all(&self.pool, query, read_category).await
    }

    async fn add_article_category(&self, category: &Category) -> Result<()> {
        let mut conn = self.pool.acquire().await.map_err(error::db)?;
        add_category(&mut conn, category).await
    }

    async fn rename_article_category(&self, from: &Category, to: &Category) -> Result<u64> {
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        let moved = rename_category(&mut tx, from, to).await?;
        tx.commit().await.map_err(error::db)?;
        Ok(moved)
    }

    async fn delete_article_category(&self, category: &Category) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(error::db)?;
        delete_category(&mut tx, category).await?;
        tx.commit().await.map_err(error::db)
    }
}

/// Adds a category (a duplicate conflict when it is stored).
pub(crate) async fn add_category(conn: &mut PgConnection, category: &Category) -> Result<()> {
    let added =
        sqlx::query("INSERT INTO article_categories (name) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind(category.as_str())
            .execute(&mut *conn)
            .await
            .map_err(error::db)?
            .rows_affected();
    if added == 0 {
        return Err(Error::duplicate(Entity::Category, "name"));
    }
    Ok(())
}

/// Renames a category and moves its articles, within the caller's transaction `tx`; how
/// many moved.
pub(crate) async fn rename_category(
    tx: &mut sqlx::Transaction<'_, Postgres>,
    from: &Category,
    to: &Category,
) -> Result<u64> {
    if !lock_category(tx, from).await? {
        return Err(Error::not_found(Entity::Category, from));
    }
    if from == to {
        return Ok(0);
    }
    if lock_category(tx, to).await? {
        return Err(Error::duplicate(Entity::Category, "name"));
    }
    sqlx::query("UPDATE article_categories SET name = $2 WHERE name = $1")
        .bind(from.as_str())
        .bind(to.as_str())
        .execute(&mut **tx)
        .await
        .map_err(error::db)?;
    let moved = sqlx::query("UPDATE articles SET category = $2 WHERE category = $1")
        .bind(from.as_str())
        .bind(to.as_str())
        .execute(&mut **tx)
        .await
        .map_err(error::db)?
        .rows_affected();
    Ok(moved)
}

/// Deletes a category no article is filed in, within the caller's transaction `tx`.
pub(crate) async fn delete_category(
    tx: &mut sqlx::Transaction<'_, Postgres>,
    category: &Category,
) -> Result<()> {
    if !lock_category(tx, category).await? {
        return Err(Error::not_found(Entity::Category, category));
    }
    let used: i64 = sqlx::query_scalar("SELECT count(*) FROM articles WHERE category = $1")
        .bind(category.as_str())
        .fetch_one(&mut **tx)
        .await
        .map_err(error::db)?;
    if used > 0 {
        return Err(Error::in_use(
            Entity::Category,
            Entity::Article,
            used as u64,
        ));
    }
    sqlx::query("DELETE FROM article_categories WHERE name = $1")
        .bind(category.as_str())
        .execute(&mut **tx)
        .await
        .map_err(error::db)?;
    Ok(())
}

/// Whether `category` is stored, its row locked until the transaction ends when it is.
async fn lock_category(
    tx: &mut sqlx::Transaction<'_, Postgres>,
    category: &Category,
) -> Result<bool> {
    let found: Option<i32> =
        sqlx::query_scalar("SELECT 1 FROM article_categories WHERE name = $1 FOR UPDATE")
            .bind(category.as_str())
            .fetch_optional(&mut **tx)
            .await
            .map_err(error::db)?;
    Ok(found.is_some())
}

/// A category from a row of `article_categories`.
fn read_category(row: &sqlx::postgres::PgRow) -> Result<Category> {
    Reader::new(row, "article_categories").parse("name", Category::parse)
}

/// Adds [`ArticleScope::contains`] on the article `a`.
fn push_scope(q: &mut QueryBuilder<Postgres>, scope: &ArticleScope) {
    if let Some(language) = scope.language {
        q.push(" AND a.language = ").push_bind(language.as_str());
    }
    if !scope.include_drafts {
        q.push(" AND a.status = ")
            .push_bind(ArticleStatus::Published.as_str());
    }
    if !scope.include_internal {
        q.push(" AND a.visibility = ")
            .push_bind(Visibility::Public.as_str());
    }
}
