//! The knowledge base (migration 0004): [`KnowledgeStore`] for [`SqliteStore`]. Articles
//! live in `articles`, with `article_fields` and its FTS5 index `article_index` for search,
//! and `article_words` for suggestions; each person's vote on one in `article_votes`
//! (migration 0012), counted in the article's row in the same write transaction.
//!
//! As for tickets, text is folded in Rust with the core's [`fold`] and [`words`], never in
//! SQL, and every value is a bound parameter.

use std::collections::BTreeMap;

use async_trait::async_trait;
use helpdesk_core::Result;
use helpdesk_core::domain::{
    Article, ArticleId, ArticleStatus, ArticleVote, Category, Visibility, Voter,
};
use helpdesk_core::error::{Entity, Error};
use helpdesk_core::search::{ArticleScope, ArticleSearch, ArticleSuggest, fold, words};
use helpdesk_core::store::KnowledgeStore;
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::connection::SqliteStore;
use crate::error::Outcome;
use crate::query::{Params, Query};
use crate::rows::knowledge::{
    ARTICLE_COLUMNS, ARTICLE_VOTE_COLUMNS, ArticleRow, ArticleVoteRow, read_article,
    read_article_vote,
};
use crate::rows::{Reader, all, blob, first, literal};
use crate::search::Matcher;

#[async_trait]
impl KnowledgeStore for SqliteStore {
    async fn put_article(&self, article: &Article) -> Result<()> {
        let article = article.clone();
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            write_article(&tx, &article)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn article(&self, id: ArticleId) -> Result<Option<Article>> {
        self.read(move |conn| {
            let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?1");
            first(conn, &sql, [blob(id.as_uuid())], read_article)
        })
        .await
    }

    async fn search_articles(&self, search: &ArticleSearch, limit: u32) -> Result<Vec<Article>> {
        let query = search_query(search, limit);
        self.read(move |conn| query.all(conn, read_article)).await
    }

    async fn suggest_articles(&self, suggest: &ArticleSuggest, limit: u32) -> Result<Vec<Article>> {
        let Some(query) = suggest_query(suggest, limit) else {
            return Ok(Vec::new());
        };
        self.read(move |conn| query.all(conn, read_article)).await
    }

    async fn vote_article(&self, vote: &ArticleVote) -> Result<Article> {
        let vote = *vote;
        let found = self
            .write(move |conn| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?1");
                let Some(mut article) =
                    first(&tx, &sql, [blob(vote.article.as_uuid())], read_article)?
                else {
                    return Ok(None);
                };
                let previous =
                    (vote_of(&tx, vote.voter, &[vote.article])?.pop()).map(|v| v.helpful);
                if article.count_vote(previous, vote.helpful) {
                    tx.prepare_cached(
                        "UPDATE articles SET helpful = ?2, not_helpful = ?3 WHERE id = ?1",
                    )?
                    .execute((
                        blob(article.id.as_uuid()),
                        article.helpful,
                        article.not_helpful,
                    ))?;
                    let row = ArticleVoteRow::new(&vote);
                    tx.prepare_cached(ArticleVoteRow::UPSERT)?
                        .execute(&row.params()[..])?;
                }
                tx.commit()?;
                Ok(Some(article))
            })
            .await?;
        found.ok_or_else(|| Error::not_found(Entity::Article, vote.article))
    }

    async fn article_votes(
        &self,
        voter: Voter,
        articles: &[ArticleId],
    ) -> Result<Vec<ArticleVote>> {
        let mut ids = articles.to_vec();
        ids.sort_unstable();
        ids.dedup();
        self.read(move |conn| vote_of(conn, voter, &ids)).await
    }

    async fn list_articles(&self, category: Option<&Category>, limit: u32) -> Result<Vec<Article>> {
        let category = category.map(|c| c.as_str().to_owned());
        self.read(move |conn| {
            let sql = format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles
                 WHERE ?1 IS NULL OR category = ?1
                 ORDER BY updated_at DESC, id DESC LIMIT ?2"
            );
            all(conn, &sql, (category, i64::from(limit)), read_article)
        })
        .await
    }

    async fn delete_article(&self, id: ArticleId) -> Result<bool> {
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id = blob(id.as_uuid());
            // Its fields (and so its FTS5 entries) and words go by ON DELETE CASCADE.
            tx.prepare_cached("DELETE FROM article_votes WHERE article_id = ?1")?
                .execute([id])?;
            let deleted = tx
                .prepare_cached("DELETE FROM articles WHERE id = ?1")?
                .execute([id])?;
            tx.commit()?;
            Ok(deleted > 0)
        })
        .await
    }

    async fn article_categories(&self) -> Result<Vec<Category>> {
        self.read(|conn| {
            all(
                conn,
                "SELECT name FROM article_categories ORDER BY name",
                [],
                read_category,
            )
        })
        .await
    }

    async fn add_article_category(&self, category: &Category) -> Result<()> {
        let category = category.clone();
        self.write(move |conn| add_category(conn, &category)).await
    }

    async fn rename_article_category(&self, from: &Category, to: &Category) -> Result<u64> {
        let (from, to) = (from.clone(), to.clone());
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let moved = rename_category(&tx, &from, &to)?;
            tx.commit()?;
            Ok(moved)
        })
        .await
    }

    async fn delete_article_category(&self, category: &Category) -> Result<()> {
        let category = category.clone();
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            delete_category(&tx, &category)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }
}

/// Adds a category (a duplicate conflict when it is stored).
pub(crate) fn add_category(conn: &Connection, category: &Category) -> Outcome<()> {
    let added = conn
        .prepare_cached("INSERT INTO article_categories (name) VALUES (?1) ON CONFLICT DO NOTHING")?
        .execute([category.as_str()])?;
    if added == 0 {
        return Err(Error::duplicate(Entity::Category, "name").into());
    }
    Ok(())
}

/// Renames a category and moves its articles, within the caller's transaction `tx`; how
/// many moved.
pub(crate) fn rename_category(tx: &Connection, from: &Category, to: &Category) -> Outcome<u64> {
    if !category_stored(tx, from.as_str())? {
        return Err(Error::not_found(Entity::Category, from).into());
    }
    if from == to {
        return Ok(0);
    }
    if category_stored(tx, to.as_str())? {
        return Err(Error::duplicate(Entity::Category, "name").into());
    }
    tx.prepare_cached("UPDATE article_categories SET name = ?2 WHERE name = ?1")?
        .execute([from.as_str(), to.as_str()])?;
    let moved = tx
        .prepare_cached("UPDATE articles SET category = ?2 WHERE category = ?1")?
        .execute([from.as_str(), to.as_str()])?;
    Ok(moved as u64)
}

/// Deletes a category no article is filed in, within the caller's transaction `tx`.
pub(crate) fn delete_category(tx: &Connection, category: &Category) -> Outcome<()> {
    if !category_stored(tx, category.as_str())? {
        return Err(Error::not_found(Entity::Category, category).into());
    }
    let used: i64 = tx
        .prepare_cached("SELECT count(*) FROM articles WHERE category = ?1")?
        .query_row([category.as_str()], |r| r.get(0))?;
    if used > 0 {
        return Err(Error::in_use(Entity::Category, Entity::Article, used as u64).into());
    }
    tx.prepare_cached("DELETE FROM article_categories WHERE name = ?1")?
        .execute([category.as_str()])?;
    Ok(())
}

/// Whether the category `name` is stored.
fn category_stored(conn: &Connection, name: &str) -> Outcome<bool> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM article_categories WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    Ok(found.is_some())
}

/// A category from a row of `article_categories`.
fn read_category(row: &rusqlite::Row<'_>) -> Outcome<Category> {
    Reader::new(row, "article_categories").parse("name", Category::parse)
}

/// `voter`'s votes on `articles` (in that order), each a primary-key look-up.
fn vote_of(
    conn: &rusqlite::Connection,
    voter: Voter,
    articles: &[ArticleId],
) -> Outcome<Vec<ArticleVote>> {
    let sql = format!(
        "SELECT {ARTICLE_VOTE_COLUMNS} FROM article_votes
         WHERE voter_kind = ?1 AND voter_id = ?2 AND article_id = ?3"
    );
    let mut found = Vec::new();
    for id in articles {
        let key = (voter.kind().as_str(), blob(voter.id()), blob(id.as_uuid()));
        found.extend(first(conn, &sql, key, read_article_vote)?);
    }
    Ok(found)
}

/// Writes `article` with its search fields and words, replacing what was there.
fn write_article(tx: &Transaction<'_>, article: &Article) -> Outcome<()> {
    let row = ArticleRow::new(article);
    tx.prepare_cached(ArticleRow::UPSERT)?
        .execute(&row.params()[..])?;
    let id = row.id;
    let (title, body) = (article.title.as_str(), article.body.as_str());

    tx.prepare_cached("DELETE FROM article_fields WHERE article_id = ?1")?
        .execute([id])?;
    let mut field = tx.prepare_cached(
        "INSERT INTO article_fields (article_id, field, words, folded) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (n, text) in [title, body].into_iter().enumerate() {
        field.execute((id, n as i64, words(text).join(" "), fold(text)))?;
    }

    // word -> (in title, in body)
    let mut found: BTreeMap<String, (bool, bool)> = BTreeMap::new();
    for w in words(title) {
        found.entry(w).or_default().0 = true;
    }
    for w in words(body) {
        found.entry(w).or_default().1 = true;
    }
    tx.prepare_cached("DELETE FROM article_words WHERE article_id = ?1")?
        .execute([id])?;
    let mut word = tx.prepare_cached(
        "INSERT INTO article_words (word, article_id, in_title, in_body) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (w, (in_title, in_body)) in &found {
        word.execute((w, id, in_title, in_body))?;
    }
    Ok(())
}

/// `ArticleScope::contains` over `articles a`.
fn scope(p: &mut Params, scope: &ArticleScope) -> String {
    let mut clauses = vec!["TRUE".to_owned()];
    if let Some(language) = scope.language {
        clauses.push(format!(
            "a.language = {}",
            p.bind(language.as_str().to_owned())
        ));
    }
    if !scope.include_drafts {
        clauses.push(format!("a.status = {}", literal(ArticleStatus::Published)));
    }
    if !scope.include_internal {
        clauses.push(format!("a.visibility = {}", literal(Visibility::Public)));
    }
    clauses.join(" AND ")
}

/// The query for [`KnowledgeStore::search_articles`]:
/// per term, the articles with a field (title or body) matching it, as for tickets.
fn search_query(search: &ArticleSearch, limit: u32) -> Query {
    let mut p = Params::default();
    let mut clauses = vec![scope(&mut p, &search.scope)];
    let terms = (search.query.include.iter().map(|t| (t, "IN")))
        .chain(search.query.exclude.iter().map(|t| (t, "NOT IN")));
    for (term, op) in terms {
        let articles = match Matcher::new(term) {
            Matcher::FullText(expr) => format!(
                "SELECT f.article_id FROM article_index s \
                 JOIN article_fields f ON f.seq = s.rowid \
                 WHERE article_index MATCH {}",
                p.bind(expr)
            ),
            Matcher::Like(pattern) => format!(
                "SELECT f.article_id FROM article_fields f \
                 WHERE f.folded LIKE {} ESCAPE '\\'",
                p.bind(pattern)
            ),
            Matcher::Nothing => {
                if op == "IN" {
                    clauses.push("FALSE".into());
                }
                continue;
            }
        };
        clauses.push(format!("a.id {op} ({articles})"));
    }
    let limit = p.bind(i64::from(limit));
    Query {
        sql: format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE {}
             ORDER BY a.updated_at DESC, a.id DESC LIMIT {limit}",
            clauses.join(" AND ")
        ),
        params: p.into_values(),
    }
}

/// The query for [`KnowledgeStore::suggest_articles`]:
/// one GROUP BY over the `article_words` of the suggestion's words (each counted as often as
/// it is given, like `ArticleSuggest::score`). `None` when there is no word.
fn suggest_query(suggest: &ArticleSuggest, limit: u32) -> Option<Query> {
    let mut times: BTreeMap<&str, i64> = BTreeMap::new();
    for w in &suggest.words {
        *times.entry(w.as_str()).or_default() += 1;
    }
    if times.is_empty() {
        return None;
    }
    let mut p = Params::default();
    let values: Vec<String> = times
        .into_iter()
        .map(|(w, n)| {
            let w = p.bind(w.to_owned());
            format!("({w}, {})", p.bind(n))
        })
        .collect();
    let scope = scope(&mut p, &suggest.scope);
    let limit = p.bind(i64::from(limit));
    Some(Query {
        sql: format!(
            "WITH q (word, times) AS (VALUES {values})
             SELECT {ARTICLE_COLUMNS},
                    sum((2 * w.in_title + w.in_body) * q.times) AS score
             FROM q
             JOIN article_words w ON w.word = q.word
             JOIN articles a ON a.id = w.article_id
             WHERE {scope}
             GROUP BY a.id
             HAVING score > 0
             ORDER BY score DESC, a.helpful DESC, a.id ASC
             LIMIT {limit}",
            values = values.join(", ")
        ),
        params: p.into_values(),
    })
}
