//! Customer look-ups ([`Store::find_customers`]) against the reference, on customers in the
//! four languages whose contact data holds SQL and pattern metacharacters, before and after
//! their contact data changes.

use std::sync::Arc;

use chrono::Duration;

use crate::domain::{Address, ContractNumber, Customer, Email, Phone};
use crate::search::CustomerLookup;
use crate::store::{MemoryStore, Store};
use crate::testkit::samples::{customer, t0};

/// A customer's name, e-mail, phone, contract number and address.
type Row = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

const CUSTOMERS: [Row; 17] = [
    (
        "Иван Петров",
        Some("Ivan@Example.ru"),
        Some("+7 (495) 123-45-67"),
        Some("D-2013/0416"),
        Some("ул. Кольцевая, д. 14, кв. 15"),
    ),
    (
        "Иван Петров",
        None,
        Some("8 495 123 45 67"),
        Some("Д-0043"),
        Some("ул. Кольцевая, д. 14, кв. 1"),
    ),
    (
        "Ёлка ООО",
        None,
        Some("8 495 123 45 67"),
        Some("Д-0042"),
        Some("УЛ. КОЛЬЦЕВАЯ, Д. 14, КВ. 1"),
    ),
    (
        "Ana Popescu",
        Some("ana@example.ro"),
        Some("0721 000 111"),
        Some("RO_2020\\7"),
        Some("Strada Ștefan cel Mare 14, ap. 15, Chișinău"),
    ),
    (
        "Ана Ионеску",
        Some("Ana.Ionescu@Example.ro"),
        Some("0721 234 567"),
        Some("RO-7"),
        Some("Str. Ştefan cel Mare 12, ap. 3, Chişinău"),
    ),
    (
        "Ана Ионеску",
        Some("ana2@example.ro"),
        Some("0721-234-567"),
        None,
        Some("Strada Ștefan cel Mare nr. 12"),
    ),
    (
        "Ştefan Ionescu",
        Some("stefan@example.ro"),
        None,
        Some("RO-2020-8"),
        Some("str. Ștefan cel Mare nr. 1_4"),
    ),
    (
        "علی رضایی",
        Some("ali@example.ir"),
        Some("+98 (۲۱) ۸۸۷۷-۶۶۵۵"),
        Some("IR/1403/22"),
        Some("تهران، خیابان ولیعصر، پلاک ۱۴"),
    ),
    (
        "علی رضایی",
        Some("ali.rezaei@example.ir"),
        Some("۰۹۱۲۳۴۵۶۷۸۹"),
        Some("ق-۱۲"),
        Some("تهران، خیابان ولیعصر، پلاک ۱۲"),
    ),
    (
        "كريم",
        None,
        Some("٠٩١٢ ٣٤٥ ٦٧٨٩"),
        None,
        Some("تهران، خيابان وليعصر، پلاك ١٤"),
    ),
    (
        "Alice Smith",
        Some("alice@example.com"),
        Some("+44 20 7946 0958"),
        Some("UK-1"),
        Some("14 Ring Road\nFlat 15\nLondon 100%"),
    ),
    (
        "alice smith",
        Some("alice2@example.com"),
        Some("020 7946 0958"),
        None,
        None,
    ),
    (
        "John Smith",
        Some("john@example.com"),
        Some("+44 20 7946 0959"),
        Some("UK_1"),
        Some("10 Downing St_reet, London a\\c 50% off"),
    ),
    (
        "Zoë Ångström",
        None,
        Some("0912 345 6789"),
        Some("uk%1"),
        Some("Åsgatan 5, Ölands kommun"),
    ),
    ("Zed", None, None, Some("Z\\%_"), Some("a\\b_c%d")),
    (
        "Ана",
        Some("ana@example.ru"),
        Some("123"),
        None,
        Some("a b c"),
    ),
    ("Nobody", None, None, None, None),
];

/// Customers in the four languages whose contact data holds SQL and pattern metacharacters
/// (also for backends' own tests, e.g. of a migration that keys them).
pub fn customers() -> Vec<Customer> {
    CUSTOMERS
        .iter()
        .enumerate()
        .map(|(i, (n, email, phone, contract, address))| Customer {
            phone: phone.map(|p| Phone::parse(p).unwrap()),
            contract_number: contract.map(|c| ContractNumber::parse(c).unwrap()),
            address: address.map(|a| Address::parse(a).unwrap()),
            created_at: t0() + Duration::minutes(i as i64),
            ..customer(n, *email)
        })
        .collect()
}

/// The look-ups compared: parsed ones as people type them, and hand-made ones the
/// constructors never give (not folded, with SQL wildcards and NULs).
pub fn lookups() -> Vec<CustomerLookup> {
    let mut out = Vec::new();
    for n in [
        "D-2013/0416",
        "Д-0042",
        "д-0042",
        "RO_2020\\7",
        "RO-2020-8",
        "IR/1403/22",
        "ق-۱۲",
        "UK_1",
        "UK%1",
        "Z\\%_",
        "UK-2",
    ] {
        out.push(CustomerLookup::ContractNumber(
            ContractNumber::parse(n).unwrap(),
        ));
    }
    for p in [
        "74951234567",
        "+7 495 123 45 67",
        "84951234567",
        "0721234567",
        "۰۲۱ ۸۸۷۷ ۶۶۵۵",
        "98 21 8877 6655",
        "09123456789",
        "٠٩١٢٣٤٥٦٧٨٩",
        "۰۹۱۲ ۳۴۵ ۶۷۸۹",
        "020 7946 0958",
        "123",
        "999",
    ] {
        out.push(CustomerLookup::phone(p).unwrap());
    }
    for e in [
        "IVAN@example.RU",
        "ANA.IONESCU@example.ro",
        "ana@example.ro",
        "ana@example.ru",
        "ali@example.ir",
        "nobody@example.com",
    ] {
        out.push(CustomerLookup::Email(Email::parse(e).unwrap()));
    }
    for a in [
        "%Кольц%14%кв.15",
        "%кольц%14%кв.1",
        "%кольц%14%",
        "%кольцевая%",
        "%мира%",
        "%ștefan cel mare%14%",
        "%ştefan%12%",
        "%Stefan cel mare%",
        "%ȘTEFAN%",
        "%stefan%1_4",
        "str%",
        "%chisinau",
        "%1_4",
        "%1%4",
        "%ولیعصر%",
        "%وليعصر%",
        "%ولیعصر%12",
        "%يعصر%",
        "%پلاک ۱۴",
        "%flat15%",
        "%100%",
        "%100\\%",
        "%downing%",
        "%st_reet%",
        "%st?reet%",
        "%a\\c%",
        "%50%off",
        "%50_off",
        "%a\\b%",
        "%\\b_c%",
        "a\\b_c%d",
        "a%d",
        "abc",
        "%b%",
        "%london100%",
        "%asgatan%",
        "%ölands%",
        "%olands%",
        "%12",
        "10downingst_reet,londona\\c50%off",
        "%unirii%",
        "%",
    ] {
        out.push(
            CustomerLookup::address(a).unwrap_or_else(|_| CustomerLookup::Address(a.to_owned())),
        );
    }
    for a in [
        "%Кольцевая%",
        "%КОЛЬЦ%",
        "%STEFAN%",
        "a_c",
        "%_%",
        "%\\%",
        "\\",
        "%\0%",
        "_",
    ] {
        out.push(CustomerLookup::Address(a.to_owned()));
    }
    out.push(CustomerLookup::Phone("12\u{0}3".to_owned()));
    out.push(CustomerLookup::Phone(String::new()));
    out
}

/// Every look-up of [`lookups`] at every limit gives what the reference gives; how many
/// found someone.
pub async fn assert_lookups_agree(store: &dyn Store, reference: &MemoryStore) -> usize {
    let mut found = 0;
    for lookup in lookups() {
        for limit in [0, 1, 2, 100] {
            let want = reference.find_customers(&lookup, limit).await.unwrap();
            let got = store.find_customers(&lookup, limit).await.unwrap();
            assert_eq!(got, want, "{lookup:?} limit {limit}");
            found += usize::from(limit == 100 && !got.is_empty());
        }
    }
    found
}

pub async fn customer_look_ups_agree_with_the_reference(store: Arc<dyn Store>) {
    let reference = MemoryStore::new();
    let mut all = customers();
    for c in &all {
        store.put_customer(c).await.unwrap();
        reference.put_customer(c).await.unwrap();
    }
    let found = assert_lookups_agree(store.as_ref(), &reference).await;
    assert!(found > 50, "the data exercises the look-ups: {found}");
    let address = |pattern: &str| CustomerLookup::address(pattern).unwrap();
    let count = |lookup: CustomerLookup| {
        let store = store.clone();
        async move { store.find_customers(&lookup, 100).await.unwrap().len() }
    };
    assert_eq!(count(address("%кольц%14%")).await, 3);
    assert_eq!(count(address("%st_reet%")).await, 1, "_ is no wildcard");
    assert_eq!(count(address("%st?reet%")).await, 0);
    assert_eq!(count(CustomerLookup::phone("0721234567").unwrap()).await, 2);

    // Changed addresses and phones are looked up by their new keys only.
    all[0].address = Some(Address::parse("Bulevardul Unirii 1").unwrap());
    all[0].phone = None;
    all[1].address = Some(Address::parse("пр. Мира, д. 7").unwrap());
    all[7].phone = Some(Phone::parse("0721-000-111").unwrap());
    all[10].address = None;
    for c in [&all[0], &all[1], &all[7], &all[10]] {
        store.put_customer(c).await.unwrap();
        reference.put_customer(c).await.unwrap();
    }
    assert_lookups_agree(store.as_ref(), &reference).await;
    assert_eq!(
        store
            .find_customers(&address("%unirii%"), 10)
            .await
            .unwrap(),
        vec![all[0].clone()]
    );
    assert_eq!(count(address("%кольц%14%")).await, 1);
}
