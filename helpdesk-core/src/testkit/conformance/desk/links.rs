//! Tickets linked to others and work logged on them: merging closes the source (and sends
//! replies to it on to the target), master
//! tickets collect linked ones, and time entries are kept with billable ones shown to the
//! customer, their notes only when the agent made them visible.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{changed, note, reply};
use crate::domain::{Change, Minutes, Resolution, ShortNote, Status, TicketType};
use crate::error::Error;
use crate::machine::Command;
use crate::store::{PageRequest, Store, TicketFilter};
use crate::testkit::Fixture;

pub async fn merging_closes_the_source_and_sends_replies_to_the_target(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let a = f.open(&f.ana, "Internet down").await;
    let b = f.open(&f.ana, "Internet still down").await;
    let other = f.open(&f.reza, "Someone else's").await;
    let ivan = f.as_agent(&f.ivan).await;
    let err = ivan
        .execute(b.id, Command::MergeInto { target: other.id })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "another customer's");
    let merged = changed(
        ivan.execute(b.id, Command::MergeInto { target: a.id })
            .await
            .unwrap(),
    );
    assert_eq!(merged.status, Status::Closed(Resolution::Merged));
    assert_eq!(merged.merged_into, Some(a.id));
    let target = store.ticket(a.id).await.unwrap().unwrap();
    assert_eq!(target.version, a.version.next());
    assert_eq!(store.messages(b.id, true).await.unwrap().len(), 0);
    assert!(
        store
            .history(a.id)
            .await
            .unwrap()
            .iter()
            .any(|e| e.change == Change::MergeReceived { source: b.id })
    );
    let ana = f.as_customer(&f.ana).await;
    let landed = changed(ana.execute(b.id, reply("hello?")).await.unwrap());
    assert_eq!(
        landed.id, a.id,
        "a reply to the merged ticket goes to the target"
    );
    for result in [
        ivan.execute(b.id, note("x")).await,
        ivan.execute(b.id, Command::Reopen).await,
    ] {
        assert!(
            matches!(result, Err(Error::InvalidTransition { .. })),
            "{result:?}"
        );
    }
}

pub async fn master_tickets_collect_linked_tickets(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let ivan = f.as_agent(&f.ivan).await;
    let mut outage = f.new_ticket(&f.support, "Outage: district Nord");
    outage.internal = true;
    let master = ivan.open_ticket(outage).await.unwrap();
    let a = f.open(&f.ana, "No internet").await;
    let link = |master| Command::LinkToMaster {
        master: Some(master),
    };
    let linked = changed(ivan.execute(a.id, link(master.id)).await.unwrap());
    assert_eq!(linked.master, Some(master.id));
    let mut phone = f.new_ticket(&f.support, "No internet either");
    phone.customer = Some(f.reza.id);
    phone.master = Some(master.id);
    let b = ivan.open_ticket(phone).await.unwrap();
    let filter = TicketFilter {
        master: Some(master.id),
        ..Default::default()
    };
    let page = ivan
        .list_tickets(filter, PageRequest::default())
        .await
        .unwrap();
    let ids: BTreeSet<_> = page.items.iter().map(|t| t.id).collect();
    assert_eq!(ids, [a.id, b.id].into_iter().collect());
    let err = ivan.execute(master.id, link(a.id)).await.unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "no chains of masters");
    let err = ivan.execute(a.id, link(a.id)).await.unwrap_err();
    assert!(matches!(err, Error::Validation(_)));
}

pub async fn time_entries_are_logged_and_billable_ones_shown_to_customers(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let mut new = f.new_ticket(&f.support, "Consultation on setup");
    new.ticket_type = TicketType::Consultation;
    let acme = f.as_customer(&f.acme).await;
    let t = acme.open_ticket(new).await.unwrap();
    let ivan = f.as_agent(&f.ivan).await;
    let log = |minutes, billable, note: &str| Command::LogTime {
        minutes: Minutes::new(minutes).unwrap(),
        billable,
        note: ShortNote::parse(note).unwrap(),
        note_visible_to_customer: false,
    };
    for (minutes, billable) in [(90, true), (10, false), (30, true)] {
        ivan.execute(t.id, log(minutes, billable, "work"))
            .await
            .unwrap();
    }
    let all = ivan.time_entries(t.id).await.unwrap();
    assert_eq!(
        all.iter().map(|e| e.minutes.get()).collect::<Vec<_>>(),
        [90, 10, 30]
    );
    assert!(
        all.iter()
            .all(|e| e.agent == f.ivan.id && e.ticket_id == t.id)
    );
    let shown = acme.time_entries(t.id).await.unwrap();
    assert_eq!(shown.iter().map(|e| e.minutes.get()).sum::<u32>(), 120);
    assert!(matches!(
        acme.execute(t.id, log(1, true, "")).await,
        Err(Error::Forbidden { .. })
    ));
}

pub async fn customers_read_a_billable_entrys_note_only_when_it_was_made_visible(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store).await;
    let mut new = f.new_ticket(&f.support, "Consultation on the VPN");
    new.ticket_type = TicketType::Consultation;
    let acme = f.as_customer(&f.acme).await;
    let t = acme.open_ticket(new).await.unwrap();
    let ivan = f.as_agent(&f.ivan).await;
    let shared = "Configured the VPN client";
    let kept = "Their firewall rules are a mess";
    let logs = [
        (60, true, shared, true),
        (30, true, kept, false),
        (15, false, "Call with the vendor", true),
    ];
    for (minutes, billable, note, visible) in logs {
        let log = Command::LogTime {
            minutes: Minutes::new(minutes).unwrap(),
            billable,
            note: ShortNote::parse(note).unwrap(),
            note_visible_to_customer: visible,
        };
        ivan.execute(t.id, log).await.unwrap();
    }
    // Logged without a word about it (as an API body may be): hidden.
    let unsaid: Command = serde_json::from_value(serde_json::json!({
        "command": "log_time", "minutes": 5, "billable": true, "note": "Unsaid remark",
    }))
    .unwrap();
    ivan.execute(t.id, unsaid).await.unwrap();

    // Staff read every note and the choice made.
    let all = ivan.time_entries(t.id).await.unwrap();
    let staff: Vec<(u32, &str, bool)> = (all.iter())
        .map(|e| (e.minutes.get(), e.note.as_str(), e.note_visible_to_customer))
        .collect();
    assert_eq!(
        staff,
        [
            (60, shared, true),
            (30, kept, false),
            (15, "Call with the vendor", true),
            (5, "Unsaid remark", false)
        ]
    );

    // The customer: the billable entries, a note only where it was made visible.
    let seen = acme.time_entries(t.id).await.unwrap();
    let customer: Vec<(u32, &str, bool)> = (seen.iter())
        .map(|e| (e.minutes.get(), e.note.as_str(), e.note_visible_to_customer))
        .collect();
    assert_eq!(
        customer,
        [(60, shared, true), (30, "", false), (5, "", false)]
    );
    // Nor does the thread or the history carry a kept note to them.
    let thread = format!("{:?}", acme.thread(t.id).await.unwrap());
    let history = format!("{:?}", acme.history(t.id).await.unwrap());
    for text in [thread, history] {
        assert!(!text.contains(kept) && !text.contains("Unsaid"), "{text}");
    }
}
