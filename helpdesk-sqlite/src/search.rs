//! The search index of migration 0003: one `search_fields` row per ticket subject and per
//! message body, folded in Rust, and the FTS5 table `search_index` over their words (kept in
//! step by triggers). Written in the commit's transaction; tickets from before 0003 are
//! indexed when the store opens.
//!
//! Queries are built only from parsed, folded [`Term`]s: a word is letters and digits, so the
//! FTS5 expression is made of quoted strings (`"w"`, `"w"*`, `"w1 w2"`) and always bound as a
//! parameter, never spliced into SQL.

use helpdesk_core::domain::{Message, Visibility};
use helpdesk_core::search::{Term, fold, words};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use crate::error::SqliteError;

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

/// Indexes `subject` as the subject of `ticket_id`: inserts its row, or replaces it when the
/// folded subject changed. The ticket must be written already.
pub(crate) fn put_subject(
    tx: &Transaction<'_>,
    ticket_id: &[u8],
    subject: &str,
) -> rusqlite::Result<()> {
    let row = FieldRow::new(subject, false);
    let stored: Option<(i64, String)> = tx
        .prepare_cached(
            "SELECT seq, folded FROM search_fields WHERE ticket_id = ?1 AND message_seq IS NULL",
        )?
        .query_row([ticket_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match stored {
        Some((_, folded)) if folded == row.folded => {}
        Some((seq, _)) => {
            tx.prepare_cached("UPDATE search_fields SET words = ?2, folded = ?3 WHERE seq = ?1")?
                .execute((seq, &row.words, &row.folded))?;
        }
        None => insert(tx, ticket_id, None, &row)?,
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

/// Indexes every ticket that has no subject row yet (written before migration 0003), with its
/// messages, in one transaction. Cheap when there is none.
pub(crate) fn backfill(conn: &mut Connection) -> Result<usize, SqliteError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let missing: Vec<(Vec<u8>, String)> = {
        let mut stmt = tx.prepare(
            "SELECT t.id, t.subject FROM tickets t
             WHERE NOT EXISTS (
                 SELECT 1 FROM search_fields f WHERE f.ticket_id = t.id AND f.message_seq IS NULL
             )",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (id, subject) in &missing {
        let ticket_id = id.as_slice();
        // Whatever a half-indexed ticket has is replaced.
        tx.prepare_cached("DELETE FROM search_fields WHERE ticket_id = ?1")?
            .execute([ticket_id])?;
        insert(&tx, ticket_id, None, &FieldRow::new(subject, false))?;
        let messages: Vec<(i64, String, String)> = tx
            .prepare_cached(
                "SELECT seq, visibility, body FROM messages WHERE ticket_id = ?1 ORDER BY seq",
            )?
            .query_map([ticket_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (seq, visibility, body) in messages {
            let row = FieldRow::new(&body, visibility != Visibility::Public.as_str());
            insert(&tx, ticket_id, Some(seq), &row)?;
        }
    }
    tx.commit()?;
    Ok(missing.len())
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
    /// Nothing matches (a pattern piece no folded text can hold).
    Nothing,
}

impl Matcher {
    /// The matcher for `term`.
    pub(crate) fn new(term: &Term) -> Self {
        match term {
            Term::Word { word, prefix } => {
                let star = if *prefix { "*" } else { "" };
                Matcher::FullText(format!("{}{star}", quoted(word)))
            }
            Term::Phrase { words } => Matcher::FullText(quoted(&words.join(" "))),
            Term::Pattern { pieces } => {
                // Stored text is validated (no control characters, so no NUL, which LIKE would
                // take for the end of its pattern); a piece with a NUL matches nothing.
                if pieces.iter().any(|p| p.contains('\0')) {
                    return Matcher::Nothing;
                }
                let mut like = String::from("%");
                for piece in pieces.iter().filter(|p| !p.is_empty()) {
                    for c in piece.chars() {
                        if matches!(c, '%' | '_' | '\\') {
                            like.push('\\');
                        }
                        like.push(c);
                    }
                    like.push('%');
                }
                Matcher::Like(like)
            }
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
