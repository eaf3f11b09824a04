//! Restored tickets written in bulk ([`BulkRestore`]) read back exactly as the ordinary
//! restore writes them (a commit of the writes, then CC addresses and followers one by one)
//! into the in-memory reference: tickets, threads, history, time entries, both forms of the
//! numbers, search, CC addresses, followers, blob references and the change feed's records.
//! A batch naming a taken number or id is refused whole.

use std::sync::Arc;

use crate::domain::{Actor, Agent, Customer, Department, Ticket, TicketId, Visibility};
use crate::error::{ConflictKind, Error};
use crate::export::TicketRecord;
use crate::feed::FeedPosition;
use crate::listing::{PageRequest, TicketFilter, TicketOrder};
use crate::search::{SearchQuery, TicketSearch};
use crate::store::{BlobKey, FollowerStore, MemoryStore, RestoredTickets, Store};
use crate::testkit::ability;
use crate::testkit::samples::{
    agent, customer, department, email, event, full_message, full_ticket, message, number, ticket,
    time_entry,
};

/// The directory the tickets name, put into `store`.
async fn put_directory(store: &dyn Store, d: &Department, agents: &[Agent], c: &Customer) {
    store.put_department(d).await.unwrap();
    for a in agents {
        store.put_agent(a).await.unwrap();
    }
    store.put_customer(c).await.unwrap();
}

/// Tickets as an export holds them: one with everything, plain ones, CC and followers.
fn records(d: &Department, agents: &[Agent], c: &Customer, first: u64) -> Vec<TicketRecord> {
    let mut out = Vec::new();
    for i in 0..6u64 {
        let mut t: Ticket = if i == 0 {
            full_ticket(number(first + i), d.id, c.id, agents[0].id)
        } else {
            ticket(number(first + i), d.id, c.id)
        };
        (t.master, t.merged_into, t.follow_up_of) = (None, None, None);
        let mut messages = vec![
            full_message(
                &t,
                Actor::Customer(c.id),
                Visibility::Public,
                "Роутер не работает",
            ),
            message(
                &t,
                &format!("внутренняя заметка {i} modem"),
                Visibility::Internal,
            ),
        ];
        if i % 2 == 0 {
            messages.push(message(&t, "سلام دوباره — modemul", Visibility::Public));
        }
        let history = vec![event(&t, crate::domain::Change::PendingReminder)];
        let time_entries = if i % 3 == 0 {
            vec![time_entry(&t, agents[1].id, 30 + i as u32, i == 0)]
        } else {
            Vec::new()
        };
        let cc = if i % 2 == 1 {
            vec![
                email("ops@client.example"),
                email(&format!("n{i}@x.example")),
            ]
        } else {
            Vec::new()
        };
        let followers = (agents.iter()).take(i as usize % 3).map(|a| a.id).collect();
        out.push(TicketRecord {
            messages,
            history,
            time_entries,
            ticket: t,
            cc,
            followers,
        });
    }
    out
}

/// The ordinary restore: what `Acting::restore_tickets_one_by_one` does.
async fn ordinary(store: &MemoryStore, records: Vec<TicketRecord>) {
    let restored = RestoredTickets::new(records);
    store.commit(restored.batch).await.unwrap();
    for (ticket, cc) in restored.cc {
        store.add_cc(ticket, &cc).await.unwrap();
    }
    for (ticket, agents) in restored.followers {
        for agent in agents {
            store.set_following(ticket, agent, true).await.unwrap();
        }
    }
}

/// Everything a store answers about `ids`.
async fn reads(store: &dyn Store, ids: &[TicketId]) -> Vec<String> {
    let f = store.as_follower_store().expect("followers");
    let mut out = Vec::new();
    for id in ids {
        let t = store.ticket(*id).await.unwrap();
        out.push(format!("{t:?}"));
        if let Some(t) = t {
            for digits in [t.number.full(), t.number.short()] {
                let found = store.ticket_by_number(digits).await.unwrap();
                out.push(format!("{digits}: {:?}", found.map(|t| t.id)));
            }
        }
        out.push(format!("{:?}", store.messages(*id, true).await.unwrap()));
        out.push(format!("{:?}", store.messages(*id, false).await.unwrap()));
        out.push(format!("{:?}", store.history(*id).await.unwrap()));
        out.push(format!("{:?}", store.time_entries(*id).await.unwrap()));
        out.push(format!("{:?}", f.cc_addresses(*id).await.unwrap()));
        out.push(format!("{:?}", f.followers(*id).await.unwrap()));
    }
    for (query, internal) in [
        ("modem", false),
        ("modem", true),
        ("работает", false),
        ("заметка", true),
        ("заметка", false),
        ("سلام", false),
        ("интернета", false),
    ] {
        let search = TicketSearch {
            query: SearchQuery::parse(query).unwrap(),
            filter: TicketFilter::default(),
            include_internal: internal,
        };
        let page = PageRequest::first(TicketOrder::LastUpdate, 50);
        let mut found: Vec<TicketId> = (store.search_tickets(&search, &page).await.unwrap())
            .items
            .into_iter()
            .map(|t| t.id)
            .collect();
        found.sort();
        out.push(format!("{query} {internal}: {found:?}"));
    }
    let key = BlobKey::parse(&"ab".repeat(32)).unwrap();
    out.push(format!(
        "{:?}",
        store
            .referenced_blobs(std::slice::from_ref(&key))
            .await
            .unwrap()
    ));
    if let Some(feed) = store.as_change_feed() {
        let changes = feed.changes_after(FeedPosition::START, 1000).await.unwrap();
        let changes: Vec<_> = changes.into_iter().map(|e| e.change).collect();
        out.push(format!("{changes:?}"));
    }
    out
}

pub async fn a_bulk_restore_equals_the_ordinary_restore(store: Arc<dyn Store>) {
    let Some(bulk) = ability(store.as_bulk_restore(), "bulk restore") else {
        return;
    };
    if ability(store.as_follower_store(), "followers").is_none() {
        return;
    }
    let reference = MemoryStore::new();
    let d = department("Support");
    let agents = [
        agent("Ivan", "ivan@desk.example", &[d.id]),
        agent("Maria", "maria@desk.example", &[d.id]),
    ];
    let c = customer("Ana", Some("ana@client.example"));
    put_directory(store.as_ref(), &d, &agents, &c).await;
    put_directory(&reference, &d, &agents, &c).await;
    let first = records(&d, &agents, &c, 1);
    let second = records(&d, &agents, &c, 100);
    let ids: Vec<TicketId> = (first.iter().chain(&second)).map(|r| r.ticket.id).collect();
    // Two batches, as an import sends them.
    bulk.restore_tickets(first.clone()).await.unwrap();
    bulk.restore_tickets(second.clone()).await.unwrap();
    ordinary(&reference, first).await;
    ordinary(&reference, second).await;
    assert_eq!(
        reads(store.as_ref(), &ids).await,
        reads(&reference, &ids).await
    );

    // A batch with a new ticket (with CC and followers) and one whose number is taken:
    // refused whole, nothing of it written.
    let mut refused = records(&d, &agents, &c, 500);
    refused.truncate(2);
    refused[1].ticket.number = number(3);
    let fresh: Vec<TicketId> = refused.iter().map(|r| r.ticket.id).collect();
    let error = bulk.restore_tickets(refused).await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Conflict { kind: ConflictKind::Duplicate { field }, .. } if *field == "number"
        ),
        "{error:?}"
    );
    // A batch restoring a stored ticket again: refused, nothing of it written.
    let mut again = records(&d, &agents, &c, 600);
    again.truncate(2);
    again[1].ticket.id = ids[0];
    for r in &mut again[1].messages {
        r.ticket_id = ids[0];
    }
    for r in &mut again[1].history {
        r.ticket_id = ids[0];
    }
    for r in &mut again[1].time_entries {
        r.ticket_id = ids[0];
    }
    assert!(bulk.restore_tickets(again.clone()).await.is_err());
    let mut untouched = fresh;
    untouched.push(again[0].ticket.id);
    let follower_store = store.as_follower_store().expect("followers");
    for id in &untouched {
        assert_eq!(store.ticket(*id).await.unwrap(), None);
        assert!(store.messages(*id, true).await.unwrap().is_empty());
        assert!(follower_store.cc_addresses(*id).await.unwrap().is_empty());
        assert!(follower_store.followers(*id).await.unwrap().is_empty());
    }
    assert_eq!(
        reads(store.as_ref(), &ids).await,
        reads(&reference, &ids).await,
        "the refused batches changed nothing"
    );
}
