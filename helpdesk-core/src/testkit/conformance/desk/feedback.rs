//! What customers ask of a ticket: a satisfaction rating once it is solved, and a higher
//! priority, which an agent decides within the priority rules.

use std::sync::Arc;

use super::{change_kinds, changed, snapshot};
use crate::domain::{Change, Priority, Rating, Resolution, ShortNote};
use crate::error::{ConflictKind, Error, ForbiddenReason};
use crate::machine::Command;
use crate::store::Store;
use crate::testkit::{Fixture, body};

pub async fn customers_rate_solved_tickets_once(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let t = f.open(&f.ana, "Slow").await;
    let (ana, ivan) = (f.as_customer(&f.ana).await, f.as_agent(&f.ivan).await);
    let rate = |score| Command::RateSatisfaction {
        score: Rating::new(score).unwrap(),
        comment: Some(ShortNote::parse("Mulțumesc, rapid!").unwrap()),
    };
    assert!(matches!(
        ana.execute(t.id, rate(5)).await,
        Err(Error::InvalidTransition { .. })
    ));
    let resolve = Command::Resolve {
        body: Some(body("Fixed")),
    };
    ivan.execute(t.id, resolve).await.unwrap();
    ana.execute(t.id, Command::ConfirmResolution).await.unwrap();
    assert!(matches!(
        ivan.execute(t.id, rate(1)).await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::CustomersOnly
        })
    ));
    let rated = changed(ana.execute(t.id, rate(5)).await.unwrap());
    assert_eq!(rated.satisfaction.as_ref().unwrap().score.get(), 5);
    assert_eq!(store.ticket(t.id).await.unwrap().unwrap(), rated);
    let before = snapshot(store.as_ref(), &rated).await;
    assert!(matches!(
        ana.execute(t.id, rate(1)).await,
        Err(Error::Conflict {
            kind: ConflictKind::Duplicate { .. },
            ..
        })
    ));
    assert_eq!(snapshot(store.as_ref(), &rated).await, before);
    let history = ana.history(t.id).await.unwrap();
    assert!(history.iter().any(|e| matches!(
        &e.change,
        Change::SatisfactionRated { score, .. } if score.get() == 5
    )));
    assert!(Rating::new(0).is_err() && Rating::new(6).is_err());
    // Closed unsolved: nothing to rate.
    let u = f.open(&f.ana, "Other").await;
    let close = Command::Close {
        resolution: Resolution::Unsolved,
    };
    ivan.execute(u.id, close).await.unwrap();
    assert!(matches!(
        ana.execute(u.id, rate(3)).await,
        Err(Error::InvalidTransition { .. })
    ));
}

pub async fn priority_requests_are_decided_within_the_priority_rules(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    // An organisation (High, capped at Urgent) may ask for Urgent.
    let acme = f.as_customer(&f.acme).await;
    let t = acme
        .open_ticket(f.new_ticket(&f.support, "Office down"))
        .await
        .unwrap();
    let (ivan, boss) = (f.as_agent(&f.ivan).await, f.as_agent(&f.boss).await);
    let ask = |priority| Command::RequestPriority {
        priority,
        reason: ShortNote::parse("Весь офис без связи").unwrap(),
    };
    let decide = |approve| Command::DecidePriorityRequest { approve };
    assert!(matches!(
        acme.execute(t.id, ask(Priority::Normal)).await,
        Err(Error::Validation(_))
    ));
    assert!(matches!(
        ivan.execute(t.id, ask(Priority::Urgent)).await,
        Err(Error::Forbidden {
            reason: ForbiddenReason::CustomersOnly
        })
    ));
    let asked = changed(acme.execute(t.id, ask(Priority::Urgent)).await.unwrap());
    assert_eq!(
        asked.priority_request.as_ref().map(|r| r.priority),
        Some(Priority::Urgent)
    );
    assert_eq!(
        asked.priority,
        Priority::High,
        "asking changes nothing by itself"
    );
    // Only an agent who may change priorities decides it.
    let maria = f.as_agent(&f.maria).await;
    let before = snapshot(store.as_ref(), &asked).await;
    assert!(matches!(
        maria.execute(t.id, decide(true)).await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(snapshot(store.as_ref(), &asked).await, before);
    let approved = changed(ivan.execute(t.id, decide(true)).await.unwrap());
    assert_eq!(
        (approved.priority, approved.priority_request.clone()),
        (Priority::Urgent, None)
    );
    // Declining leaves the priority alone; both are in the history the customer sees.
    let ana = f.as_customer(&f.ana).await;
    let u = f.open(&f.ana, "Printer").await;
    boss.execute(
        u.id,
        Command::ChangePriority {
            priority: Priority::Low,
        },
    )
    .await
    .unwrap();
    ana.execute(u.id, ask(Priority::Normal)).await.unwrap();
    let declined = changed(ivan.execute(u.id, decide(false)).await.unwrap());
    assert_eq!(
        (declined.priority, declined.priority_request.clone()),
        (Priority::Low, None)
    );
    assert!(matches!(
        ivan.execute(u.id, decide(true)).await,
        Err(Error::Validation(_))
    ));
    let kinds = change_kinds(&acme.history(t.id).await.unwrap());
    assert_eq!(
        &kinds[kinds.len() - 3..],
        [
            "priority_requested",
            "priority_changed",
            "priority_request_decided"
        ]
    );
}

/// What a form may offer: the priorities the ticket's customer may ask for (above the
/// current one, within their cap) and whether they may rate it (solved, once), as the
/// machine decides; nothing for an agent; a blank reason refused with nothing written.
pub async fn feedback_is_offered_only_when_the_desk_would_take_it(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let acme = f.as_customer(&f.acme).await;
    let (ana, ivan) = (f.as_customer(&f.ana).await, f.as_agent(&f.ivan).await);
    let office = acme
        .open_ticket(f.new_ticket(&f.support, "Office down"))
        .await
        .unwrap();
    // An organisation at High, capped at Urgent: Urgent alone; an agent, nothing.
    assert_eq!(
        acme.requestable_priorities(office.id).await.unwrap(),
        [Priority::Urgent]
    );
    assert!(
        ivan.requestable_priorities(office.id)
            .await
            .unwrap()
            .is_empty()
    );
    // Another customer's ticket is not there for her.
    assert!(matches!(
        ana.requestable_priorities(office.id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        ana.may_rate(office.id).await,
        Err(Error::NotFound { .. })
    ));
    // A blank reason: refused, nothing written.
    let before = snapshot(store.as_ref(), &office).await;
    let blank = Command::RequestPriority {
        priority: Priority::Urgent,
        reason: ShortNote::parse("  ").unwrap(),
    };
    assert!(matches!(
        acme.execute(office.id, blank).await,
        Err(Error::Validation(_))
    ));
    assert_eq!(snapshot(store.as_ref(), &office).await, before);

    // Rating: not before it is solved, never by an agent, once.
    let t = f.open(&f.ana, "Slow").await;
    assert!(!ana.may_rate(t.id).await.unwrap());
    let resolve = Command::Resolve {
        body: Some(body("Fixed")),
    };
    ivan.execute(t.id, resolve).await.unwrap();
    assert!(
        !ana.may_rate(t.id).await.unwrap(),
        "resolved, not confirmed"
    );
    ana.execute(t.id, Command::ConfirmResolution).await.unwrap();
    assert!(ana.may_rate(t.id).await.unwrap());
    assert!(!ivan.may_rate(t.id).await.unwrap());
    // Closed: no priority may be asked for any more.
    assert!(ana.requestable_priorities(t.id).await.unwrap().is_empty());
    let rate = Command::RateSatisfaction {
        score: Rating::new(4).unwrap(),
        comment: None,
    };
    ana.execute(t.id, rate).await.unwrap();
    assert!(!ana.may_rate(t.id).await.unwrap(), "once");
}

/// The system (imports, rules, the CLI's operator) is not a ticket's customer: no priority
/// offered to it to request and no rating, although the machine lets the system do anything.
pub async fn the_system_is_offered_no_priority_request_and_no_rating(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let system = f.desk.as_system();
    let ana = f.as_customer(&f.ana).await;
    let ivan = f.as_agent(&f.ivan).await;
    // An organisation at High, capped at Urgent, may ask for Urgent; the system may not.
    let acme = f.as_customer(&f.acme).await;
    let office = acme
        .open_ticket(f.new_ticket(&f.support, "Office down"))
        .await
        .unwrap();
    assert_eq!(
        acme.requestable_priorities(office.id).await.unwrap(),
        [Priority::Urgent]
    );
    assert_eq!(system.requestable_priorities(office.id).await.unwrap(), []);
    let t = f.open(&f.ana, "Slow").await;
    assert_eq!(system.requestable_priorities(t.id).await.unwrap(), []);
    let resolve = Command::Resolve {
        body: Some(body("Fixed")),
    };
    ivan.execute(t.id, resolve).await.unwrap();
    ana.execute(t.id, Command::ConfirmResolution).await.unwrap();
    assert!(ana.may_rate(t.id).await.unwrap());
    assert!(!system.may_rate(t.id).await.unwrap());
}
