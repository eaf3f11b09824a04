//! Full-text search: the rows of `search_fields` (migration 0003), the SQL of a search's
//! terms, and the backfill of tickets written before that migration.
//!
//! Text is folded and split into words by the library ([`SearchField::new`]), never by
//! PostgreSQL. A field's distinct words are its `lexemes`, a tsvector made with
//! `array_to_tsvector` (no parser: nothing is re-split or altered), whose GIN index finds the
//! candidate fields of a word, prefix or phrase; the candidates are then checked exactly
//! against the field's `words` array, so that the result is [`Term::matches`] to the letter.
//! Queries are built only from parsed, folded terms, always as bound parameters.

use std::collections::BTreeMap;

use helpdesk_core::domain::{Article, Message, Phone, StableText, Ticket, Visibility};
use helpdesk_core::search::{SearchField, Term, TicketSearch, address_key, words};
use helpdesk_core::{Error, Result};
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::error;

/// The longest lexeme kept in a tsvector, in bytes (PostgreSQL refuses more than 2047).
/// Longer words are cut there, at a character boundary; queries cut their words alike and
/// look for them as prefixes, and the exact check on `words` decides.
const MAX_LEXEME: usize = 2000;

/// How many tickets one backfill transaction indexes.
const BACKFILL_BATCH: i64 = 500;

/// `word` cut to at most [`MAX_LEXEME`] bytes, and whether it was cut.
fn lexeme(word: &str) -> (&str, bool) {
    if word.len() <= MAX_LEXEME {
        return (word, false);
    }
    let mut end = MAX_LEXEME;
    while !word.is_char_boundary(end) {
        end -= 1;
    }
    (&word[..end], true)
}

/// The `INSERT` of [`FieldColumns`], in the order of the arrays.
macro_rules! insert_fields {
    () => {
        "INSERT INTO search_fields (ticket_id, message_id, internal, folded, words, lexemes) \
         SELECT ticket_id, message_id, internal, folded, string_to_array(words, ' '), \
         array_to_tsvector(string_to_array(lexemes, ' ')) \
         FROM UNNEST($1::uuid[], $2::uuid[], $3::boolean[], $4::text[], $5::text[], $6::text[]) \
         AS f(ticket_id, message_id, internal, folded, words, lexemes) ORDER BY ticket_id"
    };
}

/// The search rows a batch adds, as parallel arrays for `UNNEST`. A field's words are joined
/// with spaces, which no word contains (words are runs of letters and digits).
#[derive(Debug, Default)]
pub(crate) struct FieldColumns {
    ticket_id: Vec<Uuid>,
    message_id: Vec<Option<Uuid>>,
    internal: Vec<bool>,
    folded: Vec<String>,
    words: Vec<String>,
    lexemes: Vec<String>,
}

impl FieldColumns {
    /// Adds the subject row of `ticket`.
    pub(crate) fn push_subject(&mut self, ticket: &Ticket) {
        self.push(ticket.id.as_uuid(), None, false, ticket.subject.as_str());
    }

    /// Adds the row of a message.
    pub(crate) fn push_message(&mut self, m: &Message) {
        self.push(
            m.ticket_id.as_uuid(),
            Some(m.id.as_uuid()),
            m.visibility != Visibility::Public,
            m.body.as_str(),
        );
    }

    fn push(&mut self, ticket: Uuid, message: Option<Uuid>, internal: bool, text: &str) {
        let field = SearchField::new(text);
        let mut lexemes: Vec<&str> = field.words.iter().map(|w| lexeme(w).0).collect();
        lexemes.sort_unstable();
        lexemes.dedup();
        self.ticket_id.push(ticket);
        self.message_id.push(message);
        self.internal.push(internal);
        self.lexemes.push(lexemes.join(" "));
        self.words.push(field.words.join(" "));
        self.folded.push(field.folded);
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.ticket_id.is_empty()
    }

    /// Inserts them all.
    pub(crate) const INSERT: &str = concat!(insert_fields!(), "");

    /// Inserts them all, replacing the subject rows of their tickets (subject rows only).
    pub(crate) const UPSERT_SUBJECTS: &str = concat!(
        insert_fields!(),
        " ON CONFLICT (ticket_id) WHERE message_id IS NULL DO UPDATE \
         SET folded = EXCLUDED.folded, words = EXCLUDED.words, lexemes = EXCLUDED.lexemes"
    );

    /// Inserts those not there yet (the backfill).
    const INSERT_MISSING: &str = concat!(insert_fields!(), " ON CONFLICT DO NOTHING");

    /// Binds them for [`Self::INSERT`] or [`Self::UPSERT_SUBJECTS`].
    pub(crate) fn bind(
        self,
        query: Query<'_, Postgres, PgArguments>,
    ) -> Query<'_, Postgres, PgArguments> {
        query
            .bind(self.ticket_id)
            .bind(self.message_id)
            .bind(self.internal)
            .bind(self.folded)
            .bind(self.words)
            .bind(self.lexemes)
    }
}

/// Adds the conditions of `search`'s terms on the ticket `t`: each included term matches a
/// field of it, no excluded term matches any (internal notes only with `include_internal`).
pub(crate) fn push_terms(q: &mut QueryBuilder<Postgres>, search: &TicketSearch) {
    let terms = (search.query.include.iter().map(|t| (t, true)))
        .chain(search.query.exclude.iter().map(|t| (t, false)));
    for (term, include) in terms {
        q.push(if include {
            " AND EXISTS ("
        } else {
            " AND NOT EXISTS ("
        });
        q.push("SELECT 1 FROM search_fields f WHERE f.ticket_id = t.id");
        if !search.include_internal {
            q.push(" AND NOT f.internal");
        }
        q.push(" AND ");
        push_term(q, term);
        q.push(")");
    }
}

/// [`TicketSearch::score`] of the ticket `t`, an `integer` expression: one for each
/// included term its subject row matches.
pub(crate) fn push_score(q: &mut QueryBuilder<Postgres>, search: &TicketSearch) {
    q.push("(0");
    for term in &search.query.include {
        q.push(
            " + CASE WHEN EXISTS (SELECT 1 FROM search_fields f \
             WHERE f.ticket_id = t.id AND f.message_id IS NULL AND ",
        );
        push_term(q, term);
        q.push(") THEN 1 ELSE 0 END");
    }
    q.push(")");
}

/// [`Term::matches`] on the field `f`.
pub(crate) fn push_term(q: &mut QueryBuilder<Postgres>, term: &Term) {
    // An empty word or phrase matches nothing. PostgreSQL text holds no NUL, so no stored
    // field contains one (nor may a parameter).
    let has_nul = |s: &String| s.contains('\0');
    match term {
        Term::Word { word, .. } if word.is_empty() || has_nul(word) => {
            q.push("FALSE");
        }
        Term::Word { word, prefix } => {
            q.push("f.lexemes @@ ")
                .push_bind(ts_operand(word, *prefix))
                .push("::tsquery AND ");
            if *prefix {
                q.push(
                    "EXISTS (SELECT 1 FROM unnest(f.words) AS w(word) WHERE starts_with(w.word, ",
                )
                .push_bind(word.clone())
                .push("))");
            } else {
                q.push_bind(word.clone()).push(" = ANY(f.words)");
            }
        }
        // No field has an empty word either.
        Term::Phrase { words }
            if words.is_empty() || words.iter().any(|w| w.is_empty() || has_nul(w)) =>
        {
            q.push("FALSE");
        }
        Term::Phrase { words } => {
            let operands: Vec<String> = words.iter().map(|w| ts_operand(w, false)).collect();
            q.push("f.lexemes @@ ")
                .push_bind(operands.join(" & "))
                .push("::tsquery AND ");
            let n = i32::try_from(words.len()).unwrap_or(i32::MAX);
            q.push(
                "EXISTS (SELECT 1 FROM generate_subscripts(f.words, 1) AS s(i) \
                 WHERE f.words[s.i : s.i + ",
            )
            .push_bind(n - 1)
            .push("] = ")
            .push_bind(words.clone())
            .push("::text[])");
        }
        Term::Pattern { pieces } if pieces.iter().any(has_nul) => {
            q.push("FALSE");
        }
        Term::Pattern { pieces } => {
            q.push("f.folded LIKE ")
                .push_bind(like_pattern(pieces))
                .push(" ESCAPE '\\'");
        }
    }
}

/// A tsquery operand for `word`: quoted, with quotes and backslashes doubled, a prefix
/// (`:*`) when `prefix` or when the word is longer than a stored lexeme.
fn ts_operand(word: &str, prefix: bool) -> String {
    let (cut, was_cut) = lexeme(word);
    let mut out = String::with_capacity(cut.len() + 4);
    out.push('\'');
    for c in cut.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
    if prefix || was_cut {
        out.push_str(":*");
    }
    out
}

/// The `LIKE` pattern of a `%` pattern's pieces: the non-empty pieces in order, anything
/// before, between and after them, with `%`, `_` and `\` in them escaped.
fn like_pattern(pieces: &[String]) -> String {
    let mut out = String::from("%");
    for piece in pieces.iter().filter(|p| !p.is_empty()) {
        for c in piece.chars() {
            if matches!(c, '%' | '_' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('%');
    }
    out
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
pub(crate) fn bind_article_fields<'q>(
    query: Query<'q, Postgres, PgArguments>,
    article: &Article,
) -> Query<'q, Postgres, PgArguments> {
    let mut folded = Vec::with_capacity(2);
    let mut words = Vec::with_capacity(2);
    let mut lexemes = Vec::with_capacity(2);
    for text in [article.title.as_str(), article.body.as_str()] {
        let field = SearchField::new(text);
        let mut lex: Vec<&str> = field.words.iter().map(|w| lexeme(w).0).collect();
        lex.sort_unstable();
        lex.dedup();
        lexemes.push(lex.join(" "));
        words.push(field.words.join(" "));
        folded.push(field.folded);
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
pub(crate) fn bind_article_words<'q>(
    query: Query<'q, Postgres, PgArguments>,
    article: &Article,
) -> Query<'q, Postgres, PgArguments> {
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

/// Fills `address_key` and `phone_digits` of the customers written before migration 0004
/// (the library folds, SQL cannot), while its `customer_backfill` row says some may lack
/// them; then removes that row. Safe to run concurrently, and beside `put_customer`: each
/// batch locks its customers, and a customer written meanwhile has its keys already.
pub(crate) async fn backfill_customers(pool: &PgPool) -> Result<()> {
    let pending: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM customer_backfill)")
        .fetch_one(pool)
        .await
        .map_err(error::db)?;
    if !pending {
        return Ok(());
    }
    loop {
        let mut tx = pool.begin().await.map_err(error::db)?;
        let customers: Vec<(Uuid, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT id, phone, address FROM customers \
             WHERE (address IS NOT NULL AND address_key IS NULL) \
             OR (phone IS NOT NULL AND phone_digits IS NULL) \
             ORDER BY id LIMIT $1 FOR UPDATE",
        )
        .bind(BACKFILL_BATCH)
        .fetch_all(&mut *tx)
        .await
        .map_err(error::db)?;
        if customers.is_empty() {
            sqlx::query("DELETE FROM customer_backfill")
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
            return tx.commit().await.map_err(error::db);
        }
        let mut ids = Vec::with_capacity(customers.len());
        let mut keys = Vec::with_capacity(customers.len());
        let mut digits = Vec::with_capacity(customers.len());
        for (id, phone, address) in customers {
            let phone = phone
                .map(|p| Phone::parse(&p).map_err(|e| Error::corrupt("customers", "phone", e)))
                .transpose()?;
            ids.push(id);
            keys.push(address.map(|a| address_key(&a)));
            digits.push(phone.map(|p| p.digits().to_owned()));
        }
        sqlx::query(
            "UPDATE customers c SET address_key = u.address_key, phone_digits = u.phone_digits \
             FROM UNNEST($1::uuid[], $2::text[], $3::text[]) AS u(id, address_key, phone_digits) \
             WHERE c.id = u.id",
        )
        .bind(ids)
        .bind(keys)
        .bind(digits)
        .execute(&mut *tx)
        .await
        .map_err(error::db)?;
        tx.commit().await.map_err(error::db)?;
    }
}

/// Indexes the tickets written before migration 0003 (the library folds, SQL cannot), while
/// its `search_backfill` row says some may lack their rows; then removes that row. Safe to
/// run concurrently: each batch locks its tickets as `commit` does and skips rows that exist.
pub(crate) async fn backfill(pool: &PgPool) -> Result<()> {
    let pending: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM search_backfill)")
        .fetch_one(pool)
        .await
        .map_err(error::db)?;
    if !pending {
        return Ok(());
    }
    loop {
        let mut tx = pool.begin().await.map_err(error::db)?;
        let tickets: Vec<(Uuid, String)> = sqlx::query_as(
            "SELECT t.id, t.subject FROM tickets t WHERE NOT EXISTS \
             (SELECT 1 FROM search_fields f WHERE f.ticket_id = t.id AND f.message_id IS NULL) \
             ORDER BY t.id LIMIT $1 FOR UPDATE OF t",
        )
        .bind(BACKFILL_BATCH)
        .fetch_all(&mut *tx)
        .await
        .map_err(error::db)?;
        if tickets.is_empty() {
            sqlx::query("DELETE FROM search_backfill")
                .execute(&mut *tx)
                .await
                .map_err(error::db)?;
            return tx.commit().await.map_err(error::db);
        }
        let ids: Vec<Uuid> = tickets.iter().map(|(id, _)| *id).collect();
        let messages: Vec<(Uuid, Uuid, String, String)> = sqlx::query_as(
            "SELECT id, ticket_id, visibility, body FROM messages \
             WHERE ticket_id = ANY($1) ORDER BY seq",
        )
        .bind(&ids)
        .fetch_all(&mut *tx)
        .await
        .map_err(error::db)?;
        let mut fields = FieldColumns::default();
        for (id, subject) in &tickets {
            fields.push(*id, None, false, subject);
        }
        for (id, ticket, visibility, body) in &messages {
            let visibility = Visibility::from_text(visibility)
                .map_err(|e| Error::corrupt("messages", "visibility", e))?;
            fields.push(*ticket, Some(*id), visibility != Visibility::Public, body);
        }
        fields
            .bind(sqlx::query(FieldColumns::INSERT_MISSING))
            .execute(&mut *tx)
            .await
            .map_err(error::db)?;
        tx.commit().await.map_err(error::db)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operands_quote_and_cut() {
        assert_eq!(ts_operand("abc", false), "'abc'");
        assert_eq!(ts_operand("abc", true), "'abc':*");
        assert_eq!(ts_operand("a'b\\c", false), "'a''b\\\\c'");
        let long = "ж".repeat(1500);
        let op = ts_operand(&long, false);
        assert!(op.ends_with("':*"));
        assert_eq!(op.len(), 2 + MAX_LEXEME + 2);
    }

    #[test]
    fn like_patterns_escape_their_wildcards() {
        let pieces = |ps: &[&str]| ps.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        assert_eq!(
            like_pattern(&pieces(&["", "кольц", "14", "кв.15"])),
            "%кольц%14%кв.15%"
        );
        assert_eq!(
            like_pattern(&pieces(&["a_b", "c%d\\"])),
            "%a\\_b%c\\%d\\\\%"
        );
        assert_eq!(like_pattern(&pieces(&["", ""])), "%");
    }
}
