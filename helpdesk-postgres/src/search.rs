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
//!
//! A whole word is looked up instead in `ticket_words` (migration 0024: each ticket's
//! distinct words per kind of field, a B-tree keyed by (word, ticket, kind)), written in the
//! same statement as the field rows. As on SQLite, the word with the fewest entries chooses
//! the plan ([`plan_for`]): a rare word's tickets are read from it and sorted, a common
//! word's page walks the list's index in its order with one seek per ticket, and a page in
//! relevance order is then read level by level. Prefixes, phrases and patterns are matched
//! on the fields as before.

use helpdesk_core::domain::{Message, StableText, Ticket, Visibility};
use helpdesk_core::search::{SearchQuery, Term, TicketSearch, stem_keys_of};
use helpdesk_core::store::{Page, PageRequest, TicketOrder};
use helpdesk_core::{Error, Result};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
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
        "INSERT INTO search_fields (ticket_id, message_id, internal, folded, words, lexemes, stems) \
         SELECT ticket_id, message_id, internal, folded, string_to_array(words, ' '), \
         array_to_tsvector(string_to_array(lexemes, ' ')), string_to_array(stems, ' ') \
         FROM UNNEST($1::uuid[], $2::uuid[], $3::boolean[], $4::text[], $5::text[], $6::text[], \
         $7::text[]) AS f(ticket_id, message_id, internal, folded, words, lexemes, stems) \
         ORDER BY ticket_id"
    };
}

/// `insert` (an [`insert_fields!`] with its conflict clause) and, in the same statement, the
/// `ticket_words` rows of the fields it wrote (migration 0024): each distinct word and stem key
/// (migration 0028) of at most [`MAX_WORD_BYTES`] bytes, once per ticket and kind of field.
macro_rules! with_words {
    ($insert:expr) => {
        concat!(
            "WITH f AS (",
            $insert,
            " RETURNING ticket_id, message_id, internal, words, stems) \
             INSERT INTO ticket_words (word, ticket, kind) \
             SELECT DISTINCT w.word, f.ticket_id, \
             CASE WHEN f.message_id IS NULL THEN 0 WHEN f.internal THEN 2 ELSE 1 END \
             FROM f, unnest(f.words || f.stems) AS w(word) WHERE octet_length(w.word) <= 1000 \
             ON CONFLICT DO NOTHING"
        )
    };
}

/// The longest word `ticket_words` holds, in bytes (as in `with_words!` and migration 0024).
const MAX_WORD_BYTES: usize = 1000;

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
    stems: Vec<String>,
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

    /// Adds the row of `text`, a subject (`message` `None`) or a message body.
    pub(crate) fn push(&mut self, ticket: Uuid, message: Option<Uuid>, internal: bool, text: &str) {
        let text = SearchText::of(text);
        self.ticket_id.push(ticket);
        self.message_id.push(message);
        self.internal.push(internal);
        self.folded.push(text.folded);
        self.words.push(text.words);
        self.lexemes.push(text.lexemes);
        self.stems.push(text.stems);
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.ticket_id.is_empty()
    }

    /// Inserts them all.
    pub(crate) const INSERT: &str = with_words!(insert_fields!());

    /// Inserts them all, replacing the subject rows of their tickets (subject rows only).
    /// The subjects' old words must have left `ticket_words` before
    /// ([`Self::FORGET_SUBJECTS`]).
    pub(crate) const UPSERT_SUBJECTS: &str = with_words!(concat!(
        insert_fields!(),
        " ON CONFLICT (ticket_id) WHERE message_id IS NULL DO UPDATE \
         SET folded = EXCLUDED.folded, words = EXCLUDED.words, lexemes = EXCLUDED.lexemes, \
         stems = EXCLUDED.stems"
    ));

    /// Removes from `ticket_words` the words of the stored subjects of the tickets `$1`
    /// (before [`Self::UPSERT_SUBJECTS`] writes their new subjects' words).
    pub(crate) const FORGET_SUBJECTS: &str = "DELETE FROM ticket_words w USING search_fields f \
         WHERE f.ticket_id = ANY($1) AND f.message_id IS NULL \
         AND w.word = ANY(f.words || coalesce(f.stems, '{}')) AND w.ticket = f.ticket_id \
         AND w.kind = 0";

    /// Inserts those not there yet (the backfill).
    const INSERT_MISSING: &str = with_words!(concat!(insert_fields!(), " ON CONFLICT DO NOTHING"));

    /// Binds them for [`Self::INSERT`] or [`Self::UPSERT_SUBJECTS`].
    pub(crate) fn bind(self, query: PgQuery<'_>) -> PgQuery<'_> {
        query
            .bind(self.ticket_id)
            .bind(self.message_id)
            .bind(self.internal)
            .bind(self.folded)
            .bind(self.words)
            .bind(self.lexemes)
            .bind(self.stems)
    }
}

/// How the word that decides a page's plan is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plan {
    /// The ticket list is read in its order, each ticket probed: one seek of
    /// `ticket_words` per ticket. For words in many tickets: a page is found after a few
    /// probes.
    Probe,
    /// The word's tickets are read from `ticket_words`, looked up by id and sorted. For
    /// rare words: few rows to sort, while probing would read most of the list.
    Drive,
}

/// Probing costs about this many times a look-up by id.
const PROBE_COST: u64 = 4;

/// The newest tickets (by id, time-ordered) among which a word's entries are counted.
const WINDOW: u64 = 2048;

/// The plan for a word in `entries` entries of `ticket_words` (about as many tickets), for
/// a page of `limit + 1` rows among about `tickets` tickets: probing reads about
/// `(limit + 1) * tickets / entries` tickets of the list, driving looks up `entries`
/// tickets (as on SQLite).
pub(crate) fn plan_for(entries: u64, tickets: u64, limit: u32) -> Plan {
    let walk = PROBE_COST
        .saturating_mul(u64::from(limit) + 1)
        .saturating_mul(tickets);
    if entries.saturating_mul(entries) > walk {
        Plan::Probe
    } else {
        Plan::Drive
    }
}

/// The word of `term` when it is looked up in `ticket_words` (migration 0024): a whole
/// word (not a prefix) that can match and is short enough to be held there.
fn indexed_word(term: &Term) -> Option<&str> {
    match term {
        Term::Word {
            word,
            prefix: false,
        } if term.can_match() && word.len() <= MAX_WORD_BYTES => Some(word),
        _ => None,
    }
}

/// What a seek of `ticket_words` for the indexed word `word` of `term` compares `w.word`
/// with: `= $n` the word, or `= ANY($n)` its stem keys (migration 0028) when it has any (a
/// field holding the word holds its keys, so they find it and its other forms).
fn push_held(q: &mut QueryBuilder<Postgres>, term: &Term, word: &str) {
    let keys = term.stem_keys();
    if keys.is_empty() {
        q.push("w.word = ").push_bind(word.to_owned());
    } else {
        q.push("w.word = ANY(").push_bind(keys).push(")");
    }
}

/// A page of a ticket search, read on one connection: the plan chosen from the frequency of
/// the search's rarest word ([`driving_word`]), then the page. A probing page in relevance
/// order is read level by level ([`by_levels`]). `forced` replaces the chosen plan (tests).
pub(crate) async fn search(
    pool: &PgPool,
    search: &TicketSearch,
    page: &PageRequest,
    forced: Option<Plan>,
) -> Result<Page<Ticket>> {
    let mut conn = pool.acquire().await.map_err(error::db)?;
    let drive = match forced {
        Some(Plan::Probe) => None,
        Some(Plan::Drive) => search.query.include.iter().find_map(indexed_word),
        None => driving_word(&mut conn, search, page.limit()).await?,
    };
    if page.order() == TicketOrder::Relevance && drive.is_none() && !search.query.include.is_empty()
    {
        return by_levels(&mut conn, search, page).await;
    }
    let rows = query::fetch_rows(&mut *conn, search_query(search, page, drive), true).await?;
    Ok(page.into_page_scored(rows))
}

/// The included word whose tickets drive the page ([`Plan::Drive`]), or `None` when the
/// list is read in its order and probed: the word with the fewest entries, if [`plan_for`]
/// says it is rare enough. A word is counted among the newest [`WINDOW`] tickets (ticket ids
/// are time-ordered) no further than the count that makes it common there, and scaled to
/// all tickets (about `pg_class.reltuples`): a few dozen index entries whatever the desk's
/// size. The newest tickets are those a probing page reads first.
async fn driving_word<'s>(
    conn: &mut PgConnection,
    search: &'s TicketSearch,
    limit: u32,
) -> Result<Option<&'s str>> {
    let words: Vec<(&Term, &str)> = search
        .query
        .include
        .iter()
        .filter_map(|t| indexed_word(t).map(|w| (t, w)))
        .collect();
    if words.is_empty() {
        return Ok(None);
    }
    let window_i = i64::try_from(WINDOW).unwrap_or(i64::MAX);
    let tickets: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN c.reltuples >= $1 THEN c.reltuples::bigint \
         ELSE (SELECT count(*) FROM (SELECT 1 FROM tickets LIMIT $1) x) END \
         FROM pg_class c WHERE c.oid = 'tickets'::regclass",
    )
    .bind(window_i)
    .fetch_one(&mut *conn)
    .await
    .map_err(error::db)?;
    let tickets = u64::try_from(tickets).unwrap_or(0);
    let window = WINDOW.min(tickets);
    let walk = PROBE_COST
        .saturating_mul(u64::from(limit) + 1)
        .saturating_mul(tickets);
    let point = walk.isqrt().saturating_add(1);
    // The count in the window from which the estimate reaches the probe point.
    let cap = point.saturating_mul(window).div_ceil(tickets.max(1)) + 1;
    let mut rarest: Option<(u64, &str)> = None;
    for (term, word) in words {
        // A word found by its stem keys (migration 0028) is in about as many entries as they
        // are together, and never fewer than the word itself.
        let mut counted = vec![word.to_owned()];
        counted.extend(term.stem_keys());
        let (mut exact, mut keys) = (0_i64, 0_i64);
        for (i, w) in counted.iter().enumerate() {
            let here: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM (SELECT 1 FROM ticket_words w WHERE w.word = $1 \
                 AND w.ticket >= COALESCE((SELECT id FROM tickets ORDER BY id DESC OFFSET $2 \
                 LIMIT 1), '00000000-0000-0000-0000-000000000000'::uuid) LIMIT $3) x",
            )
            .bind(w)
            .bind(i64::try_from(window.saturating_sub(1)).unwrap_or(i64::MAX))
            .bind(i64::try_from(cap).unwrap_or(i64::MAX))
            .fetch_one(&mut *conn)
            .await
            .map_err(error::db)?;
            if i == 0 {
                exact = here;
            } else {
                keys = keys.saturating_add(here);
            }
        }
        let n = exact.max(keys);
        let n = u64::try_from(n).unwrap_or(0).saturating_mul(tickets) / window.max(1);
        if rarest.is_none_or(|(least, _)| n < least) {
            rarest = Some((n, word));
        }
    }
    Ok(rarest
        .filter(|(n, _)| plan_for(*n, tickets, limit) == Plan::Drive)
        .map(|(_, word)| word))
}

/// A page in relevance order read level by level, for words common enough to probe (as on
/// SQLite): the tickets scoring the most first, each level read in last-update order
/// through the list's index with every ticket probed, then the next level, until the page
/// is full; no level is sorted. A page after a cursor starts at the cursor's level, after
/// its ticket. A level few tickets reach is read to the end of the list.
async fn by_levels(
    conn: &mut PgConnection,
    search: &TicketSearch,
    page: &PageRequest,
) -> Result<Page<Ticket>> {
    let terms = u32::try_from(search.query.include.len()).unwrap_or(u32::MAX);
    let top = page.cursor().map_or(terms, |c| c.score().min(terms));
    let want = page.limit() as usize + 1;
    let mut rows: Vec<(Ticket, u32)> = Vec::with_capacity(want);
    for level in (0..=top).rev() {
        let left = want - rows.len();
        let found =
            query::fetch_rows(&mut *conn, level_query(search, page, level, left), true).await?;
        rows.extend(found.into_iter().take(left));
        if rows.len() == want {
            break;
        }
    }
    Ok(page.into_page_scored(rows))
}

/// The query of up to `left` (or one more) tickets of `page` scoring `level`, in last-update
/// order, after the page's cursor when it is on that level (see [`by_levels`]).
fn level_query(
    search: &TicketSearch,
    page: &PageRequest,
    level: u32,
    left: usize,
) -> QueryBuilder<Postgres> {
    let mut q = QueryBuilder::new("");
    push_level_query(&mut q, search, page, level, left);
    q
}

/// Appends [`level_query`]'s SQL and parameters to `q` (after an `EXPLAIN`, in tests).
fn push_level_query(
    q: &mut QueryBuilder<Postgres>,
    search: &TicketSearch,
    page: &PageRequest,
    level: u32,
    left: usize,
) {
    q.push(concat!("SELECT ", ticket_columns!(), ", "));
    q.push_bind(i32::try_from(level).unwrap_or(i32::MAX))
        .push("::integer AS score FROM tickets t WHERE TRUE");
    push_filter(q, &search.filter);
    push_terms(q, search, None);
    q.push(" AND ");
    push_score(q, search);
    q.push(" = ")
        .push_bind(i32::try_from(level).unwrap_or(i32::MAX));
    let level_page = PageRequest::first(
        TicketOrder::LastUpdate,
        u32::try_from(left).unwrap_or(u32::MAX),
    );
    if let Some(cursor) = page.cursor().filter(|c| c.score() == level) {
        q.push(" AND (t.updated_at, t.id) < (")
            .push_bind(cursor.updated_at())
            .push(", ")
            .push_bind(cursor.id().as_uuid())
            .push(")");
    }
    push_page(q, &level_page, false);
}

/// The query for a page of a search: [`list_query`](query::list_query) with the conditions
/// of the search's terms ([`TicketSearch::matches`]) added to the filter's, and each
/// ticket's relevance ([`TicketSearch::score`]) as the column `score`; `drive` (one of the
/// search's indexed words) names the tickets to read, or with `None` every ticket of the
/// list is probed in its order.
///
/// In the relevance order the score is also sorted on and compared with the cursor, so it is
/// computed once per ticket in a `LATERAL` subquery (`OFFSET 0` keeps it from being inlined
/// and evaluated again in each place). In the other orders it is only read, as an expression
/// of the select list, which PostgreSQL can leave until after the sort and limit.
pub(crate) fn search_query(
    search: &TicketSearch,
    page: &PageRequest,
    drive: Option<&str>,
) -> QueryBuilder<Postgres> {
    let mut q = QueryBuilder::new("");
    push_search_query(&mut q, search, page, drive);
    q
}

/// Appends [`search_query`]'s SQL and parameters to `q` (after an `EXPLAIN`, in tests).
fn push_search_query(
    q: &mut QueryBuilder<Postgres>,
    search: &TicketSearch,
    page: &PageRequest,
    drive: Option<&str>,
) {
    q.push(concat!("SELECT ", ticket_columns!(), ", "));
    let relevance = page.order() == TicketOrder::Relevance;
    if relevance {
        q.push("s.score FROM tickets t CROSS JOIN LATERAL (SELECT ");
        push_score(q, search);
        q.push(" AS score OFFSET 0) s WHERE TRUE");
    } else {
        push_score(q, search);
        q.push(" AS score FROM tickets t WHERE TRUE");
    }
    push_filter(q, &search.filter);
    push_terms(q, search, drive);
    push_page(q, page, relevance);
}

/// Adds the conditions of `search`'s terms on the ticket `t`: each included term matches a
/// field of it, no excluded term matches any (internal notes only with `include_internal`).
/// A word held in `ticket_words` is one seek of it per ticket, written as a scalar subquery
/// so that it stays a probe of each ticket of the list in its order (an `EXISTS` would be
/// made a join over all the word's tickets); the word `drive` instead names the tickets,
/// read by id. Other terms are matched on the ticket's fields.
fn push_terms(q: &mut QueryBuilder<Postgres>, search: &TicketSearch, drive: Option<&str>) {
    let fields = if search.include_internal {
        "SELECT 1 FROM search_fields f WHERE f.ticket_id = t.id"
    } else {
        "SELECT 1 FROM search_fields f WHERE f.ticket_id = t.id AND NOT f.internal"
    };
    let kinds = if search.include_internal {
        ""
    } else {
        " AND w.kind < 2"
    };
    let mut driven = false;
    let terms = (search.query.include.iter().map(|t| (t, true)))
        .chain(search.query.exclude.iter().map(|t| (t, false)));
    for (term, include) in terms {
        match indexed_word(term) {
            Some(word) if include && !driven && drive == Some(word) => {
                driven = true;
                q.push(" AND t.id = ANY(ARRAY(SELECT w.ticket FROM ticket_words w WHERE ");
                push_held(q, term, word);
                q.push(kinds).push("))");
            }
            Some(word) => {
                q.push(" AND (SELECT TRUE FROM ticket_words w WHERE ");
                push_held(q, term, word);
                q.push(" AND w.ticket = t.id").push(kinds).push(" LIMIT 1)");
                q.push(if include { " IS TRUE" } else { " IS NULL" });
            }
            None => {
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
    }
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
        if let Some(word) = indexed_word(term) {
            // A scalar subquery, not `EXISTS`: one seek per ticket scored, never a hash of
            // all the subjects holding the word.
            q.push(" + CASE WHEN (SELECT TRUE FROM ticket_words w WHERE w.word = ")
                .push_bind(word.to_owned())
                .push(" AND w.ticket = t.id AND w.kind = 0 LIMIT 1) THEN 1 ELSE 0 END");
            continue;
        }
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

/// Computes the stem keys (migration 0028) of the fields written before it, in batches,
/// and adds them to `ticket_words`. Cheap when there is none (a partial index holds exactly
/// those fields); safe to run concurrently (a batch skips the rows another one holds).
pub(crate) async fn backfill_stems(pool: &PgPool) -> Result<()> {
    loop {
        let mut tx = pool.begin().await.map_err(error::db)?;
        let fields: Vec<(i64, Vec<String>)> = sqlx::query_as(
            "SELECT id, words FROM search_fields WHERE stems IS NULL \
             ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
        )
        .bind(BACKFILL_BATCH)
        .fetch_all(&mut *tx)
        .await
        .map_err(error::db)?;
        if fields.is_empty() {
            return tx.commit().await.map_err(error::db);
        }
        let ids: Vec<i64> = fields.iter().map(|(id, _)| *id).collect();
        let stems: Vec<String> = fields
            .iter()
            .map(|(_, words)| stem_keys_of(words).join(" "))
            .collect();
        sqlx::query(
            "WITH f AS (UPDATE search_fields f SET stems = string_to_array(s.stems, ' ') \
             FROM UNNEST($1::bigint[], $2::text[]) AS s(id, stems) WHERE f.id = s.id \
             RETURNING f.ticket_id, f.message_id, f.internal, f.stems) \
             INSERT INTO ticket_words (word, ticket, kind) \
             SELECT DISTINCT w.word, f.ticket_id, \
             CASE WHEN f.message_id IS NULL THEN 0 WHEN f.internal THEN 2 ELSE 1 END \
             FROM f, unnest(f.stems) AS w(word) WHERE octet_length(w.word) <= 1000 \
             ON CONFLICT DO NOTHING",
        )
        .bind(&ids)
        .bind(&stems)
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
        let sql = search_query(&search, &page, None).into_string();
        assert!(!sql.contains("router") && !sql.contains("x'y"), "{sql}");
        // The word's score from `ticket_words`, the phrase's and the pattern's from fields.
        assert_eq!(sql.matches("f.message_id IS NULL").count(), 2, "{sql}");
        assert_eq!(sql.matches("w.kind = 0").count(), 1, "{sql}");
        assert!(sql.contains("CROSS JOIN LATERAL"), "{sql}");
        assert!(sql.contains("s.score < $"), "{sql}");
        assert!(
            sql.contains("ORDER BY s.score DESC, t.updated_at DESC, t.id DESC LIMIT $"),
            "{sql}"
        );
        // Outside the relevance order, no join: the score is only read.
        let sql = search_query(
            &search,
            &PageRequest::first(TicketOrder::Priority, 10),
            None,
        )
        .into_string();
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

    /// The plans of a search on a real server (as SQLite's plan tests): a common word walks
    /// the list's index in its order with one `ticket_words` seek per ticket (no sort, no
    /// scan of a table), at every level of the relevance order too; a rare word reads its
    /// tickets from `ticket_words` and looks them up by id.
    mod plans {
        use helpdesk_core::domain::{CustomerId, DepartmentId, Subject, Visibility};
        use helpdesk_core::store::{Store, TicketFilter, TicketWrite, WriteBatch};
        use helpdesk_core::testkit::samples;

        use super::*;
        use crate::connection::PostgresStore;
        use crate::testing;

        /// The plan of the query `push` appends.
        async fn plan_of(
            store: &PostgresStore,
            push: impl FnOnce(&mut QueryBuilder<Postgres>),
        ) -> String {
            let mut q = QueryBuilder::new("EXPLAIN ");
            push(&mut q);
            testing::plan(store, q.build()).await
        }

        fn search_of(q: &str, department: Option<DepartmentId>) -> TicketSearch {
            TicketSearch {
                query: SearchQuery::parse(q).unwrap(),
                filter: TicketFilter {
                    departments: department.map(|d| vec![d]),
                    ..TicketFilter::default()
                },
                include_internal: false,
            }
        }

        #[tokio::test]
        async fn a_common_word_probes_the_list_in_order_and_a_rare_word_drives() {
            let Some(store) = testing::fresh_store().await else {
                return;
            };
            let department = DepartmentId::new();
            let writes: Vec<TicketWrite> = (0..4000_u64)
                .map(|i| {
                    let mut t =
                        samples::ticket(samples::number(i + 1), department, CustomerId::new());
                    let word = if i % 2 == 0 { "router" } else { "printer" };
                    t.subject = Subject::parse(format!("ticket {i} {word}")).unwrap();
                    let body = if i % 1000 == 7 {
                        "a rare modem"
                    } else {
                        "hello there"
                    };
                    let m = samples::message(&t, body, Visibility::Public);
                    TicketWrite::create(t).with_message(m)
                })
                .collect();
            for chunk in writes.chunks(500) {
                store.commit(WriteBatch::of(chunk.to_vec())).await.unwrap();
            }
            for sql in ["ANALYZE tickets", "ANALYZE ticket_words"] {
                sqlx::query(sql).execute(store.pool()).await.unwrap();
            }
            let mut conn = store.pool().acquire().await.unwrap();
            let first = PageRequest::first(TicketOrder::LastUpdate, 50);

            for department in [None, Some(department)] {
                let common = search_of("router", department);
                assert_eq!(driving_word(&mut conn, &common, 50).await.unwrap(), None);
                let plan = plan_of(&store, |q| push_search_query(q, &common, &first, None)).await;
                let walk = |plan: &str| {
                    // The department's index, or the list's (all of it the department).
                    plan.contains("Index Scan using tickets_department_updated_idx on tickets t")
                        || plan.contains("Index Scan using tickets_updated_idx on tickets t")
                };
                println!("{plan}\n");
                assert!(walk(&plan), "{plan}");
                // Every seek is of the ticket (the score's too), none reads all the word's.
                assert!(!plan.contains("Bitmap Heap Scan on ticket_words"), "{plan}");
                assert!(
                    plan.contains("using ticket_words_pkey on ticket_words w"),
                    "{plan}"
                );
                assert!(
                    !plan.contains("Sort") && !plan.contains("Seq Scan"),
                    "{plan}"
                );

                // Each level of the relevance order is the same walk.
                let plan = plan_of(&store, |q| push_level_query(q, &common, &first, 1, 50)).await;
                println!("{plan}\n");
                assert!(walk(&plan), "{plan}");
                assert!(
                    !plan.contains("Sort") && !plan.contains("Seq Scan"),
                    "{plan}"
                );

                let rare = search_of("modem", department);
                assert_eq!(
                    driving_word(&mut conn, &rare, 50).await.unwrap(),
                    Some("modem")
                );
                let plan = plan_of(&store, |q| {
                    push_search_query(q, &rare, &first, Some("modem"))
                })
                .await;
                println!("{plan}\n");
                assert!(plan.contains("using tickets_pkey on tickets t"), "{plan}");
                assert!(plan.contains("on ticket_words_pkey"), "{plan}");
                assert!(!plan.contains("Seq Scan"), "{plan}");
            }
            drop(conn);
            testing::discard(store).await.unwrap();
        }
    }
}

/// The conformance suite on stores whose searches all probe (the plan of common words in a
/// large desk, which the suite's small databases never choose by themselves), relevance
/// order read by levels.
#[cfg(test)]
mod probing {
    use std::sync::Arc;

    use helpdesk_core::store::Store;

    use crate::testing;

    async fn make_store() -> Option<Arc<dyn Store>> {
        Some(Arc::new(testing::fresh_store().await?.probing()))
    }

    helpdesk_core::conformance_suite!(make_store);
}
