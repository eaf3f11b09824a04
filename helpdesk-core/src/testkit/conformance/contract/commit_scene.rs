//! The scene of the commit checks: the store under test and the reference holding the same
//! tickets, e-mail, mail reference and notification; batches against it that must be
//! refused with a given error and write nothing at all, or accepted alike.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::Duration;

use super::outbox::outbound;
use super::{describe, outcome};
use crate::domain::{
    AgentId, Change, CustomerId, DepartmentId, EventId, MailReference, Notification,
    NotificationId, NotificationKind, NotificationState, OutboundEmail, Recipient, Status, Ticket,
    TicketId, Visibility,
};
use crate::store::{
    BlobKey, MemoryStore, PageRequest, Store, TicketFilter, TicketOrder, TicketWrite, WriteBatch,
};
use crate::testkit::samples::{at, event, message, number, t0, ticket, time_entry};

/// Two stored tickets (`a` changed once, `b` new), an e-mail and a mail reference of `a`, and
/// a notification about `a`, on the store under test and on the reference.
pub(super) struct Scene {
    pub(super) store: Arc<dyn Store>,
    pub(super) reference: MemoryStore,
    /// Stored at version 2, with a message, two events and a time entry.
    pub(super) a: Ticket,
    /// Stored at version 1.
    pub(super) b: Ticket,
    pub(super) email: OutboundEmail,
    pub(super) filed: MailReference,
    pub(super) notification: Notification,
    pub(super) department: DepartmentId,
    pub(super) customer: CustomerId,
    pub(super) agent: Recipient,
}

impl Scene {
    pub(super) async fn new(store: Arc<dyn Store>) -> Self {
        let reference = MemoryStore::new();
        let (department, customer) = (DepartmentId::new(), CustomerId::new());
        let agent = Recipient::Agent(AgentId::new());
        let a = ticket(number(1), department, customer);
        let b = ticket(number(2), department, customer);
        let a2 = Ticket {
            status: Status::Open,
            updated_at: at(5),
            version: a.version.next(),
            ..a.clone()
        };
        let email = outbound(Some(&a), "sent.1@desk.example", 1);
        let filed = MailReference {
            message_id: "CAF=in.1@mail.example.com".to_owned(),
            ticket_id: a.id,
            inbound: true,
        };
        let notification = Notification {
            id: NotificationId::new(),
            recipient: agent,
            ticket_id: a.id,
            event_id: EventId::new(),
            kind: NotificationKind::NewTicket,
            created_at: at(1),
            state: NotificationState::default(),
        };
        let first = WriteBatch {
            writes: vec![
                TicketWrite::create(a.clone())
                    .with_message(message(&a, "Нет интернета", Visibility::Public))
                    .with_event(event(
                        &a,
                        Change::NoteAdded {
                            message: crate::domain::MessageId::new(),
                        },
                    )),
                TicketWrite::create(b.clone()),
            ],
            notifications: vec![notification.clone()],
            outbox: vec![email.clone()],
            mail_references: vec![filed.clone()],
            rule_firings: Vec::new(),
            rule_deliveries: Vec::new(),
            no_webhook_endpoints: false,
        };
        let update = TicketWrite::update(a.version, a2.clone())
            .with_time_entry(time_entry(&a2, AgentId::new(), 15, true))
            .with_event(event(
                &a2,
                Change::StatusChanged {
                    from: Status::New,
                    to: Status::Open,
                },
            ));
        for s in [store.as_ref(), &reference as &dyn Store] {
            s.commit(first.clone()).await.unwrap();
            s.commit(WriteBatch::one(update.clone())).await.unwrap();
        }
        Self {
            store,
            reference,
            a: a2,
            b,
            email,
            filed,
            notification,
            department,
            customer,
            agent,
        }
    }

    /// A new ticket numbered `n`, not stored.
    pub(super) fn fresh(&self, n: u64) -> Ticket {
        ticket(number(n), self.department, self.customer)
    }

    /// `t` one version on, a minute later, with `change` applied.
    pub(super) fn next(t: &Ticket, change: impl FnOnce(&mut Ticket)) -> Ticket {
        let mut next = Ticket {
            version: t.version.next(),
            updated_at: t.updated_at + Duration::minutes(1),
            ..t.clone()
        };
        change(&mut next);
        next
    }

    /// A write of `t` one version on, from its version.
    pub(super) fn touch(t: &Ticket) -> TicketWrite {
        TicketWrite::update(t.version, Self::next(t, |_| {}))
    }

    /// Commits `batch` on both stores: it must fail as `want` says (see
    /// [`describe`](super::describe)) on both, and write nothing at all.
    pub(super) async fn refused(&self, batch: WriteBatch, want: &str) {
        let before = self.state(&batch).await;
        let got = self.store.commit(batch.clone()).await;
        assert_eq!(outcome(&got), want, "{batch:#?}");
        let theirs = self.reference.commit(batch.clone()).await;
        assert_eq!(outcome(&theirs), want, "the reference");
        assert_eq!(
            self.state(&batch).await,
            before,
            "a refused batch wrote something"
        );
    }

    /// Commits `batch` on both stores: it must succeed on both, after which both show the
    /// same.
    pub(super) async fn accepted(&self, batch: WriteBatch) {
        let got = self.store.commit(batch.clone()).await;
        if let Err(e) = &got {
            panic!("{}: {batch:#?}", describe(e));
        }
        self.reference.commit(batch.clone()).await.unwrap();
        assert_eq!(
            state_of(self.store.as_ref(), &self.keys(&batch)).await,
            state_of(&self.reference, &self.keys(&batch)).await
        );
    }

    async fn state(&self, batch: &WriteBatch) -> String {
        state_of(self.store.as_ref(), &self.keys(batch)).await
    }

    /// What the scene and `batch` name: everything a batch could have written is found
    /// through these.
    fn keys(&self, batch: &WriteBatch) -> Keys {
        let mut keys = Keys::default();
        for t in [&self.a, &self.b] {
            keys.tickets.insert(t.id);
            keys.numbers
                .extend([t.number.full().to_owned(), t.number.short().to_owned()]);
        }
        keys.recipients.push(self.agent);
        keys.notifications.push((self.agent, self.notification.id));
        keys.emails.insert(self.email.id);
        keys.message_ids
            .extend([self.email.message_id.clone(), self.filed.message_id.clone()]);
        for w in &batch.writes {
            keys.tickets.insert(w.ticket.id);
            keys.numbers.extend([
                w.ticket.number.full().to_owned(),
                w.ticket.number.short().to_owned(),
            ]);
            keys.tickets.extend(w.messages.iter().map(|m| m.ticket_id));
            keys.tickets.extend(w.events.iter().map(|e| e.ticket_id));
            keys.tickets
                .extend(w.time_entries.iter().map(|e| e.ticket_id));
            for m in &w.messages {
                keys.blobs.extend(
                    m.attachments
                        .iter()
                        .filter_map(|a| BlobKey::parse(a.sha256()).ok()),
                );
            }
        }
        for n in &batch.notifications {
            keys.recipients.push(n.recipient);
            keys.notifications.push((n.recipient, n.id));
            keys.tickets.insert(n.ticket_id);
        }
        for e in &batch.outbox {
            keys.emails.insert(e.id);
            keys.message_ids.insert(e.message_id.clone());
            keys.tickets.extend(e.ticket_id);
        }
        for r in &batch.mail_references {
            keys.message_ids.insert(r.message_id.clone());
            keys.tickets.insert(r.ticket_id);
        }
        keys
    }
}

/// Ids and values to look a store's state up by.
#[derive(Default)]
struct Keys {
    tickets: BTreeSet<TicketId>,
    numbers: BTreeSet<String>,
    recipients: Vec<Recipient>,
    notifications: Vec<(Recipient, NotificationId)>,
    emails: BTreeSet<crate::domain::OutboxId>,
    message_ids: BTreeSet<String>,
    blobs: Vec<BlobKey>,
}

/// Everything `store` shows through `keys`, and every ticket it lists, due or not.
async fn state_of(store: &dyn Store, keys: &Keys) -> String {
    let mut out = String::new();
    let page = PageRequest::first(TicketOrder::LastUpdate, 200);
    let listed = store
        .list_tickets(&TicketFilter::default(), &page)
        .await
        .unwrap();
    out += &format!("listed {:?}\n", listed.items);
    let far = t0() + Duration::days(10_000);
    out += &format!("due {:?}\n", store.due_tickets(far, 1_000).await.unwrap());
    let tickets: BTreeSet<TicketId> = keys
        .tickets
        .iter()
        .copied()
        .chain(listed.items.iter().map(|t| t.id))
        .collect();
    for id in tickets {
        out += &format!(
            "ticket {:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n",
            store.ticket(id).await.unwrap(),
            store.messages(id, true).await.unwrap(),
            store.history(id).await.unwrap(),
            store.time_entries(id).await.unwrap(),
            store.ticket_emails(id).await.unwrap(),
            store.mail_references(id).await.unwrap(),
        );
    }
    for n in &keys.numbers {
        out += &format!(
            "number {n} {:?}\n",
            store.ticket_by_number(n).await.unwrap()
        );
    }
    for r in &keys.recipients {
        out += &format!(
            "{r:?} {:?}\n",
            store.notifications(*r, far, 1_000).await.unwrap()
        );
    }
    for (r, id) in &keys.notifications {
        out += &format!("{:?}\n", store.notification(*r, *id).await.unwrap());
    }
    for id in &keys.emails {
        out += &format!("{:?}\n", store.outbox_email(*id).await.unwrap());
    }
    for id in &keys.message_ids {
        out += &format!("{id} {:?}\n", store.mail_reference(id).await.unwrap());
    }
    let mut referenced = store.referenced_blobs(&keys.blobs).await.unwrap();
    referenced.sort();
    out += &format!("blobs {referenced:?}\n");
    out
}
