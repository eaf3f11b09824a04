//! Knowledge-base articles (table `articles`), the rows of their search tables
//! (`article_fields` for search, `article_words` for suggestions, migration 0004), and each
//! person's vote on one (`article_votes`, migration 0012).

use std::collections::BTreeMap;

use helpdesk_core::Result;
use helpdesk_core::domain::{
    Article, ArticleId, ArticleTitle, ArticleVote, Category, MessageBody, Voter,
};
use helpdesk_core::search::words;
use sqlx::postgres::PgRow;

use super::{PgQuery, Reader, SearchText};

/// The column list of article reads.
macro_rules! article_columns {
    () => {
        "id, title, body, category, language, status, visibility, helpful, not_helpful, \
     created_at, updated_at"
    };
}
pub(crate) use article_columns;

/// An article from a row selected with [`article_columns!`].
pub(crate) fn article(row: &PgRow) -> Result<Article> {
    let r = Reader::new(row, "articles");
    Ok(Article {
        id: ArticleId::from_uuid(r.get("id")?),
        title: r.parse("title", ArticleTitle::parse)?,
        body: r.parse("body", MessageBody::parse)?,
        category: r.parse("category", Category::parse)?,
        language: r.text("language")?,
        status: r.text("status")?,
        visibility: r.text("visibility")?,
        helpful: r.number("helpful")?,
        not_helpful: r.number("not_helpful")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// Inserts an article's row, or replaces its text and fields, keeping its stored counts
/// (only votes change them).
pub(crate) const PUT_ARTICLE: &str = "INSERT INTO articles (id, title, body, category, \
     language, status, visibility, helpful, not_helpful, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
     ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, \
     category = EXCLUDED.category, language = EXCLUDED.language, status = EXCLUDED.status, \
     visibility = EXCLUDED.visibility, created_at = EXCLUDED.created_at, \
     updated_at = EXCLUDED.updated_at";

/// Binds an article for [`PUT_ARTICLE`].
pub(crate) fn bind_article<'q>(query: PgQuery<'q>, a: &Article) -> PgQuery<'q> {
    query
        .bind(a.id.as_uuid())
        .bind(a.title.as_str().to_owned())
        .bind(a.body.as_str().to_owned())
        .bind(a.category.as_str().to_owned())
        .bind(a.language.as_str())
        .bind(a.status.as_str())
        .bind(a.visibility.as_str())
        .bind(i64::from(a.helpful))
        .bind(i64::from(a.not_helpful))
        .bind(a.created_at)
        .bind(a.updated_at)
}

/// The `article_fields` rows of an article: its title (field 0) and body (field 1), folded
/// and split by the library like the ticket fields.
pub(crate) const INSERT_ARTICLE_FIELDS: &str = "INSERT INTO article_fields \
     (article_id, field, folded, words, lexemes) \
     SELECT $1, f.field, f.folded, string_to_array(f.words, ' '), \
     array_to_tsvector(string_to_array(f.lexemes, ' ')) \
     FROM UNNEST($2::smallint[], $3::text[], $4::text[], $5::text[]) \
     AS f(field, folded, words, lexemes)";

/// Binds `article`'s title and body for [`INSERT_ARTICLE_FIELDS`].
pub(crate) fn bind_article_fields<'q>(query: PgQuery<'q>, article: &Article) -> PgQuery<'q> {
    let mut folded = Vec::with_capacity(2);
    let mut words = Vec::with_capacity(2);
    let mut lexemes = Vec::with_capacity(2);
    for text in [article.title.as_str(), article.body.as_str()] {
        let text = SearchText::of(text);
        folded.push(text.folded);
        words.push(text.words);
        lexemes.push(text.lexemes);
    }
    query
        .bind(article.id.as_uuid())
        .bind(vec![0_i16, 1])
        .bind(folded)
        .bind(words)
        .bind(lexemes)
}

/// The `article_words` rows of an article: each distinct word of its title or body
/// ([`words`], as [`ArticleSuggest::score`](helpdesk_core::search::ArticleSuggest::score)
/// reads them) and where it is.
pub(crate) const INSERT_ARTICLE_WORDS: &str = "INSERT INTO article_words \
     (article_id, word, in_title, in_body) \
     SELECT $1, w.word, w.in_title, w.in_body \
     FROM UNNEST($2::text[], $3::boolean[], $4::boolean[]) AS w(word, in_title, in_body)";

/// Binds `article`'s words for [`INSERT_ARTICLE_WORDS`].
pub(crate) fn bind_article_words<'q>(query: PgQuery<'q>, article: &Article) -> PgQuery<'q> {
    let mut places: BTreeMap<String, (bool, bool)> = BTreeMap::new();
    for w in words(article.title.as_str()) {
        places.entry(w).or_default().0 = true;
    }
    for w in words(article.body.as_str()) {
        places.entry(w).or_default().1 = true;
    }
    let mut word = Vec::with_capacity(places.len());
    let mut in_title = Vec::with_capacity(places.len());
    let mut in_body = Vec::with_capacity(places.len());
    for (w, (t, b)) in places {
        word.push(w);
        in_title.push(t);
        in_body.push(b);
    }
    query
        .bind(article.id.as_uuid())
        .bind(word)
        .bind(in_title)
        .bind(in_body)
}

/// The column list of vote reads.
macro_rules! article_vote_columns {
    () => {
        "voter_kind, voter_id, article_id, helpful, voted_at"
    };
}
pub(crate) use article_vote_columns;

/// A vote from a row selected with [`article_vote_columns!`].
pub(crate) fn article_vote(row: &PgRow) -> Result<ArticleVote> {
    let r = Reader::new(row, "article_votes");
    let voter = Voter::from_parts(r.text("voter_kind")?, r.get("voter_id")?)
        .map_err(|e| r.corrupt("voter_kind", e))?;
    Ok(ArticleVote {
        article: ArticleId::from_uuid(r.get("article_id")?),
        voter,
        helpful: r.get("helpful")?,
        at: r.get("voted_at")?,
    })
}

/// Inserts a person's vote, or replaces the one they had on the article.
pub(crate) const PUT_ARTICLE_VOTE: &str = "INSERT INTO article_votes \
     (voter_kind, voter_id, article_id, helpful, voted_at) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (voter_kind, voter_id, article_id) \
     DO UPDATE SET helpful = EXCLUDED.helpful, voted_at = EXCLUDED.voted_at";

/// Binds a vote for [`PUT_ARTICLE_VOTE`].
pub(crate) fn bind_article_vote<'q>(query: PgQuery<'q>, v: &ArticleVote) -> PgQuery<'q> {
    query
        .bind(v.voter.kind().as_str())
        .bind(v.voter.id())
        .bind(v.article.as_uuid())
        .bind(v.helpful)
        .bind(v.at)
}
