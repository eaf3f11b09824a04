//! Ticket search through the desk: the four languages folded both ways, phrases, prefixes,
//! exclusions and patterns, customers finding only their own public text, and subject
//! matches ranked first.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::note;
use crate::domain::{Customer, Ticket, TicketId};
use crate::listing::Pass;
use crate::service::Acting;
use crate::store::{PageRequest, Store, TicketFilter, TicketOrder};
use crate::testkit::{Fixture, body};

/// Opens a support ticket for `customer` with `subject` and `text` as its first message.
pub(super) async fn open_with(
    f: &Fixture,
    customer: &Customer,
    subject: &str,
    text: &str,
) -> Ticket {
    let mut new = f.new_ticket(&f.support, subject);
    new.body = body(text);
    let t = f
        .as_customer(customer)
        .await
        .open_ticket(new)
        .await
        .unwrap();
    f.tick(1);
    t
}

/// What `q` finds for `who`.
async fn found(who: &Acting, q: &str) -> BTreeSet<TicketId> {
    let page = PageRequest::first(TicketOrder::LastUpdate, 200);
    who.search_tickets(q, TicketFilter::default(), page)
        .await
        .unwrap_or_else(|e| panic!("{q:?}: {e:?}"))
        .items
        .into_iter()
        .map(|t| t.id)
        .collect()
}

fn ids(tickets: &[&Ticket]) -> BTreeSet<TicketId> {
    tickets.iter().map(|t| t.id).collect()
}

pub async fn search_folds_four_languages_both_ways(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let ro = open_with(
        &f,
        &f.ana,
        "Asistență tehnică",
        "Routerul nu funcționează după actualizare.",
    )
    .await;
    let ru = open_with(
        &f,
        &f.acme,
        "Интернет не работает",
        "Ёлка погасла, и связь пропала.",
    )
    .await;
    let fa = open_with(
        &f,
        &f.reza,
        "كامپيوتر روشن نمی‌شود",
        "شماره تماس ۰۹۱۲۳۴۵۶۷۸۹ است",
    )
    .await;
    let en = open_with(
        &f,
        &f.ana,
        "Printer broken",
        "The printer shows error E-42.",
    )
    .await;
    let admin = f.as_agent(&f.admin).await;
    let cases: [(&str, &Ticket); 14] = [
        ("asistenta", &ro),
        ("ASISTENŢĂ", &ro),
        ("asisten\u{0074}\u{0326}a\u{0306}", &ro),
        ("functioneaza", &ro),
        ("интернет", &ru),
        ("ИНТЕРНЕТ", &ru),
        ("елка", &ru),
        ("کامپیوتر", &fa),
        ("نمیشود", &fa),
        ("نمی‌شود", &fa),
        ("09123456789", &fa),
        ("٠٩١٢٣٤٥٦٧٨٩", &fa),
        ("printer", &en),
        ("e-42", &en),
    ];
    for (q, want) in cases {
        assert_eq!(found(&admin, q).await, ids(&[want]), "{q:?}");
    }
}

pub async fn search_phrases_prefixes_exclusions_and_patterns(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let a = open_with(
        &f,
        &f.ana,
        "Нет связи",
        "Адрес: ул. Кольцевая, д. 14, кв. 15. Телефон не работает.",
    )
    .await;
    let b = open_with(
        &f,
        &f.ana,
        "Связи нет",
        "Адрес: ул. Лесная, д. 3. Интернет медленный.",
    )
    .await;
    let admin = f.as_agent(&f.admin).await;
    for (q, want) in [
        ("\"нет связи\"", ids(&[&a])),
        ("связи нет", ids(&[&a, &b])),
        ("кольц*", ids(&[&a])),
        ("кольц", ids(&[])),
        ("связи -интернет", ids(&[&a])),
        ("связи -\"не работает\"", ids(&[&b])),
        ("%Кольц%14%кв. 15", ids(&[&a])),
        ("%Лесн%14", ids(&[])),
    ] {
        assert_eq!(found(&admin, q).await, want, "{q:?}");
    }
}

pub async fn search_shows_customers_no_internal_notes_and_no_other_tickets(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let mine = open_with(&f, &f.ana, "Modem", "The modem restarts.").await;
    let theirs = open_with(&f, &f.reza, "Modem too", "Another modem.").await;
    let ivan = f.as_agent(&f.ivan).await;
    ivan.execute(mine.id, note("zebracode in the logs"))
        .await
        .unwrap();
    let ana = f.as_customer(&f.ana).await;
    assert_eq!(found(&ana, "modem").await, ids(&[&mine]));
    assert!(found(&ana, "zebracode").await.is_empty());
    assert_eq!(found(&ivan, "zebracode").await, ids(&[&mine]));
    assert_eq!(found(&ivan, "modem").await, ids(&[&mine, &theirs]));
    let maria = f.as_agent(&f.maria).await;
    assert!(found(&maria, "modem").await.is_empty(), "billing only");
}

pub async fn search_results_rank_subject_matches_first(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let body_only = open_with(&f, &f.ana, "Slow line", "The router and the modem are old.").await;
    let one = open_with(
        &f,
        &f.ana,
        "Router resets",
        "It resets every night; modem fine.",
    )
    .await;
    let both = open_with(&f, &f.ana, "Router and modem both dead", "Nothing works.").await;
    let newest = open_with(&f, &f.ana, "Nothing here", "router modem").await;
    let admin = f.as_agent(&f.admin).await;
    // Later pages of a pass list only tickets unchanged since it began, less its margin.
    f.tick(Pass::MARGIN.num_seconds());
    // Both words in the subject, then one, then body-only matches newest first.
    let want = [both.id, one.id, newest.id, body_only.id];
    for size in [1, 2, 10] {
        let mut page = PageRequest::first(TicketOrder::Relevance, size);
        let mut ranked = Vec::new();
        for _ in 0..20 {
            let got = admin
                .search_tickets("router modem", TicketFilter::default(), page.clone())
                .await
                .unwrap();
            ranked.extend(got.items.into_iter().map(|t| t.id));
            match got.next {
                Some(c) => page = page.after(c).unwrap(),
                None => break,
            }
        }
        assert_eq!(ranked, want, "pages of {size}");
    }
    // Outside a search, the relevance order is the last-update order.
    let listed = admin
        .list_tickets(
            TicketFilter::default(),
            PageRequest::first(TicketOrder::Relevance, 10),
        )
        .await
        .unwrap();
    assert_eq!(
        listed.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [newest.id, both.id, one.id, body_only.id]
    );
}
