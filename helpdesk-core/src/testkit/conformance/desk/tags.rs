//! Tags through the desk: agents put them on and take them off through the state machine
//! with a history entry in the same commit; a selection is tagged all together or not at
//! all; lists filter by them; the tags in use complete a prefix, most used first; reports
//! count tickets per tag; customers neither set nor see them.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::domain::{Change, Tag, TicketKey};
use crate::error::{Error, ForbiddenReason};
use crate::listing::TimeRange;
use crate::machine::Command;
use crate::service::Outcome;
use crate::store::{PageRequest, Store, TicketFilter};
use crate::testkit::{Fixture, ability, body};

fn tags(names: &[&str]) -> BTreeSet<Tag> {
    names.iter().map(|n| Tag::parse(n).unwrap()).collect()
}

pub async fn agents_tag_tickets_with_a_history_entry_and_customers_never_see_them(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store).await;
    let t = f.open(&f.ana, "Routerul nu merge").await;
    let (ivan, ana) = (f.as_agent(&f.ivan).await, f.as_customer(&f.ana).await);

    let tagged = ivan
        .tag_ticket(t.id, tags(&["VIP", "Întârziere plată"]), BTreeSet::new())
        .await
        .unwrap();
    let Outcome::Changed(tagged) = tagged else {
        panic!("{tagged:?}")
    };
    assert_eq!(tagged.tags, tags(&["vip", "intarziere plata"]));
    assert_eq!(tagged.version, t.version.next());
    let history = ivan.history(t.id).await.unwrap();
    let Some(Change::Tagged { added, removed }) = history.last().map(|e| &e.change) else {
        panic!("{history:?}")
    };
    assert_eq!(
        (
            added.iter().map(Tag::as_str).collect::<Vec<_>>(),
            removed.len()
        ),
        (vec!["Întârziere plată", "VIP"], 0)
    );

    // The same tag spelt otherwise is already there: nothing changes.
    let again = ivan
        .tag_ticket(t.id, tags(&["vip"]), BTreeSet::new())
        .await
        .unwrap();
    assert!(matches!(again, Outcome::Unchanged(_)), "{again:?}");
    assert_eq!(ivan.history(t.id).await.unwrap().len(), history.len());

    // Customers neither set nor see tags, and their replies keep them.
    for refused in [
        ana.tag_ticket(t.id, tags(&["mine"]), BTreeSet::new())
            .await
            .err(),
        ana.execute(
            t.id,
            Command::Tag {
                add: tags(&["mine"]),
                remove: BTreeSet::new(),
            },
        )
        .await
        .err(),
    ] {
        assert!(
            matches!(refused, Some(Error::Forbidden { .. })),
            "{refused:?}"
        );
    }
    assert!(ana.ticket(t.id).await.unwrap().tags.is_empty());
    let replied = ana
        .execute(t.id, Command::reply(body("Tot nu merge")))
        .await
        .unwrap();
    assert!(replied.ticket().tags.is_empty(), "{replied:?}");
    // Also through the calls that read the principal with the request's reads.
    let as_ana = crate::domain::Actor::Customer(f.ana.id);
    let (_, shown) = (f.desk.ticket_with_thread_as(as_ana, t.id, 10))
        .await
        .unwrap();
    assert!(shown.ticket.tags.is_empty());
    let replied = (f.desk)
        .execute_as(as_ana, t.id, Command::reply(body("Încă o dată")))
        .await
        .unwrap();
    assert!(replied.ticket().tags.is_empty(), "{replied:?}");
    assert_eq!(
        ivan.ticket(t.id).await.unwrap().tags,
        tags(&["VIP", "Întârziere plată"])
    );
    assert!(
        (ana.history(t.id).await.unwrap().iter())
            .all(|e| !matches!(e.change, Change::Tagged { .. }))
    );
    let mine = ana
        .list_tickets(TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert!(mine.items.iter().all(|t| t.tags.is_empty()));
    let by_tag = TicketFilter {
        tags: Some(vec![Tag::parse("vip").unwrap()]),
        ..TicketFilter::default()
    };
    assert!(
        (ana.list_tickets(by_tag.clone(), PageRequest::default())
            .await)
            .unwrap()
            .items
            .is_empty(),
        "a customer cannot probe tags with a filter"
    );
    assert!(matches!(
        ana.tags_in_use("", 10).await,
        Err(Error::Forbidden { .. })
    ));

    // Maria reads billing but may not edit there; Ivan works outside billing.
    let billing = f
        .as_customer(&f.ana)
        .await
        .open_ticket(f.new_ticket(&f.billing, "Factura"))
        .await
        .unwrap();
    let maria = f.as_agent(&f.maria).await;
    assert!(matches!(
        maria
            .tag_ticket(billing.id, tags(&["x"]), BTreeSet::new())
            .await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::MissingPermission { .. }
        })
    ));
    assert!(
        ivan.tag_ticket(billing.id, tags(&["x"]), BTreeSet::new())
            .await
            .is_err()
    );

    // Removing: the history says which.
    let Outcome::Changed(untagged) = ivan
        .tag_ticket(t.id, BTreeSet::new(), tags(&["VIP", "never there"]))
        .await
        .unwrap()
    else {
        panic!("a change")
    };
    assert_eq!(untagged.tags, tags(&["Întârziere plată"]));
    let last = ivan.history(t.id).await.unwrap().pop().unwrap();
    assert_eq!(
        last.change,
        Change::Tagged {
            added: vec![],
            removed: vec![Tag::parse("VIP").unwrap()],
        }
    );
}

pub async fn tag_filters_list_the_tickets_with_any_of_the_tags(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let ivan = f.as_agent(&f.ivan).await;
    let a = f.open(&f.ana, "A").await;
    let b = f.open(&f.acme, "B").await;
    let c = f.open(&f.reza, "C").await;
    ivan.tag_ticket(a.id, tags(&["VIP", "روتر"]), BTreeSet::new())
        .await
        .unwrap();
    ivan.tag_ticket(b.id, tags(&["возврат"]), BTreeSet::new())
        .await
        .unwrap();
    let listed = |names: Option<&[&str]>| {
        let ivan = &ivan;
        let filter = TicketFilter {
            tags: names.map(|n| n.iter().map(|t| Tag::parse(t).unwrap()).collect()),
            ..TicketFilter::default()
        };
        async move {
            let page = ivan
                .list_tickets(filter.clone(), PageRequest::default())
                .await
                .unwrap();
            let count = ivan.count_tickets(filter).await.unwrap();
            assert_eq!(count, page.items.len() as u64);
            let mut ids: Vec<_> = page.items.iter().map(|t| t.id).collect();
            ids.sort();
            ids
        }
    };
    let sorted = |mut v: Vec<_>| {
        v.sort();
        v
    };
    assert_eq!(listed(Some(&["vip"])).await, vec![a.id]);
    assert_eq!(
        listed(Some(&["رو‌تر"])).await,
        vec![a.id],
        "ZWNJ folded away"
    );
    assert_eq!(
        listed(Some(&["ВОЗВРАТ", "VIP"])).await,
        sorted(vec![a.id, b.id])
    );
    assert_eq!(listed(Some(&["none"])).await, vec![]);
    assert_eq!(listed(Some(&[])).await, vec![]);
    assert_eq!(listed(None).await, sorted(vec![a.id, b.id, c.id]));
}

pub async fn tags_in_use_complete_a_prefix_most_used_first_within_the_agents_departments(
    store: Arc<dyn Store>,
) {
    if ability(store.as_tag_store(), "tags").is_none() {
        return;
    }
    let f = Fixture::new(store).await;
    let (ivan, admin) = (f.as_agent(&f.ivan).await, f.as_agent(&f.admin).await);
    let mut tickets = Vec::new();
    for n in 0..3 {
        tickets.push(f.open(&f.ana, &format!("T{n}")).await.id);
    }
    let billing = f
        .as_customer(&f.ana)
        .await
        .open_ticket(f.new_ticket(&f.billing, "Factura"))
        .await
        .unwrap();
    ivan.tag_tickets(
        &tickets
            .iter()
            .map(|&t| TicketKey::Id(t))
            .collect::<Vec<_>>(),
        tags(&["Întârziere"]),
        BTreeSet::new(),
    )
    .await
    .unwrap();
    ivan.tag_ticket(tickets[0], tags(&["internet", "VIP"]), BTreeSet::new())
        .await
        .unwrap();
    admin
        .tag_ticket(billing.id, tags(&["invoice", "internet"]), BTreeSet::new())
        .await
        .unwrap();
    let shown = |v: Vec<crate::domain::TagCount>| -> Vec<(String, u64)> {
        v.into_iter()
            .map(|c| (c.tag.as_str().to_owned(), c.tickets))
            .collect()
    };
    let pair = |t: &str, n: u64| (t.to_owned(), n);
    assert_eq!(
        shown(ivan.tags_in_use("IN", 10).await.unwrap()),
        vec![pair("Întârziere", 3), pair("internet", 1)],
        "Ivan does not read billing"
    );
    assert_eq!(
        shown(admin.tags_in_use("în", 10).await.unwrap()),
        vec![
            pair("Întârziere", 3),
            pair("internet", 2),
            pair("invoice", 1)
        ]
    );
    assert_eq!(
        shown(admin.tags_in_use("", 1).await.unwrap()),
        vec![pair("Întârziere", 3)]
    );
    assert!(admin.tags_in_use("zz", 10).await.unwrap().is_empty());
    // Reports: the tickets opened in the period, per tag.
    let all = TimeRange::default();
    assert_eq!(
        shown(
            admin
                .tag_report(all, Some(vec![f.billing.id]), 10)
                .await
                .unwrap()
        ),
        vec![pair("internet", 1), pair("invoice", 1)]
    );
    f.tick(1);
    let later = TimeRange {
        from: Some(crate::clock::Clock::now(f.clock.as_ref())),
        to: None,
    };
    assert!(admin.tag_report(later, None, 10).await.unwrap().is_empty());
}

pub async fn bulk_tagging_changes_every_ticket_or_none(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let ivan = f.as_agent(&f.ivan).await;
    let a = f.open(&f.ana, "A").await;
    let b = f.open(&f.acme, "B").await;
    let billing = f
        .as_customer(&f.ana)
        .await
        .open_ticket(f.new_ticket(&f.billing, "Factura"))
        .await
        .unwrap();
    let keys = |ids: &[crate::domain::TicketId]| -> Vec<TicketKey> {
        ids.iter().map(|&id| TicketKey::Id(id)).collect()
    };
    let opened = ivan.history(a.id).await.unwrap().len();
    // One ticket outside Ivan's departments refuses the whole selection.
    let refused = ivan
        .tag_tickets(
            &keys(&[a.id, billing.id, b.id]),
            tags(&["outage"]),
            BTreeSet::new(),
        )
        .await;
    assert!(refused.is_err(), "{refused:?}");
    for id in [a.id, b.id] {
        assert!(ivan.ticket(id).await.unwrap().tags.is_empty());
        assert_eq!(
            ivan.history(id).await.unwrap().len(),
            opened,
            "only the opening"
        );
    }
    // A missing ticket too.
    let missing = ivan
        .tag_tickets(
            &keys(&[a.id, crate::domain::TicketId::new()]),
            tags(&["outage"]),
            BTreeSet::new(),
        )
        .await;
    assert!(
        matches!(missing, Err(Error::NotFound { .. })),
        "{missing:?}"
    );
    assert!(ivan.ticket(a.id).await.unwrap().tags.is_empty());
    // Bad selections are validation errors.
    for (selection, add) in [
        (keys(&[]), tags(&["x"])),
        (keys(&[a.id]), BTreeSet::new()),
        (vec![TicketKey::Id(a.id); 201], tags(&["x"])),
    ] {
        let bad = ivan.tag_tickets(&selection, add, BTreeSet::new()).await;
        assert!(matches!(bad, Err(Error::Validation(_))), "{bad:?}");
    }
    // All within reach: every ticket tagged, each with its history entry; a ticket named
    // twice is tagged once; a ticket already tagged stays as it was.
    ivan.tag_ticket(b.id, tags(&["OUTAGE"]), BTreeSet::new())
        .await
        .unwrap();
    let after = ivan
        .tag_tickets(
            &keys(&[a.id, b.id, a.id]),
            tags(&["outage"]),
            BTreeSet::new(),
        )
        .await
        .unwrap();
    assert_eq!(after.len(), 2);
    assert_eq!(
        after.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![a.id, b.id]
    );
    for (id, entries) in [(a.id, opened + 1), (b.id, opened + 1)] {
        let t = ivan.ticket(id).await.unwrap();
        assert_eq!(t.tags, tags(&["outage"]));
        assert_eq!(ivan.history(id).await.unwrap().len(), entries);
    }
    // Customers may not.
    let ana = f.as_customer(&f.ana).await;
    assert!(matches!(
        ana.tag_tickets(&keys(&[a.id]), tags(&["x"]), BTreeSet::new())
            .await,
        Err(Error::Forbidden { .. })
    ));
}
