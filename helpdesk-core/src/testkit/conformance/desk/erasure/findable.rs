//! What "nothing of the customer is findable" means after an erasure: not by the search
//! box, a look-up of their name, e-mail or phone, in the outbox (as addressee or in copy),
//! notifications, quarantined mail, blobs, accounts, the change feed, saved searches, nor in
//! any ticket kept or its history.

use chrono::Duration;

use super::MARK;
use crate::clock::Clock;
use crate::domain::{Actor, Customer, Recipient, Ticket};
use crate::listing::{CustomerFilter, CustomerPageRequest, CustomerText};
use crate::search::CustomerLookup;
use crate::service::Acting;
use crate::store::{
    BlobKey, BlobStore, MemoryBlobStore, PageRequest, Store, TicketFilter, TicketOrder,
};
use crate::testkit::Fixture;

/// Every ticket of the desk, whatever its status.
async fn every_ticket(store: &dyn Store) -> Vec<Ticket> {
    let mut page = PageRequest::first(TicketOrder::LastUpdate, PageRequest::MAX_LIMIT);
    let mut all = Vec::new();
    loop {
        let got = (store.list_tickets(&TicketFilter::default(), &page))
            .await
            .unwrap();
        all.extend(got.items);
        match got.next {
            Some(cursor) => page = page.after(cursor).unwrap(),
            None => return all,
        }
    }
}

/// Asserts that no ticket kept, nor its history, holds `words`.
pub(super) async fn no_ticket_or_history_holds(store: &dyn Store, words: &[&str]) {
    for t in every_ticket(store).await {
        let history = store.history(t.id).await.unwrap();
        let text = format!("{t:?} {history:?}").to_lowercase();
        for w in words {
            assert!(
                !text.contains(&w.to_lowercase()),
                "ticket {} or its history keeps {w:?}: {text}",
                t.number.full()
            );
        }
    }
}

/// The tickets the search box finds for `q`.
pub(super) async fn found(who: &Acting, q: &str) -> usize {
    who.search_tickets(
        q,
        TicketFilter::default(),
        PageRequest::first(TicketOrder::LastUpdate, 100),
    )
    .await
    .unwrap_or_else(|e| panic!("{q:?}: {e:?}"))
    .items
    .len()
}

/// Asserts that nothing of `customer` (with address `address`) is findable but what an
/// anonymised ticket keeps.
pub(super) async fn nothing_findable(
    f: &Fixture,
    customer: &Customer,
    blobs: &MemoryBlobStore,
    bytes: &[u8],
) {
    let store = f.desk.store().clone();
    let admin = f.as_agent(&f.admin).await;
    let address = customer.email.clone().unwrap();
    for q in [MARK, address.as_str(), customer.name.as_str()] {
        assert_eq!(found(&admin, q).await, 0, "the search box finds {q:?}");
        let filter = CustomerFilter {
            text: Some(CustomerText::parse(q).unwrap()),
            ..CustomerFilter::default()
        };
        let listed = (store.list_customers(&filter, &CustomerPageRequest::first(10)))
            .await
            .unwrap();
        assert!(listed.items.is_empty(), "the directory lists {q:?}");
    }
    let by_email = CustomerLookup::Email(address.clone());
    assert!(
        store
            .find_customers(&by_email, 10)
            .await
            .unwrap()
            .is_empty()
    );
    if let Some(phone) = &customer.phone {
        let by_phone = CustomerLookup::phone(phone.as_str()).unwrap();
        assert!(
            store
                .find_customers(&by_phone, 10)
                .await
                .unwrap()
                .is_empty()
        );
    }
    assert!(store.customer_by_email(&address).await.unwrap().is_none());
    assert!(
        (store.notifications(Recipient::Customer(customer.id), f.clock.now(), 100))
            .await
            .unwrap()
            .is_empty()
    );
    let far = f.clock.now() + Duration::days(3650);
    let queued = store.lease_outbox(far, far, 1000).await.unwrap();
    assert!(
        queued
            .iter()
            .all(|e| e.to != address && !e.body.contains(MARK) && !e.subject.contains(MARK)),
        "mail to them or about their ticket stays queued"
    );
    assert!(
        queued.iter().all(|e| !e.cc.contains(&address)),
        "mail of another ticket keeps them in copy"
    );
    no_ticket_or_history_holds(
        store.as_ref(),
        &[MARK, address.as_str(), customer.name.as_str()],
    )
    .await;
    if let Some(feed) = store.as_change_feed() {
        let records = (feed.changes_after(crate::feed::FeedPosition::START, 1000))
            .await
            .unwrap();
        let text = format!("{records:?}").to_lowercase();
        for w in [
            MARK,
            address.as_str(),
            &customer.name.as_str().to_lowercase(),
        ] {
            assert!(!text.contains(w), "the change feed holds {w:?}");
        }
    }
    if let Ok(saved) = f.as_agent(&f.ivan).await.saved_searches().await {
        assert!(
            saved.iter().all(|s| s.filter.customer != Some(customer.id)
                && !(s.query.as_deref()).is_some_and(|q| q.contains(address.as_str()))),
            "a saved search names them: {saved:?}"
        );
    }
    for n in (store.notifications(Recipient::Agent(f.ivan.id), far, 100))
        .await
        .unwrap()
    {
        assert!(
            !format!("{:?}", n.kind).contains(MARK),
            "a notification keeps their text"
        );
    }
    assert!(
        blobs.blob(&BlobKey::of(bytes)).await.unwrap().is_none(),
        "their attachment's bytes stay"
    );
    if let Some(q) = store.as_mail_quarantine() {
        let kept = q.quarantined_mails(None, 100).await.unwrap();
        assert!(
            kept.iter().all(|m| !format!("{m:?}").contains(MARK)
                && !(m.summary.sender.as_deref())
                    .is_some_and(|s| s.eq_ignore_ascii_case(address.as_str()))),
            "mail from them stays in the quarantine"
        );
    }
    if let Some(u) = store.as_undeliverable_store() {
        assert!(u.undeliverable(&address).await.unwrap().is_none());
    }
    if let Some(accounts) = store.as_account_store() {
        let actor = Actor::Customer(customer.id);
        assert!(accounts.account_links_of(actor).await.unwrap().is_empty());
        assert!(accounts.login_of(actor).await.unwrap().is_none());
        assert!(accounts.tokens_of(actor).await.unwrap().is_empty());
    }
}
