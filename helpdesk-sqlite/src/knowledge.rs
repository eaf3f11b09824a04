//! The tables of migration 0004: customer look-ups (`customers.address_key`), the knowledge
//! base (`articles`, with `article_fields` and its FTS5 index `article_index` for search, and
//! `article_words` for suggestions) and saved searches.
//!
//! As for tickets, text is folded in Rust with the core's [`fold`] and [`words`], never in
//! SQL, and every value is a bound parameter.

use std::collections::BTreeMap;

use helpdesk_core::domain::{Article, ArticleStatus, Visibility};
use helpdesk_core::search::{ArticleScope, ArticleSearch, ArticleSuggest, CustomerLookup};
use helpdesk_core::search::{address_key, fold, words};
use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::SqliteError;
use crate::query::Query;
use crate::rows::{ARTICLE_COLUMNS, ArticleRow, CUSTOMER_COLUMNS, literal};
use crate::search::Matcher;

/// Parameters, numbered as they are bound.
#[derive(Default)]
struct Params(Vec<Value>);

impl Params {
    /// Binds `value` and returns its placeholder.
    fn bind(&mut self, value: impl Into<Value>) -> String {
        self.0.push(value.into());
        format!("?{}", self.0.len())
    }
}

/// The query for [`Store::find_customers`](helpdesk_core::store::Store::find_customers):
/// `None` when nothing can match.
pub(crate) fn find_customers(lookup: &CustomerLookup, limit: u32) -> Option<Query> {
    let mut p = Params::default();
    let condition = match lookup {
        CustomerLookup::ContractNumber(c) => {
            format!("contract_number = {}", p.bind(c.as_str().to_owned()))
        }
        CustomerLookup::Phone(digits) => format!("phone_digits = {}", p.bind(digits.clone())),
        CustomerLookup::Email(e) => format!("email = {}", p.bind(e.as_str().to_owned())),
        CustomerLookup::Address(pattern) => {
            // SQLite's LIKE ignores the case of ASCII letters only, and an address key has no
            // upper-case ASCII letter: a pattern with one (not made by `address`) matches
            // nothing, as in the reference. Other characters compare exactly. A NUL would end
            // the LIKE pattern; no validated address holds one.
            if pattern.chars().any(|c| c.is_ascii_uppercase() || c == '\0') {
                return None;
            }
            let mut like = String::with_capacity(pattern.len());
            for c in pattern.chars() {
                if matches!(c, '_' | '\\') {
                    like.push('\\');
                }
                like.push(c);
            }
            format!("address_key LIKE {} ESCAPE '\\'", p.bind(like))
        }
    };
    let limit = p.bind(i64::from(limit));
    Some(Query {
        sql: format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE {condition}
             ORDER BY name, id LIMIT {limit}"
        ),
        params: p.0,
    })
}

/// Fills `customers.address_key` for the customers written before migration 0004. Cheap
/// when there is none.
pub(crate) fn backfill_address_keys(conn: &mut Connection) -> Result<usize, SqliteError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let missing: Vec<(Vec<u8>, String)> = {
        let mut stmt = tx.prepare(
            "SELECT id, address FROM customers WHERE address IS NOT NULL AND address_key IS NULL",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (id, address) in &missing {
        tx.prepare_cached("UPDATE customers SET address_key = ?2 WHERE id = ?1")?
            .execute((id, address_key(address)))?;
    }
    tx.commit()?;
    Ok(missing.len())
}

/// Writes `article` with its search fields and words, replacing what was there.
pub(crate) fn put_article(tx: &Transaction<'_>, article: &Article) -> rusqlite::Result<()> {
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
            p.bind(language.code().to_owned())
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

/// The query for [`Store::search_articles`](helpdesk_core::store::Store::search_articles):
/// per term, the articles with a field (title or body) matching it, as for tickets.
pub(crate) fn search_articles(search: &ArticleSearch, limit: u32) -> Query {
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
        params: p.0,
    }
}

/// The query for [`Store::suggest_articles`](helpdesk_core::store::Store::suggest_articles):
/// one GROUP BY over the `article_words` of the suggestion's words (each counted as often as
/// it is given, like `ArticleSuggest::score`). `None` when there is no word.
pub(crate) fn suggest_articles(suggest: &ArticleSuggest, limit: u32) -> Option<Query> {
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
        params: p.0,
    })
}
