//! Ticket search: the index of migration 0003 and the query over it.
//!
//! The index is one `search_fields` row per ticket subject and per message body, folded in
//! Rust, and the FTS5 table `search_index` over their words (kept in step by triggers). It is
//! written in the commit's transaction; tickets from before 0003 are indexed when the store
//! opens (the backfill in `schema.rs`).
//!
//! Queries are built only from parsed, folded [`Term`]s: a word is letters and digits, so the
//! FTS5 expression is made of quoted strings (`"w"`, `"w"*`, `"w1 w2"`) and always bound as a
//! parameter, never spliced into SQL. The same [`Matcher`] serves the knowledge base.

use helpdesk_core::domain::{Message, Ticket, Visibility};
use helpdesk_core::error::Error;
use helpdesk_core::search::{SearchField, Term, TicketSearch};
use helpdesk_core::store::{Page, PageRequest, TicketOrder};
use rusqlite::types::Value;
use rusqlite::{Connection, Transaction};

use crate::error::Outcome;
use crate::query::{Conditions, Params, Query, page_from};
use crate::rows::ticket::read_ranked_ticket;
use crate::rows::{blob, micros};

/// One searchable field, folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldRow {
    /// An internal note (searched for staff only).
    pub(crate) internal: bool,
    /// `words(text).join(" ")`: the FTS5 column.
    pub(crate) words: String,
    /// `fold(text)`: what `%` patterns match.
    pub(crate) folded: String,
    /// The stem keys of the words, joined by spaces (migration 0028): in `ticket_words`
    /// beside the words, not in the full-text index.
    pub(crate) stems: String,
}

impl FieldRow {
    /// The field for `text`.
    pub(crate) fn new(text: &str, internal: bool) -> Self {
        let field = SearchField::new(text);
        Self {
            internal,
            words: field.words.join(" "),
            folded: field.folded,
            stems: field.stems.join(" "),
        }
    }

    /// The field of a message's body.
    pub(crate) fn message(m: &Message) -> Self {
        Self::new(m.body.as_str(), m.visibility != Visibility::Public)
    }
}

/// Indexes `row` as the changed subject of the stored ticket `ticket_id`: replaces its
/// subject row, or inserts one if it has none.
pub(crate) fn replace_subject(
    tx: &Transaction<'_>,
    ticket_id: &[u8],
    row: &FieldRow,
) -> rusqlite::Result<()> {
    let changed = tx
        .prepare_cached(
            "UPDATE search_fields SET words = ?2, folded = ?3, stems = ?4
             WHERE ticket_id = ?1 AND message_seq IS NULL",
        )?
        .execute((ticket_id, &row.words, &row.folded, &row.stems))?;
    if changed == 0 {
        insert(tx, ticket_id, None, row)?;
    }
    Ok(())
}

/// Bits of a field's rowid below its ticket's rowid (migration 0017).
pub(crate) const TICKET_SHIFT: u32 = 24;
/// The last rowid of a ticket's range, less its first.
const FIELD_MASK: i64 = (1 << TICKET_SHIFT) - 1;

/// The rowid of the field of ticket `ticket_rowid` at `ordinal` (0: the subject), an
/// internal note or not; `None` past the index's limits (migration 0017).
pub(crate) fn field_seq(ticket_rowid: i64, ordinal: i64, internal: bool) -> Option<i64> {
    let ordinal_limit = 1_i64 << (TICKET_SHIFT - 1);
    if !(0..1_i64 << (63 - TICKET_SHIFT)).contains(&ticket_rowid)
        || !(0..ordinal_limit).contains(&ordinal)
    {
        return None;
    }
    Some((ticket_rowid << TICKET_SHIFT) | (ordinal << 1) | i64::from(internal))
}

/// Inserts the field row of a message, or of the subject when `message_seq` is `None`. Its
/// rowid is in the ticket's range (migration 0017): the first for the subject, the one after
/// the ticket's last field for a message. A ticket past the index's limits is refused with
/// `SQLITE_FULL` and nothing written.
pub(crate) fn insert(
    conn: &Connection,
    ticket_id: &[u8],
    message_seq: Option<i64>,
    row: &FieldRow,
) -> rusqlite::Result<()> {
    let ticket_rowid: i64 = conn
        .prepare_cached("SELECT rowid FROM tickets WHERE id = ?1")?
        .query_row([ticket_id], |r| r.get(0))?;
    let ordinal = match message_seq {
        None => 0,
        Some(_) => {
            let first = ticket_rowid.checked_shl(TICKET_SHIFT).unwrap_or(-1);
            let last: Option<i64> = conn
                .prepare_cached("SELECT max(seq) FROM search_fields WHERE seq BETWEEN ?1 AND ?2")?
                .query_row((first, first.saturating_add(FIELD_MASK)), |r| r.get(0))?;
            last.map_or(1, |seq| ((seq & FIELD_MASK) >> 1) + 1)
        }
    };
    let seq = field_seq(ticket_rowid, ordinal, row.internal).ok_or_else(|| {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            Some("the ticket's search index range is full".into()),
        )
    })?;
    conn.prepare_cached(
        "INSERT INTO search_fields (seq, ticket_id, message_seq, internal, words, folded, stems)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute((
        seq,
        ticket_id,
        message_seq,
        row.internal,
        &row.words,
        &row.folded,
        &row.stems,
    ))?;
    Ok(())
}

/// How a full-text term is matched in a page's query, chosen from how many fields hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plan {
    /// The ticket list is read in its order, each ticket probed: one look-up of the term over
    /// the ticket's range of the index. For terms in many tickets: a page is found after a
    /// few probes.
    Probe,
    /// The term's tickets are read from the index (`rowid >> 24`, no join), looked up by
    /// rowid and sorted. For rare terms: few rows to sort, while probing would read most of
    /// the list.
    Drive,
}

/// The count of entries from which [`plan_for`] probes: one past the square root of its
/// walk.
fn probe_point(tickets: u64, limit: u32) -> u64 {
    let walk = PROBE_COST
        .saturating_mul(u64::from(limit) + 1)
        .saturating_mul(tickets);
    walk.isqrt().saturating_add(1)
}

/// Probing costs about this many times a look-up by rowid.
const PROBE_COST: u64 = 4;

/// The plan for a term in `fields` entries of `ticket_words` (about as many tickets), for a
/// page of `limit + 1` rows among about `tickets` tickets: probing reads about
/// `(limit + 1) * tickets / fields` tickets of the list, driving looks up `fields` tickets.
pub(crate) fn plan_for(fields: u64, tickets: u64, limit: u32) -> Plan {
    let walk = PROBE_COST
        .saturating_mul(u64::from(limit) + 1)
        .saturating_mul(tickets);
    if fields.saturating_mul(fields) > walk {
        Plan::Probe
    } else {
        Plan::Drive
    }
}

/// The newest tickets (by rowid) whose words [`entries_holding`] counts for a word.
const WINDOW: u64 = 2048;

/// About how many entries of `ticket_words` (a ticket per kind of field) hold `term` among
/// about `tickets` tickets, counted far enough to tell [`plan_for`]'s answer for a page of
/// `limit`. A word (or a phrase: its rarest word) is counted among the newest [`WINDOW`]
/// tickets and scaled to all of them, no further than the count that makes it common
/// there: one short range of the B-tree, a few dozen steps whatever the desk's size
/// (counting the whole range to the probe point took ~10,000 steps at 1,000,000 tickets).
/// The newest tickets are also those a probing page reads first, so a word common in them
/// probes, however rare it was before. A prefix is counted over all tickets (up to the
/// probe point); a pattern counts as common.
fn entries_holding(
    conn: &Connection,
    term: &Term,
    tickets: u64,
    limit: u32,
) -> rusqlite::Result<u64> {
    let window = WINDOW.min(tickets);
    let point = probe_point(tickets, limit);
    // The count in the window from which the estimate reaches the probe point.
    let cap = point.saturating_mul(window).div_ceil(tickets.max(1)) + 1;
    let above = i64::try_from(tickets - window).unwrap_or(i64::MAX);
    let read = |n: i64| u64::try_from(n).unwrap_or(0);
    let limit_of = |cap: u64| i64::try_from(cap).unwrap_or(i64::MAX);
    let in_window = |word: &str| -> rusqlite::Result<u64> {
        const WORD: &str = "SELECT count(*) FROM (SELECT 1 FROM ticket_words \
             WHERE word = ?1 AND ticket > ?3 LIMIT ?2)";
        let n: i64 = conn
            .prepare_cached(WORD)?
            .query_row((word, limit_of(cap), above), |r| r.get(0))?;
        Ok(read(n))
    };
    let scaled = |n: u64| n.saturating_mul(tickets) / window.max(1);
    match term {
        Term::Word {
            word,
            prefix: false,
        } => {
            // A word found by its stem keys (migration 0028) is in about as many entries as
            // they are together, and never fewer than the word itself.
            let mut n = in_window(word)?;
            let mut keys = 0_u64;
            for k in &term.stem_keys() {
                keys = keys.saturating_add(in_window(k)?);
            }
            n = n.max(keys);
            Ok(scaled(n))
        }
        Term::Word { word, prefix: true } => {
            const PREFIX: &str = "SELECT count(*) FROM (SELECT 1 FROM ticket_words \
                 WHERE word >= ?1 AND word < ?1 || char(1114111) LIMIT ?2)";
            let n: i64 = conn
                .prepare_cached(PREFIX)?
                .query_row((word, limit_of(point)), |r| r.get(0))?;
            Ok(read(n))
        }
        Term::Phrase { words } => {
            let mut least = u64::MAX;
            for w in words {
                least = least.min(in_window(w)?);
            }
            Ok(scaled(least))
        }
        Term::Pattern { .. } => Ok(u64::MAX),
    }
}

/// About how many tickets there are: the largest rowid (one index step).
fn tickets_about(conn: &Connection) -> rusqlite::Result<u64> {
    let n: Option<i64> = conn
        .prepare_cached("SELECT max(rowid) FROM tickets")?
        .query_row([], |r| r.get(0))?;
    Ok(n.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

/// SQL of "the ticket `t` has a field matching the FTS5 expression `p`": one probe of the
/// ticket's range of the index (fields customers may see only: even rowids).
fn probe(p: &str, include_internal: bool) -> String {
    let visible = if include_internal {
        ""
    } else {
        " AND (s.rowid & 1) = 0"
    };
    format!(
        "EXISTS (SELECT 1 FROM search_index s WHERE search_index MATCH {p} \
         AND s.rowid BETWEEN (t.rowid << {TICKET_SHIFT}) \
         AND (t.rowid << {TICKET_SHIFT}) + {FIELD_MASK}{visible})"
    )
}

/// SQL of "the ticket `t` holds a word `held`" in `ticket_words` (migration 0017): one seek
/// per word. `held` is `= ?n` or `IN (?n, ...)` (the stem keys of a word, migration 0028);
/// `kinds` limits the kinds of field (`< 2`: those customers may see, `= 0`: the subject).
fn word_probe(held: &str, kinds: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM ticket_words w WHERE w.word {held} AND w.ticket = t.rowid{kinds})"
    )
}

/// The kinds of field a search looks at, as a condition on `kind` (see [`word_probe`]).
fn kinds(include_internal: bool) -> &'static str {
    if include_internal {
        ""
    } else {
        " AND w.kind < 2"
    }
}

/// The SQL pieces of one term, its values bound with `bind`.
struct TermSql {
    /// "The ticket `t` matches the term", its cheapest conditions first.
    matches: Vec<String>,
    /// SQL of a FROM clause reading the term's tickets `t` from the index (for a driving
    /// term), in rowid order; `None` for a LIKE pattern.
    drive: Option<String>,
    /// "The ticket `t`'s subject matches the term" (1 or 0).
    subject: String,
}

/// The SQL of `term` (which [`Matcher::new`] does not make [`Matcher::Nothing`]).
fn term_sql(term: &Term, include_internal: bool, bind: &mut dyn FnMut(Value) -> String) -> TermSql {
    let fts_visible = if include_internal {
        ""
    } else {
        " AND (s.rowid & 1) = 0"
    };
    let from_fts = |p: &str| {
        format!(
            "(SELECT DISTINCT s.rowid >> {TICKET_SHIFT} AS k FROM search_index s \
             WHERE search_index MATCH {p}{fts_visible}) m\n\
             CROSS JOIN tickets t ON t.rowid = m.k"
        )
    };
    let subject_fts = |p: &str| {
        format!(
            "EXISTS (SELECT 1 FROM search_index si WHERE search_index MATCH {p} \
             AND si.rowid = t.rowid << {TICKET_SHIFT})"
        )
    };
    match (term, Matcher::new(term)) {
        (
            Term::Word {
                word,
                prefix: false,
            },
            Matcher::FullText(_),
        ) => {
            // A word with stem keys is found by them (a field holding the word holds its
            // keys, migration 0028); its subject scores only as the word itself.
            let p = bind(Value::Text(word.clone()));
            let keys = term.stem_keys();
            let held = if keys.is_empty() {
                format!("= {p}")
            } else {
                let ks: Vec<String> = keys.into_iter().map(|k| bind(Value::Text(k))).collect();
                format!("IN ({})", ks.join(", "))
            };
            let kinds = kinds(include_internal);
            TermSql {
                matches: vec![word_probe(&held, kinds)],
                drive: Some(format!(
                    "(SELECT DISTINCT w.ticket AS k FROM ticket_words w \
                     WHERE w.word {held}{kinds}) m\n\
                     CROSS JOIN tickets t ON t.rowid = m.k"
                )),
                subject: word_probe(&format!("= {p}"), " AND w.kind = 0"),
            }
        }
        (Term::Phrase { words }, Matcher::FullText(expr)) => {
            // Each word is a cheap necessary condition; the phrase is then checked in order.
            let ws: Vec<String> = words.iter().map(|w| bind(Value::Text(w.clone()))).collect();
            let p = bind(Value::Text(expr));
            let kinds = kinds(include_internal);
            let mut matches: Vec<String> = ws
                .iter()
                .map(|w| word_probe(&format!("= {w}"), kinds))
                .collect();
            matches.push(probe(&p, include_internal));
            let mut subject: Vec<String> = ws
                .iter()
                .map(|w| word_probe(&format!("= {w}"), " AND w.kind = 0"))
                .collect();
            subject.push(subject_fts(&p));
            TermSql {
                matches,
                drive: Some(from_fts(&p)),
                subject: format!("({})", subject.join(" AND ")),
            }
        }
        (_, Matcher::FullText(expr)) => {
            let p = bind(Value::Text(expr));
            TermSql {
                matches: vec![probe(&p, include_internal)],
                drive: Some(from_fts(&p)),
                subject: subject_fts(&p),
            }
        }
        (_, Matcher::Like(pattern)) => {
            let p = bind(Value::Text(pattern));
            let visible = if include_internal {
                ""
            } else {
                " AND f.internal = 0"
            };
            TermSql {
                matches: vec![format!(
                    "t.id IN (SELECT f.ticket_id FROM search_fields f \
                     WHERE f.folded LIKE {p} ESCAPE '\\'{visible})"
                )],
                drive: None,
                subject: format!(
                    "EXISTS (SELECT 1 FROM search_fields sf \
                     WHERE sf.ticket_id = t.id AND sf.message_seq IS NULL \
                     AND sf.folded LIKE {p} ESCAPE '\\')"
                ),
            }
        }
        (_, Matcher::Nothing) => TermSql {
            matches: vec!["FALSE".into()],
            drive: None,
            subject: "0".into(),
        },
    }
}

/// The query for one page of the tickets `search` matches: for each included term, the ticket
/// has a field matching it; for each excluded term, it has none. A field is the subject or a
/// message, internal notes only with `include_internal`.
///
/// A word is looked up in `ticket_words` (one seek per ticket); a phrase there word by word,
/// then in the full-text index; a prefix in the full-text index; a `%` pattern is one LIKE
/// scan of the folded fields. The included word or phrase held by the fewest fields chooses
/// the plan ([`plan_for`]): if rare, its tickets drive the query (read from the index in
/// rowid order, joined by rowid, sorted); otherwise the list is read in its order and each
/// ticket probed.
///
/// The relevance score (`TicketSearch::score`: the number of included terms the ticket's
/// subject matches) is computed only for `Relevance` pages; other pages carry 0 and [`page`]
/// scores the one row their cursor needs. `forced` replaces the chosen plan (tests).
#[cfg(test)]
pub(crate) fn search_tickets(
    conn: &Connection,
    search: &TicketSearch,
    page: &PageRequest,
    forced: Option<Plan>,
) -> rusqlite::Result<Query> {
    let drive = driving_term(conn, search, page, forced)?;
    Ok(query(search, page, drive))
}

/// The query of [`search_tickets`], `drive` driving.
fn query(search: &TicketSearch, page: &PageRequest, drive: Option<&Term>) -> Query {
    let built = build(search, drive);
    let score = match page.order() {
        TicketOrder::Relevance if !built.score.is_empty() => Some(built.score_sql()),
        _ => None,
    };
    page_from(built.w, built.from.as_deref(), score, &search.filter, page)
}

/// The included term whose tickets drive the query ([`Plan::Drive`]), or `None` when the
/// list is read in its order and probed: the word or phrase held by the fewest fields, if
/// [`plan_for`] says it is rare enough (`forced` decides instead, in tests).
fn driving_term<'s>(
    conn: &Connection,
    search: &'s TicketSearch,
    page: &PageRequest,
    forced: Option<Plan>,
) -> rusqlite::Result<Option<&'s Term>> {
    let full_text: Vec<&Term> = (search.query.include.iter())
        .filter(|t| matches!(Matcher::new(t), Matcher::FullText(_)))
        .collect();
    Ok(match forced {
        Some(Plan::Drive) => full_text.first().copied(),
        Some(Plan::Probe) => None,
        None if full_text.is_empty() => None,
        None => {
            let tickets = tickets_about(conn)?;
            let mut rarest: Option<(u64, &Term)> = None;
            for term in full_text {
                let n = entries_holding(conn, term, tickets, page.limit())?;
                if rarest.is_none_or(|(least, _)| n < least) {
                    rarest = Some((n, term));
                }
            }
            rarest
                .filter(|(n, _)| plan_for(*n, tickets, page.limit()) == Plan::Drive)
                .map(|(_, term)| term)
        }
    })
}

/// A search's SQL before its page: the terms' conditions, the FROM clause of a driving
/// term, and each included term's subject score.
struct Built {
    w: Conditions,
    from: Option<String>,
    score: Vec<String>,
}

impl Built {
    /// The relevance score: how many included terms the subject matches.
    fn score_sql(&self) -> String {
        format!("({})", self.score.join("\n    + "))
    }
}

/// The conditions of `search`'s terms, `drive` (one of its included terms) driving.
fn build(search: &TicketSearch, drive: Option<&Term>) -> Built {
    let mut w = Conditions::default();
    let mut from = None;
    let mut score = Vec::new();
    let terms = (search.query.include.iter().map(|t| (t, true)))
        .chain(search.query.exclude.iter().map(|t| (t, false)));
    for (term, include) in terms {
        let sql = term_sql(term, search.include_internal, &mut |v| w.bind(v));
        if !include {
            if sql.matches != ["FALSE"] {
                w.push(format!("NOT ({})", sql.matches.join(" AND ")));
            }
            continue;
        }
        match sql.drive {
            Some(read) if drive.is_some_and(|d| std::ptr::eq(d, term)) => from = Some(read),
            _ => {
                for m in sql.matches {
                    w.push(m);
                }
            }
        }
        score.push(format!("{} ", sql.subject));
    }
    Built { w, from, score }
}

/// One page of the tickets `search` matches, read on `conn`. A page not in relevance order
/// carries no scores; the one its cursor needs (the last row's) is computed alone. A
/// probing page in relevance order is read level by level ([`by_levels`]). `forced`
/// replaces the chosen plan (tests).
pub(crate) fn page(
    conn: &Connection,
    search: &TicketSearch,
    page: &PageRequest,
    forced: Option<Plan>,
) -> Outcome<Page<Ticket>> {
    let drive = driving_term(conn, search, page, forced)?;
    if page.order() == TicketOrder::Relevance && drive.is_none() && !search.query.include.is_empty()
    {
        return by_levels(conn, search, page);
    }
    let mut rows = query(search, page, drive).all(conn, read_ranked_ticket)?;
    let more = rows.len() > page.limit() as usize;
    if page.order() != TicketOrder::Relevance
        && more
        && let Some(last) = (page.limit() as usize)
            .checked_sub(1)
            .and_then(|i| rows.get_mut(i))
    {
        last.1 = score_of(conn, search, &last.0)?;
    }
    Ok(page.into_page_scored(rows))
}

/// A page in relevance order read level by level, for terms common enough to probe: the
/// tickets scoring the most first (each level read in last-update order through the list's
/// index, every ticket probed for the terms and its score), then the next level, until the
/// page is full. So no level is sorted, and the first page of a common word reads about as
/// many tickets as its last-update page (sorting every match by score read them all: ~10
/// times more at 1,000,000 tickets than at 100,000). A page after a cursor starts at the
/// cursor's level, after its ticket.
///
/// A level that few tickets reach is read through to the end of the list: a word common in
/// messages and in few subjects walks the whole list at its top level.
fn by_levels(
    conn: &Connection,
    search: &TicketSearch,
    page: &PageRequest,
) -> Outcome<Page<Ticket>> {
    let terms = u32::try_from(search.query.include.len()).unwrap_or(u32::MAX);
    let top = page.cursor().map_or(terms, |c| c.score().min(terms));
    let want = page.limit() as usize + 1;
    let mut rows: Vec<(Ticket, u32)> = Vec::with_capacity(want);
    for level in (0..=top).rev() {
        let left = want - rows.len();
        let found = level_query(search, page, level, left).all(conn, read_ranked_ticket)?;
        rows.extend(found.into_iter().take(left));
        if rows.len() == want {
            break;
        }
    }
    Ok(page.into_page_scored(rows))
}

/// The query of up to `left` (or one more) tickets of `page` scoring `level`, in last-update
/// order, after the page's cursor when it is on that level (see [`by_levels`]).
fn level_query(search: &TicketSearch, page: &PageRequest, level: u32, left: usize) -> Query {
    let mut built = build(search, None);
    let score = built.score_sql();
    let l = built.w.bind(i64::from(level));
    built.w.push(format!("{score} = {l}"));
    if let Some(cursor) = page.cursor().filter(|c| c.score() == level) {
        let updated = built.w.bind(micros(cursor.updated_at()));
        let after = built.w.bind(blob(cursor.id().as_uuid()).to_vec());
        built
            .w
            .push(format!("(t.updated_at, t.id) < ({updated}, {after})"));
    }
    let level_page = PageRequest::first(
        TicketOrder::LastUpdate,
        u32::try_from(left).unwrap_or(u32::MAX),
    );
    page_from(
        built.w,
        None,
        Some(level.to_string()),
        &search.filter,
        &level_page,
    )
}

/// The relevance score of `ticket` for `search` (see [`search_tickets`]).
fn score_of(conn: &Connection, search: &TicketSearch, ticket: &Ticket) -> Outcome<u32> {
    let mut w = Params::default();
    let mut score = Vec::new();
    for term in &search.query.include {
        score.push(term_sql(term, search.include_internal, &mut |v| w.bind(v)).subject);
    }
    if score.is_empty() {
        return Ok(0);
    }
    let id = w.bind(blob(ticket.id.as_uuid()).to_vec());
    let sql = format!(
        "SELECT {} FROM tickets t WHERE t.id = {id}",
        score.join(" + ")
    );
    let params = w.into_values();
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?;
    u32::try_from(n).map_err(|e| Error::corrupt("tickets", "relevance", e).into())
}

/// A string of the FTS5 query syntax: `s` in double quotes (a quote inside doubled).
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// What a term is matched with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Matcher {
    /// An FTS5 expression for `search_index MATCH ?`.
    FullText(String),
    /// A LIKE pattern (escape character `\`) for `folded`.
    Like(String),
    /// Nothing matches (a term that cannot match, see [`Term::can_match`]).
    Nothing,
}

impl Matcher {
    /// The matcher for `term`.
    pub(crate) fn new(term: &Term) -> Self {
        if !term.can_match() {
            return Matcher::Nothing;
        }
        match term {
            Term::Word { word, prefix } => {
                let star = if *prefix { "*" } else { "" };
                Matcher::FullText(format!("{}{star}", quoted(word)))
            }
            Term::Phrase { words } => Matcher::FullText(quoted(&words.join(" "))),
            Term::Pattern { .. } => term.like_pattern().map_or(Matcher::Nothing, Matcher::Like),
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod plans;

/// The conformance suite on stores whose searches all probe (the plan of common terms in a
/// large desk, which the suite's small databases never choose by themselves).
#[cfg(test)]
mod probing {
    use std::sync::Arc;

    use helpdesk_core::store::Store;

    use crate::SqliteStore;

    async fn make_store() -> Option<Arc<dyn Store>> {
        Some(Arc::new(
            SqliteStore::open_in_memory()
                .await
                .expect("an in-memory store")
                .probing(),
        ))
    }

    helpdesk_core::conformance_suite!(make_store);
}
