//! Undeliverable addresses ([`UndeliverableStore`](crate::store::UndeliverableStore)): a
//! mark per address read back exactly, replaced by a newer one, listed by address a page at
//! a time with only the marks in force, and cleared once.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};

use crate::domain::{Email, OutboxId, TicketId};
use crate::store::{Store, UndeliverableAddress};
use crate::testkit::ability;
use crate::testkit::samples::email;

fn mark(address: &str, hours: i64) -> UndeliverableAddress {
    let at = Utc.with_ymd_and_hms(2026, 1, 5, 10, 0, 0).unwrap();
    UndeliverableAddress {
        address: email(address),
        marked_at: at,
        until: at + Duration::hours(hours),
        status: Some("5.1.1".into()),
        diagnostic: Some("smtp; 550 5.1.1 <ана@пример.рф> — \"no such user\"".into()),
        ticket_id: Some(TicketId::new()),
        outbox_id: Some(OutboxId::new()),
    }
}

pub async fn undeliverable_marks_round_trip_list_in_force_by_address_and_clear(
    store: Arc<dyn Store>,
) {
    let Some(u) = ability(store.as_undeliverable_store(), "undeliverable addresses") else {
        return;
    };
    let at = Utc.with_ymd_and_hms(2026, 1, 5, 10, 0, 0).unwrap();
    assert!(
        u.undeliverable_addresses(at, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let marks: Vec<UndeliverableAddress> = ["e@x.example", "a@x.example", "c@x.example"]
        .into_iter()
        .map(|a| mark(a, 24))
        .collect();
    for m in &marks {
        u.mark_undeliverable(m).await.unwrap();
    }
    // A mark without any of the optional parts, lasting an hour.
    let bare = UndeliverableAddress {
        status: None,
        diagnostic: None,
        ticket_id: None,
        outbox_id: None,
        ..mark("b@x.example", 1)
    };
    u.mark_undeliverable(&bare).await.unwrap();
    for m in marks.iter().chain([&bare]) {
        assert_eq!(u.undeliverable(&m.address).await.unwrap().as_ref(), Some(m));
    }
    assert_eq!(u.undeliverable(&email("z@x.example")).await.unwrap(), None);

    let addresses = |list: Vec<UndeliverableAddress>| -> Vec<String> {
        list.into_iter().map(|m| m.address.to_string()).collect()
    };
    let first = u.undeliverable_addresses(at, None, 2).await.unwrap();
    assert_eq!(addresses(first.clone()), ["a@x.example", "b@x.example"]);
    let after: &Email = &first[1].address;
    let second = u.undeliverable_addresses(at, Some(after), 2).await.unwrap();
    assert_eq!(addresses(second), ["c@x.example", "e@x.example"]);
    // Two hours on, the hour-long mark is over: read back, but no longer listed.
    let later = at + Duration::hours(2);
    assert_eq!(
        addresses(u.undeliverable_addresses(later, None, 10).await.unwrap()),
        ["a@x.example", "c@x.example", "e@x.example"]
    );
    assert!(u.undeliverable(&bare.address).await.unwrap().is_some());
    // Exactly at its end a mark is over.
    assert_eq!(
        u.undeliverable_addresses(at + Duration::hours(24), None, 10)
            .await
            .unwrap()
            .len(),
        0
    );

    // A newer mark replaces the old one.
    let newer = UndeliverableAddress {
        status: Some("5.2.1".into()),
        ..mark("c@x.example", 48)
    };
    u.mark_undeliverable(&newer).await.unwrap();
    assert_eq!(
        u.undeliverable(&newer.address).await.unwrap(),
        Some(newer.clone())
    );
    assert_eq!(
        u.undeliverable_addresses(at, None, 10).await.unwrap().len(),
        4
    );

    assert!(u.clear_undeliverable(&newer.address).await.unwrap());
    assert!(!u.clear_undeliverable(&newer.address).await.unwrap());
    assert_eq!(u.undeliverable(&newer.address).await.unwrap(), None);
    assert_eq!(
        addresses(u.undeliverable_addresses(at, None, 10).await.unwrap()),
        ["a@x.example", "b@x.example", "e@x.example"]
    );
}
