//! Knowledge-base articles, and each person's vote on them (migration 0012).

use helpdesk_core::domain::{
    Article, ArticleId, ArticleTitle, ArticleVote, Category, MessageBody, Voter,
};
use rusqlite::Row;
use rusqlite::types::ToSql;

use super::{Reader, bind, blob, micros};
use crate::error::Outcome;

/// An article's columns.
pub(crate) struct ArticleRow {
    pub(crate) id: [u8; 16],
    title: String,
    body: String,
    category: String,
    language: &'static str,
    status: &'static str,
    visibility: &'static str,
    helpful: u32,
    not_helpful: u32,
    created_at: i64,
    updated_at: i64,
}

impl ArticleRow {
    /// Inserts an article, or replaces its text and fields, keeping its stored counts (only
    /// votes change them).
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO articles (id, title, body, category, language, status, visibility, helpful,
                              not_helpful, created_at, updated_at)
        VALUES (:id, :title, :body, :category, :language, :status, :visibility, :helpful,
                :not_helpful, :created_at, :updated_at)
        ON CONFLICT (id) DO UPDATE SET
            title = excluded.title,
            body = excluded.body,
            category = excluded.category,
            language = excluded.language,
            status = excluded.status,
            visibility = excluded.visibility,
            created_at = excluded.created_at,
            updated_at = excluded.updated_at";

    pub(crate) fn new(a: &Article) -> Self {
        Self {
            id: blob(a.id.as_uuid()),
            title: a.title.as_str().to_owned(),
            body: a.body.as_str().to_owned(),
            category: a.category.as_str().to_owned(),
            language: a.language.as_str(),
            status: a.status.as_str(),
            visibility: a.visibility.as_str(),
            helpful: a.helpful,
            not_helpful: a.not_helpful,
            created_at: micros(a.created_at),
            updated_at: micros(a.updated_at),
        }
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 11] {
        bind!(self; id, title, body, category, language, status, visibility, helpful,
              not_helpful, created_at, updated_at)
    }
}

/// The columns `read_article` reads. Unqualified, for `UPDATE ... RETURNING`: queries that
/// join `articles` join tables with none of these names.
pub(crate) const ARTICLE_COLUMNS: &str = "
    id, title, body, category, language, status, visibility, helpful, not_helpful, created_at,
    updated_at";

/// An article from a row of [`ARTICLE_COLUMNS`].
pub(crate) fn read_article(row: &Row<'_>) -> Outcome<Article> {
    let r = Reader::new(row, "articles");
    Ok(Article {
        id: ArticleId::from_uuid(r.uuid("id")?),
        title: r.parse("title", ArticleTitle::parse)?,
        body: r.parse("body", MessageBody::parse)?,
        category: r.parse("category", Category::parse)?,
        language: r.text("language")?,
        status: r.text("status")?,
        visibility: r.text("visibility")?,
        helpful: r.u32("helpful")?,
        not_helpful: r.u32("not_helpful")?,
        created_at: r.instant("created_at")?,
        updated_at: r.instant("updated_at")?,
    })
}

/// A person's vote on an article: their kind and id, the article, the answer and when.
pub(crate) struct ArticleVoteRow {
    voter_kind: &'static str,
    voter_id: [u8; 16],
    article_id: [u8; 16],
    helpful: bool,
    voted_at: i64,
}

impl ArticleVoteRow {
    /// Inserts a person's vote, or replaces the one they had on the article.
    pub(crate) const UPSERT: &'static str = "
        INSERT INTO article_votes (voter_kind, voter_id, article_id, helpful, voted_at)
        VALUES (:voter_kind, :voter_id, :article_id, :helpful, :voted_at)
        ON CONFLICT (voter_kind, voter_id, article_id) DO UPDATE SET
            helpful = excluded.helpful,
            voted_at = excluded.voted_at";

    pub(crate) fn new(v: &ArticleVote) -> Self {
        Self {
            voter_kind: v.voter.kind().as_str(),
            voter_id: blob(v.voter.id()),
            article_id: blob(v.article.as_uuid()),
            helpful: v.helpful,
            voted_at: micros(v.at),
        }
    }

    pub(crate) fn params(&self) -> [(&str, &dyn ToSql); 5] {
        bind!(self; voter_kind, voter_id, article_id, helpful, voted_at)
    }
}

/// The columns `read_article_vote` reads.
pub(crate) const ARTICLE_VOTE_COLUMNS: &str = "voter_kind, voter_id, article_id, helpful, voted_at";

/// A vote from a row of [`ARTICLE_VOTE_COLUMNS`].
pub(crate) fn read_article_vote(row: &Row<'_>) -> Outcome<ArticleVote> {
    let r = Reader::new(row, "article_votes");
    let voter = Voter::from_parts(r.text("voter_kind")?, r.uuid("voter_id")?)
        .map_err(|e| r.corrupt("voter_kind", e))?;
    Ok(ArticleVote {
        article: ArticleId::from_uuid(r.uuid("article_id")?),
        voter,
        helpful: r.bool("helpful")?,
        at: r.instant("voted_at")?,
    })
}
