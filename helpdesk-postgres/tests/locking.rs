//! Locking on PostgreSQL: a batch whose Message-ID another transaction holds uncommitted
//! waits on the unique index, and is a conflict with nothing written once the other
//! commits.

mod common;

use std::sync::Arc;

use common::*;
use helpdesk_core::Error;
use helpdesk_core::domain::{CustomerId, DepartmentId, MailReference, Ticket};
use helpdesk_core::error::{ConflictKind, Entity};
use helpdesk_core::store::{Store, WriteBatch};
use helpdesk_core::testkit::conformance::contract::outbox::outbound;
use helpdesk_postgres::testing;

fn reference(ticket: &Ticket, message_id: &str, inbound: bool) -> MailReference {
    MailReference {
        message_id: message_id.to_owned(),
        ticket_id: ticket.id,
        inbound,
    }
}

fn is_duplicate(e: &Error, want: Entity, want_field: &str) -> bool {
    matches!(
        e,
        Error::Conflict { entity, kind: ConflictKind::Duplicate { field } }
            if *entity == want && field == want_field
    )
}

/// A Message-ID that another transaction holds uncommitted when a batch checks it: the
/// batch waits on the unique index, and is a conflict with nothing written once the other
/// commits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_id_committed_meanwhile_is_a_conflict() {
    let Some(store) = testing::fresh_store().await else {
        return;
    };
    let store = Arc::new(store);
    let holder = ticket(number(1), DepartmentId::new(), CustomerId::new());
    store
        .commit(WriteBatch::one(create(&holder)))
        .await
        .unwrap();
    let inserts = [
        (
            false,
            "INSERT INTO mail_references (message_id, ticket_id, inbound) VALUES ($1, $2, true)",
        ),
        (
            true,
            "INSERT INTO outbox (id, message_id, ticket_id, kind, language, to_address, \
             subject, body, thread, created_at, attempts, delivery, delivery_at) \
             VALUES (gen_random_uuid(), $1, $2, 'closed', 'en', 'a@b.example', 's', 'b', \
             '[]', now(), 0, 'pending', now())",
        ),
    ];
    for (i, (as_email, insert)) in inserts.into_iter().enumerate() {
        let message_id = format!("held.{i}@mail.example.com");
        let mut other = store.pool().begin().await.unwrap();
        sqlx::query(insert)
            .bind(&message_id)
            .bind(holder.id.as_uuid())
            .execute(&mut *other)
            .await
            .unwrap();

        let t = ticket(
            number(10 + i as u64),
            DepartmentId::new(),
            CustomerId::new(),
        );
        let mut batch = WriteBatch::one(create(&t));
        if as_email {
            batch.outbox = vec![outbound(Some(&t), &message_id, 0)];
        } else {
            batch.mail_references = vec![reference(&t, &message_id, true)];
        }
        let pending = {
            let store = store.clone();
            tokio::spawn(async move { store.commit(batch).await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(
            !pending.is_finished(),
            "the batch waits on the unique index"
        );
        other.commit().await.unwrap();
        let err = pending.await.unwrap().unwrap_err();
        assert!(is_duplicate(&err, Entity::Email, "message_id"), "{err:?}");
        assert_eq!(store.ticket(t.id).await.unwrap(), None);
    }
    testing::discard(Arc::into_inner(store).unwrap())
        .await
        .unwrap();
}
