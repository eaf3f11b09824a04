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

use helpdesk_core::domain::{Message, Visibility};
use helpdesk_core::search::{Term, TicketSearch, fold, words};
use helpdesk_core::store::PageRequest;
use rusqlite::{Connection, Transaction};

use crate::query::{Conditions, Query, page_of};

/// One searchable field, folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldRow {
    /// An internal note (searched for staff only).
    pub(crate) internal: bool,
    /// `words(text).join(" ")`: the FTS5 column.
    pub(crate) words: String,
    /// `fold(text)`: what `%` patterns match.
    pub(crate) folded: String,
}

impl FieldRow {
    /// The field for `text`.
    pub(crate) fn new(text: &str, internal: bool) -> Self {
        Self {
            internal,
            words: words(text).join(" "),
            folded: fold(text),
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
            "UPDATE search_fields SET words = ?2, folded = ?3
             WHERE ticket_id = ?1 AND message_seq IS NULL",
        )?
        .execute((ticket_id, &row.words, &row.folded))?;
    if changed == 0 {
        insert(tx, ticket_id, None, row)?;
    }
    Ok(())
}

/// Inserts the field row of a message, or of the subject when `message_seq` is `None`.
pub(crate) fn insert(
    conn: &Connection,
    ticket_id: &[u8],
    message_seq: Option<i64>,
    row: &FieldRow,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO search_fields (ticket_id, message_seq, internal, words, folded)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute((
        ticket_id,
        message_seq,
        row.internal,
        &row.words,
        &row.folded,
    ))?;
    Ok(())
}

/// The query for one page of the tickets `search` matches: for each included term, the ticket
/// is among those with a field matching it; for each excluded term, it is not. A field is the
/// subject or a message, internal notes only with `include_internal`. Each term's set of
/// tickets is one uncorrelated subquery (one FTS5 lookup, or one LIKE scan for a `%`
/// pattern), bound like every other value; then the filter, cursor and order of the list.
///
/// Each row also carries its relevance (`TicketSearch::score`): the number of included terms
/// the ticket's subject row matches, one correlated `EXISTS` per term on that row alone
/// (reusing the term's parameter). It orders `Relevance` pages, and every cursor carries it.
pub(crate) fn search_tickets(search: &TicketSearch, page: &PageRequest) -> Query {
    let mut w = Conditions::default();
    // Constant SQL, chosen by a flag, never by input.
    let visible = if search.include_internal {
        ""
    } else {
        " AND f.internal = 0"
    };
    let mut score = Vec::new();
    let terms = (search.query.include.iter().map(|t| (t, true)))
        .chain(search.query.exclude.iter().map(|t| (t, false)));
    for (term, include) in terms {
        let (tickets, subject) = match Matcher::new(term) {
            Matcher::FullText(expr) => {
                let p = w.bind(expr);
                (
                    format!(
                        "SELECT f.ticket_id FROM search_index s \
                         JOIN search_fields f ON f.seq = s.rowid \
                         WHERE search_index MATCH {p}{visible}"
                    ),
                    format!(
                        "SELECT 1 FROM search_fields sf JOIN search_index si ON si.rowid = sf.seq \
                         WHERE sf.ticket_id = t.id AND sf.message_seq IS NULL \
                         AND search_index MATCH {p}"
                    ),
                )
            }
            Matcher::Like(pattern) => {
                let p = w.bind(pattern);
                (
                    format!(
                        "SELECT f.ticket_id FROM search_fields f \
                         WHERE f.folded LIKE {p} ESCAPE '\\'{visible}"
                    ),
                    format!(
                        "SELECT 1 FROM search_fields sf \
                         WHERE sf.ticket_id = t.id AND sf.message_seq IS NULL \
                         AND sf.folded LIKE {p} ESCAPE '\\'"
                    ),
                )
            }
            Matcher::Nothing => {
                if include {
                    w.push("FALSE".into());
                }
                continue;
            }
        };
        let op = if include { "IN" } else { "NOT IN" };
        w.push(format!("t.id {op} ({tickets})"));
        if include {
            score.push(format!("CASE WHEN EXISTS ({subject}) THEN 1 ELSE 0 END"));
        }
    }
    let score = if score.is_empty() {
        "0".to_owned()
    } else {
        format!("({})", score.join("\n    + "))
    };
    page_of(w, Some(score), &search.filter, page)
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
mod tests {
    use super::*;

    /// The FTS5 tokens of `text` once indexed, in order.
    fn fts_tokens(conn: &Connection, text: &str) -> Vec<String> {
        let row = FieldRow::new(text, false);
        conn.execute(
            "INSERT INTO search_fields (ticket_id, message_seq, internal, words, folded)
             VALUES (?1, NULL, 0, ?2, ?3)",
            (uuid::Uuid::now_v7().as_bytes(), &row.words, &row.folded),
        )
        .unwrap();
        let seq = conn.last_insert_rowid();
        let mut stmt = conn
            .prepare("SELECT term FROM temp.vocab WHERE doc = ?1 ORDER BY offset")
            .unwrap();
        stmt.query_map([seq], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    const SAMPLES: &[&str] = &[
        "Asistență tehnică: Routerul nu funcționează după actualizare.",
        "ASISTENŢĂ asisten\u{0074}\u{0326}a\u{0306} Știință",
        "Интернет не работает. Ёлка погасла, и связь пропала! Майка",
        "ул. Кольцевая, д. 14, кв.15 — тел. +7 (495) 123-45-67",
        "كامپيوتر روشن نمی‌شود؛ شماره تماس ۰۹۱۲۳۴۵۶۷۸۹ است",
        "كِتَابٌ علي ـــ مؤسسة إيران ٠٩١٢ و۳ab۴",
        "The printer shows error E-42 (code_7) at 10:30am; x²+y³ ½ Ⅻ",
        "mixed: abc۱۲۳ درجه۲ rusРУС tab\there\nnew line \u{a0}nbsp\u{2028}sep",
        "NEAR(a b) a:* 'x' \\ &|! - \"quoted\" {col}: ^x",
        "emoji 😀 ok 🇷🇴 | ﷼ ﷺ ㈱ ǅungla ﬁne ǈ ß ẞ İstanbul",
        "𝐁𝐨𝐥𝐝 𝔉𝔯𝔞𝔨 mathematical 𝟙𝟚 — and combining: e\u{0301}e\u{0300}",
        "हिन्दी தமிழ் ไทย 中文字 한국어",
    ];

    #[test]
    fn fts_tokens_are_the_words_of_the_core() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::schema::migrate(&mut conn).unwrap();
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search_index, instance);",
        )
        .unwrap();
        for text in SAMPLES {
            assert_eq!(fts_tokens(&conn, text), words(text), "{text:?}");
        }
        // Each word, asked for as the query builds it, finds its field.
        for text in SAMPLES {
            for word in words(text) {
                let Matcher::FullText(expr) = Matcher::new(&Term::Word {
                    word: word.clone(),
                    prefix: false,
                }) else {
                    unreachable!()
                };
                let hits: i64 = conn
                    .query_row(
                        "SELECT count(*) FROM search_index s JOIN search_fields f
                           ON f.seq = s.rowid
                         WHERE search_index MATCH ?1 AND f.folded = ?2",
                        (&expr, fold(text)),
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(hits, 1, "{word:?} in {text:?}");
            }
        }
    }

    #[test]
    fn patterns_escape_like_syntax() {
        let pattern = |pieces: &[&str]| {
            Matcher::new(&Term::Pattern {
                pieces: pieces.iter().map(|p| (*p).to_owned()).collect(),
            })
        };
        assert_eq!(
            pattern(&["", "кольц", "14", "кв.15"]),
            Matcher::Like("%кольц%14%кв.15%".into())
        );
        assert_eq!(
            pattern(&["a_b", "", "50%", "c\\d"]),
            Matcher::Like("%a\\_b%50\\%%c\\\\d%".into())
        );
        assert_eq!(pattern(&["x\0y", ""]), Matcher::Nothing);
        assert_eq!(
            Matcher::new(&Term::Phrase {
                words: vec!["нет".into(), "связи".into()]
            }),
            Matcher::FullText("\"нет связи\"".into())
        );
        assert_eq!(
            Matcher::new(&Term::Word {
                word: "a\"b".into(),
                prefix: true
            }),
            Matcher::FullText("\"a\"\"b\"*".into())
        );
    }
}

#[cfg(test)]
mod search_plans {
    use helpdesk_core::search::SearchQuery;
    use helpdesk_core::store::{Cursor, PageRequest, TicketFilter, TicketOrder};
    use rusqlite::types::Value;

    use super::*;

    fn search(q: &str, include_internal: bool) -> TicketSearch {
        TicketSearch {
            query: SearchQuery::parse(q).unwrap(),
            filter: TicketFilter::default(),
            include_internal,
        }
    }

    fn plan(q: &Query) -> Vec<String> {
        crate::query::plans::plan_of(q)
    }

    #[test]
    fn a_search_reads_the_full_text_index() {
        for (q, internal) in [
            ("router", true),
            ("\"нет связи\" интерн*", false),
            ("router -\"not found\"", false),
        ] {
            let search = search(q, internal);
            let query = search_tickets(&search, &PageRequest::default());
            let steps = plan(&query);
            let count = |prefix: &str| steps.iter().filter(|s| s.starts_with(prefix)).count();
            let terms = search.query.include.len() + search.query.exclude.len();
            assert_eq!(
                count("SCAN s VIRTUAL TABLE INDEX "),
                terms,
                "{q:?}: {steps:#?}"
            );
            // The score looks at each result's subject row alone: found by the subject index,
            // then matched by its rowid in the full-text index.
            let include = search.query.include.len();
            assert_eq!(
                count("SEARCH sf USING INDEX search_fields_subject (ticket_id=?)"),
                include,
                "{q:?}: {steps:#?}"
            );
            assert_eq!(
                count("SCAN si VIRTUAL TABLE INDEX 0:=M"),
                include,
                "{q:?}: {steps:#?}"
            );
            // Each field row is found by its rowid, never by scanning the fields.
            assert!(
                !steps.iter().any(|s| s.starts_with("SCAN f")),
                "{q:?}: {steps:#?}"
            );
        }
    }

    #[test]
    fn relevance_pages_look_only_at_subject_rows() {
        let search = search("router %mod%m \"нет связи\" -x", false);
        let first = PageRequest::first(TicketOrder::Relevance, 10);
        let cursor =
            Cursor::decode("r.2.2.1767600000000000.-.0192d6a0c1e07c3e8d4f6d1a2b3c4d5e").unwrap();
        for page in [first.clone(), first.clone().after(cursor).unwrap()] {
            let query = search_tickets(&search, &page);
            assert!(
                query
                    .sql
                    .contains("ORDER BY relevance DESC, t.updated_at DESC, t.id DESC"),
                "{}",
                query.sql
            );
            let steps = plan(&query);
            let subject = |s: &&String| s.contains(" sf ");
            assert!(steps.iter().filter(subject).count() >= 3, "{steps:#?}");
            assert!(
                steps
                    .iter()
                    .filter(subject)
                    .all(|s| s
                        .starts_with("SEARCH sf USING INDEX search_fields_subject (ticket_id=?)")),
                "{steps:#?}"
            );
        }
        // No score parameter of its own: the terms' parameters are reused.
        let query = search_tickets(&search, &first);
        assert_eq!(query.params.len(), 5, "{query:?}");
    }

    #[test]
    fn search_values_are_bound_never_spliced() {
        let q = search_tickets(
            &search("'; DROP TABLE tickets; -- %50\\%_x -\"NEAR(a\"", false),
            &PageRequest::default(),
        );
        assert!(
            !q.sql.contains("DROP") && !q.sql.contains("NEAR"),
            "{}",
            q.sql
        );
        assert!(q.sql.contains("f.internal = 0"), "{}", q.sql);
        assert!(q.params.contains(&Value::Text("\"drop\"".into())));
        assert!(q.params.contains(&Value::Text("%50\\\\%\\_x%".into())));
    }
}
