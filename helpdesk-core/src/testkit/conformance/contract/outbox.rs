//! The transactional outbox and mail references: e-mails of every kind and state read back,
//! are leased once and their delivery recorded as the reference records it; Message-IDs are
//! kept in order and compared exactly.

use std::sync::Arc;

use chrono::Duration;

use super::same_outcome;
use crate::domain::{
    CustomerId, Delivery, DeliveryOutcome, DepartmentId, EmailKind, Language, MailReference,
    OutboundEmail, OutboxId, Ticket, TicketId,
};
use crate::error::{Entity, Error};
use crate::store::{MemoryStore, Store, TicketWrite, WriteBatch};
use crate::testkit::samples::{at, email, number, ticket};

/// A pending e-mail about `ticket` (or none), made at `s` seconds, with text that needs care
/// (also for backends' own tests).
pub fn outbound(ticket: Option<&Ticket>, message_id: &str, s: i64) -> OutboundEmail {
    OutboundEmail {
        id: OutboxId::new(),
        message_id: message_id.to_owned(),
        ticket_id: ticket.map(|t| t.id),
        ticket_number: ticket.map(|t| t.number.full().to_owned()),
        kind: EmailKind::AgentReply,
        language: Language::Persian,
        to: email("reza@example.ir"),
        to_name: Some("رضا احمدی".to_owned()),
        cc: vec![email("maryam@example.ir"), email("ops@client.example")],
        subject: "[#1] پاسخ «اینترنت» 'quoted' \"twice\" \\ back".to_owned(),
        body: "سلام\r\n\r\nline two — ünïcödé 😀\n-- \nIvan".to_owned(),
        references: vec![
            "first@client.example".to_owned(),
            "second@desk.example".to_owned(),
        ],
        created_at: at(s),
        attempts: 0,
        delivery: Delivery::Pending { at: at(s) },
        last_error: None,
    }
}

/// Every kind of e-mail, pending, sent and failed in turn, with and without a name,
/// references and an error.
fn every_kind(t: &Ticket) -> Vec<OutboundEmail> {
    EmailKind::ALL
        .into_iter()
        .enumerate()
        .map(|(i, kind)| {
            let mut e = outbound(Some(t), &format!("{i}.x@desk.example"), i as i64);
            e.kind = kind;
            e.language = Language::ALL[i % Language::ALL.len()];
            match i % 3 {
                0 => {
                    e.to_name = None;
                    e.cc = Vec::new();
                    e.ticket_number = None;
                    e.references = Vec::new();
                }
                1 => {
                    e.delivery = Delivery::Sent { at: at(100) };
                    e.attempts = 3;
                }
                _ => {
                    e.delivery = Delivery::Failed { at: at(200) };
                    e.attempts = u32::MAX;
                    e.last_error = Some("550 5.1.1 no such user\nfor good".to_owned());
                }
            }
            e
        })
        .collect()
}

/// Everything both stores show of the outbox.
async fn outbox_state(store: &dyn Store, tickets: &[TicketId], emails: &[OutboxId]) -> String {
    let mut out = String::new();
    for t in tickets {
        out += &format!("{:?}\n", store.ticket_emails(*t).await.unwrap());
    }
    for e in emails {
        out += &format!("{:?}\n", store.outbox_email(*e).await.unwrap());
    }
    out
}

pub async fn the_outbox_leases_each_email_once_and_records_delivery(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    let t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    let kinds = every_kind(&t);
    let a = outbound(Some(&t), "a.1@desk.example", 1);
    let b = outbound(Some(&t), "b.2@desk.example", 2);
    let mut later = outbound(Some(&t), "c.3@desk.example", 3);
    later.delivery = Delivery::Pending { at: at(3600) };
    let mut retrying = outbound(Some(&t), "retry.4@desk.example", 0);
    retrying.delivery = Delivery::Pending { at: at(20) };
    retrying.attempts = 2;
    retrying.last_error = Some("450 busy".to_owned());
    // An e-mail about no ticket.
    let loose = outbound(None, "loose@desk.example", 4);
    let mut batch = WriteBatch::one(TicketWrite::create(t.clone()));
    batch.outbox = kinds.clone();
    batch.outbox.extend([
        later.clone(),
        b.clone(),
        a.clone(),
        retrying.clone(),
        loose.clone(),
    ]);
    for s in [store.as_ref(), &reference as &dyn Store] {
        s.commit(batch.clone()).await.unwrap();
    }
    for e in &batch.outbox {
        assert_eq!(store.outbox_email(e.id).await.unwrap().as_ref(), Some(e));
    }
    assert_eq!(store.outbox_email(OutboxId::new()).await.unwrap(), None);
    let ticket_emails = store.ticket_emails(t.id).await.unwrap();
    assert_eq!(ticket_emails.len(), batch.outbox.len() - 1);
    assert_eq!(ticket_emails, reference.ticket_emails(t.id).await.unwrap());
    assert_eq!(store.ticket_emails(TicketId::new()).await.unwrap(), vec![]);
    let tickets = [t.id, TicketId::new()];
    let ids: Vec<OutboxId> = batch.outbox.iter().map(|e| e.id).collect();

    // Leases: the earliest first, each once until its lease ends, attempts counted, the
    // same Message-ID on every attempt.
    let taken = store.lease_outbox(at(10), at(300), 1).await.unwrap();
    assert_eq!(
        taken,
        reference.lease_outbox(at(10), at(300), 1).await.unwrap()
    );
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].attempts, kinds[0].attempts + 1);
    assert_eq!(taken[0].delivery, Delivery::Pending { at: at(300) });
    for (now, lease, limit) in [
        (at(10), at(300), 3),
        (at(10), at(300), 100),
        (at(10), at(300), 100),
        (at(20), at(400), 100),
        (at(300), at(500), 2),
        (at(300), at(500), 100),
    ] {
        let got = store.lease_outbox(now, lease, limit).await.unwrap();
        let want = reference.lease_outbox(now, lease, limit).await.unwrap();
        assert_eq!(got, want, "at {now}, limit {limit}");
    }
    assert_eq!(
        outbox_state(store.as_ref(), &tickets, &ids).await,
        outbox_state(&reference, &tickets, &ids).await
    );

    // Delivery recorded: sent, retried with an error, failed for good, unknown.
    let outcomes = [
        (a.id, DeliveryOutcome::Sent { at: at(301) }),
        (
            b.id,
            DeliveryOutcome::Retry {
                retry_at: at(600),
                error: "421 try later".to_owned(),
            },
        ),
        (
            retrying.id,
            DeliveryOutcome::Failed {
                at: at(302),
                error: "bounced\nfor good".to_owned(),
            },
        ),
        (OutboxId::new(), DeliveryOutcome::Sent { at: at(1) }),
    ];
    for (id, outcome) in &outcomes {
        same_outcome(
            store.finish_delivery(*id, outcome).await,
            reference.finish_delivery(*id, outcome).await,
        )
        .ok();
    }
    let err = store
        .finish_delivery(OutboxId::new(), &DeliveryOutcome::Sent { at: at(1) })
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                entity: Entity::Email,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        store.outbox_email(a.id).await.unwrap().unwrap().delivery,
        Delivery::Sent { at: at(301) }
    );
    let b_now = store.outbox_email(b.id).await.unwrap().unwrap();
    assert_eq!(b_now.delivery, Delivery::Pending { at: at(600) });
    assert_eq!(b_now.last_error.as_deref(), Some("421 try later"));
    assert_eq!(
        outbox_state(store.as_ref(), &tickets, &ids).await,
        outbox_state(&reference, &tickets, &ids).await
    );
    // Sent and failed ones are never taken again; retried ones at their time.
    for now in [at(599), at(600), at(3600), at(100_000)] {
        let got = store
            .lease_outbox(now, now + Duration::minutes(5), 100)
            .await
            .unwrap();
        let want = reference
            .lease_outbox(now, now + Duration::minutes(5), 100)
            .await
            .unwrap();
        assert_eq!(got, want, "at {now}");
        assert!(got.iter().all(|e| e.id != a.id && e.id != retrying.id));
    }
}

pub async fn mail_references_keep_their_order_and_compare_exactly(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    let t = ticket(number(1), DepartmentId::new(), CustomerId::new());
    let other = ticket(number(2), DepartmentId::new(), CustomerId::new());
    let filed = |t: &Ticket, id: &str, inbound| MailReference {
        message_id: id.to_owned(),
        ticket_id: t.id,
        inbound,
    };
    // Written in an order that is neither alphabetical nor by anything else stored.
    let first = vec![
        filed(&t, "z@x", true),
        filed(&t, "CAF=x+1@mail.example.com", true),
        filed(&t, "a@x", false),
    ];
    let mut batch = WriteBatch::of(vec![
        TicketWrite::create(t.clone()),
        TicketWrite::create(other.clone()),
    ]);
    batch.mail_references = first.clone();
    batch
        .mail_references
        .push(filed(&other, "other@mail.example.com", true));
    // An e-mail's Message-ID is no mail reference's: the service files both for mail it
    // sends, and they do not clash.
    batch.outbox = vec![outbound(Some(&t), "a@x", 1)];
    let next = Ticket {
        version: t.version.next(),
        ..t.clone()
    };
    let mut again = WriteBatch::one(TicketWrite::update(t.version, next));
    again.mail_references = vec![filed(&t, "m@x", true)];
    for s in [store.as_ref(), &reference as &dyn Store] {
        s.commit(batch.clone()).await.unwrap();
        s.commit(again.clone()).await.unwrap();
    }
    assert_eq!(
        store.mail_references(t.id).await.unwrap(),
        [first.clone(), again.mail_references.clone()].concat()
    );
    assert_eq!(
        store.mail_references(other.id).await.unwrap(),
        [filed(&other, "other@mail.example.com", true)]
    );
    assert_eq!(store.mail_references(TicketId::new()).await.unwrap(), []);
    for id in [
        "CAF=x+1@mail.example.com",
        "caf=x+1@mail.example.com",
        "Z@x",
        "z@x",
        "a@x",
        "a@x ",
        "nul\0@x",
        "",
        "unknown@x",
    ] {
        same_outcome(
            store.mail_reference(id).await,
            reference.mail_reference(id).await,
        )
        .unwrap();
    }
    assert_eq!(
        store
            .mail_reference("CAF=x+1@mail.example.com")
            .await
            .unwrap(),
        Some(first[1].clone())
    );
    assert_eq!(
        store
            .mail_reference("caf=x+1@mail.example.com")
            .await
            .unwrap(),
        None,
        "Message-IDs compare exactly"
    );
    // Many ids in one read: exact matches only, whatever else is asked for.
    let mut asked: Vec<String> = (0..20_000)
        .map(|i| format!("ref{i}@else.example"))
        .collect();
    asked.extend(
        [
            "caf=x+1@mail.example.com",
            "m@x",
            "nul\0@x",
            "",
            "z@x",
            "other@mail.example.com",
        ]
        .map(String::from),
    );
    let key = |r: &MailReference| r.message_id.clone();
    let mut found = store.mail_references_of(&asked).await.unwrap();
    found.sort_by_key(key);
    let mut expected = reference.mail_references_of(&asked).await.unwrap();
    expected.sort_by_key(key);
    assert_eq!(found, expected);
    let ids: Vec<&str> = found.iter().map(|r| r.message_id.as_str()).collect();
    assert_eq!(ids, ["m@x", "other@mail.example.com", "z@x"]);
    assert_eq!(store.mail_references_of(&[]).await.unwrap(), []);
}
