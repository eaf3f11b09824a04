//! How PostgreSQL indexes text for search: the stored words are exactly the library's (no
//! PostgreSQL parsing), only a word too long for a lexeme is cut, and an update that keeps a
//! ticket's subject keeps its index row; `ticket_words` holds each ticket's distinct words
//! per kind of field, in step with its fields.

mod common;

use std::collections::BTreeSet;

use chrono::Duration;
use common::*;
use helpdesk_core::domain::{CustomerId, DepartmentId, Subject, Visibility};
use helpdesk_core::search::SearchField;
use helpdesk_core::store::{Store, TicketWrite, WriteBatch};
use helpdesk_core::testkit::conformance::contract::search::samples;
use helpdesk_postgres::{PostgresStore, testing};
use uuid::Uuid;

/// A stored search row: message id, internal, folded text, words, lexemes.
type StoredField = (Option<Uuid>, bool, String, Vec<String>, Vec<String>);

#[tokio::test]
async fn stored_words_are_the_librarys_words() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let texts = samples();
    let mut t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    t.subject = Subject::parse(&texts[0]).unwrap();
    let mut write = TicketWrite::create(t.clone());
    for (i, text) in texts[1..].iter().enumerate() {
        let visibility = if i % 2 == 1 {
            Visibility::Internal
        } else {
            Visibility::Public
        };
        write = write.with_message(message(&t, text, visibility));
    }
    pg.commit(WriteBatch::one(write)).await.unwrap();

    let rows: Vec<StoredField> = sqlx::query_as(
        "SELECT f.message_id, f.internal, f.folded, f.words, tsvector_to_array(f.lexemes) \
         FROM search_fields f LEFT JOIN messages m ON m.id = f.message_id \
         WHERE f.ticket_id = $1 ORDER BY m.seq NULLS FIRST",
    )
    .bind(t.id.as_uuid())
    .fetch_all(pg.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), texts.len());
    for (i, ((message, internal, folded, words, lexemes), text)) in
        rows.into_iter().zip(&texts).enumerate()
    {
        let field = SearchField::new(text);
        assert_eq!(message.is_none(), i == 0);
        assert_eq!(internal, i > 0 && (i - 1) % 2 == 1, "{text:?}");
        assert_eq!(folded, field.folded, "{text:?}");
        assert_eq!(words, field.words, "{text:?}");
        // The distinct words, as they are; only a word too long for a lexeme is cut.
        let want: BTreeSet<String> = field
            .words
            .iter()
            .map(|w| {
                if w.len() > 2000 {
                    "ж".repeat(1000)
                } else {
                    w.clone()
                }
            })
            .collect();
        assert_eq!(
            lexemes.into_iter().collect::<BTreeSet<_>>(),
            want,
            "{text:?}"
        );
    }
    testing::discard(pg).await.unwrap();
}

/// An update that changes the subject replaces its index row; one that keeps it keeps one.
#[tokio::test]
async fn the_index_row_of_a_subject_changes_only_with_the_subject() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let mut t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    t.subject = Subject::parse("Alpha router").unwrap();
    let write =
        TicketWrite::create(t.clone()).with_message(message(&t, "body text", Visibility::Public));
    pg.commit(WriteBatch::one(write)).await.unwrap();
    let subject_row = async || -> (i64, String) {
        sqlx::query_as(
            "SELECT count(*) OVER (), folded FROM search_fields WHERE message_id IS NULL",
        )
        .fetch_one(pg.pool())
        .await
        .unwrap()
    };
    let next = changed(&t, t0() + Duration::minutes(1), |n| {
        n.subject = Subject::parse("Beta router").unwrap();
    });
    pg.commit(WriteBatch::one(TicketWrite::update(
        t.version,
        next.clone(),
    )))
    .await
    .unwrap();
    let beta = (1, SearchField::new("Beta router").folded);
    assert_eq!(subject_row().await, beta);
    let later = changed(&next, t0() + Duration::minutes(2), |_| {});
    pg.commit(WriteBatch::one(TicketWrite::update(next.version, later)))
        .await
        .unwrap();
    assert_eq!(subject_row().await, beta);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM search_fields")
        .fetch_one(pg.pool())
        .await
        .unwrap();
    assert_eq!(rows, 2);
    testing::discard(pg).await.unwrap();
}

/// The `ticket_words` rows of the store: word, ticket, kind.
async fn word_rows(pg: &PostgresStore) -> BTreeSet<(String, Uuid, i16)> {
    sqlx::query_as::<_, (String, Uuid, i16)>("SELECT word, ticket, kind FROM ticket_words")
        .fetch_all(pg.pool())
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// `ticket_words` holds each distinct word of a ticket once per kind of field (0 the
/// subject, 1 a public message, 2 an internal note), words over 1000 bytes left out, and a
/// changed subject's words replace the old subject's (a word the messages also hold stays
/// as theirs); each word's stem keys (migration 0028) likewise.
#[tokio::test]
async fn ticket_words_hold_each_tickets_words_per_kind_and_follow_the_subject() {
    let Some(pg) = testing::fresh_store().await else {
        return;
    };
    let long = "ж".repeat(600);
    let mut t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    t.subject = Subject::parse("Alpha router alpha").unwrap();
    let write = TicketWrite::create(t.clone())
        .with_message(message(&t, "router Modem", Visibility::Public))
        .with_message(message(
            &t,
            &format!("modem secret {long}"),
            Visibility::Internal,
        ))
        .with_message(message(&t, "router again", Visibility::Public));
    pg.commit(WriteBatch::one(write)).await.unwrap();
    let id = t.id.as_uuid();
    // Each word with its stem keys (migration 0028), which follow the subject alike.
    let rows = |words: &[(&str, i16)]| -> BTreeSet<(String, Uuid, i16)> {
        words
            .iter()
            .flat_map(|(w, k)| {
                std::iter::once((*w).to_owned())
                    .chain(helpdesk_core::search::stem_keys(w))
                    .map(move |x| (x, id, *k))
            })
            .collect()
    };
    let messages = [
        ("router", 1),
        ("modem", 1),
        ("again", 1),
        ("modem", 2),
        ("secret", 2),
    ];
    let mut want = rows(&[("alpha", 0), ("router", 0)]);
    want.extend(rows(&messages));
    assert_eq!(word_rows(&pg).await, want);

    let next = changed(&t, t0() + Duration::minutes(1), |n| {
        n.subject = Subject::parse("Beta modem").unwrap();
    });
    pg.commit(WriteBatch::one(TicketWrite::update(t.version, next)))
        .await
        .unwrap();
    let mut want = rows(&[("beta", 0), ("modem", 0)]);
    want.extend(rows(&messages));
    assert_eq!(word_rows(&pg).await, want);
    testing::discard(pg).await.unwrap();
}
