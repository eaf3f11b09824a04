//! The customer directory ([`Store::list_customers`]) against the reference: filters by free
//! text in the four languages, kind, access and organisation; keyset pages by name then id
//! with the filter's total; and the free text kept in step with changed contact data.

use std::sync::Arc;

use crate::domain::{Customer, CustomerKind, Email, Name};
use crate::listing::CustomerText;
use crate::store::{
    CustomerCursor, CustomerFilter, CustomerPage, CustomerPageRequest, MemoryStore, Store,
};
use crate::testkit::conformance::contract::look_ups::customers;
use crate::testkit::samples::customer;

/// The look-up customers, some disabled, some organisations, some members of one.
async fn cast(store: &dyn Store, reference: &MemoryStore) -> Vec<Customer> {
    let mut all = customers();
    let org = all[2].id; // "Ёлка ООО"
    for (i, c) in all.iter_mut().enumerate() {
        c.kind = if i % 4 == 2 {
            CustomerKind::Organisation
        } else {
            CustomerKind::Individual
        };
        c.access_enabled = i % 3 != 1;
        if c.kind == CustomerKind::Individual && i % 2 == 0 {
            c.organisation = Some(org);
        }
    }
    for c in &all {
        store.put_customer(c).await.unwrap();
        reference.put_customer(c).await.unwrap();
    }
    all
}

fn text(q: &str) -> Option<CustomerText> {
    Some(CustomerText::parse(q).unwrap())
}

/// Every page of `filter`, `limit` at a time; each page's total must be the same.
async fn every_page(store: &dyn Store, filter: &CustomerFilter, limit: u32) -> Vec<Customer> {
    let mut page = CustomerPageRequest::first(limit);
    let mut out = Vec::new();
    let mut total = None;
    loop {
        let CustomerPage {
            items,
            next,
            total: t,
        } = store.list_customers(filter, &page).await.unwrap();
        assert!(items.len() <= limit as usize);
        assert_eq!(
            *total.get_or_insert(t),
            t,
            "the total is the same on every page"
        );
        out.extend(items);
        match next {
            Some(cursor) => page = page.after(cursor),
            None => break,
        }
    }
    assert_eq!(out.len() as u64, total.unwrap());
    out
}

pub async fn customer_list_filters_agree_with_the_reference(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    let all = cast(store.as_ref(), &reference).await;
    let org = all[2].id;
    let mut filters = vec![CustomerFilter::default()];
    for q in [
        "иван",
        "ИВАН",
        "ёлка",
        "елка",
        "ana",
        "ionescu",
        "ионеску",
        "@example.ro",
        "495",
        "4951234567",
        "۸۸۷۷",
        "8877",
        "д-004",
        "ro_2020\\",
        "%",
        "_",
        "ștefan",
        "stefan",
        "nobody",
        "zzz",
        "'",
        "ali",
    ] {
        filters.push(CustomerFilter {
            text: text(q),
            ..CustomerFilter::default()
        });
    }
    for kind in [CustomerKind::Individual, CustomerKind::Organisation] {
        filters.push(CustomerFilter {
            kind: Some(kind),
            ..CustomerFilter::default()
        });
    }
    for access in [true, false] {
        filters.push(CustomerFilter {
            access_enabled: Some(access),
            ..CustomerFilter::default()
        });
    }
    filters.push(CustomerFilter {
        organisation: Some(org),
        ..CustomerFilter::default()
    });
    filters.push(CustomerFilter {
        organisation: Some(all[0].id),
        ..CustomerFilter::default()
    });
    filters.push(CustomerFilter {
        text: text("иван"),
        kind: Some(CustomerKind::Individual),
        access_enabled: Some(true),
        organisation: Some(org),
    });
    for filter in &filters {
        let want = reference
            .list_customers(filter, &CustomerPageRequest::first(200))
            .await
            .unwrap();
        let got = store
            .list_customers(filter, &CustomerPageRequest::first(200))
            .await
            .unwrap();
        assert_eq!(got, want, "{filter:?}");
        assert!(got.items.iter().all(|c| filter.matches(c)), "{filter:?}");
    }
    let none = CustomerFilter {
        text: text("иван"),
        ..CustomerFilter::default()
    };
    let found = every_page(store.as_ref(), &none, 200).await;
    assert_eq!(found.len(), 2, "both Ivans, by their names in Cyrillic");
}

pub async fn customer_pages_follow_name_then_id_with_the_filters_total(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    let all = cast(store.as_ref(), &reference).await;
    let mut sorted = all.clone();
    CustomerPageRequest::sort(&mut sorted);
    for limit in [1, 2, 5, 200] {
        let got = every_page(store.as_ref(), &CustomerFilter::default(), limit).await;
        assert_eq!(got, sorted, "pages of {limit}");
    }
    // A page starts just after its cursor.
    let gone = CustomerCursor::after(&sorted[3]);
    let page = CustomerPageRequest::first(3).after(gone);
    let got = store
        .list_customers(&CustomerFilter::default(), &page)
        .await
        .unwrap();
    assert_eq!(got.items, sorted[4..7].to_vec());
    assert_eq!(got.total, sorted.len() as u64);
    // Through its text form, as clients hand it back.
    let cursor = CustomerCursor::decode(&CustomerCursor::after(&sorted[5]).encode()).unwrap();
    let got = store
        .list_customers(
            &CustomerFilter::default(),
            &CustomerPageRequest::first(200).after(cursor),
        )
        .await
        .unwrap();
    assert_eq!(got.items, sorted[6..].to_vec());
    assert_eq!(got.next, None);
}

pub async fn customer_list_text_follows_changed_contact_data(store: Arc<dyn Store>) {
    let mut c = customer("Мария Иванова", Some("maria@example.ru"));
    store.put_customer(&c).await.unwrap();
    let find = async |q: &str| {
        let filter = CustomerFilter {
            text: text(q),
            ..CustomerFilter::default()
        };
        let page = store
            .list_customers(&filter, &CustomerPageRequest::first(10))
            .await
            .unwrap();
        (page.items.len(), page.total)
    };
    assert_eq!(find("иванова").await, (1, 1));
    c.name = Name::parse("Maria Popa").unwrap();
    c.email = Some(Email::parse("maria.popa@example.ro").unwrap());
    store.put_customer(&c).await.unwrap();
    assert_eq!(find("иванова").await, (0, 0));
    assert_eq!(find("@example.ru").await, (0, 0));
    assert_eq!(find("POPA").await, (1, 1));
    c.email = None;
    store.put_customer(&c).await.unwrap();
    assert_eq!(find("example").await, (0, 0));
}

pub async fn a_persons_organisation_round_trips_and_is_cleared(store: Arc<dyn Store>) {
    let mut org = customer("Acme SRL", None);
    org.kind = CustomerKind::Organisation;
    let mut person = customer("Ana", Some("ana@acme.example"));
    person.organisation = Some(org.id);
    store.put_customer(&org).await.unwrap();
    store.put_customer(&person).await.unwrap();
    assert_eq!(
        store.customer(person.id).await.unwrap(),
        Some(person.clone())
    );
    let members = CustomerFilter {
        organisation: Some(org.id),
        ..CustomerFilter::default()
    };
    let page = store
        .list_customers(&members, &CustomerPageRequest::first(10))
        .await
        .unwrap();
    assert_eq!((page.items, page.total), (vec![person.clone()], 1));
    person.organisation = None;
    store.put_customer(&person).await.unwrap();
    assert_eq!(store.customer(person.id).await.unwrap(), Some(person));
    let page = store
        .list_customers(&members, &CustomerPageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(page.total, 0);
}
