//! Finding customers through the desk, as a first-line operator does: by contract number,
//! phone in any digit script, e-mail in any case, or an address pattern; staff only.

use std::sync::Arc;

use crate::domain::{Address, ContractNumber, Customer, CustomerId, CustomerKind, Phone};
use crate::error::Error;
use crate::search::CustomerLookup;
use crate::service::NewCustomer;
use crate::store::Store;
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
