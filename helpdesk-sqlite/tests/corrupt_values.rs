//! Values changed behind the store's back read as backend errors whose source names the
//! table and column, never as wrong values or panics.

mod common;

use std::path::PathBuf;

use common::{damage, db_path};
use helpdesk_core::domain::{CustomerId, DepartmentId, Language, Ticket};
use helpdesk_core::error::{CorruptValue, Error, ValidationError};
use helpdesk_core::store::{Store, TemplateStore, TicketWrite, WriteBatch};
use helpdesk_core::testkit::conformance::contract::templates::{canned, template};
use helpdesk_core::testkit::samples::{
    department, full_agent, full_customer, full_ticket, number, ticket,
};
use helpdesk_sqlite::SqliteStore;

#[tokio::test]
async fn a_corrupt_stored_value_is_a_backend_error_with_its_cause() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let t = ticket(number(1), department("Support").id, CustomerId::new());
    store
        .commit(WriteBatch::one(TicketWrite::create(t.clone())))
        .await
        .unwrap();
    damage(&path, "UPDATE tickets SET status = 'lost'");

    let err = store.ticket(t.id).await.unwrap_err();
    let Error::Backend { source } = err else {
        panic!("expected a backend error, got {err:?}");
    };
    let Some(corrupt) = source.downcast_ref::<CorruptValue>() else {
        panic!("expected a corrupt value, got {source:?}");
    };
    assert_eq!((corrupt.table(), corrupt.column()), ("tickets", "status"));
    let cause = std::error::Error::source(corrupt).unwrap();
    assert!(cause.downcast_ref::<ValidationError>().is_some());
}

/// A file database holding one ticket with every field set.
async fn stored_full_ticket() -> (PathBuf, SqliteStore, Ticket) {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let t = full_ticket(
        number(1),
        department("Support").id,
        full_customer("Acme", "it@acme.example", "K-1").id,
        full_agent("Иван", "ivan@desk.test", &[]).id,
    );
    store
        .commit(WriteBatch::one(TicketWrite::create(t.clone())))
        .await
        .unwrap();
    assert_eq!(store.ticket(t.id).await.unwrap(), Some(t.clone()));
    (path, store, t)
}

/// The table and column a read failed on, which must be a corrupt stored value.
fn corrupt_column(err: Error) -> (&'static str, &'static str) {
    let Error::Backend { source } = err else {
        panic!("expected a backend error, got {err:?}");
    };
    let Some(corrupt) = source.downcast_ref::<CorruptValue>() else {
        panic!("expected a corrupt value, got {source:?}");
    };
    (corrupt.table(), corrupt.column())
}

#[tokio::test]
async fn corrupt_timers_are_a_backend_error_naming_the_column() {
    let (path, store, t) = stored_full_ticket().await;
    damage(&path, "UPDATE tickets SET timers = '{\"clocks\": 3}'");

    let err = store.ticket(t.id).await.unwrap_err();
    assert_eq!(corrupt_column(err), ("tickets", "timers"));
}

#[tokio::test]
async fn corrupt_feedback_is_a_backend_error_naming_the_column() {
    let (path, store, t) = stored_full_ticket().await;
    let conn = rusqlite::Connection::open(&path).unwrap();
    for (column, bad) in [
        (
            "satisfaction",
            r#"{"score": 9, "comment": null, "at": "2026-01-05T00:00:00Z"}"#,
        ),
        ("priority_request", "not json"),
    ] {
        let original: String = conn
            .query_row(&format!("SELECT {column} FROM tickets"), [], |r| r.get(0))
            .unwrap();
        conn.execute(&format!("UPDATE tickets SET {column} = ?1"), [bad])
            .unwrap();

        let err = store.ticket(t.id).await.unwrap_err();
        assert_eq!(corrupt_column(err), ("tickets", column));
        conn.execute(&format!("UPDATE tickets SET {column} = ?1"), [original])
            .unwrap();
    }
    assert_eq!(store.ticket(t.id).await.unwrap(), Some(t));
}

/// Runs `read` after `sql` damaged the database and expects a corrupt `table`.`column`.
async fn expect_corrupt<T: std::fmt::Debug>(
    path: &PathBuf,
    sql: &str,
    read: impl AsyncFnOnce() -> helpdesk_core::Result<T>,
    table: &str,
    column: &str,
) {
    damage(path, sql);
    let err = read().await.unwrap_err();
    let Error::Backend { source } = err else {
        panic!("expected a backend error, got {err:?}");
    };
    let Some(corrupt) = source.downcast_ref::<CorruptValue>() else {
        panic!("expected a corrupt value, got {source:?}");
    };
    assert_eq!(
        (corrupt.table(), corrupt.column()),
        (table, column),
        "after {sql}"
    );
}

#[tokio::test]
async fn corrupt_templates_and_canned_responses_are_backend_errors_naming_the_column() {
    let path = db_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let t = template("Line down", DepartmentId::new(), 0);
    let r = canned("Salut", None, Language::Romanian, 1);
    store.put_template(&t).await.unwrap();
    store.put_canned_response(&r).await.unwrap();

    for (sql, column) in [
        ("UPDATE templates SET name = '   '", "name"),
        (
            "UPDATE templates SET ticket_type = 'Not A Type!'",
            "ticket_type",
        ),
        ("UPDATE templates SET subject_prefix = ''", "subject_prefix"),
        ("UPDATE templates SET categories = '[1]'", "categories"),
        (
            "UPDATE templates SET required_fields = '[\"Bad Key\"]'",
            "required_fields",
        ),
        ("UPDATE templates SET body = ''", "body"),
    ] {
        store.put_template(&t).await.unwrap();
        expect_corrupt(&path, sql, || store.templates(), "templates", column).await;
    }
    store.put_template(&t).await.unwrap();
    assert_eq!(store.template(t.id).await.unwrap(), Some(t));

    for (sql, column) in [
        ("UPDATE canned_responses SET language = 'xx'", "language"),
        ("UPDATE canned_responses SET name = ''", "name"),
    ] {
        store.put_canned_response(&r).await.unwrap();
        expect_corrupt(
            &path,
            sql,
            || store.canned_responses(None, None),
            "canned_responses",
            column,
        )
        .await;
    }
}
