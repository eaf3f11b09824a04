//! Agents' saved searches ([`SavedSearchStore`]): every filter and order read back, listed
//! per agent in the reference's order, replaced and deleted once.

use std::sync::Arc;

use chrono::Duration;

use crate::domain::{AgentId, Category, Priority, SavedSearchId, Status};
use crate::search::SavedSearch;
use crate::store::{
    AssigneeFilter, MemoryStore, SavedSearchStore, Store, TicketFilter, TicketOrder, TimeRange,
};
use crate::testkit::ability;
use crate::testkit::samples::{name, t0};

pub async fn saved_searches_agree_with_the_reference(store: Arc<dyn Store>) {
    let Some(saved) = ability(store.as_saved_search_store(), "saved searches") else {
        return;
    };
    let reference = MemoryStore::new();
    let (ivan, ana) = (AgentId::new(), AgentId::new());
    let full_filter = TicketFilter {
        statuses: Some(vec![Status::Open, Status::PendingCustomer]),
        departments: Some(vec![]),
        assignee: Some(AssigneeFilter::Agent(ivan)),
        customer: None,
        customers: None,
        priorities: Some(vec![Priority::Urgent]),
        ticket_type: None,
        category: Some(Category::parse("сеть").unwrap()),
        master: None,
        internal: Some(false),
        created: TimeRange {
            from: Some(t0()),
            to: Some(t0() + Duration::microseconds(1_500_001)),
        },
        updated: TimeRange::default(),
        tags: Some(vec![crate::domain::Tag::parse("Întârziere").unwrap()]),
        due: TimeRange {
            from: None,
            to: Some(t0() + Duration::hours(1)),
        },
    };
    let mut all: Vec<SavedSearch> = [
        (
            ivan,
            "Срочные",
            Some("роутер -кабель"),
            TicketOrder::Priority,
        ),
        (
            ivan,
            "Очередь",
            Some("нет интернета"),
            TicketOrder::Relevance,
        ),
        (ivan, "alpha", None, TicketOrder::LastUpdate),
        (
            ivan,
            "Alpha",
            Some("\"nu funcționează\""),
            TicketOrder::Waiting,
        ),
        (ivan, "Alpha", None, TicketOrder::LastUpdate),
        (
            ivan,
            "Asistență",
            Some("%Кольц%14%"),
            TicketOrder::LastUpdate,
        ),
        (ana, "مودم", Some("كامپيوتر"), TicketOrder::Waiting),
        (ana, "Ștefan", Some(""), TicketOrder::Priority),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (agent, n, query, order))| SavedSearch {
        id: SavedSearchId::new(),
        agent,
        name: name(n),
        query: query.map(str::to_owned),
        filter: if i % 2 == 0 {
            full_filter.clone()
        } else {
            TicketFilter::default()
        },
        order,
        created_at: t0() + Duration::minutes(i as i64),
    })
    .collect();
    for s in &all {
        saved.put_saved_search(s).await.unwrap();
        reference.put_saved_search(s).await.unwrap();
    }
    let agree = async || {
        for agent in [ivan, ana, AgentId::new()] {
            assert_eq!(
                saved.saved_searches(agent).await.unwrap(),
                reference.saved_searches(agent).await.unwrap()
            );
        }
    };
    agree().await;
    assert_eq!(saved.saved_searches(ivan).await.unwrap().len(), 6);
    assert!(saved.saved_searches(ivan).await.unwrap().contains(&all[0]));

    // Replaced (renamed, moved to another agent, refiltered), and deleted once.
    all[1].name = name("Ω last");
    all[3].agent = ana;
    all[3].filter = full_filter.clone();
    all[3].order = TicketOrder::Priority;
    for s in [&all[1], &all[3]] {
        saved.put_saved_search(s).await.unwrap();
        reference.put_saved_search(s).await.unwrap();
    }
    agree().await;
    for id in [all[0].id, all[0].id, SavedSearchId::new(), all[6].id] {
        assert_eq!(
            saved.delete_saved_search(id).await.unwrap(),
            reference.delete_saved_search(id).await.unwrap()
        );
    }
    agree().await;
    assert!(!saved.delete_saved_search(all[0].id).await.unwrap());
}
