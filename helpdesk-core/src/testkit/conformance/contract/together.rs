//! Reads taken together ([`Store::read_together`]): whatever a backend does to answer in one
//! hop, the answer is that of the one-by-one reads ([`read_one_by_one`]), for a ticket by id
//! and by either form of its number, its department and customer, listed and missing
//! records, the agent directory and settings.

use std::sync::Arc;

use crate::domain::{CustomerId, DepartmentId, TicketId, TicketKey};
use crate::store::{ReadSet, SettingKey, Store, TicketWrite, WriteBatch, read_one_by_one};
use crate::testkit::samples::{agent, customer, department, number, ticket};

pub async fn reads_together_agree_with_the_one_by_one_reads(store: Arc<dyn Store>) {
    let (support, sales) = (department("Support"), department("Sales"));
    store.put_department(&support).await.unwrap();
    store.put_department(&sales).await.unwrap();
    let (ana, bob) = (
        customer("Ana", Some("ana@example.com")),
        customer("Bob", None),
    );
    store.put_customer(&ana).await.unwrap();
    store.put_customer(&bob).await.unwrap();
    store
        .put_agent(&agent("Ivan", "ivan@desk.test", &[support.id]))
        .await
        .unwrap();
    store
        .put_agent(&agent("Eve", "eve@desk.test", &[sales.id]))
        .await
        .unwrap();
    let with_customer = ticket(number(1), support.id, ana.id);
    let mut without = ticket(number(2), sales.id, bob.id);
    without.customer = None;
    for t in [&with_customer, &without] {
        store
            .commit(WriteBatch::one(TicketWrite::create(t.clone())))
            .await
            .unwrap();
    }
    if let Some(settings) = store.as_settings_store() {
        settings
            .put_setting(SettingKey::PublicUrl, "https://desk.example/")
            .await
            .unwrap();
    }

    let every_key = |t: &crate::domain::Ticket| {
        vec![
            TicketKey::Id(t.id),
            TicketKey::Number(t.number.full().to_owned()),
            TicketKey::Number(t.number.short().to_owned()),
        ]
    };
    let mut sets = Vec::new();
    for key in every_key(&with_customer)
        .into_iter()
        .chain(every_key(&without))
        .chain([
            TicketKey::Id(TicketId::new()),
            TicketKey::Number("999999".into()),
        ])
    {
        for (department, customer) in [(true, true), (true, false), (false, true)] {
            sets.push(ReadSet {
                ticket: Some(key.clone()),
                ticket_department: department,
                ticket_customer: customer,
                ..ReadSet::default()
            });
        }
    }
    // Listed records: found, missing, repeated, and the ticket's own listed again.
    sets.push(ReadSet {
        ticket: Some(TicketKey::Id(with_customer.id)),
        ticket_department: true,
        ticket_customer: true,
        departments: vec![sales.id, DepartmentId::new(), sales.id, support.id],
        customers: vec![bob.id, CustomerId::new(), ana.id, bob.id],
        agents: true,
        settings: vec![
            SettingKey::ServiceLevels,
            SettingKey::PublicUrl,
            SettingKey::Mail,
        ],
    });
    sets.push(ReadSet {
        agents: true,
        settings: vec![SettingKey::PublicUrl],
        ..ReadSet::default()
    });
    sets.push(ReadSet::default());
    for set in sets {
        let together = store.read_together(&set).await.unwrap();
        let one_by_one = read_one_by_one(store.as_ref(), &set).await.unwrap();
        assert_eq!(together, one_by_one, "{set:?}");
    }
}
