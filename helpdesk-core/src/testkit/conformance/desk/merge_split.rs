//! Merging moves the source's thread, attachments and history into the target, keeps the
//! source's number leading to the target and routes replies and mail to it; splitting moves
//! chosen messages into a new ticket linked to the old one. Each is one batch, and every
//! refusal is a typed error that changes nothing.

use std::sync::Arc;

use super::{changed, note, reply};
use crate::domain::{Actor, Change, MessageId, OriginKind, Resolution, Status, Subject, TicketKey};
use crate::error::Error;
use crate::machine::{Command, SplitRequest};
use crate::service::{Ingested, MailSettings};
use crate::store::{PageRequest, Store, TicketFilter};
use crate::testkit::Fixture;
use crate::testkit::samples::email;

pub async fn merging_moves_the_thread_and_history_into_the_target(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let a = f.open(&f.ana, "Internet down").await;
    let b = f.open(&f.ana, "Router blinks zanzibarred").await;
    let ivan = f.as_agent(&f.ivan).await;
    changed(
        ivan.execute(b.id, reply("Restart it, please."))
            .await
            .unwrap(),
    );
    changed(ivan.execute(b.id, note("line test ok")).await.unwrap());
    let moved: Vec<MessageId> = (store.messages(b.id, true).await.unwrap().iter())
        .map(|m| m.id)
        .collect();
    let b_history = store.history(b.id).await.unwrap();
    let merged = changed(
        ivan.execute(b.id, Command::MergeInto { target: a.id })
            .await
            .unwrap(),
    );
    assert_eq!(merged.status, Status::Closed(Resolution::Merged));
    assert!(store.messages(b.id, true).await.unwrap().is_empty());
    let thread = store.messages(a.id, true).await.unwrap();
    for id in &moved {
        let m = thread
            .iter()
            .find(|m| m.id == *id)
            .expect("moved to the target");
        assert_eq!(m.ticket_id, a.id);
        let origin = m.origin.as_ref().expect("marked with its source");
        assert_eq!(origin.kind, OriginKind::Merge);
        assert_eq!(origin.number, b.number);
    }
    let history = store.history(a.id).await.unwrap();
    for e in &b_history {
        let moved = history
            .iter()
            .find(|h| h.id == e.id)
            .expect("history moved");
        assert_eq!(moved.origin.as_ref().map(|o| o.ticket), Some(b.id));
    }
    assert!(
        history
            .iter()
            .any(|e| e.change == Change::MergeReceived { source: b.id })
    );
    // The source keeps the record of the merge itself.
    assert!(
        store
            .history(b.id)
            .await
            .unwrap()
            .iter()
            .any(|e| e.change == Change::MergedInto { target: a.id })
    );
    // Search finds the moved words under the target only.
    let found = ivan
        .search_tickets(
            "zanzibarred",
            TicketFilter::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
    let ids: Vec<_> = found.items.iter().map(|t| t.id).collect();
    assert!(ids.contains(&b.id) || ids.contains(&a.id), "{ids:?}");
    let body_only = ivan
        .search_tickets("restart", TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    let ids: Vec<_> = body_only.items.iter().map(|t| t.id).collect();
    assert_eq!(ids, vec![a.id], "a moved message is found under the target");
}

pub async fn a_merged_tickets_number_and_replies_lead_to_the_target(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let a = f.open(&f.ana, "Internet down").await;
    let b = f.open(&f.ana, "Internet still down").await;
    let ivan = f.as_agent(&f.ivan).await;
    changed(
        ivan.execute(b.id, Command::MergeInto { target: a.id })
            .await
            .unwrap(),
    );
    let key = TicketKey::parse(&format!("#{}", b.number.short())).unwrap();
    let by_number = ivan.ticket(key.clone()).await.unwrap();
    assert_eq!(by_number.merged_into, Some(a.id));
    assert_eq!(ivan.merge_target(by_number).await.unwrap().id, a.id);
    let ana = f.as_customer(&f.ana).await;
    let landed = changed(ana.execute(key, reply("hello?")).await.unwrap());
    assert_eq!(landed.id, a.id, "the customer's reply to the source");
    assert!(
        store
            .messages(a.id, false)
            .await
            .unwrap()
            .iter()
            .any(|m| m.body.as_str() == "hello?")
    );
    assert!(store.messages(b.id, true).await.unwrap().is_empty());
}

pub async fn mail_to_a_merged_ticket_lands_in_the_target(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let desk = f
        .desk
        .clone()
        .with_mail(MailSettings::new(email("support@desk.test"), f.support.id));
    let a = f.open(&f.ana, "Internet down").await;
    let b = f.open(&f.ana, "Internet still down").await;
    let ivan = desk.acting_as(Actor::Agent(f.ivan.id)).await.unwrap();
    changed(
        ivan.execute(b.id, Command::MergeInto { target: a.id })
            .await
            .unwrap(),
    );
    let mail = format!(
        "From: ana@example.ro\r\nTo: support@desk.test\r\nSubject: Re: [#{}] Internet\r\n\
         Message-ID: <m1@example.ro>\r\nDate: Mon, 5 Jan 2026 10:00:00 +0200\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nStill nothing.\r\n",
        b.number.short()
    );
    match desk.ingest_email(mail.as_bytes()).await.unwrap() {
        Ingested::Appended(t) => assert_eq!(t.id, a.id),
        other => panic!("expected the target, got {other:?}"),
    }
}

pub async fn splitting_moves_chosen_messages_into_a_new_linked_ticket(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "Internet down").await;
    let ana = f.as_customer(&f.ana).await;
    changed(
        ana.execute(t.id, reply("Also, my invoice is wrong."))
            .await
            .unwrap(),
    );
    let ivan = f.as_agent(&f.ivan).await;
    let thread = store.messages(t.id, true).await.unwrap();
    let invoice = thread.last().unwrap().id;
    let split = ivan
        .split_ticket(
            t.id,
            SplitRequest {
                messages: vec![invoice],
                subject: Some(Subject::parse("Wrong invoice").unwrap()),
            },
        )
        .await
        .unwrap();
    let new = split.split;
    assert_eq!(new.customer, t.customer);
    assert_eq!(new.department, t.department);
    assert_eq!(new.subject.as_str(), "Wrong invoice");
    assert_ne!(new.number, t.number);
    let moved = store.messages(new.id, true).await.unwrap();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].id, invoice);
    let origin = moved[0].origin.as_ref().unwrap();
    assert_eq!((origin.kind, origin.ticket), (OriginKind::Split, t.id));
    let left = store.messages(t.id, true).await.unwrap();
    assert_eq!(left.len(), 1);
    assert!(store.history(t.id).await.unwrap().iter().any(|e| e.change
        == Change::SplitOff {
            into: new.id,
            messages: vec![invoice],
        }));
    assert!(
        store
            .history(new.id)
            .await
            .unwrap()
            .iter()
            .any(|e| e.change == Change::SplitFrom { source: t.id })
    );
    assert_eq!(split.original.version, t.version.next().next());
}

pub async fn refused_merges_and_splits_are_typed_errors_that_change_nothing(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let a = f.open(&f.ana, "Internet down").await;
    let b = f.open(&f.ana, "Internet still down").await;
    let closed = f.open(&f.ana, "Old one").await;
    let other = f.open(&f.reza, "Someone else's").await;
    let ivan = f.as_agent(&f.ivan).await;
    changed(
        ivan.execute(
            closed.id,
            Command::Close {
                resolution: Resolution::Solved,
            },
        )
        .await
        .unwrap(),
    );
    let snapshot = |id| {
        let store = store.clone();
        async move {
            (
                store.ticket(id).await.unwrap().unwrap(),
                store.messages(id, true).await.unwrap(),
                store.history(id).await.unwrap(),
            )
        }
    };
    let before = [snapshot(a.id).await, snapshot(b.id).await];
    for (source, target) in [(b.id, b.id), (b.id, closed.id), (b.id, other.id)] {
        let err = ivan
            .execute(source, Command::MergeInto { target })
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Validation(_)), "{err:?}");
    }
    let ana = f.as_customer(&f.ana).await;
    let err = ana
        .execute(b.id, Command::MergeInto { target: a.id })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
    let on_a = store.messages(a.id, true).await.unwrap()[0].id;
    let on_b = store.messages(b.id, true).await.unwrap()[0].id;
    for (messages, why) in [
        (vec![], "no message"),
        (vec![on_a], "a message of another ticket"),
        (vec![on_b], "every message of the ticket"),
    ] {
        let err = ivan
            .split_ticket(
                b.id,
                SplitRequest {
                    messages,
                    subject: None,
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Validation(_)), "{why}: {err:?}");
    }
    let err = ana
        .split_ticket(
            a.id,
            SplitRequest {
                messages: vec![on_a],
                subject: None,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
    let after = [snapshot(a.id).await, snapshot(b.id).await];
    assert_eq!(before, after);
    let all = store.count_tickets(&TicketFilter::default()).await.unwrap();
    assert_eq!(all, 4, "no ticket was opened by a refused split");
}
