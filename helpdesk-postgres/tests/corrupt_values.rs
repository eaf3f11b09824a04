//! Rows changed behind the store's back read as backend errors whose source is a
//! [`CorruptValue`] naming the table and column, never as wrong values or panics.

mod common;

use common::*;
use helpdesk_core::Error;
use helpdesk_core::domain::{
    CustomerId, DepartmentId, Language, NotificationKind, Recipient, Ticket,
};
use helpdesk_core::error::CorruptValue;
use helpdesk_core::store::{Store, TemplateStore, TicketWrite, WriteBatch};
use helpdesk_core::testkit::conformance::contract::notifications::notification;
use helpdesk_core::testkit::conformance::contract::outbox::outbound;
use helpdesk_core::testkit::conformance::contract::templates::{canned, template};
use helpdesk_postgres::testing;

/// Asserts that `err` is a backend error whose source is a corrupt `table.column`.
fn assert_corrupt(err: &Error, table: &str, column: &str, sql: &str) {
    let Error::Backend { source } = err else {
        panic!("{sql}: {err:?}")
    };
    let corrupt = source
        .downcast_ref::<CorruptValue>()
        .unwrap_or_else(|| panic!("{sql}: {source:?}"));
    assert_eq!(
        (corrupt.table(), corrupt.column()),
        (table, column),
        "{sql}"
    );
    assert!(std::error::Error::source(corrupt).is_some(), "{sql}");
}

/// A row changed behind the store's back is a backend error whose source says where.
#[tokio::test]
async fn stored_garbage_in_tickets_and_departments_is_a_corrupt_value() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    store.commit(WriteBatch::one(create(&t))).await.unwrap();
    let d = department("Support");
    store.put_department(&d).await.unwrap();

    let cases = [
        ("UPDATE tickets SET status = 'closed'", "tickets", "status"),
        ("UPDATE tickets SET priority = 9", "tickets", "priority"),
        ("UPDATE tickets SET subject = '   '", "tickets", "subject"),
        (
            "UPDATE tickets SET number_short = '99'",
            "tickets",
            "number_full",
        ),
        ("UPDATE tickets SET version = -1", "tickets", "version"),
        (
            "UPDATE tickets SET custom_fields = '{\"Bad Key\": {\"type\": \"bool\", \"value\": true}}'",
            "tickets",
            "custom_fields",
        ),
        (
            "UPDATE tickets SET opened_by = '{\"kind\": \"robot\"}'",
            "tickets",
            "opened_by",
        ),
        (
            "UPDATE tickets SET timers = '{\"clocks\": 3}'",
            "tickets",
            "timers",
        ),
        (
            "UPDATE tickets SET satisfaction = '{\"score\": 6, \"comment\": null, \"at\": \"2024-01-01T00:00:00Z\"}'",
            "tickets",
            "satisfaction",
        ),
        (
            "UPDATE tickets SET priority_request = '{\"priority\": 3}'",
            "tickets",
            "priority_request",
        ),
        (
            "INSERT INTO ticket_categories SELECT id, '' FROM tickets",
            "ticket_categories",
            "category",
        ),
    ];
    for (sql, table, column) in cases {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
        assert_corrupt(&store.ticket(t.id).await.unwrap_err(), table, column, sql);
        // Start again from a clean ticket (deleting cascades to its other rows).
        sqlx::query("DELETE FROM tickets")
            .execute(store.pool())
            .await
            .unwrap();
        store.commit(WriteBatch::one(create(&t))).await.unwrap();
        assert_eq!(store.ticket(t.id).await.unwrap(), Some(t.clone()));
    }

    sqlx::query("UPDATE departments SET follow_up = 'sometimes'")
        .execute(store.pool())
        .await
        .unwrap();
    let err = store.departments().await.unwrap_err();
    assert!(matches!(err, Error::Backend { .. }), "{err:?}");
    testing::discard(store).await.unwrap();
}

#[tokio::test]
async fn stored_garbage_in_templates_is_a_corrupt_value() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let t = template("Line down", DepartmentId::new(), 0);
    let cases = [
        ("UPDATE templates SET name = '  '", "name"),
        ("UPDATE templates SET ticket_type = ''", "ticket_type"),
        ("UPDATE templates SET subject_prefix = ''", "subject_prefix"),
        ("UPDATE templates SET priority = 9", "priority"),
        ("UPDATE templates SET categories = '[\"\"]'", "categories"),
        ("UPDATE templates SET categories = '{}'", "categories"),
        (
            "UPDATE templates SET required_fields = '[\"Bad Key\"]'",
            "required_fields",
        ),
        ("UPDATE templates SET body = ''", "body"),
    ];
    for (sql, column) in cases {
        store.put_template(&t).await.unwrap();
        assert_eq!(store.template(t.id).await.unwrap().as_ref(), Some(&t));
        sqlx::query(sql).execute(store.pool()).await.unwrap();
        assert_corrupt(
            &store.template(t.id).await.unwrap_err(),
            "templates",
            column,
            sql,
        );
        assert_corrupt(
            &store.templates().await.unwrap_err(),
            "templates",
            column,
            sql,
        );
    }

    let c = canned("Greeting", None, Language::Romanian, 0);
    let cases = [
        ("UPDATE canned_responses SET name = ''", "name"),
        (
            "UPDATE canned_responses SET language = 'klingon'",
            "language",
        ),
        ("UPDATE canned_responses SET body = '   '", "body"),
    ];
    for (sql, column) in cases {
        store.put_canned_response(&c).await.unwrap();
        assert_eq!(
            store.canned_responses(None, None).await.unwrap(),
            vec![c.clone()]
        );
        sqlx::query(sql).execute(store.pool()).await.unwrap();
        assert_corrupt(
            &store.canned_responses(None, None).await.unwrap_err(),
            "canned_responses",
            column,
            sql,
        );
    }
    testing::discard(store).await.unwrap();
}

/// A write of `ticket` one version on (nothing else changed), and that version.
fn touch(ticket: &Ticket) -> (TicketWrite, Ticket) {
    let next = changed(ticket, ticket.updated_at, |_| {});
    (TicketWrite::update(ticket.version, next.clone()), next)
}

/// A row changed behind the store's back is a backend error whose source says where.
#[tokio::test]
async fn stored_garbage_in_notifications_and_the_outbox_is_a_corrupt_value() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    let ivan = Recipient::Agent(helpdesk_core::domain::AgentId::new());
    let n = notification(&t, ivan, NotificationKind::NewTicket, 0);
    let e = outbound(Some(&t), "x@desk.example", 0);
    let batch = WriteBatch {
        notifications: vec![n.clone()],
        outbox: vec![e.clone()],
        ..WriteBatch::one(create(&t))
    };
    store.commit(batch).await.unwrap();

    let cases = [
        (
            "UPDATE notifications SET kind = '{\"kind\": \"party\"}'",
            "notifications",
            "kind",
        ),
        ("UPDATE outbox SET delivery = 'lost'", "outbox", "delivery"),
        ("UPDATE outbox SET kind = 'spam'", "outbox", "kind"),
        (
            "UPDATE outbox SET language = 'klingon'",
            "outbox",
            "language",
        ),
        (
            "UPDATE outbox SET to_address = 'nobody'",
            "outbox",
            "to_address",
        ),
        ("UPDATE outbox SET attempts = -1", "outbox", "attempts"),
        (
            "UPDATE outbox SET thread = '{\"a\": 1}'",
            "outbox",
            "thread",
        ),
    ];
    for (sql, table, column) in cases {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
        let err = if table == "notifications" {
            store.notification(ivan, n.id).await.unwrap_err()
        } else {
            store.outbox_email(e.id).await.unwrap_err()
        };
        assert_corrupt(&err, table, column, sql);
        // Start again from clean rows.
        for sql in ["DELETE FROM notifications", "DELETE FROM outbox"] {
            sqlx::query(sql).execute(store.pool()).await.unwrap();
        }
        let (tw, _) = touch(&store.ticket(t.id).await.unwrap().unwrap());
        let batch = WriteBatch {
            notifications: vec![n.clone()],
            outbox: vec![e.clone()],
            ..WriteBatch::one(tw)
        };
        store.commit(batch).await.unwrap();
        assert_eq!(store.outbox_email(e.id).await.unwrap(), Some(e.clone()));
    }
    testing::discard(store).await.unwrap();
}
