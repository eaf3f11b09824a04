//! The full-text index's tokens and the FTS5 expressions of terms.

use super::*;
use helpdesk_core::search::{fold, words};

/// The FTS5 tokens of `text` once indexed, in order.
fn fts_tokens(conn: &Connection, text: &str) -> Vec<String> {
    let row = FieldRow::new(text, false);
    conn.execute(
        "INSERT INTO search_fields (seq, ticket_id, message_seq, internal, words, folded)
         VALUES ((SELECT coalesce(max(seq), 0) + 16777216 FROM search_fields),
                 ?1, NULL, 0, ?2, ?3)",
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
