//! Saved searches through the desk: each agent's own, valid when saved, run with their
//! filter and order, page by page.

use std::sync::Arc;

use super::search::open_with;
use crate::domain::Status;
use crate::error::Error;
use crate::listing::Pass;
use crate::store::{PageRequest, Store, TicketFilter, TicketOrder};
use crate::testkit::samples::name;
use crate::testkit::{Fixture, ability};

pub async fn saved_searches_are_per_agent_and_run_their_filter(store: Arc<dyn Store>) {
    if ability(store.as_saved_search_store(), "saved searches").is_none() {
        return;
    }
    let f = Fixture::new(store.clone()).await;
    let a = open_with(&f, &f.ana, "Router dead", "The router is dead.").await;
    let _b = open_with(&f, &f.reza, "Router slow", "Slow router.").await;
    let ivan = f.as_agent(&f.ivan).await;
    let anas = TicketFilter {
        customer: Some(f.ana.id),
        ..Default::default()
    };
    let mine = ivan
        .save_search(
            name("Ana's routers"),
            Some("router".into()),
            anas,
            TicketOrder::LastUpdate,
        )
        .await
        .unwrap();
    let new_ones = TicketFilter {
        statuses: Some(vec![Status::New]),
        ..Default::default()
    };
    let all_new = ivan
        .save_search(name("All new"), None, new_ones, TicketOrder::Priority)
        .await
        .unwrap();
    assert!(matches!(
        ivan.save_search(
            name("bad"),
            Some("-".into()),
            TicketFilter::default(),
            TicketOrder::LastUpdate
        )
        .await,
        Err(Error::Validation(_))
    ));
    let listed: Vec<_> = ivan
        .saved_searches()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name.to_string())
        .collect();
    assert_eq!(listed, ["All new", "Ana's routers"]);
    let saved = store.as_saved_search_store().expect("offered above");
    assert_eq!(saved.saved_searches(f.ivan.id).await.unwrap()[1], mine);
    let run = ivan
        .run_saved_search(mine.id, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(run.items.iter().map(|t| t.id).collect::<Vec<_>>(), [a.id]);
    // Its own order, whatever the page asks; page by page (once the tickets are older than
    // the margin of a pass: later pages list only tickets unchanged since it began).
    f.tick(Pass::MARGIN.num_seconds());
    let run = ivan
        .run_saved_search(all_new.id, PageRequest::first(TicketOrder::LastUpdate, 1))
        .await
        .unwrap();
    assert_eq!(run.items.len(), 1);
    let next = PageRequest::first(TicketOrder::Priority, 1)
        .after(run.next.unwrap())
        .unwrap();
    let run2 = ivan.run_saved_search(all_new.id, next).await.unwrap();
    assert_eq!(run2.items.len(), 1);
    assert_ne!(run.items[0].id, run2.items[0].id);
    // Another agent neither sees nor deletes it; customers have none.
    let boss = f.as_agent(&f.boss).await;
    assert!(boss.saved_searches().await.unwrap().is_empty());
    assert!(matches!(
        boss.delete_saved_search(mine.id).await,
        Err(Error::NotFound { .. })
    ));
    let ana = f.as_customer(&f.ana).await;
    assert!(matches!(
        ana.saved_searches().await,
        Err(Error::Forbidden { .. })
    ));
    ivan.delete_saved_search(mine.id).await.unwrap();
    assert_eq!(ivan.saved_searches().await.unwrap(), [all_new]);
    assert!(!saved.delete_saved_search(mine.id).await.unwrap());
}
