//! Reads taken together ([`Store::read_together`]): whatever a backend does to answer in one
//! hop, the answer is that of the one-by-one reads ([`read_one_by_one`]), for a ticket by id
//! and by either form of its number, its department and customer, listed and missing
//! records, the agent directory and settings, a master's linked tickets past one page, the
//! automation rules in their order.

use std::sync::Arc;

use crate::domain::{Actor, AgentId, CustomerId, DepartmentId, TicketId, TicketKey, Visibility};
use crate::store::{
    PageRequest, ReadSet, SettingKey, Store, ThreadRead, TicketFilter, TicketOrder, TicketWrite,
    TicketsRead, WriteBatch, read_one_by_one,
};
use crate::testkit::samples::{agent, customer, department, message, number, ticket};

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
    let ivan = agent("Ivan", "ivan@desk.test", &[support.id]);
    store.put_agent(&ivan).await.unwrap();
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
    // A thread of three: public, internal, public.
    for (i, visibility) in [Visibility::Public, Visibility::Internal, Visibility::Public]
        .into_iter()
        .enumerate()
    {
        let current = store.ticket(with_customer.id).await.unwrap().unwrap();
        let mut changed = current.clone();
        changed.version = current.version.next();
        let write = TicketWrite::update(current.version, changed).with_message(message(
            &current,
            &format!("message {i}"),
            visibility,
        ));
        store.commit(WriteBatch::one(write)).await.unwrap();
    }
    // A master with more linked tickets than one page holds (Bob's, in sales).
    let master = ticket(number(3), sales.id, bob.id);
    let linked: Vec<_> = (0..=PageRequest::MAX_LIMIT)
        .map(|i| {
            let mut t = ticket(number(4 + u64::from(i)), sales.id, bob.id);
            t.master = Some(master.id);
            t
        })
        .collect();
    let creates = std::iter::once(&master)
        .chain(&linked)
        .map(|t| TicketWrite::create(t.clone()))
        .collect();
    store.commit(WriteBatch::of(creates)).await.unwrap();
    if let Some(settings) = store.as_settings_store() {
        settings
            .put_setting(SettingKey::PublicUrl, "https://desk.example/")
            .await
            .unwrap();
    }
    // Two rules, stored out of their order.
    let rules = [
        super::automation::rule("second", 2),
        super::automation::rule("first", 1),
    ];
    if let Some(automation) = store.as_automation_store() {
        for rule in &rules {
            automation.put_rule(rule).await.unwrap();
        }
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
        agent: Some(ivan.id),
        settings: vec![
            SettingKey::ServiceLevels,
            SettingKey::PublicUrl,
            SettingKey::Mail,
        ],
        ..ReadSet::default()
    });
    // The principal, found and missing; a ticket's thread, whole or its newest page, with
    // and without internal notes, of a ticket found and missing.
    for agent in [ivan.id, AgentId::new()] {
        sets.push(ReadSet {
            agent: Some(agent),
            ..ReadSet::default()
        });
    }
    for key in [
        TicketKey::Id(with_customer.id),
        TicketKey::Number(with_customer.number.short().to_owned()),
        TicketKey::Id(without.id),
        TicketKey::Id(TicketId::new()),
    ] {
        for include_internal in [true, false] {
            for newest in [None, Some(1), Some(2), Some(50)] {
                sets.push(ReadSet {
                    ticket: Some(key.clone()),
                    ticket_thread: Some(ThreadRead {
                        include_internal,
                        newest,
                    }),
                    agent: Some(ivan.id),
                    customers: vec![ana.id],
                    ..ReadSet::default()
                });
            }
        }
    }
    // A master's linked tickets: of the master by id and by number, of a linked ticket
    // (none read), of a ticket with none linked, of a missing ticket.
    for key in [
        TicketKey::Id(master.id),
        TicketKey::Number(master.number.short().to_owned()),
        TicketKey::Id(linked[0].id),
        TicketKey::Id(without.id),
        TicketKey::Number(without.number.full().to_owned()),
        TicketKey::Id(TicketId::new()),
    ] {
        sets.push(ReadSet {
            ticket: Some(key),
            ticket_department: true,
            ticket_linked: true,
            ..ReadSet::default()
        });
    }
    sets.push(ReadSet {
        agents: true,
        settings: vec![SettingKey::PublicUrl],
        ..ReadSet::default()
    });
    sets.push(ReadSet::default());
    // The automation rules, alone and with a command's reads.
    sets.push(ReadSet {
        rules: true,
        ..ReadSet::default()
    });
    sets.push(ReadSet {
        ticket: Some(TicketKey::Id(with_customer.id)),
        ticket_department: true,
        ticket_customer: true,
        settings: vec![SettingKey::ServiceLevels, SettingKey::Mail],
        rules: true,
        ..ReadSet::default()
    });
    // A page of tickets with its viewer: an agent (found, missing, or not read), a customer
    // (her own, another's, internal ones), the system; every department or one; a page of
    // one and a page of all.
    let filters = [
        TicketFilter::default(),
        TicketFilter {
            departments: Some(vec![sales.id]),
            ..TicketFilter::default()
        },
        TicketFilter {
            customer: Some(bob.id),
            ..TicketFilter::default()
        },
        TicketFilter {
            internal: Some(true),
            ..TicketFilter::default()
        },
    ];
    let viewers = [
        (Actor::Agent(ivan.id), Some(ivan.id), vec![]),
        (Actor::Agent(ivan.id), None, vec![]),
        (Actor::Agent(AgentId::new()), None, vec![]),
        (Actor::Customer(ana.id), None, vec![ana.id]),
        (Actor::Customer(ana.id), None, vec![]),
        (Actor::System, None, vec![]),
    ];
    for (viewer, agent, customers) in viewers {
        for filter in &filters {
            for limit in [1, 25] {
                sets.push(ReadSet {
                    agent,
                    customers: customers.clone(),
                    tickets: Some(TicketsRead {
                        viewer,
                        filter: filter.clone(),
                        page: PageRequest::first(TicketOrder::LastUpdate, limit),
                    }),
                    ..ReadSet::default()
                });
            }
        }
    }
    for set in sets {
        let together = store.read_together(&set).await.unwrap();
        let one_by_one = read_one_by_one(store.as_ref(), &set).await.unwrap();
        assert_eq!(together, one_by_one, "{set:?}");
    }
    // The rules in their order when the store has the ability; none read without it.
    let read_rules = ReadSet {
        rules: true,
        ..ReadSet::default()
    };
    let names: Option<Vec<String>> = (store.read_together(&read_rules).await.unwrap().rules)
        .map(|rules| rules.iter().map(|r| r.name.to_string()).collect());
    match store.as_automation_store() {
        Some(_) => assert_eq!(names, Some(vec!["first".into(), "second".into()])),
        None => assert_eq!(names, None),
    }
    // The agent's page holds only their department's ticket, the customer's only hers.
    let page = |viewer, agent, customers| ReadSet {
        agent,
        customers,
        tickets: Some(TicketsRead {
            viewer,
            filter: TicketFilter::default(),
            page: PageRequest::first(TicketOrder::LastUpdate, 25),
        }),
        ..ReadSet::default()
    };
    for (set, only) in [
        (
            page(Actor::Agent(ivan.id), Some(ivan.id), vec![]),
            with_customer.id,
        ),
        (
            page(Actor::Customer(ana.id), None, vec![ana.id]),
            with_customer.id,
        ),
    ] {
        let listed = store.read_together(&set).await.unwrap().tickets.unwrap();
        let ids: Vec<_> = listed.items.iter().map(|t| t.id).collect();
        assert_eq!(ids, [only], "{set:?}");
    }
    // Every linked ticket, past the first page; none for a linked ticket or one without.
    let linked_of = async |key: TicketKey| {
        let set = ReadSet {
            ticket: Some(key),
            ticket_linked: true,
            ..ReadSet::default()
        };
        store.read_together(&set).await.unwrap().linked
    };
    let mut found: Vec<_> = (linked_of(TicketKey::Id(master.id)).await.unwrap())
        .iter()
        .map(|t| t.id)
        .collect();
    let mut expected: Vec<_> = linked.iter().map(|t| t.id).collect();
    found.sort();
    expected.sort();
    assert_eq!(found, expected);
    assert_eq!(linked_of(TicketKey::Id(linked[0].id)).await, None);
    assert_eq!(linked_of(TicketKey::Id(without.id)).await, Some(Vec::new()));
    let unread = page(Actor::Agent(ivan.id), None, vec![]);
    assert_eq!(store.read_together(&unread).await.unwrap().tickets, None);
    // A page size out of range: a validation error, as the thread page gives.
    let bad = ReadSet {
        ticket: Some(TicketKey::Id(with_customer.id)),
        ticket_thread: Some(ThreadRead {
            include_internal: true,
            newest: Some(0),
        }),
        ..ReadSet::default()
    };
    let e = store.read_together(&bad).await.unwrap_err();
    assert!(matches!(e, crate::Error::Validation(_)), "{e:?}");
}
