//! Finding customers through the desk, as a first-line operator does: by contract number,
//! phone in any digit script, e-mail in any case, or an address pattern; staff only.

use std::sync::Arc;

use crate::domain::{
    Address, ContractNumber, Customer, CustomerId, CustomerKind, Email, Language, Phone,
};
use crate::error::{Error, ForbiddenReason};
use crate::search::CustomerLookup;
use crate::service::{CustomerEdit, NewCustomer};
use crate::store::{CustomerFilter, CustomerPageRequest, Store};
use crate::testkit::Fixture;
use crate::testkit::samples::{email, name};

pub async fn customer_look_up_by_contract_phone_email_and_address_pattern(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let admin = f.as_agent(&f.admin).await;
    let mut koltso = NewCustomer::new(CustomerKind::Individual, name("Пётр Кольцов"))
        .with_address(Address::parse("ул. Кольцевая, д. 14, кв. 15").unwrap())
        .with_contract_number(ContractNumber::parse("2013-0416").unwrap())
        .with_phone(Phone::parse("+7 (912) 555-01-02").unwrap());
    koltso.email = Some(email("Petr@Koltso.example"));
    let petr = admin.create_customer(koltso).await.unwrap();
    let neighbour = admin
        .create_customer(
            NewCustomer::new(CustomerKind::Individual, name("Анна Соседова"))
                .with_address(Address::parse("ул. Кольцевая, д. 14, кв. 1").unwrap()),
        )
        .await
        .unwrap();
    let find = async |lookup: CustomerLookup| {
        let found: Vec<Customer> = admin.find_customers(&lookup).await.unwrap();
        found.into_iter().map(|c| c.id).collect::<Vec<CustomerId>>()
    };
    let phone = |p: &str| CustomerLookup::phone(p).unwrap();
    let address = |p: &str| CustomerLookup::address(p).unwrap();
    let contract = CustomerLookup::ContractNumber(ContractNumber::parse("2013-0416").unwrap());
    assert_eq!(find(contract).await, [petr.id]);
    assert!(find(phone("8 912 555 01 02")).await.is_empty());
    assert_eq!(find(phone("+7 ۹۱۲ ۵۵۵ ۰۱ ۰۲")).await, [petr.id]);
    assert_eq!(find(phone("79125550102")).await, [petr.id]);
    assert_eq!(find(phone("۰۹۱۲ ۳۴۵ ۶۷۸۹")).await, [f.reza.id]);
    assert_eq!(
        find(CustomerLookup::Email(email("PETR@koltso.EXAMPLE"))).await,
        [petr.id]
    );
    assert_eq!(find(address("%Кольц%14%кв.15")).await, [petr.id]);
    assert_eq!(find(address("%КОЛЬЦЕВАЯ%")).await, [neighbour.id, petr.id]);
    assert_eq!(find(address("%кольц%кв.1")).await, [neighbour.id]);
    assert!(
        find(address("%кольц_вая%")).await.is_empty(),
        "_ is no wildcard"
    );
    let ana = f.as_customer(&f.ana).await;
    assert!(matches!(
        ana.find_customers(&address("%a%")).await,
        Err(Error::Forbidden { .. })
    ));
}

pub async fn only_staff_list_the_customer_directory(store: Arc<dyn Store>) {
    let f = Fixture::new(store).await;
    let filter = CustomerFilter {
        kind: Some(CustomerKind::Individual),
        ..CustomerFilter::default()
    };
    let page = CustomerPageRequest::first(1);
    let ivan = f.as_agent(&f.ivan).await;
    let first = ivan.list_customers(&filter, &page).await.unwrap();
    assert_eq!(first.total, 2, "ana and reza, not acme");
    assert_eq!(first.items, std::slice::from_ref(&f.ana));
    let second = ivan
        .list_customers(&filter, &page.clone().after(first.next.unwrap()))
        .await
        .unwrap();
    assert_eq!((second.items, second.next), (vec![f.reza.clone()], None));
    let admin = f.as_agent(&f.admin).await;
    assert_eq!(admin.list_customers(&filter, &page).await.unwrap().total, 2);
    let ana = f.as_customer(&f.ana).await;
    assert!(matches!(
        ana.list_customers(&CustomerFilter::default(), &page).await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::AgentsOnly
        })
    ));
}

pub async fn customer_edits_change_the_record_and_check_the_organisation(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ivan = f.as_agent(&f.ivan).await;
    let mut edit = CustomerEdit::of(&f.ana);
    edit.name = name("Ana Maria Popescu");
    edit.phone = Some(Phone::parse("+40 721 000 111").unwrap());
    edit.contract_number = Some(ContractNumber::parse("RO-1").unwrap());
    edit.language = Some(Language::English);
    edit.organisation = Some(f.acme.id);
    let edited = ivan.update_customer(f.ana.id, edit.clone()).await.unwrap();
    assert_eq!(edited.organisation, Some(f.acme.id));
    assert_eq!(edited.name, edit.name);
    assert_eq!(
        (edited.kind, edited.created_at),
        (f.ana.kind, f.ana.created_at)
    );
    assert_eq!(
        store.customer(f.ana.id).await.unwrap(),
        Some(edited.clone())
    );

    let refused = async |id: CustomerId, edit: CustomerEdit| {
        let err = ivan.update_customer(id, edit).await.unwrap_err();
        assert_eq!(
            store.customer(id).await.unwrap().as_ref(),
            Some(&match id {
                i if i == f.ana.id => edited.clone(),
                i if i == f.reza.id => f.reza.clone(),
                _ => f.acme.clone(),
            }),
            "nothing written"
        );
        err
    };
    let message = |e: Error| match e {
        Error::Validation(v) if v.field() == "organisation" => v.message().to_owned(),
        other => panic!("{other:?}"),
    };
    let mut to_person = CustomerEdit::of(&f.reza);
    to_person.name = name("Reza renamed");
    to_person.organisation = Some(f.ana.id);
    assert_eq!(
        message(refused(f.reza.id, to_person.clone()).await),
        "is not an organisation"
    );
    to_person.organisation = Some(CustomerId::new());
    assert_eq!(
        message(refused(f.reza.id, to_person).await),
        "is not a known customer"
    );
    let mut org_in_org = CustomerEdit::of(&f.acme);
    org_in_org.organisation = Some(f.acme.id);
    assert_eq!(
        message(refused(f.acme.id, org_in_org).await),
        "only a person belongs to an organisation"
    );
    let mut taken = CustomerEdit::of(&f.reza);
    taken.email = f.acme.email.clone();
    assert!(matches!(
        refused(f.reza.id, taken).await,
        Error::Conflict { .. }
    ));
    let mut taken = CustomerEdit::of(&f.reza);
    taken.contract_number = Some(ContractNumber::parse("RO-1").unwrap());
    assert!(matches!(
        refused(f.reza.id, taken).await,
        Error::Conflict { .. }
    ));
    let ana = f.as_customer(&f.ana).await;
    assert!(matches!(
        ana.update_customer(f.ana.id, CustomerEdit::of(&edited))
            .await,
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        ivan.update_customer(CustomerId::new(), CustomerEdit::of(&edited))
            .await,
        Err(Error::NotFound { .. })
    ));
    // Cleared again.
    let mut leave = CustomerEdit::of(&edited);
    leave.organisation = None;
    leave.phone = None;
    let left = ivan.update_customer(f.ana.id, leave).await.unwrap();
    assert_eq!((left.organisation, left.phone), (None, None));
}

pub async fn a_person_is_created_in_an_organisation_and_bad_ones_write_nothing(
    store: Arc<dyn Store>,
) {
    let f = Fixture::new(store.clone()).await;
    let ivan = f.as_agent(&f.ivan).await;
    let member = NewCustomer::new(CustomerKind::Individual, name("Ion Acme"))
        .with_email(Email::parse("ion@acme.example").unwrap())
        .with_organisation(f.acme.id);
    let ion = ivan.create_customer(member).await.unwrap();
    assert_eq!(ion.organisation, Some(f.acme.id));
    assert_eq!(store.customer(ion.id).await.unwrap(), Some(ion.clone()));

    let everyone = async || {
        ivan.list_customers(&CustomerFilter::default(), &CustomerPageRequest::first(1))
            .await
            .unwrap()
            .total
    };
    let before = everyone().await;
    for (new, why) in [
        (
            NewCustomer::new(CustomerKind::Individual, name("Into a person"))
                .with_organisation(f.ana.id),
            "is not an organisation",
        ),
        (
            NewCustomer::new(CustomerKind::Individual, name("Into nothing"))
                .with_organisation(CustomerId::new()),
            "is not a known customer",
        ),
        (
            NewCustomer::new(CustomerKind::Organisation, name("Org in org"))
                .with_organisation(f.acme.id),
            "only a person belongs to an organisation",
        ),
    ] {
        match ivan.create_customer(new).await {
            Err(Error::Validation(v)) if v.field() == "organisation" => {
                assert_eq!(v.message(), why)
            }
            other => panic!("{why}: {other:?}"),
        }
    }
    assert_eq!(everyone().await, before, "nothing written");
}

/// A customer sets their own language (the pages' switch); nothing else of the record
/// changes, and staff cannot set one through it.
pub async fn a_customer_sets_their_own_language(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ana = f.as_customer(&f.ana).await;
    let set = ana.set_own_language(Language::Persian).await.unwrap();
    assert_eq!(set.language, Some(Language::Persian));
    let stored = store.customer(f.ana.id).await.unwrap().unwrap();
    let mut expected = f.ana.clone();
    expected.language = Some(Language::Persian);
    assert_eq!(stored, expected);
    let ivan = f.as_agent(&f.ivan).await;
    assert!(matches!(
        ivan.set_own_language(Language::Russian).await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::CustomersOnly
        })
    ));
}
