//! Ticket search: the search index (`search_fields`, migration 0003) that `commit` keeps in
//! step with tickets and messages, the SQL of a search's terms and relevance over it, and the
//! backfill of tickets written before that migration.
//!
//! Text is folded and split into words by the library
//! ([`SearchField::new`](helpdesk_core::search::SearchField::new)), never by PostgreSQL
//! (see [`SearchText`]). A field's distinct words are its `lexemes`, a tsvector made with
//! `array_to_tsvector` (no parser: nothing is re-split or altered), whose GIN index finds the
//! candidate fields of a word, prefix or phrase; the candidates are then checked exactly
//! against the field's `words` array, so that the result is [`Term::matches`] to the letter.
//! Queries are built only from parsed, folded terms, always as bound parameters.

use helpdesk_core::domain::{Message, StableText, Ticket, Visibility};
use helpdesk_core::search::{SearchQuery, Term, TicketSearch};
use helpdesk_core::store::{Page, PageRequest, TicketOrder};
use helpdesk_core::{Error, Result};
use sqlx::{PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::error;
use crate::query::{self, push_filter, push_page};
use crate::rows::ticket::ticket_columns;
use crate::rows::{PgQuery, SearchText, lexeme};

/// How many tickets one backfill transaction indexes.
const BACKFILL_BATCH: i64 = 500;

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
        let text = SearchText::of(text);
        self.ticket_id.push(ticket);
        self.message_id.push(message);
        self.internal.push(internal);
        self.folded.push(text.folded);
        self.words.push(text.words);
        self.lexemes.push(text.lexemes);
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
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query
            .bind(self.ticket_id)
            .bind(self.message_id)
            .bind(self.internal)
            .bind(self.folded)
            .bind(self.words)
            .bind(self.lexemes)
    }
}

/// A page of a ticket search.
pub(crate) async fn search(
    pool: &PgPool,
    search: &TicketSearch,
    page: &PageRequest,
) -> Result<Page<Ticket>> {
    query::fetch_page(pool, search_query(search, page), page, true).await
}

/// The query for a page of a search: [`list_query`](query::list_query) with the conditions
/// of the search's terms ([`TicketSearch::matches`]) added to the filter's, and each
/// ticket's relevance ([`TicketSearch::score`]) as the column `score`.
///
/// In the relevance order the score is also sorted on and compared with the cursor, so it is
/// computed once per ticket in a `LATERAL` subquery (`OFFSET 0` keeps it from being inlined
/// and evaluated again in each place). In the other orders it is only read, as an expression
/// of the select list, which PostgreSQL can leave until after the sort and limit.
pub(crate) fn search_query(search: &TicketSearch, page: &PageRequest) -> QueryBuilder<Postgres> {
    let mut q = QueryBuilder::new("");
    q.push(concat!("SELECT ", ticket_columns!(), ", "));
    let relevance = page.order() == TicketOrder::Relevance;
    if relevance {
        q.push("s.score FROM tickets t CROSS JOIN LATERAL (SELECT ");
        push_score(&mut q, search);
        q.push(" AS score OFFSET 0) s WHERE TRUE");
    } else {
        push_score(&mut q, search);
        q.push(" AS score FROM tickets t WHERE TRUE");
    }
    push_filter(&mut q, &search.filter);
    push_terms(&mut q, search);
    push_page(&mut q, page, relevance);
    q
}

/// Adds the conditions of `search`'s terms on the ticket `t`: each included term matches a
/// field of it, no excluded term matches any (internal notes only with `include_internal`).
fn push_terms(q: &mut QueryBuilder<Postgres>, search: &TicketSearch) {
    let fields = if search.include_internal {
        "SELECT 1 FROM search_fields f WHERE f.ticket_id = t.id"
    } else {
        "SELECT 1 FROM search_fields f WHERE f.ticket_id = t.id AND NOT f.internal"
    };
    push_query_terms(q, &search.query, fields);
}

/// Adds the terms of `query` over the fields `fields` selects (`SELECT 1 FROM ... f WHERE
/// ...`, the fields of one ticket or article), as [`TicketSearch::matches`] and
/// [`ArticleSearch::matches`](helpdesk_core::search::ArticleSearch::matches) apply them: each
/// included term matches some field, no excluded term matches any.
pub(crate) fn push_query_terms(q: &mut QueryBuilder<Postgres>, query: &SearchQuery, fields: &str) {
    let terms =
        (query.include.iter().map(|t| (t, true))).chain(query.exclude.iter().map(|t| (t, false)));
    for (term, include) in terms {
        q.push(if include {
            " AND EXISTS ("
        } else {
            " AND NOT EXISTS ("
        });
        q.push(fields).push(" AND ");
        push_term(q, term);
        q.push(")");
    }
}

/// [`TicketSearch::score`] of the ticket `t`, an `integer` expression: one for each
/// included term its subject row matches.
fn push_score(q: &mut QueryBuilder<Postgres>, search: &TicketSearch) {
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
fn push_term(q: &mut QueryBuilder<Postgres>, term: &Term) {
    // A term that cannot match (PostgreSQL text would not even hold its NUL) asks nothing.
    if !term.can_match() {
        q.push("FALSE");
        return;
    }
    match term {
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
        Term::Pattern { .. } => {
            q.push("f.folded LIKE ")
                .push_bind(term.like_pattern().unwrap_or_default())
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

/// Indexes the tickets written before migration 0003 (the library folds, SQL cannot), in
/// batches, then removes the `search_backfill` row that says some may lack their rows. Safe
/// to run concurrently: each batch locks its tickets as `commit` does and skips rows that
/// exist.
pub(crate) async fn backfill(pool: &PgPool) -> Result<()> {
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
    use helpdesk_core::domain::Priority;
    use helpdesk_core::search::SearchQuery;
    use helpdesk_core::store::{Cursor, TicketFilter};

    use super::*;
    use crate::rows::MAX_LEXEME;

    #[test]
    fn relevance_search_scores_subject_rows_with_bound_terms_and_orders_by_score() {
        let search = TicketSearch {
            query: SearchQuery::parse("router \"dead modem\" %x'y% -printer").unwrap(),
            filter: TicketFilter::default(),
            include_internal: false,
        };
        let cursor = format!(
            "r.2.{}.1700000000000000.-.{}",
            Priority::Normal.rank(),
            Uuid::nil().simple()
        );
        let page = PageRequest::first(TicketOrder::Relevance, 10)
            .after(Cursor::decode(&cursor).unwrap())
            .unwrap();
        let sql = search_query(&search, &page).into_string();
        assert!(!sql.contains("router") && !sql.contains("x'y"), "{sql}");
        assert_eq!(sql.matches("f.message_id IS NULL").count(), 3, "{sql}");
        assert!(sql.contains("CROSS JOIN LATERAL"), "{sql}");
        assert!(sql.contains("s.score < $"), "{sql}");
        assert!(
            sql.contains("ORDER BY s.score DESC, t.updated_at DESC, t.id DESC LIMIT $"),
            "{sql}"
        );
        // Outside the relevance order, no join: the score is only read.
        let sql =
            search_query(&search, &PageRequest::first(TicketOrder::Priority, 10)).into_string();
        assert!(
            !sql.contains("LATERAL") && sql.contains(" AS score FROM tickets t"),
            "{sql}"
        );
        // A list in the relevance order is the last-update order.
        let sql = query::list_query(&search.filter, &page).into_string();
        assert!(!sql.contains("score"), "{sql}");
        assert!(
            sql.ends_with("ORDER BY t.updated_at DESC, t.id DESC LIMIT $1"),
            "{sql}"
        );
    }

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
}
