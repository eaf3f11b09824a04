//! Paging while tickets change: a pass (see [`Pass`](crate::listing::Pass)) lists each ticket
//! at most once in every order, a relevance-ranked search too, and the tickets it leaves out
//! because they changed are the ones its last page reports. Counts are scoped like lists.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::search::open_with;
use super::{changed, note};
use crate::domain::{Priority, Ticket, TicketId};
use crate::machine::Command;
use crate::service::Acting;
use crate::store::{Changed, Cursor, Page, PageRequest, Store, TicketFilter, TicketOrder};
use crate::testkit::Fixture;

/// Twelve support tickets, a third each low, normal and high, then an hour of quiet.
async fn queue(f: &Fixture) -> Vec<Ticket> {
    let boss = f.as_agent(&f.boss).await;
    let priorities = [Priority::Low, Priority::Normal, Priority::High];
    let mut tickets = Vec::new();
    for i in 0..12 {
        let t = f.open(&f.ana, &format!("Router {i} keeps dropping")).await;
        let priority = priorities[i % 3];
        tickets.push(if t.priority == priority {
            t
        } else {
            changed(
                boss.execute(t.id, Command::ChangePriority { priority })
                    .await
                    .unwrap(),
            )
        });
    }
    f.tick(3600);
    tickets
}

/// A page of what `who` lists, or finds with `query`.
async fn read(who: &Acting, query: Option<&str>, page: PageRequest) -> Page<Ticket> {
    match query {
        Some(q) => who.search_tickets(q, TicketFilter::default(), page).await,
        None => who.list_tickets(TicketFilter::default(), page).await,
    }
    .unwrap()
}

/// What a pass listed, page after page, what its last page reported, and which tickets
/// changed while it went on.
struct Walked {
    listed: Vec<TicketId>,
    reported: Option<Changed>,
    touched: BTreeSet<TicketId>,
}

/// Reads pages of three as `who`, each cursor through its text form as a client hands it
/// back. Between two reads, a ticket just listed gets a note and the next one not listed yet
/// becomes urgent: each moves in every order.
async fn pass(f: &Fixture, who: &Acting, query: Option<&str>, order: TicketOrder) -> Walked {
    let boss = f.as_agent(&f.boss).await;
    let mut page = PageRequest::first(order, 3);
    let mut pass = Walked {
        listed: Vec::new(),
        reported: None,
        touched: BTreeSet::new(),
    };
    for _ in 0..50 {
        let got = read(who, query, page.clone()).await;
        pass.listed.extend(got.items.iter().map(|t| t.id));
        pass.reported = got.changed;
        let Some(next) = got.next else {
            return pass;
        };
        let text = next.encode();
        page = PageRequest::first(order, 3)
            .after(Cursor::decode(&text).unwrap())
            .unwrap();
        f.tick(1);
        let seen = got.items[0].id;
        boss.execute(seen, note("looked at it")).await.unwrap();
        pass.touched.insert(seen);
        let now = read(who, query, PageRequest::first(order, 200)).await;
        if let Some(ahead) = now.items.iter().find(|t| !pass.listed.contains(&t.id)) {
            let command = if ahead.priority == Priority::Urgent {
                note("still urgent")
            } else {
                Command::ChangePriority {
                    priority: Priority::Urgent,
                }
            };
            boss.execute(ahead.id, command).await.unwrap();
            pass.touched.insert(ahead.id);
        }
    }
    panic!("the pass does not end");
}

/// Each ticket listed at most once; every ticket matching now listed or reported; the report
/// names exactly the tickets that changed since the pass began.
async fn each_once_or_reported(who: &Acting, query: Option<&str>, pass: &Walked, want: usize) {
    let distinct: BTreeSet<TicketId> = pass.listed.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        pass.listed.len(),
        "a ticket was listed twice: {:?}",
        pass.listed
    );
    let reported = pass
        .reported
        .as_ref()
        .expect("a page after the first reports what changed");
    assert!(!reported.more, "{reported:?}");
    let named: BTreeSet<TicketId> = reported.tickets.iter().copied().collect();
    assert_eq!(
        named, pass.touched,
        "the report names what changed since the pass began"
    );
    let now = read(who, query, PageRequest::first(TicketOrder::LastUpdate, 200)).await;
    assert_eq!(now.items.len(), want);
    for t in &now.items {
        assert!(
            distinct.contains(&t.id) || named.contains(&t.id),
            "{} was neither listed nor reported",
            t.subject
        );
        assert_eq!(
            named.contains(&t.id),
            t.updated_at >= reported.since,
            "{} changed at {}; the pass began at {}",
            t.subject,
            t.updated_at,
            reported.since
        );
        if !named.contains(&t.id) {
            assert!(
                distinct.contains(&t.id),
                "{} unchanged, not listed",
                t.subject
            );
        }
    }
    // The reported ones, the most recently changed first, lead a new pass's first page.
    let leading: Vec<TicketId> = now.items[..named.len()].iter().map(|t| t.id).collect();
    assert_eq!(leading, reported.tickets);
}

pub async fn a_priority_queue_paged_while_tickets_change_lists_each_once_or_reports_it(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store).await;
    queue(&f).await;
    let admin = f.as_agent(&f.admin).await;
    let pass = pass(&f, &admin, None, TicketOrder::Priority).await;
    each_once_or_reported(&admin, None, &pass, 12).await;
}

pub async fn the_last_update_list_paged_while_tickets_change_lists_each_once_or_reports_it(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store).await;
    queue(&f).await;
    let ana = f.as_customer(&f.ana).await;
    let pass = pass(&f, &ana, None, TicketOrder::LastUpdate).await;
    each_once_or_reported(&ana, None, &pass, 12).await;
}

pub async fn a_relevance_search_paged_while_tickets_change_lists_each_once_or_reports_it(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store).await;
    for i in 0..4 {
        open_with(&f, &f.ana, &format!("Router and modem {i}"), "Both dead.").await;
        open_with(
            &f,
            &f.acme,
            &format!("Router {i} resets"),
            "The modem is fine.",
        )
        .await;
        open_with(&f, &f.reza, &format!("Slow line {i}"), "router modem").await;
    }
    open_with(&f, &f.ana, "Printer", "Out of paper.").await;
    f.tick(3600);
    let admin = f.as_agent(&f.admin).await;
    let q = Some("router modem");
    let pass = pass(&f, &admin, q, TicketOrder::Relevance).await;
    each_once_or_reported(&admin, q, &pass, 12).await;
}

pub async fn ticket_counts_are_scoped_like_lists(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    for i in 0..3 {
        f.open(&f.ana, &format!("Ana's ticket {i}")).await;
    }
    f.open(&f.reza, "Reza's ticket").await;
    let billing = f.new_ticket(&f.billing, "Invoice twice");
    f.as_customer(&f.acme)
        .await
        .open_ticket(billing)
        .await
        .unwrap();
    let mut internal = f.new_ticket(&f.support, "Replace the switch");
    internal.internal = true;
    f.as_agent(&f.ivan)
        .await
        .open_ticket(internal)
        .await
        .unwrap();
    let filters = [
        TicketFilter::default(),
        TicketFilter {
            customer: Some(f.ana.id),
            ..TicketFilter::default()
        },
        TicketFilter {
            departments: Some(vec![f.billing.id]),
            ..TicketFilter::default()
        },
        TicketFilter {
            internal: Some(true),
            ..TicketFilter::default()
        },
    ];
    let cast = [
        (f.as_customer(&f.ana).await, [3, 3, 0, 0]),
        (f.as_customer(&f.reza).await, [1, 0, 0, 0]),
        (f.as_agent(&f.maria).await, [1, 0, 1, 0]),
        (f.as_agent(&f.ivan).await, [5, 3, 0, 1]),
        (f.as_agent(&f.admin).await, [6, 3, 1, 1]),
    ];
    for (who, counts) in cast {
        for (filter, want) in filters.iter().zip(counts) {
            let listed = who
                .list_tickets(
                    filter.clone(),
                    PageRequest::first(TicketOrder::LastUpdate, 200),
                )
                .await
                .unwrap();
            let counted = who.count_tickets(filter.clone()).await.unwrap();
            assert_eq!(
                counted,
                listed.items.len() as u64,
                "{:?} {filter:?}",
                who.actor()
            );
            assert_eq!(counted, want, "{:?} {filter:?}", who.actor());
        }
    }
}

/// A thread read page by page, newest page first, from each page's `older` cursor: every
/// message once, in order, each page as the reference cuts it; customers never see an
/// internal note nor page from one; a bad limit or cursor is refused.
pub async fn a_thread_is_read_in_pages_newest_first_like_the_reference(store: Arc<dyn Store>) {
    use crate::store::{MAX_THREAD_PAGE, MessagePage};

    let f = Fixture::new(store).await;
    let t = f.open(&f.ana, "Printer keeps jamming").await;
    let boss = f.as_agent(&f.boss).await;
    let ana = f.as_customer(&f.ana).await;
    for i in 0..11 {
        let command = if i % 3 == 2 {
            note(&format!("internal {i}"))
        } else {
            super::reply(&format!("reply {i}"))
        };
        boss.execute(t.id, command).await.unwrap();
        f.tick(1);
    }
    for (who, internal) in [(&boss, true), (&ana, false)] {
        let whole = who.thread(t.id).await.unwrap();
        assert_eq!(whole.len(), if internal { 12 } else { 9 });
        for limit in [1, 4, 5, 12, 13] {
            let mut read = Vec::new();
            let mut before = None;
            loop {
                let page = who.thread_page(t.id, before, limit).await.unwrap();
                let expected = MessagePage::of(whole.clone(), before, limit).unwrap();
                assert_eq!(page, expected, "limit {limit}, before {before:?}");
                read.splice(0..0, page.items);
                match page.older {
                    Some(older) => before = Some(older),
                    None => break,
                }
            }
            assert_eq!(read, whole, "limit {limit}");
        }
        for bad in [0, MAX_THREAD_PAGE + 1] {
            let e = who.thread_page(t.id, None, bad).await.unwrap_err();
            assert_eq!(e.code(), "validation", "{e}");
        }
    }
    let notes: Vec<_> = (boss.thread(t.id).await.unwrap().into_iter())
        .filter(|m| m.visibility != crate::domain::Visibility::Public)
        .collect();
    let e = ana
        .thread_page(t.id, Some(notes[0].id), 5)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "validation", "{e}");
    let other = f.open(&f.ana, "Another").await;
    let first = boss.thread(t.id).await.unwrap()[0].id;
    let e = boss
        .thread_page(other.id, Some(first), 5)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "validation", "{e}");
}

/// A ticket with its thread, in one call: the ticket as `ticket` reads it and the thread's
/// newest page as `thread_page` cuts it, by id or by number; internal notes for staff only;
/// NotFound, named as asked, for a ticket the reader may not see or that does not exist; a
/// bad limit refused.
pub async fn a_ticket_with_its_thread_is_the_ticket_and_its_newest_page(store: Arc<dyn Store>) {
    use crate::domain::{TicketId, TicketKey, Visibility};
    use crate::store::MAX_THREAD_PAGE;

    let f = Fixture::new(store).await;
    let t = f.open(&f.ana, "Printer keeps jamming").await;
    let boss = f.as_agent(&f.boss).await;
    let ana = f.as_customer(&f.ana).await;
    for i in 0..7 {
        let command = if i % 3 == 1 {
            note(&format!("internal {i}"))
        } else {
            super::reply(&format!("reply {i}"))
        };
        boss.execute(t.id, command).await.unwrap();
        f.tick(1);
    }
    for (who, internal) in [(&boss, true), (&ana, false)] {
        for limit in [1, 3, 8, MAX_THREAD_PAGE] {
            let keys = [
                TicketKey::Id(t.id),
                TicketKey::Number(t.number.full().into()),
            ];
            for key in keys {
                let shown = who.ticket_with_thread(key.clone(), limit).await.unwrap();
                assert_eq!(shown.ticket, who.ticket(t.id).await.unwrap(), "{key:?}");
                let page = who.thread_page(t.id, None, limit).await.unwrap();
                assert_eq!(shown.thread, page, "limit {limit}, {key:?}");
                let notes = (shown.thread.items.iter())
                    .filter(|m| m.visibility != Visibility::Public)
                    .count();
                assert_eq!(notes > 0, internal && limit > 1, "limit {limit}");
            }
        }
        for bad in [0, MAX_THREAD_PAGE + 1] {
            let e = who.ticket_with_thread(t.id, bad).await.unwrap_err();
            assert_eq!(e.code(), "validation", "{e}");
        }
    }
    // Someone else's ticket, and no ticket at all: NotFound, as `ticket` answers.
    let reza = f.as_customer(&f.reza).await;
    let maria = f.as_agent(&f.maria).await;
    for (who, key) in [
        (&reza, TicketKey::Id(t.id)),
        (&reza, TicketKey::Number(t.number.short().into())),
        (&maria, TicketKey::Id(t.id)),
        (&boss, TicketKey::Id(TicketId::new())),
    ] {
        let e = who.ticket_with_thread(key.clone(), 5).await.unwrap_err();
        assert_eq!(e.code(), "not_found", "{key:?}: {e}");
        let plain = who.ticket(key.clone()).await.unwrap_err();
        assert_eq!(e.to_string(), plain.to_string(), "{key:?}");
    }
}
